// Command eval-extract scores the article extractor on the development set
// in ../shared/extraction-dev and reports its speed.
//
// Scoring follows the public article-extraction benchmarks: tokens are
// maximal runs of Unicode letters, digits or underscore (case kept); the
// multisets of 4-token shingles of output and truth are compared; per page
// P = matched/output shingles and R = matched/truth shingles; P is averaged
// over pages with non-empty output, R over all pages; F1 is taken of the two
// means. On the readability subset it also scores the metadata (title
// exact, language, published time) against meta/<id>.json.
//
// Usage, from services/cleaner:
//
//	go run ./cmd/eval-extract [-set DIR] [-out DIR] [-v] [-seeds OUT]
//	go run ./cmd/eval-extract [-set DIR] -score-dir DIR
//
// With -score-dir it runs no extractor: it scores the texts another
// extractor wrote to DIR/<subset>/<id>.txt (a missing file counts as an
// empty output) and prints no times and no metadata scores.
//
// Times are wall-clock per page, one page at a time: ms/page is the mean,
// ms/p50 the median, and parse/p50 the median of decoding and parsing the
// page alone, the floor any extractor on x/net/html pays.
//
// It exits 0 with "skipped: …" when the development set is absent.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"time"
	"unicode"

	"bytes"

	"github.com/newspipe/newspipe/services/cleaner/internal/decode"
	"github.com/newspipe/newspipe/services/cleaner/internal/extract"
	"golang.org/x/net/html"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	set      string
	out      string
	scoreDir string
	seeds    string
	subset   string
	verbose  bool
	cpuprof  string
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval-extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.set, "set", "", "extraction-dev directory (default: $NEWSPIPE_SHARED/extraction-dev or <repo>/../shared/extraction-dev)")
	fs.StringVar(&cfg.out, "out", "", "write each page's extracted text to OUT/<subset>/<id>.txt")
	fs.StringVar(&cfg.scoreDir, "score-dir", "", "score DIR/<subset>/<id>.txt instead of running the extractor")
	fs.StringVar(&cfg.seeds, "seeds", "", "also run the extractor over shared/seeds into this directory (check with seeds_check.py chrome DIR)")
	fs.StringVar(&cfg.subset, "subset", "", "score only this subset")
	fs.BoolVar(&cfg.verbose, "v", false, "print per-page scores")
	fs.StringVar(&cfg.cpuprof, "cpuprofile", "", "write a CPU profile of the run to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	shared := sharedDir()
	if cfg.set == "" && shared != "" {
		cfg.set = filepath.Join(shared, "extraction-dev")
	}
	if cfg.seeds != "" {
		if shared == "" {
			fmt.Fprintln(stdout, "skipped seeds: ../shared not found")
		} else if err := runSeeds(filepath.Join(shared, "seeds"), cfg.seeds, stdout); err != nil {
			fmt.Fprintln(stderr, "eval-extract:", err)
			return 1
		}
	}
	if cfg.set == "" || !isDir(cfg.set) {
		fmt.Fprintln(stdout, "skipped: ../shared/extraction-dev not found")
		return 0
	}
	if cfg.cpuprof != "" {
		f, err := os.Create(cfg.cpuprof)
		if err != nil {
			fmt.Fprintln(stderr, "eval-extract:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "eval-extract:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	subsets, err := listSubsets(cfg.set)
	if err != nil {
		fmt.Fprintln(stderr, "eval-extract:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%-12s %5s %6s %6s %6s %9s %9s %9s\n", "subset", "pages", "F1", "P", "R", "ms/page", "ms/p50", "parse/p50")
	for _, s := range subsets {
		if cfg.subset != "" && s != cfg.subset {
			continue
		}
		res, err := evalSubset(cfg, s, stdout)
		if err != nil {
			fmt.Fprintln(stderr, "eval-extract:", err)
			return 1
		}
		res.print(stdout)
	}
	return 0
}

// sharedDir finds the shared data directory: $NEWSPIPE_SHARED, else a
// "shared" directory next to some ancestor of the working directory.
func sharedDir() string {
	if d := os.Getenv("NEWSPIPE_SHARED"); d != "" {
		if isDir(d) {
			return d
		}
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; {
		if c := filepath.Join(d, "shared"); isDir(c) {
			return c
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func listSubsets(set string) ([]string, error) {
	entries, err := os.ReadDir(set)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", set, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && isDir(filepath.Join(set, e.Name(), "html")) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

func runSeeds(in, out string, stdout io.Writer) error {
	sum, err := extract.ExtractDir(context.Background(), in, out, 0)
	if err != nil {
		return fmt.Errorf("extract seeds: %w", err)
	}
	fmt.Fprintf(stdout, "seeds: %d pages, %d failed, %d blocks kept, %d removed -> %s\n",
		sum.Pages, sum.Failed, sum.Stats.BlocksKept, sum.Stats.BlocksRemoved, out)
	return nil
}

// subsetResult holds the scores of one subset.
type subsetResult struct {
	name          string
	pages         int
	sumP, sumR    float64
	nonEmpty      int
	ms            []float64
	parseMS       []float64 // decoding and parsing alone, the floor
	meta          int
	titleOK       int
	langOK, langN int
	pubOK, pubN   int
	bylineOK, byN int
	bylineName    int // bylines right up to a leading "By"/"Par"/… label
	failures      int
}

func (r *subsetResult) print(w io.Writer) {
	p := 0.0
	if r.nonEmpty > 0 {
		p = r.sumP / float64(r.nonEmpty)
	}
	rec := 0.0
	if r.pages > 0 {
		rec = r.sumR / float64(r.pages)
	}
	f1 := 0.0
	if p+rec > 0 {
		f1 = 2 * p * rec / (p + rec)
	}
	mean, p50 := meanMedian(r.ms)
	_, parse50 := meanMedian(r.parseMS)
	fmt.Fprintf(w, "%-12s %5d %6.3f %6.3f %6.3f %9.2f %9.2f %9.2f\n", r.name, r.pages, f1, p, rec, mean, p50, parse50)
	if r.meta > 0 {
		fmt.Fprintf(w, "%-12s meta: title exact %d/%d (%.1f%%), lang %d/%d (%.1f%%), published %d/%d (%.1f%%), byline %d/%d (%.1f%%), byline name %d/%d (%.1f%%)\n",
			r.name, r.titleOK, r.meta, pct(r.titleOK, r.meta), r.langOK, r.langN, pct(r.langOK, r.langN),
			r.pubOK, r.pubN, pct(r.pubOK, r.pubN), r.bylineOK, r.byN, pct(r.bylineOK, r.byN), r.bylineName, r.byN, pct(r.bylineName, r.byN))
	}
}

// meanMedian returns the mean and the median of xs.
func meanMedian(xs []float64) (mean, median float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return mean / float64(len(xs)), s[len(s)/2]
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// refMeta is the part of meta/<id>.json the metadata score uses.
type refMeta struct {
	Title         *string `json:"title"`
	Byline        *string `json:"byline"`
	Lang          *string `json:"lang"`
	PublishedTime *string `json:"publishedTime"`
}

func evalSubset(cfg config, name string, stdout io.Writer) (*subsetResult, error) {
	dir := filepath.Join(cfg.set, name)
	entries, err := os.ReadDir(filepath.Join(dir, "html"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", name, err)
	}
	res := &subsetResult{name: name}
	if cfg.out != "" {
		if err := os.MkdirAll(filepath.Join(cfg.out, name), 0o755); err != nil {
			return nil, fmt.Errorf("create output: %w", err)
		}
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		id := strings.TrimSuffix(e.Name(), ".html")
		body, err := os.ReadFile(filepath.Join(dir, "html", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read page %s: %w", id, err)
		}
		truth, err := os.ReadFile(filepath.Join(dir, "expected", id+".txt"))
		if err != nil {
			return nil, fmt.Errorf("read truth %s: %w", id, err)
		}
		if cfg.scoreDir != "" {
			got, err := os.ReadFile(filepath.Join(cfg.scoreDir, name, id+".txt"))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("read output %s: %w", id, err)
			}
			p, r, ok := score(string(got), string(truth))
			res.pages++
			res.sumR += r
			if ok {
				res.sumP += p
				res.nonEmpty++
			}
			if cfg.verbose {
				fmt.Fprintf(stdout, "  %-10s %-28s P %.3f R %.3f\n", name, id, p, r)
			}
			continue
		}
		t0 := time.Now()
		if root, err := html.Parse(bytes.NewReader(decode.Decode(body, "").Text)); err == nil && root != nil {
			res.parseMS = append(res.parseMS, float64(time.Since(t0).Microseconds())/1000)
		}
		t0 = time.Now()
		a, xerr := extract.Extract(extract.Input{Body: body})
		res.ms = append(res.ms, float64(time.Since(t0).Microseconds())/1000)
		out := ""
		if a != nil {
			out = a.Text()
		}
		if xerr != nil && !errors.Is(xerr, extract.ErrNoContent) {
			res.failures++
		}
		p, r, ok := score(out, string(truth))
		res.pages++
		res.sumR += r
		if ok {
			res.sumP += p
			res.nonEmpty++
		}
		if cfg.verbose {
			fmt.Fprintf(stdout, "  %-10s %-28s P %.3f R %.3f\n", name, id, p, r)
		}
		if cfg.out != "" {
			if err := os.WriteFile(filepath.Join(cfg.out, name, id+".txt"), []byte(out+"\n"), 0o644); err != nil {
				return nil, fmt.Errorf("write output %s: %w", id, err)
			}
		}
		if raw, err := os.ReadFile(filepath.Join(dir, "meta", id+".json")); err == nil && name == "readability" {
			var m refMeta
			if json.Unmarshal(raw, &m) == nil {
				res.scoreMeta(m, a, cfg.verbose, id, stdout)
			}
		}
	}
	return res, nil
}

func (r *subsetResult) scoreMeta(m refMeta, a *extract.Article, verbose bool, id string, w io.Writer) {
	if a == nil {
		a = &extract.Article{}
	}
	r.meta++
	if m.Title != nil && fold(*m.Title) == fold(a.Title) {
		r.titleOK++
	} else if verbose && m.Title != nil {
		fmt.Fprintf(w, "    title %s: want %q got %q\n", id, *m.Title, a.Title)
	}
	if m.Lang != nil && *m.Lang != "" {
		r.langN++
		want := strings.ToLower(strings.SplitN(strings.SplitN(*m.Lang, "-", 2)[0], "_", 2)[0])
		if want == a.Lang {
			r.langOK++
		} else if verbose {
			fmt.Fprintf(w, "    lang %s: want %q got %q\n", id, *m.Lang, a.Lang)
		}
	}
	if m.PublishedTime != nil && *m.PublishedTime != "" {
		r.pubN++
		if sameTime(*m.PublishedTime, a.Published) {
			r.pubOK++
		} else if verbose {
			fmt.Fprintf(w, "    published %s: want %q got %v\n", id, *m.PublishedTime, a.Published)
		}
	}
	if m.Byline != nil && *m.Byline != "" {
		r.byN++
		if bylineName(*m.Byline) == bylineName(a.Byline) {
			r.bylineName++
		}
		if fold(*m.Byline) == fold(a.Byline) {
			r.bylineOK++
		} else if verbose {
			fmt.Fprintf(w, "    byline %s: want %q got %q\n", id, *m.Byline, a.Byline)
		}
	}
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// bylineName folds a byline and drops a leading label ("By", "Par",
// "Written by"): the reference bylines are Readability's, which keep the
// label when the page puts it inside the author element, and the
// extractor returns names without it. Nothing else is normalised, so a
// byline with a date or a menu still counts as wrong.
func bylineName(s string) string {
	s = fold(s)
	lower := strings.ToLower(s)
	for _, l := range []string{"written by ", "posted by ", "by: ", "by ", "par ", "por ", "von ", "oleh "} {
		if strings.HasPrefix(lower, l) {
			return strings.TrimSpace(s[len(l):])
		}
	}
	return s
}

// sameTime compares a reference time string with an extracted time: the
// same instant when the reference states a zone, the same wall-clock time
// when it does not, the same day when it has only a date.
func sameTime(ref string, got time.Time) bool {
	if got.IsZero() {
		return false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, ref); err == nil {
			return t.Equal(got)
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, ref); err == nil {
			y, mo, d := got.Date()
			return t.Equal(time.Date(y, mo, d, got.Hour(), got.Minute(), got.Second(), got.Nanosecond(), time.UTC))
		}
	}
	if t, err := time.Parse("2006-01-02", ref); err == nil {
		y, mo, d := got.Date()
		return t.Year() == y && t.Month() == mo && t.Day() == d
	}
	return false
}

// score compares output with truth by 4-token shingles. ok is false when
// the output is empty (its precision is then undefined).
func score(out, truth string) (p, r float64, ok bool) {
	o := shingles(tokens(out))
	t := shingles(tokens(truth))
	no, nt := total(o), total(t)
	matched := 0
	for s, c := range o {
		matched += min(c, t[s])
	}
	if nt > 0 {
		r = float64(matched) / float64(nt)
	} else if no == 0 {
		r = 1
	}
	if no == 0 {
		return 0, r, false
	}
	return float64(matched) / float64(no), r, true
}

func total(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// tokens splits s into maximal runs of Unicode letters, digits or
// underscore.
func tokens(s string) []string {
	var out []string
	start := -1
	for i, c := range s {
		word := unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_'
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// shingles counts the 4-token shingles of toks; a text of fewer than four
// tokens is one shingle.
func shingles(toks []string) map[string]int {
	m := map[string]int{}
	if len(toks) == 0 {
		return m
	}
	if len(toks) < 4 {
		m[strings.Join(toks, " ")]++
		return m
	}
	for i := 0; i+4 <= len(toks); i++ {
		m[strings.Join(toks[i:i+4], " ")]++
	}
	return m
}
