// Package taxonomy holds what the classifier knows as data: the two sides
// (Russia, China) and third countries with their aliases in each language,
// the companies, agencies, products and people tied to a country, the
// technology topics and their cues, the cue lists that make or break a
// relation between the sides, the agreement cues by stage and kind, and the
// subjects (the Moon, satellite navigation, a named nuclear plant…) that tell
// apart, in agreement keys, deals of one organisation on one topic.
//
// A default taxonomy is embedded: default.yaml, which says what each list is
// for and holds the terms of every language ("any"), and one language pack
// per language in languages/<code>.yaml (Pack: the language's grammar and
// its terms, laid out as the taxonomy's sections), merged in by AddPack.
// Load and LoadFile read an override, a single file or a directory laid out
// the same way. Every term list is a Lexicon: language code ("en", "ru",
// "zh", "es", "id", "pt", "fr", "de", "it", "ar", or "any" for all) to terms.
// A term is a literal with two
// conveniences, expanded when the taxonomy is loaded:
//
//   - braces list alternatives: "атомн{ая,ой,ую} станц*" is three terms;
//   - a trailing "*" makes the term a stem that matches any word ending:
//     "российск*" matches "российский" and "российско-китайский".
//
// A term written in capitals of at most five letters ("MTS", "AI", "МТС") is
// matched case-sensitively, so "ai" in Indonesian or "mts" in a URL do not
// count; a leading "=" forces case-sensitive matching of any term.
package taxonomy

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newspipe/newspipe/pkg/topology"

	"gopkg.in/yaml.v3"
)

// defaultFS holds the embedded default taxonomy: default.yaml and one
// language pack per language in languages/.
//
//go:embed default.yaml languages/*.yaml
var defaultFS embed.FS

// AnyLang is the Lexicon key for terms valid in every language.
const AnyLang = "any"

// TopicTokens are the topic ids fixed by DESIGN.md, the <topic> of
// news.enriched.rucn.<topic>; a taxonomy's topics must be among them.
var TopicTokens = topology.Topics

// Side values of a Country.
const (
	SideRU    = "ru"
	SideCN    = "cn"
	SideOther = "other"
)

// Entity kinds.
const (
	KindCountry = "country"
	KindCompany = "company"
	KindAgency  = "agency"
	KindOrg     = "org"
	KindPerson  = "person"
	KindProduct = "product"
)

// Agreement stages, after the CAMEO event codes they stand for.
const (
	StageIntent      = "intent"      // CAMEO 03x: express intent to cooperate
	StageNegotiation = "negotiation" // CAMEO 046: engage in negotiation
	StageSigned      = "signed"      // CAMEO 057: sign formal agreement
	StageImplemented = "implemented" // CAMEO 06x: engage in material cooperation
	StageRejected    = "rejected"    // CAMEO 12x/16x: reject, reduce or sanction
)

// StageOrder lists the stages from weakest to strongest evidence of a deal;
// rejected is last because it overrides the others in the same sentence.
var StageOrder = []string{StageIntent, StageNegotiation, StageImplemented, StageSigned, StageRejected}

// Agreement kinds. KindStatement marks declarations, which are never
// reported as agreements.
// KindPackage marks a signed set of documents (reported as "agreement").
var AgreementKinds = []string{"contract", "mou", "agreement", "joint_venture", "licence", "package", "statement"}

// Lexicon maps a language code (or AnyLang) to its terms.
type Lexicon map[string][]string

// Graded is a cue list split by strength.
type Graded struct {
	Strong Lexicon `yaml:"strong"`
	Weak   Lexicon `yaml:"weak"`
}

// Country is a state: one of the two sides or a third country.
type Country struct {
	ID      string  `yaml:"id"`
	Name    string  `yaml:"name"`
	Side    string  `yaml:"side"`
	Aliases Lexicon `yaml:"aliases"`
}

