// Package classify decides whether a news article is about Russia–China
// technology cooperation, which technology topics it covers, and whether it
// reports a signed Russia–China technology agreement, with the sentences that
// decided each tag.
//
// # How a document is read
//
// The title and body are scanned once by a multi-pattern matcher compiled from
// the taxonomy (country and entity aliases, topic cues, relation, hostility,
// restriction, comparison, commodity, operation, summit-list and recall cues,
// agreement stages, kinds and subjects) in all five languages; a term whose language differs from
// the document's is ignored. A match lying inside a longer match is dropped
// ("South China Sea" names no Chinese actor; "will be signed" is intent, not a
// signature), and the text is cut into sentences.
//
// # Relational scoring
//
// A sentence is relational when it holds a Russian actor and a Chinese actor
// (a country alias, a company, agency, product or person tied to one, a dyad
// such as "Sino-Russian", or "both countries" when the last pair of countries
// named is Russia and China — the last pair joined as one subject, "India y
// Rusia", "中俄", unless two countries named after it replace it — or, before
// any pair is named, in a document that names both), a relation cue
// (cooperation, joint work, supply, transfer, sale, market share; weakly
// talks, a market, relations, trials and use of one side's equipment by the
// other, one side's company at work in the other's country: "Huawei opens a
// 5G centre in Novosibirsk") and a technology cue, and nothing that breaks the tie: a side joined
// to a third country as one subject ("India and Russia jointly developed…"),
// the two sides as a third country's partners ("Indonesia weighs cooperation
// with Rosatom and CNNC", also no agreement) or as the object of a third
// country opening the sentence ("US tightens export rules, naming China and
// Russia"; not when the sides open a clause of their own: "Despite US
// pressure, Russia and China…"), hostile words (hackers, attacks, copying
// without a licence, competitors; condemning or opposing, as in a joint stand
// against a third country's weapons), a restriction imposed by someone else (a
// ban, sanctions), a comparison or a parallel (benchmarks, "like the Chinese
// model", each developing its own, independently of each other), or three or
// more third countries or groupings (a multilateral list; any one for a weak
// tie such as talks or a market, or for a tie whose only technology is the
// organisations' sectors). Cities and regions name their side ("a factory in
// Ryazan", 哈尔滨). Weapons and other hardware (helicopters, ships) named
// beside a military operation (a joint patrol, drills, an exercise) are not
// technology, and excluding or
// phasing out both sides' suppliers is a restriction. A generic technology
// word named among other fields of a summit agenda (economy, culture, energy),
// or next to oil, gas, grain, payments or cars (commodities, not technology),
// does not count, nor does any technology in an agenda of three or more
// fields, nor generic words alone ("technology", "innovation": "deeper
// cooperation in science, technology and innovation" names no technology;
// fields with no topic token of their own — rail signalling, vaccines, port
// cranes — are specific and count, filed under "other"; so do the frames of
// technology transfer in any field, which keep a story whose field the
// lexicon lacks from scoring nothing: "передаче технологии", "know-how", "a
// licence to produce", "localised production", "design documentation",
// "技术转让", "国产化", "transferencia de tecnología", "alih teknologi" —
// they still need both sides and a relation cue in the sentence, and a summit
// agenda of three fields or more voids them like any other technology). Phones and cars are consumer goods: their sales and market shares
// in Russia are trade, and count as technology only beside a technology cue
// (chipsets supplied to Russian assemblers, 5G networks).
//
// A document is a Russia–China technology story when its relational sentences
// carry enough weight — title and lead count three and two times — and are a
// fair share of the text: one relational sentence deep inside a long article
// about something else is a background mention. So is a single relational
// sentence in the body when the headline and lead are about something else and
// the sides are not named throughout.
//
// # Agreements
//
// An agreement is detected only at the signed stage (CAMEO 057): a sentence
// with a signing cue that nothing qualifies, no cue of rejection or recall
// ("back in 2019", an anniversary), not a mere declaration, with both sides in
// the sentence or its neighbours — but never when the sentence joins a side to
// a third country, or names a third country and only one side: the signatories
// are then that pair, and China or Russia named elsewhere is no party — about
// technology (in the sentence, or in its neighbours or the story when the
// sentence itself names none and no commodity). In a list of signed documents
// whose lead-in carries the signing verb ("Among the documents signed: a grain
// protocol; …; an agreement between Roscosmos and CNSA on remote-sensing
// data"), the item that names a Russian and a Chinese organisation within a
// few words, a deal kind, no commodity, and a technology cue or a sector both
// organisations share stands on its own: its kind, technology and parties are
// the agreement's, whatever the other items are. A signed package of documents
// listed with other fields counts only inside a technology story, and never
// when its only technology is the generic field of science and technology. A
// strong signed technology deal between named actors also makes the story
// relevant when the headline is about something else, if the sides run through
// the story or the next sentence goes on about the deal (names a deal kind or
// one of its organisations); a deal named in passing does not.
//
// A signing sentence that states a year is a recall when the year lies two or
// more years before the latest year the story states as its own time (years of
// plans and deadlines — "will start in 2027", "до 2022 года", "hasta 2030",
// "2030年前" — do not count), or when it is a bare year ("In 2019 MTS and Huawei
// signed…", "2019年，華為與MTS簽署") and the two sides are otherwise neither in the
// headline and lead nor named throughout, or the headline reports a deal still
// being prepared or planned ("Россия и Китай готовят новый документ…",
// "prepare", "筹备", "dijadwalkan") and signs nothing itself: the story is the
// coming deal and the dated one is the earlier deal recalled as background
// ("…подписали соглашение … в 2018 году" closing a story on a planned
// monitoring-station document). A dated signing named as the basis
// or frame of the work reported ("built under the package of agreements
// signed in 2018", "berdasarkan paket kesepakatan yang ditandatangani … pada
// 2018", "el marco legal … es el acuerdo firmado en", "根据…协议") is a recall
// whatever its year. A recall is neither an agreement nor a relational
// sentence. The agreement date skips deadline years for the same reason.
//
// A deal kind counted by a number of ten or more, or by a number with a
// multiplier ("1,400 contracts", "1,4 тыс. контрактов", "2.000 contratos",
// "ribuan kontrak"), is a statistic of procurement, not one deal whose
// signing is news: its sentence is no agreement. A headline denying a
// signing ("Roscosmos denies signing a satellite contract with China") voids
// the signing the story reports.
//
// A signing cue does not count when a negation governs it ("have not yet
// signed", "ninguno de los dos ha firmado", "так и не подписали", "但未签署",
// "belum menandatangani"; a Chinese negation reaches across a prepositional
// phrase: "尚未就建设此类网络签署"), when a modal or future word stands just
// before it ("could be signed", "может быть подписан", "有望于年内签署", "bisa
// diteken", "готовится к подписанию") or the cue is a present passive ("until the contract is signed"), when
// a pending word follows it ("firmado todavía", "подписан не раньше 2027
// года", "подписание отложено"), or when an existential negation denies it
// later in its clause ("Подписанных контрактов пока нет", across an aside when
// the participle is in the genitive; before it: "there is
// no", "belum ditemukan", "no hay", "尚无"); the sentence is then at the intent
// stage. Reach is counted in words between the qualifier and the cue, within
// one clause: a few for negations and only auxiliaries and adverbs for modals
// in spaced scripts (Chinese puts time and place between, so it gets more
// characters), and phrases that only look negative ("not only", "тем не
// менее", "sin embargo", "tidak hanya") are blocked.
//
// # Agreement key
//
// The key identifies the deal across reports and languages:
//
//	rucn:<cn-org>+ru/<topic>[/<subject>]   when a Chinese organisation is a party
//	rucn:cn+<ru-org>/<topic>[/<subject>]   when only a Russian organisation is named
//	rucn:cn+ru/<topic>[/<subject>]         when only the countries are
//
// One organisation anchors the key — the Chinese one when any is named,
// because reports of a deal name the Chinese company far more consistently
// than its Russian counterpart — and the other side is reduced to its country.
// Parties come from the signing sentence (in a list of signed documents, from
// its item), else from its neighbours, else from the headline and lead (an
// organisation named further down may be a past partner); a side none of
// them names is its country, which the sink takes for any organisation of
// that side. Organisations are normalised to the party that usually signs: a
// subsidiary is its group (CNEIC, CNNP and Jiangsu Nuclear Power are CNNC;
// TVEL and Atomstroyexport are Rosatom; the China Satellite Navigation Office
// is CNSA; Khrunichev and Glavkosmos are Roscosmos), so "CNEIC … TVEL" and
// "中核集团…俄罗斯国家原子能公司" are one party pair.
//
// The topic is the deal's technology, never the anchoring organisation's
// sector: a deal's subject decides it when the signing sentence names one
// (each taxonomy subject has a topic: a nuclear plant on the Moon is space
// whether the report names Rosatom or CNSA), else the strongest specific
// topic of the signing sentence, then of its neighbours, before the generic
// field of research ("a joint laboratory" is filed under the field the
// laboratory works in, whichever sentence names it). It is also
// Agreement.Technology, which the sink matches on. The subject is the first
// taxonomy subject (by the taxonomy's priority: the Moon, satellite
// navigation, remote sensing, launches, satellite communications, a named
// nuclear plant, fast reactors, mobile networks, optical networks, data
// centres, large language models; then fields with no topic token of their
// own, whose topic is "other": lasers, tunnel boring machines, water
// treatment) the signing sentence names, and nothing when it names none — a
// word inside an organisation's name is no subject (the "Óptica" of the
// Shanghai Institute of Optics and Fine Mechanics does not make its laser
// laboratory an optical network deal) — so that CNSA's lunar and navigation deals, or ZTE's 4G
// base stations and optical backbone, get different keys; it is also
// Agreement.Subject. The deal kind ("contract", "commercial agreements",
// "kontrak") and the date are left out, because reports word them
// differently. So an English report of "Huawei's agreements with Russia" and
// an Indonesian one of "Huawei's contract with MTS" share
// rucn:huawei+ru/telecom. The trade-off: two deals of the same Chinese
// organisation on the same subject with different Russian partners share a
// key, and a report whose signing sentence omits the subject that another
// report of the deal names gets a key without it; the sink tells deals of one
// key apart by their parties, within its time window. And reports whose
// signing sentences name different organisations of one side (Rosatom in
// one, Roscosmos in another) are two deals to the sink.
package classify

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newspipe/newspipe/pkg/langid"
	"github.com/newspipe/newspipe/services/classifier/internal/match"
	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// maxTopics bounds the number of taxonomy topics a sentence tracks.
