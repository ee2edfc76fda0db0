package classify

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// yearMention is a year a sentence states as a time ("in 2019", "в 2019
// году", "2019年", "5 June 2019"), not a bare number ("2000 base stations").
type yearMention struct {
	year  int
	start int // offset in the sentence
	// bound marks an end or a deadline ("until 2022", "до 2022 года", "к
	// 2030 году", "hasta 2026", "2030年前", the end of "2019–2022"): when
	// something runs to, not when it happened.
	bound bool
}

// yearSuffixed reports whether the text after a number starts with one of
// t's entries ("году" after "2019", "年前" after "2030"): a word's prefix,
// so that "год" covers "году" and "года".
func yearSuffixed(t *tokens, after string) bool {
	if t.startsWith(after) != "" {
		return true
	}
	lower := strings.ToLower(after)
	for w := range t.words {
		if strings.HasPrefix(lower, w) {
			return true
		}
	}
	return false
}

// years finds the years a sentence states as times.
func (d *dateFinder) years(s string, g *grammar) []yearMention {
	var out []yearMention
	for i := 0; i+4 <= len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i != 4 || (i > 0 && (s[i-1] == '.' || s[i-1] == ',') && i > 1 && isDigit(s[i-2])) {
			i = j
			continue
		}
		y := int(s[i]-'0')*1000 + int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
		if y < 1950 || y > 2049 {
			i = j
			continue
		}
		w1, w2 := prevWords(s[:i])
		after := strings.TrimLeft(s[j:], " \u00a0")
		before := strings.TrimRight(s[:i], " \u00a0")
		boundBefore := g.yearBounds.word(w1) || g.yearBounds.word(w2) || g.yearBounds.endsWith(before) != ""
		marked := boundBefore || g.yearMarkers.word(w1) || d.isMonth(w1) || yearSuffixed(&g.yearSuffixes, after) ||
			(w1 == "" && i > 0 && isMonthDigits(s[:i]))
		if !marked {
			i = j
			continue
		}
		bound := boundBefore || yearSuffixed(&g.yearBoundSuffixes, after)
		if k := len(before); k > 0 && (before[k-1] == '-' || strings.HasSuffix(before, "–") || strings.HasSuffix(before, "—")) {
			bound = true // the end of a range
		}
		out = append(out, yearMention{year: y, start: i, bound: bound})
		i = j
	}
	return out
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// prevWords returns the last two words before the end of s, lower-cased;
// punctuation other than spaces ends the search ("(EFE).- 2019" has none).
func prevWords(s string) (w1, w2 string) {
	r1, r2 := rawPrevWords(s)
	return strings.ToLower(r1), strings.ToLower(r2)
}

// rawPrevWords is prevWords without lower-casing, which allocates nothing.
func rawPrevWords(s string) (w1, w2 string) {
	end := len(s)
	for k := 0; k < 2; k++ {
		i := end
		for i > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:i])
			if r != ' ' && r != '\u00a0' {
				break
			}
			i -= size
		}
		j := i
		for j > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:j])
			if r < utf8.RuneSelf {
				if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
					break
				}
			} else if !unicode.IsLetter(r) || unicode.Is(unicode.Han, r) {
				break
			}
			j -= size
		}
		if j == i {
			break
		}
		if k == 0 {
			w1 = s[j:i]
		} else {
			w2 = s[j:i]
		}
		end = j
	}
	return w1, w2
}

func (d *dateFinder) isMonth(w string) bool {
	if w == "" {
		return false
	}
	_, ok := d.months[w]
	return ok
}

// isMonthDigits reports a numeric date before a year: "05.06." or "5/6/".
func isMonthDigits(before string) bool {
	n := len(before)
	return n >= 2 && (before[n-1] == '.' || before[n-1] == '/') && isDigit(before[n-2])
}

// docYear is the document's time frame: the latest year it states as a
// past or present time.
func (c *Classifier) docYear(text string, sents []sentence, g *grammar) int {
	best := 0
	for i := range sents {
		s := &sents[i]
		if s.modal || s.stages&c.intentBit != 0 {
			continue // "deliveries will start in 2027" is not the story's time
		}
		for _, y := range g.dates.years(text[s.start:s.end], g) {
			if !y.bound && y.year > best {
				best = y.year
			}
		}
	}
	return best
}

// signingYear returns the year stated closest to the signing cue of a
// sentence (0 if none), and whether it is a bare year ("in 2019") rather than
// part of a date with a month.
func (c *Classifier) signingYear(sent string, cue int, g *grammar) (int, bool) {
	best, dist := 0, -1
	for _, y := range g.dates.years(sent, g) {
		if y.bound {
			continue
		}
		d := y.start - cue
		if d < 0 {
			d = -d
		}
		if dist < 0 || d < dist {
			best, dist = y.year, d
		}
	}
	if best == 0 {
		return 0, false
	}
	d := g.dates.find(sent)
	return best, !(len(d) > 4 && d[:4] == itoa4(best))
}

func itoa4(y int) string {
	return string([]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10)})
}

// pastSignings marks as recalls the signing sentences that state a year well
// before the story's own time (its publication, or the latest year it states) ("In 2019 MTS and Huawei signed…" in a 2025
// story), or any bare year while the story is about something else (the two
// sides are neither in the headline and lead nor named throughout) or about
// a deal still planned (the headline at the intent stage): a deal of the
// past recalled in passing, not news.
func (c *Classifier) pastSignings(text string, sents []sentence, published time.Time, g *grammar) {
	doc := -1
	for i := range sents {
		s := &sents[i]
		if s.signN == 0 || s.recall {
			continue
		}
		y, bare := c.signingYear(text[s.start:s.end], s.signStart-s.start, g)
		if y == 0 {
			continue
		}
		if doc < 0 {
			doc = c.docYear(text, sents, g)
			if !published.IsZero() && published.Year() > doc {
				doc = published.Year()
			}
		}
		if g.basisBefore(text[s.start:s.signStart]) {
			// "built under the package of agreements signed by both
			// countries in 2018": a dated deal named as the basis of the
			// work reported is its frame, not news.
			s.recall = true
			continue
		}
		if doc-y >= recallYears || (bare && (!sidesProminent(sents, i) || (!s.title && headlinePlans(sents, c.intentBit)))) {
			s.recall = true
		}
	}
}

// headlinePlans reports a headline at the intent stage with no signing of
// its own ("Россия и Китай готовят новый документ…"): the story is about a
// deal still to come, so a signing the body dates by a bare year is the
// earlier deal recalled as background, not the news.
func headlinePlans(sents []sentence, intentBit uint16) bool {
	for i := range sents {
		s := &sents[i]
		if s.title && s.stages&intentBit != 0 && s.signN == 0 {
			return true
		}
	}
	return false
}

// recallYears is how many years before the story's latest stated year a
// signing must lie to be a recall: a deal of last year may still be news.
const recallYears = 2

// basisBefore reports a phrase naming the basis or framework of something
// within the last few words before a signing cue ("under the agreement",
// "berdasarkan paket kesepakatan yang", "в рамках соглашения", "el marco
// legal … es el acuerdo", "根据…协议"). Only signings that state a year reach
// it: "Under the contract signed on Monday" stays news.
func (g *grammar) basisBefore(before string) bool {
	if len(before) > 80 {
		before = before[len(before)-80:]
	}
	before = strings.ToLower(before)
	for _, b := range g.basis {
		if strings.Contains(before, b) {
			return true
		}
	}
	return false
}
