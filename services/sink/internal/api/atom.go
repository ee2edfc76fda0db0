package api

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
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

// feedParams are the parameters of /feed.atom: the filters of
// /api/stories, without paging (a feed is its newest entries).
var feedParams = slices.DeleteFunc(slices.Clone(storiesParams), func(p string) bool { return p == "cursor" || p == "before" })

// feed serves an Atom feed (RFC 4287) of the stories the query selects,
// newest first: a bare /feed.atom has the Russia–China stories, as the web
// page; deal=<alert key> the reports of one deal. It answers 304 to a
// conditional request whose ETag or date still holds.
func (a *API) feed(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query()
	q := pageQuery(raw)
	if err := checkParams(q, feedParams); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	f, err := parseStoriesQuery(q, a.cfg.Now())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if _, ok := q["limit"]; !ok {
		f.Limit = feedStories
	}
	stories, err := a.store.ListStories(r.Context(), f)
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	var updated time.Time
	if len(stories) > 0 {
		updated = latestUpdate(stories)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host
	query := q.Encode() // sorted by key: one feed, one id, however its URL orders them
	self := base + "/feed.atom"
	page := base + "/"
	if len(raw) > 0 {
		self += "?" + query
		page += "?" + query
	}
	if key := q.Get("deal"); key != "" && len(q) == 1 {
		page = base + dealLink(key)
	}
	feed := atomFeed{
		Title:   a.cfg.Title + ": " + feedTitle(q),
		ID:      "urn:newspipe:feed:" + query,
		Updated: atomTime(updated),
		Author:  atomPerson{Name: a.cfg.Title},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: self},
			{Rel: "alternate", Type: "text/html", Href: page},
		},
	}
	if updated.IsZero() {
		// An empty feed still needs an updated: the epoch says "never",
		// and keeps the answer the same until a story comes.
		feed.Updated = atomTime(time.Unix(0, 0))
	}
	for _, s := range stories {
		feed.Entries = append(feed.Entries, entry(s, base))
	}
	b, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	body := append([]byte(xml.Header), b...)
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache") // revalidate: the ETag makes it cheap
	if !updated.IsZero() {
		w.Header().Set("Last-Modified", updated.UTC().Format(http.TimeFormat))
	}
	if notModified(r, etag, updated) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write(body)
}

// notModified reports whether the client's copy is current: If-None-Match
// decides where given (RFC 9110), else If-Modified-Since.
func notModified(r *http.Request, etag string, updated time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimSpace(t); t == etag || t == "W/"+etag || t == "*" {
				return true
			}
		}
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !updated.IsZero() && !updated.Truncate(time.Second).After(ims)
}

// feedTitle says what a feed selects.
func feedTitle(q url.Values) string {
	if len(q) == 1 && q.Get("rucn") == "true" {
		return "Russia–China technology"
	}
	if key := q.Get("deal"); key != "" && len(q) == 1 {
		return "reports of deal " + key
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		parts = append(parts, k+"="+q.Get(k))
	}
	return "stories (" + strings.Join(parts, ", ") + ")"
}

func entry(s store.Story, base string) atomEntry {
	c := s.Article.GetArticle()
	e := atomEntry{
		Title:   atomText{Type: "text", Body: cmp.Or(c.GetTitle(), c.GetUrl(), s.ID())},
		ID:      "urn:newspipe:article:" + s.ID(),
		Updated: atomTime(s.UpdatedAt),
		Links: []atomLink{
			{Rel: "related", Type: "text/html", Href: base + "/stories/" + url.PathEscape(s.ID())},
		},
	}
	if link := articleLink(c.GetCanonicalUrl(), c.GetUrl()); link != "" {
		e.Links = append([]atomLink{{Rel: "alternate", Type: "text/html", Href: link, HrefLang: c.GetLang()}}, e.Links...)
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

// summary is the story's lead: its first paragraph that is not the title
// again nor a kicker or section label (a paragraph of a few words), else
// its first paragraph; cut at a word near summaryRunes.
func summary(s store.Story) string {
	c := s.Article.GetArticle()
	title := strings.TrimSpace(c.GetTitle())
	text := ""
	for _, p := range c.GetParagraphs() {
		p = strings.TrimSpace(p)
		if p == "" || p == title {
			continue
		}
		if text == "" {
			text = p // the fallback
		}
		if utf8.RuneCountInString(p) >= leadMinRunes {
			text = p
			break
		}
	}
	if r := []rune(text); len(r) > summaryRunes {
		cut := string(r[:summaryRunes])
		if i := strings.LastIndexAny(cut, " \t"); i > len(cut)/2 {
			cut = cut[:i]
		}
		text = strings.TrimRight(cut, " ,;:") + "…"
	}
	return text
}

// leadMinRunes is how long a paragraph must be to be a story's lead rather
// than a kicker, a dateline or a section label.
const leadMinRunes = 60

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
