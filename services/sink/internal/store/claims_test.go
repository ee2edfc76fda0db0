package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/storetest"
)

// The keys of the claim tests, shaped as the classifier makes them. The
// key names a claim's alert; the deal fields decide the claim.
const (
	huaweiKey = "rucn:huawei+ru/telecom"
	lunarCNSA = "rucn:cnsa+ru/space/lunar"
	navCNSA   = "rucn:cnsa+ru/space/navigation"
	spaceCNSA = "rucn:cnsa+ru/space"
	xudapuKey = "rucn:cnnc+rosatom/energy/xudapu"
)

const claimWindow = 30 * 24 * time.Hour

// startMonth is the month of the test clock's start (newClock), which
// names the claims of reports that state no signing date and no
// publication time.
const startMonth = "@2026-03"

func claimRef(id string) ArticleRef {
	return ArticleRef{ID: id, URL: "https://news.example/" + id, Title: "T " + id, Lang: "en", SourceID: "src"}
}

// pp returns parties from each side's groups, comma-separated; a country
// id ("cn", "ru") or "" stands for a side that names only its country.
func pp(cn, ru string) Parties {
	side := func(s, country string) []string {
		if s == "" || s == country {
			return nil
		}
		g := strings.Split(s, ",")
		slices.Sort(g)
		return g
	}
	return Parties{CN: side(cn, CountryCN), RU: side(ru, CountryRU)}
}

func TestDealOf(t *testing.T) {
	published := time.Date(2019, 6, 5, 9, 0, 0, 0, time.UTC)
	fetched := published.Add(time.Hour)
	now := published.Add(24 * time.Hour)
	withDeal := &newspipev1.Agreement{Detected: true, Key: "rucn:huawei+mts/telecom/mobile", Deal: &newspipev1.Deal{
		Cn:         []*newspipev1.Party{{Id: "huawei", Name: "Huawei", Group: "huawei"}},
		Ru:         []*newspipev1.Party{{Id: "mts", Name: "MTS", Group: "mts"}},
		Technology: "telecom", Subject: "mobile", SignedOn: "2019-06-05"}}
	cases := []struct {
		name         string
		a            *newspipev1.EnrichedArticle
		wantReported time.Time
		wantGroup    string
	}{
		{"dated by publication", &newspipev1.EnrichedArticle{Agreement: withDeal,
			Article: &newspipev1.CleanArticle{PublishedAt: timestamppb.New(published)},
			Times:   &newspipev1.StageTimes{FetchedAt: timestamppb.New(fetched)}}, published, "s:mobile"},
		{"else by the fetch", &newspipev1.EnrichedArticle{Agreement: withDeal,
			Times: &newspipev1.StageTimes{FetchedAt: timestamppb.New(fetched)}}, fetched, "s:mobile"},
		{"else now", &newspipev1.EnrichedArticle{Agreement: withDeal}, now, "s:mobile"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := DealOf(tc.a, now)
			if d.Key != withDeal.Key || !d.Reported.Equal(tc.wantReported) || d.Group() != tc.wantGroup ||
				d.Signed.String() != "2019-06-05" || !slices.Equal(d.CN, []string{"huawei"}) || !slices.Equal(d.RU, []string{"mts"}) {
				t.Errorf("DealOf = %+v group %q, want reported %v group %q", d, d.Group(), tc.wantReported, tc.wantGroup)
			}
		})
	}
	// An event from before the deal field: parties, technology, subject
	// and date of the agreement, else of its key.
	old := &newspipev1.EnrichedArticle{Agreement: &newspipev1.Agreement{Detected: true, Key: "rucn:cnsa+ru/space/lunar",
		Parties: []string{"cnsa", "ru"}, Technology: "energy"}}
	if d := DealOf(old, now); d.Topic != "energy" || d.Subject != "lunar" || !slices.Equal(d.CN, []string{"cnsa"}) || d.RU != nil {
		t.Errorf("DealOf(old event) = %+v", d)
	}
}

// claimStep is one report: its article claims key (huaweiKey if empty)
// with each side's parties (cn, ru: groups, comma-separated; a country id
// names only the country), the agreement's subject and technology (tech
// "" is telecom), the signing date it states (signed) and when it was
// published (published, "" for an event without: the store's clock then
// dates it).
type claimStep struct {
	advance       time.Duration
	key           string
	subject, tech string
	cn, ru        string
	signed        string
	published     string
	id            string
	// What the claim must answer: whether the article is first and the
	// claim new, the agreement's first article, its alert key (alert, or
	// else key, then month (startMonth if empty), then suffix), and its
	// parties, subject and signing date after the call.
	first, isNew bool
	owner        string
	alert        string
	month        string
	suffix       string
	parties      Parties
	csubject     string
	csigned      string
}

func (st claimStep) agreementKey() string {
	if st.key == "" {
		return huaweiKey
	}
	return st.key
}

func (st claimStep) alertKey() string {
	if st.alert != "" {
		return st.alert
	}
	m := st.month
	if m == "" {
		m = startMonth
	}
	return st.agreementKey() + m + st.suffix
}

