// Package htmldoc decodes and parses a page the cheapest standard way:
// golang.org/x/net/html/charset's DetermineEncoding (a BOM, the
// Content-Type charset, a <meta charset> in the first 1024 bytes, else
// UTF-8 when the bytes are valid UTF-8, else windows-1252), then
// golang.org/x/net/html. It is what the floor uses, and what the harness's
// "-fastparse" variants hand to a competitor's document API in place of
// the competitor's own decoder.
package htmldoc

import (
	"bytes"
	"fmt"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Parse decodes body to UTF-8 and parses it. contentType is the HTTP
// Content-Type header and may be empty.
func Parse(body []byte, contentType string) (*html.Node, error) {
	enc, _, _ := charset.DetermineEncoding(body, contentType)
	// BOMOverride drops a byte-order mark, which the plain decoder would
	// leave in the text.
	text, _, err := transform.Bytes(unicode.BOMOverride(enc.NewDecoder()), body)
	if err != nil {
		return nil, fmt.Errorf("decode page: %w", err)
	}
	doc, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parse page: %w", err)
	}
	return doc, nil
}
