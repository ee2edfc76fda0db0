package pipeline_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

// BenchmarkPipeline measures articles per second through all four stages of
// the all-in-one pipeline: fetch over loopback, clean, classify, store. The
// demo site's 26 pages are served under distinct URLs (?copy=N) from one RSS
// feed, so each b.N is one distinct article. Politeness delays are off: the
// figure is the pipeline's own throughput, not a crawl rate.
func BenchmarkPipeline(b *testing.B) {
	site, err := demosite.New()
	if err != nil {
		b.Fatal(err)
	}
	pages, err := demosite.Expected()
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h, err := site.Handler(base)
	if err != nil {
		b.Fatal(err)
	}
	n := b.N
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("/bench/feed.xml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title><link>`+base+`</link><description>bench</description>`)
		for i := range n {
			p := pages[i%len(pages)]
			fmt.Fprintf(w, "<item><title>%d</title><link>%s%s?copy=%d</link><guid>%d</guid></item>", i, base, p.Path, i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	b.ResetTimer()
	start := time.Now()
	info := startPipeline(b, fetcher.Config{
		Sources:      []fetcher.Source{{ID: "bench", Name: "bench", URL: base + "/bench/feed.xml"}},
		PollInterval: time.Hour, PerHostDelay: -1, PerHostConcurrency: 64, Workers: 32, IgnoreRobots: true,
	})
	for {
		stored, err := storedStories(info.HTTPAddr)
		if err != nil {
			b.Fatal(err)
		}
		if stored >= n {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(n)/elapsed.Seconds(), "articles/s")
}

// storedStories sums newspipe_sink_stories_stored_total from /metrics.
func storedStories(httpAddr string) (int, error) {
	resp, err := http.Get("http://" + httpAddr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	total := 0.0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "newspipe_sink_stories_stored_total") {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err == nil {
			total += v
		}
	}
	return int(total), sc.Err()
}
