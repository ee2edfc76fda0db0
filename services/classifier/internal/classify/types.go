package classify

import (
	"time"
)

// maxTopics bounds the number of taxonomy topics a sentence tracks.
const maxTopics = 16

// Document is one article to classify.
type Document struct {
	Title string
	// Text is the body, one block (paragraph) per line.
	Text string
	// Lang is the ISO 639-1 language; "" means detect it.
	Lang string
	// Published is when the article appeared; zero if unknown. A signing
	// the text dates two or more years before it is a recall of an old
	// deal. Without it, the latest year the text states as its own time
	// stands in.
	Published time.Time
}

// TopicScore is a topic and its weight in the document.
type TopicScore struct {
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

// Entity is a country, company, agency, product or person found in the
// document, under its canonical id and display name.
type Entity struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Country string `json:"country,omitempty"`
	Count   int    `json:"count"`
}

// Agreement is the signed Russia–China technology agreement a document
// reports, if any.
type Agreement struct {
	Detected bool `json:"detected"`
	// Stage is the furthest agreement stage seen in Russia–China technology
	// context: intent, negotiation, implemented, signed or rejected ("" if
	// none). Detected implies signed.
	Stage string `json:"stage"`
	// Kind is contract, mou, agreement, joint_venture or licence.
	Kind string `json:"kind"`
	// Parties are canonical entity ids, Chinese side first; a side that names
	// no organisation is given by its country id.
	Parties []string `json:"parties"`
	// CN and RU are each side's signatories as the report names them
	// (organisations, most named first); empty where it names only the
	// country.
	CN []Party `json:"cn_parties"`
	RU []Party `json:"ru_parties"`
	// Technology is the deal's topic: the topic of its subject when it has
	// one, else the technology its signing sentence (or passage) names.
	Technology string `json:"technology"`
	// Subject is what the deal is about, finer than its topic (a taxonomy
	// subject id such as "lunar" or "xudapu"), or "" when the signing
	// sentence names none; the last segment of Key when set.
	Subject string `json:"subject"`
	// Date is the signing date stated in the evidence sentence (or, for a
	// headline, in the lead's signing sentence): YYYY-MM-DD, YYYY-MM or
	// YYYY; "" when none is stated.
	Date     string `json:"date"`
	Evidence string `json:"evidence"`
	// Key identifies the deal across reports; see the package doc.
	Key string `json:"key"`
}

// Party is one signatory of a deal: a taxonomy organisation and the group
// that answers for it in deals (its own id when it is in none).
type Party struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Group string `json:"group"`
}

// Evidence is a sentence that decided a tag.
type Evidence struct {
	Tag      string `json:"tag"`
	Sentence string `json:"sentence"`
}

// Result is the classification of one document.
type Result struct {
	Lang     string
	RuCnTech bool
	// Score in [0, 1]: how strongly the document is a Russia–China technology
	// story; RuCnTech is Score >= 0.5.
	Score float64
	// Topics are taxonomy topic tokens, strongest first; Topics[0] is the
	// primary topic when RuCnTech.
	Topics          []string
	TopicScores     []TopicScore
	Entities        []Entity
	Agreement       Agreement
	Evidence        []Evidence
	TaxonomyVersion string
}

// PrimaryTopic returns the topic a story is filed under: Topics[0], or
// "other" when there is none.
func (r Result) PrimaryTopic() string {
	if len(r.Topics) == 0 {
		return "other"
	}
	return r.Topics[0]
}

// hit is a resolved match of one feature.
type hit struct {
	feat       int32
	start, end int
}