// deal is the deal of the step's report, as the sink reads it off the
// event.
func (st claimStep) deal() Deal {
	side := func(s, country string) []*newspipev1.Party {
		var out []*newspipev1.Party
		if s == "" || s == country {
			return nil
		}
		for _, g := range strings.Split(s, ",") {
			out = append(out, &newspipev1.Party{Id: g, Group: g})
		}
		return out
	}
	tech := st.tech
	if tech == "" {
		tech = "telecom"
	}
	a := &newspipev1.EnrichedArticle{Agreement: &newspipev1.Agreement{Detected: true, Key: st.agreementKey(),
		Deal: &newspipev1.Deal{Cn: side(st.cn, CountryCN), Ru: side(st.ru, CountryRU), Technology: tech,
			Subject: st.subject, SignedOn: st.signed}}}
	if st.published != "" {
		p, err := time.Parse("2006-01-02", st.published)
		if err != nil {
			panic(err)
		}
		a.Article = &newspipev1.CleanArticle{PublishedAt: timestamppb.New(p)}
	}
	// The sink falls back to its clock for an event without times; the
	// store does the same for a zero Reported.
	return DealOf(a, time.Time{})
}

func TestClaimAgreement(t *testing.T) {
	const w = claimWindow
	cases := []struct {
		name  string
		steps []claimStep
		// wantAlerts are the alerts raised, as "<alert key> <first article>".
		wantAlerts []string
		// replay sends every report again at the end: each must answer as
		// the first time (not new).
		replay bool
	}{
		{
			name: "country, its organisation, another organisation, then each again",
			steps: []claimStep{
				{cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: pp("huawei", "")},
				{cn: "huawei", ru: "mts", id: "b", owner: "a", parties: pp("huawei", "mts")},
				{cn: "huawei", ru: "nti", id: "c", first: true, isNew: true, owner: "c", suffix: "~2", parties: pp("huawei", "nti")},
				{cn: "huawei", ru: "ru", id: "d", owner: "a", parties: pp("huawei", "mts")},
				{cn: "huawei", ru: "mts", id: "e", owner: "a", parties: pp("huawei", "mts")},
				{cn: "huawei", ru: "nti", id: "f", owner: "c", suffix: "~2", parties: pp("huawei", "nti")},
			},
			wantAlerts: []string{huaweiKey + startMonth + " a", huaweiKey + startMonth + "~2 c"},
			replay:     true,
		},
		{
			name: "Chinese side unspecified",
			steps: []claimStep{
				{cn: "cn", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: pp("", "mts")},
				{cn: "huawei", ru: "mts", id: "b", owner: "a", parties: pp("huawei", "mts")},
				{cn: "zte", ru: "mts", id: "c", first: true, isNew: true, owner: "c", suffix: "~2", parties: pp("zte", "mts")},
				{cn: "cn", ru: "mts", id: "d", owner: "a", parties: pp("huawei", "mts")},
			},
			wantAlerts: []string{huaweiKey + startMonth + " a", huaweiKey + startMonth + "~2 c"},
			replay:     true,
		},
		{
			name: "a joint venture's partners: a report naming two bridges reports naming either",
			steps: []claimStep{
				{key: "rucn:alibaba+megafon/digital", tech: "digital", cn: "alibaba", ru: "megafon", id: "a", first: true, isNew: true,
					owner: "a", parties: pp("alibaba", "megafon")},
				{key: "rucn:alibaba+megafon/digital", tech: "digital", cn: "alibaba", ru: "megafon,rdif", id: "b", owner: "a",
					alert: "rucn:alibaba+megafon/digital" + startMonth, parties: pp("alibaba", "megafon,rdif")},
				{key: "rucn:alibaba+rdif/digital", tech: "digital", cn: "alibaba", ru: "rdif", id: "c", owner: "a",
					alert: "rucn:alibaba+megafon/digital" + startMonth, parties: pp("alibaba", "megafon,rdif")},
			},
			wantAlerts: []string{"rucn:alibaba+megafon/digital" + startMonth + " a"},
			replay:     true,
		},
		{
			name: "distinct topics are distinct agreements",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: pp("huawei", "mts")},
				{key: "rucn:huawei+mts/ai", tech: "ai", cn: "huawei", ru: "mts", id: "b", first: true, isNew: true, owner: "b", parties: pp("huawei", "mts")},
				// Another key of the same deal is the same agreement.
				{key: "rucn:cn+mts/telecom", cn: "huawei", ru: "mts", id: "c", owner: "a", alert: huaweiKey + startMonth, parties: pp("huawei", "mts")},
			},
			wantAlerts: []string{huaweiKey + startMonth + " a", "rucn:huawei+mts/ai" + startMonth + " b"},
			replay:     true,
		},
		{
			name: "first article claiming again is still first",
			steps: []claimStep{
				{cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: pp("huawei", "")},
				{cn: "huawei", ru: "mts", id: "b", owner: "a", parties: pp("huawei", "mts")},
				{cn: "huawei", ru: "ru", id: "a", first: true, owner: "a", parties: pp("huawei", "mts")},
			},
			wantAlerts: []string{huaweiKey + startMonth + " a"},
			replay:     true,
		},
		{
			name: "undated reports arriving within the window are the same agreement",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: pp("huawei", "mts")},
				{advance: w - time.Hour, cn: "huawei", ru: "ru", id: "b", owner: "a", parties: pp("huawei", "mts")},
			},
			wantAlerts: []string{huaweiKey + startMonth + " a"},
			replay:     true,
		},
		{
			name: "an undated report arriving after the window is a new agreement",
			steps: []claimStep{
				{cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: pp("huawei", "")},
				{advance: w + time.Hour, cn: "huawei", ru: "mts", id: "b", first: true, isNew: true, owner: "b", suffix: "~2",
					parties: pp("huawei", "mts")},
				{cn: "huawei", ru: "ru", id: "a", first: true, owner: "a", parties: pp("huawei", "")},
			},
			wantAlerts: []string{huaweiKey + startMonth + " a", huaweiKey + startMonth + "~2 b"},
		},
		{
			name: "first article after the window does not re-alert",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: pp("huawei", "mts")},
				{advance: 3 * w, cn: "huawei", ru: "mts", id: "a", first: true, owner: "a", parties: pp("huawei", "mts")},
			},
			wantAlerts: []string{huaweiKey + startMonth + " a"},
		},
		// Deals are dated by their reports, not by when they arrive.
		{
			name: "old reports arriving together are told apart by their publication times",
			steps: []claimStep{
				{key: xudapuKey, tech: "energy", subject: "xudapu", cn: "cnnc", ru: "rosatom", published: "2019-03-11", id: "a",
					first: true, isNew: true, owner: "a", month: "@2019-03", parties: pp("cnnc", "rosatom"), csubject: "xudapu"},
				{key: xudapuKey, tech: "energy", subject: "xudapu", cn: "cnnc", ru: "ru", published: "2019-06-08", id: "b",
					first: true, isNew: true, owner: "b", month: "@2019-06", parties: pp("cnnc", ""), csubject: "xudapu"},
				{key: xudapuKey, tech: "energy", subject: "xudapu", cn: "cn", ru: "rosatom", published: "2019-06-14", id: "c",
					owner: "b", month: "@2019-06", parties: pp("cnnc", "rosatom"), csubject: "xudapu"},
			},
			wantAlerts: []string{xudapuKey + "@2019-03 a", xudapuKey + "@2019-06 b"},
			replay:     true,
		},
		{
			name: "signing dates a year apart are two deals, however close the reports",
			steps: []claimStep{
				{key: navCNSA, tech: "space", subject: "navigation", cn: "cnsa", ru: "roscosmos", signed: "2018-11", id: "a",
					first: true, isNew: true, owner: "a", month: "@2018-11", parties: pp("cnsa", "roscosmos"), csubject: "navigation", csigned: "2018-11"},
				{key: navCNSA, tech: "space", subject: "navigation", cn: "cnsa", ru: "ru", signed: "2019-11-20", id: "b",
					first: true, isNew: true, owner: "b", month: "@2019-11", parties: pp("cnsa", ""), csubject: "navigation", csigned: "2019-11-20"},
				// A report stating only the year joins the deal of that year.
				{key: navCNSA, tech: "space", subject: "navigation", cn: "cn", ru: "ru", signed: "2018", id: "c",
					owner: "a", month: "@2018-11", parties: pp("cnsa", "roscosmos"), csubject: "navigation", csigned: "2018-11"},
			},
			wantAlerts: []string{navCNSA + "@2018-11 a", navCNSA + "@2019-11 b"},
			replay:     true,
		},
		{
			name: "a report stating the signing date gives it to the claim",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", published: "2019-06-05", id: "a", first: true, isNew: true, owner: "a", month: "@2019-06",
					parties: pp("huawei", "mts")},
				{cn: "huawei", ru: "ru", published: "2019-06-07", signed: "2019-06-05", id: "b", owner: "a", month: "@2019-06",
					parties: pp("huawei", "mts"), csigned: "2019-06-05"},
				// Published weeks later, undated: still news of that signing.
				{cn: "huawei", ru: "mts", published: "2019-06-25", id: "c", owner: "a", month: "@2019-06",
					parties: pp("huawei", "mts"), csigned: "2019-06-05"},
				// Another signing date of the same parties is another deal.
				{cn: "huawei", ru: "mts", published: "2019-06-25", signed: "2019-06-24", id: "d", first: true, isNew: true, owner: "d",
					month: "@2019-06", suffix: "~2", parties: pp("huawei", "mts"), csigned: "2019-06-24"},
			},
			wantAlerts: []string{huaweiKey + "@2019-06 a", huaweiKey + "@2019-06~2 d"},
			replay:     true,
		},
		// Reports of one deal whose keys differ.
		{
			name: "a navigation deal keyed by the countries, then by CNSA",
			steps: []claimStep{
				{key: "rucn:cn+ru/space/navigation", tech: "space", subject: "navigation", cn: "cn", ru: "ru", id: "a", first: true, isNew: true,
					owner: "a", alert: "rucn:cn+ru/space/navigation" + startMonth, csubject: "navigation"},
				{key: navCNSA, tech: "space", subject: "navigation", cn: "cnsa", ru: "ru", id: "b", owner: "a",
					alert: "rucn:cn+ru/space/navigation" + startMonth, parties: pp("cnsa", ""), csubject: "navigation"},
				{key: "rucn:cn+roscosmos/space/navigation", tech: "space", subject: "navigation", cn: "cn", ru: "roscosmos", id: "c", owner: "a",
					alert: "rucn:cn+ru/space/navigation" + startMonth, parties: pp("cnsa", "roscosmos"), csubject: "navigation"},
			},
			wantAlerts: []string{"rucn:cn+ru/space/navigation" + startMonth + " a"},
			replay:     true,
		},
		{
			name: "a lunar deal whose reports differ in the topic too",
			steps: []claimStep{
				{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "ru", id: "a", first: true, isNew: true, owner: "a",
					parties: pp("cnsa", ""), csubject: "lunar"},
				{key: "rucn:cn+rosatom/energy/lunar", tech: "energy", subject: "lunar", cn: "cn", ru: "rosatom", id: "b", owner: "a",
					alert: lunarCNSA + startMonth, parties: pp("cnsa", "rosatom"), csubject: "lunar"},
			},
			wantAlerts: []string{lunarCNSA + startMonth + " a"},
			replay:     true,
		},
		{
			name: "a lunar deal and a navigation deal of the same parties are two",
			steps: []claimStep{
				{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "roscosmos", id: "a", first: true, isNew: true, owner: "a",
					parties: pp("cnsa", "roscosmos"), csubject: "lunar"},
				{key: navCNSA, tech: "space", subject: "navigation", cn: "cnsa", ru: "roscosmos", id: "b", first: true, isNew: true, owner: "b",
					parties: pp("cnsa", "roscosmos"), csubject: "navigation"},
				{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "ru", id: "c", owner: "a", parties: pp("cnsa", "roscosmos"), csubject: "lunar"},
				{key: "rucn:cn+ru/space/navigation", tech: "space", subject: "navigation", cn: "cn", ru: "ru", id: "d", owner: "b",
					alert: navCNSA + startMonth, parties: pp("cnsa", "roscosmos"), csubject: "navigation"},
			},
			wantAlerts: []string{lunarCNSA + startMonth + " a", navCNSA + startMonth + " b"},
			replay:     true,
		},
		{
			name: "a report without a subject joins the claim of its parties and topic",
			steps: []claimStep{
				{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "ru", id: "a", first: true, isNew: true, owner: "a",
					parties: pp("cnsa", ""), csubject: "lunar"},
				{key: spaceCNSA, tech: "space", cn: "cnsa", ru: "roscosmos", id: "b", owner: "a", alert: lunarCNSA + startMonth,
					parties: pp("cnsa", "roscosmos"), csubject: "lunar"},
				// Of another topic, it is another deal.
				{key: "rucn:cnsa+ru/energy", tech: "energy", cn: "cnsa", ru: "ru", id: "c", first: true, isNew: true, owner: "c",
					parties: pp("cnsa", "")},
				// With a party the claim contradicts, too.
				{key: spaceCNSA, tech: "space", cn: "cnsa", ru: "rosatom", id: "d", first: true, isNew: true, owner: "d",
					parties: pp("cnsa", "rosatom")},
			},
			wantAlerts: []string{lunarCNSA + startMonth + " a", "rucn:cnsa+ru/energy" + startMonth + " c", spaceCNSA + startMonth + " d"},
			replay:     true,
		},
		{
			name: "a report with a subject gives it to the claim without one",
			steps: []claimStep{
				{key: spaceCNSA, tech: "space", cn: "cnsa", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: pp("cnsa", "")},
				{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "roscosmos", id: "b", owner: "a", alert: spaceCNSA + startMonth,
					parties: pp("cnsa", "roscosmos"), csubject: "lunar"},
				// Another subject is another deal, even of the same parties.
				{key: navCNSA, tech: "space", subject: "navigation", cn: "cnsa", ru: "ru", id: "c", first: true, isNew: true, owner: "c",
					parties: pp("cnsa", ""), csubject: "navigation"},
				// Without a subject, the oldest claim of the topic.
				{key: spaceCNSA, tech: "space", cn: "cnsa", ru: "ru", id: "d", owner: "a", parties: pp("cnsa", "roscosmos"), csubject: "lunar"},
			},
			wantAlerts: []string{spaceCNSA + startMonth + " a", navCNSA + startMonth + " c"},
			replay:     true,
		},
		{
			name: "one key, two technologies: two deals, the second under a suffix",
			steps: []claimStep{
				{tech: "telecom", cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: pp("huawei", "")},
				{tech: "ai", cn: "huawei", ru: "ru", id: "b", first: true, isNew: true, owner: "b", suffix: "~2", parties: pp("huawei", "")},
				{tech: "ai", cn: "huawei", ru: "mts", id: "c", owner: "b", suffix: "~2", parties: pp("huawei", "mts")},
			},
			wantAlerts: []string{huaweiKey + startMonth + " a", huaweiKey + startMonth + "~2 b"},
			replay:     true,
		},
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					clk := newClock()
					s := b.open(t, Options{Now: clk.Now})
					for i, st := range tc.steps {
						clk.Advance(st.advance)
						got := claimOnce(t, s, st)
						checkClaim(t, fmt.Sprintf("step %d (%s)", i, st.id), got, st, st.isNew, true)
						// An immediate redelivery answers the same, not new.
						again := claimOnce(t, s, st)
						checkClaim(t, fmt.Sprintf("step %d (%s) redelivered", i, st.id), again, st, false, true)
					}
					checkAlerts(t, s, tc.wantAlerts)
					if !tc.replay {
						return
					}
					for i, st := range tc.steps {
						got := claimOnce(t, s, st)
						checkClaim(t, fmt.Sprintf("replay of step %d (%s)", i, st.id), got, st, false, false)
					}
					checkAlerts(t, s, tc.wantAlerts)
				})
			}
			t.Run("empty key", func(t *testing.T) {
				s := b.open(t, Options{})
				if _, err := s.ClaimAgreement(ctxT(t), Deal{}, claimWindow, claimRef("a")); !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
			})
		})
	}
}

