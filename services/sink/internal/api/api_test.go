package api

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// now is the fixed clock of the tests: stored_at and since=… count from it.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

func art(id string, published time.Time, rucn bool, topics ...string) *newspipev1.EnrichedArticle {
	a := &newspipev1.EnrichedArticle{
		Article: &newspipev1.CleanArticle{
			Id: id, Url: "https://news.example/" + id, CanonicalUrl: "https://news.example/" + id,
			SourceId: "example", Title: "Story " + id, Lang: "en", SiteName: "Example News",
			Byline: "A. Writer", PublishedAt: timestamppb.New(published),
			Paragraphs: []string{"First paragraph written for the API tests.", "Second paragraph."},
		},
		RuCnTech: rucn, Topics: topics, TaxonomyVersion: "test-1",
		Times: &newspipev1.StageTimes{FetchedAt: timestamppb.New(published.Add(time.Minute)), ClassifiedAt: timestamppb.New(published.Add(2 * time.Minute))},
	}
	if len(topics) > 0 {
		a.PrimaryTopic = topics[0]
	}
	if rucn {
		a.Score = 0.87
		a.Evidence = []*newspipev1.Evidence{{Tag: "ru_cn_tech", Sentence: "An evidence sentence for " + id + "."}}
	}
	return a
}

func withAgreement(a *newspipev1.EnrichedArticle, key string) *newspipev1.EnrichedArticle {
	a.Agreement = &newspipev1.Agreement{Detected: true, Stage: "signed", Kind: "agreement",
		Parties: []string{"org:alpha", "org:beta"}, Technology: "telecom", Subject: "mobile", Date: "2026-02-20",
		Evidence: "Alpha and Beta signed a network agreement.", Key: key}
	a.Entities = []*newspipev1.Entity{
		{Id: "org:alpha", Name: "Alpha Telecom", Kind: "org", Country: "ru", Count: 3},
		{Id: "org:beta", Name: "Beta Networks", Kind: "org", Country: "cn", Count: 2},
	}
	return a
}

// fixture is a store with stories s1…s5 (s5 newest) and one alert.
func fixture(t *testing.T) (*API, *store.DB) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "api.db"), store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := func(n int) time.Time { return now.Add(-time.Duration(n) * time.Hour) }
	stories := []*newspipev1.EnrichedArticle{
		art("s1", h(50), true, "telecom"),
		withAgreement(art("s2", h(30), true, "telecom", "ai"), "alpha-beta-telecom"),
		art("s3", h(20), false),
		withAgreement(art("s4", h(10), true, "telecom"), "alpha-beta-telecom"),
		art("s5", h(1), true, "space"),
	}
	stories[4].Article.Title = `Rockets <script>alert("x")</script> & "satellites"`
	for _, a := range stories {
		link, alertKey := "", ""
		if k := a.GetAgreement().GetKey(); k != "" {
			c, err := st.ClaimAgreement(ctx, store.DealOf(a, time.Now()), 90*24*time.Hour, store.RefOf(a))
			if err != nil {
				t.Fatal(err)
			}
			link, alertKey = c.FirstArticle.ID, c.AlertKey
		}
		if _, err := st.PutStory(ctx, store.Story{Article: a, AgreementFirstArticleID: link, AgreementAlertKey: alertKey}); err != nil {
			t.Fatal(err)
		}
	}
	return New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Now: clock}), st
}

func get(t *testing.T, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("content type %q, want JSON", ct)
	}
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
	return v
}

type listResp struct {
	Stories []struct {
		ID                      string   `json:"id"`
		RuCnTech                bool     `json:"ru_cn_tech"`
		Topics                  []string `json:"topics"`
		AgreementFirstArticleID string   `json:"agreement_first_article_id"`
		Paragraphs              []string `json:"paragraphs"`
	} `json:"stories"`
	NextCursor string `json:"next_cursor"`
}

func (l listResp) ids() string {
	var ids []string
	for _, s := range l.Stories {
		ids = append(ids, s.ID)
	}
	return strings.Join(ids, ",")
}

