// Package extract finds the article in a web page: its body text, one block
// per line, without the page's chrome (navigation, share buttons, related-story
// lists and teasers, tickers, cookie, copyright and newsletter notices,
// comment threads, author boxes), and its metadata (title, byline, dates,
// language, site, canonical URL, lead image, captions). The headline, byline,
// date line and photo captions are metadata: they are never in the text.
//
// It works on raw HTML in any charset (decoded with package decode) and on
// pages already flattened to text, one block per line. The page is parsed
// once with golang.org/x/net/html and walked once; content selection
// (Readability-style scoring of containers, bare text between <br>s
// included) runs on views of that walk, and the metadata lookups and
// role-based chrome rules are CSS selectors matched through goquery on the
// same tree. Comment threads are recognised by their shape (repeated items
// with an author line or avatar and a date), in any language. An Extractor holds the compiled selectors;
// Extract and ExtractWithOptions use a shared one. It is plain Go: it
// takes values and returns values, and is safe for concurrent use.
package extract

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/newspipe/newspipe/pkg/topology"
)

// DefaultMaxBytes is the input size cap Extract applies: 8 MiB is many times
// the largest real news page (200–300 KB) and bounds memory on hostile input.
const DefaultMaxBytes = topology.DefaultMaxBodyBytes

// Input is one page to extract.
type Input struct {
	// Body holds the raw bytes as fetched, in any charset.
	Body []byte
	// URL is the page URL; it may be empty. It resolves relative links and
	// is the canonical URL when the page declares none; dates in its path
	// are a last resort for the published time.
	URL string
	// ContentType is the HTTP Content-Type header; it may be empty.
	ContentType string
	// Text marks Body as a page already flattened to text, one block per
	// line, chrome included.
	Text bool
}

// Article is the extraction result.
type Article struct {
	Title        string
	Byline       string
	Lang         string
	SiteName     string
	CanonicalURL string
	ImageURL     string
	Description  string
	// Charset is the charset Body was decoded from.
	Charset string
	// Published and Modified are zero when unknown; they keep the page's
	// time zone.
	Published time.Time
	Modified  time.Time
	// Blocks holds the article text: headings, paragraphs, list items and
	// quotes in page order, one block per entry, none containing a newline.
	// It is the body only: the headline (Title), byline, date line and
	// captions are not in it.
	Blocks []string
	// Captions holds the captions and credits of the article's images, in
	// page order, each once.
	Captions []string
	Stats    Stats
}

// Stats counts what extraction kept and removed, in blocks and in runes of
// text.
type Stats struct {
	BlocksKept    int `json:"blocks_kept"`
	BlocksRemoved int `json:"blocks_removed"`
	CharsKept     int `json:"chars_kept"`
	CharsRemoved  int `json:"chars_removed"`
}

// Text returns the article text, blocks joined with "\n".
func (a *Article) Text() string { return strings.Join(a.Blocks, "\n") }

// Options tunes Extract.
type Options struct {
	// MaxBytes caps the input size; larger inputs fail with ErrTooLarge.
	// Zero means DefaultMaxBytes.
	MaxBytes int
}

func (o Options) maxBytes() int {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// Extractor extracts articles. It owns the compiled CSS selectors of the
// metadata lookups and chrome rules, built once by New; it never changes
// afterwards and is safe for concurrent use. Hold one for the life of a
// process or a run rather than building one per page.
type Extractor struct {
	opts    Options
	sel     *selectors
	scratch *scratchPool
}

// New returns an Extractor with the given options.
func New(opts Options) *Extractor {
	return &Extractor{opts: opts, sel: compileSelectors(), scratch: newScratchPool()}
}

// defaultExtractor holds the selector set and scratch pool behind the
// package-level Extract and ExtractWithOptions. It is built on first use
// and its selectors are immutable after that (sync.OnceValue); the pool
// is a cache of memory, not state a result depends on. It spares callers
// that extract one page at a time the selector compilation on every page.
// Callers that hold an Extractor do not use it.
var defaultExtractor = sync.OnceValue(func() *Extractor { return New(Options{}) })

// Extract extracts the article from one page with default options, using
// a shared Extractor.
func Extract(in Input) (*Article, error) { return ExtractWithOptions(in, Options{}) }

// ExtractWithOptions extracts the article from one page, using the shared
// selector set. On ErrNoContent it still returns the Article with its
// metadata.
func ExtractWithOptions(in Input, opts Options) (*Article, error) {
	def := defaultExtractor()
	x := Extractor{opts: opts, sel: def.sel, scratch: def.scratch}
	return x.Extract(in)
}

// Extract extracts the article from one page. On ErrNoContent it still
// returns the Article with its metadata.
func (x *Extractor) Extract(in Input) (*Article, error) {
	max := x.opts.maxBytes()
	if len(in.Body) > max {
		return nil, fmt.Errorf("extract %s: %d bytes over the %d-byte cap: %w", in.URL, len(in.Body), max, ErrTooLarge)
	}
	var (
		a   *Article
		err error
	)
	if in.Text {
		a, err = extractText(in)
	} else {
		a, err = x.extractHTML(in)
	}
	if err != nil {
		return a, fmt.Errorf("extract %s: %w", in.URL, err)
	}
	return a, nil
}
