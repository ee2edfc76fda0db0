package taxonomy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	tx, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if tx.Version == "" {
		t.Error("no version")
	}
	for _, id := range []string{"huawei", "zte", "smic", "cnsa", "mts", "rostelecom", "roscosmos", "rosatom", "rostec", "yandex", "sber", "kaspersky", "putin", "xi_jinping"} {
		found := false
		for _, e := range tx.Entities {
			if e.ID == id {
				found = true
			}
		}
		if !found {
			t.Errorf("entity %s missing from the default taxonomy", id)
		}
	}
	// Cues every language needs: a language without them reads every
	// "not signed" or "will be signed" as a signature.
	cues := []struct {
		name string
		l    Lexicon
	}{
		{"negation.weak", tx.Cues.Negation.Weak}, {"negation.strong", tx.Cues.Negation.Strong},
		{"modality", tx.Cues.Modality}, {"relation.strong", tx.Cues.Relation.Strong},
		{"relation.weak", tx.Cues.Relation.Weak}, {"hostile", tx.Cues.Hostile},
		{"restrict", tx.Cues.Restrict}, {"operations", tx.Cues.Operations},
	}
	for _, cu := range cues {
		for _, lang := range tx.Languages {
			if len(cu.l[lang]) == 0 {
				t.Errorf("cues %s have no %s terms", cu.name, lang)
			}
		}
	}
	// Subjects feed the agreement key: a subject one language cannot name
	// splits the reports of one deal into two keys.
	for _, sj := range tx.Subjects {
		for _, lang := range tx.Languages {
			if len(sj.Cues[lang])+len(sj.Cues[AnyLang]) == 0 {
				t.Errorf("subject %s has no %s cues", sj.ID, lang)
			}
		}
	}
	for _, c := range tx.Countries {
		if c.Side == SideOther {
			continue
		}
		for _, lang := range tx.Languages {
			if len(c.Aliases[lang]) == 0 {
				t.Errorf("country %s has no %s aliases", c.ID, lang)
			}
		}
	}
	// Grammar every language needs: without conjunctions "Russia and
	// China" is no pair, without locatives a country is never a place,
	// without month names (or, in Chinese, numbered months) no date is read.
	for _, lang := range tx.Languages {
		g := tx.Grammar
		for _, l := range []struct {
			name string
			l    Lexicon
		}{{"conjunctions", g.Conjunctions}, {"object_markers", g.ObjectMarkers}, {"locatives", g.Locatives},
			{"clause_openers", g.ClauseOpeners}, {"year_bounds", g.YearBounds}, {"basis", g.Basis}} {
			if len(l.l[lang]) == 0 {
				t.Errorf("grammar %s has no %s words", l.name, lang)
			}
		}
		if lang != "zh" && len(g.Months[lang]) != 12 {
			t.Errorf("grammar months: %s has %d months", lang, len(g.Months[lang]))
		}
	}
}

