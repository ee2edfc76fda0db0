// Package mend repairs documents before they are parsed, so that parsers
// see well-formed UTF-8 instead of failing on what the real internet
// serves: a feed in windows-1251 that declares UTF-8, a GB2312 sitemap, a
// control character in a title, a bare "&" in a headline. The parsers stay
// strict about structure; only the input is mended.
//
// It is plain Go: bytes in, bytes out, and a Report of what was changed.
package mend

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Report says what mending changed, for logs and metrics.
type Report struct {
	// Charset is the encoding the input was read as (a WHATWG name, such
	// as "utf-8", "windows-1251", "gbk").
	Charset string
	// Declared is the charset the server or the document claimed, if any.
	Declared string
	// Detected is true when Charset was guessed from the bytes because the
	// declaration was missing or wrong.
	Detected bool
	// Replaced counts byte sequences invalid in Charset, turned into U+FFFD.
	Replaced int
	// Removed counts characters XML forbids (C0 controls, U+FFFE, U+FFFF),
	// dropped.
	Removed int
	// Escaped counts bare "&" that began no entity, written as "&amp;".
	Escaped int
}

// Changed reports whether mending did more than read declared UTF-8.
func (r Report) Changed() bool {
	return r.Detected || r.Replaced > 0 || r.Removed > 0 || r.Escaped > 0 || r.Charset != "utf-8"
}

// Hint is what the caller knows of a document's encoding besides its bytes.
type Hint struct {
	// Override, if set, is the encoding to use whatever is declared (a
	// source's charset in sources.yaml).
	Override string
	// Header is the charset parameter of the Content-Type header.
	Header string
	// Lang is the language the source publishes in, which narrows the
	// guess when the declaration is wrong ("ru": windows-1251, koi8-r).
	Lang string
}

var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["'][^>]*\?>`)

// XML returns data as UTF-8 XML: decoded from whatever encoding it is
// really in (see Decode), its XML declaration saying UTF-8, characters XML
// forbids removed, and bare ampersands escaped outside CDATA sections and
// comments. JSON and other non-XML input is only decoded.
func XML(data []byte, h Hint) ([]byte, Report) {
	var declared []string
	if m := xmlDecl.FindSubmatch(data); m != nil {
		declared = append(declared, string(m[1]))
	}
	out, rep := decode(data, h, declared)
	trimmed := bytes.TrimLeft(out, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '<' {
		return out, rep
	}
	if m := xmlDecl.FindSubmatchIndex(out); m != nil {
		out = append(append(append([]byte{}, out[:m[2]]...), "UTF-8"...), out[m[3]:]...)
	}
	out, rep.Removed = removeForbidden(out)
	out, rep.Escaped = escapeAmpersands(out)
	return out, rep
}

// HTML returns an HTML page as UTF-8, read in the encoding the override,
// the header or the page's own <meta> declares, or, where that is wrong,
// the one its bytes show.
func HTML(data []byte, h Hint) ([]byte, Report) {
	var declared []string
	if cs := metaCharset(data); cs != "" {
		declared = append(declared, cs)
	}
	return decode(data, h, declared)
}

// Decode returns data as UTF-8, given what is declared of it. The rules,
// in order:
//
//  1. An override wins.
//  2. A byte-order mark wins over any declaration.
//  3. Bytes that are valid UTF-8 and not plain ASCII are UTF-8, whatever
//     is declared: text in another encoding almost never is.
//  4. A declared encoding other than UTF-8 is used (the header's first,
//     then the document's).
//  5. Otherwise (declared UTF-8, or nothing, but the bytes are not UTF-8)
//     the encoding is guessed among those likely for the language, by how
//     plausible the decoded text is.
func Decode(data []byte, h Hint) ([]byte, Report) { return decode(data, h, nil) }

func decode(data []byte, h Hint, docDeclared []string) ([]byte, Report) {
	var rep Report
	declared := append([]string{h.Header}, docDeclared...)
	for _, d := range declared {
		if d != "" {
			rep.Declared = strings.ToLower(d)
			break
		}
	}
	if enc, name := lookup(h.Override); enc != nil {
		return run(enc, name, data, rep)
	}
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		return run(encoding.Nop, "utf-8", data[3:], rep)
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		return run(xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), "utf-16le", data, rep)
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		return run(xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), "utf-16be", data, rep)
	}
	if utf8.Valid(data) {
		rep.Charset = "utf-8"
		if rep.Declared != "" && !isUTF8(rep.Declared) && !ascii(data) {
			rep.Detected = true // declared otherwise, but it is UTF-8
		}
		return data, rep
	}
	for _, d := range declared {
		if enc, name := lookup(d); enc != nil && name != "utf-8" {
			return run(enc, name, data, rep)
		}
	}
	enc, name := guess(data, h.Lang)
	rep.Detected = true
	return run(enc, name, data, rep)
}

