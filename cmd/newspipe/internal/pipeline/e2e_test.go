package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
	"github.com/newspipe/newspipe/cmd/newspipe/internal/pipeline"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

// apiStory is the part of GET /api/stories the test reads.
type apiStory struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Lang      string   `json:"lang"`
	RuCnTech  bool     `json:"ru_cn_tech"`
	Topics    []string `json:"topics"`
	Agreement struct {
		Detected bool   `json:"detected"`
		Key      string `json:"key"`
	} `json:"agreement"`
	AgreementAlertKey string `json:"agreement_alert_key"`
}

type apiAlert struct {
	Key          string `json:"key"`
	FirstArticle struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	} `json:"first_article"`
}

// serveDemo serves the bundled demo site on addr and returns its base URL.
func serveDemo(t testing.TB, addr string) string {
	t.Helper()
	site, err := demosite.New()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h, err := site.Handler(base)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return base
}

func demoSources(t testing.TB, base string) []fetcher.Source {
	t.Helper()
	site, err := demosite.New()
	if err != nil {
		t.Fatal(err)
	}
	var out []fetcher.Source
	for _, s := range site.Sources(base) {
		out = append(out, fetcher.Source{ID: s.ID, Name: s.Name, URL: s.URL, Lang: s.Lang})
	}
	return out
}

