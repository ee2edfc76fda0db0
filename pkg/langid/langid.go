// Package langid identifies the language of a text without models: the
// Unicode script of its letters decides most languages outright, and counts of
// stop words (plus a few letters unique to one orthography) separate the
// languages that share the Latin or Cyrillic script.
package langid

//go:generate go run ./internal/gen

import (
	"unicode"
	"unicode/utf8"
)

// maxScan bounds the bytes Detect reads: a few kilobytes of prose decide the
// language, and the bound keeps Detect's cost flat on long articles.
const maxScan = 16 << 10

// minLetters is the number of letters below which Detect does not guess.
const minLetters = 12

// script classes counted by Detect.
const (
	scLatin = iota
	scCyrillic
	scHan
	scKana
	scHangul
	scArabic
	scHebrew
	scGreek
	scThai
	scDevanagari
	scGeorgian
	scArmenian
	numScripts
)

// Detect returns the ISO 639-1 code of the language text is written in and a
// confidence in [0, 1]. It returns "", 0 when the text has too few letters or
// matches no language it knows. It reads at most the first 16 KiB of text.
func Detect(text string) (lang string, confidence float64) {
	if len(text) > maxScan {
		text = text[:maxScan]
		// Do not cut a rune in half.
		for len(text) > 0 && !utf8.RuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
		if len(text) > 0 {
			text = text[:len(text)-1]
		}
	}
	var s stats
	s.scan(text)
	total := 0
	for _, n := range s.scripts {
		total += n
	}
	if total < minLetters {
		return "", 0
	}
	best, bestN := 0, -1
	for i, n := range s.scripts {
		if n > bestN {
			best, bestN = i, n
		}
	}
	share := float64(bestN) / float64(total)
	// Japanese mixes kana and Han; any real share of kana marks it.
	if s.scripts[scKana] > 0 && s.scripts[scKana]*10 >= s.scripts[scHan]+s.scripts[scKana] &&
		(best == scHan || best == scKana) {
		return "ja", ratio(s.scripts[scKana]+s.scripts[scHan], total)
	}
	switch best {
	case scHan:
		return "zh", share
	case scKana:
		return "ja", share
	case scHangul:
		return "ko", ratio(s.scripts[scHangul]+s.scripts[scHan], total)
	case scArabic:
		// Letters Arabic does not use mark Persian and Urdu.
		switch {
		case s.urdu*50 >= bestN && s.urdu > 0:
			return "ur", share
		case s.persian*50 >= bestN && s.persian > 0:
			return "fa", share
		}
		return "ar", share
	case scHebrew:
		return "he", share
	case scGreek:
		return "el", share
	case scThai:
		return "th", share
	case scDevanagari:
		return "hi", share
	case scGeorgian:
		return "ka", share
	case scArmenian:
		return "hy", share
	case scCyrillic:
		return s.pickCyrillic(share)
	}
	return s.pick(swEN, numStopLangs, share)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	r := float64(a) / float64(b)
	if r > 1 {
		r = 1
	}
	return r
}

// stats holds what one pass over the text counts.
type stats struct {
	scripts [numScripts]int
	words   int
	votes   [numStopLangs]float64
	persian int
	urdu    int
}

// scan counts letters by script and stop words by language.
func (s *stats) scan(text string) {
	var buf [64]byte
	w := buf[:0]
	long := false
	flush := func() {
		if len(w) > 0 && !long {
			s.words++
			if m := stopMask(string(w)); m != 0 {
				s.vote(m, 1)
			}
		}
		w = w[:0]
		long = false
	}
	for _, r := range text {
		// Anything but a letter ends a word, apostrophes included:
		// elisions such as "l'état" or "qu'il" are two words. ASCII and
		// basic Cyrillic, most of what is read, skip the Unicode tables.
		lr := r
		switch {
		case 'a' <= r && r <= 'z', 'а' <= r && r <= 'я':
		case 'A' <= r && r <= 'Z':
			lr += 'a' - 'A'
		case 'А' <= r && r <= 'Я':
			lr += 'а' - 'А'
		case r < utf8.RuneSelf || !unicode.IsLetter(r):
			flush()
			continue
		default:
			lr = unicode.ToLower(r)
		}
		s.letter(r)
		if len(w)+utf8.UTFMax > cap(w) {
			long = true
			continue
		}
		w = utf8.AppendRune(w, lr)
	}
	flush()
}

// vote spreads one word's weight over the languages of mask, so a word
// shared by many languages counts less for each.
func (s *stats) vote(mask uint32, weight float64) {
	n := 0
	for m := mask; m != 0; m &= m - 1 {
		n++
	}
	share := weight / float64(n)
	for i := 0; i < numStopLangs; i++ {
		if mask&(1<<i) != 0 {
			s.votes[i] += share
		}
	}
}

