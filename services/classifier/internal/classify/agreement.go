package classify

import (
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/classifier/internal/match"
	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// kindPriority orders deal kinds from most to least specific; "package"
// (a signed set of documents) is reported as "agreement".
var kindPriority = []string{"joint_venture", "licence", "contract", "mou", "agreement"}

func (c *Classifier) stageBit(id string) uint16 {
	if i, ok := c.stageIdx[id]; ok {
		return 1 << uint(i)
	}
	return 0
}

func (c *Classifier) kindBit(id string) uint16 {
	for i, k := range c.kindIDs {
		if k == id {
			return 1 << uint(i)
		}
	}
	return 0
}

// passageBoth reports whether sentence i, with the sentences up to two
// before or after it in its block, names both sides; a lead sentence may
// take a side from the headline ("Rosatom to build four units in China" over
// "…framework contracts were signed for Tianwan").
func passageBoth(sents []sentence, i int, docBoth bool) bool {
	ru, cn := false, false
	for j := 0; j < len(sents); j++ {
		near := j >= i-2 && j <= i+2 && sents[j].block == sents[i].block
		if !near && !(sents[i].lead && sents[j].title) {
			continue
		}
		s := &sents[j]
		ru = ru || s.ru || s.dyad
		cn = cn || s.cn || s.dyad
		if s.anaph && docBoth {
			ru, cn = true, true
		}
	}
	return ru && cn
}

// passageTech returns the strongest technology weight in the neighbours of
// sentence i within its block.
func passageTech(sents []sentence, i int) int8 {
	var m int8
	for j := i - 1; j <= i+1; j++ {
		if j == i || j < 0 || j >= len(sents) || sents[j].block != sents[i].block {
			continue
		}
		if sents[j].commodity {
			continue
		}
		if t := sents[j].techMax(); t > m {
			m = t
		}
	}
	return m
}

// agreement finds the signed Russia–China technology agreement, if any. It
// returns the agreement, the evidence sentence index (-1 if none) and
// whether the evidence is strong enough to stand on its own (both sides and
// a specific technology cue in the sentence, a specific deal kind).
func (c *Classifier) agreement(sents []sentence, hs []hit, text string, res Result, ent entityCounts, docBoth bool, published time.Time, g *grammar) (Agreement, int, bool) {
	var a Agreement
	signed, rejected := c.stageBit(taxonomy.StageSigned), c.stageBit(taxonomy.StageRejected)
	statement, pkg := c.kindBit("statement"), c.kindBit("package")
	titleRS, denied := false, false
	for i := range sents {
		t := &sents[i]
		if t.title && t.score > 0 {
			titleRS = true
		}
		if (t.title || t.lead) && t.denial && t.signSeen && ((t.ru && t.cn) || t.dyad) {
			// "Rostelecom denies signing cloud deal with Huawei": the
			// signing the story reports elsewhere is the denied claim.
			denied = true
		}
	}

	// The furthest stage seen where both sides and technology meet.
	rank := func(stages uint16) int {
		best := -1
		for r, id := range taxonomy.StageOrder {
			if stages&c.stageBit(id) != 0 {
				best = r
			}
		}
		return best
	}
	bestStage := -1
	for i := range sents {
		s := &sents[i]
		if s.stages == 0 || !passageBoth(sents, i, docBoth) || (s.techMax() == 0 && passageTech(sents, i) == 0) {
			continue
		}
		if r := rank(s.stages); r > bestStage {
			bestStage = r
		}
	}
	if bestStage >= 0 {
		a.Stage = taxonomy.StageOrder[bestStage]
	}

	unsure := c.stageBit(taxonomy.StageIntent) | c.stageBit(taxonomy.StageNegotiation) | rejected
	best, bestScore, bestStrong := -1, 0.0, false
	var bestItem listItem
	for i := range sents {
		s := &sents[i]
		// "Twenty agreements were signed. Among them, an agreement between
		// Yandex and Tencent on cloud services": a sentence naming a deal
		// between the sides inherits the signing of the sentence before;
		// of signings counted by the dozen ("200 contracts signed"), only
		// an item of the set ("among them") does.
		inherits := s.stages&signed == 0 && s.stages&unsure == 0 && i > 0 &&
			s.kinds&^(pkg|statement) != 0 && ((s.ru && s.cn) || s.dyad) && s.techMax() > 0 &&
			sents[i-1].stages&signed != 0 && sents[i-1].stages&rejected == 0 && !sents[i-1].recall && (!sents[i-1].counted || s.member) &&
			!c.signsCommodity(text, &sents[i-1], hs)
		// An item of a list of signed documents is signed by its lead-in.
		listed := s.listedUnder > 0 && s.kinds&^(pkg|statement) != 0 && ((s.ru && s.cn) || s.dyad) && s.techMax() > 0
		inherits = inherits || listed
		if denied || (s.stages&signed == 0 && !inherits) || s.stages&rejected != 0 || s.recall || s.hostile || s.restrict {
			continue
		}
		if s.kinds != 0 && s.kinds&^statement == 0 {
			continue // a declaration, not an agreement
		}
		if s.kinds&statement != 0 && s.kinds&^(statement|pkg) == 0 {
			continue
		}
		inSentence := (s.ru && s.cn) || s.dyad || (s.anaph && docBoth)
		if s.thirdPair || (!inSentence && s.third != 0) || (s.pairObject && s.third != 0) {
			// The signatories are a side and a third country ("India y
			// Rusia firmaron", "signed with Nicaragua"); China or Russia
			// named elsewhere is not a party.
			continue
		}
		if !inSentence && !passageBoth(sents, i, docBoth) {
			continue
		}
		if popcount(s.third) >= 2 {
			continue
		}
		listLike := s.commodity || s.domains >= 2 || s.kinds&pkg != 0 || popcount(uint64(s.kinds&^(pkg|statement))) >= 2
		if listLike && s.signN > 0 && len(s.ruOrgs) > 0 && len(s.cnOrgs) > 0 {
			// A list of signed documents: the item that is a technology
			// deal between the sides stands on its own.
			if it := c.signedItem(text, s, hs); it.ok && it.kinds&^(pkg|statement) != 0 {
				v := 8.0
				if s.score > 0 {
					v++
				}
				if v > bestScore {
					best, bestScore, bestStrong, bestItem = i, v, true, it
				}
				continue
			}
		}
		if s.counted {
			continue // "1,400 contracts signed by regional buyers": statistics, not a deal
		}
		if c.signsCommodity(text, s, hs) {
			continue // "after signing the gas contract, the fighter talks neared their end"
		}
		tech := s.techMax()
		if c.specificTopics(s) >= 3 && len(s.ruOrgs)+len(s.cnOrgs) == 0 {
			continue // agreements "in space, AI, cloud computing…": a summary, not a deal
		}
		if s.domains >= 2 && c.onlyGenericTech(s) {
			continue // agreements "on trade, energy and science and technology": a summit package
		}
		mixed := s.domains >= 1 && tech > 0 && s.domains+s.topicCount() >= 2
		specificKind := s.kinds&^(pkg|statement) != 0
		switch {
		case s.commodity && tech < 2:
			continue
		case tech > 0 && mixed:
			if !(specificKind && tech >= 2) && !titleRS {
				continue
			}
		case tech > 0:
		default:
			// No technology in the sentence: its neighbours, or the story
			// itself, must be about technology.
			if s.commodity || s.domains >= 2 {
				continue
			}
			if passageTech(sents, i) < 2 && !(res.RuCnTech && titleRS) {
				continue
			}
		}
		v := 1.0 + float64(tech)
		if inherits {
			// A detail of the signing reported before it ranks below any
			// sentence that reports the signing itself.
			v -= 2
		}
		if len(s.ruOrgs) > 0 {
			v++
		}
		if len(s.cnOrgs) > 0 {
			v++
		}
		if specificKind {
			v++
		}
		if inSentence {
			v++
		}
		if s.score > 0 {
			v++
		}
		if s.title || s.lead {
			// News of a signing leads the story; a later "under the
			// agreement signed…" sentence is its detail.
			v += 0.5
		}
		if v > bestScore {
			best, bestScore, bestItem = i, v, listItem{}
			bestStrong = inSentence && tech >= 2 && specificKind && c.specificTech(s)
		}
	}
	if best < 0 {
		return a, -1, false
	}
	s := &sents[best]
	a.Detected = true
	a.Stage = taxonomy.StageSigned
	a.Evidence = text[s.start:s.end]
	a.Kind = "agreement"
	kinds := s.kinds
	if bestItem.ok {
		kinds = bestItem.kinds
	}
	for _, k := range kindPriority {
		if kinds&c.kindBit(k) != 0 {
			a.Kind = k
			break
		}
	}
	var cnOrgs, ruOrgs []int
	subjects := s.subjects
	if bestItem.ok {
		subjects = bestItem.subjects
		cnOrgs, ruOrgs = []int{bestItem.cnOrg}, []int{bestItem.ruOrg}
	} else {
		cnOrgs = c.parties(sents, best, ent, true)
		ruOrgs = c.parties(sents, best, ent, false)
	}
	// A signing sentence that names two subjects or more ("four VVER units
	// at Tianwan and Xudabao, the CFR-600 and isotope sources for lunar
	// missions") reports a package: no one of them is its subject, and its
	// technology is the sentence's, not the first subject's.
	if sj := c.subject(subjects); sj >= 0 && bits.OnesCount32(subjects) == 1 {
		a.Subject = c.tax.Subjects[sj].ID
		a.Technology = c.tax.Subjects[sj].Topic
	} else if bestItem.ok {
		a.Technology = c.tax.Topics[bestItem.topic].ID
	} else {
		a.Technology = c.agreementTopic(sents, best)
	}
	a.CN, a.RU = c.partyList(cnOrgs), c.partyList(ruOrgs)
	cnParty, ruParty := c.tax.Countries[c.cnCountry].ID, c.tax.Countries[c.ruCountry].ID
	if len(a.CN) > 0 {
		cnParty = a.CN[0].ID
	}
	if len(a.RU) > 0 {
		ruParty = a.RU[0].ID
	}
	a.Parties = []string{cnParty, ruParty}
	a.Key = fmt.Sprintf("rucn:%s+%s/%s", cnParty, ruParty, a.Technology)
	if a.Subject != "" {
		a.Key += "/" + a.Subject
	}
	a.Date = c.signingDate(text[s.start:s.end], s.signStart-s.start, published, g)
	if a.Date == "" && s.title {
		// Headlines drop the date; the first of the body's next signing
		// sentences that states one gives it ("We have signed…", then
		// "Moscow and Beijing signed a contract in November last year").
		// A signing in the body is not dated so: a later sentence may
		// recall another signing.
		for j := best + 1; j < len(sents) && j <= best+5 && a.Date == ""; j++ {
			if n := &sents[j]; !n.title && n.signN > 0 && !n.recall {
				a.Date = c.signingDate(text[n.start:n.end], n.signStart-n.start, published, g)
			}
		}
	}
	return a, best, bestStrong
}

// signsCommodity reports whether the clause of a sentence's signing cue
// names a commodity and no technology ("中俄繼日前簽訂四千億美元天然氣合同後,
// …購買蘇35戰鬥機…的技術談判已近尾聲"): the deal signed is the commodity's,
// whatever technology the rest of the sentence names.
func (c *Classifier) signsCommodity(text string, s *sentence, hs []hit) bool {
	if !s.commodity || s.signEnd == 0 || s.hitHi <= s.hitLo {
		return false
	}
	from, to := s.signStart, s.signEnd
	for from > s.start {
		r, size := utf8.DecodeLastRuneInString(text[s.start:from])
		if strings.ContainsRune(clauseMarks, r) {
			break
		}
		from -= size
	}
	for to < s.end {
		r, size := utf8.DecodeRuneInString(text[to:s.end])
		if strings.ContainsRune(clauseMarks, r) {
			break
		}
		to += size
	}
	commodity, tech := false, false
	for _, h := range hs[s.hitLo:s.hitHi] {
		if h.start < from || h.end > to {
			continue
		}
		switch c.feats[h.feat].fam {
		case famCommodity:
			commodity = true
		case famTopic:
			tech = true
		}
	}
	return commodity && !tech
}

// clauseMarks end a clause.
const clauseMarks = ",;:—–()，；：（）。！？!?"

// subject returns the index of the first taxonomy subject in a set, or -1.
func (c *Classifier) subject(set uint32) int {
	for i := range c.tax.Subjects {
		if set&(1<<uint(i)) != 0 {
			return i
		}
	}
	return -1
}

// specificTopics counts the topics other than "other" a sentence names.
func (c *Classifier) specificTopics(s *sentence) int {
	other, hasOther := c.topicIdx["other"]
	n := 0
	for t, w := range s.topicW {
		if w > 0 && !(hasOther && t == other) {
			n++
		}
	}
	return n
}

// onlyGenericTech reports whether the only technology a sentence names is
// the generic field of science and technology (research) or the bare word
// "technology", which summit packages list beside trade and culture.
func (c *Classifier) onlyGenericTech(s *sentence) bool {
	research, hasResearch := c.topicIdx["research"]
	other, hasOther := c.topicIdx["other"]
	for t, w := range s.topicW {
		if w > 0 && !(hasResearch && t == research) && !(hasOther && t == other) {
			return false
		}
	}
	return true
}

// specificTech reports whether a sentence's technology comes from a cue
// (not only from an entity's sector).
func (c *Classifier) specificTech(s *sentence) bool {
	for t, w := range s.topicW {
		if w >= 2 && s.topicSpec[t] {
			return true
		}
	}
	return false
}

// agreementTopic picks the deal's technology when it names no subject: the
// strongest specific topic of the signing sentence, else of its neighbours
// in the block, else of the story's relational sentences, before the
// generic field of research ("a joint laboratory") that reports name beside
// the field the laboratory works in, wherever in the story they name it.
func (c *Classifier) agreementTopic(sents []sentence, i int) string {
	other, hasOther := c.topicIdx["other"]
	research, hasResearch := c.topicIdx["research"]
	var tie [maxTopics]float64 // the story's ties, to break a tie
	for j := range sents {
		if sents[j].score > 0 {
			for t, w := range sents[j].topicW {
				tie[t] += float64(w) * weighted(&sents[j])
			}
		}
	}
	pick := func(idx []int, generic bool) string {
		var sc [maxTopics]float64
		for _, j := range idx {
			s := &sents[j]
			for t, w := range s.topicW {
				if (hasOther && t == other) || (!generic && hasResearch && t == research) {
					continue
				}
				v := float64(w)
				if !s.topicSpec[t] {
					v /= 2 // an organisation's sector says less than a cue
				}
				sc[t] += v
			}
		}
		best, bv := -1, 0.0
		for t := range c.tax.Topics {
			if sc[t] > bv || (best >= 0 && sc[t] == bv && tie[t] > tie[best]) {
				best, bv = t, sc[t]
			}
		}
		if best < 0 {
			return ""
		}
		return c.tax.Topics[best].ID
	}
	var near []int
	for j := i - 1; j <= i+1; j++ {
		if j != i && j >= 0 && j < len(sents) && sents[j].block == sents[i].block {
			near = append(near, j)
		}
	}
	var rs []int
	for j := range sents {
		if sents[j].score > 0 {
			rs = append(rs, j)
		}
	}
	for _, generic := range []bool{false, true} {
		for _, idx := range [][]int{{i}, near, rs} {
			if t := pick(idx, generic); t != "" {
				return t
			}
		}
	}
	return "other"
}

// maxParties bounds the organisations listed for one side of a deal.
const maxParties = 3

// parties picks the organisations of a side: those named in the evidence
// sentence, else in its neighbours in the block, else in a headline that
// reports the deal, most mentioned in the story first. It returns none when there are none: the side is then its
// country, which the sink matches with any organisation of that side. An
// organisation named elsewhere in the story may be a past partner, an
// agency commenting or a maker, not a signatory: guessing it would split
// the deal from reports that name the signatory.
func (c *Classifier) parties(sents []sentence, i int, ent entityCounts, cn bool) []int {
	orgs := func(s *sentence) []int {
		if cn {
			return s.cnOrgs
		}
		return s.ruOrgs
	}
	rank := func(cands []int) []int {
		out := slices.Clone(cands)
		slices.Sort(out)
		out = slices.Compact(out)
		sort.SliceStable(out, func(a, b int) bool {
			return ent.counts[c.tax.Entities[out[a]].ID] > ent.counts[c.tax.Entities[out[b]].ID]
		})
		if len(out) > maxParties {
			out = out[:maxParties]
		}
		return out
	}
	if o := orgs(&sents[i]); len(o) > 0 {
		return rank(o)
	}
	var near []int
	for j := i - 1; j <= i+1; j++ {
		if j != i && j >= 0 && j < len(sents) && sents[j].block == sents[i].block {
			near = append(near, orgs(&sents[j])...)
		}
	}
	if len(near) > 0 {
		return rank(near)
	}
	// A headline that reports the deal names its parties ("Huawei wins
	// 5G contract in Russia" over "the Chinese company signed…").
	var top []int
	for j := range sents {
		if t := &sents[j]; t.title && (t.kinds != 0 || t.signSeen) {
			top = append(top, orgs(t)...)
		}
	}
	return rank(top)
}

// partyList returns the parties of entity indexes.
func (c *Classifier) partyList(idx []int) []Party {
	var out []Party
	for _, e := range idx {
		en := &c.tax.Entities[e]
		out = append(out, Party{ID: en.ID, Name: en.Name, Group: en.GroupOf()})
	}
	return out
}

// dateFinder extracts a stated date from one sentence.
type dateFinder struct {
	res    []*regexp.Regexp
	months map[string]int
	// lastYear and thisYear name a year by the story's own (lower case).
	lastYear, thisYear []string
}

// newDateFinder compiles the date patterns of langs: ISO and Chinese
// numeric dates, and day, month name and year in the orders the languages
// write them ("5 June 2019", "June 5, 2019", "5 de junio de 2019", "5 июня
// 2019 года", "Juni 2019"). English month names count in every document
// (datelines and quoted names are often English); another language's do
// not, since they are words of their own elsewhere (French "mars" is the
// planet in English, Indonesian "Mei" a name).
func newDateFinder(g *taxonomy.Grammar, langs []string) *dateFinder {
	d := &dateFinder{months: map[string]int{}}
	if !slices.Contains(langs, "en") {
		langs = append(slices.Clone(langs), "en")
	}
	var names, fillers, ordinals []string
	for _, lang := range langs {
		for i, forms := range g.Months[lang] {
			for _, f := range forms {
				f = strings.ToLower(f)
				if _, dup := d.months[f]; !dup {
					names = append(names, regexp.QuoteMeta(f))
				}
				d.months[f] = i + 1
			}
		}
	}
	for _, lang := range langs {
		for _, p := range g.LastYear[lang] {
			d.lastYear = append(d.lastYear, strings.ToLower(p))
		}
		for _, p := range g.ThisYear[lang] {
			d.thisYear = append(d.thisYear, strings.ToLower(p))
		}
	}
	for _, lang := range langs {
		for _, f := range g.DateFillers[lang] {
			fillers = append(fillers, regexp.QuoteMeta(strings.ToLower(f)))
		}
	}
	for _, lang := range langs {
		for _, o := range g.OrdinalSuffixes[lang] {
			ordinals = append(ordinals, regexp.QuoteMeta(strings.ToLower(o)))
		}
	}
	// Longer names first, so that "june" is not read as "jun".
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	mn := `(?P<mn>` + strings.Join(names, "|") + `)`
	fill, ord := `\s+`, ``
	if len(fillers) > 0 {
		fill = `\s+(?:(?:` + strings.Join(fillers, "|") + `)\s+)?`
	}
	if len(ordinals) > 0 {
		ord = `(?:` + strings.Join(ordinals, "|") + `)?`
	}
	d.res = []*regexp.Regexp{
		regexp.MustCompile(`\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b`),
		regexp.MustCompile(`(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?`),
	}
	if len(names) > 0 {
		d.res = append(d.res,
			regexp.MustCompile(`\b(?P<d>\d{1,2})`+ord+fill+mn+`\.?,?`+fill+`(?P<y>(?:19|20)\d\d)\b`),
			regexp.MustCompile(`(?:^|[^\pL\d])`+mn+`\.?\s+(?P<d>\d{1,2})`+ord+`,?\s+(?P<y>(?:19|20)\d\d)\b`),
			regexp.MustCompile(`(?:^|[^\pL\d])`+mn+`\.?,?`+fill+`(?P<y>(?:19|20)\d\d)\b`),
		)
	}
	d.res = append(d.res, regexp.MustCompile(`(?:^|[^\d])(?P<y>(?:19[5-9]|20[0-4])\d)(?:[^\d]|$)`))
	return d
}

func (d *dateFinder) find(s string) string {
	if ds := d.all(s); len(ds) > 0 {
		return ds[0].date
	}
	return ""
}

// hanMonth is a month written in figures before 月 ("去年11月").
var hanMonth = regexp.MustCompile(`^\s*(\d{1,2})\s*月`)

// relative returns the date s gives by the year of a story published at
// published: "in November last year" is YYYY-11 of the year before, "this
// year" alone the year itself; "" if s names no year so.
func (d *dateFinder) relative(s string, published time.Time) string {
	lower := strings.ToLower(s)
	year, at, end := 0, -1, -1
	for _, x := range []struct {
		phrases []string
		year    int
	}{{d.lastYear, published.Year() - 1}, {d.thisYear, published.Year()}} {
		for _, p := range x.phrases {
			if i := indexWord(lower, p); i >= 0 {
				year, at, end = x.year, i, i+len(p)
				break
			}
		}
		if year != 0 {
			break
		}
	}
	if year == 0 {
		return ""
	}
	month := 0
	if m := hanMonth.FindStringSubmatch(lower[end:]); m != nil {
		month, _ = strconv.Atoi(m[1])
	} else {
		dist := -1
		for form, mo := range d.months {
			i := indexWord(lower, form)
			if i < 0 {
				continue
			}
			n := i - at
			if n < 0 {
				n = -n
			}
			// The longer form wins a tie: "june", not "jun".
			if dist < 0 || n < dist || n == dist && mo != month && len(form) > 3 {
				month, dist = mo, n
			}
		}
	}
	if month < 1 || month > 12 {
		return itoa4(year)
	}
	return fmt.Sprintf("%04d-%02d", year, month)
}

// indexWord returns where w first stands in s as a word of its own (no
// letter or digit of a space-separated script runs on into it), or -1.
func indexWord(s, w string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		j := i + len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[j:])
		first, _ := utf8.DecodeRuneInString(w)
		last, _ := utf8.DecodeLastRuneInString(w)
		if !(i > 0 && match.IsWordRune(first) && match.IsWordRune(before)) && !(j < len(s) && match.IsWordRune(last) && match.IsWordRune(after)) {
			return i
		}
		off = i + len(w)
	}
	return -1
}

