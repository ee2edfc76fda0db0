package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/newspipe/newspipe/services/cleaner/internal/decode"
	"golang.org/x/net/html"
)

// realPageCount is how many of the largest development pages the real-page
// benchmarks run on: the pages where extraction cost shows against parsing.
const realPageCount = 8

// sharedDir returns $NEWSPIPE_SHARED, or the first directory named shared
// found walking up from the test's directory (the repository's ../shared),
// or "" when there is none.
func sharedDir() string {
	if d := os.Getenv("NEWSPIPE_SHARED"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; {
		if fi, err := os.Stat(filepath.Join(d, "shared")); err == nil && fi.IsDir() {
			return filepath.Join(d, "shared")
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// realPages returns the bodies of the largest pages of
// ../shared/extraction-dev, largest first; it skips the benchmark when the
// set is absent.
func realPages(b *testing.B) [][]byte {
	b.Helper()
	dir := sharedDir()
	files, _ := filepath.Glob(filepath.Join(dir, "extraction-dev", "*", "html", "*.html"))
	if dir == "" || len(files) == 0 {
		b.Skip("../shared/extraction-dev not found (set NEWSPIPE_SHARED)")
	}
	type page struct {
		name string
		size int64
	}
	var pages []page
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			pages = append(pages, page{f, fi.Size()})
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].size > pages[j].size })
	var out [][]byte
	for _, p := range pages[:min(realPageCount, len(pages))] {
		body, err := os.ReadFile(p.name)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, body)
	}
	return out
}

// BenchmarkRealPages runs on the largest development pages, one op being
// all of them: "parse" is decoding and parsing alone, the floor any
// extractor on x/net/html pays, and "extract" the whole extraction, so
// the ratio of the two is the cost of extraction proper. cpu-ns/page is
// the process CPU time per page, garbage collection included.
func BenchmarkRealPages(b *testing.B) {
	pages := realPages(b)
	total := 0
	for _, p := range pages {
		total += len(p)
	}
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(total))
		b.ReportAllocs()
		cpu0 := processCPU()
		for b.Loop() {
			for _, body := range pages {
				dec := decode.Decode(body, "")
				if _, err := html.Parse(bytes.NewReader(dec.Text)); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
		if cpu := processCPU() - cpu0; cpu > 0 {
			b.ReportMetric(float64(cpu)/float64(b.N*len(pages)), "cpu-ns/page")
		}
	})
	x := New(Options{})
	b.Run("extract", func(b *testing.B) {
		b.SetBytes(int64(total))
		b.ReportAllocs()
		cpu0 := processCPU()
		for b.Loop() {
			for _, body := range pages {
				if _, err := x.Extract(Input{Body: body}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
		if cpu := processCPU() - cpu0; cpu > 0 {
			b.ReportMetric(float64(cpu)/float64(b.N*len(pages)), "cpu-ns/page")
		}
	})
}