const maxTopics = 16

// Document is one article to classify.
type Document struct {
	Title string
	// Text is the body, one block (paragraph) per line.
	Text string
	// Lang is the ISO 639-1 language; "" means detect it.
	Lang string
	// Published is when the article appeared; zero if unknown. A signing
	// the text dates two or more years before it is a recall of an old
	// deal. Without it, the latest year the text states as its own time
	// stands in.
	Published time.Time
}

// TopicScore is a topic and its weight in the document.
type TopicScore struct {
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

// Entity is a country, company, agency, product or person found in the
// document, under its canonical id and display name.
type Entity struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Country string `json:"country,omitempty"`
	Count   int    `json:"count"`
}

// Agreement is the signed Russia–China technology agreement a document
// reports, if any.
type Agreement struct {
	Detected bool `json:"detected"`
	// Stage is the furthest agreement stage seen in Russia–China technology
	// context: intent, negotiation, implemented, signed or rejected ("" if
	// none). Detected implies signed.
	Stage string `json:"stage"`
	// Kind is contract, mou, agreement, joint_venture or licence.
	Kind string `json:"kind"`
	// Parties are canonical entity ids, Chinese side first; a side that names
	// no organisation is given by its country id.
	Parties []string `json:"parties"`
	// CN and RU are each side's signatories as the report names them
	// (organisations, most named first); empty where it names only the
	// country.
	CN []Party `json:"cn_parties"`
	RU []Party `json:"ru_parties"`
	// Technology is the deal's topic: the topic of its subject when it has
	// one, else the technology its signing sentence (or passage) names.
	Technology string `json:"technology"`
	// Subject is what the deal is about, finer than its topic (a taxonomy
	// subject id such as "lunar" or "xudapu"), or "" when the signing
	// sentence names none; the last segment of Key when set.
	Subject string `json:"subject"`
	// Date is the signing date stated in the evidence sentence (or, for a
	// headline, in the lead's signing sentence): YYYY-MM-DD, YYYY-MM or
	// YYYY; "" when none is stated.
	Date     string `json:"date"`
	Evidence string `json:"evidence"`
	// Key identifies the deal across reports; see the package doc.
	Key string `json:"key"`
}

