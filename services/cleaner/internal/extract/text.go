package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newspipe/newspipe/pkg/langid"
	"github.com/newspipe/newspipe/services/cleaner/internal/decode"
)

// lineInfo is what the text pass knows about one non-empty line.
type lineInfo struct {
	raw   string
	text  string // white space folded
	kind  chromeKind
	words int
	prose bool
	drop  bool
}

// extractText cleans a page that is already text, one block per line.
func extractText(in Input) (*Article, error) {
	dec := decode.Decode(in.Body, in.ContentType)
	a, err := extractLines(string(dec.Text))
	a.Charset = dec.Charset
	a.CanonicalURL = in.URL
	return a, err
}

// extractLines cleans text, one block per line.
func extractLines(text string) (*Article, error) {
	a := &Article{}
	lines := splitLines(text)
	if len(lines) == 0 {
		return a, ErrEmpty
	}
	cleanLines(lines)
	a.Title, a.Byline = textTitleByline(lines)
	// The headline is the title, not the first line of the text; a
	// page with nothing else keeps it.
	for i := range lines {
		if lines[i].prose {
			break
		}
		if !lines[i].drop && lines[i].text == a.Title && i+1 < len(lines) {
			lines[i].drop = true
			break
		}
	}
	for i := range lines {
		l := &lines[i]
		n := utf8.RuneCountInString(l.text)
		if l.drop {
			a.Stats.BlocksRemoved++
			a.Stats.CharsRemoved += n
			continue
		}
		a.Blocks = append(a.Blocks, l.text)
		a.Stats.BlocksKept++
		a.Stats.CharsKept += n
	}
	a.Lang, _ = langid.Detect(a.Text())
	if len(a.Blocks) == 0 {
		return a, ErrNoContent
	}
	return a, nil
}

func splitLines(s string) []lineInfo {
	var out []lineInfo
	for len(s) > 0 {
		var line string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			line, s = s, ""
		}
		text := foldSpace(line)
		if text == "" {
			continue
		}
		out = append(out, lineInfo{raw: line, text: text, words: countWords(text)})
	}
	return out
}

// cleanLines marks the chrome lines of a flattened page. Besides lines that
// are chrome on their own, it drops what chrome lines introduce (the list
// after "Related posts", the title after "Read also:"), and the short
// labels before the first and after the last paragraph of prose: on a
// flattened page the article is the run of prose, and short lines around
// it are menus, tags, image alt texts and widgets.
func cleanLines(lines []lineInfo) {
	first, last := -1, -1
	for i := range lines {
		l := &lines[i]
		l.kind = classifyLine(l.raw)
		l.prose = l.kind == notChrome && isProse(l.text, l.words)
		if l.prose {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	inList := false
	for i := range lines {
		l := &lines[i]
		if l.prose {
			inList = false
			continue
		}
		switch {
		case l.kind == chromeListHead:
			l.drop = true
			inList = true
			continue
		case l.kind == chromeTeaser && endsWithLabelColon(l.text):
			// "Baca juga:" on its own line: the next line is the link.
			l.drop = true
			if i+1 < len(lines) && !lines[i+1].prose {
				lines[i+1].drop = true
			}
			continue
		case l.kind != notChrome:
			l.drop = true
			continue
		case inList:
			l.drop = true
			continue
		}
		switch {
		case first < 0:
			// No prose at all: keep what is not chrome.
		case i < first:
			l.drop = isHeadLabel(l)
		case i > last:
			l.drop = l.words <= 3 && !endsSentence(l.text)
		}
	}
}

// isHeadLabel reports whether a line before the article's first paragraph
// is a label or byline rather than a title or subtitle: very short, or a
// run of lower-case keywords with no capital (tag lists, breadcrumbs).
func isHeadLabel(l *lineInfo) bool {
	if hasCJK(l.text) {
		return utf8.RuneCountInString(l.text) < 6
	}
	// A name alone is the byline: metadata, not article text.
	if l.words <= 3 || looksLikeName(l.text) {
		return true
	}
	upper, letters := 0, 0
	for _, r := range l.text {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters > 0 && upper == 0
}

// looksLikeName reports whether a short line reads like a person's name
// ("Anna K. Ivanova"): two to four capitalised words and nothing else.
func looksLikeName(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && c != '.' && c != '-' && c != '\'' && c != '’' {
				return false
			}
		}
	}
	return true
}

// textTitleByline picks the title (the first kept line before the first
// paragraph of prose) and the byline (a kept or dropped name line there).
func textTitleByline(lines []lineInfo) (title, byline string) {
	for i := range lines {
		l := &lines[i]
		if l.prose {
			break
		}
		if l.kind != notChrome {
			continue
		}
		if looksLikeName(l.text) {
			if byline == "" {
				byline = l.text
			}
			continue
		}
		if title == "" && !l.drop && l.words >= 2 {
			title = l.text
		}
	}
	return title, byline
}

// isProse reports whether a line reads as a paragraph of running text:
// enough words and a full stop, at the end or between sentences. Headlines
// in link lists are as long as sentences but carry no full stop.
func isProse(s string, words int) bool {
	if hasCJK(s) {
		n := utf8.RuneCountInString(s)
		return n >= 40 && strings.ContainsAny(s, "。！？")
	}
	if words < 12 {
		return false
	}
	return endsSentence(s) || strings.Contains(s, ". ") || strings.Contains(s, "? ") || strings.Contains(s, "! ")
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '。', '！', '？', '"', '”', '»', ')':
		return true
	}
	return false
}

func endsWithLabelColon(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == ':' || r == '：'
}

// countWords counts runs of letters and digits.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if !in {
				n++
				in = true
			}
		} else {
			in = false
		}
	}
	return n
}

func hasCJK(s string) bool {
	n := 0
	for _, r := range s {
		if r >= 0x3040 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7A3 {
			n++
			if n >= 3 {
				return true
			}
		}
	}
	return false
}
