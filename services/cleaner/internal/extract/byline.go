package extract

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxBylineWords bounds a byline: more words than this is a menu, a bio or
// a paragraph that an author-like class happened to wrap.
const maxBylineWords = 12

// bylineLabels introduce an author's name ("By Anna Lee", "Oleh …",
// "Автор: …", "作者："); they are cut off, matched case-insensitively at
// the start of the byline.
var bylineLabels = [...]string{
	"post written by", "article written by", "written by", "posted by", "words by", "reporting by", "text by", "story by",
	"by:", "by", "oleh:", "oleh", "penulis:", "reporter:", "por:", "por", "par:", "par", "von:", "von", "door",
	"autor:", "autora:", "author:", "автор:", "автор", "текст:", "автор текста:",
	"作者：", "作者:", "作者", "记者：", "记者:", "记者", "文／", "文/", "撰文：", "撰稿：",
}

// cleanByline turns an author line as pages write it into names: the
// label before the name goes ("By", "Oleh", "作者："), and so does what
// follows the names on the same line (a date, a time, a @handle, a
// "· 3 Comments" counter). It returns "" for text that is not a byline:
// too long, or nothing left.
func cleanByline(s string) string {
	s = foldSpace(html.UnescapeString(s))
	if s == "" || strings.Count(s, "|") >= 2 {
		// Several "|" make a menu ("Sign In | Sign Up | Subscribe").
		return ""
	}
	// "Tech Industry by Steven Musil": a section label before "by".
	if i := indexFoldWord(s, " by "); i > 0 && i < 40 {
		s = s[i+1:]
	}
	s = cutLabel(s)
	s = cutTrailer(s)
	s = strings.Trim(s, " ,;:-–—|·•/")
	if s == "" || strings.Count(s, " ")+1 > maxBylineWords || !hasLetter(s) || notAName(s) {
		return ""
	}
	return s
}

// notAName reports labels that author-like elements hold instead of a
// name: the date line's "Updated", a "Follow" button.
func notAName(s string) bool {
	switch strings.ToLower(s) {
	case "updated", "last updated", "published", "posted", "posted on", "follow", "share", "staff", "admin", "author",
		"by", "more", "read more", "comments", "diperbarui", "обновлено", "опубликовано":
		return true
	}
	return false
}

// cutLabel removes a leading byline label.
func cutLabel(s string) string {
	lower := strings.ToLower(s)
	for _, l := range bylineLabels {
		if !strings.HasPrefix(lower, l) {
			continue
		}
		rest := s[len(l):]
		r, _ := utf8.DecodeLastRuneInString(l)
		if rest == "" {
			return ""
		}
		// A word label must end at a word boundary ("By Anna", not
		// "Byron"); a label ending in punctuation or a CJK label may
		// touch the name.
		if unicode.IsLetter(r) && r < 0x3000 {
			c, _ := utf8.DecodeRuneInString(rest)
			if c != ' ' && c != ':' && c != '：' {
				continue
			}
		}
		return strings.TrimLeft(rest, " :：")
	}
	return s
}

// cutTrailer cuts the byline before the first thing that is not part of a
// name list: a token starting with a digit (dates, times, counts), a
// month name, a @handle, or a separator ("|", "·", "•", " - ").
func cutTrailer(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		stop := unicode.IsDigit(r) || r == '@' || r == '|' || r == '·' || r == '•' ||
			w == "-" || w == "–" || w == "—" || isMonth(w) && i+1 < len(words) && startsWithDigit(words[i+1])
		if !stop {
			if j := strings.IndexAny(w, "|·•"); j > 0 {
				words[i] = w[:j]
				return strings.Join(words[:i+1], " ")
			}
			continue
		}
		if i == 0 {
			return ""
		}
		return strings.Join(words[:i], " ")
	}
	return s
}

// isMonth reports an English month name or its abbreviation.
func isMonth(w string) bool {
	switch strings.TrimSuffix(strings.ToLower(w), ".") {
	case "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
		"december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec":
		return true
	}
	return false
}

func startsWithDigit(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsDigit(r)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// indexFoldWord finds an ASCII word pattern such as " by " in s,
// ignoring case.
func indexFoldWord(s, pat string) int {
	n := len(pat)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], pat) {
			return i
		}
	}
	return -1
}