// statedDate is a date a sentence states, at an offset of it.
type statedDate struct {
	date  string // YYYY-MM-DD, YYYY-MM or YYYY
	start int
}

// all returns the dates s states with a month (or, failing those, a year),
// by the first pattern that finds any, in order.
func (d *dateFinder) all(s string) []statedDate {
	wins := yearWindows(s)
	if len(wins) == 0 {
		return nil
	}
	// Month names are matched in lower case: cheaper than (?i).
	lower := make([]string, len(wins))
	for i, w := range wins {
		lower[i] = strings.ToLower(s[w.start:w.end])
	}
	for _, re := range d.res {
		var out []statedDate
		for wi, w := range wins {
			out = d.appendMatches(out, re, lower[wi], w.start)
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// window is a span of a sentence, [start, end) in bytes.
type window struct{ start, end int }

// Every date pattern holds a year, and no date is longer than this many bytes
// before its year ("5-го сентября 2019": 26 bytes; with fillers, fewer than
// 60) or after it ("2019 年 12 月 31 日": 20).
const (
	dateBefore = 80
	dateAfter  = 24
)

// yearWindows returns the spans of s where a date can be: around every
// "19dd" or "20dd", widened to whole words and merged where they meet.
// Matching the date patterns only there keeps sentences full of numbers
// but without years cheap, and long sentences with one date cheaper.
func yearWindows(s string) []window {
	var out []window
	for i := 0; i+4 <= len(s); i++ {
		if !(s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
			continue
		}
		a, b := max(0, i-dateBefore), min(len(s), i+4+dateAfter)
		for a > 0 && !utf8.RuneStart(s[a]) {
			a--
		}
		for a > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:a])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			a -= size
		}
		for b < len(s) && !utf8.RuneStart(s[b]) {
			b++
		}
		for b < len(s) {
			r, size := utf8.DecodeRuneInString(s[b:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			b += size
		}
		if n := len(out); n > 0 && a <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, b)
		} else {
			out = append(out, window{a, b})
		}
	}
	return out
}