// Entity is a company, agency, organisation, product or person tied to a
// country. Topics name the sectors the entity stands for: a mention of Huawei
// is weak evidence of telecom.
type Entity struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Kind    string `yaml:"kind"`
	Country string `yaml:"country"`
	// Group is the organisation that answers for this one in deals (its
	// parent: Rostec for UAC and Rosoboronexport), "" for none. Reports of
	// one deal name the group or its member; deals are matched by group.
	// An authority that signs for its state (a regulator signing an
	// intergovernmental programme) has its country as its group: a report
	// naming it is matched as one naming the country, whose organisations
	// another report of the deal may name instead.
	Group   string   `yaml:"group"`
	Topics  []string `yaml:"topics"`
	Aliases Lexicon  `yaml:"aliases"`
}

// GroupOf returns the group id of entity e: its Group, else its own id.
func (e *Entity) GroupOf() string {
	if e.Group != "" {
		return e.Group
	}
	return e.ID
}

// Topic is a technology topic with its cues.
type Topic struct {
	ID     string  `yaml:"id"`
	Strong Lexicon `yaml:"strong"`
	Weak   Lexicon `yaml:"weak"`
}

// Stage is one agreement stage and its cues.
type Stage struct {
	ID   string  `yaml:"id"`
	Code string  `yaml:"code"`
	Cues Lexicon `yaml:"cues"`
}

// Subject is what a deal is about, finer than a topic (the Moon, satellite
// navigation, a named nuclear plant), so that two deals of one organisation on
// one topic get different agreement keys. Subjects are listed by priority:
// the first one an evidence sentence names is the deal's.
type Subject struct {
	ID string `yaml:"id"`
	// Topic is the technology a deal on this subject is filed under,
	// whatever else its report names: a nuclear plant on the Moon is a
	// space deal whether the report names Rosatom or CNSA.
	Topic string  `yaml:"topic"`
	Cues  Lexicon `yaml:"cues"`
}

// MaxSubjects bounds the subject list (a sentence tracks them in a bit set).
const MaxSubjects = 32

// Kind is one kind of deal and its cues.
type Kind struct {
	ID   string  `yaml:"id"`
	Cues Lexicon `yaml:"cues"`
}

// Cues holds the relation and context cue lists.
type Cues struct {
	// Dyads name both sides at once ("Sino-Russian", "中俄").
	Dyads Lexicon `yaml:"dyads"`
	// Anaphora ("both countries") count as both sides only in a document that
	// names both.
	Anaphora Lexicon `yaml:"anaphora"`
	// Relation words tie the sides: cooperation, joint work, supply, transfer.
	Relation Graded `yaml:"relation"`
	// Hostile words (attack, hackers, espionage) mean the sides are not
	// cooperating in that sentence, unless a third country stands beside
	// them.
	Hostile Lexicon `yaml:"hostile"`
	// Opposition words (condemn, oppose) are a stand taken: a joint one
	// against a third party is politics, not a tie.
	Opposition Lexicon `yaml:"opposition"`
	// Denial words (denies, опроверг) void a signing a headline denies.
	Denial Lexicon `yaml:"denial"`
	// Members words (among them, среди них, 其中) open an item of a set
	// named before: a deal there is one of the signings counted there.
	Members Lexicon `yaml:"members"`
	// Backdrop words (despite, bypassing, due to) make the restriction,
	// comparison or hostility after them the story's backdrop.
	Backdrop Lexicon `yaml:"backdrop"`
	// Restrict words (ban, sanctions) mark a third party acting on both.
	Restrict Lexicon `yaml:"restrict"`
	// Comparison words (compared with, like the Chinese model) mark a parallel.
	Comparison Lexicon `yaml:"comparison"`
	// Commodity words (oil, gas, grain) mark deals that are not technology.
	Commodity Lexicon `yaml:"commodity"`
	// Operations words (joint patrol, drills, exercise) mark military
	// operations: the weapons they name are not technology cooperation.
	Operations Lexicon `yaml:"operations"`
	// Domain words (economy, culture, education) are the other fields of a
	// summit list; technology named among them is diluted.
	Domain Lexicon `yaml:"domain"`
	// Recall words (back in, earlier, ещё в) mark a background mention of an
	// old event.
	Recall Lexicon `yaml:"recall"`
	// Blockers are phrases whose inner matches are dropped ("South China Sea"
	// names no Chinese actor).
	Blockers Lexicon `yaml:"blockers"`
	// Negation words make a signing cue that follows them in the same clause
	// a signature that has not happened ("has not signed", "未签署"). Weak
	// ones (not, не, 未) govern the next few words; strong ones (neither,
	// ninguno, ни один) open the subject of the clause and reach further.
	Negation Graded `yaml:"negation"`
	// Modality words (could, may, will, может, 将, 有望, akan) make a signing
	// cue that follows them closely a plan or a possibility, not a
	// signature.
	Modality Lexicon `yaml:"modality"`
	// Pending words right after a signing cue say it is still to come
	// ("firmado todavía", "подписан не раньше…").
	Pending Lexicon `yaml:"pending"`
	// Absent words later in the clause of a signing cue say that no such
	// signed thing exists ("Подписанных соглашений пока нет", "belum
	// ditemukan"): an existential negation that follows what it denies.
	Absent Lexicon `yaml:"absent"`
}

