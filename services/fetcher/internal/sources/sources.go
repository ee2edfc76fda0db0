// Package sources reads and checks the list of sources the fetcher polls
// (sources.yaml). It is plain Go: bytes in, validated values out.
//
// The format:
//
//	sources:
//	  - id: tass-en               # lowercase token; becomes news.raw.<id>
//	    name: TASS (English)      # for people; defaults to the id
//	    kind: feed                # feed (RSS, Atom, JSON Feed; the default),
//	                              # sitemap (plain or Google News, or an index),
//	                              # or section (an HTML page listing articles)
//	    url: https://tass.com/rss/v2.xml
//	    selector: "h2 a"          # section only: CSS selector of article links
//	    lang: en                  # optional; the cleaner falls back to it
//	    charset: windows-1251     # optional; overrides what the server declares
//	    interval: 15m             # optional; the fetcher's default otherwise
//	    headers:                  # optional; sent with every request for it
//	      Cookie: consent=yes
//	    tags: [agency, ru]        # optional; for people and the sources API
//	    enabled: true             # optional; default true
//
// Every problem is reported, each naming its entry by line and id, so one
// run of the service shows everything wrong with a file.
package sources

import (
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/http/httpguts"
	"golang.org/x/text/encoding/htmlindex"
	"gopkg.in/yaml.v3"
)

// Interval bounds. Below MinInterval a poll is rude to the publisher; above
// MaxInterval the source is as good as disabled.
const (
	MinInterval = 5 * time.Second
	MaxInterval = 7 * 24 * time.Hour
)

// Kinds of source.
const (
	// KindFeed is an RSS, Atom or JSON feed.
	KindFeed = "feed"
	// KindSitemap is a sitemap: plain, Google News, or an index of them.
	KindSitemap = "sitemap"
	// KindSection is an HTML page whose links, picked by Selector, are the
	// articles.
	KindSection = "section"
)

// Source is one source to poll.
type Source struct {
	// ID is a lowercase token, unique in the list; it is the <source-id>
	// of news.raw.<source-id> and the label of the per-source metrics.
	ID string
	// Name is for people; it defaults to ID.
	Name string
	// Kind is KindFeed, KindSitemap or KindSection; "" means KindFeed.
	Kind string
	// URL is the source document's absolute http(s) URL.
	URL string
	// Selector picks the article links of a section page (CSS, as goquery
	// reads it); only for KindSection.
	Selector string
	// Lang is the language the source publishes in, lower case, or "".
	Lang string
	// Charset, if set, overrides the charset the server or the document
	// declares (a WHATWG label, lower case: "windows-1251", "gb18030").
	Charset string
	// Header holds extra request headers for the source's requests.
	Header http.Header
	// Tags are the operator's labels, for people and the sources API.
	Tags []string
	// Interval is how often to poll; zero means the fetcher's default.
	Interval time.Duration
	// Disabled marks a source kept in the file but not polled (written
	// "enabled: false"); the zero value polls, so a Source built in code
	// needs only ID and URL.
	Disabled bool
}

// KindOrDefault returns s.Kind, or KindFeed when it is empty.
func (s Source) KindOrDefault() string {
	if s.Kind == "" {
		return KindFeed
	}
	return s.Kind
}

// entry is a source as written in YAML, before validation.
type entry struct {
	ID       string            `yaml:"id"`
	Name     string            `yaml:"name"`
	Kind     string            `yaml:"kind"`
	URL      string            `yaml:"url"`
	Selector string            `yaml:"selector"`
	Lang     string            `yaml:"lang"`
	Charset  string            `yaml:"charset"`
	Interval string            `yaml:"interval"`
	Headers  map[string]string `yaml:"headers"`
	Tags     []string          `yaml:"tags"`
	Enabled  *bool             `yaml:"enabled"`
}

var knownFields = map[string]bool{
	"id": true, "name": true, "kind": true, "url": true, "selector": true, "lang": true, "charset": true,
	"interval": true, "headers": true, "tags": true, "enabled": true,
}

//go:embed sources.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded default sources file: real public news
// feeds covering Russia–China technology (see the comments in the file).
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Default parses the embedded default sources file.
func Default() ([]Source, error) {
	list, err := Parse(defaultYAML)
	if err != nil {
		return nil, fmt.Errorf("default sources: %w", err)
	}
	return list, nil
}

// Load reads and parses the sources file at path.
func Load(path string) ([]Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	list, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("sources %s: %w", path, err)
	}
	return list, nil
}

