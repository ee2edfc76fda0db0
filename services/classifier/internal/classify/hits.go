package classify

import (
	"sort"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/classifier/internal/match"
)

// hits matches the taxonomy against text and resolves multi-part terms,
// language filters, blockers and nested matches.
func (c *Classifier) hits(text, lang string) []hit {
	ms := c.m.FindAll(text, make([]match.Match, 0, 256))
	out := make([]hit, 0, len(ms))
	var cont map[int][]hit // start offset -> continuation parts
	for _, m := range ms {
		for _, fi := range c.patFeats[m.Pattern] {
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
	return c.dropNested(out)
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
