package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/deal"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/storetest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// backend opens a fresh, empty store.
type backend struct {
	name string
	dsn  func(t testing.TB) string
	open func(t *testing.T, o Options) *DB
}

func backends(t *testing.T) []backend {
	t.Helper()
	var bs []backend
	for _, tg := range storetest.Targets(t) {
		bs = append(bs, backend{name: tg.Name, dsn: tg.DSN, open: func(t *testing.T, o Options) *DB { return mustOpen(t, tg.DSN(t), o) }})
	}
	return bs
}

func mustOpen(t *testing.T, dsn string, o Options) *DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := Open(ctx, dsn, o)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// art builds an enriched article; the options tweak it.
func art(id string, published time.Time, opts ...func(*newspipev1.EnrichedArticle)) *newspipev1.EnrichedArticle {
	a := &newspipev1.EnrichedArticle{
		Article: &newspipev1.CleanArticle{
			Id: id, Url: "https://news.example/" + id, CanonicalUrl: "https://news.example/" + id,
			SourceId: "example", Title: "Story " + id, Lang: "en",
			Paragraphs: []string{"A paragraph written for the store tests."},
		},
		Topics: []string{"other"}, PrimaryTopic: "other",
		Times: &newspipev1.StageTimes{
			FetchedAt:    timestamppb.New(published.Add(time.Hour)),
			ClassifiedAt: timestamppb.New(published.Add(2 * time.Hour)),
		},
	}
	if !published.IsZero() {
		a.Article.PublishedAt = timestamppb.New(published)
	}
	for _, o := range opts {
		o(a)
	}
	return a
}

func rucn(topics ...string) func(*newspipev1.EnrichedArticle) {
	return func(a *newspipev1.EnrichedArticle) {
		a.RuCnTech, a.Score = true, 0.9
		a.PrimaryTopic, a.Topics = topics[0], topics
	}
}

func agreement(key string) func(*newspipev1.EnrichedArticle) {
	return func(a *newspipev1.EnrichedArticle) {
		a.Agreement = &newspipev1.Agreement{Detected: true, Stage: "signed", Kind: "agreement",
			Parties: []string{"org:a", "org:b"}, Technology: "telecom", Key: key, Evidence: "The two firms signed a deal."}
	}
}

// ownDeal returns the deal of a's agreement, made a deal of its own key:
// the agreement helper gives every key the same parties and technology,
// which would make one deal of them all.
func ownDeal(a *newspipev1.EnrichedArticle) Deal {
	d := DealOf(a, time.Time{})
	d.Subject = d.Key
	return d
}

