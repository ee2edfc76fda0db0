package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/search"
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

// searchWords are the vocabularies of the generated stories of
// BenchmarkSearch, by language: common words and a few rarer names, so
// that queries hit from a handful of stories to most of them.
var searchWords = map[string][]string{
	"en": strings.Fields(`the and of to in a on for with said company companies contract agreement network
		operator Russian Chinese Moscow Beijing chips satellite launch engineers plant signed deal officials
		technology cooperation year minister project research centre equipment supply market sanctions
		export build production energy nuclear station lunar quantum cable data centre drones`),
	"ru": strings.Fields(`и в на с по что компания компании контракт соглашение сеть оператор российский китайский
		Москва Пекин чипы спутник запуск инженеры завод подписали сделка представители технологии
		сотрудничество год министр проект исследования центр оборудование поставки рынок санкции
		экспорт строительство производство энергия атомная станция лунная квантовый кабель данные`),
	"zh": strings.Fields(`中国 俄罗斯 公司 合同 协议 网络 运营商 莫斯科 北京 芯片 卫星 发射 工程师 工厂 签署
		合作 技术 部长 项目 研究 中心 设备 供应 市场 制裁 出口 建设 生产 能源 核电站 月球 量子 光缆 数据`),
	"es": strings.Fields(`el la de y en que con por empresa contrato acuerdo red operador ruso chino Moscú Pekín
		chips satélite lanzamiento ingenieros planta firmaron tecnología cooperación año ministro proyecto
		investigación centro equipos suministro mercado sanciones exportación energía nuclear estación`),
}

// searchNames are rarer words: each story names one or two of them, in
// its title and its first paragraph.
var searchNames = strings.Fields(`Huawei ZTE MTS Rostelecom Roscosmos CNSA Rosatom CNNC Skoltech Tsinghua
	Yandex Baidu Sber Alibaba Megafon Xiaomi Mikron SMIC Elbrus Loongson 华为 中兴 华虹 长江存储 Ростех Сбер`)

// searchArticle is story i of BenchmarkSearch: about 2.5 KB of text in
// one of four languages, a title and 12 paragraphs of words drawn from
// its language's vocabulary.
func searchArticle(i int, rng *rand.Rand) *newspipev1.EnrichedArticle {
	langs := []string{"en", "ru", "zh", "es"}
	lang := langs[i%len(langs)]
	words := searchWords[lang]
	sep := " "
	if lang == "zh" {
		sep = ""
	}
	sentence := func(n int, name bool) string {
		ws := make([]string, n)
		for j := range ws {
			ws[j] = words[rng.IntN(len(words))]
		}
		if name {
			ws[rng.IntN(n)] = searchNames[rng.IntN(len(searchNames))]
		}
		return strings.Join(ws, sep)
	}
	topics := []string{"telecom", "space", "semiconductors", "energy", "ai"}
	a := art(fmt.Sprint("search-", i), time.Unix(1_770_000_000+int64(i)*60, 0), rucn(topics[i%len(topics)]))
	a.Article.Lang = lang
	a.Article.SourceId = fmt.Sprint("source-", i%20)
	a.Article.Title = sentence(8, true)
	a.Article.Paragraphs = nil
	for p := range 12 {
		n := 30
		if lang == "zh" {
			n = 40
		}
		a.Article.Paragraphs = append(a.Article.Paragraphs, sentence(n, p == 0))
	}
	a.Entities = []*newspipev1.Entity{{Id: fmt.Sprint("org-", i%50), Name: "Org", Kind: "org"}}
	return a
}

// BenchmarkSearch measures searches over a store of 10,000 stories (both
// stores; PostgreSQL where NEWSPIPE_TEST_POSTGRES_DSN is set): one page of
// 50, newest first, for a rare name, a common word, Chinese and Russian
// words, a phrase, and a search combined with filters. Filling the store
// takes a minute or two and is not timed. Run it with
//
//	go test -run '^$' -bench BenchmarkSearch -benchtime 200x ./services/sink/internal/store
func BenchmarkSearch(b *testing.B) {
	const stories = 10_000
	queries := []struct {
		name, q string
		f       func(*Filter)
	}{
		{"rare name", "Loongson", nil},
		{"common word", "company", nil},
		{"two words", "contract Huawei", nil},
		{"chinese word", "芯片", nil},
		{"chinese name", "华为", nil},
		{"russian prefix", "контракт", nil},
		{"phrase", `"nuclear station"`, nil},
		{"search and filters", "satellite", func(f *Filter) { f.Topic = "space"; f.Lang = "en" }},
		{"search, entity and time", "спутник", func(f *Filter) {
			f.Entity = "org-7"
			f.Since = time.Unix(1_770_000_000+5000*60, 0)
		}},
		{"no match", "zzzzzz", nil},
	}
	for _, tg := range storetest.Targets(b) {
		b.Run(tg.Name, func(b *testing.B) {
			s := openBench(b, tg)
			ctx := context.Background()
			rng := rand.New(rand.NewPCG(1, 2))
			arts := make([]*newspipev1.EnrichedArticle, stories)
			for i := range arts {
				arts[i] = searchArticle(i, rng)
			}
			start := time.Now()
			var next atomicCounter
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for i := next.add() - 1; i < stories; i = next.add() - 1 {
						if _, err := s.PutStory(ctx, Story{Article: arts[i]}); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.Logf("%s: stored %d stories in %v", tg.Name, stories, time.Since(start).Round(time.Second))
			if s.dialect.numbered {
				// What autovacuum does within a minute of such a load: the
				// planner needs the word statistics to choose the search
				// index over walking the time index for rare words.
				if _, err := s.db.ExecContext(ctx, "ANALYZE stories"); err != nil {
					b.Fatal(err)
				}
			}
			for _, qc := range queries {
				b.Run(qc.name, func(b *testing.B) {
					q, err := search.Parse(qc.q)
					if err != nil {
						b.Fatal(err)
					}
					f := Filter{Query: q, Limit: 50}
					if qc.f != nil {
						qc.f(&f)
					}
					var n int
					b.ResetTimer()
					for range b.N {
						got, err := s.ListStories(ctx, f)
						if err != nil {
							b.Fatal(err)
						}
						n = len(got)
					}
					b.ReportMetric(float64(n), "stories")
					b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/search")
				})
			}
		})
	}
}
