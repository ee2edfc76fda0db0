package api

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// storyIDsIn returns the ids of the stories a list page links to, in order.
func storyIDsIn(body string) string {
	var ids []string
	for _, m := range regexp.MustCompile(`<li class="story"><a class="title" href="/stories/([^"]+)"`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return strings.Join(ids, ",")
}

func TestHomePage(t *testing.T) {
	a, _ := fixture(t)
	cases := []struct {
		name, target string
		status       int
		want         string // story ids listed
		contains     []string
	}{
		{"bare: Russia–China stories and the deals", "/", 200, "s5,s4,s2,s1",
			[]string{`id="deals"`, `<option value="true" selected>`}},
		{"blank form fields are no filter", "/?q=&rucn=&topic=&lang=&stage=&since=&until=", 200, "s5,s4,s3,s2,s1", nil},
		{"search and filter", "/?q=story&topic=telecom&rucn=", 200, "s4,s2,s1",
			[]string{`value="story"`, `<option value="telecom" selected>`}},
		{"a filter hides the deals", "/?topic=space", 200, "s5", nil},
		{"pages", "/?rucn=true&limit=2", 200, "s5,s4", []string{`rel="next"`}},
		{"bad parameter", "/?topic=a+b", 400, "", []string{`class="error"`, "topic"}},
		{"unknown parameter", "/?utm_source=x", 400, "", []string{"utm_source"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, a, tc.target)
			body := rec.Body.String()
			if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("status %d type %q, want %d HTML", rec.Code, rec.Header().Get("Content-Type"), tc.status)
			}
			if got := storyIDsIn(body); got != tc.want {
				t.Errorf("stories %q, want %q", got, tc.want)
			}
			for _, c := range tc.contains {
				if !strings.Contains(body, c) {
					t.Errorf("page lacks %q", c)
				}
			}
			if strings.Contains(body, "<script") {
				t.Error("page holds a script")
			}
		})
	}
	t.Run("next page follows the cursor with the filters", func(t *testing.T) {
		body := get(t, a, "/?rucn=true&limit=2").Body.String()
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body)
		if next == nil {
			t.Fatal("no next link")
		}
		if got := storyIDsIn(get(t, a, strings.ReplaceAll(next[1], "&amp;", "&")).Body.String()); got != "s2,s1" {
			t.Errorf("second page %q, want s2,s1", got)
		}
	})
}

// putEvidenceStory stores a Russian story whose evidence sentences stand in
// its text, reporting the fixture's deal.
func putEvidenceStory(t *testing.T, st *store.DB) {
	t.Helper()
	a := withAgreement(art("ru1", now.Add(-5*time.Hour), true, "telecom"), "alpha-beta-telecom")
	a.Article.Lang, a.Article.SourceId, a.Article.Title = "ru", "vostok", "МТС и Huawei подписали контракт"
	a.Article.Paragraphs = []string{
		"Вступление без тегов.",
		"МТС и Huawei подписали контракт на сеть 5G. Работы начнутся весной.",
	}
	a.Evidence = []*newspipev1.Evidence{
		{Tag: "ru_cn_tech", Sentence: "МТС и Huawei подписали контракт на сеть 5G."},
		{Tag: "agreement", Sentence: "МТС и Huawei подписали контракт на сеть 5G."},
		{Tag: "topic:telecom", Sentence: "Работы начнутся весной."},
	}
	a.Article.Url = "https://vostok.example/news/1?utm_source=feed"
	a.Article.CanonicalUrl = "https://vostok.example/news/1"
	a.Article.PublishedAt = timestamppb.New(now.Add(-5 * time.Hour))
	ctx := context.Background()
	c, err := st.ClaimAgreement(ctx, store.DealOf(a, now), 90*24*time.Hour, store.RefOf(a))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutStory(ctx, store.Story{Article: a, AgreementFirstArticleID: c.FirstArticle.ID, AgreementAlertKey: c.AlertKey}); err != nil {
		t.Fatal(err)
	}
}

