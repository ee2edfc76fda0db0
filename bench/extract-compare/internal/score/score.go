// Package score scores extracted article text against ground truth the way
// the public article-extraction benchmarks do, as newspipe's issue 3 defines
// it: tokens are maximal runs of Unicode letters, digits or underscore (case
// kept); the multisets of 4-token shingles of output and truth are
// compared; per page P = matched/output shingles and R = matched/truth
// shingles; P is averaged over the pages with non-empty output, R over all
// pages; F1 is taken of the two means.
//
// It is a copy, by definition and not by import, of the scorer in
// services/cleaner/cmd/eval-extract (a main package, so not importable):
// the harness checks that both give the same figures on the same outputs.
package score

import (
	"strings"
	"unicode"
)

// ShingleSize is the number of tokens in a shingle.
const ShingleSize = 4

// Page compares one page's output with its truth. ok is false when the
// output has no token: its precision is then undefined and the page counts
// only towards recall.
func Page(out, truth string) (p, r float64, ok bool) {
	o := Shingles(Tokens(out))
	t := Shingles(Tokens(truth))
	no, nt := total(o), total(t)
	matched := 0
	for s, c := range o {
		matched += min(c, t[s])
	}
	switch {
	case nt > 0:
		r = float64(matched) / float64(nt)
	case no == 0:
		r = 1 // nothing to find and nothing found
	}
	if no == 0 {
		return 0, r, false
	}
	return float64(matched) / float64(no), r, true
}

// Tokens splits s into maximal runs of Unicode letters, digits or
// underscore.
func Tokens(s string) []string {
	var out []string
	start := -1
	for i, c := range s {
		word := unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_'
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// Shingles counts the ShingleSize-token shingles of toks. A text of fewer
// than ShingleSize tokens is one shingle, as in the benchmarks' reference
// code, so that very short outputs and truths still compare.
func Shingles(toks []string) map[string]int {
	m := map[string]int{}
	if len(toks) == 0 {
		return m
	}
	if len(toks) < ShingleSize {
		m[strings.Join(toks, " ")]++
		return m
	}
	for i := 0; i+ShingleSize <= len(toks); i++ {
		m[strings.Join(toks[i:i+ShingleSize], " ")]++
	}
	return m
}

func total(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// Sum accumulates page scores into the means of a set. The zero value is
// ready to use.
type Sum struct {
	// Pages counts every page added.
	Pages int
	// NonEmpty counts the pages whose output had a token.
	NonEmpty   int
	sumP, sumR float64
}

// Add scores one page and adds it to the sums; it returns the page's
// scores.
func (s *Sum) Add(out, truth string) (p, r float64, ok bool) {
	p, r, ok = Page(out, truth)
	s.Pages++
	s.sumR += r
	if ok {
		s.NonEmpty++
		s.sumP += p
	}
	return p, r, ok
}

// PRF returns mean precision (over pages with output), mean recall (over
// all pages) and the F1 of the two means.
func (s *Sum) PRF() (p, r, f1 float64) {
	if s.NonEmpty > 0 {
		p = s.sumP / float64(s.NonEmpty)
	}
	if s.Pages > 0 {
		r = s.sumR / float64(s.Pages)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}
