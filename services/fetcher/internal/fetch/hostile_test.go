package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// The servers in this file misbehave on purpose, each in one way the real
// internet does. They all listen on loopback.

func compressed(t testing.TB, enc string, body []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate-zlib":
		w = zlib.NewWriter(&buf)
	case "deflate-raw":
		fw, _ := flate.NewWriter(&buf, flate.DefaultCompression)
		w = fw
	case "br":
		w = brotli.NewWriter(&buf)
	default:
		t.Fatalf("no encoder %q", enc)
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestContentEncodings(t *testing.T) {
	article := fixture(t, "article.html")
	tests := []struct {
		name, header, encoder string
		wantClass             string
	}{
		{"gzip", "gzip", "gzip", ClassOK},
		{"x-gzip", "x-gzip", "gzip", ClassOK},
		{"deflate as zlib", "deflate", "deflate-zlib", ClassOK},
		{"deflate as raw deflate", "deflate", "deflate-raw", ClassOK},
		{"brotli", "br", "br", ClassOK},
		{"identity", "identity", "", ClassOK},
		{"unknown coding", "compress", "", ClassBadEncoding},
		{"corrupt gzip", "gzip", "corrupt", ClassBadEncoding},
		{"three layers", "gzip, gzip, gzip", "gzip", ClassBadEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			switch tt.encoder {
			case "":
				body = article
			case "corrupt":
				body = append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, bytes.Repeat([]byte{0xde, 0xad}, 50)...)
			default:
				body = compressed(t, tt.encoder, article)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("Accept-Encoding"); got != AcceptEncoding {
					t.Errorf("Accept-Encoding %q, want %q", got, AcceptEncoding)
				}
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("Content-Encoding", tt.header)
				w.Write(body)
			}))
			defer srv.Close()
			c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, IgnoreRobots: true})
			resp, err := c.Fetch(context.Background(), srv.URL+"/a")
			if Class(err) != tt.wantClass {
				t.Fatalf("Class = %s, want %s (err %v)", Class(err), tt.wantClass, err)
			}
			if err == nil && !bytes.Equal(resp.Body, article) {
				t.Fatalf("decoded body of %d bytes, want the %d-byte article", len(resp.Body), len(article))
			}
			if err != nil && Retryable(err) {
				t.Errorf("%v is retryable; a bad encoding is not", err)
			}
		})
	}
}

// rssBytes reads this process's resident set size, in bytes.
func rssBytes(t *testing.T, field string) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("parse %s %q: %v", field, v, err)
			}
			return kb << 10
		}
	}
	t.Skipf("no %s in /proc/self/status", field)
	return 0
}

// TestCompressionBombs serves 1 GiB of HTML as about 1 MB of gzip, and 32
// MiB as a few KB of brotli: the client stops at the cap, and the process
// stays below 200 MB of resident memory while doing so.
func TestCompressionBombs(t *testing.T) {
	// One gzip member of 1 MiB of zeros, repeated: gzip readers read
	// concatenated members as one stream, so 1,024 copies inflate to 1 GiB.
	member := compressed(t, "gzip", make([]byte, 1<<20))
	brBomb := compressed(t, "br", make([]byte, 32<<20))
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/br" {
			w.Header().Set("Content-Encoding", "br")
			w.Write(brBomb)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		for range 1024 {
			n, err := w.Write(member)
			sent.Add(int64(n))
			if err != nil {
				return // the client hung up at the cap: the point
			}
		}
	}))
	defer srv.Close()

	// Peak RSS is reset where the kernel lets us (clear_refs 5), so the
	// high-water mark read afterwards is this test's; the sampled current
	// RSS is the fallback.
	debug.FreeOSMemory() // what building the bombs took is not the client's
	resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	var peak atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if v := rssBytes(t, "VmRSS"); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()

	c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, IgnoreRobots: true})
	for _, path := range []string{"/gzip", "/br"} {
		_, err := c.Fetch(context.Background(), srv.URL+path)
		if !errors.Is(err, ErrTooLarge) || Class(err) != ClassTooLarge || Retryable(err) {
			t.Errorf("%s bomb: %v (class %s), want permanent ErrTooLarge", path, err, Class(err))
		}
	}
	close(stop)
	wg.Wait()
	high := peak.Load()
	if resetPeak {
		high = max(high, rssBytes(t, "VmHWM"))
	}
	t.Logf("gzip bomb: server wrote %d compressed bytes before the client hung up; peak RSS %d MiB (high-water mark reset: %v)", sent.Load(), high>>20, resetPeak)
	if high > 200<<20 && !raceEnabled {
		t.Fatalf("peak RSS %d MiB while reading the bombs, want under 200 MiB", high>>20)
	}
	if sent.Load() > 100<<20 {
		t.Errorf("the server sent %d bytes: the client read far past its cap", sent.Load())
	}
}

