// Package match finds many literal patterns in a text in one pass, with the
// word-boundary and case rules that multilingual news needs.
//
// The matcher is an Aho–Corasick automaton compiled to a DFA over case-folded
// UTF-8 bytes, with bytes grouped into equivalence classes so the transition
// table stays small. The text is folded rune by rune as it is scanned (no
// folded copy is built), and match offsets always refer to the original text.
//
// Boundary rules follow the scripts: a pattern that starts (ends) with a
// letter or digit of a script that separates words with spaces (Latin,
// Cyrillic, Greek, Arabic…) only matches where the rune before (after) it is
// not such a letter or digit; Han, kana and Hangul patterns match anywhere,
// since those scripts do not separate words. So "AI" never matches inside
// "said", but "中国" matches inside "中国政府" and "AI" matches in "在AI上".
// A language that writes its clitics onto the word (Arabic "و", "ال") names
// them as proclitics (Options), after which a word-initial pattern matches
// too: "الصين" in "والصين".
package match

import (
	"fmt"
	"math"
	"sort"
	"unicode"
	"unicode/utf8"
)

// MaxPatternRunes bounds a pattern's length: a pattern is a word or a short
// phrase, and the bound keeps the walk back to a match's start short.
const MaxPatternRunes = 64

// Pattern is one literal to find.
type Pattern struct {
	// Text is the literal. It is folded (lower case, ё→е) unless CaseSensitive.
	Text string
	// CaseSensitive makes a match count only where the text has exactly Text,
	// which short all-caps acronyms (MTS, AI, МТС) need.
	CaseSensitive bool
	// Prefix drops the boundary check after the pattern, so a stem such as
	// "российск" matches "российский" and "российско-китайский".
	Prefix bool
}

// Match is one occurrence of a pattern: Pattern indexes the slice given to
// Compile, and text[Start:End] is the matched original text.
type Match struct {
	Pattern    int
	Start, End int
}

// Options tune a matcher to a language.
type Options struct {
	// Proclitics are prefixes a language writes onto a word ("و", "ال",
	// "بال" in Arabic): a pattern that must start a word also matches
	// after one of them, the word's start then being the proclitic's.
	Proclitics []string
}

// maxProcliticRunes bounds a proclitic's length.
const maxProcliticRunes = 4

// Matcher is a compiled pattern set. It is immutable and safe for concurrent use.
type Matcher struct {
	proclitics map[string]bool
	classes    [256]uint8
	nclass     int
	delta      []int32 // row + class -> next row (state*nclass), bits flipped if it has outputs
	outStart   []int32 // outputs of state s are outs[outStart[s]:outStart[s+1]]
	outs       []int32
	pats       []compiled
}

type compiled struct {
	text       string // original pattern text, for case-sensitive checks
	runes      int    // rune count of the folded pattern
	caseSens   bool
	checkLeft  bool
	checkRight bool
}

// Fold returns the case-folded form of r the matcher uses: lower case, with
// Russian ё folded to е, since Russian text writes either.
func Fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	switch {
	case r == 'ё' || r == 'Ё':
		return 'е'
	case r >= 'А' && r <= 'Я':
		return r + 'а' - 'А'
	case r >= 'а' && r <= 'я':
		return r
	case r >= 0x3000 && (r < 0xFF21 || r > 0xFF3A):
		return r // CJK and other scripts without case (fullwidth Latin capitals excepted)
	case r == '’' || r == 'ʼ' || r == '‘':
		return '\''
	}
	return unicode.ToLower(r)
}

// IsWordRune reports whether r belongs to a script that separates words with
// spaces (Latin, Cyrillic, Greek letters and digits): only those runes make a
// word boundary check fail.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Compile builds a matcher for pats. It fails on an empty pattern, one longer
// than MaxPatternRunes or one that is not valid UTF-8.
func Compile(pats []Pattern) (*Matcher, error) { return CompileOptions(pats, Options{}) }

