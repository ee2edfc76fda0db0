// Package decode turns fetched page bytes in any charset into UTF-8 without
// garbling them. The charset is taken, in order, from a byte-order mark, the
// HTTP Content-Type header, the bytes being valid UTF-8, a <meta charset> or
// http-equiv declaration anywhere in the document head, and finally from
// statistics of the bytes themselves.
package decode

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// Source says where the charset that Decode used came from.
type Source string

// The places a charset can come from, in the order Decode trusts them.
const (
	SourceBOM         Source = "bom"
	SourceHeader      Source = "header"
	SourceUTF8        Source = "utf8-valid"
	SourceMeta        Source = "meta"
	SourceDetected    Source = "detected"
	SourceASCII       Source = "ascii"
	SourceUnspecified Source = ""
)

// Result is a decoded page.
type Result struct {
	// Text is the page as UTF-8, always valid UTF-8.
	Text []byte
	// Charset is the canonical WHATWG name of the charset used ("utf-8",
	// "windows-1251", "gbk", …).
	Charset string
	// Source says how Charset was chosen.
	Source Source
}

// maxMetaScan bounds how far into the bytes Decode looks for a <meta>
// charset declaration when it finds no end of the head first.
const maxMetaScan = 1 << 20

// Decode converts body to UTF-8. contentType is the HTTP Content-Type header
// value and may be empty. Decode never fails on a charset it cannot
// recognise: it falls back to detection, and invalid sequences become U+FFFD.
func Decode(body []byte, contentType string) Result {
	if name, n := bomCharset(body); name != "" {
		return finish(body[n:], name, SourceBOM)
	}
	if label := ctCharset(contentType); label != "" {
		if enc, name := lookup(label); enc != nil {
			// Servers often label UTF-8 pages as Latin-1; a body that is
			// valid UTF-8 with multi-byte sequences is not Latin-1 text.
			if !(isLatin1Label(name) && utf8.Valid(body) && hasNonASCII(body)) {
				return convert(body, enc, name, SourceHeader)
			}
		}
	}
	if utf8.Valid(body) {
		if !hasNonASCII(body) {
			return Result{Text: body, Charset: "utf-8", Source: SourceASCII}
		}
		return Result{Text: body, Charset: "utf-8", Source: SourceUTF8}
	}
	if label := metaCharset(body); label != "" {
		if enc, name := lookup(label); enc != nil && name != "utf-8" && !isUTF16(name) {
			return convert(body, enc, name, SourceMeta)
		}
	}
	name := Detect(body)
	enc, name := lookup(name)
	return convert(body, enc, name, SourceDetected)
}

// DecodeAs converts body from the charset named by label to UTF-8.
func DecodeAs(body []byte, label string) (Result, error) {
	enc, name := lookup(label)
	if enc == nil {
		return Result{}, fmt.Errorf("decode as %q: %w", label, ErrUnknownCharset)
	}
	return convert(body, enc, name, SourceUnspecified), nil
}

func finish(body []byte, name string, src Source) Result {
	enc, name := lookup(name)
	return convert(body, enc, name, src)
}

func convert(body []byte, enc encoding.Encoding, name string, src Source) Result {
	if name == "utf-8" {
		if !utf8.Valid(body) {
			body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		}
		return Result{Text: body, Charset: name, Source: src}
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil || !utf8.Valid(out) {
		// x/text decoders replace bad input themselves; this is a last
		// guard so callers can rely on valid UTF-8.
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return Result{Text: out, Charset: name, Source: src}
}

// lookup returns the encoding for a label and its canonical name; nil when
// the label is unknown. "utf-8" gets a nil-safe identity.
func lookup(label string) (encoding.Encoding, string) {
	enc, name := charset.Lookup(label)
	if enc == nil {
		return nil, ""
	}
	return enc, name
}

func isLatin1Label(name string) bool {
	return name == "windows-1252" || name == "iso-8859-1" || name == "us-ascii"
}

func isUTF16(name string) bool { return name == "utf-16le" || name == "utf-16be" }

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func bomCharset(b []byte) (string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8", 3
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return "utf-16le", 2
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "utf-16be", 2
	}
	return "", 0
}

// ctCharset returns the charset parameter of a Content-Type value.
func ctCharset(ct string) string {
	return charsetParam([]byte(ct))
}

// charsetParam finds "charset=" in s (case-insensitively) and returns its
// value, unquoted.
func charsetParam(s []byte) string {
	for i := 0; i+8 <= len(s); i++ {
		if !equalFoldASCII(s[i:i+7], "charset") {
			continue
		}
		j := i + 7
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			continue
		}
		j++
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '"' || s[j] == '\'') {
			j++
		}
		k := j
		for k < len(s) && s[k] != '"' && s[k] != '\'' && s[k] != ';' && s[k] != ' ' && s[k] != '>' && s[k] != '/' && s[k] != ',' {
			k++
		}
		if k > j {
			return string(s[j:k])
		}
	}
	return ""
}

