package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// refText is the walk's text folding written rune by rune, the obvious
// way: the reference the run-copying d.text must agree with.
func refText(texts []string, inLink bool) (text string, chars, links, commas int32) {
	var b strings.Builder
	space := false
	for _, s := range texts {
		for _, r := range s {
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r >= 0x80 && unicode.IsSpace(r) {
				space = space || b.Len() > 0
				continue
			}
			if r == 0 || r == 0xAD || r == 0x200B || r == 0xFEFF {
				continue
			}
			if space {
				b.WriteByte(' ')
				chars++
				space = false
			}
			b.WriteRune(r)
			chars++
			if r == ',' || r == '，' || r == '、' {
				commas++
			}
		}
	}
	if inLink {
		links = chars
	}
	return b.String(), chars, links, commas
}

func TestTextMatchesReference(t *testing.T) {
	pieces := []string{"a", "word", " ", "  ", "\n", "\t", "\r\n", ",", "，", "、", "\u00a0", "\u00ad", "\u200b", "\ufeff",
		"\u2003", "\u3000", "\u0085", "\u1680", "\u202f", "Привет", "中文", "é", "𝄞", "\x00", "\v", ".", "x,y", " ,", "ÿ"}
	rng := rand.New(rand.NewPCG(1, 2))
	sel := compileSelectors()
	for n := range 3000 {
		var texts []string
		for range 1 + rng.IntN(3) {
			var b strings.Builder
			for range rng.IntN(12) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			texts = append(texts, b.String())
		}
		inLink := n%2 == 0
		d := &dom{sel: sel}
		if inLink {
			d.linkDepth = 1
		}
		for _, s := range texts {
			d.text(s)
		}
		wantText, wantChars, wantLinks, wantCommas := refText(texts, inLink)
		if string(d.buf) != wantText || d.curChars != wantChars || d.curLinks != wantLinks || d.curCommas != wantCommas {
			t.Fatalf("text(%q) = %q chars %d links %d commas %d, want %q %d %d %d", texts, d.buf, d.curChars, d.curLinks,
				d.curCommas, wantText, wantChars, wantLinks, wantCommas)
		}
		if wantChars != int32(utf8.RuneCountInString(wantText)) {
			t.Fatalf("reference miscounts %q", wantText)
		}
	}
}