func reclassified(d time.Duration) func(*newspipev1.EnrichedArticle) {
	return func(a *newspipev1.EnrichedArticle) {
		a.Times.ClassifiedAt = timestamppb.New(a.Times.ClassifiedAt.AsTime().Add(d))
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestOpen(t *testing.T) {
	t.Run("empty dsn", func(t *testing.T) {
		if _, err := Open(context.Background(), "", Options{}); !errors.Is(err, ErrNoDSN) {
			t.Fatalf("err = %v, want ErrNoDSN", err)
		}
	})
	for _, bad := range []string{":memory:", "file:x.db", "x.db?mode=ro"} {
		t.Run("rejects "+bad, func(t *testing.T) {
			if _, err := Open(context.Background(), bad, Options{}); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
	t.Run("sqlite is in WAL mode and migrates once", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nested", "dir", "sink.db")
		s := mustOpen(t, "sqlite:"+path, Options{})
		if s.Backend() != "sqlite" {
			t.Errorf("backend %q", s.Backend())
		}
		var mode string
		if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q (%v), want wal", mode, err)
		}
		s.Close()
		s2 := mustOpen(t, path, Options{}) // second open: migrations already applied
		assertMigrations(t, s2)
	})
	if dsn := os.Getenv(storetest.EnvPostgres); dsn != "" {
		t.Run("postgres migrates once, concurrently", func(t *testing.T) {
			dsn := storetest.PostgresSchema(t, dsn)
			var wg sync.WaitGroup
			stores := make([]*DB, 4)
			errs := make([]error, 4)
			for i := range stores {
				wg.Go(func() { stores[i], errs[i] = Open(context.Background(), dsn, Options{}) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("open %d: %v", i, err)
				}
				defer stores[i].Close()
			}
			assertMigrations(t, stores[0])
		})
	}
}

func assertMigrations(t *testing.T, s *DB) {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(migrations) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(migrations))
	}
}

func TestPutStory(t *testing.T) {
	base := time.Date(2026, 2, 10, 8, 0, 0, 0, time.UTC)
	type put struct {
		a        *newspipev1.EnrichedArticle
		link     string
		alertKey string
		want     PutResult
	}
	cases := []struct {
		name         string
		puts         []put
		wantTitle    string
		wantLink     string
		wantAlertKey string
	}{
		{
			name:      "new story is inserted",
			puts:      []put{{a: art("a1", base), want: Inserted}},
			wantTitle: "Story a1",
		},
		{
			name:      "redelivery changes nothing",
			puts:      []put{{a: art("a1", base), want: Inserted}, {a: art("a1", base), want: Unchanged}},
			wantTitle: "Story a1",
		},
		{
			name: "later version updates",
			puts: []put{
				{a: art("a1", base), want: Inserted},
				{a: art("a1", base, reclassified(time.Hour), func(a *newspipev1.EnrichedArticle) { a.Article.Title = "Revised" }), want: Updated},
			},
			wantTitle: "Revised",
		},
		{
			name: "earlier version is ignored",
			puts: []put{
				{a: art("a1", base, reclassified(time.Hour), func(a *newspipev1.EnrichedArticle) { a.Article.Title = "Newer" }), want: Inserted},
				{a: art("a1", base), want: Unchanged},
			},
			wantTitle: "Newer",
		},
		{
			name: "same version, new payload updates",
			puts: []put{
				{a: art("a1", base), want: Inserted},
				{a: art("a1", base, func(a *newspipev1.EnrichedArticle) { a.Article.Title = "Fixed" }), want: Updated},
			},
			wantTitle: "Fixed",
		},
		{
			name: "agreement link change updates",
			puts: []put{
				{a: art("a1", base, agreement("k")), link: "a1", want: Inserted},
				{a: art("a1", base, agreement("k")), link: "a0", want: Updated},
				{a: art("a1", base, agreement("k")), link: "a0", want: Unchanged},
			},
			wantTitle: "Story a1",
			wantLink:  "a0",
		},
		{
			name: "alert key change updates",
			puts: []put{
				{a: art("a1", base, agreement("k")), link: "a0", alertKey: "k", want: Inserted},
				{a: art("a1", base, agreement("k")), link: "a0", alertKey: "k~x+y", want: Updated},
				{a: art("a1", base, agreement("k")), link: "a0", alertKey: "k~x+y", want: Unchanged},
			},
			wantTitle:    "Story a1",
			wantLink:     "a0",
			wantAlertKey: "k~x+y",
		},
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					s := b.open(t, Options{Now: newClock().Now})
					ctx := ctxT(t)
					for i, p := range tc.puts {
						got, err := s.PutStory(ctx, Story{Article: p.a, AgreementFirstArticleID: p.link, AgreementAlertKey: p.alertKey})
						if err != nil {
							t.Fatalf("put %d: %v", i, err)
						}
						if got != p.want {
							t.Errorf("put %d = %v, want %v", i, got, p.want)
						}
					}
					st, err := s.GetStory(ctx, "a1")
					if err != nil {
						t.Fatal(err)
					}
					if got := st.Article.GetArticle().GetTitle(); got != tc.wantTitle {
						t.Errorf("title %q, want %q", got, tc.wantTitle)
					}
					if st.AgreementFirstArticleID != tc.wantLink || st.AgreementAlertKey != tc.wantAlertKey {
						t.Errorf("link %q alert key %q, want %q %q", st.AgreementFirstArticleID, st.AgreementAlertKey,
							tc.wantLink, tc.wantAlertKey)
					}
					if !st.Time.Equal(base) {
						t.Errorf("time %v, want the published time %v", st.Time, base)
					}
					stories, err := s.ListStories(ctx, Filter{})
					if err != nil || len(stories) != 1 {
						t.Fatalf("list: %d stories, %v; want 1", len(stories), err)
					}
				})
			}
			t.Run("no id", func(t *testing.T) {
				s := b.open(t, Options{})
				if _, err := s.PutStory(ctxT(t), Story{Article: art("", base)}); !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
			})
			t.Run("unknown id is not found", func(t *testing.T) {
				s := b.open(t, Options{})
				if _, err := s.GetStory(ctxT(t), "nope"); !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			})
			t.Run("stored event round-trips", func(t *testing.T) {
				s := b.open(t, Options{})
				a := art("rt", base, rucn("telecom", "ai"), agreement("k1"), func(a *newspipev1.EnrichedArticle) {
					a.Entities = []*newspipev1.Entity{{Id: "org:a", Name: "A", Kind: "org", Country: "ru", Count: 2}}
					a.Evidence = []*newspipev1.Evidence{{Tag: "ru_cn_tech", Sentence: "A sentence."}}
				})
				if _, err := s.PutStory(ctxT(t), Story{Article: a}); err != nil {
					t.Fatal(err)
				}
				st, err := s.GetStory(ctxT(t), "rt")
				if err != nil {
					t.Fatal(err)
				}
				if !proto.Equal(st.Article, a) {
					t.Errorf("stored event differs:\n got %v\nwant %v", st.Article, a)
				}
			})
			t.Run("time falls back and is capped", func(t *testing.T) {
				clk := newClock()
				s := b.open(t, Options{Now: clk.Now})
				future := art("future", clk.Now().Add(48*time.Hour))
				unstated := art("unstated", time.Time{})
				unstated.Times.FetchedAt = timestamppb.New(base)
				for _, a := range []*newspipev1.EnrichedArticle{future, unstated} {
					if _, err := s.PutStory(ctxT(t), Story{Article: a}); err != nil {
						t.Fatal(err)
					}
				}
				for id, want := range map[string]time.Time{"future": clk.Now(), "unstated": base} {
					st, err := s.GetStory(ctxT(t), id)
					if err != nil {
						t.Fatal(err)
					}
					if !st.Time.Equal(want) {
						t.Errorf("%s: time %v, want %v", id, st.Time, want)
					}
				}
			})
		})
	}
}

