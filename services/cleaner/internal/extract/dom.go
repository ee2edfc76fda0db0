package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxDepth bounds the element nesting the walker follows; deeper subtrees
// are read as text only. Real pages nest 30–60 deep.
const maxDepth = 512

// elem flags.
const (
	fSkip     uint16 = 1 << iota // not rendered text: scripts, forms controls, hidden
	fUnlikely                    // class/id/role marks page furniture
	fBlock                       // a block-level element
	fScored                      // has a content score
	fNegative                    // negative class/id hint
	fShare                       // share-bar class/id
	fArticle                     // <article>, itemprop=articleBody and the like
	fByline                      // class/id names an author or byline (a metadata candidate)
	fCaption                     // class/id names an image caption or credit
)

// elem is one element of the page, in document (pre-)order.
type elem struct {
	node   *html.Node
	parent int32
	last   int32 // index of the last descendant
	tag    atom.Atom
	flags  uint16
	weight int16 // class/id weight
	depth  int16

	chars, links int32 // runes of text and of link text in the subtree
	commas       int32
	paras        int32 // <p> elements in the subtree
	imgs, lis    int32
	inputs       int32
	embeds       int32
	quotes       int32 // embedded posts (isEmbedQuote)
	headChars    int32 // runes inside headings
	ownBlocks    int32 // blocks whose innermost block-level element this is
	firstBlock   int32 // blocks [firstBlock, endBlock) lie in the subtree
	endBlock     int32
	score        float64
}

// block kinds.
const (
	kPara uint8 = iota
	kHeading
	kItem
	kQuote
	kPre
	kCell
	kCaption
)

// block is a run of text between block-level boundaries.
type block struct {
	text   string
	owner  int32 // innermost block-level element
	kind   uint8
	level  uint8 // heading level
	chars  int32
	links  int32
	commas int32
}

// dom is the walked page: elements and text blocks.
type dom struct {
	elems  []elem
	blocks []block
	body   int32

	stripUnlikely bool // "unlikely" subtrees are out of this view
	// absent marks the blocks of the stripped subtrees (nil when none
	// are); they are never scored or kept.
	absent []bool

	useWeights bool // class/id weights count in scores
	cleanCond  bool // clean containers inside the article conditionally

	// hintCache memoises class/id analysis: templates repeat the same
	// class names hundreds of times per page.
	hintCache map[[3]string]hintResult
	sel       *selectors
	scratch   *scratch // where elems, blocks and open live

	// collect makes the walk gather metaNodes: the elements, in document
	// order, that can carry metadata (see selectors).
	collect   bool
	metaNodes []*html.Node
	metaOff   int // depth inside <svg>, <template> and other subtrees without metadata

	// walk state
	buf       []byte // the block being built; its string is made once, at flush
	space     bool   // a space is pending before the next rune
	curLinks  int32
	curCommas int32
	curChars  int32
	linkDepth int
	open      []int32 // open block-level elements
}

// pass is one rung of the retry ladder: each relaxes a heuristic that can
// throw the article away on some templates (Readability's flags).
type pass struct{ stripUnlikely, useWeights, cleanCond bool }

// passes are tried in order until one yields an article of minArticleChars.
func passes() [4]pass {
	return [4]pass{{true, true, true}, {false, true, true}, {false, false, true}, {false, false, false}}
}

// newDOM walks the whole page once into the tables of s, gathering the
// metadata candidates on the way. The passes are views of this walk
// (view): none walks the page again.
func newDOM(root *html.Node, sel *selectors, s *scratch) *dom {
	d := &dom{body: -1, sel: sel, collect: true, scratch: s}
	d.elems, d.blocks, d.open, d.buf = s.elems[:0], s.blocks[:0], s.open[:0], s.buf[:0]
	d.walk(root, -1, 0, false)
	d.flush()
	// The tables grew: the scratch keeps the larger arrays.
	s.elems, s.blocks, s.open, s.buf = d.elems, d.blocks, d.open, d.buf
	return d
}

// view returns the walked page as pass p sees it, with its own copy of
// the element table in s (content selection changes the counts and
// scores in it) and the blocks shared, read only. Without weights every
// class/id weight is 0; stripping takes the "unlikely" subtrees out as a
// walk that skipped them would: their text leaves their ancestors'
// counts, their blocks are absent, and the elements inside them have no
// class/id analysis.
func (base *dom) view(p pass, s *scratch) *dom {
	d := &dom{body: base.body, sel: base.sel, scratch: s, blocks: base.blocks,
		stripUnlikely: p.stripUnlikely, useWeights: p.useWeights, cleanCond: p.cleanCond}
	s.elems = append(s.elems[:0], base.elems...)
	d.elems = s.elems
	if !p.useWeights {
		for i := range d.elems {
			d.elems[i].weight = 0
		}
	}
	if p.stripUnlikely {
		d.strip()
	}
	return d
}

