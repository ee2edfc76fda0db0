package classify

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/classifier/internal/match"
	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// tokens is one grammar list compiled: whole words (lower case) and Han
// phrases, matched at the end or the start of a text.
type tokens struct {
	words map[string]bool
	han   []string
}

func (t *tokens) add(entry string) {
	if hasHan(entry) {
		t.han = append(t.han, entry)
		return
	}
	if t.words == nil {
		t.words = map[string]bool{}
	}
	t.words[strings.ToLower(entry)] = true
}

// word reports whether w, a whole word, is in t.
func (t *tokens) word(w string) bool {
	if w == "" || len(t.words) == 0 {
		return false
	}
	if t.words[w] {
		return true
	}
	// Lower-case into a buffer on the stack: a map index by a converted
	// byte slice allocates nothing, and this runs for every actor mention.
	var buf [64]byte
	b := buf[:0]
	for _, r := range w {
		if len(b)+utf8.UTFMax > len(buf) {
			return t.words[strings.ToLower(w)]
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return t.words[string(b)]
}

// trimSpaceRight trims spaces and no-break spaces from the end of s.
func trimSpaceRight(s string) string {
	for {
		switch {
		case strings.HasSuffix(s, " "):
			s = s[:len(s)-1]
		case strings.HasSuffix(s, "\u00a0"):
			s = s[:len(s)-len("\u00a0")]
		default:
			return s
		}
	}
}

// endsWith returns the Han phrase of t that text ends with, or "".
func (t *tokens) endsWith(text string) string {
	for _, h := range t.han {
		if strings.HasSuffix(text, h) {
			return h
		}
	}
	return ""
}

// before reports whether the text before a point ends in a word or a Han
// phrase of t.
func (t *tokens) before(text string) bool {
	b := trimSpaceRight(text)
	if t.endsWith(b) != "" {
		return true
	}
	w1, _ := rawPrevWords(b)
	return t.word(w1)
}

// startsWith returns the entry of t that text starts with (a word, or a Han
// phrase), or "".
func (t *tokens) startsWith(text string) string {
	for _, h := range t.han {
		if strings.HasPrefix(text, h) {
			return h
		}
	}
	end := 0
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		end += size
	}
	for n := end; n > 0; n-- {
		if t.word(text[:n]) {
			return text[:n]
		}
	}
	return ""
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// grammar is the function words of one language (or, for a document whose
// language the taxonomy does not list, of all of them), compiled from the
// taxonomy's grammar section.
type grammar struct {
	conjunctions, objects, articles, clauses, locatives tokens
	yearMarkers, yearBounds                             tokens
	yearSuffixes, yearBoundSuffixes                     tokens
	multipliers, counters, prepositions                 tokens
	agendaClosers, perfective, bracketGovernors         tokens
	dates                                               *dateFinder
	genitiveEndings, countAdjectiveEndings              []string
	basis                                               []string // lower case, matched anywhere
	attachedConjunctions, proclitics                    []string
	abbreviations                                       map[string]bool
	// ordinalMonths holds the month names (lower case) of the languages
	// that write a day as an ordinal with a period ("am 5. Juni"): a
	// period after a day's number before one of them ends no sentence.
	ordinalMonths map[string]bool
}

// newGrammar compiles the grammar of the languages langs.
func newGrammar(g *taxonomy.Grammar, langs []string) *grammar {
	out := &grammar{abbreviations: map[string]bool{}, dates: newDateFinder(g, langs)}
	for _, lang := range langs {
		for _, x := range []struct {
			l taxonomy.Lexicon
			t *tokens
		}{
			{g.Conjunctions, &out.conjunctions}, {g.ObjectMarkers, &out.objects}, {g.Articles, &out.articles},
			{g.ClauseOpeners, &out.clauses}, {g.Locatives, &out.locatives}, {g.YearMarkers, &out.yearMarkers},
			{g.YearBounds, &out.yearBounds}, {g.YearSuffixes, &out.yearSuffixes}, {g.YearBoundSuffixes, &out.yearBoundSuffixes},
			{g.Multipliers, &out.multipliers}, {g.Counters, &out.counters}, {g.Prepositions, &out.prepositions},
			{g.AgendaClosers, &out.agendaClosers}, {g.Perfective, &out.perfective}, {g.BracketGovernors, &out.bracketGovernors},
		} {
			for _, e := range x.l[lang] {
				x.t.add(e)
			}
		}
		out.genitiveEndings = append(out.genitiveEndings, g.GenitiveEndings[lang]...)
		for _, e := range g.CountAdjectiveEndings[lang] {
			out.countAdjectiveEndings = append(out.countAdjectiveEndings, strings.ToLower(e))
		}
		out.attachedConjunctions = append(out.attachedConjunctions, g.AttachedConjunctions[lang]...)
		out.proclitics = append(out.proclitics, g.Proclitics[lang]...)
		for _, b := range g.Basis[lang] {
			out.basis = append(out.basis, strings.ToLower(b))
		}
		for _, a := range g.Abbreviations[lang] {
			out.abbreviations[strings.ToLower(a)] = true
		}
		for _, o := range g.OrdinalSuffixes[lang] {
			if o != "." {
				continue
			}
			for _, forms := range g.Months[lang] {
				for _, f := range forms {
					if out.ordinalMonths == nil {
						out.ordinalMonths = map[string]bool{}
					}
					out.ordinalMonths[strings.ToLower(f)] = true
				}
			}
		}
	}
	return out
}

// ordinalDay reports whether a period ending before (the text up to it) and
// followed by next is a day's ordinal before a month name ("am 5. Juni
// 2019"), in a language that writes days so: not the end of a sentence.
func (g *grammar) ordinalDay(before, next string) bool {
	if len(g.ordinalMonths) == 0 {
		return false
	}
	n := len(before)
	d := 0
	for d < n && d < 3 && isDigit(before[n-1-d]) {
		d++
	}
	if d == 0 || d > 2 {
		return false
	}
	if n > d {
		if r, _ := utf8.DecodeLastRuneInString(before[:n-d]); match.IsWordRune(r) || r == '.' || r == ',' {
			return false // "2.5.", "1,5." or a word's end: no day
		}
	}
	end := 0
	for end < len(next) {
		r, size := utf8.DecodeRuneInString(next[end:])
		if !unicode.IsLetter(r) {
			break
		}
		end += size
	}
	return end > 0 && g.ordinalMonths[strings.ToLower(next[:end])]
}

// grammarFor returns the grammar of a document in lang: its own where the
// taxonomy lists the language, else every language's.
func (c *Classifier) grammarFor(lang string) *grammar {
	if g, ok := c.grammars[lang]; ok {
		return g
	}
	return c.anyGrammar
}

// objectMarked reports whether the text before an actor mention ends in a
// word that makes what follows the object of someone else's tie: "with",
// "from", "dengan", "с", "与"… ("Indonesia weighs offers from Rosatom and
// CNNC", "menjajaki kerja sama dengan Rusia dan China").
func (g *grammar) objectMarked(before string) bool {
	b := trimSpaceRight(before)
	if m := g.objects.endsWith(b); m != "" {
		// Chinese marks the object before the first of the pair; the pair
		// itself opening the clause is the subject.
		rest := b[:len(b)-len(m)]
		return rest != "" && !strings.ContainsRune("，。；：、 ", lastRune(rest))
	}
	w1, w2 := rawPrevWords(b)
	if g.objects.word(w1) {
		return true
	}
	// "with the Russian and Chinese…"
	return g.articles.word(w1) && g.objects.word(w2)
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
// word that opens reported speech ("that", "says", "что", "称") — so that
// the actor is a subject there, not someone's object ("Despite US pressure,
// Russia and China signed…").
func (g *grammar) opensClause(before string) bool {
	b := strings.TrimRight(before, " \u00a0\"«“'")
	if b == "" {
		return true
	}
	if strings.ContainsRune(",;:—–-(，；：、（،؛", lastRune(b)) {
		return true
	}
	return g.clauses.before(b)
}

// locativeMarked reports whether the text before a country mention ends in
// a word that makes it a place: "in", "в", "en", "di", "在".
func (g *grammar) locativeMarked(before string) bool {
	return g.locatives.before(before)
}

// attachedConjunction reports whether the word at the start of s begins
// with a conjunction written onto it (Arabic "و"), followed by a letter.
func (g *grammar) attachedConjunction(s string) bool {
	for _, p := range g.attachedConjunctions {
		if rest, ok := strings.CutPrefix(s, p); ok {
			if r, _ := utf8.DecodeRuneInString(rest); unicode.IsLetter(r) {
				return true
			}
		}
	}
	return false
}

// attachedProclitic reports whether t, the text between two names, is a
// proclitic of the second that starts with a conjunction ("و", "وال"):
// the second name was matched after it.
func (g *grammar) attachedProclitic(t string) bool {
	if !slices.Contains(g.proclitics, t) {
		return false
	}
	for _, c := range g.attachedConjunctions {
		if strings.HasPrefix(t, c) {
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
// them as one subject: a conjunction ("and", "и", "和"), a comma, a slash,
// a dash, or nothing at all ("中俄"). White space alone does not ("в
// Украину Китай": two nouns of two clauses), nor does a comma after a Han
// character, which in Chinese ends a clause ("不学美国,俄罗斯…"); Chinese
// lists with "、".
func (g *grammar) isConjunction(text string, from, to int) bool {
	gap := text[from:to]
	if gap == "" {
		return true
	}
	t := strings.TrimSpace(gap)
	if t == "" && g.attachedConjunction(text[to:]) {
		return true // "الهند وروسيا": "and" written on the second name
	}
	if g.attachedProclitic(t) {
		return true // "روساتوم والمؤسسة…": the name matched after its proclitic
	}
	if len(t) > 12 {
		return false // most gaps are words long: no conjunction alone
	}
	switch t {
	case "":
		return false
	case ",", "،":
		if from > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:from]); unicode.Is(unicode.Han, r) {
				return false
			}
		}
		return true
	case "&", "、", "-", "–", "—", "/":
		return true
	}
	return g.conjunctions.word(t) || (g.conjunctions.endsWith(t) == t)
}