// TestSlowLoris: a server that sends its headers, or its body, one byte a
// second is cut off by the header timeout and the request timeout.
func TestSlowLoris(t *testing.T) {
	trickle := func(w *bufio.Writer, s string, stop <-chan struct{}) {
		for i := range len(s) {
			w.WriteByte(s[i])
			if w.Flush() != nil {
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Second):
			}
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		stop := r.Context().Done()
		if r.URL.Path == "/headers" {
			buf.WriteString("HTTP/1.1 200 OK\r\n")
			trickle(buf.Writer, "X-Slow: "+strings.Repeat("a", 120)+"\r\n\r\n", stop)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 200\r\n\r\n")
		trickle(buf.Writer, strings.Repeat("<p>x</p>", 25), stop)
	}))
	defer srv.Close()
	c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, IgnoreRobots: true,
		HeaderTimeout: 1500 * time.Millisecond, Timeout: 2500 * time.Millisecond})
	for _, path := range []string{"/headers", "/body"} {
		t.Run(path, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := c.Fetch(context.Background(), srv.URL+path)
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, ErrTimeout) || Class(err) != ClassTimeout || !Retryable(err) {
					t.Fatalf("trickled %s: %v (class %s), want a retryable ErrTimeout", path, err, Class(err))
				}
			case <-time.After(60 * time.Second):
				// Liveness, not speed: the server would trickle for minutes.
				t.Fatalf("trickled %s: no answer after a minute; the timeouts do not hold", path)
			}
		})
	}
}

