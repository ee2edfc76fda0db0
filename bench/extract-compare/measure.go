package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newspipe/newspipe/bench/extract-compare/internal/score"
)

// extractor is one contender: how to run it on a directory of pages.
type extractor struct {
	key   string // short name: -x, output directories
	label string // name in the tables
	// argv returns the command that extracts every page of in into out;
	// cpuFile, when not empty, asks for the in-process per-page CPU times
	// (only the competitor binaries have it).
	argv     func(cfg config, in, out, cpuFile string) []string
	selfTime bool
}

// extractors lists every contender, ours first.
func extractors() []extractor {
	x := func(bin string, extra ...string) func(config, string, string, string) []string {
		return func(cfg config, in, out, cpuFile string) []string {
			argv := append([]string{filepath.Join(cfg.work, "bin", bin)}, extra...)
			if cpuFile != "" {
				argv = append(argv, "-cpu", cpuFile)
			}
			return append(argv, in, out)
		}
	}
	return []extractor{
		{key: "newspipe", label: "newspipe (bin/cleaner extract)", argv: func(cfg config, in, out, _ string) []string {
			return []string{cfg.cleaner, "extract", "-workers", "1", in, out}
		}},
		{key: "readeck", label: "readeck go-readability v2.1.2", argv: x("x-readeck"), selfTime: true},
		{key: "readeck-fast", label: "readeck go-readability v2.1.2, x/net decode+parse", argv: x("x-readeck", "-fastparse"), selfTime: true},
		{key: "go-readability", label: "go-shiori go-readability", argv: x("x-go-readability"), selfTime: true},
		{key: "go-readability-fast", label: "go-shiori go-readability, x/net decode+parse", argv: x("x-go-readability", "-fastparse"), selfTime: true},
		{key: "trafilatura", label: "go-trafilatura v1.12.2", argv: x("x-trafilatura"), selfTime: true},
		{key: "trafilatura-fallback", label: "go-trafilatura v1.12.2 + fallback", argv: x("x-trafilatura", "-fallback"), selfTime: true},
		{key: "trafilatura-fast", label: "go-trafilatura v1.12.2, x/net decode+parse", argv: x("x-trafilatura", "-fastparse"), selfTime: true},
		{key: "floor", label: "all visible text (floor)", argv: x("x-floor"), selfTime: true},
	}
}

func allKeys() []string {
	var keys []string
	for _, x := range extractors() {
		keys = append(keys, x.key)
	}
	return keys
}

