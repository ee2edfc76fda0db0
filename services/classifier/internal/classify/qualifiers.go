package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/classifier/internal/match"
)

// reach is how far a qualifier governs a signing cue: at most words
// space-separated words and han Chinese characters between them.
type reach struct{ words, han int }

// Qualifier kinds (sentence.qualReach).
const (
	qualModal    int8 = 0
	qualNegation int8 = 1
	qualWide     int8 = 2
)

// reachOf returns the reach of a qualifier kind. Negations govern the verb a
// few words on ("No agreement has been signed", "尚未与俄方签署"); wide ones
// open the subject ("ninguno de los dos organismos ha firmado"). Modals reach
// only auxiliaries and adverbs in spaced scripts ("could eventually be
// signed", not "will supply parts under the signed contract"), while Chinese
// puts time, place and whole verb phrases between, so there a modal governs
// the rest of its clause (将于明年在莫斯科签署, 希望在年内就章程达成一致并正式签署).
func reachOf(kind int8) reach {
	switch kind {
	case qualNegation:
		return reach{3, 6}
	case qualWide:
		return reach{6, 12}
	}
	return reach{2, 24}
}

// reachPendingWords is how close, in words or Han characters, a pending
// word follows its signing cue ("firmado todavía", "подписан не раньше").
const reachPendingWords = 2

// reachAbsent is how far, in words, an existential negation may follow the
// signing cue it denies, within the clause ("Подписанных контрактов на
// серийные поставки пока нет").
const reachAbsent = 6

// within reports whether gap, the text between a qualifier and the cue it
// qualifies, stays inside one clause and is within reach.
func within(gap string, rc reach) bool {
	words, han, inWord := 0, 0, false
	for _, r := range gap {
		switch {
		case match.IsWordRune(r):
			if !inWord {
				words++
				inWord = true
			}
			continue
		case unicode.Is(unicode.Han, r):
			han++
		case strings.ContainsRune(",;:()—–!?，；：。（）！？،؛؟", r):
			return false
		}
		inWord = false
	}
	return words <= rc.words && han <= rc.han
}

// reachAbsentAside is how far, in words, an existential negation may follow
// a signing participle in the genitive, across a parenthetical aside
// ("Подписанных соглашений о такой локализации, по имеющимся данным, нет"):
// the genitive of negation ties the two however the clause is cut.
const reachAbsentAside = 10

// genitiveParticiple reports a signing participle in the genitive
// ("подписанных", "заключенного"), the case a denied existence takes.
func (g *grammar) genitiveParticiple(w string) bool {
	for _, e := range g.genitiveEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// withinAside reports whether gap holds at most words words and no end of a
// clause other than commas and dashes (an aside is cut off by commas).
func withinAside(gap string, words int) bool {
	n, inWord := 0, false
	for _, r := range gap {
		switch {
		case match.IsWordRune(r):
			if !inWord {
				n++
				inWord = true
			}
			continue
		case strings.ContainsRune(";:()!?；：。（）！？؛؟", r):
			return false
		}
		inWord = false
	}
	return n <= words
}

// reachZhPhrase is the reach in Han characters of a negation whose gap to the
// signing cue opens with a preposition.
const reachZhPhrase = 16

// applySigning counts a signing cue unless a negation or modal word close
// before it makes it unsigned ("could be signed", "no han firmado", "未签署").
func (c *Classifier) applySigning(text string, s *sentence, h hit, g *grammar) {
	if s.signEnd > 0 && h.start == s.signStart {
		return // the same word matched by two spellings of the cue
	}
	s.signSeen = true
	s.signStart, s.signEnd = h.start, wordEnd(text, h.end)
	qualEnd := s.qualEnd
	s.qualEnd = 0 // a qualifier governs one signing verb
	if qualEnd > 0 && qualEnd <= h.start {
		rc := reachOf(s.qualReach)
		if s.qualReach != qualModal {
			// A preposition opening the gap ("尚未就建设此类网络签署", "未与俄方
			// 签署") makes it a phrase the negation reaches across.
			if g.prepositions.startsWith(strings.TrimLeft(text[qualEnd:h.start], " ")) != "" {
				rc.han = max(rc.han, reachZhPhrase)
			}
		}
		if within(text[qualEnd:h.start], rc) || (s.qualReach == qualModal && g.modalAcrossClauses(text, qualEnd, h.start, h.end)) {
			s.stages |= c.intentBit
			return
		}
	}
	if g.bracketGoverned(text[s.start:h.start], text[wordEnd(text, h.end):s.end]) {
		s.stages |= c.intentBit
		return
	}
	s.signN++
}

// maxBracketWords bounds how far back a bracket governor is looked for.
const maxBracketWords = 12

// bracketGoverned reports whether a signing cue, with the text of its
// sentence before it and after it, closes its clause after a bracket
// governor ("Das Abkommen wird am Rande des Gipfels in Peking
// unterzeichnet.") with no perfective marker between ("haben … ein
// Abkommen unterzeichnet"): the verb the governor holds at the clause's
// end is a plan. A cue that something follows in its clause ("wird das
// unterzeichnete Abkommen umsetzen", "unterzeichnet haben") is not held.
func (g *grammar) bracketGoverned(before, after string) bool {
	if len(g.bracketGovernors.words) == 0 {
		return false
	}
	rest := strings.TrimLeft(after, " \u00a0\"'»“”’")
	if rest != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		end := 0
		for end < len(rest) {
			r, size := utf8.DecodeRuneInString(rest[end:])
			if !unicode.IsLetter(r) {
				break
			}
			end += size
		}
		if !strings.ContainsRune(".,;:!?)—–-", r) && !g.conjunctions.word(rest[:end]) {
			return false
		}
	}
	if i := strings.LastIndexAny(before, ",;:()—–"); i >= 0 {
		before = before[i+1:]
	}
	words := strings.Fields(before)
	for n := 0; n < maxBracketWords && n < len(words); n++ {
		w := words[len(words)-1-n]
		if w == "-" {
			return false // a dash between spaces ends the clause
		}
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		switch {
		case w == "":
		case g.perfective.word(w):
			return false
		case g.bracketGovernors.word(w):
			return true
		}
	}
	return false
}

