package demosite

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// feedContentType is the media type a feed format is served as.
func feedContentType(format string) string {
	switch format {
	case "atom":
		return "application/atom+xml; charset=utf-8"
	case "json":
		return "application/feed+json; charset=utf-8"
	default:
		return "application/rss+xml; charset=utf-8"
	}
}

// feedItem is one feed entry, format-neutral.
type feedItem struct {
	page *pageMeta
	link string
}

// feedItems lists the pages of f, newest first, with their links.
func (s *Site) feedItems(f *feedDef, base string) []feedItem {
	var items []feedItem
	for i := range s.pages {
		p := &s.pages[i]
		if p.Outlet != f.outlet.ID || !p.inFeed(f.Set) {
			continue
		}
		link := base + p.Path
		if f.TrackAll || p.Tracking {
			// Written by hand, not url.Values.Encode, to keep the order
			// publishers use (source, medium, campaign).
			link += "?utm_source=" + url.QueryEscape(f.UTMSource) + "&utm_medium=feed"
			if f.TrackAll {
				link += "&utm_campaign=" + url.QueryEscape(f.Set)
			}
		}
		items = append(items, feedItem{page: p, link: link})
	}
	sort.SliceStable(items, func(i, j int) bool {
		return items[i].page.Published.After(items[j].page.Published)
	})
	return items
}

// renderFeed renders f with absolute links under base and returns the
// document and its Last-Modified (the newest item change).
func (s *Site) renderFeed(f *feedDef, base string) ([]byte, time.Time, error) {
	items := s.feedItems(f, base)
	var modified time.Time
	for _, it := range items {
		if m := it.page.modified(); m.After(modified) {
			modified = m
		}
	}
	if modified.IsZero() {
		modified = siteEpoch()
	}
	zone := time.FixedZone("", f.outlet.UTCOffset*3600)
	var (
		body []byte
		err  error
	)
	switch f.Format {
	case "rss":
		body, err = renderRSS(f, base, items, modified.In(zone))
	case "atom":
		body, err = renderAtom(f, base, items, modified.In(zone))
	case "json":
		body, err = renderJSONFeed(f, base, items)
	default:
		err = fmt.Errorf("unknown format %q: %w", f.Format, ErrCatalog)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("render feed %s: %w", f.SourceID, err)
	}
	return body, modified, nil
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	DCNS    string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string      `xml:"title"`
	Link          string      `xml:"link"`
	Description   string      `xml:"description"`
	Language      string      `xml:"language"`
	Copyright     string      `xml:"copyright"`
	AtomLink      rssAtomLink `xml:"atom:link"`
	LastBuildDate string      `xml:"lastBuildDate"`
	Generator     string      `xml:"generator"`
	TTL           int         `xml:"ttl"`
	Items         []rssItem   `xml:"item"`
}

type rssAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	Description cdata    `xml:"description"`
	Creator     string   `xml:"dc:creator,omitempty"`
	Categories  []string `xml:"category"`
	PubDate     string   `xml:"pubDate"`
	GUID        rssGUID  `xml:"guid"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

func renderRSS(f *feedDef, base string, items []feedItem, modified time.Time) ([]byte, error) {
	doc := rssDoc{
		Version: "2.0",
		AtomNS:  "http://www.w3.org/2005/Atom",
		DCNS:    "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{
			Title:         f.Title,
			Link:          base + f.outlet.Home,
			Description:   f.Description,
			Language:      f.outlet.Lang,
			Copyright:     f.outlet.Copyright,
			AtomLink:      rssAtomLink{Href: base + f.Path, Rel: "self", Type: "application/rss+xml"},
			LastBuildDate: modified.Format(time.RFC1123Z),
			Generator:     "newsroom-cms 4.2",
			TTL:           15,
		},
	}
	zone := modified.Location()
	for _, it := range items {
		p := it.page
		guid := rssGUID{IsPermaLink: "false", Value: p.GUID}
		if f.PermalinkGUID {
			guid = rssGUID{IsPermaLink: "true", Value: base + p.Path}
		}
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title:       p.Headline,
			Link:        it.link,
			Description: cdata{Text: "<p>" + xmlText(p.Description) + "</p>"},
			Creator:     p.Author,
			Categories:  append([]string{p.Section}, p.Tags...),
			PubDate:     p.Published.In(zone).Format(time.RFC1123Z),
			GUID:        guid,
		})
	}
	return marshalXML(doc)
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Rights    string      `xml:"rights"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     atomAuthor     `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

func renderAtom(f *feedDef, base string, items []feedItem, modified time.Time) ([]byte, error) {
	doc := atomFeed{
		Lang:     f.outlet.Lang,
		ID:       "tag:" + f.outlet.ID + ".demo,2026:" + f.Path,
		Title:    f.Title,
		Subtitle: f.Description,
		Updated:  modified.Format(time.RFC3339),
		Links: []atomLink{
			{Href: base + f.Path, Rel: "self", Type: "application/atom+xml"},
			{Href: base + f.outlet.Home, Rel: "alternate", Type: "text/html"},
		},
		Rights:    f.outlet.Copyright,
		Generator: "newsroom-cms 4.2",
	}
	zone := modified.Location()
	for _, it := range items {
		p := it.page
		e := atomEntry{
			ID:        "tag:" + f.outlet.ID + ".demo,2026:" + p.GUID,
			Title:     p.Headline,
			Links:     []atomLink{{Href: it.link, Rel: "alternate", Type: "text/html"}},
			Published: p.Published.In(zone).Format(time.RFC3339),
			Updated:   p.modified().In(zone).Format(time.RFC3339),
			Author:    atomAuthor{Name: p.Author},
			Summary:   atomText{Type: "html", Text: "<p>" + xmlText(p.Description) + "</p>"},
		}
		for _, t := range append([]string{p.Section}, p.Tags...) {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalXML(doc)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode xml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// xmlText escapes s for use as HTML text inside a feed's HTML description.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description"`
	Language    string         `json:"language"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	Summary       string           `json:"summary"`
	ContentHTML   string           `json:"content_html"`
	DatePublished string           `json:"date_published"`
	DateModified  string           `json:"date_modified"`
	Authors       []jsonFeedAuthor `json:"authors"`
	Tags          []string         `json:"tags"`
	Language      string           `json:"language"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

func renderJSONFeed(f *feedDef, base string, items []feedItem) ([]byte, error) {
	doc := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       f.Title,
		HomePageURL: base + f.outlet.Home,
		FeedURL:     base + f.Path,
		Description: f.Description,
		Language:    f.outlet.Lang,
		Items:       []jsonFeedItem{},
	}
	for _, it := range items {
		p := it.page
		doc.Items = append(doc.Items, jsonFeedItem{
			ID:            p.GUID,
			URL:           it.link,
			Title:         p.Headline,
			Summary:       p.Description,
			ContentHTML:   "<p>" + xmlText(p.Description) + "</p>",
			DatePublished: p.Published.Format(time.RFC3339),
			DateModified:  p.modified().Format(time.RFC3339),
			Authors:       []jsonFeedAuthor{{Name: p.Author}},
			Tags:          append([]string{p.Section}, p.Tags...),
			Language:      f.outlet.Lang,
		})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode json feed: %w", err)
	}
	return append(b, '\n'), nil
}
