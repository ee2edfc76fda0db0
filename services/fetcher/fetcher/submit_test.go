package fetcher

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/topology"
)

// TestSubmit: URLs submitted over HTTP and over NATS are fetched like a
// feed's; bad ones are refused with the reason (400 over HTTP, the DLQ over
// NATS); one already published is said so.
func TestSubmit(t *testing.T) {
	site := newSite(t)
	b := natstest.Connect(t, natstest.Targets(t)[0])
	topo := b.Topology()
	wire := Source{ID: "testwire", URL: site.srv.URL + "/feed.xml", Lang: "en"}
	f := start(t, b, Config{Sources: []Source{wire}, DisableScheduler: true})
	api := httptest.NewServer(f.Handler())
	defer api.Close()

	post := func(ctype, body string) (int, map[string]string) {
		t.Helper()
		resp, err := http.Post(api.URL+"/api/submit", ctype, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]string
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("POST /api/submit answered %d %q: %v", resp.StatusCode, b, err)
		}
		return resp.StatusCode, out
	}

	// JSON, naming a configured source: its language comes along.
	code, out := post("application/json", fmt.Sprintf(`{"url": %q, "source_id": "testwire"}`, site.srv.URL+"/a/small.html"))
	if code != http.StatusAccepted || out["status"] != "queued" || out["id"] != site.id(t, "/a/small.html") {
		t.Fatalf("JSON submission: %d %v", code, out)
	}
	raws := natstest.Collect(t, b, topo.Raw("testwire"), 1, 20*time.Second)
	if len(raws) != 1 || decodeRaw(t, raws[0]).SourceLang != "en" {
		t.Fatalf("submitted article: %d RawArticles", len(raws))
	}
	waitFor(t, "the article to be seen", func() bool {
		_, err := f.seen.Get(context.Background(), site.id(t, "/a/small.html"))
		return err == nil
	})
	if code, out := post("application/json", fmt.Sprintf(`{"url": %q}`, site.srv.URL+"/a/small.html")); code != http.StatusOK || out["status"] != "seen" {
		t.Errorf("resubmitting a published article: %d %v", code, out)
	}

	// A form, no source: news.raw.submitted.
	code, out = post("application/x-www-form-urlencoded", url.Values{"url": {site.srv.URL + "/a/new.html"}}.Encode())
	if code != http.StatusAccepted {
		t.Fatalf("form submission: %d %v", code, out)
	}
	if got := natstest.Collect(t, b, topo.Raw(SubmittedSource), 1, 20*time.Second); len(got) != 1 {
		t.Fatalf("form submission: %d RawArticles on %s", len(got), topo.Raw(SubmittedSource))
	}

	for _, bad := range []struct{ body, want string }{
		{`{"url": "ftp://files.example/a"}`, "not an absolute http(s) URL"},
		{`{"url": "http://169.254.169.254/latest/meta-data/"}`, "cloud metadata"},
		{`{"url": "https://a.example/x", "source_id": "Not An Id"}`, "id must be a lowercase token"},
		{`{"url": "https://user:pw@a.example/x"}`, "credentials"},
		{`{"url": `, "not the JSON object"},
		{``, "url missing"},
	} {
		if code, out := post("application/json", bad.body); code != http.StatusBadRequest || !strings.Contains(out["error"], bad.want) {
			t.Errorf("submission %s: %d %v, want 400 saying %q", bad.body, code, out, bad.want)
		}
	}

	// Over NATS: a bare URL is queued; garbage is dead-lettered with the
	// reason.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i, body := range []string{site.srv.URL + "/a/big.html", "not a url at all"} {
		if err := b.Publish(ctx, bus.Message{Subject: topo.SubmitJobs(), MsgID: fmt.Sprintf("test-submit-%d", i), Data: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	if got := natstest.Collect(t, b, topo.Raw(SubmittedSource), 2, 20*time.Second); len(got) != 2 {
		t.Fatalf("NATS submission: %d RawArticles on %s, want 2 (the form's and this one)", len(got), topo.Raw(SubmittedSource))
	}
	dlq := natstest.Collect(t, b, topo.DLQ(topology.StageSubmit), 1, 20*time.Second)
	if len(dlq) != 1 || !strings.Contains(dlq[0].Header(events.HeaderDLQError), "not an absolute http(s) URL") {
		t.Fatalf("bad NATS submission: %d DLQ entries", len(dlq))
	}
}