func claimOnce(t *testing.T, s *DB, st claimStep) Claim {
	t.Helper()
	c, err := s.ClaimAgreement(ctxT(t), st.deal(), claimWindow, claimRef(st.id))
	if err != nil {
		t.Fatalf("claim %s by %s: %v", st.agreementKey(), st.id, err)
	}
	return c
}

func checkClaim(t *testing.T, what string, c Claim, st claimStep, wantNew, withParties bool) {
	t.Helper()
	if c.First != st.first || c.New != wantNew || c.FirstArticle.ID != st.owner || c.AlertKey != st.alertKey() {
		t.Errorf("%s: first=%v new=%v owner=%s alert key %s; want first=%v new=%v owner=%s alert key %s",
			what, c.First, c.New, c.FirstArticle.ID, c.AlertKey, st.first, wantNew, st.owner, st.alertKey())
	}
	if withParties && (!slices.Equal(c.Parties.CN, st.parties.CN) || !slices.Equal(c.Parties.RU, st.parties.RU) ||
		c.Subject != st.csubject || c.Signed.String() != st.csigned) {
		t.Errorf("%s: parties %v subject %q signed %q, want %v %q %q", what, c.Parties, c.Subject, c.Signed, st.parties, st.csubject, st.csigned)
	}
	if c.FirstArticle != claimRef(c.FirstArticle.ID) {
		t.Errorf("%s: first article %+v is not the claimed ref", what, c.FirstArticle)
	}
}

