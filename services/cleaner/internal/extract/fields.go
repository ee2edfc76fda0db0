package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// The article text is the body only. The lines around it that templates
// put inside the article container (the headline, a kicker, the byline
// and date line, photo captions and credits) are metadata: they go to
// Article's fields, or are dropped where a field already holds them, and
// never stay in Blocks.

// maxCaptionChars bounds an element taken as a caption by its class name
// ("wp-caption", "photo-credit"): a longer one is a container that
// happens to be named so.
const maxCaptionChars = 400

// maxBylineChars bounds an element taken as a byline by its class name
// ("author", "byline"): longer ones are author bios or containers.
const maxBylineChars = 200

// moveFields takes the metadata lines out of the kept blocks: captions
// (figcaption, text inside a <figure>, caption- and credit-named
// elements, "Photo: …" and "Name/Agency" lines) go to a.Captions, once
// each; the headline, kicker, byline and date line in the head of the
// article (before its first paragraph of prose, or just after a
// standfirst), date and author lines after its last paragraph, the
// author's bio and author boxes are dropped, a.Title and a.Byline
// holding what they say. A page left with nothing but such lines keeps
// them (the headline aside): a photo page's caption is its article.
func (d *dom) moveFields(keep []bool, a *Article) {
	firstBody, lastBody := len(d.blocks), -1
	for i, k := range keep {
		if k && d.isBodyBlock(i) {
			firstBody = i
			break
		}
	}
	for i := len(keep) - 1; i >= firstBody; i-- {
		// An author box's bio is prose, but not the article's.
		if keep[i] && d.isBodyBlock(i) && !d.inByline(i, firstBody) {
			lastBody = i
			break
		}
	}
	var (
		seenCaption map[string]bool
		moved       []int // blocks taken out, headline aside
		nth         int   // kept blocks seen so far
		nthBody     int   // nth of the first paragraph of the body
		left        bool  // a block of the body is left
		lastBio     = len(keep)
	)
	// The last two blocks are where an author's bio goes.
	for i, n := len(keep)-1, 0; i >= 0 && n < 2; i-- {
		if keep[i] {
			lastBio, n = i, n+1
		}
	}
	d.dropAboutAuthor(keep, firstBody)
	for i, k := range keep {
		if !k {
			continue
		}
		nth++
		b := &d.blocks[i]
		if d.isCaption(i) {
			keep[i] = false
			moved = append(moved, i)
			if seenCaption == nil {
				seenCaption = make(map[string]bool, 8)
			}
			if !seenCaption[b.text] {
				seenCaption[b.text] = true
				a.Captions = append(a.Captions, b.text)
			}
			continue
		}
		head := i < firstBody
		tail := lastBody >= 0 && i > lastBody
		// A date or author line often follows a standfirst that reads
		// as the first paragraph.
		near := head || i > firstBody && nth <= nthBody+3
		if i == firstBody {
			nthBody = nth
		}
		switch {
		case b.kind == kHeading && (b.level == 1 && head || sameHeadline(b.text, a.Title)),
			head && sameHeadline(b.text, a.Title):
			keep[i] = false
		case head && isBylineLine(b.text, a.Byline):
			keep[i] = false
			moved = append(moved, i)
			if a.Byline == "" {
				// Pages without author markup write "By …" as text.
				a.Byline = cleanByline(b.text)
			}
		case head && nth <= 3 && isKicker(b),
			(near || tail) && (isDateLine(b.text) || isBylineLine(b.text, a.Byline)),
			i >= lastBio && isBio(b.text, a.Byline),
			d.inByline(i, firstBody):
			keep[i] = false
			moved = append(moved, i)
		default:
			left = true
		}
	}
	if !left {
		// Nothing but metadata: on a photo page the caption is the
		// article, and a page with a byline alone is not empty.
		for _, i := range moved {
			keep[i] = true
		}
		a.Captions = nil
		return
	}
	if seenCaption != nil {
		// A caption shown twice (under the photo and again in the
		// text or a gallery) goes both times.
		for i, k := range keep {
			if k && seenCaption[d.blocks[i].text] {
				keep[i] = false
			}
		}
	}
}