// CompileOptions is Compile with a language's options. It also fails on a
// proclitic that is empty or longer than four runes.
func CompileOptions(pats []Pattern, opts Options) (*Matcher, error) {
	m, err := compile(pats)
	if err != nil {
		return nil, err
	}
	for _, p := range opts.Proclitics {
		if p == "" || utf8.RuneCountInString(p) > maxProcliticRunes {
			return nil, fmt.Errorf("compile proclitic %q: %w", p, ErrBadProclitic)
		}
		if m.proclitics == nil {
			m.proclitics = map[string]bool{}
		}
		m.proclitics[foldString(p)] = true
	}
	return m, nil
}

func foldString(s string) string {
	var b []byte
	for _, r := range s {
		b = utf8.AppendRune(b, Fold(r))
	}
	return string(b)
}

// procliticBefore reports whether the word letters just before text[s:]
// are, from the word's start, one of the proclitics.
func (m *Matcher) procliticBefore(text string, s int) bool {
	if m.proclitics == nil {
		return false
	}
	ws := s
	for k := 0; k < maxProcliticRunes && ws > 0; k++ {
		r, size := utf8.DecodeLastRuneInString(text[:ws])
		if !IsWordRune(r) {
			break
		}
		ws -= size
	}
	if ws > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:ws]); IsWordRune(r) {
			return false
		}
	}
	return m.proclitics[foldString(text[ws:s])]
}

func compile(pats []Pattern) (*Matcher, error) {
	type node struct {
		next map[byte]int32
		fail int32
		out  []int32
	}
	nodes := []node{{next: map[byte]int32{}}}
	m := &Matcher{pats: make([]compiled, len(pats))}
	var used [256]bool
	for i, p := range pats {
		if p.Text == "" {
			return nil, fmt.Errorf("compile pattern %d: %w", i, ErrEmptyPattern)
		}
		if !utf8.ValidString(p.Text) {
			return nil, fmt.Errorf("compile pattern %d %q: %w", i, p.Text, ErrInvalidUTF8)
		}
		folded := make([]byte, 0, len(p.Text))
		n := 0
		for _, r := range p.Text {
			// The automaton always runs on folded bytes; a case-sensitive
			// pattern is checked against the original text on a match.
			r = Fold(r)
			folded = utf8.AppendRune(folded, r)
			n++
		}
		if n > MaxPatternRunes {
			return nil, fmt.Errorf("compile pattern %q: %w", p.Text, ErrPatternTooLong)
		}
		first, _ := utf8.DecodeRuneInString(p.Text)
		last, _ := utf8.DecodeLastRuneInString(p.Text)
		m.pats[i] = compiled{
			text:       p.Text,
			runes:      n,
			caseSens:   p.CaseSensitive,
			checkLeft:  IsWordRune(first),
			checkRight: !p.Prefix && IsWordRune(last),
		}
		s := int32(0)
		for _, b := range folded {
			used[b] = true
			nx, ok := nodes[s].next[b]
			if !ok {
				nx = int32(len(nodes))
				nodes = append(nodes, node{next: map[byte]int32{}})
				nodes[s].next[b] = nx
			}
			s = nx
		}
		nodes[s].out = append(nodes[s].out, int32(i))
	}

	// Byte classes: every byte some pattern uses gets its own class; all
	// other bytes share class 0, which always leads back towards the root.
	nc := 1
	for b := 0; b < 256; b++ {
		if used[b] {
			m.classes[b] = uint8(nc)
			nc++
		}
	}
	// Valid UTF-8 never uses 0xC0, 0xC1 or 0xF5–0xFF, so nc stays below 256.
	m.nclass = nc

	// BFS for failure links, filling the DFA table as we go.
	m.delta = make([]int32, len(nodes)*nc)
	order := make([]int32, 0, len(nodes))
	keys := func(nx map[byte]int32) []byte {
		ks := make([]byte, 0, len(nx))
		for b := range nx {
			ks = append(ks, b)
		}
		sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
		return ks
	}
	for _, b := range keys(nodes[0].next) {
		c := nodes[0].next[b]
		nodes[c].fail = 0
		m.delta[int(m.classes[b])] = c
		order = append(order, c)
	}
	for qi := 0; qi < len(order); qi++ {
		s := order[qi]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		row := int(s) * nc
		copy(m.delta[row:row+nc], m.delta[int(f)*nc:int(f)*nc+nc])
		for _, b := range keys(nodes[s].next) {
			c := nodes[s].next[b]
			nodes[c].fail = m.delta[int(f)*nc+int(m.classes[b])]
			m.delta[row+int(m.classes[b])] = c
			order = append(order, c)
		}
	}
	m.outStart = make([]int32, len(nodes)+1)
	for i := range nodes {
		m.outStart[i] = int32(len(m.outs))
		m.outs = append(m.outs, nodes[i].out...)
	}
	m.outStart[len(nodes)] = int32(len(m.outs))
	// The scan reads the table as row offsets (state*nclass), with the
	// bits flipped where the state has outputs: one load and one sign
	// test a byte, no multiplication and no output lookup.
	if len(nodes)*nc > math.MaxInt32 {
		return nil, fmt.Errorf("compile %d patterns: %d states: %w", len(pats), len(nodes), ErrTooLarge)
	}
	for e, t := range m.delta {
		row := t * int32(nc)
		if m.outStart[t] != m.outStart[t+1] {
			row = ^row
		}
		m.delta[e] = row
	}
	return m, nil
}

