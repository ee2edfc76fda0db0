// Command x-go-readability runs github.com/go-shiori/go-readability over
// IN_DIR into OUT_DIR (see internal/runner):
//
//	x-go-readability [-fastparse] [-cpu FILE] IN_DIR OUT_DIR
//
// By default the page goes in as raw bytes through FromReader, which
// decodes it itself (go-shiori/dom.Parse: chardet, then NFC). With
// -fastparse the page is decoded and parsed by internal/htmldoc and handed
// to FromDocument (which clones it: the library has no mutating
// variant). The text is the library's Article.TextContent.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/url"
	"os"

	readability "github.com/go-shiori/go-readability"

	"github.com/newspipe/newspipe/bench/extract-compare/internal/htmldoc"
	"github.com/newspipe/newspipe/bench/extract-compare/internal/runner"
)

func main() {
	fs := flag.NewFlagSet("x-go-readability", flag.ContinueOnError)
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
		a, err = readability.FromDocument(doc, u)
	} else {
		a, err = readability.FromReader(bytes.NewReader(body), u)
	}
	if err != nil {
		return "", fmt.Errorf("go-readability: %w", err)
	}
	return a.TextContent, nil
}