// Grammar holds, per language, the function words the classifier's rules
// read around actors, years and signing cues (see default.yaml). Each list
// is a Lexicon without term syntax: an entry with Han characters matches
// where the text around ends or starts with it, any other entry one whole
// word, case-insensitively.
type Grammar struct {
	// Conjunctions join two actors as one subject ("and", "и", "和").
	Conjunctions Lexicon `yaml:"conjunctions"`
	// Proclitics are prefixes written onto a word (Arabic "و", "ال",
	// "بال", "لل"): a term that starts a word also matches after one of
	// them, so a term names its bare form only ("صين", "روسيا").
	Proclitics Lexicon `yaml:"proclitics"`
	// AttachedConjunctions are conjunctions written onto the next word
	// (Arabic "و" in "الهند وروسيا"): a name so prefixed, a space after
	// another, is joined to it.
	AttachedConjunctions Lexicon `yaml:"attached_conjunctions"`
	// ObjectMarkers make the actors after them the object of someone
	// else's tie ("with", "dengan", "与").
	ObjectMarkers Lexicon `yaml:"object_markers"`
	// Articles may stand between an object marker and the actor.
	Articles Lexicon `yaml:"articles"`
	// ClauseOpeners open reported speech ("that", "что", "称").
	ClauseOpeners Lexicon `yaml:"clause_openers"`
	// Locatives make a country named after them a place ("in", "в", "在").
	Locatives Lexicon `yaml:"locatives"`
	// YearMarkers make a number after them a year ("in", "в", "pada").
	YearMarkers Lexicon `yaml:"year_markers"`
	// YearBounds make a year after them an end or deadline ("until", "до").
	YearBounds Lexicon `yaml:"year_bounds"`
	// YearSuffixes after a number make it a year ("год", "年").
	YearSuffixes Lexicon `yaml:"year_suffixes"`
	// YearBoundSuffixes after a year make it a deadline ("年前").
	YearBoundSuffixes Lexicon `yaml:"year_bound_suffixes"`
	// Basis phrases name what follows as the frame of the work reported
	// ("under the", "в рамках", "根据").
	Basis Lexicon `yaml:"basis"`
	// Multipliers after a number make it large ("тыс.", "ribu", "千").
	Multipliers Lexicon `yaml:"multipliers"`
	// Counters are measure words between a number and a deal kind ("份").
	Counters Lexicon `yaml:"counters"`
	// Prepositions open a phrase a negation reaches across ("就", "与").
	Prepositions Lexicon `yaml:"prepositions"`
	// GenitiveEndings end a signing participle in the genitive ("нных").
	GenitiveEndings Lexicon `yaml:"genitive_endings"`
	// CountAdjectiveEndings end the adjectives that may stand between a
	// count and a deal kind ("200 подписанных контрактов": "ых").
	CountAdjectiveEndings Lexicon `yaml:"count_adjective_endings"`
	// Perfective markers say a verb is done ("签署了", "已签署"): a modal
	// cannot make it a plan.
	Perfective Lexicon `yaml:"perfective"`
	// BracketGovernors govern the verb that closes their clause however
	// far it stands, in languages that put participles last ("Das
	// Abkommen wird … in Peking unterzeichnet"): a signing cue closing the
	// clause after one of them, with no perfective marker between, is a
	// plan.
	BracketGovernors Lexicon `yaml:"bracket_governors"`
	// AgendaClosers close an enumeration of fields ("能源、航空、通信等领域"):
	// one that lists a field other than technology is a summit agenda.
	AgendaClosers Lexicon `yaml:"agenda_closers"`
	// Abbreviations do not end a sentence with their period ("mr", "г").
	Abbreviations Lexicon `yaml:"abbreviations"`
	// DateFillers stand between a day, a month and a year ("de").
	DateFillers Lexicon `yaml:"date_fillers"`
	// OrdinalSuffixes end a day's number ("th").
	OrdinalSuffixes Lexicon `yaml:"ordinal_suffixes"`
	// LastYear and ThisYear name a year by the story's own ("in November
	// last year", "去年11月", "в марте этого года"): a signing so dated
	// is dated by the publication.
	LastYear Lexicon `yaml:"last_year"`
	ThisYear Lexicon `yaml:"this_year"`
	// Months lists month names per language, January first, each month
	// with its forms.
	Months map[string][][]string `yaml:"months"`
}