// appendMatches appends the dates re finds in s, a window starting at
// offset base of the sentence.
func (d *dateFinder) appendMatches(out []statedDate, re *regexp.Regexp, s string, base int) []statedDate {
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		var y, mo, day int
		for i, name := range re.SubexpNames() {
			if name == "" || m[2*i] < 0 {
				continue
			}
			v := s[m[2*i]:m[2*i+1]]
			switch name {
			case "y":
				y, _ = strconv.Atoi(v)
			case "m":
				mo, _ = strconv.Atoi(v)
			case "d":
				day, _ = strconv.Atoi(v)
			case "mn":
				mo = d.months[v]
			}
		}
		switch {
		case y > 0 && mo >= 1 && mo <= 12 && day >= 1 && day <= 31:
			out = append(out, statedDate{fmt.Sprintf("%04d-%02d-%02d", y, mo, day), base + m[0]})
		case y > 0 && mo >= 1 && mo <= 12:
			out = append(out, statedDate{fmt.Sprintf("%04d-%02d", y, mo), base + m[0]})
		case y > 0:
			out = append(out, statedDate{fmt.Sprintf("%04d", y), base + m[0]})
		}
	}
	return out
}

// signingDate returns the date a signing sentence states for its signing:
// of the dates it states with a month, else of the years it states as times
// (not deadlines: "до 2022 года"), the one nearest the signing cue at cue;
// never a date after the story's publication (known when published is
// not zero): "signed an agreement to launch 5G in 2020" in a 2019 story
// signed nothing in 2020.
func (c *Classifier) signingDate(sent string, cue int, published time.Time, g *grammar) string {
	var cands []statedDate
	for _, d := range g.dates.all(sent) {
		if len(d.date) > 4 {
			cands = append(cands, d)
		}
	}
	if len(cands) == 0 {
		for _, y := range g.dates.years(sent, g) {
			if !y.bound {
				cands = append(cands, statedDate{itoa4(y.year), y.start})
			}
		}
	}
	if len(cands) == 0 && !published.IsZero() {
		if d := g.dates.relative(sent, published); d != "" && !after(d, published) {
			return d
		}
	}
	best, dist := "", -1
	for _, d := range cands {
		if !published.IsZero() && after(d.date, published) {
			continue
		}
		n := d.start - cue
		if n < 0 {
			n = -n
		}
		if dist < 0 || n < dist {
			best, dist = d.date, n
		}
	}
	return best
}

// after reports whether a date (YYYY, YYYY-MM or YYYY-MM-DD) begins after
// t's day.
func after(date string, t time.Time) bool {
	day := t.UTC().Format("2006-01-02")
	return date[:min(len(date), len(day))] > day[:min(len(date), len(day))]
}

// date returns the date stated in an evidence sentence. A bare year that is
// an end or a deadline ("до 2022 года") is not the signing date: the first
// year stated as a time is taken instead, or none.
func (c *Classifier) date(s string, g *grammar) string {
	d := g.dates.find(s)
	if len(d) != 4 {
		return d
	}
	for _, y := range g.dates.years(s, g) {
		if !y.bound {
			return itoa4(y.year)
		}
	}
	return ""
}
