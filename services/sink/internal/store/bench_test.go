package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/storetest"
)

// benchArticle is a story of realistic size: about 40 paragraphs of 250 bytes.
func benchArticle(i int) *newspipev1.EnrichedArticle {
	a := art(fmt.Sprint("bench-", i), time.Unix(1_770_000_000+int64(i), 0), rucn("telecom", "ai"))
	a.Article.Paragraphs = nil
	for p := range 40 {
		a.Article.Paragraphs = append(a.Article.Paragraphs, fmt.Sprintf("%03d %0246d", p, i))
	}
	return a
}

func openBench(b *testing.B, tg storetest.Target) *DB {
	s, err := Open(context.Background(), tg.DSN(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkPutStory measures new-story writes, one at a time.
func BenchmarkPutStory(b *testing.B) {
	for _, tg := range storetest.Targets(b) {
		b.Run(tg.Name, func(b *testing.B) {
			s := openBench(b, tg)
			ctx := context.Background()
			arts := make([]*newspipev1.EnrichedArticle, b.N)
			for i := range arts {
				arts[i] = benchArticle(i)
			}
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.PutStory(ctx, Story{Article: arts[i]}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPutStoryParallel measures writes from several workers, as the
// stage loop makes them.
func BenchmarkPutStoryParallel(b *testing.B) {
	for _, tg := range storetest.Targets(b) {
		b.Run(tg.Name, func(b *testing.B) {
			s := openBench(b, tg)
			ctx := context.Background()
			var next atomicCounter
			b.SetParallelism(2)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.PutStory(ctx, Story{Article: benchArticle(next.add())}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkListStories measures a filtered page of 50 out of 5,000 stories.
func BenchmarkListStories(b *testing.B) {
	for _, tg := range storetest.Targets(b) {
		b.Run(tg.Name, func(b *testing.B) {
			s := openBench(b, tg)
			ctx := context.Background()
			for i := range 5000 {
				a := benchArticle(i)
				a.RuCnTech = i%3 == 0
				if _, err := s.PutStory(ctx, Story{Article: a}); err != nil {
					b.Fatal(err)
				}
			}
			yes := true
			b.ResetTimer()
			for range b.N {
				got, err := s.ListStories(ctx, Filter{RuCn: &yes, Topic: "ai", Limit: 50})
				if err != nil || len(got) != 50 {
					b.Fatalf("%d stories, %v", len(got), err)
				}
			}
		})
	}
}

type atomicCounter struct{ n atomic.Int64 }

func (c *atomicCounter) add() int { return int(c.n.Add(1)) }

// BenchmarkClaimAgreement measures agreement claims as a busy beat makes
// them: 50 keys of one topic, so that every call reads the topic's claims,
// each reported with the Russian side unspecified, with one Russian
// organisation or with another, and every other report with a subject, so
// that calls make new claims, refine them and match them.
func BenchmarkClaimAgreement(b *testing.B) {
	ru := []string{"", "mts", "nti"}
	for _, tg := range storetest.Targets(b) {
		b.Run(tg.Name, func(b *testing.B) {
			s := openBench(b, tg)
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				key := fmt.Sprintf("rucn:org%d+ru/telecom", i%50)
				d := Deal{Key: key, Report: deal.Report{Topic: "telecom", CN: []string{fmt.Sprint("org", i%50)}}}
				if r := ru[(i/50)%3]; r != "" {
					d.RU = []string{r}
				}
				if (i/150)%2 == 1 {
					d.Subject = "mobile"
				}
				ref := ArticleRef{ID: fmt.Sprint("bench-", i), URL: "https://news.example/", Title: "T", Lang: "en"}
				if _, err := s.ClaimAgreement(ctx, d, 90*24*time.Hour, ref); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
