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

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/storetest"
)

// The coarse keys of the claim tests, shaped as the classifier makes them.
const (
	huaweiKey  = "rucn:huawei+ru/telecom" // Huawei and a Russian side
	mtsKey     = "rucn:cn+mts/telecom"    // a Chinese side and MTS
	countryKey = "rucn:cn+ru/telecom"     // only the countries

	// Keys with a subject: one plant's deal keyed by either side, one
	// navigation deal keyed by the countries or by CNSA, CNSA's lunar deal,
	// and CNSA's space deal reported without a subject.
	xudapuRU     = "rucn:cn+rosatom/energy/xudapu"
	xudapuCN     = "rucn:cnnc+ru/energy/xudapu"
	navCountries = "rucn:cn+ru/space/navigation"
	navCNSA      = "rucn:cnsa+ru/space/navigation"
	lunarCNSA    = "rucn:cnsa+ru/space/lunar"
	spaceCNSA    = "rucn:cnsa+ru/space"
)

const claimWindow = 90 * 24 * time.Hour

func claimRef(id string) ArticleRef {
	return ArticleRef{ID: id, URL: "https://news.example/" + id, Title: "T " + id, Lang: "en", SourceID: "src"}
}

// reported returns the parties the classifier would report: Chinese side
// first, a side without an organisation as its country id.
func reported(cn, ru string) Parties {
	return PartiesOf(&newspipev1.EnrichedArticle{Agreement: &newspipev1.Agreement{Detected: true, Parties: []string{cn, ru}}})
}

func TestPartiesOf(t *testing.T) {
	cases := []struct {
		name    string
		parties []string
		want    Parties
	}{
		{"two organisations", []string{"huawei", "mts"}, Parties{CN: "huawei", RU: "mts"}},
		{"Russian side unspecified", []string{"huawei", "ru"}, Parties{CN: "huawei"}},
		{"Chinese side unspecified", []string{"cn", "mts"}, Parties{RU: "mts"}},
		{"only the countries", []string{"cn", "ru"}, Parties{}},
		{"a country on the wrong side is an id like any other", []string{"ru", "cn"}, Parties{CN: "ru", RU: "cn"}},
		{"no parties", nil, Parties{}},
		{"three parties", []string{"huawei", "mts", "nti"}, Parties{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := &newspipev1.EnrichedArticle{Agreement: &newspipev1.Agreement{Detected: true, Parties: tc.parties}}
			if got := PartiesOf(a); got != tc.want {
				t.Errorf("PartiesOf(%v) = %+v, want %+v", tc.parties, got, tc.want)
			}
		})
	}
}

func TestDealOf(t *testing.T) {
	cases := []struct {
		name                   string
		key, subject, tech     string
		wantTopic, wantSubject string
		wantGroup              string
	}{
		{"subject and topic from the key", navCNSA, "", "", "space", "navigation", "s:navigation"},
		{"the subject field where the key has none", spaceCNSA, "lunar", "", "space", "lunar", "s:lunar"},
		{"the subject field outranks the key's", navCNSA, "lunar", "", "space", "lunar", "s:lunar"},
		{"the technology field outranks the key's topic", lunarCNSA, "", "energy", "energy", "lunar", "s:lunar"},
		{"no subject: the topic's group", huaweiKey, "", "", "telecom", "", "t:telecom"},
		{"no subject: the technology's group", huaweiKey, "", "AI ", "ai", "", "t:ai"},
		{"normalised", "rucn:cnnc+ru/Energy/XuDaPu", " ", "", "energy", "xudapu", "s:xudapu"},
		{"a deeper path: its third segment", "rucn:cnsa+ru/space/lunar/extra", "", "", "space", "lunar", "s:lunar"},
		{"a key without a path", "race", "", "", "", "", "t:"},
		{"a key without a path, with fields", "race", "launch", "space", "space", "launch", "s:launch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := &newspipev1.EnrichedArticle{Agreement: &newspipev1.Agreement{Detected: true, Key: tc.key,
				Subject: tc.subject, Technology: tc.tech, Parties: []string{"cnsa", "ru"}}}
			d := DealOf(a)
			want := Deal{Key: tc.key, Subject: tc.wantSubject, Topic: tc.wantTopic, Parties: Parties{CN: "cnsa"}}
			if d != want || d.Group() != tc.wantGroup {
				t.Errorf("DealOf = %+v group %q, want %+v group %q", d, d.Group(), want, tc.wantGroup)
			}
		})
	}
}

