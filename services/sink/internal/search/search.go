// Package search turns story texts and search queries into the tokens both
// of the sink's stores index, so that SQLite and PostgreSQL find the same
// stories for the same query.
//
// A text is cut into words: runs of letters and digits, lower-cased, with
// accents and other combining marks removed (so "energía" is found by
// "energia", and Russian "ё" by "е"). Chinese, Japanese and Korean have no
// spaces between words, so a run of those scripts is indexed as its
// overlapping pairs of characters (bigrams) followed by its last character
// alone: 华为公司 is indexed as 华为 为公 公司 司. Most Chinese words are two
// characters long (华为, 芯片, 航天), which is why bigrams and not trigrams:
// a trigram index cannot find a two-character word without reading every
// text.
//
// A query is words and "quoted phrases". Every term must match (AND). A
// word in an alphabetic script matches as a prefix of a word (контракт
// finds контракта, контрактов), a term of several words as a phrase, and a
// CJK term as the sequence of its bigrams, anywhere in a run (华为 finds
// 华为公司). A one-character CJK term matches any bigram starting with it.
package search

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of a query: longer ones are refused (ErrBadQuery) rather than cut.
const (
	MaxQueryBytes = 512
	MaxTerms      = 16
)

// ErrBadQuery wraps every query Parse refuses.
var ErrBadQuery = errors.New("search: bad query")

// Tokens returns the tokens of texts in order, as the index holds them.
func Tokens(texts ...string) []string {
	var out []string
	for _, t := range texts {
		out = appendTokens(out, t, false)
	}
	return out
}

// Clause is one term of a query: its tokens must appear in this order, one
// after another; Prefix says the last one need only start a token.
type Clause struct {
	Tokens []string
	Prefix bool
}

// Query is a parsed query: every clause must match.
type Query []Clause

// Parse reads a query (see the package doc). It returns an error wrapping
// ErrBadQuery for a query too long, with too many terms, or with nothing to
// search for.
func Parse(q string) (Query, error) {
	if len(q) > MaxQueryBytes {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrBadQuery, MaxQueryBytes)
	}
	if !utf8.ValidString(q) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrBadQuery)
	}
	var out Query
	for _, term := range splitTerms(q) {
		toks := appendTokens(nil, term.text, true)
		if len(toks) == 0 {
			continue
		}
		c := Clause{Tokens: toks}
		switch last := []rune(toks[len(toks)-1]); {
		case isCJK(last[0]):
			// A CJK term ending in one character: the bigrams that start
			// with it, or a run's last character. Longer ones are exact.
			c.Prefix = len(last) == 1
		default:
			c.Prefix = !term.quoted
		}
		out = append(out, c)
	}
	switch {
	case len(out) == 0:
		return nil, fmt.Errorf("%w: no word to search for", ErrBadQuery)
	case len(out) > MaxTerms:
		return nil, fmt.Errorf("%w: more than %d terms", ErrBadQuery, MaxTerms)
	}
	return out, nil
}

type term struct {
	text   string
	quoted bool
}

// splitTerms cuts q at spaces outside double quotes; an unclosed quote runs
// to the end.
func splitTerms(q string) []term {
	var out []term
	for q != "" {
		q = strings.TrimLeftFunc(q, unicode.IsSpace)
		if q == "" {
			break
		}
		if rest, ok := strings.CutPrefix(q, `"`); ok {
			text, after, _ := strings.Cut(rest, `"`)
			out = append(out, term{text: text, quoted: true})
			q = after
			continue
		}
		i := strings.IndexFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
		if i < 0 {
			i = len(q)
		}
		out = append(out, term{text: q[:i]})
		q = q[i:]
	}
	return out
}

// appendTokens appends the tokens of text to out. For a query, a CJK run
// of two characters or more that ends the text leaves out its last
// character: the run may go on in the indexed text, where that character
// starts a bigram.
func appendTokens(out []string, text string, query bool) []string {
	var (
		word []rune // the current run of one script class
		cjk  bool   // whether word is a CJK run
	)
	flush := func(end bool) {
		switch {
		case len(word) == 0:
		case !cjk:
			out = append(out, string(word))
		case len(word) == 1:
			out = append(out, string(word))
		default:
			for i := 0; i+1 < len(word); i++ {
				out = append(out, string(word[i:i+2]))
			}
			if !(query && end) {
				out = append(out, string(word[len(word)-1]))
			}
		}
		word = word[:0]
	}
	// NFKD splits accents off their letters (and folds full-width forms
	// and ligatures), so dropping the marks leaves the base letters.
	for _, r := range norm.NFKD.String(text) {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mc, r):
			c := isCJK(r)
			if len(word) > 0 && c != cjk {
				flush(false)
			}
			cjk = c
			word = append(word, unicode.ToLower(r))
		default:
			flush(false)
		}
	}
	flush(true)
	return out
}

// isCJK reports whether r belongs to a script written without spaces
// between words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