func selectExtractors(cfg config) ([]extractor, error) {
	all := extractors()
	if cfg.only == "" {
		return all, nil
	}
	var out []extractor
	for _, k := range strings.Split(cfg.only, ",") {
		i := slices.IndexFunc(all, func(x extractor) bool { return x.key == strings.TrimSpace(k) })
		if i < 0 {
			return nil, fmt.Errorf("unknown extractor %q (have %s)", k, strings.Join(allKeys(), ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}

// build compiles the cleaner in the workspace, as `make build` does, and
// the competitor binaries of this module outside it (GOWORK=off).
func build(cfg config) error {
	type step struct {
		dir       string
		workspace bool
		args      []string
	}
	steps := []step{
		{cfg.repo, true, []string{"build", "-o", cfg.cleaner, "./services/cleaner"}},
		{filepath.Join(cfg.repo, "bench", "extract-compare"), false, []string{"build", "-o", filepath.Join(cfg.work, "bin") + string(filepath.Separator), "./cmd/..."}},
	}
	if cfg.evalCheck {
		steps = append(steps, step{filepath.Join(cfg.repo, "services", "cleaner"), true, []string{"build", "-o", filepath.Join(cfg.work, "bin", "eval-extract"), "./cmd/eval-extract"}})
	}
	for _, s := range steps {
		cmd := exec.Command("go", s.args...)
		cmd.Dir = s.dir
		cmd.Env = withoutEnv(os.Environ(), "GOWORK")
		if !s.workspace {
			cmd.Env = append(cmd.Env, "GOWORK=off")
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go %s in %s: %w\n%s", strings.Join(s.args, " "), s.dir, err, out)
		}
	}
	return nil
}

func withoutEnv(env []string, key string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, key+"=") })
}

// runStats is what one process run cost.
type runStats struct {
	proc time.Duration   // user + system CPU of the whole process
	self []time.Duration // in-process per-page CPU, when asked for
	err  error           // the process failed (its outputs may be missing)
}

// execOnce runs x on in → out and returns its CPU times.
func execOnce(cfg config, x extractor, in, out string, wantSelf bool) runStats {
	cpuFile := ""
	if wantSelf && x.selfTime {
		cpuFile = filepath.Join(cfg.work, "cpu.tsv")
		_ = os.Remove(cpuFile)
	}
	argv := x.argv(cfg, in, out, cpuFile)
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	err := cmd.Run()
	var st runStats
	if cmd.ProcessState != nil {
		st.proc = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		st.err = fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, lastLine(stderr.String()))
		return st
	}
	if cpuFile != "" {
		b, rerr := os.ReadFile(cpuFile)
		if rerr != nil {
			st.err = fmt.Errorf("read %s cpu times: %w", x.key, rerr)
			return st
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			_, ns, _ := strings.Cut(line, "\t")
			if n, perr := strconv.ParseInt(ns, 10, 64); perr == nil {
				st.self = append(st.self, time.Duration(n))
			}
		}
	}
	return st
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// pageRuns holds the measurements of one extractor on one page.
type pageRuns struct {
	cold     []time.Duration // process CPU of each single-page run
	coldSelf []time.Duration // in-process CPU of the page in each single-page run
	warm     time.Duration   // process CPU of the run over cfg.warm copies
	warmSelf []time.Duration // in-process CPU of each copy in that run
	failures int
	p, r     float64
	empty    bool
}

// xResult holds one extractor's measurements on a subset.
type xResult struct {
	x     extractor
	noop  []time.Duration // process CPU of runs over an empty directory
	pages []pageRuns
	sum   score.Sum
}

// subsetResult holds a subset's measurements for every extractor.
type subsetResult struct {
	name  string
	ids   []string
	sizes []int
	xs    []*xResult
}

// measureSubset runs every extractor on every page of the subset, one
// page per process, interleaving the extractors page by page (and
// rotating their order) so that a change in the machine's load while the
// run goes on touches them all alike.
func measureSubset(cfg config, name string, xs []extractor, stderr, stdout io.Writer) (*subsetResult, error) {
	dir := filepath.Join(cfg.set, name)
	entries, err := os.ReadDir(filepath.Join(dir, "html"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", name, err)
	}
	res := &subsetResult{name: name}
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".html"); ok {
			res.ids = append(res.ids, id)
		}
	}
	if cfg.limit > 0 && len(res.ids) > cfg.limit {
		res.ids = res.ids[:cfg.limit]
	}
	empty := filepath.Join(cfg.work, "empty")
	one := filepath.Join(cfg.work, "one")
	many := filepath.Join(cfg.work, "many")
	scratch := filepath.Join(cfg.work, "scratch")
	for _, d := range []string{empty, scratch} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
	}
	for _, x := range xs {
		out := filepath.Join(cfg.work, "out", x.key, name)
		if err := os.RemoveAll(out); err != nil {
			return nil, fmt.Errorf("clear %s: %w", out, err)
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", out, err)
		}
		res.xs = append(res.xs, &xResult{x: x, pages: make([]pageRuns, len(res.ids))})
	}
	for i, id := range res.ids {
		body, err := os.ReadFile(filepath.Join(dir, "html", id+".html"))
		if err != nil {
			return nil, fmt.Errorf("read page %s: %w", id, err)
		}
		res.sizes = append(res.sizes, len(body))
		if err := pageDir(one, id, body, 1); err != nil {
			return nil, err
		}
		if cfg.warm > 0 {
			if err := pageDir(many, id, body, cfg.warm); err != nil {
				return nil, err
			}
		}
		fmt.Fprintf(stderr, "\r%s %d/%d %-24s", name, i+1, len(res.ids), id)
		for j := range res.xs {
			xr := res.xs[(i+j)%len(res.xs)]
			pr := &xr.pages[i]
			if st := execOnce(cfg, xr.x, empty, scratch, false); st.err == nil {
				xr.noop = append(xr.noop, st.proc)
			}
			out := filepath.Join(cfg.work, "out", xr.x.key, name)
			for range cfg.reps {
				st := execOnce(cfg, xr.x, one, out, true)
				if st.err != nil {
					pr.failures++
					if cfg.verbose {
						fmt.Fprintf(stderr, "\n%v\n", st.err)
					}
					continue
				}
				pr.cold = append(pr.cold, st.proc)
				pr.coldSelf = append(pr.coldSelf, st.self...)
			}
			if cfg.warm > 0 {
				if st := execOnce(cfg, xr.x, many, scratch, true); st.err == nil {
					pr.warm = st.proc
					if len(st.self) > 1 {
						pr.warmSelf = st.self[1:] // the first copy pays the one-time costs
					}
				} else {
					pr.failures++
				}
			}
		}
	}
	fmt.Fprintf(stderr, "\r%-60s\r", "")
	for _, xr := range res.xs {
		for i, id := range res.ids {
			truth, err := os.ReadFile(filepath.Join(dir, "expected", id+".txt"))
			if err != nil {
				return nil, fmt.Errorf("read truth %s: %w", id, err)
			}
			got, err := os.ReadFile(filepath.Join(cfg.work, "out", xr.x.key, name, id+".txt"))
			if err != nil && !os.IsNotExist(err) {
				return nil, fmt.Errorf("read %s output %s: %w", xr.x.key, id, err)
			}
			pr := &xr.pages[i]
			var ok bool
			pr.p, pr.r, ok = xr.sum.Add(string(got), string(truth))
			pr.empty = !ok
			if cfg.verbose {
				fmt.Fprintf(stdout, "  %-12s %-22s %-10s P %.3f R %.3f cold %6.2f ms\n", name, xr.x.key, id, pr.p, pr.r, ms(xr.coldNet(i)))
			}
		}
	}
	return res, nil
}

// pageDir makes dir hold exactly n copies of the page: <id>.html when n
// is 1, else <id>-00.html … .
func pageDir(dir, id string, body []byte, n int) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("clear %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	for k := range n {
		name := id + ".html"
		if n > 1 {
			name = fmt.Sprintf("%s-%02d.html", id, k)
		}
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			return fmt.Errorf("write page copy: %w", err)
		}
	}
	return nil
}
