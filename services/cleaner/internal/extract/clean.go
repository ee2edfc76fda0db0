package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// selection is the outcome of content selection on one walked page.
type selection struct {
	keep  []bool // per block
	chars int    // runes kept
	links int    // runes of link text kept
}

// quality ranks the outcomes of the retry passes: text that is not link
// text, so a pass that only adds menus and archive lists does not win.
func (s selection) quality() int { return s.chars - s.links }

// selectContent chooses the article container and marks the blocks to
// keep.
func (d *dom) selectContent() selection {
	sel := selection{keep: d.scratch.keepFor(len(d.blocks))}
	cands := d.score()
	top := d.topCandidate(cands)
	if top < 0 {
		return sel
	}
	roots := d.roots(top)
	for _, r := range roots {
		for b := d.elems[r].firstBlock; b < d.elems[r].endBlock; b++ {
			sel.keep[b] = d.absent == nil || !d.absent[b]
		}
	}
	for _, r := range roots {
		d.cleanInside(r, sel.keep)
	}
	d.dropThreads(roots, top, sel.keep)
	d.dropLinkLists(roots, sel.keep)
	d.filterBlocks(sel.keep)
	d.dropTeasers(sel.keep)
	d.dropRepeats(sel.keep)
	for i, k := range sel.keep {
		if k {
			sel.chars += int(d.blocks[i].chars)
			sel.links += int(d.blocks[i].links)
		}
	}
	return sel
}

// cleanInside removes page furniture inside an article root, innermost
// elements first so that an outer container is judged without the lists
// and widgets already removed from it (as Readability does).
func (d *dom) cleanInside(root int32, keep []bool) {
	rootE := &d.elems[root]
	for i := rootE.last; i > root; i-- {
		e := &d.elems[i]
		if e.flags&fSkip != 0 || e.endBlock == e.firstBlock || !keep[e.firstBlock] && !anyKept(keep, e.firstBlock, e.endBlock) {
			continue
		}
		if !d.shouldRemove(i, root) {
			continue
		}
		for b := e.firstBlock; b < e.endBlock; b++ {
			keep[b] = false
		}
		// Ancestors are judged later on what remains.
		for p := e.parent; p >= root; p = d.elems[p].parent {
			pe := &d.elems[p]
			pe.chars -= e.chars
			pe.links -= e.links
			pe.commas -= e.commas
			pe.paras -= e.paras
			pe.imgs -= e.imgs
			pe.lis -= e.lis
			pe.headChars -= e.headChars
			if p == root {
				break
			}
		}
	}
}

func anyKept(keep []bool, from, to int32) bool {
	for b := from; b < to; b++ {
		if keep[b] {
			return true
		}
	}
	return false
}

// shouldRemove decides whether element i inside the article root is chrome.
func (d *dom) shouldRemove(i, root int32) bool {
	e := &d.elems[i]
	switch e.tag {
	case atom.Nav, atom.Aside, atom.Footer:
		return true
	case atom.Form, atom.Fieldset:
		return e.inputs > 0 && e.commas < 10
	case atom.H1, atom.H2:
		return e.weight < 0
	}
	// An embedded post in a "social" wrapper is not a share bar.
	if e.flags&fShare != 0 && e.chars < 500 && e.quotes == 0 {
		return true
	}
	if e.flags&fUnlikely != 0 && e.chars*2 < d.elems[root].chars && e.flags&fArticle == 0 && e.quotes == 0 {
		return true
	}
	switch e.tag {
	case atom.Table, atom.Ul, atom.Ol, atom.Div, atom.Section, atom.Dl, atom.Header:
		return d.cleanCond && d.cleanConditionally(i)
	}
	return false
}

// cleanConditionally is Readability's test for containers inside the
// article that look like furniture: mostly links, images without text, or
// near-empty.
func (d *dom) cleanConditionally(i int32) bool {
	e := &d.elems[i]
	weight := float64(e.weight)
	if weight < 0 {
		// A "social" or "embed" wrapper of an embedded post stays.
		return e.quotes == 0
	}
	if e.commas >= 10 {
		return false
	}
	isList := e.tag == atom.Ul || e.tag == atom.Ol
	p := float64(e.paras)
	img := float64(e.imgs)
	li := float64(e.lis) - 100
	ld := e.linkDensity()
	headingDensity := 0.0
	if e.chars > 0 {
		headingDensity = float64(e.headChars) / float64(e.chars)
	}
	inFigure := d.hasAncestor(i, atom.Figure)
	switch {
	case img > 1 && p/img < 0.5 && !inFigure:
		return !d.imageList(i)
	case !isList && li > p:
		return true
	case !isList && headingDensity < 0.9 && e.chars < 25 && (img == 0 || img > 2) && !inFigure:
		return true
	case !isList && weight < 25 && ld > 0.2:
		return true
	case weight >= 25 && ld > 0.5:
		return true
	}
	return false
}

// imageList reports a list whose items are images only (a gallery).
func (d *dom) imageList(i int32) bool {
	e := &d.elems[i]
	return (e.tag == atom.Ul || e.tag == atom.Ol) && e.imgs == e.lis
}

func (d *dom) hasAncestor(i int32, tag atom.Atom) bool {
	for p := d.elems[i].parent; p >= 0; p = d.elems[p].parent {
		if d.elems[p].tag == tag {
			return true
		}
	}
	return false
}

