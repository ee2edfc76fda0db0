package fetcher

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// publishScheduled publishes a FeedJob as the scheduler does.
func publishScheduled(t *testing.T, b *bus.Bus, s Source, msgID string) {
	t.Helper()
	data, h, err := events.Marshal(&newspipev1.FeedJob{SourceId: s.ID, FeedUrl: s.URL, ScheduledAt: timestamppb.Now()})
	if err != nil {
		t.Fatal(err)
	}
	h[headerPoll] = pollScheduled
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Publish(ctx, bus.Message{Subject: b.Topology().FeedJobs(), MsgID: msgID, Header: h, Data: data}); err != nil {
		t.Fatal(err)
	}
}

// TestPollCadence: a 429 with Retry-After keeps the scheduler's polls away
// for as long as it asks (a person's poll still goes through); a server
// without validators that sends the same body again is "not modified"
// by its fingerprint, and a source with nothing new slows down.
func TestPollCadence(t *testing.T) {
	var busyHits, plainHits atomic.Int32
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		if busyHits.Add(1) == 1 {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Busy</title></channel></rss>`)
	})
	mux.HandleFunc("/plain.xml", func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		w.Header().Set("Content-Type", "text/xml") // and no ETag, no Last-Modified
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Plain</title><item><link>%s/a/1.html</link></item></channel></rss>`, srv.URL)
	})
	mux.HandleFunc("/a/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><p>An invented page.</p></body></html>")
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := natstest.Connect(t, natstest.Targets(t)[0])
	busy := Source{ID: "busy", URL: srv.URL + "/busy.xml", Interval: time.Minute}
	plain := Source{ID: "plain", URL: srv.URL + "/plain.xml", Interval: time.Minute}
	f := start(t, b, Config{Sources: []Source{busy, plain}, DisableScheduler: true})
	polls := func(id, status string) float64 {
		return testutil.ToFloat64(f.metrics.polls.WithLabelValues(id, status))
	}

	publishScheduled(t, b, busy, "busy-1")
	waitFor(t, "the 429 to set the next poll an hour ahead", func() bool {
		st, err := f.loadState(context.Background(), "busy")
		wait := time.Until(st.NextPoll)
		return err == nil && st.LastErrorKind == "http_429" && wait > 59*time.Minute && wait < 67*time.Minute
	})
	publishScheduled(t, b, busy, "busy-2")
	waitFor(t, "the scheduled poll to be skipped", func() bool { return polls("busy", outcomeNotDue) == 1 })
	if n := busyHits.Load(); n != 1 {
		t.Fatalf("the busy server was asked %d times within its Retry-After, want 1", n)
	}
	publishFeedJob(t, b, busy, "busy-by-hand")
	waitFor(t, "the poll asked for by hand", func() bool { return polls("busy", "ok") == 1 })

	publishFeedJob(t, b, plain, "plain-1")
	waitFor(t, "the first plain poll", func() bool { return polls("plain", "ok") == 1 })
	publishFeedJob(t, b, plain, "plain-2")
	waitFor(t, "the second plain poll", func() bool { return polls("plain", outcomeNotModified) == 1 })
	if n := plainHits.Load(); n != 2 {
		t.Errorf("plain feed requested %d times, want 2", n)
	}
	// 1.5 × the previous interval (1m ± 10%), ± 10%: 72s to 109s; the
	// configured interval with jitter is at most 66s. (The state is stored
	// just after the poll is counted: wait for it.)
	waitFor(t, "the plain source to slow down", func() bool {
		st, err := f.loadState(context.Background(), "plain")
		return err == nil && st.Interval >= 70*time.Second && st.Interval <= 110*time.Second
	})
}
