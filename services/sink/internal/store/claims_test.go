package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// The coarse keys of the claim tests, shaped as the classifier makes them.
const (
	huaweiKey  = "rucn:huawei+ru/telecom" // Huawei and a Russian side
	mtsKey     = "rucn:cn+mts/telecom"    // a Chinese side and MTS
	countryKey = "rucn:cn+ru/telecom"     // only the countries
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
// the parties the classifier reported, cn and ru.
type claimStep struct {
	advance time.Duration
	key     string
	cn, ru  string
	id      string
	// What the claim must answer: whether the article is first and the
	// claim new, the agreement's first article, its alert key (key with
	// this suffix) and its parties after the call.
	first, isNew bool
	owner        string
	suffix       string
	parties      Parties
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
			name: "distinct keys are distinct agreements",
			steps: []claimStep{
				{cn: "huawei", ru: "mts", id: "a", first: true, isNew: true, owner: "a", parties: Parties{"huawei", "mts"}},
				{key: mtsKey, cn: "huawei", ru: "mts", id: "b", first: true, isNew: true, owner: "b", parties: Parties{"huawei", "mts"}},
			},
			wantAlerts: []string{huaweiKey + " a", mtsKey + " b"},
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
				if _, err := s.ClaimAgreement(ctxT(t), "", Parties{}, claimWindow, claimRef("a")); !errors.Is(err, ErrInvalid) {
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
	key := st.key
	if key == "" {
		key = huaweiKey
	}
	c, err := s.ClaimAgreement(ctxT(t), key, reported(st.cn, st.ru), claimWindow, claimRef(st.id))
	if err != nil {
		t.Fatalf("claim %s by %s: %v", key, st.id, err)
	}
	return c
}

func checkClaim(t *testing.T, what string, c Claim, st claimStep, wantNew, withParties bool) {
	t.Helper()
	key := st.key
	if key == "" {
		key = huaweiKey
	}
	if c.First != st.first || c.New != wantNew || c.FirstArticle.ID != st.owner || c.AlertKey != key+st.suffix {
		t.Errorf("%s: first=%v new=%v owner=%s alert key %s; want first=%v new=%v owner=%s alert key %s",
			what, c.First, c.New, c.FirstArticle.ID, c.AlertKey, st.first, wantNew, st.owner, key+st.suffix)
	}
	if withParties && c.Parties != st.parties {
		t.Errorf("%s: parties %+v, want %+v", what, c.Parties, st.parties)
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

// TestClaimAgreementConcurrent has two replicas decide reports of one key
// at once. Whatever the order, the reports naming MTS make one agreement,
// those naming NTI another, and those naming only Russia join one of them.
func TestClaimAgreementConcurrent(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.dsn(t)
			replicas := []*DB{mustOpen(t, dsn, Options{}), mustOpen(t, dsn, Options{})}
			ru := []string{"ru", "mts", "nti"}
			const n = 18
			claims := make([]Claim, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					c, err := replicas[i%2].ClaimAgreement(context.Background(), huaweiKey, reported("huawei", ru[i%3]),
						claimWindow, claimRef(fmt.Sprint("r", i)))
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
			news := map[string]string{} // alert key → first article
			owner := map[string]string{}
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
				if side := ru[i%3]; side != "ru" {
					if o, seen := owner[side]; seen && o != c.FirstArticle.ID {
						t.Errorf("reports naming %s link to %s and %s", side, o, c.FirstArticle.ID)
					}
					owner[side] = c.FirstArticle.ID
				}
			}
			if len(news) != 2 || owner["mts"] == owner["nti"] {
				t.Errorf("new claims %v, owners %v: want two agreements, MTS's and NTI's", news, owner)
			}
			if _, ok := news[huaweiKey]; !ok {
				t.Errorf("alert keys %v lack the plain key", news)
			}
			// The country-only reports each joined a live claim.
			for i, c := range claims {
				if ru[i%3] == "ru" && c.FirstArticle.ID != owner["mts"] && c.FirstArticle.ID != owner["nti"] {
					t.Errorf("claim %d (Russia only) links to %s, not to either agreement", i, c.FirstArticle.ID)
				}
			}
			checkAlerts(t, replicas[0], []string{huaweiKey + " " + news[huaweiKey], keyOther(news) + " " + news[keyOther(news)]})
		})
	}
}

// keyOther returns the alert key in news that is not the plain one.
func keyOther(news map[string]string) string {
	for k := range news {
		if k != huaweiKey {
			return k
		}
	}
	return ""
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
					c, err := replicas[i%2].ClaimAgreement(context.Background(), "race", reported("huawei", "mts"),
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
