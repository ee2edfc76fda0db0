// Command extract-compare measures newspipe's article extractor side by
// side with the open-source Go extractors named in issue 3, on the pages
// of ../shared/extraction-dev, with one scorer and one CPU-time measure.
//
// Usage, from bench/extract-compare (a module outside go.work, so that
// the services never pull the competitors in):
//
//	GOWORK=off go run . [-subset NAME] [-x LIST] [-reps N] [-warm K] [-eval-check]
//
// Every extractor runs as its own process on a directory holding one
// page, given the page's raw bytes: newspipe as `bin/cleaner extract
// -workers 1 IN OUT`, each competitor as a small binary of this module
// (cmd/x-*) that reads IN/<id>.html and writes OUT/<id>.txt the same way.
// See README.md for the measures and the figures.
//
// It exits 0 with "skipped: …" when the development set is absent.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is the command line.
type config struct {
	set       string
	repo      string
	cleaner   string
	work      string
	subset    string
	only      string
	reps      int
	warm      int
	limit     int
	build     bool
	evalCheck bool
	verbose   bool
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("extract-compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.set, "set", "", "extraction-dev directory (default: $NEWSPIPE_SHARED/extraction-dev or <repo>/../shared/extraction-dev)")
	fs.StringVar(&cfg.repo, "repo", "", "newspipe repository root (default: the directory above holding go.work)")
	fs.StringVar(&cfg.cleaner, "cleaner", "", "the cleaner binary (default <repo>/bin/cleaner)")
	fs.StringVar(&cfg.work, "work", "", "work directory for binaries, page dirs and outputs (default: a new temporary directory, kept)")
	fs.StringVar(&cfg.subset, "subset", "", "measure only this subset")
	fs.StringVar(&cfg.only, "x", "", "comma-separated extractor keys to run (default all: "+strings.Join(allKeys(), ",")+")")
	fs.IntVar(&cfg.reps, "reps", 5, "single-page runs per page and extractor (the page's figure is their median)")
	fs.IntVar(&cfg.warm, "warm", 10, "copies of the page in one process for the warm figure; 0 skips it")
	fs.IntVar(&cfg.limit, "limit", 0, "measure only the first N pages of each subset (0: all)")
	fs.BoolVar(&cfg.build, "build", true, "build bin/cleaner and the competitor binaries first")
	fs.BoolVar(&cfg.evalCheck, "eval-check", false, "also score every output directory with services/cleaner/cmd/eval-extract and compare")
	fs.BoolVar(&cfg.verbose, "v", false, "print per-page figures")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if cfg.reps < 1 {
		fmt.Fprintln(stderr, "extract-compare: -reps must be at least 1")
		return 2
	}
	if err := compare(cfg, stdout, stderr); err != nil {
		if errors.Is(err, errSkipped) {
			fmt.Fprintln(stdout, "skipped:", err)
			return 0
		}
		fmt.Fprintln(stderr, "extract-compare:", err)
		return 1
	}
	return 0
}

// errSkipped marks a run that cannot happen on this machine for want of
// the development set; it is not a failure.
var errSkipped = errors.New("../shared/extraction-dev not found")

func compare(cfg config, stdout, stderr io.Writer) error {
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("working directory: %w", err)
	}
	if cfg.set == "" {
		if shared := sharedDir(wd); shared != "" {
			cfg.set = filepath.Join(shared, "extraction-dev")
		}
	}
	if cfg.set == "" || !isDir(cfg.set) {
		return errSkipped
	}
	if cfg.repo == "" {
		if cfg.repo = upTo(wd, "go.work"); cfg.repo == "" {
			return errors.New("no go.work above the working directory: give -repo")
		}
	}
	if cfg.cleaner == "" {
		cfg.cleaner = filepath.Join(cfg.repo, "bin", "cleaner")
	}
	if cfg.work == "" {
		if cfg.work, err = os.MkdirTemp("", "extract-compare-"); err != nil {
			return fmt.Errorf("create work dir: %w", err)
		}
	}
	xs, err := selectExtractors(cfg)
	if err != nil {
		return err
	}
	if cfg.build {
		if err := build(cfg); err != nil {
			return err
		}
	}
	subsets, err := listSubsets(cfg.set, cfg.subset)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "set %s, work dir %s, %d runs per page, warm %d copies\n", cfg.set, cfg.work, cfg.reps, cfg.warm)
	fmt.Fprintf(stdout, "newspipe %s, %s\n\n", repoVersion(cfg.repo), runtime.Version())
	var all []*subsetResult
	for _, s := range subsets {
		res, err := measureSubset(cfg, s, xs, stderr, stdout)
		if err != nil {
			return err
		}
		res.print(stdout, cfg)
		all = append(all, res)
	}
	if err := writePages(filepath.Join(cfg.work, "pages.tsv"), all, cfg.warm); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "per-page figures: %s\n", filepath.Join(cfg.work, "pages.tsv"))
	if cfg.evalCheck {
		if cfg.limit > 0 {
			fmt.Fprintln(stdout, "scorer check skipped: eval-extract scores whole subsets, and -limit cut them")
			return nil
		}
		return evalCheck(cfg, all, stdout)
	}
	return nil
}

// repoVersion names the commit the cleaner was built from, and says
// whether services/cleaner had uncommitted changes.
func repoVersion(repo string) string {
	head, err := exec.Command("git", "-C", repo, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "at an unknown commit"
	}
	v := "at " + strings.TrimSpace(string(head))
	if st, err := exec.Command("git", "-C", repo, "status", "--porcelain", "--", "services/cleaner").Output(); err == nil && len(st) > 0 {
		v += " with uncommitted changes in services/cleaner"
	}
	return v
}

// sharedDir finds the shared data directory as every newspipe tool does:
// $NEWSPIPE_SHARED, else a "shared" directory next to some ancestor of
// the working directory.
func sharedDir(wd string) string {
	if d := os.Getenv("NEWSPIPE_SHARED"); d != "" {
		if isDir(d) {
			return d
		}
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

// upTo returns the nearest ancestor of dir (dir included) holding name.
func upTo(dir, name string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, name)); err == nil {
			return d
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

// listSubsets returns the subsets of set (directories with an html/
// directory), or only the one named.
func listSubsets(set, only string) ([]string, error) {
	entries, err := os.ReadDir(set)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", set, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && isDir(filepath.Join(set, e.Name(), "html")) && (only == "" || e.Name() == only) {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no subset %q in %s", only, set)
	}
	return out, nil
}
