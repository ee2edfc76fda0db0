package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/classifier/internal/match"
)

// objectMarked reports whether the text before an actor mention ends in a
// word that makes what follows the object of someone else's tie: "with",
// "from", "to", "con", "dengan", "с", "与"… ("Indonesia weighs offers from
// Rosatom and CNNC", "menjajaki kerja sama dengan Rusia dan China").
func objectMarked(before string) bool {
	b := strings.TrimRight(before, " \u00a0")
	if r, _ := utf8.DecodeLastRuneInString(b); strings.ContainsRune("与與和同跟向从從", r) {
		// Chinese marks the object before the first of the pair; the pair
		// itself opening the clause is the subject.
		return len(b) > len(string(r)) && !strings.ContainsRune("，。；：、 ", lastRune(b[:len(b)-len(string(r))]))
	}
	w1, w2 := rawPrevWords(b)
	if isObjectWord(w1) {
		return true
	}
	// "with the Russian and Chinese…"
	return (strings.EqualFold(w1, "the") || strings.EqualFold(w1, "el") || strings.EqualFold(w1, "la") ||
		strings.EqualFold(w1, "los") || strings.EqualFold(w1, "las")) && isObjectWord(w2)
}

// opensSentence reports whether the text before an actor mention is at most
// the sentence's first two words, or a dateline ("WASHINGTON –", "BRUSELAS,
// 20 (EUROPA PRESS)"): the actor is then the sentence's subject.
func opensSentence(before string) bool {
	if i := strings.LastIndexAny(before, "–—)"); i >= 0 {
		before = before[i+1:]
	}
	words, han, inWord := 0, 0, false
	for _, r := range before {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			inWord = false
		case match.IsWordRune(r):
			if !inWord {
				words++
				inWord = true
			}
		default:
			inWord = false
		}
	}
	return words <= 2 && han <= 2
}

// opensClause reports whether the text before an actor mention ends where a
// clause begins — the start of the sentence, a comma, a dash, a colon, or a
// word that opens reported speech ("that", "says", "que", "что", "bahwa",
// "称") — so that the actor is a subject there, not someone's object
// ("Despite US pressure, Russia and China signed…").
func opensClause(before string) bool {
	b := strings.TrimRight(before, " \u00a0\"«“'")
	if b == "" {
		return true
	}
	r := lastRune(b)
	if strings.ContainsRune(",;:—–-(，；：、（称說说示为為指", r) {
		return true
	}
	w1, _ := rawPrevWords(b)
	for _, o := range [...]string{"that", "says", "said", "say", "warns", "warned", "believes", "que", "dice", "afirma", "что", "считает", "заявил", "заявили", "bahwa", "mengatakan", "menyebut"} {
		if strings.EqualFold(w1, o) {
			return true
		}
	}
	return false
}

// locativeMarked reports whether the text before a country mention ends in
// a word that makes it a place: "in", "across", "в", "во", "по", "en", "di",
// "在", "于".
func locativeMarked(before string) bool {
	b := strings.TrimRight(before, " \u00a0")
	if r := lastRune(b); strings.ContainsRune("在于於", r) {
		return true
	}
	w1, _ := rawPrevWords(b)
	if w1 == "" || len(w1) > 6 {
		return false
	}
	for _, o := range [...]string{"in", "across", "в", "во", "по", "en", "di"} {
		if strings.EqualFold(w1, o) {
			return true
		}
	}
	return false
}

// isObjectWord reports a preposition after which actors are someone else's
// partners.
func isObjectWord(w string) bool {
	if w == "" || len(w) > 12 {
		return false
	}
	for _, o := range [...]string{"with", "from", "to", "con", "a", "dengan", "dari", "kepada", "ke", "с", "со", "к"} {
		if strings.EqualFold(w, o) {
			return true
		}
	}
	return false
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// isConjunction reports whether the text between two actor mentions joins
// them as one subject: "and", a comma, a slash, "和", "и", "dan"…
func isConjunction(gap string) bool {
	g := strings.TrimSpace(gap)
	if len(g) > len("serta") {
		return false // most gaps are words long: no conjunction alone
	}
	switch g {
	case "", "&", ",", "、", "和", "与", "與", "同", "及", "и", "y", "e", "-", "–", "—", "/":
		return true
	}
	return strings.EqualFold(g, "and") || strings.EqualFold(g, "dan") || strings.EqualFold(g, "serta") || g == "И"
}