func equalFoldASCII(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// metaCharset scans every <meta> tag before </head> (or <body>) for a
// charset attribute or an http-equiv Content-Type declaration. Unlike the
// HTML5 prescan it does not stop after 1024 bytes: real pages put their
// declaration after kilobytes of scripts and styles.
func metaCharset(b []byte) string {
	if len(b) > maxMetaScan {
		b = b[:maxMetaScan]
	}
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return ""
		}
		i += j + 1
		if i+5 > len(b) {
			return ""
		}
		switch {
		case equalFoldASCII(b[i:i+4], "meta"):
			end := bytes.IndexByte(b[i:], '>')
			if end < 0 {
				end = len(b) - i
			}
			tag := b[i+4 : i+end]
			if v := metaTagCharset(tag); v != "" {
				return v
			}
			i += end
		case equalFoldASCII(b[i:i+5], "/head"), equalFoldASCII(b[i:i+4], "body"):
			return ""
		case i+3 <= len(b) && b[i] == '!' && b[i+1] == '-' && b[i+2] == '-':
			end := bytes.Index(b[i:], []byte("-->"))
			if end < 0 {
				return ""
			}
			i += end + 3
		}
	}
	return ""
}

// metaTagCharset reads the attributes of one <meta …> tag.
func metaTagCharset(tag []byte) string {
	if v := strings.TrimRight(attrValue(tag, "charset"), "/"); v != "" {
		return v
	}
	if equalFoldString(attrValue(tag, "http-equiv"), "content-type") {
		return charsetParam([]byte(attrValue(tag, "content")))
	}
	return ""
}

func equalFoldString(a, lower string) bool { return equalFoldASCII([]byte(a), lower) }

// attrValue returns the value of attribute name in a raw tag body, reading
// attributes as the HTML tokenizer does so that text inside another
// attribute's value is never taken for an attribute.
func attrValue(tag []byte, name string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	i := 0
	for i < len(tag) {
		for i < len(tag) && (isSpace(tag[i]) || tag[i] == '/') {
			i++
		}
		start := i
		for i < len(tag) && !isSpace(tag[i]) && tag[i] != '=' && tag[i] != '/' && tag[i] != '>' {
			i++
		}
		key := tag[start:i]
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		var val []byte
		if i < len(tag) && tag[i] == '=' {
			i++
			for i < len(tag) && isSpace(tag[i]) {
				i++
			}
			if i < len(tag) && (tag[i] == '"' || tag[i] == '\'') {
				q := tag[i]
				i++
				k := bytes.IndexByte(tag[i:], q)
				if k < 0 {
					val, i = tag[i:], len(tag)
				} else {
					val, i = tag[i:i+k], i+k+1
				}
			} else {
				vs := i
				for i < len(tag) && !isSpace(tag[i]) && tag[i] != '>' {
					i++
				}
				val = tag[vs:i]
			}
		}
		if equalFoldASCII(key, name) {
			return string(val)
		}
		if len(key) == 0 && i < len(tag) && start == i {
			i++ // a stray byte such as '>' or '='
		}
	}
	return ""
}