func TestStoryPage(t *testing.T) {
	a, st := fixture(t)
	putEvidenceStory(t, st)
	rec := get(t, a, "/stories/ru1")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`<h1 lang="ru">МТС и Huawei подписали контракт</h1>`,
		`<div class="text" lang="ru">`,
		`<mark class="ev" data-tags="ru_cn_tech agreement">МТС и Huawei подписали контракт на сеть 5G.</mark><span class="evtag">ru_cn_tech · agreement</span>`,
		`<mark class="ev" data-tags="topic:telecom">Работы начнутся весной.</mark>`,
		`<p>Вступление без тегов.</p>`,
		`href="https://vostok.example/news/1"`, // the canonical link, no tracking parameters
		"2026-03-01 07:00 UTC",                 // published
		"2026-03-01 12:00 UTC",                 // arrived
		`href="/deals/alpha-beta-telecom@2026-02"`,
		`href="/?entity=org%3aalpha"`, `href="/?topic=telecom"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("story page lacks %s", want)
		}
	}
	if strings.Contains(body, "utm_source") {
		t.Error("the link carries a tracking parameter")
	}
	for target, status := range map[string]int{"/stories/nope": 404, "/stories/ru1?x=1": 400} {
		if rec := get(t, a, target); rec.Code != status {
			t.Errorf("%s: status %d, want %d", target, rec.Code, status)
		}
	}
}

func TestDealPage(t *testing.T) {
	a, st := fixture(t)
	putEvidenceStory(t, st)
	// Talks of the same deal before its signing, and of another deal.
	for _, tc := range []struct{ id, cn string }{{"talks", "org:alpha"}, {"other-talks", "org:gamma"}} {
		talk := withAgreement(art(tc.id, now.Add(-20*24*time.Hour), true, "telecom"), "")
		talk.Agreement.Detected, talk.Agreement.Stage, talk.Agreement.Date = false, "negotiation", ""
		talk.Agreement.Parties = []string{tc.cn, "org:beta"}
		if _, err := st.PutStory(context.Background(), store.Story{Article: talk}); err != nil {
			t.Fatal(err)
		}
	}
	rec := get(t, a, "/deals/alpha-beta-telecom@2026-02")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{
		"Reported by 2 sources in 2 languages (en, ru).",
		"Alpha Telecom · Beta Networks",
		"2026-02-20", // the signing date
	} {
		if !strings.Contains(body, want) {
			t.Errorf("deal page lacks %q", want)
		}
	}
	var reports []string
	for _, m := range regexp.MustCompile(`<li><a href="/stories/([^"]+)"`).FindAllStringSubmatch(body, -1) {
		reports = append(reports, m[1])
	}
	if got := strings.Join(reports, ","); got != "s2,s4,ru1" {
		t.Errorf("reports %q, want s2,s4,ru1 (oldest first)", got)
	}
	var timeline []string
	for _, m := range regexp.MustCompile(`<span class="tag stage">([a-z]+)</span> <span class="meta">[^<]*</span><br><a href="/stories/([^"]+)"`).FindAllStringSubmatch(body, -1) {
		timeline = append(timeline, m[1]+":"+m[2])
	}
	if got := strings.Join(timeline, ","); got != "negotiation:talks,signed:s2,signed:s4,signed:ru1" {
		t.Errorf("timeline %q, want the talks of this deal before its signed reports", got)
	}
	if rec := get(t, a, "/deals/nope"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown deal: status %d", rec.Code)
	}
}

func TestSourcesPage(t *testing.T) {
	a, st := fixture(t)
	putEvidenceStory(t, st)
	body := get(t, a, "/sources").Body.String()
	for _, want := range []string{`<a href="/?source=example&amp;rucn=">example</a></td><td>5</td>`, ">vostok</a></td><td>1</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("sources page lacks %q", want)
		}
	}
}

func TestGroupedCopies(t *testing.T) {
	a, st := fixture(t)
	ctx := context.Background()
	for i, src := range []string{"wire", "daily"} {
		c := art("copy-"+src, now.Add(-time.Duration(3-i)*time.Hour), true, "space")
		c.Article.SourceId, c.Article.Title = src, "Launch pad deal, as "+src+" printed it"
		c.Article.Simhash = 0xfeedface_12345678 ^ uint64(i) // one bit apart: copies
		if _, err := st.PutStory(ctx, store.Story{Article: c}); err != nil {
			t.Fatal(err)
		}
	}
	body := get(t, a, "/?topic=space").Body.String()
	if got := storyIDsIn(body); got != "s5,copy-daily" {
		t.Errorf("grouped list %q, want s5 and the newest copy alone", got)
	}
	if !strings.Contains(body, `class="copies"`) || !strings.Contains(body, ">2 sources</a>") {
		t.Error("the list does not say the story came from 2 sources")
	}
	if got := storyIDsIn(get(t, a, "/?topic=space&grouped=false").Body.String()); got != "s5,copy-daily,copy-wire" {
		t.Errorf("ungrouped list %q", got)
	}
	page := get(t, a, "/stories/copy-daily").Body.String()
	if !strings.Contains(page, `id="copies"`) || !strings.Contains(page, `href="/stories/copy-wire"`) {
		t.Error("the story page does not list the other copy")
	}
	var list struct {
		Stories []storyJSON `json:"stories"`
	}
	if err := json.Unmarshal(get(t, a, "/api/stories?topic=space&grouped=true").Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Stories) != 2 || list.Stories[1].GroupSize != 2 || list.Stories[1].GroupSources != 2 || list.Stories[1].GroupID != "copy-wire" {
		t.Errorf("API grouped list %+v", list.Stories)
	}
}