// aboutLabels introduce an author box at the end of an article.
var aboutLabels = [...]string{"about the author", "about the writer", "об авторе", "sobre el autor", "sobre o autor",
	"tentang penulis", "à propos de l'auteur", "über den autor", "关于作者"}

// dropAboutAuthor drops an author box written as text after the start of
// the article: a label ("About the author", "About Anna Lee") and the bio
// after it, which names the author.
func (d *dom) dropAboutAuthor(keep []bool, firstBody int) {
	for i := firstBody + 1; i < len(keep); i++ {
		if !keep[i] || d.blocks[i].chars > 60 {
			continue
		}
		t := d.blocks[i].text
		lower := strings.ToLower(t)
		name := ""
		label := false
		for _, l := range aboutLabels {
			if strings.HasPrefix(lower, l) && len(strings.TrimSpace(lower[len(l):])) < 3 {
				label = true
				break
			}
		}
		if !label && strings.HasPrefix(lower, "about ") {
			name = t[len("about "):]
			label = looksLikeName(name) || looksLikeName(titleCase(name))
		}
		if !label {
			continue
		}
		next := int(d.nextKept(keep, int32(i)))
		if next < 0 || d.blocks[next].chars > 600 {
			continue
		}
		if name != "" && !strings.Contains(strings.ToLower(d.blocks[next].text), strings.ToLower(strings.Fields(name)[0])) {
			continue
		}
		keep[i], keep[next] = false, false
	}
}

// titleCase capitalises each word of an all-capitals line ("ANNIE
// DOWNS" → "Annie Downs").
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(words, " ")
}

// isBodyBlock reports a block that starts the article body: a paragraph
// of prose, not a heading, label or date line.
func (d *dom) isBodyBlock(i int) bool {
	b := &d.blocks[i]
	if b.kind == kHeading || b.kind == kCaption || b.links*2 > b.chars {
		return false
	}
	return isProse(b.text, countWords(b.text)) && !isDateLine(b.text)
}

// isCaption reports a block that captions or credits an image: it lies in
// a <figcaption>, in a <figure> (quotes and embeds aside), or in a small
// element whose class or id names a caption or credit, or it is a credit
// line ("Photo: …").
func (d *dom) isCaption(i int) bool {
	b := &d.blocks[i]
	if b.kind == kCaption && b.owner >= 0 && d.elems[b.owner].tag == atom.Figcaption {
		return true
	}
	if b.kind != kQuote {
		for p := b.owner; p >= 0; p = d.elems[p].parent {
			e := &d.elems[p]
			if e.tag == atom.Blockquote {
				// An embedded post or quote, even inside a <figure>.
				break
			}
			if e.tag == atom.Figure || e.tag == atom.Figcaption {
				return true
			}
			if e.flags&fCaption != 0 && e.chars < maxCaptionChars {
				return true
			}
			if e.chars >= maxCaptionChars {
				break
			}
		}
	}
	return b.chars < 160 && isCreditLine(b.text)
}

// inByline reports a block inside an element whose class or id names an
// author, byline or date line: a small one anywhere (the byline), or an
// author box that starts after the article's first paragraph (a bio).
func (d *dom) inByline(i, firstBody int) bool {
	for p := d.blocks[i].owner; p >= 0; p = d.elems[p].parent {
		e := &d.elems[p]
		if e.chars >= maxBioChars {
			return false
		}
		if e.flags&fByline != 0 && e.flags&fArticle == 0 && (e.chars < maxBylineChars || int(e.firstBlock) > firstBody) {
			return true
		}
	}
	return false
}

// maxBioChars bounds an author box: longer author-named elements are
// containers.
const maxBioChars = 1500

