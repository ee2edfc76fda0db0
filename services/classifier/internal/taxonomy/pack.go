package taxonomy

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Pack is one language's terms, laid out as the taxonomy's sections: each
// list of the taxonomy that holds terms appears under the id or name of its
// entry, and carries this language's terms for it. A pack adds a language
// without touching default.yaml: every list it names must exist there
// (AddPack refuses an unknown id or name), and what each list is for is said
// there.
//
//	language: pt
//	grammar: {conjunctions: [e], months: [[janeiro], …]}
//	countries: {ru: [Rússia, russ*], cn: [China, chin*]}
//	entities: {huawei: [Huawei]}
//	topics: {telecom: {strong: [5G, rede móvel], weak: [rede*]}}
//	cues: {relation: {strong: [cooperação]}, hostile: [ataque*]}
//	stages: {signed: [assinou, assinaram]}
//	kinds: {contract: [contrato*]}
//	subjects: {lunar: [Lua, lunar]}
type Pack struct {
	Language  string                `yaml:"language"`
	Grammar   map[string]yaml.Node  `yaml:"grammar"`
	Countries map[string][]string   `yaml:"countries"`
	Entities  map[string][]string   `yaml:"entities"`
	Topics    map[string]PackGraded `yaml:"topics"`
	Cues      map[string]yaml.Node  `yaml:"cues"`
	Stages    map[string][]string   `yaml:"stages"`
	Kinds     map[string][]string   `yaml:"kinds"`
	Subjects  map[string][]string   `yaml:"subjects"`
}

// PackGraded is a pack's strong and weak terms of one graded list.
type PackGraded struct {
	Strong []string `yaml:"strong"`
	Weak   []string `yaml:"weak"`
}

