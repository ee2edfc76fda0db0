package demosite

import (
	"encoding/json"
	"fmt"
	"time"
)

// catalog is the embedded description of the site: outlets.json is written
// by hand, pages.json by the generator in gen_test.go.
type catalog struct {
	Outlets []outlet
	Pages   []pageMeta
}

// outlet is one fictional news site.
type outlet struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Lang        string    `json:"lang"`
	Charset     string    `json:"charset"`
	UTCOffset   int       `json:"utc_offset_hours"`
	Home        string    `json:"home"`
	Description string    `json:"description"`
	Copyright   string    `json:"copyright"`
	Feeds       []feedDef `json:"feeds"`
}

// feedDef is one feed document of an outlet. Set selects the pages it lists:
// those whose pageMeta.Feeds contains it.
type feedDef struct {
	SourceID    string `json:"source_id"`
	Path        string `json:"path"`
	Format      string `json:"format"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Set         string `json:"set"`
	Primary     bool   `json:"primary"`
	// UTMSource is the utm_source value added to the links of tracked items;
	// TrackAll tracks every item, not only pages flagged Tracking.
	UTMSource string `json:"utm_source"`
	TrackAll  bool   `json:"track_all"`
	// PermalinkGUID makes RSS guids the page URL rather than an opaque id.
	PermalinkGUID bool `json:"permalink_guid"`

	outlet *outlet
}

// pageMeta is what the server needs to know about one stored page.
type pageMeta struct {
	Path        string    `json:"path"`
	Outlet      string    `json:"outlet"`
	File        string    `json:"file"`
	ContentType string    `json:"content_type"`
	Headline    string    `json:"headline"`
	Description string    `json:"description"`
	Author      string    `json:"author"`
	Section     string    `json:"section"`
	Tags        []string  `json:"tags"`
	GUID        string    `json:"guid"`
	Published   time.Time `json:"published"`
	Updated     time.Time `json:"updated"`
	Feeds       []string  `json:"feeds"`
	Tracking    bool      `json:"tracking"`

	outlet *outlet
}

// modified is when the page last changed.
func (p *pageMeta) modified() time.Time {
	if p.Updated.After(p.Published) {
		return p.Updated
	}
	return p.Published
}

// inFeed reports whether the page is listed in feeds of the given set.
func (p *pageMeta) inFeed(set string) bool {
	for _, f := range p.Feeds {
		if f == set {
			return true
		}
	}
	return false
}

func loadCatalog() (catalog, error) {
	var c catalog
	var o struct {
		Outlets []outlet `json:"outlets"`
	}
	if err := readJSON("site/outlets.json", &o); err != nil {
		return c, err
	}
	var p struct {
		Pages []pageMeta `json:"pages"`
	}
	if err := readJSON("site/pages.json", &p); err != nil {
		return c, err
	}
	c.Outlets, c.Pages = o.Outlets, p.Pages
	if len(c.Outlets) == 0 || len(c.Pages) == 0 {
		return c, fmt.Errorf("load catalog: no outlets or no pages: %w", ErrCatalog)
	}
	return c, nil
}

func readJSON(name string, v any) error {
	b, err := siteFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read %s: %w: %w", name, err, ErrCatalog)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w: %w", name, err, ErrCatalog)
	}
	return nil
}