// States returns the number of automaton states, for sizing reports.
func (m *Matcher) States() int { return len(m.outStart) - 1 }

// FindAll appends every match in text to dst, ordered by end offset, and
// returns the extended slice. Overlapping matches are all reported. Invalid
// UTF-8 is read as U+FFFD, which no pattern contains.
func (m *Matcher) FindAll(text string, dst []Match) []Match {
	var buf [utf8.UTFMax]byte
	nc := int32(m.nclass)
	delta := m.delta
	classes := &m.classes
	row := int32(0) // the current state's row offset
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			row = delta[row+int32(classes[c])]
			i++
		} else {
			// Patterns end on whole runes, so no state inside a rune has
			// outputs: only the row after its last byte can be flipped.
			r, size := utf8.DecodeRuneInString(text[i:])
			if f := Fold(r); f != r || r == utf8.RuneError {
				n := utf8.EncodeRune(buf[:], f)
				for j := 0; j < n; j++ {
					row = delta[row+int32(classes[buf[j]])]
				}
			} else {
				// Already folded (lower case, or a script without case):
				// its bytes are the folded bytes.
				for j := i; j < i+size; j++ {
					row = delta[row+int32(classes[text[j]])]
				}
			}
			i += size
		}
		if row >= 0 {
			continue
		}
		row = ^row
		state := row / nc
		for _, pi := range m.outs[m.outStart[state]:m.outStart[state+1]] {
			p := &m.pats[pi]
			// A match's runes are valid UTF-8 (no pattern holds U+FFFD):
			// its start is p.runes runes back.
			s := i
			for range p.runes {
				_, size := utf8.DecodeLastRuneInString(text[:s])
				s -= size
			}
			if p.caseSens && text[s:i] != p.text {
				continue
			}
			if p.checkLeft && s > 0 {
				r, _ := utf8.DecodeLastRuneInString(text[:s])
				if IsWordRune(r) && !m.procliticBefore(text, s) {
					continue
				}
			}
			if p.checkRight && i < len(text) {
				r, _ := utf8.DecodeRuneInString(text[i:])
				if IsWordRune(r) {
					continue
				}
			}
			dst = append(dst, Match{Pattern: int(pi), Start: s, End: i})
		}
	}
	return dst
}
