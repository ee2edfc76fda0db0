package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
)

const testUA = "newspipe/test (+https://github.com/newspipe/newspipe)"

// allowLoopback lets the tests reach their httptest servers.
var allowLoopback = guard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")})

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pageServer serves the test routes.
func pageServer(t *testing.T) *httptest.Server {
	t.Helper()
	article := fixture(t, "article.html")
	mux := http.NewServeMux()
	typed := func(ctype string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if ctype == "" {
				w.Header()["Content-Type"] = nil // stop net/http from sniffing one
			} else {
				w.Header().Set("Content-Type", ctype)
			}
			w.Write(body)
		}
	}
	mux.HandleFunc("/article.html", typed("text/html; charset=UTF-8", article))
	mux.HandleFunc("/cp1251.html", typed(`text/html; Charset="Windows-1251"`, []byte("<html><body>\xcf\xf0\xe8\xe2\xe5\xf2</body></html>")))
	mux.HandleFunc("/page.xhtml", typed("application/xhtml+xml", article))
	mux.HandleFunc("/notes.txt", typed("text/plain", []byte("Plain text article.\nSecond line.\n")))
	mux.HandleFunc("/untyped", typed("", article))
	mux.HandleFunc("/report.pdf", typed("application/pdf", []byte("%PDF-1.7\n")))
	mux.HandleFunc("/feed.xml", typed("application/rss+xml", []byte("<rss/>")))
	mux.HandleFunc("/untyped.png", typed("", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")))
	mux.HandleFunc("/bad-ct", typed("text/html; charset", article))
	mux.HandleFunc("/redirect/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/redirect/"), &n)
		if n <= 0 {
			http.Redirect(w, r, "/article.html", http.StatusFound)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/redirect/%d", n-1), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/status/"), &code)
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "120")
		}
		w.WriteHeader(code)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Query().Get("length") == "1" {
			w.Header().Set("Content-Length", fmt.Sprint(50<<20))
		}
		chunk := bytes.Repeat([]byte("<p>padding paragraph</p>\n"), 4096)
		for n := 0; n < 50<<20; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading: that is the point
			}
		}
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		// 50 MB of HTML that travels as a few tens of KB of gzip.
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.(http.Flusher).Flush()
		zw := gzip.NewWriter(w)
		zeros := make([]byte, 1<<20)
		for range 50 {
			if _, err := zw.Write(zeros); err != nil {
				return
			}
		}
		zw.Close()
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><p>first part"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetch(t *testing.T) {
	srv := pageServer(t)
	c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, IgnoreRobots: true, Timeout: 20 * time.Second})
	// impatient is for the cases that test the timeout itself; their
	// servers never answer, so the test waits for the timeout and no more.
	impatient := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, IgnoreRobots: true, Timeout: 300 * time.Millisecond})
	article := fixture(t, "article.html")
	tests := []struct {
		name        string
		path        string
		wantErr     error
		wantStatus  int // for StatusError
		retryable   bool
		class       string
		contentType string
		charset     string
		body        []byte
		finalPath   string
	}{
		{name: "html with charset", path: "/article.html", class: "ok", contentType: "text/html", charset: "utf-8", body: article},
		{name: "charset from header, quoted and cased", path: "/cp1251.html", class: "ok", contentType: "text/html", charset: "windows-1251"},
		{name: "xhtml", path: "/page.xhtml", class: "ok", contentType: "application/xhtml+xml", body: article},
		{name: "plain text", path: "/notes.txt", class: "ok", contentType: "text/plain"},
		{name: "no content type: sniffed, no charset claimed", path: "/untyped", class: "ok", contentType: "text/html", body: article},
		{name: "malformed content type keeps the media type", path: "/bad-ct", class: "ok", contentType: "text/html", body: article},
		{name: "redirects followed", path: "/redirect/3", class: "ok", contentType: "text/html", charset: "utf-8", body: article, finalPath: "/article.html"},
		{name: "redirect limit", path: "/redirect/9", wantErr: ErrTooManyRedirects, class: "redirects"},
		{name: "pdf", path: "/report.pdf", wantErr: ErrContentType, class: "content_type"},
		{name: "feed is not a page", path: "/feed.xml", wantErr: ErrContentType, class: "content_type"},
		{name: "sniffed image", path: "/untyped.png", wantErr: ErrContentType, class: "content_type"},
		{name: "50 MB body", path: "/huge", wantErr: ErrTooLarge, class: "too_large"},
		{name: "50 MB announced", path: "/huge?length=1", wantErr: ErrTooLarge, class: "too_large"},
		{name: "gzip bomb", path: "/bomb", wantErr: ErrTooLarge, class: "too_large"},
		{name: "not found", path: "/status/404", wantStatus: 404, class: "http_4xx"},
		{name: "gone", path: "/status/410", wantStatus: 410, class: "http_4xx"},
		{name: "forbidden", path: "/status/403", wantStatus: 403, class: "http_4xx"},
		{name: "too many requests", path: "/status/429", wantStatus: 429, retryable: true, class: "http_429"},
		{name: "server error", path: "/status/500", wantStatus: 500, retryable: true, class: "http_5xx"},
		{name: "unavailable", path: "/status/503", wantStatus: 503, retryable: true, class: "http_5xx"},
		{name: "no content", path: "/status/204", wantStatus: 204, class: "http_other"},
		{name: "slow headers", path: "/slow", wantErr: ErrTimeout, retryable: true, class: "timeout"},
		{name: "slow body", path: "/slow-body", wantErr: ErrTimeout, retryable: true, class: "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := c
			if errors.Is(tt.wantErr, ErrTimeout) {
				client = impatient
			}
			page, err := client.Fetch(context.Background(), srv.URL+tt.path)
			if got := Class(err); got != tt.class {
				t.Errorf("Class = %q, want %q (err %v)", got, tt.class, err)
			}
			if tt.wantErr == nil && tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if page.ContentType != tt.contentType || page.Charset != tt.charset {
					t.Errorf("content type %q charset %q, want %q %q", page.ContentType, page.Charset, tt.contentType, tt.charset)
				}
				if tt.body != nil && !bytes.Equal(page.Body, tt.body) {
					t.Errorf("body of %d bytes, want the %d served", len(page.Body), len(tt.body))
				}
				if page.Status != 200 {
					t.Errorf("status %d", page.Status)
				}
				if tt.finalPath != "" && page.URL != srv.URL+tt.finalPath {
					t.Errorf("URL = %q, want %q", page.URL, srv.URL+tt.finalPath)
				}
				return
			}
			if page != nil {
				t.Errorf("got a page with error %v", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Fetch error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantStatus != 0 {
				var se *StatusError
				if !errors.As(err, &se) || se.Code != tt.wantStatus {
					t.Fatalf("Fetch error = %v, want status %d", err, tt.wantStatus)
				}
				if tt.wantStatus == 429 && se.RetryAfter != 2*time.Minute {
					t.Errorf("RetryAfter = %v, want 2m", se.RetryAfter)
				}
			}
			if Retryable(err) != tt.retryable {
				t.Errorf("Retryable(%v) = %v, want %v", err, !tt.retryable, tt.retryable)
			}
			if !strings.Contains(err.Error(), srv.URL) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

func TestFetchBadURL(t *testing.T) {
	c := New(Config{Guard: allowLoopback, UserAgent: testUA})
	for _, u := range []string{"ftp://example.test/a", "/relative", "http://", "::"} {
		_, err := c.Fetch(context.Background(), u)
		if !errors.Is(err, ErrBadURL) || Retryable(err) {
			t.Errorf("Fetch(%q) = %v, want permanent ErrBadURL", u, err)
		}
	}
}

func TestFetchUnreachableIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	_, err := New(Config{Guard: allowLoopback, UserAgent: testUA, IgnoreRobots: true}).Fetch(context.Background(), u+"/a")
	if err == nil || !Retryable(err) || Class(err) != "network" {
		t.Fatalf("Fetch = %v (class %s), want a retryable network error", err, Class(err))
	}
}

// fakeClock stands still and records the waits asked of it, so delays are
// checked by counting, not by timing.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	return nil
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

func TestPerHostDelay(t *testing.T) {
	a, b := pageServer(t), pageServer(t) // two hosts (ports)
	tests := []struct {
		name   string
		robots bool
		delay  time.Duration
		want   []time.Duration
	}{
		// A, A, B, A: A's second waits one delay, its third two; B none.
		{"three on one host, one on another", false, time.Second, []time.Duration{time.Second, 2 * time.Second}},
		// robots(A), A, A, robots(B), B, A: B's page waits behind B's robots.txt only.
		{"robots.txt counts as a request", true, time.Second, []time.Duration{time.Second, 2 * time.Second, time.Second, 3 * time.Second}},
		{"custom delay", false, 250 * time.Millisecond, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}},
		{"no delay", false, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC)}
			c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: tt.delay, IgnoreRobots: !tt.robots, Now: clock.Now, Sleep: clock.Sleep})
			for _, u := range []string{a.URL + "/article.html", a.URL + "/notes.txt", b.URL + "/article.html", a.URL + "/page.xhtml"} {
				if _, err := c.Fetch(context.Background(), u); err != nil {
					t.Fatalf("Fetch %s: %v", u, err)
				}
			}
			if got := clock.Waits(); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("waits = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPerHostConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	gate := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-gate
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<p>ok</p>"))
	}))
	defer slow.Close()
	other := pageServer(t)

	c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, PerHostConcurrency: 2, IgnoreRobots: true, Timeout: 10 * time.Second})
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Fetch(context.Background(), fmt.Sprintf("%s/p%d", slow.URL, i))
			errs <- err
		}()
	}
	// Wait until the slow host holds both its slots.
	deadline := time.Now().Add(5 * time.Second)
	for inFlight.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if inFlight.Load() != 2 {
		t.Fatalf("in flight at the slow host: %d, want 2", inFlight.Load())
	}
	// Another host is not held up by the slow one's full slots.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Fetch(ctx, other.URL+"/article.html"); err != nil {
		t.Fatalf("fetch from another host while the first is saturated: %v", err)
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Fetch: %v", err)
		}
	}
	if p := peak.Load(); p != 2 {
		t.Fatalf("peak concurrency at one host = %d, want 2", p)
	}
}

