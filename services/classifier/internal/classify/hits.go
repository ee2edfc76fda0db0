package classify

import (
	"sort"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/classifier/internal/match"
	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// hits matches the taxonomy against text and resolves multi-part terms,
// language filters, blockers and nested matches.
func (c *Classifier) hits(text, lang string) []hit {
	lm := c.matcher(lang)
	ms := lm.m.FindAll(text, make([]match.Match, 0, 256))
	out := make([]hit, 0, len(ms))
	var cont map[int][]hit // start offset -> continuation parts
	for _, m := range ms {
		for _, fi := range c.patFeats[lm.pats[m.Pattern]] {
			f := &c.feats[fi]
			if f.lang != "" && lang != "" && f.lang != lang {
				continue
			}
			if f.part > 0 {
				if cont == nil {
					cont = map[int][]hit{}
				}
				cont[m.Start] = append(cont[m.Start], hit{feat: fi, start: m.Start, end: m.End})
				continue
			}
			out = append(out, hit{feat: fi, start: m.Start, end: m.End})
		}
	}
	// Chain multi-part terms: each part must begin where the previous part's
	// word ends, after its separator.
	n := 0
	for _, h := range out {
		f := &c.feats[h.feat]
		if f.nparts == 1 {
			out[n] = h
			n++
			continue
		}
		end, ok := h.end, true
		cur := f
		for cur.next >= 0 && ok {
			pos := wordEnd(text, end)
			pos, ok = skipSep(text, pos, cur.sep)
			if !ok {
				break
			}
			ok = false
			for _, ch := range cont[pos] {
				if int(ch.feat) == cur.next {
					end, ok = ch.end, true
					break
				}
			}
			cur = &c.feats[cur.next]
		}
		if ok {
			out[n] = hit{feat: h.feat, start: h.start, end: end}
			n++
		}
	}
	out = out[:n]
	return c.scope(text, c.dropNested(out))
}

func wordEnd(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !match.IsWordRune(r) {
			break
		}
		i += size
	}
	return i
}

func skipSep(text string, i int, sep string) (int, bool) {
	if sep == "-" {
		if i < len(text) && text[i] == '-' {
			return i + 1, true
		}
		return i, false
	}
	j := i
	for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\u00a0') {
		j++
	}
	if j+1 < len(text) && text[j] == 0xC2 && text[j+1] == 0xA0 { // no-break space
		j += 2
	}
	return j, j > i
}

// dropNested removes hits strictly inside a longer hit, and hits inside
// blockers (blockers themselves carry no meaning and are removed too).
// Subject hits are kept apart from nesting, and so are a relation or a deal
// kind inside a signing cue, a deal kind or a technology term: "teken
// kontrak" is a signing and a contract, "совместное предприятие" a joint
// venture and joint work, "technology transfer" a technology and a transfer.
func (c *Classifier) dropNested(hs []hit) []hit {
	sort.Slice(hs, func(i, j int) bool {
		if hs[i].start != hs[j].start {
			return hs[i].start < hs[j].start
		}
		return hs[i].end > hs[j].end
	})
	n := 0
	maxEnd, maxStart := -1, -1
	var coverFam family // the family of the hit reaching maxEnd
	blockEnd := -1
	for _, h := range hs {
		f := &c.feats[h.feat]
		if f.fam == famBlocker {
			if h.end > blockEnd {
				blockEnd = h.end
			}
			continue
		}
		if h.end <= blockEnd {
			continue
		}
		if f.fam == famSubject {
			// Subjects annotate the text for the agreement key: they
			// neither hide the terms they overlap ("satellite internet")
			// nor hide inside an entity's name ("田湾核电").
			hs[n] = h
			n++
			continue
		}
		if maxEnd > h.end || (maxEnd == h.end && maxStart < h.start) {
			if (f.fam == famRelation || f.fam == famKind) && (coverFam == famStage || coverFam == famKind || coverFam == famTopic) {
				hs[n] = h
				n++
			}
			continue
		}
		if h.end > maxEnd {
			maxEnd, maxStart, coverFam = h.end, h.start, f.fam
		}
		hs[n] = h
		n++
	}
	return hs[:n]
}