// letter counts r's script and the letters that single out one orthography.
func (s *stats) letter(r rune) {
	switch {
	case r < 0x250:
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			s.scripts[scLatin]++
			return
		}
		s.scripts[scLatin]++
		s.latinMark(r)
	case r >= 0x400 && r < 0x530:
		s.scripts[scCyrillic]++
		s.cyrillicMark(r)
	case r >= 0x1E00 && r < 0x1F00:
		s.scripts[scLatin]++
		s.latinMark(r)
	case unicode.Is(unicode.Han, r):
		s.scripts[scHan]++
	case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		s.scripts[scKana]++
	case unicode.Is(unicode.Hangul, r):
		s.scripts[scHangul]++
	case unicode.Is(unicode.Arabic, r):
		s.scripts[scArabic]++
		switch r {
		case 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی':
			s.persian++
		case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ھ':
			s.urdu++
		}
	case unicode.Is(unicode.Hebrew, r):
		s.scripts[scHebrew]++
	case unicode.Is(unicode.Greek, r):
		s.scripts[scGreek]++
	case unicode.Is(unicode.Thai, r):
		s.scripts[scThai]++
	case unicode.Is(unicode.Devanagari, r):
		s.scripts[scDevanagari]++
	case unicode.Is(unicode.Georgian, r):
		s.scripts[scGeorgian]++
	case unicode.Is(unicode.Armenian, r):
		s.scripts[scArmenian]++
	case unicode.Is(unicode.Latin, r):
		s.scripts[scLatin]++
	}
}

// markWeight is what one letter unique to an orthography adds to its
// language: about a tenth of a stop word, so letters tip close calls and
// decide texts without stop words, but do not outvote the words.
const markWeight = 0.1

func (s *stats) latinMark(r rune) {
	switch unicode.ToLower(r) {
	case 'ñ':
		s.votes[swES] += markWeight * 3
	case 'ã', 'õ':
		s.votes[swPT] += markWeight * 3
	case 'ß', 'ä':
		s.votes[swDE] += markWeight
		if r == 'ä' {
			s.votes[swSV] += markWeight
		}
	case 'è', 'ê', 'à', 'ë', 'î', 'ï', 'û', 'ù', 'œ':
		s.votes[swFR] += markWeight
		if r == 'à' || r == 'è' || r == 'ù' {
			s.votes[swIT] += markWeight / 2
		}
	case 'ç':
		s.votes[swFR] += markWeight / 2
		s.votes[swPT] += markWeight / 2
	case 'ğ', 'ı', 'ş':
		s.votes[swTR] += markWeight * 3
	case 'ł', 'ą', 'ę', 'ś', 'ź', 'ż', 'ń':
		s.votes[swPL] += markWeight * 3
	case 'ơ', 'ư', 'đ', 'ạ', 'ả', 'ấ', 'ầ', 'ậ', 'ế', 'ề', 'ệ', 'ị', 'ọ', 'ố', 'ồ', 'ộ', 'ớ', 'ờ', 'ợ', 'ụ', 'ủ', 'ứ', 'ừ', 'ữ', 'ự', 'ỳ', 'ỹ':
		s.votes[swVI] += markWeight * 3
	case 'å':
		s.votes[swSV] += markWeight / 2
		s.votes[swDA] += markWeight / 2
		s.votes[swNO] += markWeight / 2
	case 'ø', 'æ':
		s.votes[swDA] += markWeight
		s.votes[swNO] += markWeight
	case 'ě', 'ř', 'ů':
		s.votes[swCS] += markWeight * 3
	case 'ľ', 'ĺ', 'ŕ', 'ô':
		s.votes[swSK] += markWeight * 3
	case 'ő', 'ű':
		s.votes[swHU] += markWeight * 3
	case 'ă', 'ș', 'ț', 'â':
		s.votes[swRO] += markWeight * 3
	case 'ü', 'ö':
		s.votes[swDE] += markWeight / 2
		s.votes[swTR] += markWeight / 2
		if r == 'ö' {
			s.votes[swSV] += markWeight / 2
		}
	}
}

func (s *stats) cyrillicMark(r rune) {
	switch unicode.ToLower(r) {
	case 'ы', 'э', 'ё':
		s.votes[swRU] += markWeight * 2
	case 'і', 'ї', 'є', 'ґ':
		s.votes[swUK] += markWeight * 3
	case 'ъ':
		s.votes[swBG] += markWeight
		s.votes[swRU] += markWeight / 4
	}
}

// pickCyrillic picks among the Cyrillic stop-word languages.
func (s *stats) pickCyrillic(share float64) (string, float64) {
	return s.pick(swRU, swBG+1, share)
}

// pick returns the stop-word language in [lo, hi) with the most votes; with
// no votes at all it returns the script's default lo (English for Latin,
// Russian for Cyrillic) at low confidence.
func (s *stats) pick(lo, hi int, share float64) (string, float64) {
	best, second := lo, -1
	for i := lo; i < hi; i++ {
		if i == best {
			continue
		}
		if s.votes[i] > s.votes[best] {
			second, best = best, i
		} else if second < 0 || s.votes[i] > s.votes[second] {
			second = i
		}
	}
	bv := s.votes[best]
	if bv == 0 {
		return stopLangCode(lo), 0.2 * share
	}
	sv := 0.0
	if second >= 0 {
		sv = s.votes[second]
	}
	// Margin over the runner-up, damped for short texts where a few words
	// decide everything.
	margin := (bv - sv) / bv
	evidence := bv / 8
	if evidence > 1 {
		evidence = 1
	}
	c := share * (0.5 + 0.5*margin) * (0.4 + 0.6*evidence)
	return stopLangCode(best), c
}