// creditLabels start a photo credit line, in several languages; the
// label is followed by a colon or, for "Photo by", by the name.
var creditLabels = [...]string{
	"photo", "photos", "photograph", "image", "images", "picture", "pictures", "credit", "credits", "photo credit",
	"image credit", "source", "illustration", "graphic", "video", "foto", "fotos", "imagen", "bild", "фото", "иллюстрация",
	"图片", "图", "摄影", "圖片", "写真",
}

// isCreditLine recognises "Photo: Anna Lee/Reuters", "Photo by Anna Lee",
// "(Photo: AP)", "Image credit: NASA".
func isCreditLine(s string) bool {
	s = strings.TrimLeft(s, "([ ")
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "photo by ") || strings.HasPrefix(lower, "photo courtesy") || strings.HasPrefix(lower, "photograph by ") ||
		strings.HasPrefix(lower, "photos by ") || strings.HasPrefix(lower, "image by ") || strings.HasPrefix(lower, "image courtesy") {
		return true
	}
	if isAgencyCredit(s) {
		return true
	}
	for _, l := range creditLabels {
		if !strings.HasPrefix(lower, l) {
			continue
		}
		rest := strings.TrimLeft(lower[len(l):], " ")
		if strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "：") {
			return true
		}
	}
	return false
}

// isAgencyCredit recognises a photo credit written as names and agencies
// joined by slashes ("Jim Wilson/The New York Times", "AP Photo/Evan
// Vucci", "KIMIHIRO HOSHINO/AFP/Getty Images"): a few capitalised words,
// one to three slashes, no sentence.
func isAgencyCredit(s string) bool {
	i := strings.IndexByte(s, '/')
	if i <= 0 || strings.Count(s, "/") > 3 || strings.Contains(s, "://") || endsSentence(s) {
		return false
	}
	words := strings.Fields(strings.ReplaceAll(s, "/", " / "))
	if len(words) > 9 {
		return false
	}
	for _, w := range words {
		if w == "/" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && w != "of" && w != "and" && w != "the" && w != "for" {
			return false
		}
	}
	return true
}

// sameHeadline reports a line that is the article's title, compared by
// words: the <title> may differ in case and punctuation.
func sameHeadline(line, title string) bool {
	if title == "" || len(line) > 3*len(title)+8 {
		return false
	}
	return similarity(line, title) >= 0.9 && similarity(title, line) >= 0.9
}

// isBylineLine reports a line that is the author line: a byline label
// with a name after it ("By Anna Lee", "Автор: …"), or the byline itself.
func isBylineLine(line, byline string) bool {
	if len(line) > 200 {
		return false
	}
	if byline != "" && strings.HasPrefix(strings.ToLower(cutLabel(line)), strings.ToLower(byline)) && countWords(line) <= countWords(byline)+8 {
		// The byline, after its label, with a date or a role after it.
		return true
	}
	name := cleanByline(line)
	if name == "" || countWords(line) > maxBylineWords+4 {
		return false
	}
	// "By Anna Lee": a label before the name. A " by " inside the line
	// is as often a book's author or a turn of phrase.
	return cutLabel(line) != line
}

// isBio reports the author's bio line at the end of an article: it
// starts with the byline's name, two words or more ("Erin Cunningham is
// an Egypt-based correspondent for The Post.").
func isBio(line, byline string) bool {
	if len(line) > 500 || countWords(byline) < 2 || len(line) <= len(byline) {
		return false
	}
	return strings.EqualFold(line[:len(byline)], byline) && line[len(byline)] == ' '
}

// isKicker reports a label above the headline: a section name, a short
// run of words that is not a sentence (list items aside).
func isKicker(b *block) bool {
	if b.kind == kItem || b.chars > 40 || endsSentence(b.text) {
		return false
	}
	if hasCJK(b.text) {
		return b.chars < 6
	}
	return countWords(b.text) <= 3
}

