package classify

import (
	"strings"
	"unicode/utf8"
)

// listItem is one item of a signed list ("Among the documents signed: a
// protocol on grain; a memorandum on tourism; an agreement between Roscosmos
// and CNSA on remote-sensing data"): a Russian and a Chinese organisation
// named close together, with the text around them up to the item's
// separators.
type listItem struct {
	ok         bool
	start, end int // the item, in text
	ruOrg      int // entity indexes
	cnOrg      int
	topic      int    // the item's technology topic (-1: none)
	kinds      uint16 // deal kinds named in the item
	commodity  bool   // the item names a commodity or a payment
	subjects   uint32 // taxonomy subjects named in the item
}

// pairWords is how far apart, in words or Han characters, the two
// organisations of an item may be: "entre Roscosmos y la Administración
// Nacional del Espacio de China", "俄罗斯国家航天集团与中国国家航天局".
const pairWords = 6

// isItemSep reports a rune that separates the items of a list.
func isItemSep(r rune) bool {
	return strings.ContainsRune(";；、,，:：", r)
}

// signedItem finds, in a signed sentence that lists several documents, the
// item that is a technology deal between a Russian and a Chinese
// organisation: the two named within a few words, a deal kind in the item,
// no commodity in it, and a technology cue in it or a sector both
// organisations share (Roscosmos and CNSA: space). The lead-in carries the
// signing verb; the other items' grain, tourism or customs do not dilute it.
func (c *Classifier) signedItem(text string, s *sentence, hs []hit) listItem {
	it := listItem{ruOrg: -1, cnOrg: -1, topic: -1}
	if s.hitHi <= s.hitLo {
		return it
	}
	sh := hs[s.hitLo:s.hitHi]
	for i := range sh {
		a := &c.feats[sh[i].feat]
		if a.fam != famEntity || !isOrg(c.tax.Entities[a.ref].Kind) {
			continue
		}
		sa := c.entityActor[a.ref].side
		if sa != 1 && sa != 2 {
			continue
		}
		for j := i + 1; j < len(sh); j++ {
			b := &c.feats[sh[j].feat]
			if b.fam != famEntity || !isOrg(c.tax.Entities[b.ref].Kind) {
				continue
			}
			sb := c.entityActor[b.ref].side
			if sb == sa || (sb != 1 && sb != 2) {
				continue
			}
			if sh[i].end > sh[j].start || !within(text[sh[i].end:sh[j].start], reach{pairWords, pairWords}) {
				break
			}
			it = c.itemAround(text, s, sh, sh[i].start, sh[j].end)
			if sa == 1 {
				it.ruOrg, it.cnOrg = a.ref, b.ref
			} else {
				it.ruOrg, it.cnOrg = b.ref, a.ref
			}
			tech, cue := c.itemTech(&it, sh)
			// "…worth 2 billion yuan" beside a technology cue is a price;
			// without one the item is a commodity deal.
			it.ok = tech && (cue || !it.commodity)
			if it.ok {
				return it
			}
			break
		}
	}
	it.ok = false
	return it
}

// itemAround returns the item that holds text[from:to]: from the item
// separator before it to the one after it, within the sentence.
func (c *Classifier) itemAround(text string, s *sentence, sh []hit, from, to int) listItem {
	it := listItem{ok: true, start: s.start, end: s.end, topic: -1}
	for i := from; i > s.start; {
		r, size := utf8.DecodeLastRuneInString(text[s.start:i])
		if isItemSep(r) {
			it.start = i
			break
		}
		i -= size
	}
	for i := to; i < s.end; {
		r, size := utf8.DecodeRuneInString(text[i:s.end])
		if isItemSep(r) {
			it.end = i
			break
		}
		i += size
	}
	for _, h := range sh {
		if h.start < it.start || h.end > it.end {
			continue
		}
		f := &c.feats[h.feat]
		switch f.fam {
		case famCommodity:
			it.commodity = true
		case famKind:
			it.kinds |= 1 << uint(f.ref)
		case famSubject:
			it.subjects |= 1 << uint(f.ref)
		}
	}
	return it
}

// itemTech sets the item's technology: its strongest specific cue, else a
// sector both organisations stand for. It reports whether there is one, and
// whether it comes from a cue.
func (c *Classifier) itemTech(it *listItem, sh []hit) (tech, cue bool) {
	other, hasOther := c.topicIdx["other"]
	var best int8
	for _, h := range sh {
		if h.start < it.start || h.end > it.end {
			continue
		}
		f := &c.feats[h.feat]
		if f.fam != famTopic || (hasOther && f.ref == other) || f.weight < 2 {
			continue
		}
		if f.weight > best {
			best, it.topic = f.weight, f.ref
		}
	}
	if it.topic >= 0 {
		return true, true
	}
	for _, a := range c.entityTopics[it.ruOrg] {
		for _, b := range c.entityTopics[it.cnOrg] {
			if a == b && !(hasOther && a == other) {
				it.topic = a
				return true, false
			}
		}
	}
	return false, false
}
