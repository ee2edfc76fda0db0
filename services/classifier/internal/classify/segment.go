package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is one sentence: text[start:end], in line (block) number block.
type span struct {
	start, end int
	block      int
}

// segment splits text into sentences: every line is a block, and a block is
// cut after 。！？!?； and after a period followed by space and something that
// can start a sentence. Sentences are trimmed; empty ones are dropped.
func segment(text string, dst []span, g *grammar) []span {
	block := 0
	for lineStart := 0; lineStart <= len(text); block++ {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		dst = splitBlock(text, lineStart, lineEnd, block, dst, g)
		lineStart = lineEnd + 1
	}
	return dst
}

func splitBlock(text string, start, end, block int, dst []span, g *grammar) []span {
	sentStart := start
	emit := func(e int) {
		s, t := trimSpan(text, sentStart, e)
		if t > s {
			dst = append(dst, span{start: s, end: t, block: block})
		}
		sentStart = e
	}
	for i := start; i < end; {
		// Fast path: only '.', '!', '?', a few three-byte marks (。！？；…,
		// lead bytes E2, E3, EF) and the Arabic ones (؟ ؛ ۔, lead bytes
		// D8, DB) can end a sentence.
		if b := text[i]; b < utf8.RuneSelf {
			if b != '.' && b != '!' && b != '?' {
				i++
				continue
			}
		} else if b != 0xE2 && b != 0xE3 && b != 0xEF && b != 0xD8 && b != 0xDB {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:end])
		next := i + size
		switch r {
		case '。', '！', '？', '；', '؟', '؛', '۔', '!', '?':
			j := skipClosers(text, next, end)
			if r == '!' || r == '?' {
				// Latin marks end a sentence only before space or the end.
				if j < end {
					nr, _ := utf8.DecodeRuneInString(text[j:end])
					if !unicode.IsSpace(nr) {
						i = next
						continue
					}
				}
			}
			emit(j)
			i = j
			continue
		case '.', '…':
			j := skipClosers(text, next, end)
			if j >= end {
				emit(end)
				i = end
				continue
			}
			nr, _ := utf8.DecodeRuneInString(text[j:end])
			if !unicode.IsSpace(nr) {
				i = next
				continue
			}
			k := j
			for k < end {
				rr, sz := utf8.DecodeRuneInString(text[k:end])
				if !unicode.IsSpace(rr) {
					break
				}
				k += sz
			}
			if k >= end {
				emit(end)
				i = end
				continue
			}
			fr, _ := utf8.DecodeRuneInString(text[k:end])
			if r == '.' && (g.isAbbreviation(text[sentStart:i]) || !canStartSentence(fr) || g.ordinalDay(text[sentStart:i], text[k:end])) {
				i = next
				continue
			}
			emit(j)
			i = j
			continue
		}
		i = next
	}
	emit(end)
	return dst
}

func skipClosers(text string, i, end int) int {
	for i < end {
		r, size := utf8.DecodeRuneInString(text[i:end])
		switch r {
		case '"', '\'', '”', '’', '»', '」', '』', ')', '）', '】':
			i += size
		default:
			return i
		}
	}
	return i
}

// canStartSentence reports whether r may open a sentence after a period:
// a capital, a digit, an opening quote or bracket, or a letter of a script
// without case (Han, Arabic…), where no capital marks the start.
func canStartSentence(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsDigit(r) ||
		(unicode.IsLetter(r) && !unicode.IsLower(r) && !unicode.IsTitle(r)) ||
		strings.ContainsRune("\"'“‘«„([¿¡—–-", r)
}

// isAbbreviation reports whether before ends in a word that, followed by a
// period, is an abbreviation or an initial ("U.S", "Mr", "г").
func (g *grammar) isAbbreviation(before string) bool {
	i := len(before)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(before[:i])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		i -= size
	}
	word := before[i:]
	if word == "" {
		return false
	}
	if strings.Contains(word, ".") {
		return true // U.S, e.g, т.д
	}
	if utf8.RuneCountInString(word) == 1 {
		return true
	}
	return g.abbreviations[strings.ToLower(word)]
}

func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, size := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += size
	}
	for e > s {
		r, size := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= size
	}
	return s, e
}

// unwrap joins the lines of hard-wrapped text, so that a sentence broken
// over lines is read as one: it replaces by a space each line break inside
// a paragraph (the text keeps its length, so offsets into it stay those of
// the input). A break is inside a paragraph when the line does not end a
// sentence and the next line goes on in lower case ("…signed billions of
// dollars\nworth of deals…"), or, in text that is wrapped throughout (most
// of its lines mid-sentence at a similar width, as wire copy in plain text
// often is), whenever the line does not end a sentence and the next is not
// empty.
func unwrap(text string) string {
	if strings.Count(text, "\n") < 2 {
		return text
	}
	lines := strings.Split(text, "\n")
	open, long := 0, 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		long++
		// 25 to 100 runes: at least 25 bytes, at most 400.
		if n := len(t); n >= 25 && n <= 400 && !endsSentence(t) {
			if n = utf8.RuneCountInString(t); n >= 25 && n <= 100 {
				open++
			}
		}
	}
	wrapped := long >= 5 && open*10 >= long*6
	var b []byte
	off := 0 // the offset of the break after line i
	for i := 0; i+1 < len(lines); i++ {
		off += len(lines[i]) + 1
		cur, next := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if cur == "" || next == "" || endsSentence(cur) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(next)
		if !wrapped && !unicode.IsLower(r) {
			continue
		}
		if b == nil {
			b = []byte(text)
		}
		b[off-1] = ' '
	}
	if b == nil {
		return text
	}
	return string(b)
}

// endsSentence reports whether a trimmed line ends a sentence or a
// heading-like unit: terminal punctuation, a colon, a closing quote.
func endsSentence(line string) bool {
	r, _ := utf8.DecodeLastRuneInString(line)
	return strings.ContainsRune(".!?。！？:;：；…\"»”'’)）", r)
}