// strip takes the unlikely subtrees out of the view. An embedded post
// (a tweet, an Instagram post) comes in a "social" or "embed" wrapper
// but is not share buttons or a sidebar: its wrapper stays.
func (d *dom) strip() {
	for i := int32(0); i < int32(len(d.elems)); i++ {
		e := &d.elems[i]
		if e.flags&fUnlikely == 0 || e.flags&fSkip != 0 || e.quotes > 0 {
			continue
		}
		if d.absent == nil {
			d.absent = d.scratch.absentFor(len(d.blocks))
		}
		for p := e.parent; p >= 0; p = d.elems[p].parent {
			pe := &d.elems[p]
			pe.chars -= e.chars
			pe.links -= e.links
			pe.commas -= e.commas
			pe.headChars -= e.headChars
		}
		for b := e.firstBlock; b < e.endBlock; b++ {
			d.absent[b] = true
		}
		for j := i; j <= e.last; j++ {
			c := &d.elems[j]
			c.chars, c.links, c.commas, c.headChars, c.ownBlocks = 0, 0, 0, 0, 0
			if j > i {
				c.flags &= fBlock
				c.weight = 0
			}
		}
		i = e.last
	}
}

func isBlockTag(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Dd, atom.Details, atom.Dialog,
		atom.Dir, atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr, atom.Li, atom.Main,
		atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Summary, atom.Table, atom.Tbody, atom.Td,
		atom.Tfoot, atom.Th, atom.Thead, atom.Tr, atom.Ul, atom.Caption, atom.Legend, atom.Body, atom.Html, atom.Option:
		return true
	}
	return false
}

func isSkipTag(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math, atom.Iframe, atom.Object,
		atom.Embed, atom.Canvas, atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Head, atom.Link,
		atom.Meta, atom.Audio, atom.Video, atom.Map, atom.Area, atom.Title, atom.Base, atom.Dialog:
		return true
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

// isHidden reports elements a browser would not show.
func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			if strings.Contains(a.Val, "none") || strings.Contains(a.Val, "hidden") {
				s := strings.ReplaceAll(lowerASCII(a.Val), " ", "")
				if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
					return true
				}
			}
		}
	}
	return false
}

func (d *dom) walk(n *html.Node, parent int32, depth int, skip bool) {
	switch n.Type {
	case html.TextNode:
		if !skip {
			d.text(n.Data)
		}
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			d.walk(c, parent, depth, skip)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	idx := int32(len(d.elems))
	d.elems = append(d.elems, elem{node: n, parent: parent, tag: n.DataAtom, depth: int16(min(depth, 32767))})
	e := &d.elems[idx]
	if n.DataAtom == atom.Body && d.body < 0 {
		d.body = idx
	}
	block := isBlockTag(n.DataAtom)
	switch n.DataAtom {
	case atom.Input, atom.Select, atom.Textarea, atom.Button:
		e.inputs = 1
	case atom.Img, atom.Picture:
		e.imgs = 1
	case atom.Iframe, atom.Object, atom.Embed, atom.Video, atom.Audio:
		e.embeds = 1
	case atom.Li:
		e.lis = 1
	case atom.P:
		e.paras = 1
	case atom.Blockquote:
		if isEmbedQuote(n) {
			e.quotes = 1
		}
	}
	cand, hinted := false, false
	if !skip {
		if isSkipTag(n.DataAtom) || isHidden(n) {
			e.flags |= fSkip
			skip = true
		} else {
			cand, hinted = d.hints(e, n), true
		}
	}
	if d.collect && d.metaOff == 0 {
		if isMetaTag(n.DataAtom) || hinted && cand || !hinted && d.metaAttrs(n) {
			d.metaNodes = append(d.metaNodes, n)
		}
	}
	noMeta := noMetaInside(n.DataAtom)
	if noMeta {
		d.metaOff++
	}
	if block {
		e.flags |= fBlock
		d.flush()
		d.open = append(d.open, idx)
	}
	if n.DataAtom == atom.Br || n.DataAtom == atom.Hr {
		d.flush()
	}
	if n.DataAtom == atom.A {
		d.linkDepth++
	}
	e.firstBlock = int32(len(d.blocks))
	if depth < maxDepth {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			d.walk(c, idx, depth+1, skip)
		}
	} else if !skip {
		// Too deep to keep structure: keep the words.
		d.deepText(n)
	}
	if n.DataAtom == atom.A {
		d.linkDepth--
	}
	if noMeta {
		d.metaOff--
	}
	e = &d.elems[idx]
	if block {
		d.flush()
		d.open = d.open[:len(d.open)-1]
	} else if n.DataAtom == atom.Img && !skip {
		// An image separates words: "<img>caption" must not glue.
		d.space = len(d.buf) > 0
	}
	e.endBlock = int32(len(d.blocks))
	e.last = int32(len(d.elems) - 1)
	if parent >= 0 {
		p := &d.elems[parent]
		p.chars += e.chars
		p.links += e.links
		p.commas += e.commas
		p.paras += e.paras
		p.imgs += e.imgs
		p.lis += e.lis
		p.inputs += e.inputs
		p.embeds += e.embeds
		p.quotes += e.quotes
		p.headChars += e.headChars
	}
}