func checkAlerts(t *testing.T, s *DB, want []string) {
	t.Helper()
	alerts, err := s.ListAlerts(ctxT(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, al := range alerts {
		got = append(got, al.Key+" "+al.FirstArticle.ID)
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("alerts %q, want %q", got, want)
	}
}

// concurrentReport is a report of TestClaimAgreementConcurrent: a step
// (key, subject, tech, parties) and the deals it may belong to, by label;
// more than one where the report fits either.
type concurrentReport struct {
	step  claimStep
	deals []string
}

// concurrentReports are reports of five deals, each deal's reports keyed
// differently, with and without a subject, in every order the same five
// deals: Huawei's with MTS and with NTI (reports naming only Russia fit
// either), CNSA's lunar deal (of space or energy by the report), its
// navigation deal, and ZTE's mobile network deal (one report names no
// subject).
var concurrentReports = []concurrentReport{
	{claimStep{cn: "huawei", ru: "ru"}, []string{"mts", "nti"}},
	{claimStep{cn: "huawei", ru: "mts"}, []string{"mts"}},
	{claimStep{cn: "huawei", ru: "nti"}, []string{"nti"}},
	{claimStep{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "ru"}, []string{"lunar"}},
	{claimStep{key: "rucn:cn+roscosmos/energy/lunar", tech: "energy", subject: "lunar", cn: "cn", ru: "roscosmos"}, []string{"lunar"}},
	{claimStep{key: spaceCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "roscosmos"}, []string{"lunar"}},
	{claimStep{key: navCNSA, tech: "space", subject: "navigation", cn: "cnsa", ru: "ru"}, []string{"navigation"}},
	{claimStep{key: "rucn:cn+ru/space/navigation", tech: "space", subject: "navigation", cn: "cn", ru: "ru"}, []string{"navigation"}},
	{claimStep{key: "rucn:zte+ru/telecom/mobile", subject: "mobile", cn: "zte", ru: "ru"}, []string{"zte"}},
	{claimStep{key: "rucn:zte+mts/telecom", cn: "zte", ru: "mts"}, []string{"zte"}},
}

// TestClaimAgreementConcurrent has two replicas decide reports of five
// deals at once. Whatever the order, each deal makes one claim, its reports
// link to it, and reports that fit two deals join one of them.
func TestClaimAgreementConcurrent(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.dsn(t)
			replicas := []*DB{mustOpen(t, dsn, Options{}), mustOpen(t, dsn, Options{})}
			const rounds = 3
			n := rounds * len(concurrentReports)
			claims := make([]Claim, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					st := concurrentReports[i%len(concurrentReports)].step
					c, err := replicas[i%2].ClaimAgreement(context.Background(), st.deal(), claimWindow, claimRef(fmt.Sprint("r", i)))
					if err != nil {
						t.Errorf("claim %d: %v", i, err)
						return
					}
					claims[i] = c
				})
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			news := map[string]string{}  // alert key → first article
			owner := map[string]string{} // deal → first article
			for i, c := range claims {
				if c.First != c.New || c.First != (c.FirstArticle.ID == fmt.Sprint("r", i)) {
					t.Errorf("claim %d: first=%v new=%v owner %s", i, c.First, c.New, c.FirstArticle.ID)
				}
				if c.New {
					if prev, dup := news[c.AlertKey]; dup {
						t.Errorf("alert key %s claimed by %s and %s", c.AlertKey, prev, c.FirstArticle.ID)
					}
					news[c.AlertKey] = c.FirstArticle.ID
				}
				if deals := concurrentReports[i%len(concurrentReports)].deals; len(deals) == 1 {
					if o, seen := owner[deals[0]]; seen && o != c.FirstArticle.ID {
						t.Errorf("reports of deal %s link to %s and %s", deals[0], o, c.FirstArticle.ID)
					}
					owner[deals[0]] = c.FirstArticle.ID
				}
			}
			firsts := map[string]bool{}
			for _, o := range owner {
				firsts[o] = true
			}
			if len(news) != 5 || len(owner) != 5 || len(firsts) != 5 {
				t.Errorf("new claims %v, deals' first articles %v: want five deals, each its own", news, owner)
			}
			// Reports fitting two deals joined one of them.
			for i, c := range claims {
				r := concurrentReports[i%len(concurrentReports)]
				if !slices.ContainsFunc(r.deals, func(d string) bool { return owner[d] == c.FirstArticle.ID }) {
					t.Errorf("claim %d (%s) links to %s, not to deal %v", i, r.step.agreementKey(), c.FirstArticle.ID, r.deals)
				}
			}
			var want []string
			for k, id := range news {
				want = append(want, k+" "+id)
			}
			checkAlerts(t, replicas[0], want)
		})
	}
}

