package cleaner_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/cleaner/cleaner"
)

func publishRaw(t *testing.T, b *bus.Bus, raw *newspipev1.RawArticle, body []byte) {
	t.Helper()
	if err := events.EncodeBody(raw, body); err != nil {
		t.Fatal(err)
	}
	data, h, err := events.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Publish(ctx, bus.Message{Subject: b.Topology().Raw(raw.SourceId), MsgID: "raw:" + raw.Id, Header: h, Data: data}); err != nil {
		t.Fatal(err)
	}
}

// TestCleanerComponent publishes RawArticles to a real JetStream and checks
// the CleanArticles (and DLQ entries) the stage publishes.
func TestCleanerComponent(t *testing.T) {
	page, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range natstest.Targets(t) {
		t.Run(tg.Name, func(t *testing.T) {
			b := natstest.Connect(t, tg)
			reg := prometheus.NewRegistry()
			c, err := cleaner.New(b, cleaner.Config{Workers: 2}, reg, stage.NewMetrics(reg), slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- c.Run(ctx) }()
			defer func() { cancel(); <-done }()

			// A large page (gzip-encoded on the wire) and a small one.
			big := bytes.Replace(page, []byte("</article>"), []byte(strings.Repeat("<p>Background paragraph about the shipping route and its ports, repeated for size.</p>\n", 300)+"</article>"), 1)
			publishRaw(t, b, &newspipev1.RawArticle{Id: "a1", Url: "https://harbour-ledger.example/tech/arctic-data-links?utm_source=rss", CanonicalUrl: "https://harbour-ledger.example/tech/arctic-data-links", SourceId: "harbour", ContentType: "text/html; charset=utf-8", HttpStatus: 200}, big)
			publishRaw(t, b, &newspipev1.RawArticle{Id: "a2", Url: "https://harbour-ledger.example/tech/2", SourceId: "harbour", ContentType: "text/html"}, page)
			// Bad inputs: a page with no text, and bytes that are not an event.
			publishRaw(t, b, &newspipev1.RawArticle{Id: "empty", Url: "https://harbour-ledger.example/x", SourceId: "harbour", ContentType: "text/html"}, []byte("<html><body><nav><a href='/'>Home</a></nav></body></html>"))
			if err := b.Publish(context.Background(), bus.Message{Subject: b.Topology().Raw("harbour"), MsgID: "junk", Data: []byte{0xff, 0x00, 0x13}}); err != nil {
				t.Fatal(err)
			}

			got := natstest.Collect(t, b, b.Topology().Clean("en"), 2, 10*time.Second)
			if len(got) != 2 {
				t.Fatalf("got %d clean articles on news.clean.en, want 2", len(got))
			}
			var a *newspipev1.CleanArticle
			for _, d := range got {
				x := &newspipev1.CleanArticle{}
				if err := events.Unmarshal(d.Data, d.Header(events.HeaderType), x); err != nil {
					t.Fatal(err)
				}
				if x.Id == "a2" {
					a = x
				}
			}
			if a == nil {
				t.Fatal("article a2 not published")
			}
			if a.Title != "Operator and vendor sign deal on Arctic data links" {
				t.Errorf("title = %q", a.Title)
			}
			text := strings.Join(a.Paragraphs, "\n")
			for _, keep := range []string{"signed a three-year agreement", "Ships, ports and weather stations", "train local crews"} {
				if !strings.Contains(text, keep) {
					t.Errorf("article text lost %q", keep)
				}
			}
			for _, chrome := range []string{"We use cookies", "Related stories", "Port traffic hits a record", "reader42", "All rights reserved", "BRENT 81.20"} {
				if strings.Contains(text, chrome) {
					t.Errorf("chrome %q survived", chrome)
				}
			}
			// The headline, byline and caption are fields, not text.
			for _, field := range []string{a.Title, "By Mira Castell", "A cable ship in the harbour"} {
				if strings.Contains(text, field) {
					t.Errorf("paragraphs hold %q", field)
				}
			}
			if a.Byline != "Mira Castell" || len(a.Captions) != 1 || a.Captions[0] != "A cable ship in the harbour at dawn. Photo: Harbour Ledger" {
				t.Errorf("byline = %q, captions = %q", a.Byline, a.Captions)
			}
			if a.Lang != "en" || a.ContentHash == "" || a.Simhash == 0 || a.Times.GetCleanedAt() == nil {
				t.Errorf("metadata incomplete: lang=%q hash=%q simhash=%d times=%v", a.Lang, a.ContentHash, a.Simhash, a.Times)
			}
			if a.Chrome.GetBlocksRemoved() == 0 {
				t.Error("no chrome blocks counted as removed")
			}

			dlq := natstest.Collect(t, b, b.Topology().DLQ(topology.StageCleaner), 2, 10*time.Second)
			if len(dlq) != 2 {
				t.Fatalf("got %d DLQ entries, want 2 (empty page, malformed event)", len(dlq))
			}
			if v := testutil.ToFloat64(counter(t, reg, "newspipe_cleaner_chrome_blocks_removed_total")); v == 0 {
				t.Error("newspipe_cleaner_chrome_blocks_removed_total is 0")
			}
		})
	}
}

func counter(t *testing.T, g prometheus.Gatherer, name string) prometheus.Collector {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) > 0 {
			v := mf.GetMetric()[0].GetCounter().GetValue()
			return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "v"}, func() float64 { return v })
		}
	}
	t.Fatalf("metric %s not found", name)
	return nil
}
