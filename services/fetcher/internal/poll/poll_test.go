package poll

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/feed"
	"github.com/newspipe/newspipe/services/fetcher/internal/fetch"
	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
	"github.com/newspipe/newspipe/services/fetcher/internal/mend"
	"github.com/newspipe/newspipe/services/fetcher/internal/sources"
)

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Invented wire</title>
<item><title>One</title><link>/news/1.html</link><pubDate>Thu, 19 Nov 2026 08:30:00 +0300</pubDate></item>
<item><title>Two</title><link>https://wire.example/news/2.html</link></item>
<item><title>No link</title></item>
</channel></rss>`

// feedServer serves invented feeds, with and without validators, and
// records each request's headers.
type feedServer struct {
	mu       sync.Mutex
	requests []http.Header
}

func (s *feedServer) record(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Header.Clone())
}

func (s *feedServer) last() http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[len(s.requests)-1]
}

func newFeedServer(t *testing.T) (*feedServer, *httptest.Server) {
	fs := &feedServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		const etag = `"v1"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Thu, 19 Nov 2026 09:00:00 GMT")
		io.WriteString(w, rss)
	})
	// No validators, and a body that does not change between polls.
	mux.HandleFunc("/plain.xml", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, rss)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		http.Redirect(w, r, "/sub/dir/rss.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/sub/dir/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		io.WriteString(w, rss)
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>A</title></channel>`)
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!DOCTYPE html><html><body><p>Not a feed.</p></body></html>")
	})
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		var code int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/status/"), &code)
		w.WriteHeader(code)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		if r.URL.Query().Get("length") == "1" {
			w.Header().Set("Content-Length", fmt.Sprint(3<<20))
		}
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>`)
		item := []byte("<item><title>filler</title><link>https://huge.example/a</link></item>\n")
		for n := 0; n < 3<<20; n += len(item) {
			if _, err := w.Write(item); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return fs, srv
}

func client(timeout time.Duration) *fetch.Client {
	return fetch.New(fetch.Config{
		UserAgent: "newspipe/test (+https://github.com/newspipe/newspipe)", PerHostDelay: -1, Timeout: timeout, MaxFeedBytes: 2 << 20,
		Guard: guard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}),
	})
}

func TestPoll(t *testing.T) {
	fs, srv := newFeedServer(t)
	p := New(client(2*time.Second), Config{})
	tests := []struct {
		name        string
		path        string
		state       State
		wantErr     error
		wantClass   string
		wantItems   int
		notModified bool
		wantURL     string
	}{
		{name: "rss", path: "/rss.xml", wantItems: 2},
		{name: "not modified", path: "/rss.xml", state: State{ETag: `"v1"`}, notModified: true},
		{name: "stale etag is a full fetch", path: "/rss.xml", state: State{ETag: `"v0"`}, wantItems: 2},
		{name: "redirect", path: "/moved", wantItems: 2, wantURL: "/sub/dir/rss.xml"},
		{name: "server error", path: "/status/500", wantClass: fetch.ClassHTTP5xx},
		{name: "not found", path: "/status/404", wantClass: fetch.ClassHTTP4xx},
		{name: "broken xml is an error, not 0 items", path: "/broken.xml", wantErr: feed.ErrMalformed},
		{name: "html instead of a feed", path: "/page.html", wantErr: feed.ErrNotFeed},
		{name: "huge feed, chunked", path: "/huge", wantErr: fetch.ErrTooLarge},
		{name: "huge feed, announced", path: "/huge?length=1", wantErr: fetch.ErrTooLarge},
		{name: "timeout", path: "/slow", wantErr: fetch.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pc := p
			if tt.wantErr == fetch.ErrTimeout {
				pc = New(client(200*time.Millisecond), Config{})
			}
			src := sources.Source{ID: "wire", URL: srv.URL + tt.path}
			res, err := pc.Poll(context.Background(), src, tt.state)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Poll error = %v, want %v", err, tt.wantErr)
				}
			case tt.wantClass != "":
				if fetch.Class(err) != tt.wantClass {
					t.Fatalf("Poll error = %v, want class %s", err, tt.wantClass)
				}
			case err != nil:
				t.Fatalf("Poll: %v", err)
			}
			if err != nil {
				if !strings.Contains(err.Error(), srv.URL+tt.path) {
					t.Errorf("error %q does not name the feed URL", err)
				}
				return
			}
			if res.NotModified != tt.notModified || len(res.Items) != tt.wantItems {
				t.Errorf("NotModified %v, %d items; want %v, %d", res.NotModified, len(res.Items), tt.notModified, tt.wantItems)
			}
			if tt.wantURL != "" && res.URL != srv.URL+tt.wantURL {
				t.Errorf("URL = %q, want %q", res.URL, srv.URL+tt.wantURL)
			}
			if !tt.notModified && tt.wantURL == "" && (res.State.ETag != `"v1"` || res.State.LastModified == "" || res.State.Fingerprint == "") {
				t.Errorf("state = %+v, want the response's validators and a fingerprint", res.State)
			}
			if tt.notModified && res.State != tt.state {
				t.Errorf("state after 304 = %+v, want unchanged %+v", res.State, tt.state)
			}
			if res.Skipped != 0 && res.Skipped != 1 {
				t.Errorf("skipped %d", res.Skipped)
			}
			if ua := fs.last().Get("User-Agent"); !strings.HasPrefix(ua, "newspipe/") {
				t.Errorf("User-Agent = %q", ua)
			}
		})
	}
}

