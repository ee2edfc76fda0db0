// Package feed parses news feeds: RSS, Atom and JSON Feed, read with
// gofeed. It is plain Go: bytes in, items out; fetching is package fetch's.
package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// maxSummary bounds an item's summary: some feeds put the whole article in
// the description, which belongs in the fetched page, not the job.
const maxSummary = 2000

// Item is one entry of a feed.
type Item struct {
	// Link is the item's absolute URL (resolved against the feed's URL).
	Link      string
	Title     string
	Summary   string // plain text, at most 2,000 characters
	Published time.Time
	Authors   []string
}

// Feed is a parsed feed document.
type Feed struct {
	Title   string
	Items   []Item
	Skipped int
	// TTL is the RSS <ttl>: how long the publisher says the feed may be
	// cached; zero when it states none.
	TTL time.Duration
	// Invalid, when set, says why the document is not well-formed XML
	// although the lenient parser still read Items from it (an unclosed
	// tag, a stray "<"): the feed is broken and should be reported so, but
	// what could be read is not thrown away.
	Invalid string
}

// Parse reads an RSS, Atom or JSON Feed document, which must be UTF-8
// (package mend makes it so). Relative item links are resolved against
// base, the URL the document was served from; lang, the source's language,
// settles ambiguous date zones. Dates keep the zone the feed gave them.
// Errors wrap ErrNotFeed or ErrMalformed.
func Parse(data []byte, base, lang string) (Feed, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Feed{}, fmt.Errorf("%w: empty body", ErrNotFeed)
	}
	// A Parser keeps state while parsing: one per call.
	gf, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return Feed{}, fmt.Errorf("%w: %s", ErrNotFeed, sniff(data))
	}
	if err != nil {
		return Feed{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	baseURL, _ := url.Parse(base)
	f := Feed{Title: strings.TrimSpace(gf.Title)}
	if gf.FeedType == "rss" || gf.FeedType == "atom" {
		if err := wellFormed(data); err != nil {
			f.Invalid = err.Error()
		}
	}
	if gf.FeedType == "rss" {
		f.TTL = rssTTL(data)
	}
	for _, it := range gf.Items {
		if it == nil {
			continue
		}
		link := resolve(baseURL, it.Link)
		if link == "" {
			link = resolve(nil, it.GUID) // a permalink GUID, when absolute
		}
		if link == "" {
			f.Skipped++
			continue
		}
		item := Item{
			Link:    link,
			Title:   clip(plainText(it.Title), 1000),
			Summary: clip(plainText(it.Description), maxSummary),
			Authors: authors(it),
		}
		item.Published = itemDate(it, lang)
		f.Items = append(f.Items, item)
	}
	return f, nil
}

// itemDate is the item's publication date, else its update date, read by
// ParseDate (zone kept, named zones resolved), else as gofeed read it.
func itemDate(it *gofeed.Item, lang string) time.Time {
	for _, c := range []struct {
		raw    string
		parsed *time.Time
	}{{it.Published, it.PublishedParsed}, {it.Updated, it.UpdatedParsed}} {
		if t, ok := ParseDate(c.raw, lang); ok {
			return t
		}
		if c.parsed != nil {
			return *c.parsed
		}
	}
	return time.Time{}
}

var ttlRe = regexp.MustCompile(`<ttl>\s*(\d{1,6})\s*</ttl>`)

// rssTTL reads the channel's <ttl> (minutes), which comes before the items.
func rssTTL(data []byte) time.Duration {
	head := data
	if i := bytes.Index(head, []byte("<item")); i >= 0 {
		head = head[:i]
	}
	m := ttlRe.FindSubmatch(head)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return time.Duration(n) * time.Minute
}

// wellFormed checks data strictly as XML (HTML's named entities allowed, as
// feeds use them), which gofeed's lenient parser does not. RawToken with a
// stack of open elements is Token's check without its namespace work.
func wellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	var open []xml.Name
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if len(open) > 0 {
				return fmt.Errorf("unexpected EOF: <%s> not closed", open[len(open)-1].Local)
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name)
		case xml.EndElement:
			if len(open) == 0 {
				return fmt.Errorf("unexpected end element </%s>", t.Name.Local)
			}
			if top := open[len(open)-1]; top != t.Name {
				return fmt.Errorf("element <%s> closed by </%s>", top.Local, t.Name.Local)
			}
			open = open[:len(open)-1]
		}
	}
}

// resolve returns ref as an absolute http(s) URL, or "".
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil {
			return ""
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func authors(it *gofeed.Item) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range it.Authors {
		if p == nil {
			continue
		}
		name := strings.TrimSpace(p.Name)
		if name == "" {
			name = strings.TrimSpace(p.Email)
		}
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// plainText drops markup and collapses white space: feed titles and
// descriptions often carry HTML.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "br", "p", "div", "li":
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip = max(0, skip-1)
			case "p", "div", "li":
				b.WriteByte(' ')
			}
		}
	}
}

// clip cuts s to at most n runes, at a rune boundary.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// sniff describes what a non-feed body looks like, for the error message.
func sniff(data []byte) string {
	ct := http.DetectContentType(data)
	return "body looks like " + strings.SplitN(ct, ";", 2)[0]
}
