package classify

import (
	"strings"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// sentence holds what one sentence says.
type sentence struct {
	span
	title, lead  bool
	ru, cn       bool
	dyad, anaph  bool
	third        uint64 // bit set of third countries
	rel          int8
	hostile      bool
	denial       bool // a denial: "denies signing"
	member       bool // an item of a set named before: "among them"
	listedUnder  int  // 1 + the index of the signing lead-in whose list this is an item of; 0 none
	restrict     bool
	compare      bool
	commodity    bool
	ops          bool // a military operation: patrol, drills, an exercise
	generic      bool // its only technology is generic: "technology", "innovation"
	ruPlace      bool // Russia named as a place: "in Russia", "в России", "在俄罗斯"
	cnPlace      bool // China named as a place
	recall       bool
	modal        bool // a modal or future word: what it says is not yet so
	counted      bool // a deal kind counted by a number: "1,400 contracts", a statistic
	signSeen     bool // a signing cue, qualified or not
	domains      int
	topicW       [maxTopics]int8
	topicSpec    [maxTopics]bool // a cue, not only an entity's sector
	stages       uint16
	kinds        uint16
	subjects     uint32 // taxonomy subjects named, bit i for Subjects[i]
	ruOrgs       []int
	cnOrgs       []int
	conjoined    bool    // a Russian and a Chinese actor joined by "and" or a comma
	thirdPair    bool    // a third country joined to a side ("India y Rusia")
	score        float64 // relational score, 0 when not relational
	hitLo        int32   // the sentence's hits are hs[hitLo:hitHi]
	hitHi        int32
	lastSide     int8 // side of the previous actor mention: 1 ru, 2 cn
	lastSideEnd  int  // where it ended
	lastSideObj  bool // it follows "with", "from", "dengan", "с", "与"…
	lastSideOpen bool // it opens a clause (after a comma, a dash, "that")
	pairObject   bool // the joined sides follow "with…": someone else's partners
	firstActor   int8 // side of the first actor named: 1 ru, 2 cn, 3 a third country
	thirdLeads   bool // the first actor is a third country opening the sentence

	// Signing cues are counted, not flagged, so that one qualified by a
	// negation, a modal or a pending word does not count while another in
	// the same sentence still does.
	signN     int8 // unqualified signing cues
	signStart int  // start of the last signing cue seen
	signEnd   int  // end of its word
	qualEnd   int  // end of the last negation or modal word (0: none)
	qualReach int8 // how far it reaches, in words
}

func (s *sentence) techMax() int8 {
	var m int8
	for _, w := range s.topicW {
		if w > m {
			m = w
		}
	}
	return m
}

func (s *sentence) topicCount() int {
	n := 0
	for _, w := range s.topicW {
		if w > 0 {
			n++
		}
	}
	return n
}

// sentences fills each sentence's features from the hits inside it.
func (c *Classifier) sentences(text string, spans []span, hs []hit, titleBlocks int, g *grammar) []sentence {
	sents := make([]sentence, len(spans))
	lead := 0
	for i, sp := range spans {
		sents[i].span = sp
		if sp.block < titleBlocks {
			sents[i].title = true
		} else if lead < 3 && sp.end-sp.start >= 24 {
			sents[i].lead = true
			lead++
		}
	}
	// hs are sorted by start; spans are in order.
	si := 0
	k := newCoref(g)
	for hi, h := range hs {
		for si < len(sents) && sents[si].end <= h.start {
			si++
		}
		if si == len(sents) {
			break
		}
		if h.start < sents[si].start {
			continue // between sentences (white space): cannot happen for real hits
		}
		if sents[si].hitHi == 0 {
			sents[si].hitLo = int32(hi)
		}
		sents[si].hitHi = int32(hi + 1)
		c.apply(text, &sents[si], h, &k, g)
	}
	for _, id := range []string{"defense", "other"} {
		d, ok := c.topicIdx[id]
		if !ok {
			continue
		}
		for i := range sents {
			if sents[i].ops {
				// Bombers on a joint patrol, missiles fired in a drill
				// or helicopters in a naval exercise are an operation,
				// not technology.
				sents[i].topicW[d] = 0
			}
		}
	}
	other, hasOther := c.topicIdx["other"]
	research, hasResearch := c.topicIdx["research"]
	for i := range sents {
		s := &sents[i]
		generic, named := true, false
		for t, w := range s.topicW {
			if w == 0 {
				continue
			}
			named = true
			// Strong cues of fields without a token of their own (rail,
			// biotech, materials) are specific; only weak ones are generic.
			if !(hasOther && t == other && w < 2) && !(hasResearch && t == research && w < 2) {
				generic = false
			}
		}
		s.generic = named && generic
	}
	if c.signedStage >= 0 {
		bit := uint16(1) << uint(c.signedStage)
		for i := range sents {
			if sents[i].signN > 0 {
				sents[i].stages |= bit
			}
		}
	}
	markLists(text, sents)
	c.agendaLists(text, sents, hs, g)
	return sents
}

// maxListItems and maxListItemBytes bound a list of signed documents: how
// many items follow a lead-in, and how long one may be.
const (
	maxListItems     = 40
	maxListItemBytes = 600
)

// markLists finds the lists of signed documents a lead-in announces in a
// block of its own ("Подписаны следующие документы:", "签署了以下文件：",
// "The documents signed include:") and marks the items that follow it,
// each on its lines, as listed under it: an item names a deal without a
// verb ("Agreement between Roscosmos and CNSA on the lunar station"), and
// the lead-in signs them all. The list ends at a sentence with a stage cue
// of its own, at another lead-in, or at a long paragraph.
func markLists(text string, sents []sentence) {
	for i := range sents {
		s := &sents[i]
		if s.signN == 0 || s.recall {
			continue
		}
		if r := lastRune(strings.TrimRight(text[s.start:s.end], " ")); r != ':' && r != '：' {
			continue
		}
		for j := i + 1; j < len(sents) && j <= i+maxListItems; j++ {
			it := &sents[j]
			if it.block == s.block || it.stages != 0 || it.signSeen || it.end-it.start > maxListItemBytes {
				break
			}
			if r := lastRune(strings.TrimRight(text[it.start:it.end], " ")); r == ':' || r == '：' {
				break
			}
			it.listedUnder = i + 1
		}
	}
}

func (c *Classifier) apply(text string, s *sentence, h hit, k *coref, g *grammar) {
	f := &c.feats[h.feat]
	if a, ok := c.actorOf(text, f, h); ok {
		k.see(text, a, h.start, wordEnd(text, h.end))
		if s.firstActor == 0 {
			s.firstActor = a.side
			s.thirdLeads = a.side == 3 && opensSentence(text[s.start:h.start])
		}
		if k.pairPos == h.start && (k.pair[0].side == 3) != (k.pair[1].side == 3) {
			s.thirdPair = true
		}
	}
	if side := c.side(f); side != 0 {
		if s.lastSide != 0 && s.lastSide != side && s.lastSideEnd <= h.start && g.isConjunction(text, s.lastSideEnd, h.start) {
			s.conjoined = true
			if s.lastSideObj || (s.thirdLeads && !s.lastSideOpen) {
				// "…with Rosatom and CNNC"; "US tightens export rules,
				// naming China and Russia": the joined sides are the
				// object of a third country's act.
				s.pairObject = true
			}
		}
		// A stem ends inside its word ("Росси|я и Китай"): the gap to the
		// next actor starts where the word does.
		s.lastSide, s.lastSideEnd = side, wordEnd(text, h.end)
		s.lastSideObj = g.objectMarked(text[s.start:h.start])
		// Only a sentence a third country opens needs to know (and the
		// test is not free).
		s.lastSideOpen = s.thirdLeads && g.opensClause(text[s.start:h.start])
	}
	switch f.fam {
	case famCountry:
		switch f.ref {
		case c.ruCountry:
			s.ru = true
			s.ruPlace = s.ruPlace || g.locativeMarked(text[s.start:h.start])
		case c.cnCountry:
			s.cn = true
			s.cnPlace = s.cnPlace || g.locativeMarked(text[s.start:h.start])
		default:
			if f.ref < 64 {
				s.third |= 1 << uint(f.ref)
			}
		}
	case famEntity:
		e := &c.tax.Entities[f.ref]
		switch e.Country {
		case c.tax.Countries[c.ruCountry].ID:
			s.ru = true
			if isOrg(e.Kind) {
				s.ruOrgs = appendUnique(s.ruOrgs, f.ref)
			}
		case c.tax.Countries[c.cnCountry].ID:
			s.cn = true
			if isOrg(e.Kind) {
				s.cnOrgs = appendUnique(s.cnOrgs, f.ref)
			}
		}
		for _, t := range c.entityTopics[f.ref] {
			if s.topicW[t] < 1 {
				s.topicW[t] = 1
			}
		}
	case famDyad:
		s.dyad, s.ru, s.cn = true, true, true
		k.seePair(h.start, wordEnd(text, h.end))
		if g.objectMarked(text[s.start:h.start]) {
			s.pairObject = true // "印尼与中俄两国", "with Sino-Russian…"
		}
		if s.firstActor == 0 {
			s.firstActor = 1
		} else if s.thirdLeads && !g.opensClause(text[s.start:h.start]) {
			s.pairObject = true // "美国商务部将中俄列入…"
		}
	case famAnaphor:
		// "Both countries" counts for the sides only when the last pair of
		// countries named is Russia and China, or when no pair has been
		// named yet (then the document must name both).
		if rucn, known := k.resolve(); rucn || !known {
			s.anaph = true
		}
	case famTopic:
		if f.weight > s.topicW[f.ref] {
			s.topicW[f.ref] = f.weight
		}
		s.topicSpec[f.ref] = true
	case famRelation:
		if f.weight > s.rel {
			s.rel = f.weight
		}
	case famHostile:
		s.hostile = true
	case famMember:
		s.member = true
	case famDenial:
		s.hostile, s.denial = true, true
	case famRestrict:
		s.restrict = true
	case famComparison:
		s.compare = true
	case famOperations:
		s.ops = true
	case famCommodity:
		s.commodity = true
	case famDomain:
		s.domains++
	case famRecall:
		s.recall = true
	case famStage:
		if f.ref == c.signedStage {
			c.applySigning(text, s, h, g)
			break
		}
		s.stages |= 1 << uint(f.ref)
	case famNegation:
		s.qualEnd, s.qualReach = wordEnd(text, h.end), f.weight
	case famModal:
		s.qualEnd, s.qualReach = wordEnd(text, h.end), qualModal
		s.modal = true
	case famPending:
		// "ha firmado todavía": the last signing cue, just before, is
		// still to come.
		if s.signN > 0 && s.signEnd <= h.start && within(text[s.signEnd:h.start], reach{reachPendingWords, reachPendingWords}) {
			s.signN--
			s.stages |= c.intentBit
		}
	case famAbsent:
		if s.signN > 0 && s.signEnd <= h.start && (within(text[s.signEnd:h.start], reach{reachAbsent, reachAbsent * 2}) ||
			(g.genitiveParticiple(text[s.signStart:s.signEnd]) && withinAside(text[s.signEnd:h.start], reachAbsentAside))) {
			s.signN--
			s.stages |= c.intentBit
		}
	case famKind:
		s.kinds |= 1 << uint(f.ref)
		// A package is counted by nature ("signed 10 documents"); other
		// kinds counted by the dozen are statistics.
		if c.kindIDs[f.ref] != "package" && g.countedBefore(text[s.start:h.start]) {
			s.counted = true
		}
	case famSubject:
		s.subjects |= 1 << uint(f.ref)
	}
}

// actorOf returns the country a country or entity mention stands for.
func (c *Classifier) actorOf(text string, f *feature, h hit) (actor, bool) {
	switch f.fam {
	case famCountry:
		co := &c.tax.Countries[f.ref]
		switch co.Side {
		case taxonomy.SideRU:
			return actor{side: 1}, true
		case taxonomy.SideCN:
			return actor{side: 2}, true
		}
		if co.ID == "misc" {
			return actor{side: 3, ref: f.ref, key: text[h.start:h.end]}, true
		}
		return actor{side: 3, ref: f.ref}, true
	case famEntity:
		a := c.entityActor[f.ref]
		return a, a.side != 0
	}
	return actor{}, false
}

// side returns 1 for a Russian actor, 2 for a Chinese one, 0 otherwise.
func (c *Classifier) side(f *feature) int8 {
	var country string
	switch f.fam {
	case famCountry:
		country = c.tax.Countries[f.ref].ID
	case famEntity:
		country = c.tax.Entities[f.ref].Country
	default:
		return 0
	}
	switch country {
	case c.tax.Countries[c.ruCountry].ID:
		return 1
	case c.tax.Countries[c.cnCountry].ID:
		return 2
	}
	return 0
}

func isOrg(kind string) bool {
	return kind == taxonomy.KindCompany || kind == taxonomy.KindAgency || kind == taxonomy.KindOrg
}

func appendUnique(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// minAgendaItems is how many fields an enumeration lists to be an agenda.
const minAgendaItems = 3

// agendaLists finds enumerations of fields joined by "、" and closed by an
// agenda closer ("能源、电力、航空、通信等领域"), which name each field in a
// word or two the lexicon may not know: one that lists a field other than
// technology (a domain or a commodity) makes its sentence a summit agenda,
// as three domain words would. A list of technologies alone ("新建核电、快堆、
// 核安全等方面") stays technology.
func (c *Classifier) agendaLists(text string, sents []sentence, hs []hit, g *grammar) {
	if len(g.agendaClosers.han) == 0 {
		return
	}
	for i := range sents {
		s := &sents[i]
		st := text[s.start:s.end]
		if s.domains >= minAgendaItems || !strings.Contains(st, "、") {
			continue
		}
		for off := 0; off < len(st); {
			m := g.agendaClosers.startsWith(st[off:])
			if m == "" {
				_, size := utf8.DecodeRuneInString(st[off:])
				off += size
				continue
			}
			// The clause before the closer: back to the last clause mark.
			from := off
			for from > 0 {
				pr, psize := utf8.DecodeLastRuneInString(st[:from])
				if strings.ContainsRune("，,。；;：:！？!?", pr) {
					break
				}
				from -= psize
			}
			items := strings.Count(st[from:off], "、") + 1
			if items >= minAgendaItems && c.nonTechIn(hs[s.hitLo:s.hitHi], s.start+from, s.start+off) {
				s.domains = minAgendaItems
				break
			}
			off += len(m)
		}
	}
}

// nonTechIn reports a domain or commodity hit within text[from:to].
func (c *Classifier) nonTechIn(hs []hit, from, to int) bool {
	for _, h := range hs {
		if h.start >= from && h.end <= to {
			if f := c.feats[h.feat].fam; f == famDomain || f == famCommodity {
				return true
			}
		}
	}
	return false
}