// reachModalHan is how many Han characters a Chinese modal reaches across
// commas to a signing cue later in its sentence.
const reachModalHan = 30

// modalAcrossClauses reports whether a modal ending at qualEnd governs the
// signing cue at [cueStart, cueEnd) across commas, as Chinese writes it
// ("协定可能于11月10日，在…访问北京时签署"): the gap holds Han text and no
// end of sentence, and nothing marks the signing as done ("签署了", "已").
func (g *grammar) modalAcrossClauses(text string, qualEnd, cueStart, cueEnd int) bool {
	if len(g.perfective.han) == 0 {
		return false
	}
	gap := text[qualEnd:cueStart]
	if strings.ContainsAny(gap, "。；;！？!?") {
		return false
	}
	han := 0
	for _, r := range gap {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han == 0 || han > reachModalHan {
		return false
	}
	for _, p := range g.perfective.han {
		if strings.Contains(gap, p) || strings.HasPrefix(text[cueEnd:], p) || strings.Contains(text[cueStart:cueEnd], p) {
			return false
		}
	}
	return true
}

// countedBefore reports a deal kind preceded by a count of ten or more, or by
// a number with a multiplier ("1,4 тыс. контрактов", "1,400 contracts",
// "2.000 contratos", "ribuan kontrak" aside): procurement statistics, a set of
// deals, not one deal whose signing is news.
func (g *grammar) countedBefore(before string) bool {
	if len(before) > 160 {
		before = before[len(before)-160:]
	}
	b := strings.TrimRightFunc(before, unicode.IsSpace)
	// "200 заключённых мягких контрактов", "1,400 signed contracts": up to
	// two adjectives stand between the count and the kind.
	for k := 0; k < 2; k++ {
		w, _ := rawPrevWords(b)
		if w == "" || !g.countAdjective(w) {
			break
		}
		b = strings.TrimRightFunc(b[:len(b)-len(w)], unicode.IsSpace)
	}
	mult := false
	if m := g.counters.endsWith(b); m != "" {
		b = strings.TrimRightFunc(strings.TrimSuffix(b, m), unicode.IsSpace)
	} else if m := g.multipliers.endsWith(b); m != "" {
		b = strings.TrimRightFunc(strings.TrimSuffix(b, m), unicode.IsSpace)
		mult = true
	} else {
		// "тыс." ends in its period; "thousand" does not.
		bb := strings.TrimSuffix(b, ".")
		if w, _ := rawPrevWords(bb); w != "" && (g.multipliers.word(w) || (len(bb) < len(b) && g.multipliers.word(w+"."))) {
			b = strings.TrimRightFunc(bb[:len(bb)-len(w)], unicode.IsSpace)
			mult = true
		}
	}
	n, digits, seps := 0, 0, 0
	for len(b) > 0 {
		r, size := utf8.DecodeLastRuneInString(b)
		if r >= '0' && r <= '9' {
			d := int(r - '0')
			for k := 0; k < digits; k++ {
				d *= 10
			}
			n += d
			digits++
		} else if (r == ',' || r == '.' || r == '\u00a0') && digits > 0 {
			seps++
		} else {
			break
		}
		b = b[:len(b)-size]
	}
	if digits == 4 && seps == 0 && !mult && n >= 1900 && n <= 2099 {
		return false // a year: "the 1992 agreement"
	}
	return digits > 0 && (mult || n >= 10)
}

// countAdjective reports a word with an ending of the adjectives and
// participles that may stand between a count and a deal kind.
func (g *grammar) countAdjective(w string) bool {
	w = strings.ToLower(w)
	for _, e := range g.countAdjectiveEndings {
		if strings.HasSuffix(w, e) && len(w) > len(e)+2 {
			return true
		}
	}
	return false
}