// deepText appends the text of a subtree below maxDepth, iteratively.
func (d *dom) deepText(n *html.Node) {
	stack := []*html.Node{n.FirstChild}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		if c == nil {
			stack = stack[:len(stack)-1]
			continue
		}
		stack[len(stack)-1] = c.NextSibling
		switch c.Type {
		case html.TextNode:
			d.text(c.Data)
		case html.ElementNode:
			if !isSkipTag(c.DataAtom) {
				stack = append(stack, c.FirstChild)
			}
		}
	}
}

// isEmbedQuote reports the <blockquote> of an embedded social post, as
// the platforms' embed codes write it: class "twitter-tweet",
// "instagram-media", "tiktok-embed", "reddit-embed-bq" and the like.
func isEmbedQuote(n *html.Node) bool {
	c := lowerASCII(attr(n, "class"))
	return c != "" && (strings.Contains(c, "tweet") || strings.Contains(c, "instagram") || strings.Contains(c, "tiktok") ||
		strings.Contains(c, "embed") || strings.Contains(c, "reddit") || strings.Contains(c, "bluesky") || strings.Contains(c, "mastodon"))
}

// isMetaTag reports the elements that carry page metadata by their tag.
func isMetaTag(a atom.Atom) bool {
	switch a {
	case atom.Html, atom.Title, atom.Meta, atom.Link, atom.Script, atom.H1, atom.H2, atom.Time:
		return true
	}
	return false
}

// noMetaInside reports elements whose content holds no page metadata: an
// <svg> has its own <title>, a <template> is not rendered.
func noMetaInside(a atom.Atom) bool {
	switch a {
	case atom.Svg, atom.Math, atom.Template, atom.Noscript, atom.Style, atom.Script:
		return true
	}
	return false
}

// hintResult is the class/id analysis of one (class, id) pair.
type hintResult struct {
	weight int16
	flags  uint16
}

// hints sets the class/id weight and flags of an element. It reports
// whether the element's attributes make it a metadata candidate: microdata
// (itemprop), a rel link, or an author-like class or id.
func (d *dom) hints(e *elem, n *html.Node) bool {
	var class, id, role, itemprop string
	rel := false
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		case "role":
			role = a.Val
		case "itemprop":
			itemprop = a.Val
		case "rel":
			rel = rel || metaRel(a.Val)
		}
	}
	if n.DataAtom == atom.Article || itemprop == "articleBody" || itemprop == "text" {
		e.flags |= fArticle
	}
	cand := rel || metaItemprop(itemprop)
	if class == "" && id == "" && role == "" {
		return cand
	}
	r := d.hintFor(n, class, id, role)
	e.weight = r.weight
	f := r.flags
	if n.DataAtom == atom.Body || n.DataAtom == atom.Html || n.DataAtom == atom.A {
		f &^= fUnlikely
	}
	e.flags |= f
	return cand || f&fByline != 0
}

// metaAttrs reports whether an element the walk skips (hidden, or inside
// an unlikely container) is a metadata candidate by its attributes, as
// hints does for the others: a byline often sits in a hidden print block
// or a header the first pass strips. It does not go through the hint
// cache: skipped parts of real pages (comment threads, footers) carry
// many one-off ids, and a full class analysis of each costs more than
// the two substring checks needed here.
func (d *dom) metaAttrs(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "itemprop":
			if metaItemprop(a.Val) {
				return true
			}
		case "rel":
			if metaRel(a.Val) {
				return true
			}
		case "class", "id":
			if a.Val != "" && d.sel.hints.find(a.Val)&hwByline != 0 {
				return true
			}
		}
	}
	return false
}

