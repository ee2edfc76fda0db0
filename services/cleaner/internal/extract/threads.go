package extract

import (
	"golang.org/x/net/html/atom"
)

// Reader comment threads are recognised by their shape, in any language
// and whatever the template calls them: a list of three or more sibling
// items alike in tag and class, most of which carry a short author line
// (or an avatar) and a date line before their text. Class names alone
// ("comment-list") miss the templates that name them otherwise.

// minThreadItems is the fewest items a thread has: two dated blocks in a
// row are a byline pair as often as comments.
const minThreadItems = 3

// dropThreads removes the comment threads inside the article roots
// (top is the top candidate among them). A thread must follow the
// article's text: a list of dated items that starts the article is the
// article (a live blog, an archive).
func (d *dom) dropThreads(roots []int32, top int32, keep []bool) {
	if len(roots) == 0 {
		return
	}
	start := d.elems[roots[0]].firstBlock // where the article starts
	for _, r := range roots {
		re := &d.elems[r]
		for i := r; i <= re.last; i++ {
			e := &d.elems[i]
			if e.flags&fSkip != 0 || e.endBlock == e.firstBlock {
				i = e.last
				continue
			}
			// A thread beside the article's container (a sibling taken
			// in as a root) goes whatever its length; one inside it must
			// not dwarf the article (a live blog is dated items too).
			threadChars := e.chars
			if !d.contains(top, i) {
				threadChars = 0
			}
			if !d.isThread(i) || !d.textBefore(keep, start, e.firstBlock, threadChars) {
				continue
			}
			for b := e.firstBlock; b < e.endBlock; b++ {
				keep[b] = false
			}
			i = e.last
		}
	}
}

// inThread reports whether element i is a comment thread or lies in one
// (a few levels down: a thread's item, the item's body).
func (d *dom) inThread(i int32) bool {
	for level := 0; i >= 0 && level < 4; level++ {
		if d.isThread(i) {
			return true
		}
		i = d.elems[i].parent
	}
	return false
}

// bigThreadIn returns a comment thread inside element i that holds more
// than half of its text, or -1.
func (d *dom) bigThreadIn(i int32) int32 {
	e := &d.elems[i]
	for c := i + 1; c <= e.last; c++ {
		ce := &d.elems[c]
		if ce.chars*2 <= e.chars {
			// Too small to be it, and so is everything inside.
			c = ce.last
			continue
		}
		if d.isThread(c) {
			return c
		}
	}
	return -1
}

// textBefore reports whether the kept text in blocks [from, to) is an
// article's worth beside a thread of threadChars runes: some prose of its
// own, not a line or two (a thread may be ten times the article).
func (d *dom) textBefore(keep []bool, from, to, threadChars int32) bool {
	n := int32(0)
	for b := from; b < to; b++ {
		if keep[b] && d.blocks[b].kind != kHeading {
			n += d.blocks[b].chars
		}
	}
	return n >= 200 && n*10 >= threadChars
}

// isThread reports whether element i is a list of comments: at least
// minThreadItems element children alike in tag and class, two thirds of
// all its element children, most of them comment-shaped.
func (d *dom) isThread(i int32) bool {
	e := &d.elems[i]
	if e.last-i < minThreadItems {
		return false
	}
	var (
		sigTag   atom.Atom
		sigClass string
		alike    int
		shaped   int
		children int
	)
	// Cheap test first: most elements have fewer element children.
	n := 0
	for c := i + 1; c <= e.last && n < minThreadItems; c = d.elems[c].last + 1 {
		n++
	}
	if n < minThreadItems {
		return false
	}
	// The items' signature (tag and class) is the children's majority
	// one, found in one pass (Boyer–Moore): a heading or a form may come
	// before the items.
	votes := 0
	for c := i + 1; c <= e.last; c = d.elems[c].last + 1 {
		ce := &d.elems[c]
		if ce.flags&fSkip != 0 || ce.endBlock == ce.firstBlock {
			continue
		}
		class := attr(ce.node, "class")
		switch {
		case votes == 0:
			sigTag, sigClass, votes = ce.tag, class, 1
		case ce.tag == sigTag && sameButDigits(class, sigClass):
			votes++
		default:
			votes--
		}
	}
	for c := i + 1; c <= e.last; c = d.elems[c].last + 1 {
		ce := &d.elems[c]
		if ce.flags&fSkip != 0 || ce.endBlock == ce.firstBlock {
			continue
		}
		children++
		if ce.tag != sigTag || !sameButDigits(attr(ce.node, "class"), sigClass) {
			continue
		}
		alike++
		if d.commentShaped(c) {
			shaped++
		}
	}
	return alike >= minThreadItems && alike*3 >= children*2 && shaped*3 >= alike*2
}

// sameButDigits reports whether a and b are equal once each run of
// digits in them counts as one ("comment-48213" and "comment-9").
func sameButDigits(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		da, db := isDigit(a[i]), isDigit(b[j])
		switch {
		case da && db:
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
		case a[i] == b[j]:
			i++
			j++
		default:
			return false
		}
	}
	return i == len(a) && j == len(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// commentShaped reports an item with a date line (or a <time>) and an
// author line (a short block that is not the date) or an avatar among its
// first blocks, and text besides them. An item with a headline (a
// heading longer than a name) is a live blog's entry or a story teaser,
// not a comment.
func (d *dom) commentShaped(i int32) bool {
	e := &d.elems[i]
	if e.tag == atom.P || e.endBlock-e.firstBlock < 2 {
		return false
	}
	if e.headChars > 0 {
		for b := e.firstBlock; b < e.endBlock; b++ {
			if d.blocks[b].kind == kHeading && countWords(d.blocks[b].text) > 4 {
				return false
			}
		}
	}
	dated := false
	author := e.imgs > 0
	for c := i + 1; c <= e.last && !dated; c++ {
		if d.elems[c].tag == atom.Time {
			dated = true
		}
	}
	head := min(e.endBlock, e.firstBlock+4)
	for b := e.firstBlock; b < head; b++ {
		t := d.blocks[b].text
		switch {
		case isDateLine(t):
			dated = true
		case d.blocks[b].kind != kHeading && countWords(t) <= 4:
			author = true
		}
	}
	return dated && author
}