func TestListStories(t *testing.T) {
	a, _ := fixture(t)
	cases := []struct {
		name  string
		query string
		want  string
	}{
		{"all, newest first", "", "s5,s4,s3,s2,s1"},
		{"rucn", "rucn=true", "s5,s4,s2,s1"},
		{"not rucn", "rucn=false", "s3"},
		{"topic, any position", "topic=ai", "s2"},
		{"topic, upper case", "topic=TELECOM", "s4,s2,s1"},
		{"agreement", "agreement=true", "s4,s2"},
		{"no agreement", "agreement=false&rucn=true", "s5,s1"},
		{"since duration", "since=24h", "s5,s4,s3"},
		{"since days", "since=2d", "s5,s4,s3,s2"},
		{"since time", "since=2026-03-01T00:00:00Z", "s5,s4"},
		{"since far past", "since=1000-01-01T00:00:00Z", "s5,s4,s3,s2,s1"},
		{"limit", "limit=2", "s5,s4"},
		{"until is exclusive", "until=2026-03-01T02:00:00Z", "s3,s2,s1"},
		{"since and until", "since=2d&until=24h", "s2"},
		{"days, both inclusive", "since=2026-02-28&until=2026-02-28", "s3,s2"},
		{"stored since: arrival, not publication", "stored_since=2026-03-01T12:00:00Z", "s5,s4,s3,s2,s1"},
		{"stored until", "stored_until=1h", ""},
		{"nothing matches", "topic=quantum", ""},
		{"search", "q=story+s4", "s4"},
		{"search and filter", "q=paragraph&agreement=true", "s4,s2"},
		{"empty search is no search", "q=&rucn=false", "s3"},
		{"entity", "entity=org:alpha", "s4,s2"},
		{"language and source", "lang=en&source=example&topic=space", "s5"},
		{"stage", "stage=signed", "s4,s2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, a, "/api/stories?"+tc.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if got := decode[listResp](t, rec).ids(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("lists carry no text but the link", func(t *testing.T) {
		l := decode[listResp](t, get(t, a, "/api/stories?agreement=true"))
		for _, s := range l.Stories {
			if s.Paragraphs != nil {
				t.Errorf("%s: list item has paragraphs", s.ID)
			}
			if s.AgreementFirstArticleID != "s2" {
				t.Errorf("%s: agreement_first_article_id %q, want s2", s.ID, s.AgreementFirstArticleID)
			}
		}
	})
	for _, tc := range []struct{ name, param, limit, want string }{
		{"next_cursor pages through with cursor", "cursor", "3", "s5,s4,s2|s1"},
		{"before is cursor's old name", "before", "3", "s5,s4,s2|s1"},
		{"a full last page has no next_cursor", "cursor", "2", "s5,s4|s2,s1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen []string
			q := "/api/stories?rucn=true&limit=" + tc.limit
			for q != "" && len(seen) < 5 {
				l := decode[listResp](t, get(t, a, q))
				seen = append(seen, l.ids())
				q = ""
				if l.NextCursor != "" {
					q = "/api/stories?rucn=true&limit=" + tc.limit + "&" + tc.param + "=" + url.QueryEscape(l.NextCursor)
				}
			}
			if got := strings.Join(seen, "|"); got != tc.want {
				t.Errorf("pages %q, want %s", got, tc.want)
			}
		})
	}
}

func TestBadParams(t *testing.T) {
	a, _ := fixture(t)
	cases := []struct {
		name, target, wantInError string
	}{
		{"rucn not a bool", "/api/stories?rucn=yes", "rucn"},
		{"agreement empty", "/api/stories?agreement=", "agreement"},
		{"repeated parameter", "/api/stories?rucn=true&rucn=false", "rucn"},
		{"limit zero", "/api/stories?limit=0", "limit"},
		{"limit too big", "/api/stories?limit=501", "limit"},
		{"limit not a number", "/api/stories?limit=ten", "limit"},
		{"since word", "/api/stories?since=yesterday", "since"},
		{"since negative", "/api/stories?since=-5h", "since"},
		{"since zero days", "/api/stories?since=0d", "since"},
		{"topic with space", "/api/stories?topic=a+b", "topic"},
		{"topic too long", "/api/stories?topic=" + strings.Repeat("x", 65), "topic"},
		{"before garbage", "/api/stories?before=%21%21", "before"},
		{"cursor garbage", "/api/stories?cursor=%21%21", "cursor"},
		{"cursor and before", "/api/stories?cursor=a&before=b", "cursor"},
		{"until word", "/api/stories?until=tomorrow", "until"},
		{"stored_since word", "/api/stories?stored_since=today", "stored_since"},
		{"unknown parameter", "/api/stories?utm_source=x", "utm_source"},
		{"search for punctuation only", "/api/stories?q=%22%21%22", "q"},
		{"search too long", "/api/stories?q=" + strings.Repeat("a", 600), "q"},
		{"entity with space", "/api/stories?entity=a+b", "entity"},
		{"lang too long", "/api/stories?lang=" + strings.Repeat("e", 17), "lang"},
		{"misspelt filter", "/api/stories?topics=space", "topics"},
		{"alerts limit", "/api/alerts?limit=-1", "limit"},
		{"alerts unknown parameter", "/api/alerts?rucn=true", "rucn"},
		{"story takes no parameter", "/api/stories/s1?full=1", "full"},
		// PostgreSQL refuses NUL in a text parameter: these must never reach
		// a store as queries (they were 500s).
		{"NUL in a story id", "/api/stories/s%001", "NUL"},
		{"NUL in a story page id", "/stories/s%001", "NUL"},
		{"NUL in a deal key", "/deals/alpha%00beta", "NUL"},
		{"NUL in a search", "/api/stories?q=huawei%00", "NUL"},
		{"NUL in a parameter name", "/api/stories?to%00pic=x", "NUL"},
		{"id not UTF-8", "/api/stories/%ff%fe", "UTF-8"},
		{"search not UTF-8", "/?q=%c3%28", "UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, a, tc.target)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			e := decode[errorJSON](t, rec)
			if !strings.Contains(e.Error, tc.wantInError) {
				t.Errorf("error %q does not name %q", e.Error, tc.wantInError)
			}
		})
	}
}