func TestListStories(t *testing.T) {
	base := time.Date(2026, 2, 10, 8, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }
	seed := []*newspipev1.EnrichedArticle{
		art("s1", at(1), rucn("telecom")),
		art("s2", at(2), rucn("semiconductors", "telecom"), agreement("k1")),
		art("s3", at(3)),
		art("s4", at(4), rucn("ai")),
		art("s5", at(5), agreement("k2")), // an agreement outside the beat
		art("s6", at(5), rucn("space")),   // same time as s5: id breaks the tie
	}
	yes, no := true, false
	cases := []struct {
		name string
		f    Filter
		want []string
	}{
		{"all newest first", Filter{}, []string{"s6", "s5", "s4", "s3", "s2", "s1"}},
		{"rucn", Filter{RuCn: &yes}, []string{"s6", "s4", "s2", "s1"}},
		{"not rucn", Filter{RuCn: &no}, []string{"s5", "s3"}},
		{"primary topic", Filter{Topic: "semiconductors"}, []string{"s2"}},
		{"secondary topic too", Filter{Topic: "telecom"}, []string{"s2", "s1"}},
		{"topic is case-insensitive", Filter{Topic: "AI"}, []string{"s4"}},
		{"unknown topic", Filter{Topic: "quantum"}, nil},
		{"agreement", Filter{Agreement: &yes}, []string{"s5", "s2"}},
		{"rucn agreement", Filter{Agreement: &yes, RuCn: &yes}, []string{"s2"}},
		{"no agreement", Filter{Agreement: &no}, []string{"s6", "s4", "s3", "s1"}},
		{"since is inclusive", Filter{Since: at(4)}, []string{"s6", "s5", "s4"}},
		{"until is exclusive", Filter{Until: at(4)}, []string{"s3", "s2", "s1"}},
		{"stored since: arrival time", Filter{StoredSince: newClock().Now()}, []string{"s6", "s5", "s4", "s3", "s2", "s1"}},
		{"stored until: arrival time", Filter{StoredUntil: newClock().Now()}, nil},
		{"limit", Filter{Limit: 2}, []string{"s6", "s5"}},
		{"before a tie", Filter{Before: Cursor{Time: at(5), ID: "s6"}}, []string{"s5", "s4", "s3", "s2", "s1"}},
		{"before and filter", Filter{Before: Cursor{Time: at(4), ID: "s4"}, RuCn: &yes}, []string{"s2", "s1"}},
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t, Options{Now: newClock().Now})
			for _, a := range seed {
				if _, err := s.PutStory(ctxT(t), Story{Article: a}); err != nil {
					t.Fatal(err)
				}
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got, err := s.ListStories(ctxT(t), tc.f)
					if err != nil {
						t.Fatal(err)
					}
					if ids := storyIDs(got); strings.Join(ids, ",") != strings.Join(tc.want, ",") {
						t.Errorf("got %v, want %v", ids, tc.want)
					}
				})
			}
			t.Run("cursor pages through everything once", func(t *testing.T) {
				var all []string
				f := Filter{Limit: 4}
				for range 5 {
					page, err := s.ListStories(ctxT(t), f)
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, storyIDs(page)...)
					if len(page) < f.Limit {
						break
					}
					c, err := ParseCursor(CursorOf(page[len(page)-1]).String())
					if err != nil {
						t.Fatal(err)
					}
					f.Before = c
				}
				if got := strings.Join(all, ","); got != "s6,s5,s4,s3,s2,s1" {
					t.Errorf("pages gave %s", got)
				}
			})
		})
	}
}

