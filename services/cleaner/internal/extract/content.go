package extract

import (
	"sort"

	"golang.org/x/net/html/atom"
)

// Content selection follows Readability's design: paragraphs vote for their
// parent and grandparent containers by length and commas, containers are
// weighted by class/id hints and link density, and the best container plus
// its qualifying siblings is the article. Structural signals (<article>,
// itemprop=articleBody, common body class names) add weight, and chrome
// inside the chosen container is removed element by element and block by
// block.

// tagBase is Readability's initial score by container tag.
func tagBase(a atom.Atom) float64 {
	switch a {
	case atom.Div, atom.Article, atom.Main, atom.Section:
		return 5
	case atom.Pre, atom.Td, atom.Blockquote:
		return 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		return -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		return -5
	}
	return 0
}

// score gives every container its content score and returns the scored
// element indexes.
func (d *dom) score() []int32 {
	cands := d.scoreBlocks(minVoteChars)
	if len(cands) == 0 {
		// A page of short lines only (verse, a notice, a list of
		// results written with <br>s) or of list items: every line
		// votes.
		cands = d.scoreBlocks(1)
	}
	return cands
}

// minVoteChars is the shortest block that votes for its containers:
// shorter ones are labels and links.
const minVoteChars = 25

// scoreBlocks lets the blocks of at least minChars runes vote.
func (d *dom) scoreBlocks(minChars int32) []int32 {
	var cands []int32
	for i := range d.blocks {
		b := &d.blocks[i]
		if b.owner < 0 || b.chars < minChars || d.absent != nil && d.absent[i] {
			continue
		}
		switch b.kind {
		case kPara, kPre, kCell, kQuote:
		case kHeading:
			if b.level < 2 {
				continue
			}
		default:
			// List items and captions vote only on a page that has
			// nothing else (minChars 1, the last resort).
			if minChars > 1 {
				continue
			}
		}
		s := 1 + float64(b.commas) + min(float64(b.chars)/100, 3)
		// A paragraph votes for the container it sits in, its parent.
		// Bare text split by <br> into several blocks of one table cell
		// or <div> (no <p> in sight) is paragraphs inside its owner:
		// the owner is their container. A <div> or cell holding one
		// block is a paragraph itself.
		anc := d.elems[b.owner].parent
		if o := &d.elems[b.owner]; o.ownBlocks > 1 && o.tag != atom.P && (b.kind == kPara || b.kind == kCell) {
			anc = b.owner
		}
		for level := 0; anc >= 0 && level < 5; level++ {
			e := &d.elems[anc]
			if e.tag == atom.Html || e.tag == 0 && e.node.Parent == nil {
				break
			}
			if e.flags&fScored == 0 {
				e.flags |= fScored
				e.score = tagBase(e.tag) + float64(e.weight)
				if e.flags&fArticle != 0 {
					e.score += 25
				}
				cands = append(cands, anc)
			}
			div := 1.0
			switch level {
			case 0:
			case 1:
				div = 2
			default:
				div = float64(level) * 3
			}
			e.score += s / div
			anc = e.parent
		}
	}
	for _, c := range cands {
		e := &d.elems[c]
		e.score *= 1 - e.linkDensity()
	}
	return cands
}

// topCandidate picks the article container among scored candidates.
func (d *dom) topCandidate(cands []int32) int32 {
	if len(cands) == 0 {
		return -1
	}
	sorted := append([]int32(nil), cands...)
	sort.SliceStable(sorted, func(i, j int) bool { return d.elems[sorted[i]].score > d.elems[sorted[j]].score })
	// A comment thread longer than the article outscores it: the
	// article is the best candidate that is not the thread or in it.
	for len(sorted) > 1 && d.inThread(sorted[0]) {
		sorted = sorted[1:]
	}
	// A container of the article and a longer thread (the page's body)
	// outscores the article through the comments' votes: the article
	// is the best candidate inside it, outside the thread.
	if t := d.bigThreadIn(sorted[0]); t >= 0 {
		for _, c := range sorted[1:] {
			if d.contains(sorted[0], c) && !d.contains(c, t) && !d.contains(t, c) {
				sorted = append([]int32{c}, sorted...)
				break
			}
		}
	}
	top := sorted[0]
	topScore := d.elems[top].score

	// When several strong candidates share an ancestor, the article is
	// split across them (a paragraph per <div>): take the ancestor.
	var alts []int32
	for _, c := range sorted[1:min(len(sorted), 5)] {
		if d.elems[c].score/topScore >= 0.75 {
			alts = append(alts, c)
		}
	}
	if len(alts) >= 3 {
		for p := d.elems[top].parent; p >= 0 && d.elems[p].tag != atom.Body; p = d.elems[p].parent {
			n := 0
			for _, a := range alts {
				if d.contains(p, a) {
					n++
				}
			}
			if n >= 3 {
				top = p
				break
			}
		}
	}
	if d.elems[top].flags&fScored == 0 {
		d.elems[top].flags |= fScored
		d.elems[top].score = tagBase(d.elems[top].tag) + float64(d.elems[top].weight)
	}

	// Climb while the parent scores better: the top candidate is often
	// one part of a larger article container. A container the page marks
	// as the article body (itemprop=articleBody, "entry-content") is the
	// article: its parents outscore it only through their own class
	// names ("site-content") while holding the page's chrome.
	last := d.elems[top].score
	threshold := last / 3
	for p := d.elems[top].parent; p >= 0 && d.elems[p].tag != atom.Body && d.elems[top].flags&fArticle == 0; p = d.elems[p].parent {
		if d.elems[p].flags&fScored == 0 {
			continue
		}
		ps := d.elems[p].score
		if ps < threshold {
			break
		}
		if ps > last {
			top = p
			break
		}
		last = ps
	}
	// A lone child adds nothing: its parent may hold captions and
	// headings next to it.
	for {
		p := d.elems[top].parent
		if p < 0 || d.elems[p].tag == atom.Body || d.elems[p].tag == atom.Html {
			break
		}
		if d.onlyElementChild(p) != top {
			break
		}
		top = p
	}
	return top
}

