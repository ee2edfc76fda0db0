package classify

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/newspipe/newspipe/pkg/langid"
)

// Classify classifies one document. It never fails: text it cannot read
// (invalid UTF-8) is read as replacement characters.
func (c *Classifier) Classify(d Document) Result {
	return c.classify(d, nil)
}

// classify is Classify; a non-nil tr receives what the decision was made of.
func (c *Classifier) classify(d Document, tr *trace) Result {
	res := Result{Lang: d.Lang, TaxonomyVersion: c.tax.Version}
	text := unwrap(withoutHeadline(d.Title, d.Text))
	titleBlocks := 0
	if d.Title != "" {
		text = d.Title + "\n" + text
		titleBlocks = 1 + strings.Count(d.Title, "\n")
	}
	if res.Lang == "" {
		// The title and lead decide the language; a short sample keeps
		// detection cheap beside the scan.
		sample := text
		if len(sample) > 1536 {
			sample = sample[:1536]
		}
		res.Lang, _ = langid.Detect(sample)
	}
	hits := c.hits(text, res.Lang)
	g := c.grammarFor(res.Lang)
	spans := segment(text, nil, g)
	sents := c.sentences(text, spans, hits, titleBlocks, g)
	c.pastSignings(text, sents, d.Published, g)

	ent := c.entities(hits)
	docRU, docCN := ent.sideCount[0], ent.sideCount[1]
	docDyad := false
	for i := range sents {
		if sents[i].dyad {
			docDyad = true
		}
	}
	docBoth := (docRU > 0 && docCN > 0) || docDyad

	titleBoth := false // the headline names both sides
	for i := range sents {
		if s := &sents[i]; s.title && ((s.ru && s.cn) || s.dyad) {
			titleBoth = true
		}
	}

	// Relational sentences.
	var w, wTitleLead float64
	nRS, nContent, nSide, nHostile := 0, 0, 0, 0
	for i := range sents {
		s := &sents[i]
		if (s.end-s.start >= 24 || s.title) && topical(s) {
			// The share of relational sentences is taken among the
			// sentences that name a side, a technology or a tie: the
			// framing prose of a long analysis does not dilute it.
			nContent++
		}
		if s.hostile && ((s.ru && s.cn) || s.dyad) && s.third == 0 {
			// Hostility between the sides; the sides each quarrelling
			// with a third country is the backdrop of an analysis.
			nHostile++
		}
		if (s.ru || s.cn || s.dyad || (s.anaph && docBoth)) && s.techMax() > 0 {
			nSide++
		}
		s.score = relational(s, docBoth, titleBoth)
		if s.score == 0 {
			s.score = passageRelational(sents, i, docBoth)
		}
		if s.score == 0 {
			continue
		}
		nRS++
		mult := 1.0
		switch {
		case s.title:
			mult = 3
		case s.lead:
			mult = 2
		}
		w += s.score * mult
		if s.title || s.lead {
			wTitleLead += s.score * mult
		}
	}
	if nContent == 0 {
		nContent = 1
	}
	share := float64(nRS) / float64(nContent)
	sideShare := float64(nSide) / float64(nContent)

	// Evidence strength: title and lead, or a body where relational
	// sentences are a fair share of the text.
	shareMult := math.Min(1, share/0.08)
	if nRS >= 3 && spread(sents) >= 2 {
		// Three ties or more in two paragraphs or more are a thread
		// through the story, however long, not a background mention.
		shareMult = math.Max(shareMult, 0.75)
	}
	strength := wTitleLead + (w-wTitleLead)*shareMult
	if nRS == 1 && wTitleLead == 0 && !sidesProminent(sents, -1) {
		// One relational sentence in the body of a story whose headline
		// and lead are about something else, and that names the sides
		// little, is a background mention ("…the lunar station China is
		// planning with Russia").
		strength *= 0.5
	}
	focus := math.Min(1, 0.4+sideShare*2)
	if nHostile > nRS {
		focus *= 0.5
	}
	if titleAgainst(sents) {
		// The headline is a third party acting on the sides (a ban, an
		// entity listing) or the sides against each other: relations in
		// the body are that story's detail.
		focus *= 0.3
	}
	score := 1 - math.Exp(-strength*focus/5)
	res.Score = math.Round(score*1000) / 1000
	res.RuCnTech = res.Score >= 0.5

	res.Entities = ent.list
	topicSent := c.topics(&res, sents)

	agr, agrSent, strong := c.agreement(sents, hits, text, res, ent, docBoth, d.Published, g)
	if agr.Detected && !res.RuCnTech && strong && (sidesProminent(sents, -1) || dealDetailed(sents, agrSent)) {
		// A signed technology deal reported inside a story headlined on
		// something else (a summit, a trade fair) still makes it a
		// Russia–China technology story, when the sides run through the
		// story or the deal gets detail of its own.
		res.RuCnTech = true
		if res.Score < 0.5 {
			res.Score = 0.5
		}
	}
	if !res.RuCnTech {
		agr.Detected = false
		agr = Agreement{Stage: agr.Stage}
	}
	res.Agreement = agr
	if res.RuCnTech {
		c.primaryTopic(&res, sents)
	}

	res.Evidence = c.evidence(res, text, sents, topicSent, agrSent)
	if tr != nil {
		*tr = trace{text: text, sents: sents, hits: hits, agrSent: agrSent}
	}
	return res
}