// filterBlocks drops single blocks that are chrome by their words: share
// labels, "Read also" teasers, copyright lines, and the link lists that
// follow a "Related" heading inside the article.
func (d *dom) filterBlocks(keep []bool) {
	inList := false
	for i := range d.blocks {
		if !keep[i] {
			continue
		}
		b := &d.blocks[i]
		k := notChrome
		if b.chars <= maxChromeLine {
			k = classifyLine(b.text)
		}
		switch {
		case k == chromeListHead:
			keep[i] = false
			inList = true
			continue
		case k != notChrome:
			keep[i] = false
			continue
		case b.kind == kPara && b.links*10 >= b.chars*9 && b.chars >= 20 && b.chars < 160:
			// A short paragraph that is one link is a promo for another
			// page ("Photos: see how …"), not a paragraph of the text;
			// a long one is a linked quote.
			keep[i] = false
			continue
		}
		if inList {
			if b.chars >= 2*int32(b.links)+1 && b.chars > 120 {
				inList = false
			} else {
				keep[i] = false
			}
		}
	}
}

// dropLinkLists drops the lists of links to other stories at the end of
// the article: a list whose items are links and nothing else, with no
// paragraph of the article after it, and the label before it ("More
// world stories from …:", a heading). A list of links followed by more
// of the text is the article's (bugs fixed, sources, resources).
func (d *dom) dropLinkLists(roots []int32, keep []bool) {
	for _, r := range roots {
		for i := r + 1; i <= d.elems[r].last; i++ {
			e := &d.elems[i]
			if e.tag != atom.Ul && e.tag != atom.Ol || e.lis < 2 || e.links*10 < e.chars*8 || !anyKept(keep, e.firstBlock, e.endBlock) {
				continue
			}
			label := int32(-1)
			for b := e.firstBlock - 1; b >= 0; b-- {
				if keep[b] {
					label = b
					break
				}
			}
			labelled := label >= 0 && (d.blocks[label].kind == kHeading || endsWithLabelColon(d.blocks[label].text)) &&
				d.blocks[label].chars < 120
			if d.proseAfter(keep, e.endBlock) {
				i = e.last
				continue
			}
			for b := e.firstBlock; b < e.endBlock; b++ {
				keep[b] = false
			}
			if labelled {
				keep[label] = false
			}
			i = e.last
		}
	}
}

// proseAfter reports whether kept text of the article follows block
// from: a paragraph or item of some length that is not mostly links.
func (d *dom) proseAfter(keep []bool, from int32) bool {
	for b := from; int(b) < len(keep); b++ {
		if keep[b] && d.blocks[b].kind != kHeading && d.blocks[b].chars >= 60 && d.blocks[b].links*2 < d.blocks[b].chars {
			return true
		}
	}
	return false
}

// dropTeasers drops the teasers of other stories kept inside the
// article: a paragraph cut short with "…" under a headline link, or
// itself a link. A single one under a headline link may be the article's
// own trailing sentence; two or more make a list of stories, dropped with
// their headlines.
func (d *dom) dropTeasers(keep []bool) {
	var teasers []int32 // teaser, then its headline or -1
	prev := int32(-1)
	for i, k := range keep {
		if !k {
			continue
		}
		b := &d.blocks[i]
		if b.chars >= 40 && endsEllipsis(b.text) {
			switch {
			case b.links*2 >= b.chars && !strings.Contains(b.text, "://"):
				keep[i] = false
				continue
			case prev >= 0 && d.blocks[prev].links*2 > d.blocks[prev].chars:
				teasers = append(teasers, int32(i), prev)
			}
		}
		prev = int32(i)
	}
	if len(teasers) < 4 {
		return
	}
	for _, i := range teasers {
		keep[i] = false
	}
}

func endsEllipsis(s string) bool {
	return strings.HasSuffix(s, "…") || strings.HasSuffix(s, "...")
}

// dropRepeats drops the copies of blocks that a page shows twice: a
// pull quote or a heading that repeats a line of the article, or a run of
// two or more repeated blocks (a print or app copy of the article). A
// paragraph repeated on its own is the article's (a refrain, a line of a
// poem, a repeated call to action) and stays.
func (d *dom) dropRepeats(keep []bool) {
	var (
		seen map[string]int32 // text -> first block
		dup  []int32          // kept blocks that repeat an earlier one
	)
	for i, k := range keep {
		if !k || d.blocks[i].chars < 20 {
			continue
		}
		if seen == nil {
			seen = make(map[string]int32, 64)
		}
		t := d.blocks[i].text
		if _, ok := seen[t]; ok {
			dup = append(dup, int32(i))
			continue
		}
		seen[t] = int32(i)
	}
	for j, i := range dup {
		b := &d.blocks[i]
		first := &d.blocks[seen[b.text]]
		// A run: the next or the previous kept block is a repeat of
		// another block, of the same kind (a copied section, not a line
		// said twice).
		run := j > 0 && d.nextKept(keep, dup[j-1]) == i && d.sameKindOther(dup[j-1], i) ||
			j+1 < len(dup) && d.nextKept(keep, i) == dup[j+1] && d.sameKindOther(dup[j+1], i)
		if run || b.kind != kPara || first.kind != kPara {
			keep[i] = false
		}
	}
}

// sameKindOther reports whether blocks a and b are of one kind and
// differ in text.
func (d *dom) sameKindOther(a, b int32) bool {
	return d.blocks[a].kind == d.blocks[b].kind && d.blocks[a].text != d.blocks[b].text
}

// nextKept returns the first kept block after i, or -1.
func (d *dom) nextKept(keep []bool, i int32) int32 {
	for j := i + 1; int(j) < len(keep); j++ {
		if keep[j] {
			return j
		}
	}
	return -1
}