func TestPartiesMatches(t *testing.T) {
	cases := []struct {
		name string
		p, q Parties
		want bool
	}{
		{"equal", Parties{"huawei", "mts"}, Parties{"huawei", "mts"}, true},
		{"other side unspecified", Parties{"huawei", ""}, Parties{"huawei", "mts"}, true},
		{"own side unspecified", Parties{"huawei", "mts"}, Parties{"huawei", ""}, true},
		{"both sides unspecified on either", Parties{}, Parties{"zte", "nti"}, true},
		{"Russian sides differ", Parties{"huawei", "mts"}, Parties{"huawei", "nti"}, false},
		{"Chinese sides differ", Parties{"huawei", "mts"}, Parties{"zte", "mts"}, false},
		{"one side matches loosely, the other differs", Parties{"", "mts"}, Parties{"huawei", "nti"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Matches(tc.q); got != tc.want {
				t.Errorf("%+v.Matches(%+v) = %v, want %v", tc.p, tc.q, got, tc.want)
			}
			if got := tc.q.Matches(tc.p); got != tc.want {
				t.Errorf("match is not symmetric: %+v.Matches(%+v) = %v", tc.q, tc.p, got)
			}
		})
	}
}

// claimStep is one report: its article claims key (huaweiKey if empty) with
// the parties the classifier reported, cn and ru, and the agreement's
// subject and technology fields (subject, tech; empty leaves them to the
// key).
type claimStep struct {
	advance       time.Duration
	key           string
	subject, tech string
	cn, ru        string
	id            string
	// What the claim must answer: whether the article is first and the
	// claim new, the agreement's first article, its alert key (alert, or
	// else key with this suffix), and its parties and subject after the
	// call.
	first, isNew bool
	owner        string
	alert        string
	suffix       string
	parties      Parties
	csubject     string
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
	return st.agreementKey() + st.suffix
}

// deal is the deal of the step's report, as the sink reads it off the
// event.
func (st claimStep) deal() Deal {
	return DealOf(&newspipev1.EnrichedArticle{Agreement: &newspipev1.Agreement{Detected: true,
		Key: st.agreementKey(), Subject: st.subject, Technology: st.tech, Parties: []string{st.cn, st.ru}}})
}