func TestRobots(t *testing.T) {
	var robotsHits atomic.Int32
	robotsStatus := atomic.Int32{}
	robotsStatus.Store(200)
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		robotsHits.Add(1)
		if code := int(robotsStatus.Load()); code != 200 {
			w.WriteHeader(code)
			return
		}
		io.WriteString(w, "User-agent: *\nDisallow: /private/\n\nUser-agent: newspipe\nDisallow: /no-bots/\nDisallow: /search?\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>page</p>")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	clock := &fakeClock{t: time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC)}
	c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, RobotsTTL: time.Hour, Now: clock.Now, Sleep: clock.Sleep})
	tests := []struct {
		path    string
		wantErr error
	}{
		{"/news/1.html", nil},
		{"/private/x", nil}, // only the "*" group says so; ours does not
		{"/no-bots/x", ErrDisallowed},
		{"/search?q=huawei", ErrDisallowed},
		{"/search-tips", nil},
	}
	for _, tt := range tests {
		_, err := c.Fetch(context.Background(), srv.URL+tt.path)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("Fetch %s = %v, want %v", tt.path, err, tt.wantErr)
		}
		if tt.wantErr != nil && (Retryable(err) || Class(err) != "robots") {
			t.Errorf("Fetch %s: disallowed must be permanent and classed robots", tt.path)
		}
	}
	if n := robotsHits.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times within its TTL, want 1", n)
	}

	// After the TTL it is read again; a 5xx closes the host, retryably.
	robotsStatus.Store(503)
	clock.mu.Lock()
	clock.t = clock.t.Add(2 * time.Hour)
	clock.mu.Unlock()
	_, err := c.Fetch(context.Background(), srv.URL+"/news/2.html")
	if !errors.Is(err, ErrRobotsUnavailable) || !Retryable(err) {
		t.Errorf("with robots.txt answering 503: %v, want retryable ErrRobotsUnavailable", err)
	}
	if n := robotsHits.Load(); n != 2 {
		t.Errorf("robots.txt fetched %d times, want 2 after the TTL", n)
	}

	// A missing robots.txt (4xx) allows everything.
	robotsStatus.Store(404)
	clock.mu.Lock()
	clock.t = clock.t.Add(2 * time.Hour)
	clock.mu.Unlock()
	if _, err := c.Fetch(context.Background(), srv.URL+"/no-bots/x"); err != nil {
		t.Errorf("with robots.txt answering 404: %v, want allowed", err)
	}
}

