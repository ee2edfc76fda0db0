package classify

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks run on articles written for the project (testdata/bench), with
// the full default taxonomy loaded. Run: go test -bench . -benchmem ./internal/classify
func benchFile(b *testing.B, name string) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "bench", name))
	if err != nil {
		b.Fatalf("read fixture: %v", err)
	}
	c := newClassifier(b)
	title, body := SplitArticle(string(data))
	doc := Document{Title: title, Text: body}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.Classify(doc)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

func BenchmarkClassify5KB(b *testing.B)  { benchFile(b, "en_5k.txt") }
func BenchmarkClassify50KB(b *testing.B) { benchFile(b, "en_50k.txt") }

// BenchmarkMatch5KB measures the multi-pattern scan alone, with the
// automaton an English document gets.
func BenchmarkMatch5KB(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "bench", "en_5k.txt"))
	if err != nil {
		b.Fatalf("read fixture: %v", err)
	}
	m := newClassifier(b).matcher("en").m
	text := string(data)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		m.FindAll(text, nil)
	}
}

// BenchmarkClassifyReal measures speed on real news in each language: the
// texts of ../shared/classify-real (third parties' articles, read in place,
// never copied here) joined into 5 KB articles. It skips where ../shared is
// absent.
func BenchmarkClassifyReal(b *testing.B) {
	dir := realDir()
	if dir == "" {
		b.Skip("../shared/classify-real not found (set NEWSPIPE_SHARED)")
	}
	byLang, err := realArticles(dir, 5000)
	if err != nil {
		b.Fatal(err)
	}
	c := newClassifier(b)
	for _, lang := range []string{"en", "ru", "zh", "es", "id"} {
		docs := byLang[lang]
		if len(docs) == 0 {
			continue
		}
		b.Run(lang, func(b *testing.B) {
			size := 0
			for _, d := range docs {
				size += len(d.Title) + len(d.Text)
			}
			b.SetBytes(int64(size / len(docs)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c.Classify(docs[i%len(docs)])
				i++
			}
		})
	}
}

// realDir finds ../shared/classify-real beside the repository, or under
// $NEWSPIPE_SHARED.
func realDir() string {
	if d := os.Getenv("NEWSPIPE_SHARED"); d != "" {
		return filepath.Join(d, "classify-real")
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		p := filepath.Join(d, "..", "shared", "classify-real")
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
	}
	return ""
}

// realArticles joins the texts of each language, in file order, into
// articles of about size bytes: the first text's title heads each article.
func realArticles(dir string, size int) (map[string][]Document, error) {
	f, err := os.Open(filepath.Join(dir, "labels.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("open labels: %w", err)
	}
	defer f.Close()
	out := map[string][]Document{}
	cur := map[string]*Document{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct {
			ID   string `json:"id"`
			Lang string `json:"lang"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("read labels: %w", err)
		}
		data, err := os.ReadFile(filepath.Join(dir, rec.ID+".txt"))
		if err != nil {
			return nil, fmt.Errorf("read text %s: %w", rec.ID, err)
		}
		title, body := SplitArticle(string(data))
		d := cur[rec.Lang]
		if d == nil {
			d = &Document{Title: title}
			cur[rec.Lang] = d
		} else {
			body = title + "\n" + body
		}
		d.Text += body + "\n\n"
		if len(d.Title)+len(d.Text) >= size {
			out[rec.Lang] = append(out[rec.Lang], *d)
			delete(cur, rec.Lang)
		}
	}
	return out, sc.Err()
}