func TestExpand(t *testing.T) {
	tests := []struct {
		term string
		want []string // Term.String() of each literal
		cs   bool
	}{
		{"Huawei", []string{"Huawei"}, false},
		{"MTS", []string{"MTS"}, true},
		{"5G", []string{"5G"}, true},
		{"=Си", []string{"Си"}, true},
		{"российск*", []string{"российск*"}, false},
		{"атомн{ая,ой} станц*", []string{"атомная станц*", "атомной станц*"}, false},
		{"ядерн* реактор*", []string{"ядерн* реактор*"}, false},
		{"ракет*-носител*", []string{"ракет*-носител*"}, false},
		{"red{,es} 5G", []string{"red 5G", "redes 5G"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.term, func(t *testing.T) {
			got, err := Expand(tt.term)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			var s []string
			for _, x := range got {
				s = append(s, x.String())
				if x.CaseSensitive != tt.cs {
					t.Errorf("%q case-sensitive = %v, want %v", x, x.CaseSensitive, tt.cs)
				}
			}
			if strings.Join(s, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", s, tt.want)
			}
		})
	}
}

func TestExpandErrors(t *testing.T) {
	tests := []struct {
		term string
		want error
	}{
		{"", ErrEmptyTerm},
		{"=", ErrEmptyTerm},
		{"a{b", ErrUnbalancedBraces},
		{"a}b", ErrUnbalancedBraces},
		{"a{b{c}}", ErrUnbalancedBraces},
		{"*abc", ErrInvalidTerm},
		{"* abc", ErrEmptyTerm},
		{"ab*c", ErrInvalidTerm},
		{"{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}", ErrTooManyExpansions},
		{"\xff", ErrInvalidTerm},
	}
	for _, tt := range tests {
		t.Run(tt.term, func(t *testing.T) {
			if _, err := Expand(tt.term); !errors.Is(err, tt.want) {
				t.Errorf("Expand(%q) = %v, want %v", tt.term, err, tt.want)
			}
		})
	}
}

const minimal = `version: "t1"
languages: [en]
countries:
  - {id: ru, name: Russia, side: ru, aliases: {en: [Russia]}}
  - {id: cn, name: China, side: cn, aliases: {en: [China]}}
topics:
  - {id: telecom, strong: {en: [5G]}}
cues:
  relation: {strong: {en: [cooperation]}}
stages:
  - {id: signed, code: "057", cues: {en: [signed]}}
kinds:
  - {id: contract, cues: {en: [contract]}}
`

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string
		want    error
		mention string // the error must name the bad entry
	}{
		{"minimal is valid", func(s string) string { return s }, nil, ""},
		{"no version", func(s string) string { return strings.Replace(s, `version: "t1"`, `version: ""`, 1) }, ErrNoVersion, ""},
		{"bad side", func(s string) string { return strings.Replace(s, "side: cn", "side: china", 1) }, ErrBadSide, `"cn"`},
		{"missing side", func(s string) string { return strings.Replace(s, "side: cn", "side: other", 1) }, ErrMissingSide, ""},
		{"duplicate id", func(s string) string { return strings.Replace(s, "id: cn,", "id: ru,", 1) }, ErrDuplicateID, `"ru"`},
		{"unknown topic", func(s string) string { return strings.Replace(s, "id: telecom", "id: biotech", 1) }, ErrUnknownTopic, `"biotech"`},
		{"unknown language", func(s string) string { return strings.Replace(s, "{en: [5G]}", "{fr: [5G]}", 1) }, ErrUnknownLanguage, `"telecom"`},
		{"bad term", func(s string) string { return strings.Replace(s, "[China]", `["Chi{na"]`, 1) }, ErrUnbalancedBraces, `"cn"`},
		{"no signed stage", func(s string) string { return strings.Replace(s, "id: signed", "id: intent", 1) }, ErrNoSignedStage, ""},
		{"no languages", func(s string) string { return strings.Replace(s, "languages: [en]", "", 1) }, ErrNoLanguages, ""},
		{"a language listed twice", func(s string) string { return strings.Replace(s, "languages: [en]", "languages: [en, en]", 1) }, ErrBadLanguage, `"en"`},
		{"grammar in an unlisted language", func(s string) string { return s + "grammar:\n  conjunctions: {fr: [et]}\n" }, ErrUnknownLanguage, "conjunctions"},
		{"eleven months", func(s string) string {
			return s + "grammar:\n  months: {en: [[jan], [feb], [mar], [apr], [may], [jun], [jul], [aug], [sep], [oct], [nov]]}\n"
		}, ErrBadMonths, "en"},
		{"grammar is valid", func(s string) string { return s + "grammar:\n  conjunctions: {en: [and]}\n  locatives: {en: [in]}\n" }, nil, ""},
		{"unknown kind", func(s string) string { return strings.Replace(s, "id: contract", "id: barter", 1) }, ErrBadAgreementKind, "barter"},
		{"entity with unknown country", func(s string) string {
			return s + "entities:\n  - {id: x, name: X, kind: company, country: zz, aliases: {en: [X]}}\n"
		}, ErrUnknownCountry, `"x"`},
		{"entity with bad kind", func(s string) string {
			return s + "entities:\n  - {id: x, name: X, kind: robot, country: cn, aliases: {en: [X]}}\n"
		}, ErrBadKind, `"x"`},
		{"subjects are valid", func(s string) string {
			return s + "subjects:\n  - {id: mobile, topic: telecom, cues: {en: [base station]}}\n  - {id: optical, topic: telecom, cues: {en: [backbone]}}\n"
		}, nil, ""},
		{"subject with an unknown topic", func(s string) string {
			return s + "subjects:\n  - {id: lunar, topic: space, cues: {en: [Moon]}}\n"
		}, ErrUnknownTopic, `"lunar"`},
		{"subject without a topic", func(s string) string {
			return s + "subjects:\n  - {id: lunar, cues: {en: [Moon]}}\n"
		}, ErrUnknownTopic, `"lunar"`},
		{"duplicate subject", func(s string) string {
			return s + "subjects:\n  - {id: lunar, topic: telecom, cues: {en: [Moon]}}\n  - {id: lunar, topic: telecom, cues: {en: [lunar]}}\n"
		}, ErrDuplicateID, `"lunar"`},
		{"subject with a bad term", func(s string) string {
			return s + "subjects:\n  - {id: lunar, topic: telecom, cues: {en: [\"Mo*on\"]}}\n"
		}, ErrInvalidTerm, `"lunar"`},
		{"too many subjects", func(s string) string {
			var b strings.Builder
			b.WriteString(s + "subjects:\n")
			for i := 0; i <= MaxSubjects; i++ {
				fmt.Fprintf(&b, "  - {id: s%d, topic: telecom, cues: {en: [w%d]}}\n", i, i)
			}
			return b.String()
		}, ErrTooManySubjects, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx, err := Load([]byte(tt.edit(minimal)))
			if tt.want == nil {
				if err != nil || tx.Version != "t1" {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not name %s", err, tt.mention)
			}
		})
	}
}