// TestClaimAgreementRefineRace changes, from another replica, the claim a
// report matched between reading and refining it: the one overlap of two
// claims the PostgreSQL group locks leave (see ClaimAgreement). The report
// must decide again on the claim as changed. SQLite serialises all claims,
// so the race cannot happen there.
func TestClaimAgreementRefineRace(t *testing.T) {
	dsn := os.Getenv(storetest.EnvPostgres)
	if dsn == "" {
		t.Skipf("the race needs PostgreSQL: set %s", storetest.EnvPostgres)
	}
	dsn = storetest.PostgresSchema(t, dsn)
	other := mustOpen(t, dsn, Options{})
	// The lunar claim, of space, names CNSA only.
	lunar := claimStep{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "ru", id: "a", published: "2026-03-01"}
	if c := claimOnce(t, other, lunar); !c.New {
		t.Fatalf("claim a: %+v, want new", c)
	}
	// A report of the lunar deal of another topic, naming Roscosmos, is
	// decided while the report below holds its claim read.
	roscosmos := claimStep{key: "rucn:cn+roscosmos/energy/lunar", tech: "energy", subject: "lunar", cn: "cn", ru: "roscosmos", id: "b",
		published: "2026-03-02"}
	var raced Claim
	hooks := 0
	s := mustOpen(t, dsn, Options{beforeRefine: func() {
		if hooks++; hooks == 1 {
			raced = claimOnce(t, other, roscosmos)
		}
	}})
	// A space report without a subject, naming Rosatom: it matched the claim as read.
	rosatom := claimStep{key: spaceCNSA, tech: "space", cn: "cnsa", ru: "rosatom", id: "c", published: "2026-03-02"}
	c := claimOnce(t, s, rosatom)
	if hooks != 1 || raced.FirstArticle.ID != "a" || !slices.Equal(raced.Parties.RU, []string{"roscosmos"}) {
		t.Fatalf("the racing report ran %d times and joined %+v, want once, a with Roscosmos", hooks, raced)
	}
	if !c.New || c.AlertKey != spaceCNSA+startMonth || !slices.Equal(c.Parties.RU, []string{"rosatom"}) {
		t.Errorf("report naming Rosatom: %+v, want a new claim %s of CNSA and Rosatom", c, spaceCNSA+startMonth)
	}
	// The lunar claim kept Roscosmos.
	again := claimOnce(t, s, claimStep{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "ru", id: "d", published: "2026-03-03"})
	if again.FirstArticle.ID != "a" || !slices.Equal(again.Parties.RU, []string{"roscosmos"}) {
		t.Errorf("lunar claim after the race: %+v, want a with Roscosmos", again)
	}
	checkAlerts(t, s, []string{lunarCNSA + startMonth + " a", spaceCNSA + startMonth + " c"})
}

