package classify

import (
	"fmt"
	"sync"

	"github.com/newspipe/newspipe/services/classifier/internal/match"
	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// family is what a matched term stands for.
type family uint8

const (
	famCountry family = iota
	famEntity
	famDyad
	famAnaphor
	famTopic
	famRelation
	famHostile
	famRestrict
	famComparison
	famCommodity
	famOperations
	famDomain
	famRecall
	famBlocker
	famStage
	famKind
	famNegation
	famModal
	famPending
	famAbsent
	famSubject
	famDenial
	famBackdrop
	famMember
)

// feature is one term of the taxonomy as the classifier uses it.
type feature struct {
	fam    family
	ref    int  // index into countries, entities, topics, stages or kinds
	weight int8 // 1 weak, 2 strong
	lang   string
	// Multi-part terms: part index, number of parts, the separator after
	// this part and the feature index of the next part.
	part, nparts int
	sep          string
	next         int
}

// Classifier classifies documents with a compiled taxonomy. It is immutable
// after New and safe for concurrent use.
type Classifier struct {
	tax *taxonomy.Taxonomy
	// A document is matched only against the terms of its language and of
	// every language: the others' terms never count in it (see hits), and
	// an automaton of one language's terms is a fraction of the size, so
	// the scan stays in the cache. langs holds one per listed language;
	// other languages get the every-language terms (neutral); a document
	// of unknown language gets all of them (all, compiled on first use:
	// langid names a language for nearly every text).
	langs    map[string]*langMatcher
	neutral  *langMatcher
	all      func() (*langMatcher, error)
	feats    []feature
	patFeats [][]int32 // pattern index -> features

	ruCountry, cnCountry int
	topicIdx             map[string]int
	stageIdx             map[string]int
	signedStage          int // index of the signed stage, -1 if none
	intentBit            uint16
	kindIDs              []string
	entityTopics         [][]int             // entity -> topic indexes
	entityActor          []actor             // entity -> the country it is tied to
	grammars             map[string]*grammar // language -> its grammar
	anyGrammar           *grammar            // every language's, for the others
}

// New compiles the taxonomy's terms into one multi-pattern matcher.
func New(t *taxonomy.Taxonomy) (*Classifier, error) {
	if t == nil {
		return nil, fmt.Errorf("new classifier: %w", ErrNilTaxonomy)
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("new classifier: %w", err)
	}
	c := &Classifier{tax: t, topicIdx: map[string]int{}, stageIdx: map[string]int{}, ruCountry: -1, cnCountry: -1}
	for i, tp := range t.Topics {
		c.topicIdx[tp.ID] = i
	}
	c.signedStage = -1
	for i, s := range t.Stages {
		c.stageIdx[s.ID] = i
		switch s.ID {
		case taxonomy.StageSigned:
			c.signedStage = i
		case taxonomy.StageIntent:
			c.intentBit = 1 << uint(i)
		}
	}
	for _, k := range t.Kinds {
		c.kindIDs = append(c.kindIDs, k.ID)
	}
	c.grammars = map[string]*grammar{}
	for _, lang := range t.Languages {
		c.grammars[lang] = newGrammar(&t.Grammar, []string{lang})
	}
	c.anyGrammar = newGrammar(&t.Grammar, t.Languages)
	if len(t.Topics) > maxTopics {
		return nil, fmt.Errorf("new classifier: %d topics: %w", len(t.Topics), ErrTooManyTopics)
	}
	c.entityActor = make([]actor, len(t.Entities))
	for i, e := range t.Entities {
		for j, co := range t.Countries {
			if co.ID != e.Country {
				continue
			}
			switch co.Side {
			case taxonomy.SideRU:
				c.entityActor[i] = actor{side: 1}
			case taxonomy.SideCN:
				c.entityActor[i] = actor{side: 2}
			default:
				c.entityActor[i] = actor{side: 3, ref: j}
			}
		}
	}
	c.entityTopics = make([][]int, len(t.Entities))
	for i, e := range t.Entities {
		for _, tp := range e.Topics {
			c.entityTopics[i] = append(c.entityTopics[i], c.topicIdx[tp])
		}
	}

	type patKey struct {
		text       string
		prefix, cs bool
	}
	patIdx := map[patKey]int{}
	var pats []match.Pattern
	add := func(l taxonomy.Lexicon, fam family, ref int, weight int8) {
		for _, term := range l.Terms() {
			lang := term.Lang
			if lang == taxonomy.AnyLang {
				lang = ""
			}
			first := len(c.feats)
			for pi, p := range term.Parts {
				f := feature{fam: fam, ref: ref, weight: weight, lang: lang, part: pi, nparts: len(term.Parts), sep: p.Sep, next: -1}
				if pi+1 < len(term.Parts) {
					f.next = first + pi + 1
				}
				fi := len(c.feats)
				c.feats = append(c.feats, f)
				k := patKey{p.Text, p.Prefix, term.CaseSensitive}
				idx, ok := patIdx[k]
				if !ok {
					idx = len(pats)
					patIdx[k] = idx
					pats = append(pats, match.Pattern{Text: p.Text, Prefix: p.Prefix, CaseSensitive: term.CaseSensitive})
					c.patFeats = append(c.patFeats, nil)
				}
				c.patFeats[idx] = append(c.patFeats[idx], int32(fi))
			}
		}
	}
	for i, co := range t.Countries {
		switch co.Side {
		case taxonomy.SideRU:
			c.ruCountry = i
		case taxonomy.SideCN:
			c.cnCountry = i
		}
		add(co.Aliases, famCountry, i, 2)
	}
	for i, e := range t.Entities {
		add(e.Aliases, famEntity, i, 2)
	}
	for i, tp := range t.Topics {
		add(tp.Strong, famTopic, i, 2)
		add(tp.Weak, famTopic, i, 1)
	}
	cu := t.Cues
	add(cu.Dyads, famDyad, 0, 2)
	add(cu.Anaphora, famAnaphor, 0, 1)
	add(cu.Relation.Strong, famRelation, 0, 2)
	add(cu.Relation.Weak, famRelation, 0, 1)
	add(cu.Hostile, famHostile, 0, 1)
	add(cu.Opposition, famHostile, 0, 2)
	add(cu.Denial, famDenial, 0, 1)
	add(cu.Backdrop, famBackdrop, 0, 1)
	add(cu.Members, famMember, 0, 1)
	add(cu.Restrict, famRestrict, 0, 1)
	add(cu.Comparison, famComparison, 0, 1)
	add(cu.Commodity, famCommodity, 0, 1)
	add(cu.Operations, famOperations, 0, 1)
	add(cu.Domain, famDomain, 0, 1)
	add(cu.Recall, famRecall, 0, 1)
	add(cu.Blockers, famBlocker, 0, 1)
	add(cu.Negation.Strong, famNegation, 0, 2)
	add(cu.Negation.Weak, famNegation, 0, 1)
	add(cu.Modality, famModal, 0, 1)
	add(cu.Pending, famPending, 0, 1)
	add(cu.Absent, famAbsent, 0, 1)
	for i, s := range t.Stages {
		add(s.Cues, famStage, i, 1)
	}
	for i, k := range t.Kinds {
		add(k.Cues, famKind, i, 1)
	}
	for i, sj := range t.Subjects {
		add(sj.Cues, famSubject, i, 1)
	}
	// Which languages' documents need each pattern.
	patLangs := make([]map[string]bool, len(pats))
	for pi, fs := range c.patFeats {
		patLangs[pi] = map[string]bool{}
		for _, fi := range fs {
			patLangs[pi][c.feats[fi].lang] = true
		}
	}
	var err error
	c.langs = map[string]*langMatcher{}
	for _, lang := range t.Languages {
		opts := match.Options{Proclitics: t.Grammar.Proclitics[lang]}
		if c.langs[lang], err = compileSubset(pats, opts, func(pi int) bool { return patLangs[pi][""] || patLangs[pi][lang] }); err != nil {
			return nil, fmt.Errorf("new classifier: compile the %s patterns: %w", lang, err)
		}
	}
	if c.neutral, err = compileSubset(pats, match.Options{}, func(pi int) bool { return patLangs[pi][""] }); err != nil {
		return nil, fmt.Errorf("new classifier: compile the every-language patterns: %w", err)
	}
	c.all = sync.OnceValues(func() (*langMatcher, error) {
		return compileSubset(pats, match.Options{}, func(int) bool { return true })
	})
	return c, nil
}

// langMatcher is an automaton for a subset of the classifier's patterns.
type langMatcher struct {
	m    *match.Matcher
	pats []int32 // its pattern index -> the classifier's
}

func compileSubset(pats []match.Pattern, opts match.Options, keep func(int) bool) (*langMatcher, error) {
	lm := &langMatcher{}
	var sub []match.Pattern
	for pi, p := range pats {
		if keep(pi) {
			sub = append(sub, p)
			lm.pats = append(lm.pats, int32(pi))
		}
	}
	m, err := match.CompileOptions(sub, opts)
	if err != nil {
		return nil, fmt.Errorf("compile %d patterns: %w", len(sub), err)
	}
	lm.m = m
	return lm, nil
}

// matcher returns the automaton for documents in lang.
func (c *Classifier) matcher(lang string) *langMatcher {
	if lm, ok := c.langs[lang]; ok {
		return lm
	}
	if lang != "" {
		return c.neutral
	}
	lm, err := c.all()
	if err != nil {
		// Every pattern compiled in New, in one language's set or another.
		panic(fmt.Sprintf("classify: compile every pattern: %v", err))
	}
	return lm
}

// Taxonomy returns the taxonomy the classifier was built from.
func (c *Classifier) Taxonomy() *taxonomy.Taxonomy { return c.tax }

// Patterns returns the number of distinct literals in the matcher.
func (c *Classifier) Patterns() int { return len(c.patFeats) }