// Party is one signatory of a deal: a taxonomy organisation and the group
// that answers for it in deals (its own id when it is in none).
type Party struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Group string `json:"group"`
}

// Evidence is a sentence that decided a tag.
type Evidence struct {
	Tag      string `json:"tag"`
	Sentence string `json:"sentence"`
}

// Result is the classification of one document.
type Result struct {
	Lang     string
	RuCnTech bool
	// Score in [0, 1]: how strongly the document is a Russia–China technology
	// story; RuCnTech is Score >= 0.5.
	Score float64
	// Topics are taxonomy topic tokens, strongest first; Topics[0] is the
	// primary topic when RuCnTech.
	Topics          []string
	TopicScores     []TopicScore
	Entities        []Entity
	Agreement       Agreement
	Evidence        []Evidence
	TaxonomyVersion string
}

// PrimaryTopic returns the topic a story is filed under: Topics[0], or
// "other" when there is none.
func (r Result) PrimaryTopic() string {
	if len(r.Topics) == 0 {
		return "other"
	}
	return r.Topics[0]
}

// hit is a resolved match of one feature.
type hit struct {
	feat       int32
	start, end int
}

// sentence holds what one sentence says.
type sentence struct {
	span
	title, lead  bool
	ru, cn       bool
	dyad, anaph  bool
	third        uint64 // bit set of third countries
	rel          int8
	hostile      bool
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

// Classify classifies one document. It never fails: text it cannot read
// (invalid UTF-8) is read as replacement characters.
func (c *Classifier) Classify(d Document) Result {
	return c.classify(d, nil)
}

// classify is Classify; a non-nil tr receives what the decision was made of.
func (c *Classifier) classify(d Document, tr *trace) Result {
	res := Result{Lang: d.Lang, TaxonomyVersion: c.tax.Version}
	text := withoutHeadline(d.Title, d.Text)
	titleBlocks := 0
	if d.Title != "" {
		text = d.Title + "\n" + d.Text
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
	spans := segment(text, nil)
	sents := c.sentences(text, spans, hits, titleBlocks)
	c.pastSignings(text, sents, d.Published)

	ent := c.entities(hits)
	docRU, docCN := ent.sideCount[0], ent.sideCount[1]
	docDyad := false
	for i := range sents {
		if sents[i].dyad {
			docDyad = true
		}
	}
	docBoth := (docRU > 0 && docCN > 0) || docDyad

	// Relational sentences.
	var w, wTitleLead float64
	nRS, nContent, nSide, nHostile := 0, 0, 0, 0
	for i := range sents {
		s := &sents[i]
		if s.end-s.start >= 24 || s.title {
			nContent++
		}
		if s.hostile && (s.ru || s.cn || s.dyad) {
			nHostile++
		}
		if (s.ru || s.cn || s.dyad || (s.anaph && docBoth)) && s.techMax() > 0 {
			nSide++
		}
		s.score = relational(s, docBoth)
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
	strength := wTitleLead + (w-wTitleLead)*math.Min(1, share/0.08)
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
	c.topics(&res, sents)

	agr, agrSent, strong := c.agreement(sents, hits, text, res, ent, docBoth)
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

	// Evidence: the strongest relational sentences, then the agreement.
	if res.RuCnTech {
		idx := make([]int, 0, nRS)
		for i := range sents {
			if sents[i].score > 0 {
				idx = append(idx, i)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool { return weighted(&sents[idx[a]]) > weighted(&sents[idx[b]]) })
		for k, i := range idx {
			if k == 3 {
				break
			}
			res.Evidence = append(res.Evidence, Evidence{Tag: "ru_cn_tech", Sentence: text[sents[i].start:sents[i].end]})
		}
	}
	if res.Agreement.Detected && agrSent >= 0 {
		res.Evidence = append(res.Evidence, Evidence{Tag: "agreement", Sentence: res.Agreement.Evidence})
	}
	if tr != nil {
		*tr = trace{text: text, sents: sents, hits: hits, agrSent: agrSent}
	}
	return res
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
func relational(s *sentence, docBoth bool) float64 {
	actors := (s.ru && s.cn) || s.dyad || (s.anaph && docBoth)
	if !actors || s.hostile || s.restrict || s.compare || s.recall {
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
	if !actors || s.rel < 2 || s.techMax() > 0 || s.hostile || s.restrict || s.compare || s.recall || s.commodity || s.domains >= 2 || popcount(s.third) >= 2 {
		return 0
	}
	for j := i - 2; j <= i+2; j++ {
		if j == i || j < 0 || j >= len(sents) || sents[j].block != s.block {
			continue
		}
		n := &sents[j]
		if n.techMax() >= 2 && !n.hostile && !n.restrict && !n.compare && !n.commodity {
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
// Subject hits are kept apart from nesting.
func (c *Classifier) dropNested(hs []hit) []hit {
	sort.Slice(hs, func(i, j int) bool {
		if hs[i].start != hs[j].start {
			return hs[i].start < hs[j].start
		}
		return hs[i].end > hs[j].end
	})
	n := 0
	maxEnd, maxStart := -1, -1
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
			continue
		}
		if h.end > maxEnd {
			maxEnd, maxStart = h.end, h.start
		}
		hs[n] = h
		n++
	}
	return hs[:n]
}

// sentences fills each sentence's features from the hits inside it.
func (c *Classifier) sentences(text string, spans []span, hs []hit, titleBlocks int) []sentence {
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
	k := newCoref()
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
		c.apply(text, &sents[si], h, &k)
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
	return sents
}

// reach is how far a qualifier governs a signing cue: at most words
// space-separated words and han Chinese characters between them.
type reach struct{ words, han int }

// Qualifier kinds (sentence.qualReach).
const (
	qualModal    int8 = 0
	qualNegation int8 = 1
	qualWide     int8 = 2
)

// reachOf returns the reach of a qualifier kind. Negations govern the verb a
// few words on ("No agreement has been signed", "尚未与俄方签署"); wide ones
// open the subject ("ninguno de los dos organismos ha firmado"). Modals reach
// only auxiliaries and adverbs in spaced scripts ("could eventually be
// signed", not "will supply parts under the signed contract"), while Chinese
// puts time, place and whole verb phrases between, so there a modal governs
// the rest of its clause (将于明年在莫斯科签署, 希望在年内就章程达成一致并正式签署).
func reachOf(kind int8) reach {
	switch kind {
	case qualNegation:
		return reach{3, 6}
	case qualWide:
		return reach{6, 12}
	}
	return reach{2, 24}
}

// reachPendingWords is how close, in words or Han characters, a pending
// word follows its signing cue ("firmado todavía", "подписан не раньше").
const reachPendingWords = 2

// reachAbsent is how far, in words, an existential negation may follow the
// signing cue it denies, within the clause ("Подписанных контрактов на
// серийные поставки пока нет").
const reachAbsent = 6

// within reports whether gap, the text between a qualifier and the cue it
// qualifies, stays inside one clause and is within reach.
func within(gap string, rc reach) bool {
	words, han, inWord := 0, 0, false
	for _, r := range gap {
		switch {
		case match.IsWordRune(r):
			if !inWord {
				words++
				inWord = true
			}
			continue
		case unicode.Is(unicode.Han, r):
			han++
		case strings.ContainsRune(",;:()—–!?，；：。（）！？", r):
			return false
		}
		inWord = false
	}
	return words <= rc.words && han <= rc.han
}

// reachAbsentAside is how far, in words, an existential negation may follow
// a signing participle in the genitive, across a parenthetical aside
// ("Подписанных соглашений о такой локализации, по имеющимся данным, нет"):
// the genitive of negation ties the two however the clause is cut.
const reachAbsentAside = 10

// genitiveParticiple reports a Russian signing participle in the genitive
// ("подписанных", "заключенного"), the case a denied existence takes.
func genitiveParticiple(w string) bool {
	return strings.HasSuffix(w, "нных") || strings.HasSuffix(w, "нного") || strings.HasSuffix(w, "ённых")
}

// withinAside reports whether gap holds at most words words and no end of a
// clause other than commas and dashes (an aside is cut off by commas).
func withinAside(gap string, words int) bool {
	n, inWord := 0, false
	for _, r := range gap {
		switch {
		case match.IsWordRune(r):
			if !inWord {
				n++
				inWord = true
			}
			continue
		case strings.ContainsRune(";:()!?；：。（）！？", r):
			return false
		}
		inWord = false
	}
	return n <= words
}

// zhPrepositions open a Chinese prepositional phrase between a negation and
// its verb ("尚未就建设此类网络签署", "未与俄方签署"): the negation governs
// the verb after the phrase, however long.
const zhPrepositions = "就与與同和跟对對在向从從为為"

// reachZhPhrase is the reach in Han characters of a negation whose gap to the
// signing cue opens with a preposition.
const reachZhPhrase = 16

// applySigning counts a signing cue unless a negation or modal word close
// before it makes it unsigned ("could be signed", "no han firmado", "未签署").
func (c *Classifier) applySigning(text string, s *sentence, h hit) {
	if s.signEnd > 0 && h.start == s.signStart {
		return // the same word matched by two spellings of the cue
	}
	s.signSeen = true
	s.signStart, s.signEnd = h.start, wordEnd(text, h.end)
	qualEnd := s.qualEnd
	s.qualEnd = 0 // a qualifier governs one signing verb
	if qualEnd > 0 && qualEnd <= h.start {
		rc := reachOf(s.qualReach)
		if s.qualReach != qualModal {
			if r, _ := utf8.DecodeRuneInString(text[qualEnd:h.start]); strings.ContainsRune(zhPrepositions, r) {
				rc.han = max(rc.han, reachZhPhrase)
			}
		}
		if within(text[qualEnd:h.start], rc) {
			s.stages |= c.intentBit
			return
		}
	}
	s.signN++
}

func (c *Classifier) apply(text string, s *sentence, h hit, k *coref) {
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
		if s.lastSide != 0 && s.lastSide != side && s.lastSideEnd <= h.start && isConjunction(text[s.lastSideEnd:h.start]) {
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
		s.lastSideObj = objectMarked(text[s.start:h.start])
		// Only a sentence a third country opens needs to know (and the
		// test is not free).
		s.lastSideOpen = s.thirdLeads && opensClause(text[s.start:h.start])
	}
	switch f.fam {
	case famCountry:
		switch f.ref {
		case c.ruCountry:
			s.ru = true
			s.ruPlace = s.ruPlace || locativeMarked(text[s.start:h.start])
		case c.cnCountry:
			s.cn = true
			s.cnPlace = s.cnPlace || locativeMarked(text[s.start:h.start])
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
		if objectMarked(text[s.start:h.start]) {
			s.pairObject = true // "印尼与中俄两国", "with Sino-Russian…"
		}
		if s.firstActor == 0 {
			s.firstActor = 1
		} else if s.thirdLeads && !opensClause(text[s.start:h.start]) {
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
			c.applySigning(text, s, h)
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
			(genitiveParticiple(text[s.signStart:s.signEnd]) && withinAside(text[s.signEnd:h.start], reachAbsentAside))) {
			s.signN--
			s.stages |= c.intentBit
		}
	case famKind:
		s.kinds |= 1 << uint(f.ref)
		if countedBefore(text[:h.start]) {
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

// objectMarked reports whether the text before an actor mention ends in a
// word that makes what follows the object of someone else's tie: "with",
// "from", "to", "con", "dengan", "с", "与"… ("Indonesia weighs offers from
// Rosatom and CNNC", "menjajaki kerja sama dengan Rusia dan China").
func objectMarked(before string) bool {
	b := strings.TrimRight(before, " \u00a0")
	if r, _ := utf8.DecodeLastRuneInString(b); strings.ContainsRune("与與和同跟向从從", r) {
		// Chinese marks the object before the first of the pair; the pair
		// itself opening the clause is the subject.
		return len(b) > len(string(r)) && !strings.ContainsRune("，。；：、 ", lastRune(b[:len(b)-len(string(r))]))
	}
	w1, w2 := rawPrevWords(b)
	if isObjectWord(w1) {
		return true
	}
	// "with the Russian and Chinese…"
	return (strings.EqualFold(w1, "the") || strings.EqualFold(w1, "el") || strings.EqualFold(w1, "la") ||
		strings.EqualFold(w1, "los") || strings.EqualFold(w1, "las")) && isObjectWord(w2)
}

// opensSentence reports whether the text before an actor mention is at most
// the sentence's first two words, or a dateline ("WASHINGTON –", "BRUSELAS,
// 20 (EUROPA PRESS)"): the actor is then the sentence's subject.
func opensSentence(before string) bool {
	if i := strings.LastIndexAny(before, "–—)"); i >= 0 {
		before = before[i+1:]
	}
	words, han, inWord := 0, 0, false
	for _, r := range before {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			inWord = false
		case match.IsWordRune(r):
			if !inWord {
				words++
				inWord = true
			}
		default:
			inWord = false
		}
	}
	return words <= 2 && han <= 2
}

// opensClause reports whether the text before an actor mention ends where a
// clause begins — the start of the sentence, a comma, a dash, a colon, or a
// word that opens reported speech ("that", "says", "que", "что", "bahwa",
// "称") — so that the actor is a subject there, not someone's object
// ("Despite US pressure, Russia and China signed…").
func opensClause(before string) bool {
	b := strings.TrimRight(before, " \u00a0\"«“'")
	if b == "" {
		return true
	}
	r := lastRune(b)
	if strings.ContainsRune(",;:—–-(，；：、（称說说示为為指", r) {
		return true
	}
	w1, _ := rawPrevWords(b)
	for _, o := range [...]string{"that", "says", "said", "say", "warns", "warned", "believes", "que", "dice", "afirma", "что", "считает", "заявил", "заявили", "bahwa", "mengatakan", "menyebut"} {
		if strings.EqualFold(w1, o) {
			return true
		}
	}
	return false
}

// locativeMarked reports whether the text before a country mention ends in
// a word that makes it a place: "in", "across", "в", "во", "по", "en", "di",
// "在", "于".
func locativeMarked(before string) bool {
	b := strings.TrimRight(before, " \u00a0")
	if r := lastRune(b); strings.ContainsRune("在于於", r) {
		return true
	}
	w1, _ := rawPrevWords(b)
	if w1 == "" || len(w1) > 6 {
		return false
	}
	for _, o := range [...]string{"in", "across", "в", "во", "по", "en", "di"} {
		if strings.EqualFold(w1, o) {
			return true
		}
	}
	return false
}

// isObjectWord reports a preposition after which actors are someone else's
// partners.
func isObjectWord(w string) bool {
	if w == "" || len(w) > 12 {
		return false
	}
	for _, o := range [...]string{"with", "from", "to", "con", "a", "dengan", "dari", "kepada", "ke", "с", "со", "к"} {
		if strings.EqualFold(w, o) {
			return true
		}
	}
	return false
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// isConjunction reports whether the text between two actor mentions joins
// them as one subject: "and", a comma, a slash, "和", "и", "dan"…
func isConjunction(gap string) bool {
	g := strings.TrimSpace(gap)
	if len(g) > len("serta") {
		return false // most gaps are words long: no conjunction alone
	}
	switch g {
	case "", "&", ",", "、", "和", "与", "與", "同", "及", "и", "y", "e", "-", "–", "—", "/":
		return true
	}
	return strings.EqualFold(g, "and") || strings.EqualFold(g, "dan") || strings.EqualFold(g, "serta") || g == "И"
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

// entityCounts is the document's entity list and per-side mention counts.
type entityCounts struct {
	list      []Entity
	counts    map[string]int // entity or country id -> mentions
	sideCount [2]int         // ru, cn mentions
}

func (c *Classifier) entities(hs []hit) entityCounts {
	ec := entityCounts{counts: map[string]int{}}
	type key struct {
		fam family
		ref int
	}
	counts := map[key]int{}
	var order []key
	for _, h := range hs {
		f := &c.feats[h.feat]
		if f.fam != famCountry && f.fam != famEntity && f.fam != famDyad {
			continue
		}
		if f.fam == famDyad {
			for _, ref := range []int{c.ruCountry, c.cnCountry} {
				k := key{famCountry, ref}
				if counts[k] == 0 {
					order = append(order, k)
				}
				counts[k]++
			}
			continue
		}
		k := key{f.fam, f.ref}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	ruID, cnID := c.tax.Countries[c.ruCountry].ID, c.tax.Countries[c.cnCountry].ID
	for _, k := range order {
		var e Entity
		if k.fam == famCountry {
			co := c.tax.Countries[k.ref]
			if co.Side == taxonomy.SideOther && co.ID == "misc" {
				continue
			}
			e = Entity{ID: co.ID, Name: co.Name, Kind: taxonomy.KindCountry, Country: co.ID, Count: counts[k]}
		} else {
			en := c.tax.Entities[k.ref]
			e = Entity{ID: en.ID, Name: en.Name, Kind: en.Kind, Country: en.Country, Count: counts[k]}
		}
		ec.counts[e.ID] += e.Count
		switch e.Country {
		case ruID:
			ec.sideCount[0] += e.Count
		case cnID:
			ec.sideCount[1] += e.Count
		}
		ec.list = append(ec.list, e)
	}
	sort.SliceStable(ec.list, func(i, j int) bool { return ec.list[i].Count > ec.list[j].Count })
	return ec
}

// topics scores every topic over the document: sentences that name a side
// count double, relational ones four times, the title twice more.
func (c *Classifier) topics(res *Result, sents []sentence) {
	var sc [maxTopics]float64
	var strong [maxTopics]bool
	for i := range sents {
		s := &sents[i]
		for t, w := range s.topicW {
			if w >= 2 && s.topicSpec[t] {
				strong[t] = true
			}
		}
		m := 1.0
		if s.ru || s.cn || s.dyad || s.anaph {
			m = 2
		}
		if s.score > 0 {
			m = 4
		}
		if s.title {
			m *= 2
		}
		for t, w := range s.topicW {
			if w > 0 {
				sc[t] += float64(w) * m
			}
		}
	}
	type ts struct {
		t int
		v float64
	}
	var all []ts
	for t := range c.tax.Topics {
		if sc[t] > 0 {
			all = append(all, ts{t, sc[t]})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].v > all[j].v })
	otherIdx, hasOther := c.topicIdx["other"]
	for _, x := range all {
		name := c.tax.Topics[x.t].ID
		res.TopicScores = append(res.TopicScores, TopicScore{Name: name, Score: math.Round(x.v*10) / 10})
		if hasOther && x.t == otherIdx {
			continue
		}
		// A topic counts with two strong mentions, or one inside a
		// Russia–China technology story (an analysis touching on quantum
		// computing once still covers it).
		if x.v >= 4 || (res.RuCnTech && x.v >= 2 && strong[x.t]) {
			res.Topics = append(res.Topics, name)
		}
	}
	if len(res.Topics) == 0 && hasOther && sc[otherIdx] > 0 {
		res.Topics = []string{"other"}
	}
}

// primaryTopic moves the topic that weighs most in relational sentences to
// the front of Topics.
func (c *Classifier) primaryTopic(res *Result, sents []sentence) {
	var sc [maxTopics]float64
	for i := range sents {
		s := &sents[i]
		if s.score == 0 {
			continue
		}
		for t, w := range s.topicW {
			if w > 0 {
				sc[t] += float64(w) * weighted(s)
			}
		}
	}
	best, bv := -1, 0.0
	otherIdx, hasOther := c.topicIdx["other"]
	for t := range c.tax.Topics {
		if hasOther && t == otherIdx {
			continue
		}
		if sc[t] > bv {
			best, bv = t, sc[t]
		}
	}
	if best < 0 {
		if len(res.Topics) == 0 {
			res.Topics = []string{"other"}
		}
		return
	}
	name := c.tax.Topics[best].ID
	out := []string{name}
	for _, t := range res.Topics {
		if t != name {
			out = append(out, t)
		}
	}
	res.Topics = out
}

// countedBefore reports a deal kind preceded by a count of ten or more, or by
// a number with a multiplier ("1,4 тыс. контрактов", "1,400 contracts",
// "2.000 contratos", "ribuan kontrak" aside): procurement statistics, a set of
// deals, not one deal whose signing is news.
func countedBefore(before string) bool {
	if len(before) > 40 {
		before = before[len(before)-40:]
	}
	b := strings.TrimRightFunc(before, unicode.IsSpace)
	mult := false
	for _, m := range []string{"тыс.", "тысяч", "тыс", "thousand", "ribu", "mil", "千", "万", "萬", "多", "余", "餘", "份", "项", "項", "个", "個"} {
		if strings.HasSuffix(b, m) {
			b = strings.TrimRightFunc(strings.TrimSuffix(b, m), unicode.IsSpace)
			if m != "份" && m != "项" && m != "項" && m != "个" && m != "個" {
				mult = true
			}
			break
		}
	}
	n, digits := 0, 0
	for len(b) > 0 {
		r, size := utf8.DecodeLastRuneInString(b)
		switch {
		case r >= '0' && r <= '9':
			d := int(r - '0')
			for k := 0; k < digits; k++ {
				d *= 10
			}
			n += d
			digits++
		case (r == ',' || r == '.' || r == '\u00a0') && digits > 0:
		default:
			return digits > 0 && (mult || n >= 10)
		}
		b = b[:len(b)-size]
	}
	return digits > 0 && (mult || n >= 10)
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
