package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Summary reports an ExtractDir run.
type Summary struct {
	// Pages is the number of input files read.
	Pages int `json:"pages"`
	// Failed counts pages whose extraction returned an error; their .json
	// file carries the error.
	Failed int `json:"failed"`
	// Stats sums the per-page statistics.
	Stats Stats `json:"stats"`
	// Elapsed is the wall time of the run.
	Elapsed time.Duration `json:"elapsed"`
}

// PageMeta is the JSON document ExtractDir writes next to each page's text.
type PageMeta struct {
	File         string `json:"file"`
	Title        string `json:"title"`
	Byline       string `json:"byline"`
	Lang         string `json:"lang"`
	SiteName     string `json:"site_name"`
	CanonicalURL string `json:"canonical_url"`
	ImageURL     string `json:"image_url"`
	Description  string `json:"description"`
	// Captions are the captions and credits of the article's images,
	// which are not part of the text.
	Captions  []string `json:"captions,omitempty"`
	Published string   `json:"published"`
	Modified  string   `json:"modified"`
	Charset   string   `json:"charset"`
	Stats     Stats    `json:"stats"`
	Error     string   `json:"error,omitempty"`
}

// NewPageMeta returns the metadata document for an article; err, when not
// nil, is recorded in its Error field. a may be nil.
func NewPageMeta(file string, a *Article, err error) PageMeta {
	m := PageMeta{File: file}
	if a != nil {
		m.Title, m.Byline, m.Lang, m.SiteName = a.Title, a.Byline, a.Lang, a.SiteName
		m.CanonicalURL, m.ImageURL, m.Description, m.Charset = a.CanonicalURL, a.ImageURL, a.Description, a.Charset
		m.Published, m.Modified = formatTime(a.Published), formatTime(a.Modified)
		m.Captions = a.Captions
		m.Stats = a.Stats
	}
	if err != nil {
		m.Error = err.Error()
	}
	return m
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// ExtractDir extracts every IN_DIR/<name>.html, .htm or .txt file into
// OUT_DIR/<name>.txt (the article text, one block per line) and
// OUT_DIR/<name>.json (a PageMeta). It runs workers goroutines (0 means
// GOMAXPROCS). A page that fails still gets its .json, with the error, and
// does not stop the run; ExtractDir returns an error only when it cannot
// list IN_DIR, create OUT_DIR or write an output file, or when ctx ends.
func ExtractDir(ctx context.Context, inDir, outDir string, workers int) (Summary, error) {
	return ExtractDirWithOptions(ctx, inDir, outDir, workers, Options{})
}

// ExtractDirWithOptions is ExtractDir with extraction options.
func ExtractDirWithOptions(ctx context.Context, inDir, outDir string, workers int, opts Options) (Summary, error) {
	return New(opts).ExtractDir(ctx, inDir, outDir, workers)
}

// ExtractDir is the package-level ExtractDir with the Extractor's options;
// its workers share the Extractor.
func (x *Extractor) ExtractDir(ctx context.Context, inDir, outDir string, workers int) (Summary, error) {
	start := time.Now()
	files, err := listPages(inDir)
	if err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return Summary{}, fmt.Errorf("create output dir %s: %w", outDir, err)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		stats  Stats
		failed bool
		err    error // a write error: stops the run
	}
	jobs := make(chan string)
	results := make(chan result)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				st, failed, err := x.extractFile(inDir, outDir, name)
				results <- result{st, failed, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var sum Summary
	var errs []error
	for r := range results {
		sum.Pages++
		if r.failed {
			sum.Failed++
		}
		if r.err != nil {
			errs = append(errs, r.err)
		}
		sum.Stats.BlocksKept += r.stats.BlocksKept
		sum.Stats.BlocksRemoved += r.stats.BlocksRemoved
		sum.Stats.CharsKept += r.stats.CharsKept
		sum.Stats.CharsRemoved += r.stats.CharsRemoved
	}
	sum.Elapsed = time.Since(start)
	if err := ctx.Err(); err != nil {
		errs = append(errs, fmt.Errorf("extract dir %s: %w", inDir, err))
	}
	return sum, errors.Join(errs...)
}

// listPages returns the names of the page files in dir, sorted.
func listPages(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list input dir %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".html", ".htm", ".txt":
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// extractFile extracts one page and writes its two output files. It
// reports extraction failure in failed and returns only write errors.
func (x *Extractor) extractFile(inDir, outDir, name string) (Stats, bool, error) {
	base := strings.TrimSuffix(name, filepath.Ext(name))
	var a *Article
	body, err := readCapped(filepath.Join(inDir, name), x.opts.maxBytes())
	if err == nil {
		a, err = x.Extract(Input{
			Body: body,
			Text: strings.EqualFold(filepath.Ext(name), ".txt"),
		})
	}
	text := ""
	var st Stats
	if a != nil {
		text = a.Text()
		if text != "" {
			text += "\n"
		}
		st = a.Stats
	}
	if werr := os.WriteFile(filepath.Join(outDir, base+".txt"), []byte(text), 0o644); werr != nil {
		return st, err != nil, fmt.Errorf("write %s text: %w", base, werr)
	}
	meta, jerr := json.MarshalIndent(NewPageMeta(name, a, err), "", "  ")
	if jerr != nil {
		return st, true, fmt.Errorf("encode %s metadata: %w", base, jerr)
	}
	if werr := os.WriteFile(filepath.Join(outDir, base+".json"), append(meta, '\n'), 0o644); werr != nil {
		return st, err != nil, fmt.Errorf("write %s metadata: %w", base, werr)
	}
	return st, err != nil, nil
}

// readCapped reads a file, refusing files over max bytes before reading
// them.
func readCapped(path string, max int) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	if fi.Size() > int64(max) {
		return nil, fmt.Errorf("read page %s: %d bytes over the %d-byte cap: %w", filepath.Base(path), fi.Size(), max, ErrTooLarge)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	return b, nil
}