// Parse decodes a sources file and validates every entry. The error, if
// any, joins one *EntryError per problem.
func Parse(data []byte) ([]Source, error) {
	var doc struct {
		Sources []yaml.Node `yaml:"sources"`
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse sources yaml: %w", err)
	}
	if root.Kind == 0 { // empty document
		return nil, ErrNoSources
	}
	if err := checkKeys(&root, map[string]bool{"sources": true}); err != nil {
		return nil, err
	}
	if err := root.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse sources yaml: %w", err)
	}
	if len(doc.Sources) == 0 {
		return nil, ErrNoSources
	}

	var errs []error
	list := make([]Source, 0, len(doc.Sources))
	for i := range doc.Sources {
		n := &doc.Sources[i]
		fail := func(id, field string, err error) {
			errs = append(errs, &EntryError{Line: n.Line, Index: i, ID: id, Field: field, Err: err})
		}
		if n.Kind != yaml.MappingNode {
			fail("", "", errors.New("entry is not a mapping of fields"))
			continue
		}
		var e entry
		if err := n.Decode(&e); err != nil {
			fail("", "", err)
			list = append(list, Source{}) // keeps list and nodes aligned
			continue
		}
		if err := checkKeys(n, knownFields); err != nil {
			fail(e.ID, "", err)
		}
		s, problems := e.source()
		for _, p := range problems {
			fail(e.ID, p.field, p.err)
		}
		list = append(list, s)
	}
	errs = append(errs, duplicates(list, doc.Sources))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return list, nil
}

// checkKeys reports a mapping key not in known, which is nearly always a typo
// ("intreval") that would otherwise be silently ignored.
func checkKeys(n *yaml.Node, known map[string]bool) error {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: expected a mapping with a %q list", n.Line, "sources")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !known[k.Value] {
			return fmt.Errorf("line %d: %w %q", k.Line, ErrUnknownField, k.Value)
		}
	}
	return nil
}

type problem struct {
	field string
	err   error
}

// source validates the fields of one entry on their own.
func (e entry) source() (Source, []problem) {
	var ps []problem
	s := Source{
		ID:       strings.TrimSpace(e.ID),
		Name:     strings.TrimSpace(e.Name),
		Kind:     strings.ToLower(strings.TrimSpace(e.Kind)),
		URL:      strings.TrimSpace(e.URL),
		Selector: strings.TrimSpace(e.Selector),
		Lang:     strings.ToLower(strings.TrimSpace(e.Lang)),
		Charset:  strings.ToLower(strings.TrimSpace(e.Charset)),
		Disabled: e.Enabled != nil && !*e.Enabled,
	}
	if s.Kind == "" {
		s.Kind = KindFeed
	}
	if len(e.Headers) > 0 {
		s.Header = http.Header{}
		for k, v := range e.Headers {
			s.Header.Set(strings.TrimSpace(k), v)
		}
	}
	for _, tag := range e.Tags {
		s.Tags = append(s.Tags, strings.ToLower(strings.TrimSpace(tag)))
	}
	if s.Name == "" {
		s.Name = s.ID
	}
	if iv := strings.TrimSpace(e.Interval); iv != "" {
		d, err := time.ParseDuration(iv)
		if err != nil {
			ps = append(ps, problem{"interval", fmt.Errorf("%w: %q is not a duration such as 10m or 1h", ErrBadInterval, iv)})
		} else {
			s.Interval = d
		}
	}
	return s, append(ps, s.check()...)
}

// check validates the fields of s that do not depend on other sources.
func (s Source) check() []problem {
	var ps []problem
	switch {
	case s.ID == "":
		ps = append(ps, problem{"id", ErrMissing})
	case !validID(s.ID):
		ps = append(ps, problem{"id", fmt.Errorf("%w: got %q", ErrBadID, s.ID)})
	}
	if s.URL == "" {
		ps = append(ps, problem{"url", ErrMissing})
	} else if err := checkURL(s.URL); err != nil {
		ps = append(ps, problem{"url", err})
	}
	if s.Lang != "" && !validLang(s.Lang) {
		ps = append(ps, problem{"lang", fmt.Errorf("%w: got %q", ErrBadLang, s.Lang)})
	}
	switch s.Kind {
	case "", KindFeed, KindSitemap:
		if s.Selector != "" {
			ps = append(ps, problem{"selector", fmt.Errorf("%w: only a section source has one", ErrBadSelector)})
		}
	case KindSection:
		if s.Selector == "" {
			ps = append(ps, problem{"selector", fmt.Errorf("%w: a section source needs one", ErrMissing)})
		} else if _, err := cascadia.ParseGroup(s.Selector); err != nil {
			ps = append(ps, problem{"selector", fmt.Errorf("%w: %q: %v", ErrBadSelector, s.Selector, err)})
		}
	default:
		ps = append(ps, problem{"kind", fmt.Errorf("%w: got %q", ErrBadKind, s.Kind)})
	}
	if s.Charset != "" {
		if _, err := htmlindex.Get(s.Charset); err != nil {
			ps = append(ps, problem{"charset", fmt.Errorf("%w: %q", ErrBadCharset, s.Charset)})
		}
	}
	for k, vs := range s.Header {
		if err := checkHeader(k, vs); err != nil {
			ps = append(ps, problem{"headers", err})
		}
	}
	for _, tag := range s.Tags {
		if !validID(tag) {
			ps = append(ps, problem{"tags", fmt.Errorf("%w: got %q", ErrBadTag, tag)})
		}
	}
	if s.Interval != 0 && (s.Interval < MinInterval || s.Interval > MaxInterval) {
		ps = append(ps, problem{"interval", fmt.Errorf("%w: %s is outside %s to %s", ErrBadInterval, s.Interval, MinInterval, MaxInterval)})
	}
	return ps
}

