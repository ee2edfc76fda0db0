package api

import (
	"cmp"
	"encoding/xml"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// Atom (RFC 4287) documents. encoding/xml escapes text and replaces what
// XML cannot carry (control characters, invalid UTF-8) with U+FFFD.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title      atomText       `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Categories []atomCategory `xml:"category"`
}

// feedStories is how many stories a feed lists.
const feedStories = 50

// summaryRunes bounds an entry's summary.
const summaryRunes = 400

func (a *API) feed(w http.ResponseWriter, r *http.Request) {
	yes := true
	stories, err := a.store.ListStories(r.Context(), store.Filter{RuCn: &yes, Limit: feedStories})
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	updated := a.cfg.Now()
	if len(stories) > 0 {
		updated = latestUpdate(stories)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	f := atomFeed{
		Title:   a.cfg.Title + ": Russia–China technology",
		ID:      "urn:newspipe:feed:rucn",
		Updated: atomTime(updated),
		Author:  atomPerson{Name: a.cfg.Title},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: scheme + "://" + r.Host + "/feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: scheme + "://" + r.Host + "/"},
		},
	}
	for _, s := range stories {
		f.Entries = append(f.Entries, entry(s))
	}
	b, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
}

func entry(s store.Story) atomEntry {
	c := s.Article.GetArticle()
	e := atomEntry{
		Title:   atomText{Type: "text", Body: cmp.Or(c.GetTitle(), c.GetUrl(), s.ID())},
		ID:      "urn:newspipe:article:" + s.ID(),
		Updated: atomTime(s.UpdatedAt),
		Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: c.GetUrl(), HrefLang: c.GetLang()}},
	}
	if c.GetPublishedAt() != nil {
		e.Published = atomTime(c.GetPublishedAt().AsTime())
	}
	if sum := summary(s); sum != "" {
		e.Summary = &atomText{Type: "text", Body: sum}
	}
	for _, t := range s.Article.GetTopics() {
		e.Categories = append(e.Categories, atomCategory{Term: t})
	}
	if s.Article.GetAgreement().GetDetected() {
		e.Categories = append(e.Categories, atomCategory{Term: "agreement"})
	}
	return e
}

// summary is the sentence that made the story a Russia–China technology
// story, else the start of its text.
func summary(s store.Story) string {
	text := ""
	for _, ev := range s.Article.GetEvidence() {
		if ev.GetTag() == "ru_cn_tech" {
			text = ev.GetSentence()
			break
		}
	}
	if text == "" && len(s.Article.GetArticle().GetParagraphs()) > 0 {
		text = s.Article.GetArticle().GetParagraphs()[0]
	}
	if utf8.RuneCountInString(text) > summaryRunes {
		text = string([]rune(text)[:summaryRunes]) + "…"
	}
	return text
}

func latestUpdate(ss []store.Story) time.Time {
	var t time.Time
	for _, s := range ss {
		if s.UpdatedAt.After(t) {
			t = s.UpdatedAt
		}
	}
	return t
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