func TestClaimAgreementSameParties(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			// Two handles on one database stand for two replicas.
			dsn := b.dsn(t)
			replicas := []*DB{mustOpen(t, dsn, Options{}), mustOpen(t, dsn, Options{})}
			const n = 16
			claims := make([]Claim, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					st := claimStep{key: "race", cn: "huawei", ru: "mts", published: "2026-03-01"}
					c, err := replicas[i%2].ClaimAgreement(context.Background(), st.deal(), claimWindow, claimRef(fmt.Sprint("r", i)))
					if err != nil {
						t.Errorf("claim %d: %v", i, err)
					}
					claims[i] = c
				})
			}
			wg.Wait()
			firsts := 0
			for i, c := range claims {
				if c.First {
					firsts++
				}
				if c.FirstArticle.ID != claims[0].FirstArticle.ID || c.AlertKey != "race"+startMonth {
					t.Errorf("claim %d: first article %s alert key %s, claim 0: %s race", i, c.FirstArticle.ID, c.AlertKey, claims[0].FirstArticle.ID)
				}
			}
			if firsts != 1 {
				t.Errorf("%d claims were first, want exactly 1", firsts)
			}
		})
	}
}

// TestMigrateClaims opens a database as the one-claim-per-key sink left it:
// its claim carries over with both sides unspecified, its alert and story
// keep their link.
func TestMigrateClaims(t *testing.T) {
	base := time.Date(2026, 2, 10, 8, 0, 0, 0, time.UTC)
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			clk := newClock()
			dsn := b.dsn(t)
			old := mustOpen(t, dsn, Options{Now: clk.Now, schema: 2})
			a := art("a", base, rucn("telecom"), agreement(huaweiKey))
			data, err := marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			now := nanos(clk.Now())
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO agreements (key, first_article_id, first_url, first_title, first_lang, first_source_id, claimed_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, []any{huaweiKey, "a", "https://news.example/a", "T a", "en", "src", now}},
				{`INSERT INTO alerts (key, article_id, url, title, lang, source_id, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					[]any{huaweiKey, "a", "https://news.example/a", "T a", "en", "src", now}},
				{`INSERT INTO stories (id, url, canonical_url, source_id, title, lang, ru_cn_tech, score, primary_topic,
					agreement, agreement_key, agreement_first_article_id, published_at, sort_at, stored_at, updated_at, version, data)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					[]any{"a", "u", "u", "src", "T a", "en", true, 0.9, "telecom", true, huaweiKey, "a", now, now, now, now, now, data}},
			} {
				if _, err := old.db.Exec(old.q(q.sql), q.args...); err != nil {
					t.Fatalf("%s: %v", strings.Fields(q.sql)[2], err)
				}
			}
			old.Close()

			s := mustOpen(t, dsn, Options{Now: clk.Now})
			assertMigrations(t, s)
			st, err := s.GetStory(ctxT(t), "a")
			if err != nil || st.AgreementAlertKey != huaweiKey || st.AgreementFirstArticleID != "a" {
				t.Fatalf("story a: alert key %q link %q (%v), want %s a", st.AgreementAlertKey, st.AgreementFirstArticleID, err, huaweiKey)
			}
			alerts, err := s.ListAlerts(ctxT(t), 0)
			if err != nil || len(alerts) != 1 || alerts[0].Key != huaweiKey || alerts[0].Reports != 1 {
				t.Fatalf("alerts %+v (%v), want %s with 1 report", alerts, err, huaweiKey)
			}
			clk.Advance(time.Hour)
			for i, st := range []claimStep{
				// The old claim named no parties: MTS joins it and names its side.
				{cn: "huawei", ru: "mts", id: "b", owner: "a", alert: huaweiKey, parties: pp("huawei", "mts")},
				{cn: "huawei", ru: "nti", id: "c", first: true, isNew: true, owner: "c", parties: pp("huawei", "nti")},
				{cn: "huawei", ru: "ru", id: "a", first: true, owner: "a", alert: huaweiKey, parties: pp("huawei", "mts")},
			} {
				checkClaim(t, fmt.Sprintf("step %d", i), claimOnce(t, s, st), st, st.isNew, true)
			}
		})
	}
}