// Validate checks a list built in code (or parsed): each source on its own,
// then that ids and URLs are unique. Parse calls it; callers that build a
// list themselves (tests, the demo) should too.
func Validate(list []Source) error {
	var errs []error
	for i, s := range list {
		for _, p := range s.check() {
			errs = append(errs, &EntryError{Index: i, ID: s.ID, Field: p.field, Err: p.err})
		}
	}
	errs = append(errs, duplicates(list, nil))
	return errors.Join(errs...)
}

// duplicates reports ids and URLs used twice; nodes, when given, supply line
// numbers.
func duplicates(list []Source, nodes []yaml.Node) error {
	var errs []error
	ids := make(map[string]int, len(list))
	urls := make(map[string]int, len(list))
	for i, s := range list {
		line := 0
		if i < len(nodes) {
			line = nodes[i].Line
		}
		if s.ID != "" {
			if j, ok := ids[s.ID]; ok {
				errs = append(errs, &EntryError{Line: line, Index: i, ID: s.ID, Field: "id", Err: fmt.Errorf("%w: also used by source #%d", ErrDuplicateID, j+1)})
			} else {
				ids[s.ID] = i
			}
		}
		if s.URL != "" {
			if j, ok := urls[s.URL]; ok {
				errs = append(errs, &EntryError{Line: line, Index: i, ID: s.ID, Field: "url", Err: fmt.Errorf("%w: also used by source #%d", ErrDuplicateURL, j+1)})
			} else {
				urls[s.URL] = i
			}
		}
	}
	return errors.Join(errs...)
}

// Enabled returns the sources that are to be polled.
func Enabled(list []Source) []Source {
	out := make([]Source, 0, len(list))
	for _, s := range list {
		if !s.Disabled {
			out = append(out, s)
		}
	}
	return out
}

// validID accepts what is safe, unchanged, as a NATS subject token, a KV key
// and a metrics label value.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '-' || r == '_') && i > 0:
		default:
			return false
		}
	}
	return true
}

// validLang accepts lowercase BCP 47-shaped tags: a 2–3 letter language and
// optional 2–8 character subtags ("en", "zh-hans", "pt-br").
func validLang(l string) bool {
	parts := strings.Split(l, "-")
	if len(parts[0]) < 2 || len(parts[0]) > 3 {
		return false
	}
	for i, p := range parts {
		if i > 0 && (len(p) < 2 || len(p) > 8) {
			return false
		}
		for _, r := range p {
			if !(r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}

// reservedHeaders are set by the fetcher itself; a source may not replace
// them.
var reservedHeaders = map[string]bool{
	"Host": true, "User-Agent": true, "Accept-Encoding": true, "If-None-Match": true, "If-Modified-Since": true,
	"Content-Length": true, "Transfer-Encoding": true, "Connection": true, "Upgrade": true, "Te": true, "Trailer": true,
}

// checkHeader validates one extra request header.
func checkHeader(name string, values []string) error {
	if !httpguts.ValidHeaderFieldName(name) {
		return fmt.Errorf("%w: %q is not a header name", ErrBadHeader, name)
	}
	if reservedHeaders[http.CanonicalHeaderKey(name)] {
		return fmt.Errorf("%w: %s is set by the fetcher", ErrBadHeader, http.CanonicalHeaderKey(name))
	}
	for _, v := range values {
		if !httpguts.ValidHeaderFieldValue(v) {
			return fmt.Errorf("%w: the value of %s has a character headers cannot carry", ErrBadHeader, name)
		}
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: got %q", ErrBadURL, raw)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%w: %q has no host", ErrBadURL, raw)
	}
	if u.User != nil {
		return fmt.Errorf("%w: %q carries credentials; they would leak into logs", ErrBadURL, raw)
	}
	return nil
}