func getJSON(t testing.TB, u string, v any) error {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// listStories returns every stored story.
func listStories(t testing.TB, httpAddr string) ([]apiStory, error) {
	var body struct {
		Stories []apiStory `json:"stories"`
	}
	err := getJSON(t, "http://"+httpAddr+"/api/stories?limit=500", &body)
	return body.Stories, err
}

func listAlerts(t testing.TB, httpAddr string) ([]apiAlert, error) {
	var body struct {
		Alerts []apiAlert `json:"alerts"`
	}
	err := getJSON(t, "http://"+httpAddr+"/api/alerts", &body)
	return body.Alerts, err
}

// TestDemoEndToEnd runs the bundled demo site through the whole pipeline in
// one process and checks every story's tags and the alerts against the
// labels the pages were written with.
func TestDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
	expected, err := demosite.Expected()
	if err != nil {
		t.Fatal(err)
	}
	base := serveDemo(t, "127.0.0.1:0")
	info := startPipeline(t, fetcher.Config{Sources: demoSources(t, base), PollInterval: 2 * time.Second, PerHostDelay: time.Millisecond})

	stories := waitStories(t, info.HTTPAddr, len(expected), 90*time.Second)
	byPath := map[string]apiStory{}
	for _, s := range stories {
		u, err := url.Parse(s.URL)
		if err != nil {
			t.Fatalf("story %s has a bad url %q", s.ID, s.URL)
		}
		if _, dup := byPath[u.Path]; dup {
			t.Errorf("page %s stored twice", u.Path)
		}
		byPath[u.Path] = s
	}
	events := map[string]bool{}
	keysByEvent := map[string]map[string]bool{}
	for _, p := range expected {
		s, ok := byPath[p.Path]
		if !ok {
			t.Errorf("%s (%s): not stored", p.Path, p.Lang)
			continue
		}
		if s.RuCnTech != p.RuCnTech {
			t.Errorf("%s (%s, %s): ru_cn_tech = %v, want %v", p.Path, p.Lang, p.Category, s.RuCnTech, p.RuCnTech)
		}
		if s.Agreement.Detected != p.Agreement {
			t.Errorf("%s (%s, %s): agreement = %v, want %v", p.Path, p.Lang, p.Category, s.Agreement.Detected, p.Agreement)
		}
		if p.RuCnTech {
			for _, topic := range p.Topics {
				if !slices.Contains(s.Topics, topic) {
					t.Errorf("%s (%s): topics %v lack %q", p.Path, p.Lang, s.Topics, topic)
				}
			}
		}
		if p.Agreement {
			events[p.AgreementEvent] = true
			if keysByEvent[p.AgreementEvent] == nil {
				keysByEvent[p.AgreementEvent] = map[string]bool{}
			}
			keysByEvent[p.AgreementEvent][s.Agreement.Key] = true
		}
	}
	for ev, keys := range keysByEvent {
		if len(keys) != 1 {
			t.Errorf("agreement %s got %d different keys: %v", ev, len(keys), keys)
		}
	}

	// One alert per distinct agreement, not one per article.
	alerts := waitAlerts(t, info.HTTPAddr, len(events), 20*time.Second)
	if len(alerts) != len(events) {
		t.Errorf("got %d alerts, want %d (one per distinct agreement)", len(alerts), len(events))
	}
	// Each stage reports its metrics.
	resp, err := http.Get("http://" + info.HTTPAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, st := range []string{"feed", "fetch", "cleaner", "classifier", "sink"} {
		want := fmt.Sprintf(`newspipe_stage_messages_total{outcome="ok",stage="%s"}`, st)
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, prefix := range []string{"newspipe_fetcher_", "newspipe_cleaner_", "newspipe_classifier_", "newspipe_sink_"} {
		if !strings.Contains(string(metrics), prefix) {
			t.Errorf("/metrics has no %s series", prefix)
		}
	}
	// The fetcher's sources API answers on the same server as the sink's.
	resp, err = http.Get("http://" + info.HTTPAddr + "/api/sources")
	if err != nil {
		t.Fatal(err)
	}
	var srcs struct {
		Sources []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"sources"`
	}
	err = json.NewDecoder(resp.Body).Decode(&srcs)
	resp.Body.Close()
	if err != nil || len(srcs.Sources) != len(demoSources(t, base)) {
		t.Fatalf("/api/sources: %d sources, %v; want the demo's %d", len(srcs.Sources), err, len(demoSources(t, base)))
	}
	for _, s := range srcs.Sources {
		if s.Status != "ok" {
			t.Errorf("/api/sources: %s is %q, want ok", s.ID, s.Status)
		}
	}
}

func waitStories(t testing.TB, httpAddr string, want int, within time.Duration) []apiStory {
	t.Helper()
	deadline := time.Now().Add(within)
	var stories []apiStory
	var err error
	for time.Now().Before(deadline) {
		stories, err = listStories(t, httpAddr)
		if err == nil && len(stories) >= want {
			return stories
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("stored %d stories within %v, want %d (last error: %v)", len(stories), within, want, err)
	return nil
}

func waitAlerts(t testing.TB, httpAddr string, want int, within time.Duration) []apiAlert {
	t.Helper()
	deadline := time.Now().Add(within)
	var alerts []apiAlert
	for time.Now().Before(deadline) {
		var err error
		alerts, err = listAlerts(t, httpAddr)
		if err == nil && len(alerts) >= want {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	// Give a duplicate a moment to show up, if there were going to be one.
	time.Sleep(time.Second)
	alerts, _ = listAlerts(t, httpAddr)
	return alerts
}

// startPipeline runs the all-in-one pipeline with fc on loopback ports and a
// temp data dir, waits until it is ready, and stops it at cleanup (failing
// the test if it does not stop cleanly).
func startPipeline(t testing.TB, fc fetcher.Config) pipeline.Info {
	t.Helper()
	if fc.AllowCIDRs == nil { // the tests' sites are on 127.0.0.1
		fc.AllowCIDRs = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan pipeline.Info, 1)
	done := make(chan error, 1)
	go func() {
		done <- pipeline.Run(ctx, pipeline.Config{
			DataDir: t.TempDir(), NATSAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", Fetcher: fc,
			Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
			OnReady: func(i pipeline.Info) { ready <- i },
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("pipeline.Run: %v", err)
		}
	})
	select {
	case info := <-ready:
		return info
	case err := <-done:
		done <- err
		t.Fatalf("pipeline stopped before it was ready: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("pipeline not ready in 30s")
	}
	return pipeline.Info{}
}