func TestHostileResponses(t *testing.T) {
	article := fixture(t, "article.html")
	mux := http.NewServeMux()
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/b", http.StatusFound) })
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/a", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/self", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/self", http.StatusFound) })
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://files.example/a", http.StatusFound)
	})
	mux.HandleFunc("/fat-headers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("p", 200<<10))
		w.Write(article)
	})
	challenge := `<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div id="challenge-body-text">Checking if the site connection is secure</div><script>window._cf_chl_opt={cvId: '3'};</script><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>`
	mux.HandleFunc("/cf-403", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "cloudflare")
		w.Header().Set("Cf-Mitigated", "challenge")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, challenge)
	})
	mux.HandleFunc("/cf-503", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "cloudflare")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, strings.ReplaceAll(challenge, "window._cf_chl_opt", "window.opts"))
	})
	mux.HandleFunc("/cf-200", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, challenge)
	})
	mux.HandleFunc("/ddos-guard", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "ddos-guard")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, "<html><body>Checking your browser before accessing</body></html>")
	})
	mux.HandleFunc("/cf-ordinary", func(w http.ResponseWriter, r *http.Request) {
		// An ordinary page of a site behind Cloudflare carries its script.
		w.Header().Set("Server", "cloudflare")
		w.Header().Set("Content-Type", "text/html")
		w.Write(bytes.Replace(article, []byte("</body>"), []byte(`<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script></body>`), 1))
	})
	mux.HandleFunc("/plain-403", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "cloudflare")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, "<html><body>Forbidden</body></html>")
	})
	mux.HandleFunc("/retry-date", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", time.Now().Add(90*time.Second).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/unasked-304", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, IgnoreRobots: true})
	tests := []struct {
		path      string
		wantErr   error
		class     string
		retryable bool
	}{
		{"/loop/a", ErrRedirectLoop, ClassRedirectLoop, false},
		{"/self", ErrRedirectLoop, ClassRedirectLoop, false},
		{"/to-ftp", ErrBadURL, ClassBadURL, false},
		{"/fat-headers", ErrHeaderTooLarge, ClassHeaderTooLarge, false},
		{"/cf-403", ErrBotWall, ClassBotWall, true},
		{"/cf-503", ErrBotWall, ClassBotWall, true},
		{"/cf-200", ErrBotWall, ClassBotWall, true},
		{"/ddos-guard", ErrBotWall, ClassBotWall, true},
		{"/cf-ordinary", nil, ClassOK, false},
		{"/plain-403", nil, ClassHTTP4xx, false},
		{"/retry-date", nil, ClassHTTP5xx, true},
		{"/unasked-304", nil, ClassHTTPOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := c.Fetch(context.Background(), srv.URL+tt.path)
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Fetch = %v, want %v", err, tt.wantErr)
			}
			if Class(err) != tt.class || Retryable(err) != tt.retryable {
				t.Fatalf("Fetch = %v: class %s retryable %v, want %s %v", err, Class(err), Retryable(err), tt.class, tt.retryable)
			}
			if tt.path == "/retry-date" {
				var se *StatusError
				if !errors.As(err, &se) || se.RetryAfter < 80*time.Second || se.RetryAfter > 90*time.Second {
					t.Fatalf("Retry-After as an HTTP date: %v, want about 90s", err)
				}
			}
		})
	}
}

func TestConditionalAndKinds(t *testing.T) {
	var gotHeader atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotHeader.Store(r.Header.Clone())
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", map[string]string{"/feed": "application/rss+xml", "/text": "text/plain"}[r.URL.Path])
		fmt.Fprint(w, `<rss version="2.0"><channel></channel></rss>`)
	}))
	defer srv.Close()
	c := New(Config{Guard: allowLoopback, UserAgent: testUA, PerHostDelay: -1, IgnoreRobots: true})
	ctx := context.Background()

	resp, err := c.Get(ctx, Request{URL: srv.URL + "/feed", Kind: KindFeed, Header: http.Header{"X-Api-Key": {"k1"}, "User-Agent": {"sneaky"}}})
	if err != nil || resp.NotModified || resp.Header.Get("ETag") != `"v1"` || resp.ContentType != "application/rss+xml" {
		t.Fatalf("feed: %+v, %v", resp, err)
	}
	h := gotHeader.Load().(http.Header)
	if h.Get("X-Api-Key") != "k1" || h.Get("User-Agent") != testUA || !strings.Contains(h.Get("Accept"), "application/rss+xml") {
		t.Errorf("request headers %v: want the source's X-Api-Key, our User-Agent, a feed Accept", h)
	}
	resp, err = c.Get(ctx, Request{URL: srv.URL + "/feed", Kind: KindFeed, ETag: `"v1"`})
	if err != nil || !resp.NotModified || resp.Status != http.StatusNotModified || len(resp.Body) != 0 {
		t.Fatalf("conditional feed: %+v, %v; want NotModified", resp, err)
	}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/feed", Kind: KindPage}); !errors.Is(err, ErrContentType) {
		t.Errorf("a feed fetched as a page: %v, want ErrContentType", err)
	}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/text", Kind: KindSection}); !errors.Is(err, ErrContentType) {
		t.Errorf("plain text as a section page: %v, want ErrContentType", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{"Thu, 19 Nov 2026 12:10:00 GMT", 10 * time.Minute},
		{"Thu, 19 Nov 2026 11:00:00 GMT", 0}, // past
		{"99999999999", 365 * 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := RetryAfter(http.Header{"Retry-After": {tt.v}}, now); got != tt.want {
			t.Errorf("RetryAfter(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}