func TestLoadRejectsUnknownFields(t *testing.T) {
	if _, err := Load([]byte(minimal + "colour: blue\n")); err == nil {
		t.Fatal("unknown field accepted")
	}
}

func TestLoadFile(t *testing.T) {
	// A directory laid out as the embedded default loads as the default.
	dir := t.TempDir()
	if err := os.CopyFS(dir, defaultFS); err != nil {
		t.Fatal(err)
	}
	tx, err := LoadFile(dir)
	if err != nil {
		t.Fatalf("LoadFile(dir): %v", err)
	}
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if tx.Version != def.Version || len(tx.Entities) != len(def.Entities) || !slices.Equal(tx.Languages, def.Languages) {
		t.Errorf("directory copy of the default differs: %s/%d/%v vs %s/%d/%v", tx.Version, len(tx.Entities), tx.Languages,
			def.Version, len(def.Entities), def.Languages)
	}
	// One file with its languages inline.
	p := filepath.Join(t.TempDir(), "tax.yaml")
	if err := os.WriteFile(p, []byte(minimal), 0o600); err != nil {
		t.Fatal(err)
	}
	if tx, err := LoadFile(p); err != nil || tx.Version != "t1" {
		t.Fatalf("LoadFile(file): %v", err)
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v", err)
	}
}

// TestAddPack checks that a language pack joins its terms to the lists it
// names under its language, and refuses what the taxonomy lacks.
func TestAddPack(t *testing.T) {
	tests := []struct {
		name string
		pack string
		want error
	}{
		{"a pack", "language: pt\ncountries: {ru: [Rússia], cn: [China]}\ntopics: {telecom: {strong: [rede 5G]}}\n" +
			"cues: {relation: {strong: [cooperação]}}\nstages: {signed: [assinaram]}\nkinds: {contract: [contrato*]}\n" +
			"grammar: {conjunctions: [e], months: [[janeiro], [fevereiro], [março], [abril], [maio], [junho], [julho], [agosto], [setembro], [outubro], [novembro], [dezembro]]}\n", nil},
		{"an unknown country", "language: pt\ncountries: {xx: [X]}\n", ErrUnknownEntry},
		{"an unknown cue list", "language: pt\ncues: {gossip: [boato]}\n", ErrUnknownEntry},
		{"an unknown grammar list", "language: pt\ngrammar: {rhymes: [ão]}\n", ErrUnknownEntry},
		{"an unknown stage", "language: pt\nstages: {dreamt: [sonhou]}\n", ErrUnknownEntry},
		{"a language given twice", "language: en\n", ErrDuplicatePack},
		{"no language", "countries: {ru: [Rússia]}\n", ErrBadLanguage},
		{"an unknown section", "language: pt\nrecipes: {}\n", nil}, // parse error, checked below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx, err := Load([]byte(minimal))
			if err != nil {
				t.Fatal(err)
			}
			err = tx.AddPack([]byte(tt.pack))
			if tt.name == "an unknown section" {
				if err == nil {
					t.Fatal("unknown section accepted")
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("AddPack = %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			if err := tx.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if !slices.Contains(tx.Languages, "pt") || tx.Countries[0].Aliases["pt"][0] != "Rússia" ||
				tx.Topics[0].Strong["pt"][0] != "rede 5G" || tx.Cues.Relation.Strong["pt"][0] != "cooperação" ||
				tx.Stages[0].Cues["pt"][0] != "assinaram" || tx.Grammar.Conjunctions["pt"][0] != "e" || len(tx.Grammar.Months["pt"]) != 12 {
				t.Errorf("pack not merged: %+v", tx)
			}
		})
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("version: x\ncountries: [{id: ru}]"))
	f.Add([]byte("{{{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tx, err := Load(data)
		if err == nil {
			// A loaded taxonomy must expand every term without error.
			for _, c := range tx.Countries {
				for _, term := range c.Aliases.Terms() {
					if len(term.Parts) == 0 {
						t.Fatalf("empty term from %q", data)
					}
				}
			}
		}
	})
}
