// Package fingerprint computes the identity of an article's text: an exact
// content hash and a SimHash for near-duplicates (the same wire story on two
// sites differs in a few words; its SimHashes differ in a few bits).
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"math/bits"
	"strings"
	"unicode"
)

// ContentHash returns the hex SHA-256 of the blocks joined by "\n".
func ContentHash(blocks []string) string {
	h := sha256.New()
	for i, b := range blocks {
		if i > 0 {
			h.Write([]byte{'\n'})
		}
		h.Write([]byte(b))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SimHash returns a 64-bit SimHash over word 3-shingles of the text (for
// scripts written without spaces, character 3-grams), case-folded.
func SimHash(blocks []string) uint64 {
	var v [64]int
	var toks []string
	for _, b := range blocks {
		toks = appendTokens(toks, b)
	}
	add := func(s string) {
		h := fnv.New64a()
		h.Write([]byte(s))
		x := h.Sum64()
		for i := range 64 {
			if x&(1<<uint(i)) != 0 {
				v[i]++
			} else {
				v[i]--
			}
		}
	}
	switch {
	case len(toks) == 0:
		return 0
	case len(toks) < 3:
		add(strings.Join(toks, " "))
	default:
		for i := 0; i+3 <= len(toks); i++ {
			add(toks[i] + " " + toks[i+1] + " " + toks[i+2])
		}
	}
	var out uint64
	for i := range 64 {
		if v[i] > 0 {
			out |= 1 << uint(i)
		}
	}
	return out
}

// Distance is the number of differing bits between two SimHashes; below
// about 4 of 64 the texts are near-duplicates.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// appendTokens splits s into lower-cased words; each Han, Hiragana,
// Katakana or Hangul character is its own token.
func appendTokens(toks []string, s string) []string {
	start := -1
	for i, r := range s {
		cjk := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		word := !cjk && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if !word && start >= 0 {
			toks = append(toks, strings.ToLower(s[start:i]))
			start = -1
		}
		if cjk {
			toks = append(toks, string(r))
		} else if word && start < 0 {
			start = i
		}
	}
	if start >= 0 {
		toks = append(toks, strings.ToLower(s[start:]))
	}
	return toks
}
