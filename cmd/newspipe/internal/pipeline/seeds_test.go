package pipeline_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

// sharedDir finds ../shared beside the repository (or $NEWSPIPE_SHARED).
func sharedDir() string {
	if d := os.Getenv("NEWSPIPE_SHARED"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "..", "shared", "seeds")); err == nil && fi.IsDir() {
			return filepath.Join(d, "..", "shared")
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

type seedSpec struct {
	File   string `json:"file"`
	Labels struct {
		RuCnTech       bool     `json:"ru_cn_tech"`
		Topics         []string `json:"topics"`
		Agreement      bool     `json:"agreement"`
		AgreementEvent string   `json:"agreement_event"`
	} `json:"labels"`
}

// TestSeedsThroughPipeline serves the seed articles of ../shared/seeds as
// plain-text pages behind an RSS feed, runs them through the whole pipeline,
// and checks the stored tags and alerts against expected.json. The seeds are
// third-party text: they are read from ../shared, never copied here.
func TestSeedsThroughPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
	shared := sharedDir()
	if shared == "" {
		t.Skip("../shared/seeds not found (set NEWSPIPE_SHARED)")
	}
	raw, err := os.ReadFile(filepath.Join(shared, "seeds", "expected.json"))
	if err != nil {
		t.Skipf("no seeds: %v", err)
	}
	var exp struct {
		Seeds []seedSpec `json:"seeds"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("/seeds/feed.xml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>seeds</title><link>`+base+`</link><description>seed articles</description>`)
		for _, s := range exp.Seeds {
			fmt.Fprintf(w, "<item><title>%s</title><link>%s/seeds/%s</link></item>", html.EscapeString(s.File), base, s.File)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/seeds/{file}", func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(filepath.Join(shared, "seeds", filepath.Base(r.PathValue("file"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(b)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	info := startPipeline(t, fetcher.Config{Sources: []fetcher.Source{{ID: "seeds", Name: "seeds", URL: base + "/seeds/feed.xml"}}, PollInterval: time.Hour, PerHostDelay: -1, IgnoreRobots: true})

	stories := waitStories(t, info.HTTPAddr, len(exp.Seeds), 60*time.Second)
	byFile := map[string]apiStory{}
	for _, s := range stories {
		byFile[s.URL[strings.LastIndex(s.URL, "/")+1:]] = s
	}
	keys := map[string]map[string]bool{}
	for _, s := range exp.Seeds {
		got, ok := byFile[s.File]
		if !ok {
			t.Errorf("%s: not stored", s.File)
			continue
		}
		if got.RuCnTech != s.Labels.RuCnTech || got.Agreement.Detected != s.Labels.Agreement {
			t.Errorf("%s: ru_cn_tech=%v agreement=%v, want %v %v", s.File, got.RuCnTech, got.Agreement.Detected, s.Labels.RuCnTech, s.Labels.Agreement)
		}
		for _, topic := range s.Labels.Topics {
			if !slices.Contains(got.Topics, topic) {
				t.Errorf("%s: topics %v lack %q", s.File, got.Topics, topic)
			}
		}
		if ev := s.Labels.AgreementEvent; ev != "" {
			if keys[ev] == nil {
				keys[ev] = map[string]bool{}
			}
			keys[ev][got.AgreementAlertKey] = true
		}
	}
	for ev, ks := range keys {
		if len(ks) != 1 {
			t.Errorf("agreement %s linked to %d alerts %v, want one", ev, len(ks), ks)
		}
	}
	// Distinct agreements among the seeds: each agreement_event once, plus
	// each agreement seed that names none.
	want := len(keys)
	for _, s := range exp.Seeds {
		if s.Labels.Agreement && s.Labels.AgreementEvent == "" {
			want++
		}
	}
	if alerts := waitAlerts(t, info.HTTPAddr, want, 10*time.Second); len(alerts) != want {
		t.Errorf("%d alerts, want %d (the same deal in English and Indonesian alerts once)", len(alerts), want)
	}
}
