// Command x-trafilatura runs github.com/markusmobius/go-trafilatura over
// IN_DIR into OUT_DIR (see internal/runner):
//
//	x-trafilatura [-fallback] [-fastparse] [-cpu FILE] IN_DIR OUT_DIR
//
// By default the page goes in as raw bytes through Extract, which decodes
// it itself (go-shiori/dom.Parse: chardet, then NFC); with -fastparse it
// is decoded and parsed by internal/htmldoc and handed to
// ExtractDocument. The options are those of the library's own comparison
// script (scripts/comparison/content.go): comments excluded, tables kept,
// balanced focus, the rest at their defaults; -fallback sets
// EnableFallback (readability and DOM Distiller as candidates, and the
// extensive date search). The text is ExtractResult.ContentText.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/url"
	"os"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/newspipe/newspipe/bench/extract-compare/internal/htmldoc"
	"github.com/newspipe/newspipe/bench/extract-compare/internal/runner"
)

func main() {
	fs := flag.NewFlagSet("x-trafilatura", flag.ContinueOnError)
	fallback := fs.Bool("fallback", false, "enable the fallback extractors (readability, DOM Distiller)")
	fast := fs.Bool("fastparse", false, "decode and parse with x/net, not the library's own decoder")
	os.Exit(runner.Main(fs, os.Args[1:], func(body []byte, pageURL string) (string, error) {
		return extract(body, pageURL, *fallback, *fast)
	}, os.Stderr))
}

func extract(body []byte, pageURL string, fallback, fast bool) (string, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("parse url: %w", err)
	}
	opts := trafilatura.Options{
		OriginalURL:     u,
		EnableFallback:  fallback,
		ExcludeComments: true,
		Focus:           trafilatura.Balanced,
	}
	var res *trafilatura.ExtractResult
	if fast {
		doc, perr := htmldoc.Parse(body, "")
		if perr != nil {
			return "", perr
		}
		res, err = trafilatura.ExtractDocument(doc, opts)
	} else {
		res, err = trafilatura.Extract(bytes.NewReader(body), opts)
	}
	if err != nil {
		return "", fmt.Errorf("go-trafilatura: %w", err)
	}
	return res.ContentText, nil
}