// evidence returns the body sentences that decided each tag: for
// ru_cn_tech the strongest relational ones, for each topic the one that
// weighs most for it, for an agreement its signing sentence. Never the
// title, which a reader has already: a tag the title decided is shown by
// the body sentence that carries it on.
func (c *Classifier) evidence(res Result, text string, sents []sentence, topicSent [maxTopics]int, agrSent int) []Evidence {
	var out []Evidence
	add := func(tag string, i int) {
		if i >= 0 {
			out = append(out, Evidence{Tag: tag, Sentence: text[sents[i].start:sents[i].end]})
		}
	}
	if res.RuCnTech {
		var idx []int
		for i := range sents {
			if sents[i].score > 0 && !sents[i].title {
				idx = append(idx, i)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool { return weighted(&sents[idx[a]]) > weighted(&sents[idx[b]]) })
		if len(idx) == 0 {
			// Only the headline ties the sides: the lead tells the story,
			// from its first sentence that names a side, else its first.
			lead := -1
			for i := range sents {
				if sents[i].title {
					continue
				}
				if lead < 0 {
					lead = i
				}
				if sents[i].lead && (sents[i].ru || sents[i].cn || sents[i].dyad) {
					lead = i
					break
				}
			}
			if lead >= 0 {
				idx = append(idx, lead)
			}
		}
		for _, i := range idx[:min(3, len(idx))] {
			add("ru_cn_tech", i)
		}
	}
	for _, name := range res.Topics {
		if t, ok := c.topicIdx[name]; ok && name != "other" {
			add("topic:"+name, topicSent[t])
		}
	}
	if res.Agreement.Detected && agrSent >= 0 {
		i := agrSent
		if sents[i].title {
			// The headline reports the signing: the body sentence that
			// names the deal or its signing first carries it on.
			i = -1
			for j := range sents {
				if !sents[j].title && (sents[j].signN > 0 || sents[j].kinds != 0) {
					i = j
					break
				}
			}
		}
		add("agreement", i)
	}
	return out
}

// topical reports whether a sentence names a side, a technology or a tie.
func topical(s *sentence) bool {
	return s.ru || s.cn || s.dyad || s.anaph || s.techMax() > 0 || s.rel > 0
}

// spread counts the blocks (paragraphs) that hold a relational sentence.
func spread(sents []sentence) int {
	n, last := 0, -1
	for i := range sents {
		if sents[i].score > 0 && sents[i].block != last {
			n, last = n+1, sents[i].block
		}
	}
	return n
}

// dealDetailed reports whether the sentence after a signing sentence, in its
// block or the next, goes on about the deal — names a deal kind ("Under the
// contract…", "根据协议") or one of its organisations — which a passing
// mention of a deal does not.
func dealDetailed(sents []sentence, i int) bool {
	if i < 0 || i+1 >= len(sents) {
		return false
	}
	s, n := &sents[i], &sents[i+1]
	if n.block > s.block+1 || n.recall {
		return false
	}
	if n.kinds != 0 {
		return true
	}
	for _, o := range n.ruOrgs {
		if slices.Contains(s.ruOrgs, o) {
			return true
		}
	}
	for _, o := range n.cnOrgs {
		if slices.Contains(s.cnOrgs, o) {
			return true
		}
	}
	return false
}

// titleAgainst reports a title that restricts, compares or sets the sides
// against each other.
func titleAgainst(sents []sentence) bool {
	for i := range sents {
		s := &sents[i]
		if s.title && (s.ru || s.cn || s.dyad) && (s.restrict || s.hostile || s.compare) {
			return true
		}
	}
	return false
}

func weighted(s *sentence) float64 {
	switch {
	case s.title:
		return s.score * 3
	case s.lead:
		return s.score * 2
	}
	return s.score
}

// relational scores a sentence as a tie between the sides about technology.
// A title whose subject is both sides together ("China and Russia announce
// plans for the Moon", "Xi, Putin set out to lead in AI") with a specific
// technology, no third country and nothing hostile is a tie by itself:
// headlines drop the verb of cooperation.
func relational(s *sentence, docBoth, titleBoth bool) float64 {
	actors := (s.ru && s.cn) || s.dyad || (s.anaph && docBoth)
	if !actors || s.hostile || s.restrict || s.compare || (s.recall && !s.title && !(s.lead && titleBoth)) {
		// A recall in the headline, or in the lead under a headline that
		// names both sides ("five years ago the two signed…", "Ранее…"),
		// still says what the story is about; only its signing is old.
		// Elsewhere it is background.
		return 0
	}
	if popcount(s.third) >= 3 || (s.thirdPair && !s.conjoined && !s.dyad) || (s.pairObject && s.third != 0) {
		// A multilateral list, a side joined to a third country ("India
		// and Russia jointly developed…"), or the sides as a third
		// country's partners ("Indonesia weighs offers from Rosatom and
		// CNNC"): the tie is not between the sides.
		return 0
	}
	tech := float64(s.techMax())
	if tech == 0 || s.generic {
		// "Deeper cooperation in science, technology and innovation" names
		// no technology: summit readouts say it of everything.
		return 0
	}
	if s.commodity || s.domains >= 2 {
		if tech <= 1 {
			return 0
		}
		if s.domains >= 3 {
			return 0 // a summit agenda: technology is one field of many
		}
	}
	rel := float64(s.rel)
	if rel == 0 && ((len(s.cnOrgs) > 0 && s.ruPlace) || (len(s.ruOrgs) > 0 && s.cnPlace)) {
		// One side's company at work in the other's country ("Huawei
		// opens a 5G training centre in Novosibirsk") is a weak tie.
		rel = 1
	}
	if s.third != 0 && (rel == 1 || tech < 2) {
		// A weak tie (talks, a market, relations) among the sides and
		// another country is a multilateral setting, not a bilateral one;
		// so is a tie whose only technology is the organisations' sectors
		// ("Bolivia approved the contracts signed with Rosatom and with a
		// CATL consortium").
		return 0
	}
	if rel == 0 && s.title && (s.conjoined || s.dyad) && !s.pairObject && s.third == 0 && tech >= 2 {
		rel = 1
	}
	v := rel * tech
	if v < 2 {
		return 0
	}
	return v
}

// passageRelational scores a sentence that ties the sides with a strong
// relation cue but names the technology only in a sentence of the same block
// at most two away ("Russia and China are pursuing an agreement of their own.
// They call it the International Lunar Research Station.").
func passageRelational(sents []sentence, i int, docBoth bool) float64 {
	s := &sents[i]
	actors := (s.ru && s.cn) || s.dyad || (s.anaph && docBoth)
	if !actors || s.rel < 2 || s.techMax() > 0 || s.hostile || s.restrict || s.compare || s.recall || s.commodity || s.domains > 0 || popcount(s.third) >= 2 {
		// A sentence naming a field of its own ("economic cooperation")
		// borrows no technology.
		return 0
	}
	for j := i - 2; j <= i+2; j++ {
		if j == i || j < 0 || j >= len(sents) || sents[j].block != s.block {
			continue
		}
		n := &sents[j]
		// A summit agenda lends no technology, nor does a sentence that
		// already ties the sides itself.
		if n.techMax() >= 2 && !n.hostile && !n.restrict && !n.compare && !n.commodity && n.domains < 2 && !(((n.ru && n.cn) || n.dyad) && n.rel > 0) {
			return 2
		}
	}
	return 0
}

func popcount(x uint64) int {
	n := 0
	for x != 0 {
		x &= x - 1
		n++
	}
	return n
}

// sidesProminent reports whether both sides are named in the title or lead,
// or each in at least three sentences, leaving out sentence except (-1:
// none): the test that tells a Russia–China story headlined on something
// else from a one-sentence recall.
func sidesProminent(sents []sentence, except int) bool {
	ru, cn, ruN, cnN := false, false, 0, 0
	for i := range sents {
		if i == except {
			continue
		}
		s := &sents[i]
		r, k := s.ru || s.dyad, s.cn || s.dyad
		if r {
			ruN++
		}
		if k {
			cnN++
		}
		if s.title || s.lead {
			ru, cn = ru || r, cn || k
		}
	}
	return (ru && cn) || (ruN >= 3 && cnN >= 3)
}

// withoutHeadline drops a first block of text that repeats the title: pages
// keep the headline as their first block, and the title is already weighed
// as the title, so counting it again as the lead would double it.
func withoutHeadline(title, text string) string {
	if title == "" {
		return text
	}
	first, rest, _ := strings.Cut(text, "\n")
	if strings.EqualFold(strings.Join(strings.Fields(first), " "), strings.Join(strings.Fields(title), " ")) {
		return rest
	}
	return text
}