// lexicons returns the grammar's word lists by their YAML names.
func (g *Grammar) lexicons() []struct {
	name string
	l    Lexicon
} {
	var out []struct {
		name string
		l    Lexicon
	}
	for _, x := range g.lexiconPtrs() {
		out = append(out, struct {
			name string
			l    Lexicon
		}{x.name, *x.l})
	}
	return out
}

// namedLexicon is a grammar list and its YAML name.
type namedLexicon struct {
	name string
	l    *Lexicon
}

func (g *Grammar) lexiconPtrs() []namedLexicon {
	return []namedLexicon{
		{"conjunctions", &g.Conjunctions}, {"attached_conjunctions", &g.AttachedConjunctions}, {"proclitics", &g.Proclitics}, {"object_markers", &g.ObjectMarkers}, {"articles", &g.Articles},
		{"clause_openers", &g.ClauseOpeners}, {"locatives", &g.Locatives}, {"year_markers", &g.YearMarkers},
		{"year_bounds", &g.YearBounds}, {"year_suffixes", &g.YearSuffixes}, {"year_bound_suffixes", &g.YearBoundSuffixes},
		{"basis", &g.Basis}, {"multipliers", &g.Multipliers}, {"counters", &g.Counters}, {"prepositions", &g.Prepositions},
		{"genitive_endings", &g.GenitiveEndings}, {"count_adjective_endings", &g.CountAdjectiveEndings},
		{"agenda_closers", &g.AgendaClosers}, {"perfective", &g.Perfective}, {"bracket_governors", &g.BracketGovernors}, {"abbreviations", &g.Abbreviations},
		{"date_fillers", &g.DateFillers}, {"ordinal_suffixes", &g.OrdinalSuffixes},
		{"last_year", &g.LastYear}, {"this_year", &g.ThisYear},
	}
}

// Taxonomy is the whole classifier vocabulary.
type Taxonomy struct {
	Version string `yaml:"version"`
	// Languages are the language codes the lexicons may use besides
	// AnyLang: adding a language is adding it here, its terms to the
	// lexicons and its grammar.
	Languages []string  `yaml:"languages"`
	Grammar   Grammar   `yaml:"grammar"`
	Countries []Country `yaml:"countries"`
	Entities  []Entity  `yaml:"entities"`
	Topics    []Topic   `yaml:"topics"`
	Cues      Cues      `yaml:"cues"`
	Stages    []Stage   `yaml:"stages"`
	Kinds     []Kind    `yaml:"kinds"`
	Subjects  []Subject `yaml:"subjects"`
}

// Term is one expanded literal of a Lexicon. Most terms have one part; a stem
// inside a phrase ("ядерн* реактор*") splits it into parts, each of which
// must follow the rest of the previous part's word after Sep.
type Term struct {
	Lang          string // language code, or AnyLang
	Parts         []Part
	CaseSensitive bool
}

// Part is one literal piece of a Term.
type Part struct {
	Text   string
	Prefix bool   // a stem: no word boundary after it
	Sep    string // what joins this part to the next: " " (any white space) or "-"
}