func TestLimiterForgetsIdleHosts(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC)}
	l := newHostLimiter(time.Second, 1, nil, clock.Now, clock.Sleep)
	for i := range sweepAbove + 10 {
		release, err := l.acquire(context.Background(), fmt.Sprintf("h%d", i))
		if err != nil {
			t.Fatal(err)
		}
		release()
	}
	clock.mu.Lock()
	clock.t = clock.t.Add(time.Minute)
	clock.mu.Unlock()
	release, err := l.acquire(context.Background(), "last")
	if err != nil {
		t.Fatal(err)
	}
	release()
	if n := l.size(); n > 2 {
		t.Fatalf("limiter tracks %d hosts after they went idle, want at most 2", n)
	}
}

func TestLimiterHonoursCancel(t *testing.T) {
	l := newHostLimiter(0, 1, nil, time.Now, sleepCtx)
	release, err := l.acquire(context.Background(), "h")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.acquire(ctx, "h"); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire on a full host with a cancelled context = %v", err)
	}
	release()
	release2, err := l.acquire(context.Background(), "h")
	if err != nil {
		t.Fatalf("slot not freed: %v", err)
	}
	release2()
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"too large", fmt.Errorf("x: %w", ErrTooLarge), false},
		{"content type", ErrContentType, false},
		{"redirects", ErrTooManyRedirects, false},
		{"disallowed", ErrDisallowed, false},
		{"bad url", ErrBadURL, false},
		{"robots unavailable", ErrRobotsUnavailable, true},
		{"timeout", ErrTimeout, true},
		{"deadline", context.DeadlineExceeded, true},
		{"408", &StatusError{Code: 408}, true},
		{"404", &StatusError{Code: 404}, false},
		{"502", fmt.Errorf("wrapped: %w", &StatusError{Code: 502}), true},
		{"network", errors.New("connection reset by peer"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Retryable(tt.err); got != tt.want {
				t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestMaxInFlight: the process-wide cap holds across hosts, and requests
// queued behind a busy host do not take places from another host.
func TestMaxInFlight(t *testing.T) {
	var inFlight, peak atomic.Int32
	gate := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-gate
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<p>ok</p>"))
	}))
	defer slow.Close()
	other := pageServer(t)

	// Three places: the slow host may hold two (its own cap), four more of
	// its requests wait for its turn, and the third place stays free for
	// another host.
	c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, PerHostConcurrency: 2, MaxInFlight: 3, IgnoreRobots: true, Timeout: 10 * time.Second})
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Fetch(context.Background(), fmt.Sprintf("%s/p%d", slow.URL, i)); err != nil {
				t.Errorf("Fetch: %v", err)
			}
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for inFlight.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Fetch(ctx, other.URL+"/article.html"); err != nil {
		t.Fatalf("another host, with four requests queued behind a busy one: %v", err)
	}

	// With the third place taken, a request to yet another host waits.
	block := make(chan struct{})
	third := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer third.Close()
	defer close(block)
	go c.Fetch(context.Background(), third.URL+"/hold") // held until the end
	for inFlight.Load() < 2 || len(c.client.Transport.(*politeTransport).inFlight) < 3 {
		if time.Now().After(deadline) {
			t.Fatal("the third place was never taken")
		}
		time.Sleep(5 * time.Millisecond)
	}
	short, cancelShort := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancelShort()
	if _, err := c.Fetch(short, other.URL+"/notes.txt"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a fourth request with three places taken = %v, want it to wait (deadline exceeded)", err)
	}
	close(gate)
	wg.Wait()
	if p := peak.Load(); p != 2 {
		t.Fatalf("peak at the slow host = %d, want 2", p)
	}
}
