// Package demosite is the bundled local news site that `make demo` and the
// end-to-end tests point newspipe at: five fictional outlets in English,
// Russian, Chinese, Spanish and Indonesian, 26 article pages with realistic
// page chrome, RSS 2.0, Atom and JSON Feed documents, and the labels each page
// must get from the pipeline (see Expected).
//
// Every page and all its text were written for this project. The pages are
// rendered ahead of time from testdata/src by the generator in gen_test.go
// (go test -run TestGeneratedSite -update) and embedded from site/, stored in
// the charset their outlet declares (windows-1251 and GBK included), so the
// bytes served are exactly what a fetcher sees from a real legacy site. Feeds
// are rendered at request time because their links are absolute and depend
// on the address the site is served from.
//
// URLs inside pages (canonical, og:url, navigation, related stories) are
// stored with the placeholder origin Placeholder and rewritten to the base
// URL when served. The placeholder is pure ASCII, so the rewrite is safe in
// every stored charset.
package demosite

import (
	"embed"
	"fmt"
	"net/url"
	"strings"
)

// Placeholder is the origin the stored pages use for their own absolute URLs;
// the handler replaces it with the base URL the site is served under.
const Placeholder = "https://demo.newspipe.invalid"

//go:embed site
var siteFS embed.FS

//go:embed expected.json
var expectedJSON []byte

// Site is the parsed, immutable demo site. It is safe for concurrent use.
type Site struct {
	outlets []outlet
	pages   []pageMeta
	byPath  map[string]*pageMeta
	feeds   map[string]*feedDef // by feed path
}

// Source is one feed of the demo site, shaped for a fetcher's sources.yaml.
type Source struct {
	// ID is the source id: a lowercase token, unique across the site, used
	// as the <source-id> of news.raw.<source-id>.
	ID string
	// Name is the human name of the outlet and feed.
	Name string
	// URL is the absolute feed URL under the base URL given to Sources.
	URL string
	// Lang is the BCP 47 language of the outlet's articles.
	Lang string
	// Format is "rss", "atom" or "json" (JSON Feed 1.1).
	Format string
	// Outlet is the id of the outlet publishing the feed.
	Outlet string
}

// New parses the embedded catalog. An error means the package itself is
// broken (ErrCatalog); tests guard against that.
func New() (*Site, error) {
	c, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	s := &Site{
		outlets: c.Outlets,
		pages:   c.Pages,
		byPath:  make(map[string]*pageMeta, len(c.Pages)),
		feeds:   make(map[string]*feedDef),
	}
	known := make(map[string]*outlet, len(s.outlets))
	for i := range s.outlets {
		o := &s.outlets[i]
		known[o.ID] = o
		for j := range o.Feeds {
			f := &o.Feeds[j]
			f.outlet = o
			if _, dup := s.feeds[f.Path]; dup {
				return nil, fmt.Errorf("load feed %s: duplicate path: %w", f.Path, ErrCatalog)
			}
			s.feeds[f.Path] = f
		}
	}
	for i := range s.pages {
		p := &s.pages[i]
		o, ok := known[p.Outlet]
		if !ok {
			return nil, fmt.Errorf("load page %s: unknown outlet %q: %w", p.Path, p.Outlet, ErrCatalog)
		}
		p.outlet = o
		if _, dup := s.byPath[p.Path]; dup {
			return nil, fmt.Errorf("load page %s: duplicate path: %w", p.Path, ErrCatalog)
		}
		if _, err := siteFS.Open(p.File); err != nil {
			return nil, fmt.Errorf("load page %s: %w: %w", p.Path, err, ErrCatalog)
		}
		s.byPath[p.Path] = p
	}
	return s, nil
}

// Sources lists the feeds a demo fetcher should poll, one per outlet plus the
// Northwire markets section feed, which repeats one story of the main
// Northwire feed (same page, different tracking parameters) so URL
// canonicalisation and dedup are exercised. The alternate RSS/Atom renditions
// of each outlet are served too but not listed, as they would repeat every
// story; AllFeeds lists them. baseURL is as for Handler; an invalid one
// yields no sources.
func (s *Site) Sources(baseURL string) []Source {
	return s.feedList(baseURL, true)
}

// AllFeeds lists every feed the site serves, including the alternate
// renditions that Sources leaves out.
func (s *Site) AllFeeds(baseURL string) []Source {
	return s.feedList(baseURL, false)
}

func (s *Site) feedList(baseURL string, primaryOnly bool) []Source {
	base, err := normaliseBase(baseURL)
	if err != nil {
		return nil
	}
	var out []Source
	for _, o := range s.outlets {
		for _, f := range o.Feeds {
			if primaryOnly && !f.Primary {
				continue
			}
			out = append(out, Source{
				ID:     f.SourceID,
				Name:   f.Title,
				URL:    base + f.Path,
				Lang:   o.Lang,
				Format: f.Format,
				Outlet: o.ID,
			})
		}
	}
	return out
}

// normaliseBase checks that base is an absolute http(s) URL and returns it
// without a trailing slash, so base+path joins cleanly. A path component is
// kept: the site may be mounted under a prefix with http.StripPrefix.
func normaliseBase(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("parse base url %q: %w", base, ErrBaseURL)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base url %q: need http(s)://host[:port][/prefix]: %w", base, ErrBaseURL)
	}
	return strings.TrimRight(base, "/"), nil
}