func TestGetStory(t *testing.T) {
	a, _ := fixture(t)
	t.Run("golden", func(t *testing.T) {
		rec := get(t, a, "/api/stories/s4")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		golden(t, "story.golden.json", rec.Body.Bytes())
	})
	cases := []struct {
		name, target string
		status       int
	}{
		{"unknown id", "/api/stories/nope", http.StatusNotFound},
		{"unknown api path", "/api/nothing", http.StatusNotFound},
		{"escaped id", "/api/stories/s1%2F..", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, a, tc.target)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if e := decode[errorJSON](t, rec); e.Error == "" {
				t.Error("no error message")
			}
		})
	}
	t.Run("wrong method", func(t *testing.T) {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/stories", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Fatalf("status %d, want 405", rec.Code)
		}
	})
}

func TestAlerts(t *testing.T) {
	a, _ := fixture(t)
	rec := get(t, a, "/api/alerts")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	golden(t, "alerts.golden.json", rec.Body.Bytes())
	got := decode[alertsListJSON](t, rec)
	if len(got.Alerts) != 1 {
		t.Fatalf("%d alerts, want 1", len(got.Alerts))
	}
	al := got.Alerts[0]
	if al.FirstArticle.ID != "s2" || al.ReportCount != 2 || strings.Join(al.PartyNames, ",") != "Alpha Telecom,Beta Networks" {
		t.Errorf("alert = %+v", al)
	}
}

// TestAlertsDistinctAgreements lists two deals that share a coarse agreement
// key: each is an alert of its own, under its alert key, and each story links
// to its own deal.
func TestAlertsDistinctAgreements(t *testing.T) {
	const key = "rucn:huawei+ru/telecom"
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "api.db"), store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	deal := func(id string, ru string, h int) *newspipev1.EnrichedArticle {
		a := withAgreement(art(id, now.Add(-time.Duration(h)*time.Hour), true, "telecom"), key)
		a.Agreement.Parties = []string{"huawei", ru}
		return a
	}
	for _, a := range []*newspipev1.EnrichedArticle{deal("c1", "ru", 3), deal("m1", "mts", 2), deal("n1", "nti", 1)} {
		c, err := st.ClaimAgreement(ctx, store.DealOf(a, time.Now()), 90*24*time.Hour, store.RefOf(a))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.PutStory(ctx, store.Story{Article: a, AgreementFirstArticleID: c.FirstArticle.ID, AgreementAlertKey: c.AlertKey}); err != nil {
			t.Fatal(err)
		}
	}
	a := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Now: clock})

	got := map[string]string{}
	for _, al := range decode[alertsListJSON](t, get(t, a, "/api/alerts")).Alerts {
		got[al.Key] = fmt.Sprintf("%s/%d", al.FirstArticle.ID, al.ReportCount)
	}
	// The deals were signed on the agreement's date (withAgreement): their
	// alert keys carry its month, the second one a suffix.
	first, second := key+"@2026-02", key+"@2026-02~2"
	want := map[string]string{first: "c1/2", second: "n1/1"}
	if !maps.Equal(got, want) {
		t.Errorf("alerts (key: first article/reports) %v, want %v", got, want)
	}
	for id, want := range map[string]string{"c1": "c1 " + first, "m1": "c1 " + first, "n1": "n1 " + second} {
		s := decode[storyJSON](t, get(t, a, "/api/stories/"+id))
		if s.AgreementFirstArticleID+" "+s.AgreementAlertKey != want || s.Agreement == nil || s.Agreement.Key != key {
			t.Errorf("story %s: link %q alert key %q agreement %+v, want %q and key %s",
				id, s.AgreementFirstArticleID, s.AgreementAlertKey, s.Agreement, want, key)
		}
	}
}