// TestMigrateClaimGroups opens a database as the claims-per-key sink left
// it: each claim gets the subject and topic a report of it would give now
// (its first story's where stored, else its key's), one sequence orders
// the claims across keys, and new reports match the old claims by them.
func TestMigrateClaimGroups(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			clk := newClock()
			dsn := b.dsn(t)
			old := mustOpen(t, dsn, Options{Now: clk.Now, schema: 3})
			type oldClaim struct {
				alertKey, key string
				seq           int
				cn, ru        string
				first         string
				tech          string // the first story's technology; "" when not stored
			}
			const huaweiAI = "rucn:huawei+ru/ai"
			for i, c := range []oldClaim{
				{huaweiKey, huaweiKey, 1, "huawei", "mts", "h1", ""},
				{lunarCNSA, lunarCNSA, 1, "cnsa", "", "l1", "space"},
				{huaweiKey + "~huawei+nti", huaweiKey, 2, "huawei", "nti", "h2", "telecom"},
				// Its story says the deal is about AI, not what the key says.
				{huaweiAI, huaweiAI, 1, "huawei", "", "h3", "telecom"},
			} {
				now := nanos(clk.Now().Add(time.Duration(i) * time.Minute))
				if _, err := old.db.Exec(old.q(`INSERT INTO agreement_claims (alert_key, key, seq, cn_party, ru_party,
					first_article_id, first_url, first_title, first_lang, first_source_id, claimed_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
					c.alertKey, c.key, c.seq, c.cn, c.ru, c.first, "https://news.example/"+c.first, "T "+c.first, "en", "src", now); err != nil {
					t.Fatalf("claim %s: %v", c.alertKey, err)
				}
				if c.tech == "" {
					continue
				}
				a := art(c.first, clk.Now(), rucn(c.tech), agreement(c.key))
				a.Agreement.Technology = c.tech
				if _, err := old.PutStory(ctxT(t), Story{Article: a, AgreementFirstArticleID: c.first, AgreementAlertKey: c.alertKey}); err != nil {
					t.Fatal(err)
				}
			}
			// A story of another key does not speak for the claim.
			other := art("x1", clk.Now(), rucn("energy"), agreement("rucn:cnnc+ru/energy"))
			other.Agreement.Technology = "energy"
			if _, err := old.PutStory(ctxT(t), Story{Article: other}); err != nil {
				t.Fatal(err)
			}
			old.Close()

			s := mustOpen(t, dsn, Options{Now: clk.Now})
			assertMigrations(t, s)
			rows, err := s.db.Query(`SELECT alert_key, seq, topic, subject FROM agreement_claims ORDER BY seq`)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var k, topic, subject string
				var seq int
				if err := rows.Scan(&k, &seq, &topic, &subject); err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%d %s %s/%s", seq, k, topic, subject))
			}
			rows.Close()
			want := []string{
				"1 " + huaweiKey + " telecom/",
				"2 " + lunarCNSA + " space/lunar",
				"3 " + huaweiKey + "~huawei+nti telecom/",
				"4 " + huaweiAI + " telecom/",
			}
			if !slices.Equal(got, want) {
				t.Errorf("claims after migrating:\n%q\nwant\n%q", got, want)
			}

			clk.Advance(time.Hour)
			for i, st := range []claimStep{
				// The lunar claim is found by its subject under another key and topic.
				{key: "rucn:cn+roscosmos/energy/lunar", tech: "energy", subject: "lunar", cn: "cn", ru: "roscosmos", id: "l2", owner: "l1",
					alert: lunarCNSA, parties: pp("cnsa", "roscosmos"), csubject: "lunar"},
				{key: navCNSA, tech: "space", subject: "navigation", cn: "cnsa", ru: "ru", id: "n1", first: true, isNew: true, owner: "n1",
					parties: pp("cnsa", ""), csubject: "navigation"},
				// Huawei reports naming only Russia join the oldest claim.
				{cn: "huawei", ru: "ru", id: "h4", owner: "h1", alert: huaweiKey, parties: pp("huawei", "mts")},
				{cn: "huawei", ru: "nti", id: "h5", owner: "h2", alert: huaweiKey + "~huawei+nti", parties: pp("huawei", "nti")},
				// The AI key's claim is of telecom, as its story said.
				{key: huaweiAI, tech: "telecom", cn: "huawei", ru: "sber", id: "h6", owner: "h3", alert: huaweiAI,
					parties: pp("huawei", "sber")},
				{key: huaweiAI, tech: "ai", cn: "huawei", ru: "ru", id: "h7", first: true, isNew: true, owner: "h7",
					parties: pp("huawei", "")},
				// A redelivered first article still gets its claim.
				{key: lunarCNSA, tech: "space", subject: "lunar", cn: "cnsa", ru: "ru", id: "l1", first: true, owner: "l1", alert: lunarCNSA,
					parties: pp("cnsa", "roscosmos"), csubject: "lunar"},
			} {
				checkClaim(t, fmt.Sprintf("step %d (%s)", i, st.id), claimOnce(t, s, st), st, st.isNew, true)
			}
		})
	}
}