// metaItemprop reports microdata properties some metadata selector reads
// (dates, headline, author); a superset of those selectors, checked
// before them to keep the candidate list short.
func metaItemprop(v string) bool {
	return v != "" && (strings.Contains(v, "date") || strings.Contains(v, "headline") || strings.Contains(v, "author"))
}

// metaRel reports rel values the byline selector reads: rel=author, not
// the nofollow on every link.
func metaRel(v string) bool { return v == "author" }

// hintFor returns the cached analysis of a class/id/role combination,
// analysing it on n the first time.
func (d *dom) hintFor(n *html.Node, class, id, role string) hintResult {
	key := [3]string{class, id, role}
	r, ok := d.hintCache[key]
	if ok {
		return r
	}
	if d.hintCache == nil {
		d.hintCache = make(map[[3]string]hintResult, 256)
	}
	// Templates number their ids and classes ("comment-48213",
	// "post-1177"): with each run of digits folded to one "0" they share
	// one analysis. No hint word has a digit in it, so the folded string
	// matches exactly the words the original does.
	fc, fi := foldDigits(class), foldDigits(id)
	if fc != class || fi != id {
		if r, ok = d.hintCache[[3]string{fc, fi, role}]; ok {
			d.hintCache[key] = r
			return r
		}
	}
	r = analyseHints(d.sel.hints, lowerASCII(fc), lowerASCII(fi))
	if role != "" && d.sel.chromeRole(n) {
		// The role selectors read the role attribute only, so this
		// match holds for every element with this key.
		r.flags |= fUnlikely
	}
	d.hintCache[key] = r
	if fc != class || fi != id {
		d.hintCache[[3]string{fc, fi, role}] = r
	}
	return r
}

// foldDigits replaces each run of ASCII digits in s with one "0",
// allocating only when s has a run longer than one digit or a digit other
// than 0.
func foldDigits(s string) string {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	inRun := false
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if !inRun {
				b.WriteByte('0')
				inRun = true
			}
			continue
		}
		inRun = false
		b.WriteByte(c)
	}
	return b.String()
}

// analyseHints computes the weight and flags that lower-cased class and id
// values give an element. No hint word has a space, so a word found in
// "class id" is one found in the class or in the id.
func analyseHints(w *hintWords, class, id string) hintResult {
	var r hintResult
	kc, ki := w.find(class), w.find(id)
	for _, v := range [2]struct {
		s string
		k uint16
	}{{class, kc}, {id, ki}} {
		if v.s == "" {
			continue
		}
		if negativeValue(v.s, v.k) {
			r.weight -= 25
		}
		if v.k&hwPositive != 0 {
			r.weight += 25
		}
	}
	if r.weight < 0 {
		r.flags |= fNegative
	}
	k := kc | ki
	if k&hwShare != 0 {
		r.flags |= fShare
	}
	if w.unlikely(class, id, k) {
		r.flags |= fUnlikely
	}
	if k&hwByline != 0 {
		r.flags |= fByline
	}
	if k&hwCaption != 0 {
		r.flags |= fCaption
	}
	if k&hwArticleBody != 0 {
		r.flags |= fArticle
	}
	return r
}

// text appends a text node, collapsing white space as a browser does.
// Runs of ordinary characters are copied whole; only white space, soft
// hyphens, zero-width spaces and NULs are looked at one by one.
func (d *dom) text(s string) {
	inLink := d.linkDepth > 0
	textByte := &d.sel.textByte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
				d.space = d.space || len(d.buf) > 0
				i++
				continue
			}
			if c == 0 {
				i++
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			if isSpaceRune(r) {
				d.space = d.space || len(d.buf) > 0
				i += size
				continue
			}
			if r == 0xAD || r == 0x200B || r == 0xFEFF {
				i += size
				continue
			}
		}
		// s[i] starts a run of characters to keep. A single space
		// between two of them is kept as is, so a run is usually a
		// whole sentence; only the leading bytes of sequences that can
		// be white space, a soft hyphen or a zero-width character are
		// decoded.
		j, runes, commas := i, int32(0), int32(0)
	run:
		for j < len(s) {
			b := s[j]
			switch k := textByte[b]; k {
			case tbPlain:
				j++
				runes++
			case tbComma:
				commas++
				j++
				runes++
			case tbSpace:
				if j+1 >= len(s) || textByte[s[j+1]] > tbComma {
					break run
				}
				j++
				runes++
			case tbStop:
				break run
			case tbLead2, tbLead3, tbLead4:
				n := int(k-tbLead2) + 2
				if j+n > len(s) {
					break run
				}
				j += n
				runes++
			default:
				r, size := utf8.DecodeRuneInString(s[j:])
				if isSpaceRune(r) || r == 0xAD || r == 0x200B || r == 0xFEFF {
					break run
				}
				if r == '，' || r == '、' {
					commas++
				}
				j += size
				runes++
			}
		}
		if j == i {
			// A lone byte the run would not take (a truncated
			// sequence): keep it as the old walk did.
			j = i + 1
			runes = 1
		}
		if d.space {
			d.buf = append(d.buf, ' ')
			d.space = false
			runes++
		}
		d.buf = append(d.buf, s[i:j]...)
		d.curChars += runes
		if inLink {
			d.curLinks += runes
		}
		d.curCommas += commas
		i = j
	}
}