// String returns the term as written, stems marked with "*".
func (t Term) String() string {
	var b strings.Builder
	for _, p := range t.Parts {
		b.WriteString(p.Text)
		if p.Prefix {
			b.WriteByte('*')
		}
		b.WriteString(p.Sep)
	}
	return b.String()
}

// Default returns the embedded default taxonomy: default.yaml with its
// language packs.
func Default() (*Taxonomy, error) {
	t, err := LoadFS(defaultFS, ".")
	if err != nil {
		return nil, fmt.Errorf("load default taxonomy: %w", err)
	}
	return t, nil
}

// LoadFS reads dir/default.yaml and every language pack dir/languages/*.yaml
// of fsys (in name order), merges the packs in and validates the result.
func LoadFS(fsys fs.FS, dir string) (*Taxonomy, error) {
	base := path.Join(dir, "default.yaml")
	data, err := fs.ReadFile(fsys, base)
	if err != nil {
		return nil, fmt.Errorf("read taxonomy: %w", err)
	}
	t, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", base, err)
	}
	packs, err := fs.Glob(fsys, path.Join(dir, "languages", "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("list language packs: %w", err)
	}
	sort.Strings(packs)
	for _, p := range packs {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read language pack: %w", err)
		}
		if err := t.AddPack(data); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// LoadFile reads and validates a taxonomy: a YAML file with every
// language's terms in it, or a directory laid out as the embedded default
// (default.yaml and languages/*.yaml).
func LoadFile(p string) (*Taxonomy, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("read taxonomy %s: %w", p, err)
	}
	if st.IsDir() {
		t, err := LoadFS(os.DirFS(p), ".")
		if err != nil {
			return nil, fmt.Errorf("taxonomy %s: %w", p, err)
		}
		return t, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read taxonomy %s: %w", p, err)
	}
	t, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("taxonomy %s: %w", p, err)
	}
	return t, nil
}

