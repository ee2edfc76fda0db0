// Command x-readeck runs readeck's fork of go-readability
// (codeberg.org/readeck/go-readability/v2) over IN_DIR into OUT_DIR (see
// internal/runner):
//
//	x-readeck [-fastparse] [-cpu FILE] IN_DIR OUT_DIR
//
// By default the page goes in as raw bytes through FromReader, which
// decodes it itself (go-shiori/dom.Parse: chardet over the whole page,
// then NFC normalisation). With -fastparse the page is decoded and parsed
// by internal/htmldoc (x/net's charset sniffing and parser) and handed to
// ParseAndMutate. The text is the library's own rendering,
// Article.RenderText (innerText, a line per block).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"

	"github.com/newspipe/newspipe/bench/extract-compare/internal/htmldoc"
	"github.com/newspipe/newspipe/bench/extract-compare/internal/runner"
)

func main() {
	fs := flag.NewFlagSet("x-readeck", flag.ContinueOnError)
	fast := fs.Bool("fastparse", false, "decode and parse with x/net, not the library's own decoder")
	os.Exit(runner.Main(fs, os.Args[1:], func(body []byte, pageURL string) (string, error) {
		return extract(body, pageURL, *fast)
	}, os.Stderr))
}

func extract(body []byte, pageURL string, fast bool) (string, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("parse url: %w", err)
	}
	var a readability.Article
	if fast {
		doc, perr := htmldoc.Parse(body, "")
		if perr != nil {
			return "", perr
		}
		p := readability.NewParser()
		a, err = p.ParseAndMutate(doc, u)
	} else {
		a, err = readability.FromReader(bytes.NewReader(body), u)
	}
	if err != nil {
		return "", fmt.Errorf("readeck go-readability: %w", err)
	}
	if a.Node == nil {
		return "", nil // no article found: an empty output, not a failure
	}
	var sb strings.Builder
	if err := a.RenderText(&sb); err != nil {
		return "", fmt.Errorf("readeck go-readability: render text: %w", err)
	}
	return sb.String(), nil
}