// isDateLine reports a short line that is a date, with few words around
// it that are not part of it ("Posted July 8th, 2011", "Updated 3:33 pm,
// April 29, 2019", "12.03.2019 14:05", "2019年3月12日"). A sentence that
// mentions a date ("… since Oct. 18 in Toronto.") has too many other
// words. A byline in the line ("… | Par Martin Untersinger") allows the
// names, and a line of several dates and times a few words more.
func isDateLine(s string) bool {
	// Every date form has a digit: the cheap test first.
	if len(s) > 160 || strings.IndexAny(s, "0123456789") < 0 {
		return false
	}
	var month, year, day, clock, numeric, cjk, label bool
	words, dates, other := 0, 0, 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '|' || r == '·' || r == '•' }) {
		words++
		t := strings.Trim(w, "().")
		switch {
		case isMonth(t) || isMonthName(t):
			month = true
		case strings.ContainsRune(t, '年') && strings.ContainsRune(t, '月'):
			cjk = true
		case isClock(t):
			clock = true
			dates++
		case isNumericDate(t):
			numeric = true
			dates++
		case isYear(t):
			year = true
		case isDay(t):
			day = true
		case isDayPart(t):
		default:
			other++
			label = label || isBylineWord(t)
		}
	}
	limit := 6
	if label {
		limit += 8
	}
	if dates >= 3 {
		limit += 4
	}
	if other > limit {
		return false
	}
	return cjk || numeric || month && (year || day) || clock && (year || month)
}

// isDayPart reports "am", "pm" and the like, which belong to a time.
func isDayPart(w string) bool {
	switch strings.ToLower(w) {
	case "am", "pm", "a.m", "p.m", "et", "gmt", "utc", "est", "pst", "cet", "msk":
		return true
	}
	return false
}

// isBylineWord reports the words that introduce an author's name in a
// date line ("by", "par", "por", "von", "oleh", "автор").
func isBylineWord(w string) bool {
	switch strings.ToLower(strings.TrimRight(w, ":")) {
	case "by", "par", "por", "von", "oleh", "автор", "door", "di":
		return true
	}
	return false
}

// isMonthName reports month names (full or abbreviated) of languages
// besides English, lower-cased.
func isMonthName(w string) bool {
	switch strings.ToLower(w) {
	case "januari", "februari", "maret", "mei", "juni", "juli", "agustus", "oktober", "desember", // Indonesian
		"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
		"janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
		"januar", "februar", "märz", "dezember",
		"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря":
		return true
	}
	return false
}

func isYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	n, ok := digits(w)
	return ok && n >= 1900 && n <= 2100
}

// isDay reports "8", "08", "8th", "1st".
func isDay(w string) bool {
	w = strings.TrimRight(w, "stndrh")
	if len(w) == 0 || len(w) > 2 {
		return false
	}
	n, ok := digits(w)
	return ok && n >= 1 && n <= 31
}

// isClock reports "6:01", "14:05", "6:01pm", "13h36".
func isClock(w string) bool {
	w = strings.TrimRight(strings.ToLower(w), "apm.")
	i := strings.IndexAny(w, ":h")
	if i < 1 || i > 2 || len(w)-i-1 != 2 {
		return false
	}
	_, ok1 := digits(w[:i])
	_, ok2 := digits(w[i+1:])
	return ok1 && ok2
}

// isNumericDate reports "12.03.2019", "2019-03-12", "3/12/19".
func isNumericDate(w string) bool {
	parts := strings.FieldsFunc(w, func(r rune) bool { return r == '.' || r == '/' || r == '-' })
	if len(parts) != 3 || strings.ContainsFunc(w, unicode.IsLetter) {
		return false
	}
	for _, p := range parts {
		if _, ok := digits(p); !ok || len(p) > 4 {
			return false
		}
	}
	return len(parts[0]) == 4 || len(parts[2]) == 4 || len(parts[2]) == 2 && utf8.RuneCountInString(w) <= 8
}