func TestPage(t *testing.T) {
	a, _ := fixture(t)
	rec := get(t, a, "/")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
	for _, want := range []string{
		"Story s4", "Alpha Telecom · Beta Networks", "2 reports",
		"Rockets &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;satellites&#34;",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, unwanted := range []string{"<script>", "Story s3"} { // s3 is not a Russia–China story
		if strings.Contains(body, unwanted) {
			t.Errorf("page contains %q", unwanted)
		}
	}
	if rec := get(t, a, "/elsewhere"); rec.Code != http.StatusNotFound {
		t.Errorf("/elsewhere: status %d, want 404", rec.Code)
	}
}

// feedOf fetches target and decodes the feed, checking what RFC 4287
// requires of a feed and of each entry.
func feedOf(t *testing.T, a http.Handler, target string) atomFeed {
	t.Helper()
	rec := get(t, a, target)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("%s: status %d, type %q: %s", target, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var f atomFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatalf("%s: feed is not XML: %v", target, err)
	}
	if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.ID == "" || f.Title == "" || f.Author.Name == "" {
		t.Errorf("%s: feed lacks namespace, id, title or author: %+v", target, f)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("%s: feed updated %q is not an RFC 3339 date", target, f.Updated)
	}
	if !slices.ContainsFunc(f.Links, func(l atomLink) bool { return l.Rel == "self" }) {
		t.Errorf("%s: no self link", target)
	}
	ids := map[string]bool{}
	for _, e := range f.Entries {
		if ids[e.ID] || e.Title.Body == "" || !strings.HasPrefix(e.ID, "urn:") {
			t.Errorf("%s: entry id %q repeated, not a URI, or untitled", target, e.ID)
		}
		ids[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("%s: entry %s updated %q", target, e.ID, e.Updated)
		}
		if !slices.ContainsFunc(e.Links, func(l atomLink) bool { return l.Rel == "alternate" }) && e.Summary == nil {
			t.Errorf("%s: entry %s has neither an alternate link nor content", target, e.ID)
		}
	}
	return f
}

func entryIDs(f atomFeed) string {
	var ids []string
	for _, e := range f.Entries {
		ids = append(ids, strings.TrimPrefix(e.ID, "urn:newspipe:article:"))
	}
	return strings.Join(ids, ",")
}

func TestFeed(t *testing.T) {
	a, st := fixture(t)
	putEvidenceStory(t, st)
	cases := []struct{ name, target, want string }{
		{"bare: Russia–China stories", "/feed.atom", "s5,ru1,s4,s2,s1"},
		{"filtered like the API", "/feed.atom?topic=telecom&lang=en", "s4,s2,s1"},
		{"search", "/feed.atom?q=%D0%BA%D0%BE%D0%BD%D1%82%D1%80%D0%B0%D0%BA%D1%82", "ru1"}, // контракт
		{"one deal", "/feed.atom?deal=alpha-beta-telecom%402026-02", "ru1,s4,s2"},
		{"all stories", "/feed.atom?rucn=", "s5,ru1,s4,s3,s2,s1"},
		{"limit", "/feed.atom?limit=2", "s5,ru1"},
		{"nothing", "/feed.atom?topic=quantum", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := entryIDs(feedOf(t, a, tc.target)); got != tc.want {
				t.Errorf("entries %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("entries", func(t *testing.T) {
		f := feedOf(t, a, "/feed.atom")
		if f.Entries[0].Title.Body != `Rockets <script>alert("x")</script> & "satellites"` {
			t.Errorf("title did not survive escaping: %q", f.Entries[0].Title.Body)
		}
		if s := f.Entries[0].Summary; s == nil || s.Body != "First paragraph written for the API tests." {
			t.Errorf("summary %+v, want the lead", s)
		}
		ru := f.Entries[1]
		if ru.Summary == nil || ru.Summary.Body != "МТС и Huawei подписали контракт на сеть 5G. Работы начнутся весной." {
			t.Errorf("ru1 summary %+v, want its lead, not the short opening line", ru.Summary)
		}
		if ru.Links[0].Rel != "alternate" || ru.Links[0].Href != "https://vostok.example/news/1" || ru.Links[0].HrefLang != "ru" {
			t.Errorf("ru1 links %+v, want the canonical article first", ru.Links)
		}
	})
	t.Run("one feed, one id, whatever the order of its parameters", func(t *testing.T) {
		if x, y := feedOf(t, a, "/feed.atom?lang=en&topic=telecom").ID, feedOf(t, a, "/feed.atom?topic=telecom&lang=en").ID; x != y {
			t.Errorf("ids %q and %q", x, y)
		}
	})
	t.Run("conditional requests", func(t *testing.T) {
		rec := get(t, a, "/feed.atom")
		etag, lm := rec.Header().Get("ETag"), rec.Header().Get("Last-Modified")
		if etag == "" || lm == "" {
			t.Fatalf("ETag %q, Last-Modified %q", etag, lm)
		}
		for name, h := range map[string][2]string{
			"etag":        {"If-None-Match", etag},
			"etag listed": {"If-None-Match", `"other", ` + etag},
			"date":        {"If-Modified-Since", lm},
		} {
			req := httptest.NewRequest(http.MethodGet, "/feed.atom", nil)
			req.Header.Set(h[0], h[1])
			rec := httptest.NewRecorder()
			a.ServeHTTP(rec, req)
			if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
				t.Errorf("%s: status %d with %d bytes, want 304 and none", name, rec.Code, rec.Body.Len())
			}
		}
		req := httptest.NewRequest(http.MethodGet, "/feed.atom?topic=telecom", nil)
		req.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("another feed with this ETag: status %d, want 200", rec.Code)
		}
	})
	for _, target := range []string{"/feed.atom?topic=a+b", "/feed.atom?cursor=x", "/feed.atom?utm_source=x", "/feed.atom?deal=a+b"} {
		t.Run("bad "+target, func(t *testing.T) {
			rec := get(t, a, target)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
			if e := decode[errorJSON](t, rec); e.Error == "" {
				t.Error("no error message")
			}
		})
	}
}

// failing is a store whose every call fails.
type failing struct{}

var errDown = errors.New("database down")

func (failing) GetStory(context.Context, string) (store.Story, error) { return store.Story{}, errDown }
func (failing) ListStories(context.Context, store.Filter) ([]store.Story, error) {
	return nil, errDown
}
func (failing) ListAlerts(context.Context, int) ([]store.Alert, error) { return nil, errDown }
func (failing) GetAlert(context.Context, string) (store.Alert, error)  { return store.Alert{}, errDown }
func (failing) ListSources(context.Context) ([]store.SourceStats, error) {
	return nil, errDown
}

func TestStoreErrors(t *testing.T) {
	a := New(failing{}, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Now: clock})
	for _, target := range []string{"/api/stories", "/api/stories/x", "/api/alerts", "/", "/feed.atom"} {
		t.Run(target, func(t *testing.T) {
			rec := get(t, a, target)
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", rec.Code)
			}
			if strings.Contains(rec.Body.String(), errDown.Error()) {
				t.Error("the store's error text leaked to the client")
			}
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	var v any
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatal(err)
	}
	pretty, _ := json.MarshalIndent(v, "", "  ")
	pretty = append(pretty, '\n')
	if *update {
		if err := os.WriteFile(path, pretty, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != string(pretty) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended):\n%s", name, pretty)
	}
}

func FuzzParseStoriesQuery(f *testing.F) {
	for _, s := range []string{
		"", "rucn=true&topic=telecom&agreement=false&since=24h&limit=10",
		"since=2026-03-01T00:00:00Z", "since=7d", "since=99999999999d", "before=MTox", "limit=500",
		"topic=%00", "since=-1ns", "rucn=true&rucn=true",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := parseStoriesQuery(q, now)
		if err != nil {
			if !errors.Is(err, ErrBadParam) {
				t.Fatalf("error %v does not wrap ErrBadParam", err)
			}
			return
		}
		if flt.Limit < 1 || flt.Limit > store.MaxLimit {
			t.Fatalf("limit %d accepted", flt.Limit)
		}
		if flt.Topic != "" && (!isTopic(flt.Topic) || flt.Topic != strings.ToLower(flt.Topic)) {
			t.Fatalf("topic %q accepted", flt.Topic)
		}
		if flt.Since.After(now) && q.Get("since") != "" && !strings.Contains(q.Get("since"), "T") {
			t.Fatalf("duration since=%q lies in the future: %v", q.Get("since"), flt.Since)
		}
	})
}