func storyIDs(ss []Story) []string {
	var ids []string
	for _, s := range ss {
		ids = append(ids, s.ID())
	}
	return ids
}

func TestListAlerts(t *testing.T) {
	base := time.Date(2026, 2, 10, 8, 0, 0, 0, time.UTC)
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			clk := newClock()
			s := b.open(t, Options{Now: clk.Now})
			ctx := ctxT(t)
			// Deal k1 reported by two stories, deal k2 claimed but its story not stored yet.
			for _, a := range []*newspipev1.EnrichedArticle{
				art("en1", base, rucn("telecom"), agreement("k1")),
				art("ru1", base.Add(time.Hour), rucn("telecom"), agreement("k1")),
			} {
				c, err := s.ClaimAgreement(ctx, ownDeal(a), time.Hour*24*90, RefOf(a))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.PutStory(ctx, Story{Article: a, AgreementFirstArticleID: c.FirstArticle.ID, AgreementAlertKey: c.AlertKey}); err != nil {
					t.Fatal(err)
				}
			}
			clk.Advance(time.Minute)
			if _, err := s.ClaimAgreement(ctx, Deal{Key: "k2", Report: deal.Report{Subject: "k2"}}, time.Hour, ArticleRef{ID: "zh1", Title: "T"}); err != nil {
				t.Fatal(err)
			}
			alerts, err := s.ListAlerts(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(alerts) != 2 {
				t.Fatalf("%d alerts, want 2", len(alerts))
			}
			k2, k1 := alerts[0], alerts[1]
			if k2.Key != "k2@2026-03" || k2.First != nil || k2.Reports != 0 || k2.FirstArticle.ID != "zh1" {
				t.Errorf("newest alert = %+v, want k2 without a stored story", k2)
			}
			if k1.Key != "k1@2026-02" || k1.First == nil || k1.First.ID() != "en1" || k1.Reports != 2 {
				t.Errorf("older alert = key %s first %v reports %d, want k1, en1, 2", k1.Key, k1.First != nil, k1.Reports)
			}
			if !k1.RaisedAt.Equal(newClock().Now()) {
				t.Errorf("k1 raised at %v, want the claim time %v", k1.RaisedAt, newClock().Now())
			}
		})
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add(Cursor{Time: time.Unix(1700000000, 5), ID: "abc"}.String())
	f.Add("")
	f.Add("!!")
	f.Add("MTox")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCursor(s)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("error %v does not wrap ErrBadCursor", err)
			}
			return
		}
		back, err := ParseCursor(c.String())
		if err != nil || back != c {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", s, back, err, c)
		}
	})
}
