package demosite

import (
	"encoding/json"
	"fmt"
	"time"
)

// Page is what the pipeline must make of one demo page: the labels an
// analyst gave it when writing it. Topics are the taxonomy tokens the story
// must get at least; a classifier may add more.
type Page struct {
	// Path is the page's URL path; the page's URL is base URL + Path.
	Path string `json:"path"`
	// Source is the id of the outlet that publishes the page.
	Source string `json:"source"`
	// SourceIDs are the ids of the Sources feeds listing the page; a page
	// listed by two of them reaches the pipeline twice under one canonical
	// URL.
	SourceIDs []string `json:"source_ids"`
	// Lang is the page's language: en, ru, zh, es or id.
	Lang string `json:"lang"`
	// Charset is the charset the page is stored and served in.
	Charset string `json:"charset"`
	// Headline is the article's headline as the page states it.
	Headline string `json:"headline"`
	// Published is when the page says the article was published.
	Published time.Time `json:"published"`
	// Category is "agreement" (a Russia–China technology agreement was
	// signed), "rucn-tech" (Russia–China technology, no signed deal) or
	// "negative" (looks close, but is not Russia–China technology
	// cooperation).
	Category string `json:"category"`
	// RuCnTech is true when the story is about Russia–China technology
	// cooperation.
	RuCnTech bool `json:"ru_cn_tech"`
	// Topics are taxonomy tokens the story must be tagged with, at least.
	Topics []string `json:"topics"`
	// Agreement is true when the story reports a signed Russia–China
	// technology agreement.
	Agreement bool `json:"agreement"`
	// AgreementEvent identifies the deal; pages reporting the same deal
	// share it. Empty unless Agreement.
	AgreementEvent string `json:"agreement_event,omitempty"`
	// AgreementKind is the word the page uses for the deal (contract,
	// acuerdo, соглашение, 协议, MoU, …).
	AgreementKind string `json:"agreement_kind,omitempty"`
	// AgreementParties are the signatories, in English.
	AgreementParties []string `json:"agreement_parties,omitempty"`
	// Entities are names the story mentions that a taxonomy should know,
	// in English.
	Entities []string `json:"entities,omitempty"`
	// Note says why the page is labelled so, for the hard cases.
	Note string `json:"note,omitempty"`
}

// Expected returns the labels of every page of the site, in path order.
func Expected() ([]Page, error) {
	var doc struct {
		Pages []Page `json:"pages"`
	}
	if err := json.Unmarshal(expectedJSON, &doc); err != nil {
		return nil, fmt.Errorf("decode expected.json: %w: %w", err, ErrCatalog)
	}
	if len(doc.Pages) == 0 {
		return nil, fmt.Errorf("decode expected.json: no pages: %w", ErrCatalog)
	}
	return doc.Pages, nil
}