// Load parses and validates a taxonomy in one YAML document. Errors name
// the offending entry.
func Load(data []byte) (*Taxonomy, error) {
	t, err := parse(data)
	if err != nil {
		return nil, err
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

func parse(data []byte) (*Taxonomy, error) {
	var t Taxonomy
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("parse taxonomy: %w", err)
	}
	return &t, nil
}

// Validate checks the taxonomy's structure and every term.
func (t *Taxonomy) Validate() error {
	if strings.TrimSpace(t.Version) == "" {
		return fmt.Errorf("taxonomy: %w", ErrNoVersion)
	}
	if err := t.validateLanguages(); err != nil {
		return err
	}
	ids := map[string]string{}
	claim := func(id, what string) error {
		if id == "" {
			return fmt.Errorf("%s: %w", what, ErrMissingID)
		}
		if prev, ok := ids[id]; ok {
			return fmt.Errorf("%s %q: %w (also %s)", what, id, ErrDuplicateID, prev)
		}
		ids[id] = what
		return nil
	}
	sides := map[string]bool{}
	for i, c := range t.Countries {
		what := fmt.Sprintf("countries[%d]", i)
		if err := claim(c.ID, what); err != nil {
			return err
		}
		switch c.Side {
		case SideRU, SideCN:
			if sides[c.Side] {
				return fmt.Errorf("country %q: side %q: %w", c.ID, c.Side, ErrDuplicateSide)
			}
			sides[c.Side] = true
		case SideOther:
		default:
			return fmt.Errorf("country %q: side %q: %w", c.ID, c.Side, ErrBadSide)
		}
		if c.Name == "" {
			return fmt.Errorf("country %q: %w", c.ID, ErrMissingName)
		}
		if err := t.checkLexicon(c.Aliases, true); err != nil {
			return fmt.Errorf("country %q aliases: %w", c.ID, err)
		}
	}
	if !sides[SideRU] || !sides[SideCN] {
		return fmt.Errorf("taxonomy countries: %w", ErrMissingSide)
	}
	countries := map[string]bool{}
	for _, c := range t.Countries {
		countries[c.ID] = true
	}
	topics := map[string]bool{}
	for i, tp := range t.Topics {
		if err := claim(tp.ID, fmt.Sprintf("topics[%d]", i)); err != nil {
			return err
		}
		if !isTopicToken(tp.ID) {
			return fmt.Errorf("topic %q: %w", tp.ID, ErrUnknownTopic)
		}
		topics[tp.ID] = true
		if err := t.checkLexicon(tp.Strong, false); err != nil {
			return fmt.Errorf("topic %q strong: %w", tp.ID, err)
		}
		if err := t.checkLexicon(tp.Weak, false); err != nil {
			return fmt.Errorf("topic %q weak: %w", tp.ID, err)
		}
	}
	for i, e := range t.Entities {
		if err := claim(e.ID, fmt.Sprintf("entities[%d]", i)); err != nil {
			return err
		}
		if e.Name == "" {
			return fmt.Errorf("entity %q: %w", e.ID, ErrMissingName)
		}
		switch e.Kind {
		case KindCompany, KindAgency, KindOrg, KindPerson, KindProduct:
		default:
			return fmt.Errorf("entity %q: kind %q: %w", e.ID, e.Kind, ErrBadKind)
		}
		if !countries[e.Country] {
			return fmt.Errorf("entity %q: country %q: %w", e.ID, e.Country, ErrUnknownCountry)
		}
		for _, tp := range e.Topics {
			if !topics[tp] {
				return fmt.Errorf("entity %q: topic %q: %w", e.ID, tp, ErrUnknownTopic)
			}
		}
		if err := t.checkLexicon(e.Aliases, true); err != nil {
			return fmt.Errorf("entity %q aliases: %w", e.ID, err)
		}
	}
	byID := map[string]*Entity{}
	for i := range t.Entities {
		byID[t.Entities[i].ID] = &t.Entities[i]
	}
	for _, e := range t.Entities {
		if e.Group == "" || e.Group == e.Country {
			continue
		}
		g, ok := byID[e.Group]
		if !ok {
			return fmt.Errorf("entity %q: group %q: %w", e.ID, e.Group, ErrUnknownGroup)
		}
		if g.Country != e.Country || g.Group != "" {
			return fmt.Errorf("entity %q: group %q: %w", e.ID, e.Group, ErrBadGroup)
		}
	}
	lex := []struct {
		name string
		l    Lexicon
	}{
		{"dyads", t.Cues.Dyads}, {"anaphora", t.Cues.Anaphora},
		{"relation.strong", t.Cues.Relation.Strong}, {"relation.weak", t.Cues.Relation.Weak},
		{"hostile", t.Cues.Hostile}, {"opposition", t.Cues.Opposition}, {"denial", t.Cues.Denial}, {"backdrop", t.Cues.Backdrop}, {"members", t.Cues.Members},
		{"restrict", t.Cues.Restrict}, {"comparison", t.Cues.Comparison},
		{"commodity", t.Cues.Commodity}, {"operations", t.Cues.Operations}, {"domain", t.Cues.Domain}, {"recall", t.Cues.Recall},
		{"blockers", t.Cues.Blockers},
		{"negation.strong", t.Cues.Negation.Strong}, {"negation.weak", t.Cues.Negation.Weak},
		{"modality", t.Cues.Modality}, {"pending", t.Cues.Pending}, {"absent", t.Cues.Absent},
	}
	for _, x := range lex {
		if err := t.checkLexicon(x.l, false); err != nil {
			return fmt.Errorf("cues %s: %w", x.name, err)
		}
	}
	if len(t.Cues.Relation.Strong)+len(t.Cues.Relation.Weak) == 0 {
		return fmt.Errorf("cues relation: %w", ErrEmptyLexicon)
	}
	seenStage := map[string]bool{}
	for i, s := range t.Stages {
		if !isOneOf(s.ID, StageOrder) {
			return fmt.Errorf("stages[%d] %q: %w", i, s.ID, ErrBadStage)
		}
		if seenStage[s.ID] {
			return fmt.Errorf("stage %q: %w", s.ID, ErrDuplicateID)
		}
		seenStage[s.ID] = true
		if err := t.checkLexicon(s.Cues, false); err != nil {
			return fmt.Errorf("stage %q: %w", s.ID, err)
		}
	}
	if !seenStage[StageSigned] {
		return fmt.Errorf("stages: %w", ErrNoSignedStage)
	}
	if len(t.Subjects) > MaxSubjects {
		return fmt.Errorf("subjects: %d: %w", len(t.Subjects), ErrTooManySubjects)
	}
	seenSubject := map[string]bool{}
	for i, sj := range t.Subjects {
		if sj.ID == "" {
			return fmt.Errorf("subjects[%d]: %w", i, ErrMissingID)
		}
		if seenSubject[sj.ID] {
			return fmt.Errorf("subject %q: %w", sj.ID, ErrDuplicateID)
		}
		seenSubject[sj.ID] = true
		if !topics[sj.Topic] {
			return fmt.Errorf("subject %q: topic %q: %w", sj.ID, sj.Topic, ErrUnknownTopic)
		}
		if err := t.checkLexicon(sj.Cues, false); err != nil {
			return fmt.Errorf("subject %q: %w", sj.ID, err)
		}
	}
	seenKind := map[string]bool{}
	for i, k := range t.Kinds {
		if !isOneOf(k.ID, AgreementKinds) {
			return fmt.Errorf("kinds[%d] %q: %w", i, k.ID, ErrBadAgreementKind)
		}
		if seenKind[k.ID] {
			return fmt.Errorf("kind %q: %w", k.ID, ErrDuplicateID)
		}
		seenKind[k.ID] = true
		if err := t.checkLexicon(k.Cues, false); err != nil {
			return fmt.Errorf("kind %q: %w", k.ID, err)
		}
	}
	return nil
}

func isTopicToken(s string) bool { return isOneOf(s, TopicTokens) }

func isOneOf(s string, set []string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// validateLanguages checks the language list and the grammar.
func (t *Taxonomy) validateLanguages() error {
	if len(t.Languages) == 0 {
		return fmt.Errorf("languages: %w", ErrNoLanguages)
	}
	seen := map[string]bool{}
	for _, l := range t.Languages {
		if l == "" || l == AnyLang || l != strings.ToLower(strings.TrimSpace(l)) || seen[l] {
			return fmt.Errorf("languages: %q: %w", l, ErrBadLanguage)
		}
		seen[l] = true
	}
	for _, x := range t.Grammar.lexicons() {
		for lang, words := range x.l {
			if !seen[lang] {
				return fmt.Errorf("grammar %s: language %q: %w", x.name, lang, ErrUnknownLanguage)
			}
			for _, w := range words {
				if strings.TrimSpace(w) == "" || w != strings.TrimSpace(w) {
					return fmt.Errorf("grammar %s: %s entry %q: %w", x.name, lang, w, ErrInvalidTerm)
				}
			}
		}
	}
	for lang, months := range t.Grammar.Months {
		if !seen[lang] {
			return fmt.Errorf("grammar months: language %q: %w", lang, ErrUnknownLanguage)
		}
		if len(months) != 12 {
			return fmt.Errorf("grammar months: %s: %d months: %w", lang, len(months), ErrBadMonths)
		}
		for i, forms := range months {
			if len(forms) == 0 {
				return fmt.Errorf("grammar months: %s month %d: %w", lang, i+1, ErrBadMonths)
			}
		}
	}
	return nil
}

func (t *Taxonomy) checkLexicon(l Lexicon, required bool) error {
	if required && len(l) == 0 {
		return ErrEmptyLexicon
	}
	for lang, terms := range l {
		if lang != AnyLang && !isOneOf(lang, t.Languages) {
			return fmt.Errorf("language %q: %w", lang, ErrUnknownLanguage)
		}
		for _, term := range terms {
			if _, err := Expand(term); err != nil {
				return fmt.Errorf("%s term %q: %w", lang, term, err)
			}
		}
	}
	return nil
}

// Terms expands every term of l, in a stable order (AnyLang first, then
// the languages sorted, terms in file order).
func (l Lexicon) Terms() []Term {
	var out []Term
	langs := make([]string, 0, len(l))
	for lang := range l {
		if lang != AnyLang {
			langs = append(langs, lang)
		}
	}
	sort.Strings(langs)
	langs = append([]string{AnyLang}, langs...)
	for _, lang := range langs {
		for _, term := range l[lang] {
			ts, err := Expand(term)
			if err != nil {
				continue // Validate rejects these; a hand-built Lexicon just loses the term
			}
			for _, x := range ts {
				x.Lang = lang
				out = append(out, x)
			}
		}
	}
	return out
}

// maxExpansions bounds what one term may expand to, so a typo cannot blow
// up the automaton.
const maxExpansions = 256

// Expand turns one written term into its literals: brace alternatives
// expanded, a trailing "*" turned into Prefix, a leading "=" or a short
// all-capitals spelling into CaseSensitive.
func Expand(term string) ([]Term, error) {
	if !utf8.ValidString(term) {
		return nil, ErrInvalidTerm
	}
	cs := false
	if strings.HasPrefix(term, "=") {
		cs = true
		term = term[1:]
	}
	term = strings.TrimSpace(term)
	if term == "" {
		return nil, ErrEmptyTerm
	}
	texts, err := expandBraces(term)
	if err != nil {
		return nil, err
	}
	if len(texts) > maxExpansions {
		return nil, ErrTooManyExpansions
	}
	out := make([]Term, 0, len(texts))
	for _, x := range texts {
		parts, err := splitParts(x)
		if err != nil {
			return nil, err
		}
		t := Term{Parts: parts, CaseSensitive: cs}
		if len(parts) == 1 && isAcronym(parts[0].Text) {
			t.CaseSensitive = true
		}
		out = append(out, t)
	}
	return out, nil
}

// splitParts cuts a literal at stems followed by a space or a hyphen.
func splitParts(x string) ([]Part, error) {
	var parts []Part
	for {
		i := strings.IndexByte(x, '*')
		if i < 0 {
			break
		}
		p := Part{Text: strings.TrimSpace(x[:i]), Prefix: true}
		rest := x[i+1:]
		switch {
		case rest == "":
		case strings.HasPrefix(rest, " "):
			p.Sep = " "
			rest = strings.TrimLeft(rest, " ")
		case strings.HasPrefix(rest, "-"):
			p.Sep = "-"
			rest = rest[1:]
		default:
			return nil, ErrInvalidTerm
		}
		if p.Text == "" {
			return nil, ErrEmptyTerm
		}
		parts = append(parts, p)
		x = rest
		if rest == "" {
			break
		}
	}
	if x != "" {
		parts = append(parts, Part{Text: strings.TrimSpace(x)})
	}
	if len(parts) == 0 {
		return nil, ErrEmptyTerm
	}
	for _, p := range parts {
		if p.Text == "" {
			return nil, ErrEmptyTerm
		}
		if strings.ContainsAny(p.Text, "*{},") {
			return nil, ErrInvalidTerm
		}
		if utf8.RuneCountInString(p.Text) > 64 {
			return nil, ErrTermTooLong
		}
	}
	if len(parts) > 4 {
		return nil, ErrInvalidTerm
	}
	return parts, nil
}

// isAcronym reports a short all-capitals word (MTS, AI, МТС, 5G), which is
// matched case-sensitively.
func isAcronym(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsDigit(r), r == '-', r == '&':
		default:
			return false
		}
	}
	return letters >= 1 && utf8.RuneCountInString(s) <= 5
}

func expandBraces(s string) ([]string, error) {
	open := strings.IndexByte(s, '{')
	if open < 0 {
		if strings.ContainsAny(s, "}") {
			return nil, ErrUnbalancedBraces
		}
		return []string{s}, nil
	}
	closeAt := strings.IndexByte(s[open:], '}')
	if closeAt < 0 {
		return nil, ErrUnbalancedBraces
	}
	closeAt += open
	inner := s[open+1 : closeAt]
	if strings.ContainsAny(inner, "{") {
		return nil, ErrUnbalancedBraces
	}
	if strings.ContainsAny(s[:open], "}") {
		return nil, ErrUnbalancedBraces
	}
	rest, err := expandBraces(s[closeAt+1:])
	if err != nil {
		return nil, err
	}
	var out []string
	for _, alt := range strings.Split(inner, ",") {
		for _, r := range rest {
			out = append(out, s[:open]+alt+r)
			if len(out) > maxExpansions {
				return nil, ErrTooManyExpansions
			}
		}
	}
	return out, nil
}
