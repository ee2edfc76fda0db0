package store

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/search"
)

// searchStory is one story of testdata/search_stories.json, written for
// these tests: one deal reported in English, Russian and Chinese, and
// stories around it.
type searchStory struct {
	ID       string   `json:"id"`
	Lang     string   `json:"lang"`
	Source   string   `json:"source"`
	RuCn     bool     `json:"rucn"`
	Topics   []string `json:"topics"`
	Stage    string   `json:"stage"`
	Entities []string `json:"entities"`
	Title    string   `json:"title"`
	Text     []string `json:"text"`
}

func (s searchStory) article(published time.Time) *newspipev1.EnrichedArticle {
	a := art(s.ID, published)
	a.Article.Lang, a.Article.SourceId, a.Article.Title, a.Article.Paragraphs = s.Lang, s.Source, s.Title, s.Text
	a.RuCnTech, a.Topics, a.PrimaryTopic = s.RuCn, s.Topics, s.Topics[0]
	for _, e := range s.Entities {
		a.Entities = append(a.Entities, &newspipev1.Entity{Id: e, Name: e, Kind: "org"})
	}
	if s.Stage != "" {
		a.Agreement = &newspipev1.Agreement{Stage: s.Stage, Detected: s.Stage == "signed"}
	}
	return a
}

func loadSearchStories(t testing.TB) []searchStory {
	t.Helper()
	b, err := os.ReadFile("testdata/search_stories.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []searchStory
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSearch(t *testing.T) {
	stories := loadSearchStories(t)
	base := time.Date(2026, 2, 10, 8, 0, 0, 0, time.UTC)
	yes := true
	cases := []struct {
		name string
		q    string
		f    Filter
		want string // ids, newest first
	}{
		{"english word", "contract", Filter{}, "en-mts"}, // Spanish "contrato" does not start with it
		{"russian word, inflected by prefix", "контракт", Filter{}, "ru-mts"},
		{"russian ё typed as е", "объединенная", Filter{}, "ru-mts"},
		{"russian ё typed as ё", "Объединённая", Filter{}, "ru-mts"},
		{"russian stem finds the locative", "Луне", Filter{}, "ru-lunar"},
		{"chinese two-character word", "华为", Filter{}, "zh-mts"},
		{"chinese word inside a run", "芯片", Filter{}, "zh-chips"},
		{"chinese longer word", "俄罗斯运营商", Filter{}, "zh-mts"},
		{"chinese word in two stories", "俄罗斯", Filter{}, "zh-chips,zh-mts"},
		{"one chinese character", "航", Filter{}, "zh-chips"},
		{"latin name in two alphabets' stories", "huawei", Filter{}, "ru-mts,en-mts"},
		{"latin name in chinese text", "mts", Filter{}, "zh-mts,en-mts"},
		{"every term must match", "huawei kazan", Filter{}, "en-mts"},
		{"phrase", `"5g core network"`, Filter{}, "en-mts"},
		{"phrase out of order finds nothing", `"network core"`, Filter{}, ""},
		{"accent-free spanish", "energia", Filter{}, "es-oil"},
		{"nothing", "quantum", Filter{}, ""},
		{"with language", "huawei", Filter{Lang: "ru"}, "ru-mts"},
		{"with source", "俄罗斯", Filter{Source: "zhongguo-keji", Topic: "semiconductors"}, "zh-chips"},
		{"with entity", "signed", Filter{Entity: "mts"}, "en-mts"},
		{"entity alone", "", Filter{Entity: "huawei"}, "zh-mts,ru-mts,en-mts"},
		{"stage", "", Filter{Stage: "intent"}, "ru-lunar"},
		{"stage and rucn", "", Filter{Stage: "signed", RuCn: &yes}, "zh-mts,ru-mts,en-mts"},
		{"search and time", "huawei", Filter{Since: base.Add(time.Hour)}, "ru-mts"},
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t, Options{Now: newClock().Now})
			for i, st := range stories {
				if _, err := s.PutStory(ctxT(t), Story{Article: st.article(base.Add(time.Duration(i) * time.Hour))}); err != nil {
					t.Fatal(err)
				}
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					f := tc.f
					if tc.q != "" {
						q, err := search.Parse(tc.q)
						if err != nil {
							t.Fatal(err)
						}
						f.Query = q
					}
					got, err := s.ListStories(ctxT(t), f)
					if err != nil {
						t.Fatal(err)
					}
					if ids := strings.Join(storyIDs(got), ","); ids != tc.want {
						t.Errorf("q=%q: got %q, want %q", tc.q, ids, tc.want)
					}
				})
			}
			t.Run("a new version is searched by its new text", func(t *testing.T) {
				a := stories[0].article(base)
				a.Article.Title, a.Article.Paragraphs = "Rewritten", []string{"Only quantum words now."}
				reclassified(time.Hour)(a)
				if res, err := s.PutStory(ctxT(t), Story{Article: a}); err != nil || res != Updated {
					t.Fatalf("put: %v %v", res, err)
				}
				for q, want := range map[string]string{"quantum": "en-mts", "kazan": ""} {
					pq, _ := search.Parse(q)
					got, err := s.ListStories(ctxT(t), Filter{Query: pq})
					if err != nil {
						t.Fatal(err)
					}
					if ids := strings.Join(storyIDs(got), ","); ids != want {
						t.Errorf("q=%s after update: %q, want %q", q, ids, want)
					}
				}
			})
		})
	}
}

// TestSearchMigration indexes the stories a sink stored before search
// existed.
func TestSearchMigration(t *testing.T) {
	stories := loadSearchStories(t)
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.dsn(t)
			old := mustOpen(t, dsn, Options{schema: searchSchema - 1})
			for i, st := range stories {
				if _, err := old.PutStory(ctxT(t), Story{Article: st.article(time.Unix(int64(i)*3600, 0))}); err != nil {
					t.Fatal(err)
				}
			}
			old.Close()
			s := mustOpen(t, dsn, Options{})
			q, _ := search.Parse("华为")
			got, err := s.ListStories(ctxT(t), Filter{Query: q, Entity: "mts"})
			if err != nil {
				t.Fatal(err)
			}
			if ids := strings.Join(storyIDs(got), ","); ids != "zh-mts" {
				t.Errorf("after migration: %q, want zh-mts", ids)
			}
		})
	}
}
