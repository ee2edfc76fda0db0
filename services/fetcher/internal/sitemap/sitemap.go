// Package sitemap reads sitemaps (sitemaps.org): a list of URLs (urlset),
// with Google News extensions (news:title, news:publication_date,
// news:language), or an index of other sitemaps (sitemapindex). It is
// plain Go: bytes in (UTF-8, as package mend leaves them), entries out.
package sitemap

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Sentinel errors, matched with errors.Is on what Parse returns.
var (
	// ErrNotSitemap is a document that is neither a urlset nor a
	// sitemapindex (an HTML page, a feed).
	ErrNotSitemap = errors.New("not a sitemap")
	// ErrMalformed is a sitemap that is not well-formed XML.
	ErrMalformed = errors.New("malformed sitemap")
	// ErrTooLarge is a gzipped sitemap that inflates past the cap.
	ErrTooLarge = errors.New("sitemap too large")
)

// Entry is one <url> of a urlset, or one <sitemap> of an index.
type Entry struct {
	// Loc is the absolute http(s) URL.
	Loc string
	// LastMod is <lastmod>, zero if absent or unreadable.
	LastMod time.Time
	// Title, Published and Lang are Google News' news:title,
	// news:publication_date and news:language, where given.
	Title     string
	Published time.Time
	Lang      string
}

// Date is the entry's publication date, else its last modification.
func (e Entry) Date() time.Time {
	if !e.Published.IsZero() {
		return e.Published
	}
	return e.LastMod
}

// Document is a parsed sitemap.
type Document struct {
	// Index is true for a sitemapindex: Entries are then sitemaps.
	Index bool
	// Entries are in document order.
	Entries []Entry
	// Skipped counts entries without a usable http(s) <loc>.
	Skipped int
}

// Parse reads a urlset or a sitemapindex. Relative locations (which the
// protocol forbids, and sites use) are resolved against base.
func Parse(data []byte, base string) (Document, error) {
	var doc Document
	baseURL, _ := url.Parse(base)
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	var root string
	var cur *Entry
	var text strings.Builder
	var path []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if root == "" {
				return Document{}, fmt.Errorf("%w: %v", ErrNotSitemap, err)
			}
			return Document{}, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if root == "" {
				root = name
				switch root {
				case "urlset":
				case "sitemapindex":
					doc.Index = true
				default:
					return Document{}, fmt.Errorf("%w: root element <%s>", ErrNotSitemap, root)
				}
			}
			path = append(path, name)
			text.Reset()
			if len(path) == 2 && (name == "url" || name == "sitemap") {
				cur = &Entry{}
			}
		case xml.CharData:
			if cur != nil {
				text.Write(t)
			}
		case xml.EndElement:
			name := t.Name.Local
			if cur != nil {
				v := strings.TrimSpace(text.String())
				parent := ""
				if len(path) >= 2 {
					parent = path[len(path)-2]
				}
				switch name {
				case "loc":
					if len(path) == 3 {
						cur.Loc = resolve(baseURL, v)
					}
				case "lastmod":
					cur.LastMod = parseW3CDate(v)
				case "title": // news:title; not image:title or video:title
					if parent == "news" {
						cur.Title = strings.Join(strings.Fields(v), " ")
					}
				case "publication_date":
					if parent == "news" {
						cur.Published = parseW3CDate(v)
					}
				case "language":
					if parent == "publication" {
						cur.Lang = strings.ToLower(v)
					}
				case "url", "sitemap":
					if len(path) == 2 {
						if cur.Loc == "" {
							doc.Skipped++
						} else {
							doc.Entries = append(doc.Entries, *cur)
						}
						cur = nil
					}
				}
			}
			text.Reset()
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		}
	}
	if root == "" {
		return Document{}, fmt.Errorf("%w: no element", ErrNotSitemap)
	}
	return doc, nil
}

// Newest returns entries sorted newest first by Date; undated entries
// follow, in document order.
func Newest(entries []Entry) []Entry {
	out := append([]Entry(nil), entries...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Date(), out[j].Date()
		if a.IsZero() || b.IsZero() {
			return !a.IsZero() && b.IsZero()
		}
		return a.After(b)
	})
	return out
}

// Gunzip inflates a gzipped sitemap (a .xml.gz served as a file, not as a
// transfer encoding), refusing more than max bytes inflated. Input that is
// not gzip is returned as it is.
func Gunzip(data []byte, max int64) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrMalformed, err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, max+1))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrMalformed, err)
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("%w: over %d bytes inflated", ErrTooLarge, max)
	}
	return out, nil
}

// resolve returns ref as an absolute http(s) URL, or "".
func resolve(base *url.URL, ref string) string {
	u, err := url.Parse(ref)
	if err != nil || ref == "" {
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

// w3cLayouts are the W3C Datetime forms sitemaps use, and a few they
// should not.
var w3cLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006-01",
	"2006",
}

func parseW3CDate(s string) time.Time {
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
