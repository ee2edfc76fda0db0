package fetcher

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/topology"
)

// serveOn starts h on a free port of the given loopback address (Linux
// answers on all of 127.0.0.0/8, so 127.0.0.2 is a second "host").
func serveOn(t *testing.T, ip string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s here: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// TestAddressGuard: the feed's host, 127.0.0.2, is allowed; 127.0.0.1 is
// not. An item linking straight to 127.0.0.1 and an item that redirects
// there are both refused before any connection is made, dead-lettered with
// the reason, and counted; the allowed item arrives.
func TestAddressGuard(t *testing.T) {
	var conns, reqs atomic.Int32
	inside := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqs.Add(1)
		fmt.Fprint(w, "<html><body><p>internal admin page</p></body></html>")
	}))
	inside.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	inside.Start() // on 127.0.0.1
	t.Cleanup(inside.Close)

	var site *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Guarded wire</title>
<item><title>Fine</title><link>%[1]s/a/fine.html</link></item>
<item><title>Straight in</title><link>%[2]s/secret.html</link></item>
<item><title>Via a redirect</title><link>%[1]s/go-inside</link></item>
</channel></rss>`, site.URL, inside.URL)
	})
	mux.HandleFunc("/a/fine.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><p>A public page, invented for the test.</p></body></html>")
	})
	mux.HandleFunc("/go-inside", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inside.URL+"/secret2.html", http.StatusFound)
	})
	site = serveOn(t, "127.0.0.2", mux)

	b := natstest.Connect(t, natstest.Targets(t)[0])
	topo := b.Topology()
	src := Source{ID: "guarded", URL: site.URL + "/feed.xml"}
	f := start(t, b, Config{Sources: []Source{src}, PollInterval: time.Hour,
		AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}})

	raws := natstest.Collect(t, b, topo.AllRaw(), 1, 20*time.Second)
	if len(raws) != 1 || decodeRaw(t, raws[0]).CanonicalUrl != site.URL+"/a/fine.html" {
		t.Fatalf("got %d RawArticles, want the one allowed page", len(raws))
	}
	dlq := natstest.Collect(t, b, topo.DLQ(topology.StageFetch), 2, 20*time.Second)
	if len(dlq) != 2 {
		t.Fatalf("got %d DLQ entries, want 2 (the direct link and the redirect)", len(dlq))
	}
	for _, d := range dlq {
		e := d.Header(events.HeaderDLQError)
		if !strings.Contains(e, "127.0.0.1 refused: loopback") {
			t.Errorf("DLQ reason %q does not say which address was refused and why", e)
		}
	}
	waitFor(t, "the refusals to be counted", func() bool {
		return testutil.ToFloat64(f.metrics.refused.WithLabelValues("guarded", kindPage)) == 2
	})
	if v := testutil.ToFloat64(f.metrics.fetches.WithLabelValues("guarded", "address_refused")); v != 2 {
		t.Errorf("fetches_total{status=address_refused} = %v, want 2", v)
	}
	if n, r := conns.Load(), reqs.Load(); n != 0 || r != 0 {
		t.Fatalf("the refused address saw %d connections and %d requests, want none", n, r)
	}
}