// onlyElementChild returns the single element child of p, or -1.
func (d *dom) onlyElementChild(p int32) int32 {
	child := int32(-1)
	for c := p + 1; c <= d.elems[p].last; c = d.elems[c].last + 1 {
		if d.elems[c].flags&fSkip != 0 {
			continue
		}
		if child >= 0 {
			return -1
		}
		child = c
	}
	return child
}

// roots returns the top candidate and those of its siblings that belong to
// the article, in document order.
func (d *dom) roots(top int32) []int32 {
	p := d.elems[top].parent
	if p < 0 {
		return []int32{top}
	}
	topE := &d.elems[top]
	threshold := max(10, topE.score*0.2)
	topClass := attr(topE.node, "class")
	var out []int32
	for c := p + 1; c <= d.elems[p].last; c = d.elems[c].last + 1 {
		if c == top {
			out = append(out, c)
			continue
		}
		e := &d.elems[c]
		if e.flags&fSkip != 0 || e.chars == 0 {
			continue
		}
		bonus := 0.0
		if topClass != "" && attr(e.node, "class") == topClass {
			bonus = topE.score * 0.2
		}
		if e.flags&fScored != 0 && e.score+bonus >= threshold {
			out = append(out, c)
			continue
		}
		// An article split into sibling sections: the sibling's own score
		// is low or missing (its paragraphs sit too deep to vote for it),
		// but a container inside it scores like the top candidate.
		if e.chars >= splitMinChars && e.flags&(fNegative|fUnlikely|fShare) == 0 && e.linkDensity() < 0.25 && d.bestInside(c) >= max(10, topE.score*splitShare) {
			out = append(out, c)
			continue
		}
		// A magazine layout sets the opening paragraphs apart, in a
		// container of their own before the body: prose there is the
		// article's beginning.
		if c < top && e.chars >= 100 && e.flags&(fNegative|fUnlikely|fShare|fByline|fCaption) == 0 && e.linkDensity() < 0.1 &&
			d.proseInside(c) {
			out = append(out, c)
			continue
		}
		if e.tag == atom.P || (e.tag == atom.Div && e.paras == 0 && d.noBlockChildren(c)) {
			ld := e.linkDensity()
			text := d.subtreeText(c)
			if e.chars > 80 && ld < 0.25 {
				out = append(out, c)
			} else if e.chars <= 80 && e.chars > 0 && ld == 0 && endsSentence(text) {
				out = append(out, c)
			}
		}
	}
	return out
}

// proseInside reports whether element i holds a paragraph of prose.
func (d *dom) proseInside(i int32) bool {
	e := &d.elems[i]
	for b := e.firstBlock; b < e.endBlock; b++ {
		bl := &d.blocks[b]
		if (bl.kind == kPara || bl.kind == kQuote) && bl.links*4 < bl.chars && (d.absent == nil || !d.absent[b]) &&
			isProse(bl.text, countWords(bl.text)) {
			return true
		}
	}
	return false
}

// splitShare is the share of the top candidate's score a container inside
// a sibling must reach for the sibling to join the article.
const splitShare = 0.5

// splitMinChars is the least text a sibling section of a split article
// holds: shorter containers scoring that high are dialogs and teasers.
const splitMinChars = 400

// bestInside returns the highest content score of the elements inside i.
func (d *dom) bestInside(i int32) float64 {
	best := 0.0
	for c := i + 1; c <= d.elems[i].last; c++ {
		if d.elems[c].flags&fScored != 0 && d.elems[c].score > best {
			best = d.elems[c].score
		}
	}
	return best
}

func (d *dom) noBlockChildren(i int32) bool {
	for c := i + 1; c <= d.elems[i].last; c++ {
		if d.elems[c].flags&fBlock != 0 {
			return false
		}
	}
	return true
}

// subtreeText returns the text of the blocks of element i, joined by
// spaces.
func (d *dom) subtreeText(i int32) string {
	e := &d.elems[i]
	if e.endBlock-e.firstBlock == 1 {
		return d.blocks[e.firstBlock].text
	}
	s := ""
	for b := e.firstBlock; b < e.endBlock; b++ {
		if s != "" {
			s += " "
		}
		s += d.blocks[b].text
	}
	return s
}