// Reaches of the scope rules, in words and Han characters (see scope).
var (
	reachBackdrop = reach{5, 10} // "despite the US and its allies' sanctions"
	reachAfterCue = reach{3, 6}  // "sanctions imposed by the US", "санкций США"
	reachBeside   = reach{3, 6}  // "seen as a threat by the US", "美国安全威胁"
	reachNegated  = reach{2, 3}  // "will not copy", "不会效仿"
)

// scope drops the cues that do not bear on a tie between the sides, and
// the third countries they bring:
//
//   - a restriction, comparison or hostility a few words after a backdrop
//     word in its clause ("bypassing sanctions", "a pesar de las
//     sanciones", "尽管…制裁"), with the countries of that phrase ("despite
//     US sanctions", "санкций США"): sanctions evaded, defied or named as a
//     cause frame a supply story, they do not restrict it;
//   - a comparison that is negated ("не будет копировать", "不会效仿") or
//     whose object is a third country ("like the US", "效仿美国"): no
//     parallel between the sides;
//   - hostility with a third country beside it in its clause ("seen as a
//     security threat by the US", "美国安全威胁", "a rival to Boeing"):
//     the third country's quarrel. A stand taken (condemning, opposing)
//     stays whoever it is against.
//
// Backdrop words mean nothing else and are dropped too.
func (c *Classifier) scope(text string, hs []hit) []hit {
	var drop []bool
	mark := func(i int) {
		if drop == nil {
			drop = make([]bool, len(hs))
		}
		drop[i] = true
	}
	near := func(a, b hit, rc reach) bool { // b after a, close, one clause
		return b.start >= a.end && within(text[a.end:b.start], rc)
	}
	for i, h := range hs {
		f := &c.feats[h.feat]
		switch {
		case f.fam == famBackdrop:
			mark(i)
			for j := i + 1; j < len(hs) && near(h, hs[j], reachBackdrop); j++ {
				g := &c.feats[hs[j].feat]
				if g.fam != famRestrict && g.fam != famComparison && !(g.fam == famHostile && g.weight == 1) {
					continue
				}
				mark(j)
				for k := i + 1; k < len(hs); k++ {
					if k > j && !near(hs[j], hs[k], reachAfterCue) {
						break
					}
					if c.thirdActor(hs[k]) {
						mark(k)
					}
				}
				break
			}
		case f.fam == famComparison:
			for k := i + 1; k < len(hs) && near(h, hs[k], reachNegated); k++ {
				if c.thirdActor(hs[k]) {
					mark(i)
				}
			}
			for k := i - 1; k >= 0 && near(hs[k], h, reachNegated); k-- {
				if c.feats[hs[k].feat].fam == famNegation {
					mark(i)
				}
			}
		case f.fam == famHostile && f.weight == 1:
			for k := i + 1; k < len(hs) && near(h, hs[k], reachBeside); k++ {
				if c.thirdActor(hs[k]) {
					mark(i)
				}
			}
			for k := i - 1; k >= 0 && near(hs[k], h, reachBeside); k-- {
				if c.thirdActor(hs[k]) {
					mark(i)
				}
			}
		}
	}
	if drop == nil {
		return hs
	}
	n := 0
	for i, h := range hs {
		if !drop[i] {
			hs[n] = h
			n++
		}
	}
	return hs[:n]
}

// thirdActor reports a hit naming a third country or an organisation of
// one.
func (c *Classifier) thirdActor(h hit) bool {
	f := &c.feats[h.feat]
	switch f.fam {
	case famCountry:
		return c.tax.Countries[f.ref].Side == taxonomy.SideOther
	case famEntity:
		return c.entityActor[f.ref].side == 3
	}
	return false
}