func run(enc encoding.Encoding, name string, data []byte, rep Report) ([]byte, Report) {
	rep.Charset = name
	if enc == encoding.Nop {
		out := bytes.ToValidUTF8(data, []byte("\uFFFD"))
		rep.Replaced = bytes.Count(out, []byte("\uFFFD")) - bytes.Count(data, []byte("\uFFFD"))
		return out, rep
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil { // decoders replace rather than fail; keep the input if one does not
		return bytes.ToValidUTF8(data, []byte("\uFFFD")), rep
	}
	rep.Replaced = bytes.Count(out, []byte("\uFFFD")) - bytes.Count(data, []byte("\uFFFD"))
	return out, rep
}

// lookup returns the encoding a WHATWG label names, and its canonical name;
// UTF-8 comes back as encoding.Nop.
func lookup(label string) (encoding.Encoding, string) {
	label = strings.ToLower(strings.TrimSpace(label))
	if label == "" {
		return nil, ""
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, _ := htmlindex.Name(enc)
	if name == "utf-8" {
		return encoding.Nop, name
	}
	return enc, name
}

func isUTF8(label string) bool {
	_, name := lookup(label)
	return name == "utf-8"
}

func ascii(data []byte) bool {
	for _, b := range data {
		if b >= 0x80 {
			return false
		}
	}
	return true
}

// candidates are the encodings tried, by language, when the declaration is
// wrong: those in which that language's sites have been published.
func candidates(lang string) []string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	switch base {
	case "ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn":
		return []string{"windows-1251", "koi8-r", "ibm866", "iso-8859-5", "windows-1252"}
	case "zh":
		return []string{"gb18030", "big5", "windows-1252"}
	case "ja":
		return []string{"shift_jis", "euc-jp", "iso-2022-jp", "windows-1252"}
	case "ko":
		return []string{"euc-kr", "windows-1252"}
	case "pl", "cs", "sk", "hu", "sl", "hr", "ro":
		return []string{"windows-1250", "iso-8859-2", "windows-1252"}
	case "el":
		return []string{"windows-1253", "iso-8859-7", "windows-1252"}
	case "tr":
		return []string{"windows-1254", "windows-1252"}
	case "ar", "fa", "ur":
		return []string{"windows-1256", "iso-8859-6", "windows-1252"}
	case "he":
		return []string{"windows-1255", "windows-1252"}
	case "th":
		return []string{"windows-874", "windows-1252"}
	case "vi":
		return []string{"windows-1258", "windows-1252"}
	}
	return []string{"windows-1252", "windows-1251", "gb18030", "shift_jis", "euc-kr", "big5", "koi8-r", "windows-1250"}
}

// guess decodes data with each candidate and keeps the most plausible.
func guess(data []byte, lang string) (encoding.Encoding, string) {
	sample := data
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	var bestEnc encoding.Encoding
	bestName, bestScore := "", 0
	for i, label := range candidates(lang) {
		enc, name := lookup(label)
		if enc == nil {
			continue
		}
		out, err := enc.NewDecoder().Bytes(sample)
		if err != nil {
			continue
		}
		if s := plausibility(out); bestEnc == nil || s > bestScore || (s == bestScore && i == 0) {
			bestEnc, bestName, bestScore = enc, name, s
		}
	}
	if bestEnc == nil {
		return encoding.Nop, "utf-8"
	}
	return bestEnc, bestName
}

// plausibility scores decoded text: high for words of one script with the
// case patterns of real text, low for the mojibake a wrong encoding makes
// (replacement characters, C1 controls, words mixing scripts, Latin words
// made only of accented letters, words of capitals after the first).
func plausibility(text []byte) int {
	score := 0
	var word []rune
	flush := func() {
		if len(word) > 0 {
			score += wordScore(word)
			word = word[:0]
		}
	}
	for _, r := range string(text) {
		switch {
		case r == utf8.RuneError:
			flush()
			score -= 8
		case r >= 0x80 && r <= 0x9f:
			flush()
			score -= 8
		case unicode.IsLetter(r):
			word = append(word, r)
		case unicode.IsMark(r):
			if len(word) > 0 {
				word = append(word, r)
			}
		default:
			flush()
			if r >= 0x80 && !unicode.IsSpace(r) && !unicode.IsPunct(r) {
				score-- // stray symbols: §, ¤, ¦, box drawing
			}
		}
	}
	flush()
	return score
}

func wordScore(w []rune) int {
	var latin, nonASCII, other, upperInside int
	scripts := map[string]bool{}
	for i, r := range w {
		switch {
		case r < 0x80:
			latin++
			scripts["latin"] = true
		case unicode.Is(unicode.Latin, r):
			latin++
			nonASCII++
			scripts["latin"] = true
		case unicode.Is(unicode.Cyrillic, r):
			other++
			scripts["cyrillic"] = true
		case unicode.Is(unicode.Greek, r):
			other++
			scripts["greek"] = true
		case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
			other++
			scripts["cjk"] = true
		case unicode.Is(unicode.Hangul, r):
			other++
			scripts["hangul"] = true
		case unicode.Is(unicode.Arabic, r):
			other++
			scripts["arabic"] = true
		case unicode.Is(unicode.Hebrew, r):
			other++
			scripts["hebrew"] = true
		case unicode.Is(unicode.Thai, r):
			other++
			scripts["thai"] = true
		case unicode.IsMark(r):
		default:
			other++
			scripts["other"] = true
		}
		if i > 0 && unicode.IsUpper(r) {
			upperInside++
		}
	}
	n := len(w)
	switch {
	case len(scripts) > 1:
		return -3 * n
	case scripts["latin"]:
		if nonASCII == 0 {
			return 0 // the same whichever encoding: no evidence
		}
		if nonASCII*2 > n {
			return -2 * nonASCII // "Ïðèâåò": a Cyrillic word read as Latin-1
		}
		return nonASCII
	case scripts["other"]:
		return -n
	}
	if n > 3 && upperInside*2 > n {
		return -n / 2 // mostly capitals inside: KOI8-R read as windows-1251, or the reverse
	}
	return n
}

// removeForbidden drops the characters XML 1.0 forbids: C0 controls other
// than tab, LF and CR, and U+FFFE, U+FFFF.
func removeForbidden(data []byte) ([]byte, int) {
	n := 0
	for _, r := range string(data) {
		if forbidden(r) {
			n++
		}
	}
	if n == 0 {
		return data, 0
	}
	out := make([]byte, 0, len(data))
	for _, r := range string(data) {
		if !forbidden(r) {
			out = utf8.AppendRune(out, r)
		}
	}
	return out, n
}

func forbidden(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xfffe || r == 0xffff
}

// escapeAmpersands writes "&amp;" for every "&" that begins no entity or
// character reference, outside CDATA sections, comments and processing
// instructions (where "&" is literal).
func escapeAmpersands(data []byte) ([]byte, int) {
	if !bytes.Contains(data, []byte("&")) {
		return data, 0
	}
	var out []byte
	n, last := 0, 0
	for i := 0; i < len(data); i++ {
		if data[i] == '<' {
			i += literalSection(data[i:])
			continue
		}
		if data[i] == '&' && !reference(data[i:]) {
			out = append(out, data[last:i]...)
			out = append(out, "&amp;"...)
			last = i + 1
			n++
		}
	}
	if n == 0 {
		return data, 0
	}
	return append(out, data[last:]...), n
}

// literalSection returns how many bytes past b's first one a CDATA
// section, comment or processing instruction starting at b runs (0 if b
// starts none of them).
func literalSection(b []byte) int {
	for _, sec := range [][2]string{{"<![CDATA[", "]]>"}, {"<!--", "-->"}, {"<?", "?>"}} {
		if bytes.HasPrefix(b, []byte(sec[0])) {
			end := bytes.Index(b[len(sec[0]):], []byte(sec[1]))
			if end < 0 {
				return len(b) - 1
			}
			return len(sec[0]) + end + len(sec[1]) - 1
		}
	}
	return 0
}

// reference reports whether b (starting with "&") begins "&name;",
// "&#123;" or "&#x1f;".
func reference(b []byte) bool {
	i := 1
	if i < len(b) && b[i] == '#' {
		i++
		hex := i < len(b) && (b[i] == 'x' || b[i] == 'X')
		if hex {
			i++
		}
		start := i
		for i < len(b) && (b[i] >= '0' && b[i] <= '9' || hex && (b[i]|0x20 >= 'a' && b[i]|0x20 <= 'f')) {
			i++
		}
		return i > start && i < len(b) && b[i] == ';'
	}
	start := i
	for i < len(b) && i-start < 32 && (b[i]|0x20 >= 'a' && b[i]|0x20 <= 'z' || i > start && b[i] >= '0' && b[i] <= '9') {
		i++
	}
	return i > start && i < len(b) && b[i] == ';'
}

var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)`)

// metaCharset finds a <meta charset> or http-equiv Content-Type charset in
// the first 1,024 bytes, as the HTML prescan does.
func metaCharset(data []byte) string {
	head := data[:min(len(data), 1024)]
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}