// AddPack merges a language pack (YAML) into t: its terms join t's lists
// under the pack's language, which joins t.Languages. It does not validate
// the terms; Validate does.
func (t *Taxonomy) AddPack(data []byte) error {
	var p Pack
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("parse language pack: %w", err)
	}
	lang := strings.TrimSpace(p.Language)
	if lang == "" || lang == AnyLang || lang != strings.ToLower(lang) {
		return fmt.Errorf("language pack: language %q: %w", p.Language, ErrBadLanguage)
	}
	if slices.Contains(t.Languages, lang) {
		return fmt.Errorf("language pack %s: %w", lang, ErrDuplicatePack)
	}
	t.Languages = append(t.Languages, lang)
	set := func(l *Lexicon, terms []string) {
		if len(terms) == 0 {
			return
		}
		if *l == nil {
			*l = Lexicon{}
		}
		(*l)[lang] = append((*l)[lang], terms...)
	}
	for id, terms := range p.Countries {
		i := slices.IndexFunc(t.Countries, func(c Country) bool { return c.ID == id })
		if i < 0 {
			return fmt.Errorf("language pack %s: countries %q: %w", lang, id, ErrUnknownEntry)
		}
		set(&t.Countries[i].Aliases, terms)
	}
	for id, terms := range p.Entities {
		i := slices.IndexFunc(t.Entities, func(e Entity) bool { return e.ID == id })
		if i < 0 {
			return fmt.Errorf("language pack %s: entities %q: %w", lang, id, ErrUnknownEntry)
		}
		set(&t.Entities[i].Aliases, terms)
	}
	for id, g := range p.Topics {
		i := slices.IndexFunc(t.Topics, func(tp Topic) bool { return tp.ID == id })
		if i < 0 {
			return fmt.Errorf("language pack %s: topics %q: %w", lang, id, ErrUnknownEntry)
		}
		set(&t.Topics[i].Strong, g.Strong)
		set(&t.Topics[i].Weak, g.Weak)
	}
	for _, x := range []struct {
		name string
		m    map[string][]string
		cues func(id string) *Lexicon
	}{
		{"stages", p.Stages, func(id string) *Lexicon {
			if i := slices.IndexFunc(t.Stages, func(s Stage) bool { return s.ID == id }); i >= 0 {
				return &t.Stages[i].Cues
			}
			return nil
		}},
		{"kinds", p.Kinds, func(id string) *Lexicon {
			if i := slices.IndexFunc(t.Kinds, func(k Kind) bool { return k.ID == id }); i >= 0 {
				return &t.Kinds[i].Cues
			}
			return nil
		}},
		{"subjects", p.Subjects, func(id string) *Lexicon {
			if i := slices.IndexFunc(t.Subjects, func(s Subject) bool { return s.ID == id }); i >= 0 {
				return &t.Subjects[i].Cues
			}
			return nil
		}},
	} {
		for id, terms := range x.m {
			l := x.cues(id)
			if l == nil {
				return fmt.Errorf("language pack %s: %s %q: %w", lang, x.name, id, ErrUnknownEntry)
			}
			set(l, terms)
		}
	}
	cues := t.Cues.lexicons()
	for name, node := range p.Cues {
		c, ok := cues[name]
		if !ok {
			return fmt.Errorf("language pack %s: cues %q: %w", lang, name, ErrUnknownEntry)
		}
		if c.graded != nil {
			var g PackGraded
			if err := node.Decode(&g); err != nil {
				return fmt.Errorf("language pack %s: cues %s: %w", lang, name, err)
			}
			set(&c.graded.Strong, g.Strong)
			set(&c.graded.Weak, g.Weak)
			continue
		}
		var terms []string
		if err := node.Decode(&terms); err != nil {
			return fmt.Errorf("language pack %s: cues %s: %w", lang, name, err)
		}
		set(c.lex, terms)
	}
	grammar := t.Grammar.byName()
	for name, node := range p.Grammar {
		if name == "months" {
			var months [][]string
			if err := node.Decode(&months); err != nil {
				return fmt.Errorf("language pack %s: grammar months: %w", lang, err)
			}
			if t.Grammar.Months == nil {
				t.Grammar.Months = map[string][][]string{}
			}
			t.Grammar.Months[lang] = months
			continue
		}
		l, ok := grammar[name]
		if !ok {
			return fmt.Errorf("language pack %s: grammar %q: %w", lang, name, ErrUnknownEntry)
		}
		var words []string
		if err := node.Decode(&words); err != nil {
			return fmt.Errorf("language pack %s: grammar %s: %w", lang, name, err)
		}
		set(l, words)
	}
	return nil
}

// cueList is one list of Cues: a plain lexicon or a graded one.
type cueList struct {
	lex    *Lexicon
	graded *Graded
}

// lexicons returns Cues' lists by their YAML names.
func (c *Cues) lexicons() map[string]cueList {
	return map[string]cueList{
		"dyads": {lex: &c.Dyads}, "anaphora": {lex: &c.Anaphora}, "relation": {graded: &c.Relation},
		"hostile": {lex: &c.Hostile}, "opposition": {lex: &c.Opposition}, "denial": {lex: &c.Denial},
		"backdrop": {lex: &c.Backdrop}, "members": {lex: &c.Members}, "restrict": {lex: &c.Restrict},
		"comparison": {lex: &c.Comparison}, "commodity": {lex: &c.Commodity}, "operations": {lex: &c.Operations},
		"domain": {lex: &c.Domain}, "recall": {lex: &c.Recall}, "blockers": {lex: &c.Blockers},
		"negation": {graded: &c.Negation}, "modality": {lex: &c.Modality}, "pending": {lex: &c.Pending},
		"absent": {lex: &c.Absent},
	}
}

// byName returns the grammar's word lists by their YAML names.
func (g *Grammar) byName() map[string]*Lexicon {
	out := map[string]*Lexicon{}
	for _, x := range g.lexiconPtrs() {
		out[x.name] = x.l
	}
	return out
}