func TestClaimAgreement(t *testing.T) {
	const w = claimWindow
	cases := []struct {
		name  string
		steps []claimStep
		// wantAlerts are the alerts raised, as "<alert key> <first article>".
		wantAlerts []string
		// replay sends every report again at the end: each must answer as
		// the first time (not new). Not where claims left the window.
		replay bool
	}{
		{
			name: "country, its organisation, another organisation, then each again",
			steps: []claimStep{
				{cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", ""}},
				{cn: "huawei", ru: "mts", id: "b", owner: "a", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "nti", id: "c", first: true, isNew: true, owner: "c", suffix: "~huawei+nti", parties: Parties{"huawei", "nti"}},
				{cn: "huawei", ru: "ru", id: "d", owner: "a", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "mts", id: "e", owner: "a", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "nti", id: "f", owner: "c", suffix: "~huawei+nti", parties: Parties{"huawei", "nti"}},
			},
			wantAlerts: []string{huaweiKey + " a", huaweiKey + "~huawei+nti c"},
			replay:     true,
		},
		{
			name: "organisation, country, another organisation",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "ru", id: "b", owner: "a", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "nti", id: "c", first: true, isNew: true, owner: "c", suffix: "~huawei+nti", parties: Parties{"huawei", "nti"}},
			},
			wantAlerts: []string{huaweiKey + " a", huaweiKey + "~huawei+nti c"},
			replay:     true,
		},
		{
			name: "the first organisation named refines the claim; a later one is new",
			steps: []claimStep{
				{cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", ""}},
				{cn: "huawei", ru: "nti", id: "b", owner: "a", parties: Parties{"huawei", "nti"}},
				{cn: "huawei", ru: "mts", id: "c", first: true, isNew: true, owner: "c", suffix: "~huawei+mts", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a", huaweiKey + "~huawei+mts c"},
			replay:     true,
		},
		{
			name: "Chinese side unspecified",
			steps: []claimStep{
				{key: mtsKey, cn: "cn", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"", "mts"}},
				{key: mtsKey, cn: "huawei", ru: "mts", id: "b", owner: "a", parties: Parties{"huawei", "mts"}},
				{key: mtsKey, cn: "zte", ru: "mts", id: "c", first: true, isNew: true, owner: "c", suffix: "~zte+mts", parties: Parties{"zte", "mts"}},
				{key: mtsKey, cn: "cn", ru: "mts", id: "d", owner: "a", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{mtsKey + " a", mtsKey + "~zte+mts c"},
			replay:     true,
		},
		{
			name: "a suffix names an unspecified side by its country",
			steps: []claimStep{
				{key: countryKey, cn: "cn", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"", "mts"}},
				{key: countryKey, cn: "cn", ru: "nti", id: "b", first: true, isNew: true, owner: "b", suffix: "~cn+nti", parties: Parties{"", "nti"}},
				{key: countryKey, cn: "huawei", ru: "ru", id: "c", owner: "a", parties: Parties{"huawei", "mts"}},
				{key: countryKey, cn: "cn", ru: "ru", id: "d", owner: "a", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{countryKey + " a", countryKey + "~cn+nti b"},
			replay:     true,
		},
		{
			name: "distinct topics are distinct agreements",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", "mts"}},
				{key: "rucn:huawei+ru/ai", cn: "huawei", ru: "mts", id: "b", first: true, isNew: true, owner: "b", parties: Parties{"huawei", "mts"}},
				// Another key of the same deal is the same agreement.
				{key: mtsKey, cn: "huawei", ru: "mts", id: "c", owner: "a", alert: huaweiKey, parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a", "rucn:huawei+ru/ai b"},
			replay:     true,
		},
		{
			name: "first article claiming again is still first",
			steps: []claimStep{
				{cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", ""}},
				{cn: "huawei", ru: "mts", id: "b", owner: "a", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "ru", id: "a", first: true, owner: "a", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a"},
			replay:     true,
		},
		{
			name: "within the window is the same agreement",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", "mts"}},
				{advance: w - time.Hour, cn: "huawei", ru: "ru", id: "b", owner: "a", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a"},
			replay:     true,
		},
		{
			name: "after the window the agreement is new",
			steps: []claimStep{
				{cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", ""}},
				{advance: w + time.Hour, cn: "huawei", ru: "mts", id: "b", first: true, isNew: true, owner: "b", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "ru", id: "a", owner: "b", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a", huaweiKey + " b"},
		},
		{
			name: "first article after the window does not re-alert",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", "mts"}},
				{advance: w + time.Hour, cn: "huawei", ru: "mts", id: "a", first: true, owner: "a", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a"},
		},
		{
			name: "a later claim outlives the first, which frees the plain key",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", "mts"}},
				{advance: w / 2, cn: "huawei", ru: "nti", id: "c", first: true, isNew: true, owner: "c", suffix: "~huawei+nti", parties: Parties{"huawei", "nti"}},
				{advance: w/2 + time.Hour, cn: "huawei", ru: "sber", id: "d", first: true, isNew: true, owner: "d", parties: Parties{"huawei", "sber"}},
				{cn: "huawei", ru: "nti", id: "e", owner: "c", suffix: "~huawei+nti", parties: Parties{"huawei", "nti"}},
				{cn: "huawei", ru: "mts", id: "f", first: true, isNew: true, owner: "f", suffix: "~huawei+mts", parties: Parties{"huawei", "mts"}},
				// Of the three live claims it matches, the oldest.
				{cn: "huawei", ru: "ru", id: "g", owner: "c", suffix: "~huawei+nti", parties: Parties{"huawei", "nti"}},
			},
			wantAlerts: []string{huaweiKey + " a", huaweiKey + "~huawei+nti c", huaweiKey + " d", huaweiKey + "~huawei+mts f"},
		},
		// Reports of one deal whose keys differ: each side's organisation
		// anchors the key of the report that names it.
		{
			name: "a plant's deal keyed by the Russian organisation, then by the Chinese one",
			steps: []claimStep{
				{key: xudapuRU, cn: "cn", ru: "rosatom", id: "a", first: true, isNew: true, owner: "a", alert: xudapuRU,
					parties: Parties{"", "rosatom"}, csubject: "xudapu"},
				{key: xudapuCN, subject: "xudapu", tech: "energy", cn: "cnnc", ru: "ru", id: "b", owner: "a", alert: xudapuRU,
					parties: Parties{"cnnc", "rosatom"}, csubject: "xudapu"},
			},
			wantAlerts: []string{xudapuRU + " a"},
			replay:     true,
		},
		{
			name: "a navigation deal keyed by the countries, then by CNSA",
			steps: []claimStep{
				{key: navCountries, cn: "cn", ru: "ru", id: "a", first: true, isNew: true, owner: "a", alert: navCountries,
					csubject: "navigation"},
				{key: navCNSA, cn: "cnsa", ru: "ru", id: "b", owner: "a", alert: navCountries,
					parties: Parties{CN: "cnsa"}, csubject: "navigation"},
				{key: navCountries, cn: "cn", ru: "roscosmos", id: "c", owner: "a", alert: navCountries,
					parties: Parties{"cnsa", "roscosmos"}, csubject: "navigation"},
			},
			wantAlerts: []string{navCountries + " a"},
			replay:     true,
		},
		{
			name: "a lunar deal whose reports differ in the topic too",
			steps: []claimStep{
				{key: lunarCNSA, cn: "cnsa", ru: "ru", id: "a", first: true, isNew: true, owner: "a", alert: lunarCNSA,
					parties: Parties{CN: "cnsa"}, csubject: "lunar"},
				{key: "rucn:cn+rosatom/energy/lunar", tech: "energy", cn: "cn", ru: "rosatom", id: "b", owner: "a",
					alert: lunarCNSA, parties: Parties{"cnsa", "rosatom"}, csubject: "lunar"},
			},
			wantAlerts: []string{lunarCNSA + " a"},
			replay:     true,
		},
		{
			name: "a deal keyed by the Russian organisation joins; a third organisation is a new deal",
			steps: []claimStep{
				{cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: Parties{CN: "huawei"}},
				{key: "rucn:huawei+mts/telecom", cn: "huawei", ru: "mts", id: "b", owner: "a", alert: huaweiKey,
					parties: Parties{"huawei", "mts"}},
				{key: "rucn:huawei+nti/telecom", cn: "huawei", ru: "nti", id: "c", first: true, isNew: true, owner: "c",
					parties: Parties{"huawei", "nti"}},
				{cn: "huawei", ru: "ru", id: "d", owner: "a", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a", "rucn:huawei+nti/telecom c"},
			replay:     true,
		},
		{
			name: "a lunar deal and a navigation deal of the same parties are two",
			steps: []claimStep{
				{key: lunarCNSA, cn: "cnsa", ru: "roscosmos", id: "a", first: true, isNew: true, owner: "a",
					parties: Parties{"cnsa", "roscosmos"}, csubject: "lunar"},
				{key: navCNSA, cn: "cnsa", ru: "roscosmos", id: "b", first: true, isNew: true, owner: "b",
					parties: Parties{"cnsa", "roscosmos"}, csubject: "navigation"},
				{key: lunarCNSA, cn: "cnsa", ru: "ru", id: "c", owner: "a", parties: Parties{"cnsa", "roscosmos"}, csubject: "lunar"},
				{key: navCountries, cn: "cn", ru: "ru", id: "d", owner: "b", alert: navCNSA,
					parties: Parties{"cnsa", "roscosmos"}, csubject: "navigation"},
			},
			wantAlerts: []string{lunarCNSA + " a", navCNSA + " b"},
			replay:     true,
		},
		{
			name: "a report without a subject joins the claim of its parties and topic",
			steps: []claimStep{
				{key: lunarCNSA, cn: "cnsa", ru: "ru", id: "a", first: true, isNew: true, owner: "a",
					parties: Parties{CN: "cnsa"}, csubject: "lunar"},
				{key: spaceCNSA, cn: "cnsa", ru: "roscosmos", id: "b", owner: "a", alert: lunarCNSA,
					parties: Parties{"cnsa", "roscosmos"}, csubject: "lunar"},
				// Of another topic, it is another deal.
				{key: "rucn:cnsa+ru/energy", cn: "cnsa", ru: "ru", id: "c", first: true, isNew: true, owner: "c",
					parties: Parties{CN: "cnsa"}},
				// With a party the claim contradicts, too.
				{key: spaceCNSA, cn: "cnsa", ru: "rosatom", id: "d", first: true, isNew: true, owner: "d",
					parties: Parties{"cnsa", "rosatom"}},
			},
			wantAlerts: []string{lunarCNSA + " a", "rucn:cnsa+ru/energy c", spaceCNSA + " d"},
			replay:     true,
		},
		{
			name: "a report with a subject gives it to the claim without one",
			steps: []claimStep{
				{key: spaceCNSA, cn: "cnsa", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: Parties{CN: "cnsa"}},
				{key: lunarCNSA, cn: "cnsa", ru: "roscosmos", id: "b", owner: "a", alert: spaceCNSA,
					parties: Parties{"cnsa", "roscosmos"}, csubject: "lunar"},
				// Another subject is another deal, even of the same parties.
				{key: navCNSA, cn: "cnsa", ru: "ru", id: "c", first: true, isNew: true, owner: "c",
					parties: Parties{CN: "cnsa"}, csubject: "navigation"},
				// Without a subject, the oldest claim of the topic.
				{key: spaceCNSA, cn: "cnsa", ru: "ru", id: "d", owner: "a", parties: Parties{"cnsa", "roscosmos"}, csubject: "lunar"},
				// A report with a subject does not join a claim without one
				// of another topic: the topic is all they could share.
				{key: "rucn:cnsa+ru/energy", cn: "cnsa", ru: "ru", id: "e", first: true, isNew: true, owner: "e",
					parties: Parties{CN: "cnsa"}},
				{key: "rucn:cnsa+ru/space/launch", cn: "cnsa", ru: "ru", id: "f", first: true, isNew: true, owner: "f",
					parties: Parties{CN: "cnsa"}, csubject: "launch"},
			},
			wantAlerts: []string{spaceCNSA + " a", navCNSA + " c", "rucn:cnsa+ru/energy e", "rucn:cnsa+ru/space/launch f"},
			replay:     true,
		},
		{
			name: "the subject field outranks the key, the technology field the key's topic",
			steps: []claimStep{
				{key: spaceCNSA, subject: " Lunar", cn: "cnsa", ru: "ru", id: "a", first: true, isNew: true, owner: "a",
					alert: spaceCNSA, parties: Parties{CN: "cnsa"}, csubject: "lunar"},
				{key: "rucn:cnsa+ru/space/navigation", subject: "lunar", cn: "cnsa", ru: "ru", id: "b", owner: "a",
					alert: spaceCNSA, parties: Parties{CN: "cnsa"}, csubject: "lunar"},
				// The key's topic is space, its technology energy: another
				// deal than a space one without a subject.
				{key: spaceCNSA, tech: "energy", cn: "cnsa", ru: "ru", id: "c", first: true, isNew: true, owner: "c",
					suffix: "~cnsa+ru", parties: Parties{CN: "cnsa"}},
			},
			wantAlerts: []string{spaceCNSA + " a", spaceCNSA + "~cnsa+ru c"},
			replay:     true,
		},
		{
			name: "one key, two technologies: two deals, the second under a suffix",
			steps: []claimStep{
				{tech: "telecom", cn: "huawei", ru: "ru", id: "a", first: true, isNew: true, owner: "a", parties: Parties{CN: "huawei"}},
				{tech: "ai", cn: "huawei", ru: "ru", id: "b", first: true, isNew: true, owner: "b", suffix: "~huawei+ru",
					parties: Parties{CN: "huawei"}},
				{tech: "ai", cn: "huawei", ru: "mts", id: "c", owner: "b", suffix: "~huawei+ru", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a", huaweiKey + "~huawei+ru b"},
			replay:     true,
		},
		{
			name: "a subject claim's window ends like any other",
			steps: []claimStep{
				{key: lunarCNSA, cn: "cnsa", ru: "roscosmos", id: "a", first: true, isNew: true, owner: "a",
					parties: Parties{"cnsa", "roscosmos"}, csubject: "lunar"},
				{advance: w + time.Hour, key: spaceCNSA, cn: "cnsa", ru: "ru", id: "b", first: true, isNew: true, owner: "b",
					parties: Parties{CN: "cnsa"}},
				{key: "rucn:cn+roscosmos/space/lunar", cn: "cn", ru: "roscosmos", id: "c", owner: "b", alert: spaceCNSA,
					parties: Parties{"cnsa", "roscosmos"}, csubject: "lunar"},
			},
			wantAlerts: []string{lunarCNSA + " a", spaceCNSA + " b"},
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
			t.Run("a taken suffix moves on to a numbered one", func(t *testing.T) {
				// Party ids holding '+' give two different pairs one suffix.
				s := b.open(t, Options{Now: newClock().Now})
				steps := []claimStep{
					{cn: "x", ru: "a+b", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"x", "a+b"}},
					{cn: "x+a", ru: "b", id: "b", first: true, isNew: true, owner: "b", suffix: "~x+a+b", parties: Parties{"x+a", "b"}},
					{cn: "x", ru: "a+b", id: "c", owner: "a", parties: Parties{"x", "a+b"}},
					{cn: "x", ru: "a+b+c", id: "d", first: true, isNew: true, owner: "d", suffix: "~x+a+b+c", parties: Parties{"x", "a+b+c"}},
					{cn: "x+a", ru: "b+c", id: "e", first: true, isNew: true, owner: "e", suffix: "~x+a+b+c~2", parties: Parties{"x+a", "b+c"}},
				}
				for i, st := range steps {
					checkClaim(t, fmt.Sprintf("step %d", i), claimOnce(t, s, st), st, st.isNew, true)
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
	if withParties && (c.Parties != st.parties || c.Subject != st.csubject) {
		t.Errorf("%s: parties %+v subject %q, want %+v %q", what, c.Parties, c.Subject, st.parties, st.csubject)
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
	{claimStep{key: lunarCNSA, cn: "cnsa", ru: "ru"}, []string{"lunar"}},
	{claimStep{key: "rucn:cn+roscosmos/energy/lunar", tech: "energy", cn: "cn", ru: "roscosmos"}, []string{"lunar"}},
	{claimStep{key: spaceCNSA, subject: "lunar", cn: "cnsa", ru: "roscosmos"}, []string{"lunar"}},
	{claimStep{key: navCNSA, cn: "cnsa", ru: "ru"}, []string{"navigation"}},
	{claimStep{key: navCountries, cn: "cn", ru: "ru"}, []string{"navigation"}},
	{claimStep{key: "rucn:zte+ru/telecom/mobile", cn: "zte", ru: "ru"}, []string{"zte"}},
	{claimStep{key: "rucn:zte+ru/telecom", cn: "zte", ru: "mts"}, []string{"zte"}},
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
	lunar := claimStep{key: lunarCNSA, cn: "cnsa", ru: "ru", id: "a"}
	if c := claimOnce(t, other, lunar); !c.New {
		t.Fatalf("claim a: %+v, want new", c)
	}
	// A report of the lunar deal of another topic, naming Roscosmos, is
	// decided while the report below holds its claim read.
	roscosmos := claimStep{key: "rucn:cn+roscosmos/energy/lunar", tech: "energy", cn: "cn", ru: "roscosmos", id: "b"}
	var raced Claim
	hooks := 0
	s := mustOpen(t, dsn, Options{beforeRefine: func() {
		if hooks++; hooks == 1 {
			raced = claimOnce(t, other, roscosmos)
		}
	}})
	// A space report without a subject, naming Rosatom: it matched the claim as read.
	rosatom := claimStep{key: spaceCNSA, cn: "cnsa", ru: "rosatom", id: "c"}
	c := claimOnce(t, s, rosatom)
	if hooks != 1 || raced.FirstArticle.ID != "a" || raced.Parties != (Parties{"cnsa", "roscosmos"}) {
		t.Fatalf("the racing report ran %d times and joined %+v, want once, a with Roscosmos", hooks, raced)
	}
	if !c.New || c.AlertKey != spaceCNSA || c.Parties != (Parties{"cnsa", "rosatom"}) {
		t.Errorf("report naming Rosatom: %+v, want a new claim %s of CNSA and Rosatom", c, spaceCNSA)
	}
	// The lunar claim kept Roscosmos.
	again := claimOnce(t, s, claimStep{key: lunarCNSA, cn: "cnsa", ru: "ru", id: "d"})
	if again.FirstArticle.ID != "a" || again.Parties != (Parties{"cnsa", "roscosmos"}) {
		t.Errorf("lunar claim after the race: %+v, want a with Roscosmos", again)
	}
	checkAlerts(t, s, []string{lunarCNSA + " a", spaceCNSA + " c"})
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
					c, err := replicas[i%2].ClaimAgreement(context.Background(), Deal{Key: "race", Parties: reported("huawei", "mts")},
						claimWindow, claimRef(fmt.Sprint("r", i)))
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
				if c.FirstArticle.ID != claims[0].FirstArticle.ID || c.AlertKey != "race" {
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
				{cn: "huawei", ru: "mts", id: "b", owner: "a", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "nti", id: "c", first: true, isNew: true, owner: "c", suffix: "~huawei+nti", parties: Parties{"huawei", "nti"}},
				{cn: "huawei", ru: "ru", id: "a", first: true, owner: "a", parties: Parties{"huawei", "mts"}},
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
				{key: "rucn:cn+roscosmos/energy/lunar", tech: "energy", cn: "cn", ru: "roscosmos", id: "l2", owner: "l1",
					alert: lunarCNSA, parties: Parties{"cnsa", "roscosmos"}, csubject: "lunar"},
				{key: navCNSA, cn: "cnsa", ru: "ru", id: "n1", first: true, isNew: true, owner: "n1",
					parties: Parties{CN: "cnsa"}, csubject: "navigation"},
				// Huawei reports naming only Russia join the oldest claim.
				{cn: "huawei", ru: "ru", id: "h4", owner: "h1", parties: Parties{"huawei", "mts"}},
				{cn: "huawei", ru: "nti", id: "h5", owner: "h2", suffix: "~huawei+nti", parties: Parties{"huawei", "nti"}},
				// The AI key's claim is of telecom, as its story said.
				{key: huaweiAI, tech: "telecom", cn: "huawei", ru: "sber", id: "h6", owner: "h3", alert: huaweiAI,
					parties: Parties{"huawei", "sber"}},
				{key: huaweiAI, cn: "huawei", ru: "ru", id: "h7", first: true, isNew: true, owner: "h7", suffix: "~huawei+ru",
					parties: Parties{CN: "huawei"}},
				// A redelivered first article still gets its claim.
				{key: lunarCNSA, cn: "cnsa", ru: "ru", id: "l1", first: true, owner: "l1", parties: Parties{"cnsa", "roscosmos"},
					csubject: "lunar"},
			} {
				checkClaim(t, fmt.Sprintf("step %d (%s)", i, st.id), claimOnce(t, s, st), st, st.isNew, true)
			}
		})
	}
}
