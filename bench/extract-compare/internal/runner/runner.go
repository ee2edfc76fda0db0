// Package runner is the command loop shared by the competitor binaries of
// the harness. Each binary runs as `x-NAME IN_DIR OUT_DIR`, exactly like
// `cleaner extract IN_DIR OUT_DIR`: it reads every IN_DIR/<name>.html (or
// .htm) as raw bytes, one page at a time, hands the bytes to its
// extractor, and writes OUT_DIR/<name>.txt. The harness times whole
// processes, so whatever the extractor does with the bytes (decoding,
// parsing, extraction, rendering its text) is in its figure.
//
// With -cpu FILE a binary also appends, for each page, the process CPU
// time (user and system, all threads) spent from reading the page to
// writing its text: the same work as the harness's process-level figure
// without the process start-up, which for go-trafilatura (whose date
// parser builds its tables at init) is about 150 ms and too noisy to
// subtract.
package runner

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// PageURL is the URL every extractor is given for every page: the
// development set records none, and this is the one Readability.js's own
// test pages are parsed with.
const PageURL = "http://fakehost/test/page.html"

// ExtractFunc returns the article text of one page given its raw bytes
// and URL.
type ExtractFunc func(body []byte, pageURL string) (string, error)

// Run extracts every page of inDir into outDir. A page that fails or
// panics gets an empty .txt and a line on stderr and does not stop the
// run, as in `cleaner extract`. When cpu is not nil, Run writes to it a
// line "<name>\t<nanoseconds>" per page: the process CPU time from
// reading the page to writing its text. It returns an error only when it
// cannot list, read or write.
func Run(inDir, outDir string, extract ExtractFunc, stderr, cpu io.Writer) error {
	entries, err := os.ReadDir(inDir)
	if err != nil {
		return fmt.Errorf("list input dir %s: %w", inDir, err)
	}
	var names []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".html", ".htm":
			if !e.IsDir() {
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("create output dir %s: %w", outDir, err)
	}
	for _, name := range names {
		start := processCPU()
		body, err := os.ReadFile(filepath.Join(inDir, name))
		if err != nil {
			return fmt.Errorf("read page: %w", err)
		}
		text, err := safely(extract, body)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			text = ""
		}
		if text != "" {
			text += "\n"
		}
		base := strings.TrimSuffix(name, filepath.Ext(name))
		if err := os.WriteFile(filepath.Join(outDir, base+".txt"), []byte(text), 0o644); err != nil {
			return fmt.Errorf("write %s text: %w", base, err)
		}
		if cpu != nil {
			if _, err := fmt.Fprintf(cpu, "%s\t%d\n", name, processCPU()-start); err != nil {
				return fmt.Errorf("write cpu time: %w", err)
			}
		}
	}
	return nil
}

// safely calls extract and turns a panic into an error: a competitor
// that crashes on one page should lose that page, not the run.
func safely(extract ExtractFunc, body []byte) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return extract(body, PageURL)
}

// Main is the whole main function of a competitor binary. fs carries the
// binary's own flags, if any (the extract function reads them when it is
// called, after parsing); Main adds -cpu, parses args into fs, expects
// IN_DIR OUT_DIR and returns the exit code.
func Main(fs *flag.FlagSet, args []string, extract ExtractFunc, stderr io.Writer) int {
	fs.SetOutput(stderr)
	cpuFile := fs.String("cpu", "", "append each page's process CPU time (ns) to this file")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s [flags] IN_DIR OUT_DIR\n", fs.Name())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	var cpu io.Writer
	if *cpuFile != "" {
		f, err := os.OpenFile(*cpuFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
			return 1
		}
		defer f.Close()
		cpu = f
	}
	if err := Run(fs.Arg(0), fs.Arg(1), extract, stderr, cpu); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return 1
	}
	return 0
}
