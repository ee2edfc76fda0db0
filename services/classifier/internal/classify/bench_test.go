package classify

import (
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

// BenchmarkMatch5KB measures the multi-pattern scan alone.
func BenchmarkMatch5KB(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "bench", "en_5k.txt"))
	if err != nil {
		b.Fatalf("read fixture: %v", err)
	}
	c := newClassifier(b)
	text := string(data)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		c.m.FindAll(text, nil)
	}
}