// Byte classes for the walk's text runs.
const (
	tbPlain  = iota // ASCII kept as is
	tbComma         // ',' (counted)
	tbSpace         // ' ': kept inside a run when a plain byte follows
	tbStop          // other ASCII white space and NUL end a run
	tbLead2         // leading byte of a 2-byte sequence that is never special
	tbLead3         // ... of a 3-byte one
	tbLead4         // ... of a 4-byte one
	tbDecode        // a byte to decode: leads of sequences that may be white space, a soft hyphen, a zero-width character or a CJK comma, and invalid bytes
)

// newTextBytes returns the byte classes of text (selectors holds them).
func newTextBytes() (t [256]uint8) {
	for b := range 256 {
		switch {
		case b == ' ':
			t[b] = tbSpace
		case b == '\n', b == '\t', b == '\r', b == '\f', b == 0:
			t[b] = tbStop
		case b == ',':
			t[b] = tbComma
		case b < utf8.RuneSelf:
			t[b] = tbPlain
		case b == 0xC2, b == 0xE1, b == 0xE2, b == 0xE3, b == 0xEF:
			// U+0085, U+00A0, U+00AD; U+1680; U+2000–U+200B, U+2028,
			// U+2029, U+202F, U+205F; U+3000, U+3001 (、); U+FEFF,
			// U+FF0C (，).
			t[b] = tbDecode
		case b >= 0xC2 && b <= 0xDF:
			t[b] = tbLead2
		case b >= 0xE0 && b <= 0xEF:
			t[b] = tbLead3
		case b >= 0xF0 && b <= 0xF4:
			t[b] = tbLead4
		default:
			t[b] = tbDecode
		}
	}
	return t
}

// isSpaceRune reports the white space runes outside ASCII
// (unicode.IsSpace without its table lookup).
func isSpaceRune(r rune) bool {
	switch {
	case r < 0x80:
		return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v'
	case r == 0x85 || r == 0xA0 || r == 0x1680 || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// flush ends the current block.
func (d *dom) flush() {
	if len(d.buf) == 0 {
		d.space = false
		return
	}
	owner := int32(-1)
	if len(d.open) > 0 {
		owner = d.open[len(d.open)-1]
	}
	b := block{text: string(d.buf), owner: owner, chars: d.curChars, links: d.curLinks, commas: d.curCommas}
	d.buf = d.buf[:0]
	d.space = false
	d.curChars, d.curLinks, d.curCommas = 0, 0, 0
	if owner >= 0 {
		o := &d.elems[owner]
		o.ownBlocks++
		o.chars += b.chars
		o.links += b.links
		o.commas += b.commas
		b.kind, b.level = d.kindOf(owner)
		if b.kind == kHeading {
			o.headChars += b.chars
		}
	}
	d.blocks = append(d.blocks, b)
}

// kindOf classifies a block by its owner and the owner's ancestors.
func (d *dom) kindOf(owner int32) (uint8, uint8) {
	switch d.elems[owner].tag {
	case atom.H1:
		return kHeading, 1
	case atom.H2:
		return kHeading, 2
	case atom.H3:
		return kHeading, 3
	case atom.H4:
		return kHeading, 4
	case atom.H5:
		return kHeading, 5
	case atom.H6:
		return kHeading, 6
	case atom.Li, atom.Dd, atom.Dt:
		return kItem, 0
	case atom.Blockquote:
		return kQuote, 0
	case atom.Pre:
		return kPre, 0
	case atom.Td, atom.Th:
		return kCell, 0
	case atom.Figcaption, atom.Caption:
		return kCaption, 0
	}
	return kPara, 0
}

// linkDensity of an element's subtree.
func (e *elem) linkDensity() float64 {
	if e.chars == 0 {
		return 0
	}
	return float64(e.links) / float64(e.chars)
}

// isAncestor reports whether a is b or an ancestor of b (by pre-order
// ranges).
func (d *dom) contains(a, b int32) bool {
	return a <= b && b <= d.elems[a].last
}