func TestPollSendsValidators(t *testing.T) {
	fs, srv := newFeedServer(t)
	p := New(client(2*time.Second), Config{})
	src := sources.Source{ID: "wire", URL: srv.URL + "/rss.xml", Header: http.Header{"Cookie": {"consent=yes"}}}
	first, err := p.Poll(context.Background(), src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if h := fs.last(); h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" || h.Get("Cookie") != "consent=yes" {
		t.Fatalf("first poll headers: %v; want no validators and the source's cookie", h)
	}
	second, err := p.Poll(context.Background(), src, first.State)
	if err != nil {
		t.Fatal(err)
	}
	h := fs.last()
	if h.Get("If-None-Match") != `"v1"` || h.Get("If-Modified-Since") != "Thu, 19 Nov 2026 09:00:00 GMT" {
		t.Fatalf("second poll headers = %v, want the first poll's validators", h)
	}
	if !second.NotModified || len(second.Items) != 0 {
		t.Fatalf("second poll = %+v, want 304 with no items", second)
	}
}

// TestPollWithoutValidators: a server that sends neither ETag nor
// Last-Modified gets full requests, and an unchanged body is recognised by
// its fingerprint.
func TestPollWithoutValidators(t *testing.T) {
	fs, srv := newFeedServer(t)
	p := New(client(2*time.Second), Config{})
	src := sources.Source{ID: "wire", URL: srv.URL + "/plain.xml"}
	first, err := p.Poll(context.Background(), src, State{})
	if err != nil || first.NotModified || len(first.Items) != 2 {
		t.Fatalf("first poll = %+v, %v", first, err)
	}
	if first.State.ETag != "" || first.State.LastModified != "" || first.State.Fingerprint == "" {
		t.Fatalf("state %+v: want only a fingerprint", first.State)
	}
	second, err := p.Poll(context.Background(), src, first.State)
	if err != nil || !second.NotModified || len(second.Items) != 0 || second.State != first.State {
		t.Fatalf("second poll of the same body = %+v, %v; want not modified", second, err)
	}
	if h := fs.last(); h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
		t.Errorf("validators sent although the server gave none: %v", h)
	}
}

func TestPollRefusedAddress(t *testing.T) {
	_, srv := newFeedServer(t)
	p := New(fetch.New(fetch.Config{UserAgent: "newspipe/test", PerHostDelay: -1}), Config{}) // public addresses only
	_, err := p.Poll(context.Background(), sources.Source{ID: "wire", URL: srv.URL + "/rss.xml"}, State{})
	if !errors.Is(err, guard.ErrRefused) || fetch.Class(err) != fetch.ClassRefused {
		t.Fatalf("Poll of a loopback feed with no allow-list = %v, want refused", err)
	}
}

// FuzzMendAndParse runs what a poll does to a body (mend, then parse) on
// arbitrary input: no panic, and what comes out keeps the invariants.
func FuzzMendAndParse(f *testing.F) {
	f.Add([]byte(rss), "")
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><item><title>\xcf\xf0\x01</title><link>/a?x=1&y=2</link></item></channel></rss>"), "ru")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"url":"/a","date_published":"2026-11-19T10:00:00+03:00"}]}`), "")
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/x"/><updated>Thu, 19 Nov 2026 10:00:00 MSK</updated></entry></feed>`), "zh")
	f.Fuzz(func(t *testing.T, data []byte, lang string) {
		body, _ := mend.XML(data, mend.Hint{Lang: lang})
		doc, err := feed.Parse(body, "https://wire.example/feed.xml", lang)
		if err != nil {
			if !errors.Is(err, feed.ErrNotFeed) && !errors.Is(err, feed.ErrMalformed) {
				t.Fatalf("error %v wraps neither ErrNotFeed nor ErrMalformed", err)
			}
			return
		}
		for _, it := range doc.Items {
			if !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") {
				t.Fatalf("item link %q is not absolute http(s)", it.Link)
			}
		}
	})
}
