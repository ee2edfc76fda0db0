package classify

import (
	"fmt"
	"io"
	"strings"
)

// trace is what one classification was made of, for Explain.
type trace struct {
	text    string
	sents   []sentence
	hits    []hit
	agrSent int
}

// Explain classifies d and writes, for people tuning the taxonomy, every
// sentence with the features the classifier read in it and the terms that
// matched, then the result. The format is for reading, not parsing.
func (c *Classifier) Explain(d Document, w io.Writer) Result {
	var tr trace
	res := c.classify(d, &tr)
	for i := range tr.sents {
		s := &tr.sents[i]
		var flags []string
		add := func(on bool, name string) {
			if on {
				flags = append(flags, name)
			}
		}
		add(s.title, "TITLE")
		add(s.lead, "LEAD")
		add(s.ru, "ru")
		add(s.cn, "cn")
		add(s.dyad, "dyad")
		add(s.anaph, "anaph")
		add(s.third != 0, fmt.Sprintf("third=%d", popcount(s.third)))
		add(s.rel > 0, fmt.Sprintf("rel=%d", s.rel))
		add(s.techMax() > 0, fmt.Sprintf("tech=%d", s.techMax()))
		add(s.generic, "generic")
		add(s.hostile, "HOSTILE")
		add(s.restrict, "RESTRICT")
		add(s.compare, "COMPARE")
		add(s.commodity, "commodity")
		add(s.ops, "ops")
		add(s.domains > 0, fmt.Sprintf("domains=%d", s.domains))
		add(s.recall, "RECALL")
		add(s.modal, "modal")
		add(s.counted, "counted")
		add(s.signN > 0, fmt.Sprintf("signed=%d", s.signN))
		add(s.signSeen && s.signN == 0, "sign-qualified")
		add(s.conjoined, "conjoined")
		add(s.thirdPair, "thirdPair")
		add(s.pairObject, "pairObject")
		add(s.thirdLeads, "thirdLeads")
		add(s.kinds != 0, fmt.Sprintf("kinds=%s", c.bitNames(uint32(s.kinds), c.kindIDs)))
		add(s.stages != 0, fmt.Sprintf("stages=%s", c.stageNames(s.stages)))
		add(s.score > 0, fmt.Sprintf("SCORE=%.0f", s.score))
		add(i == tr.agrSent, "AGREEMENT")
		fmt.Fprintf(w, "[%d.%d] %s\n", s.block, i, strings.Join(flags, " "))
		fmt.Fprintf(w, "    %s\n", short(tr.text[s.start:s.end], 300))
		var terms []string
		for _, h := range tr.hits[s.hitLo:s.hitHi] {
			terms = append(terms, fmt.Sprintf("%s:%s", c.famName(&c.feats[h.feat]), tr.text[h.start:h.end]))
		}
		if len(terms) > 0 {
			fmt.Fprintf(w, "    terms: %s\n", strings.Join(terms, " | "))
		}
	}
	fmt.Fprintf(w, "=> lang %s ru_cn_tech %v score %.3f topics %v\n", res.Lang, res.RuCnTech, res.Score, res.Topics)
	a := res.Agreement
	fmt.Fprintf(w, "=> agreement detected %v stage %q kind %q parties %v technology %q subject %q date %q key %q\n",
		a.Detected, a.Stage, a.Kind, a.Parties, a.Technology, a.Subject, a.Date, a.Key)
	return res
}

func (c *Classifier) stageNames(bits uint16) string {
	var ids []string
	for _, s := range c.tax.Stages {
		ids = append(ids, s.ID)
	}
	return c.bitNames(uint32(bits), ids)
}

func (c *Classifier) bitNames(bits uint32, ids []string) string {
	var out []string
	for i, id := range ids {
		if bits&(1<<uint(i)) != 0 {
			out = append(out, id)
		}
	}
	return strings.Join(out, ",")
}

var famNames = [...]string{
	famCountry: "country", famEntity: "entity", famDyad: "dyad", famAnaphor: "anaphor", famTopic: "topic",
	famRelation: "rel", famHostile: "hostile", famRestrict: "restrict", famComparison: "compare",
	famCommodity: "commodity", famOperations: "ops", famDomain: "domain", famRecall: "recall",
	famBlocker: "blocker", famStage: "stage", famKind: "kind", famNegation: "neg", famModal: "modal",
	famPending: "pending", famAbsent: "absent", famSubject: "subject", famDenial: "denial", famBackdrop: "backdrop", famMember: "member",
}

func (c *Classifier) famName(f *feature) string {
	n := famNames[f.fam]
	switch f.fam {
	case famTopic:
		n += "." + c.tax.Topics[f.ref].ID
		if f.weight == 1 {
			n += "(weak)"
		}
	case famEntity:
		n += "." + c.tax.Entities[f.ref].ID
	case famCountry:
		n += "." + c.tax.Countries[f.ref].ID
	case famStage:
		n += "." + c.tax.Stages[f.ref].ID
	case famKind:
		n += "." + c.kindIDs[f.ref]
	case famSubject:
		n += "." + c.tax.Subjects[f.ref].ID
	case famRelation:
		if f.weight == 1 {
			n += "(weak)"
		}
	}
	return n
}

func short(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
