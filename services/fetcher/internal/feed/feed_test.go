package feed

import (
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
	"testing"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
)

// allowLoopback lets the tests reach their httptest servers.
var allowLoopback = guard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")})

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	type want struct {
		link, title, summary string
		published            time.Time
		authors              []string
	}
	tests := []struct {
		name        string
		file        string
		base        string
		title       string
		items       []want
		skipped     int
		wantErr     error
		errContains string
	}{
		{
			name:  "rss",
			file:  "rss.xml",
			base:  "https://northwire.example/rss/tech.xml",
			title: "Northern Wire — Technology",
			items: []want{
				{
					link:      "https://northwire.example/technology/2026/11/19/base-station-deal?utm_source=rss&utm_medium=feed",
					title:     "Volga Telecom and a Shenzhen vendor sign a base-station supply deal",
					summary:   "The two companies signed a three-year contract on Tuesday.",
					published: time.Date(2026, 11, 19, 5, 30, 0, 0, time.UTC),
					authors:   []string{"Irina Sokolova"},
				},
				{
					link:      "https://northwire.example/technology/2026/11/18/relative-link",
					title:     "Relative link item",
					summary:   "Plain description & an entity.",
					published: time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC),
				},
				{
					link:      "https://northwire.example/technology/2026/11/17/guid-only",
					title:     "Item with only a permalink guid",
					published: time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC),
				},
			},
			skipped: 2, // no link; mailto link
		},
		{
			name:  "atom",
			file:  "atom.xml",
			base:  "https://vostok.example/atom.xml",
			title: "Восточный вестник — Технологии",
			items: []want{
				{
					link:      "https://vostok.example/news/2026/11/joint-lab",
					title:     "Российские и китайские институты договорились о совместной лаборатории",
					summary:   "Соглашение подписано в Новосибирске.",
					published: time.Date(2026, 11, 19, 4, 15, 0, 0, time.UTC),
					authors:   []string{"Пётр Иванов", "Анна Смирнова"},
				},
				{
					link:      "https://vostok.example/news/2026/11/updated-only",
					title:     "Обновлённая запись без даты публикации",
					published: time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC),
				},
			},
		},
		{
			name:  "json feed",
			file:  "feed.json",
			base:  "https://nanfang-tech.example/feed.json",
			title: "南方科技报 (invented for tests)",
			items: []want{
				{
					link:      "https://nanfang-tech.example/2026/11/19/satellite-cooperation.html#comments",
					title:     "中俄卫星导航合作委员会召开会议",
					summary:   "双方讨论了导航系统兼容与互操作。",
					published: time.Date(2026, 11, 18, 22, 0, 0, 0, time.UTC),
					authors:   []string{"李明"},
				},
			},
			skipped: 1,
		},
		{name: "broken xml", file: "broken.xml", wantErr: ErrMalformed},
		{name: "html page", file: "notfeed.html", wantErr: ErrNotFeed, errContains: "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(readFixture(t, tt.file), tt.base)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.errContains) {
					t.Fatalf("Parse error %q does not say %q", err, tt.errContains)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if f.Title != tt.title {
				t.Errorf("title = %q, want %q", f.Title, tt.title)
			}
			if f.Skipped != tt.skipped {
				t.Errorf("skipped = %d, want %d", f.Skipped, tt.skipped)
			}
			if len(f.Items) != len(tt.items) {
				t.Fatalf("got %d items, want %d: %+v", len(f.Items), len(tt.items), f.Items)
			}
			for i, w := range tt.items {
				g := f.Items[i]
				if g.Link != w.link || g.Title != w.title || g.Summary != w.summary || !g.Published.Equal(w.published) {
					t.Errorf("item %d = %+v\nwant %+v", i, g, w)
				}
				if fmt.Sprint(g.Authors) != fmt.Sprint(w.authors) {
					t.Errorf("item %d authors = %q, want %q", i, g.Authors, w.authors)
				}
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, body := range []string{"", "  \n\t"} {
		if _, err := Parse([]byte(body), ""); !errors.Is(err, ErrNotFeed) {
			t.Errorf("Parse(%q) = %v, want ErrNotFeed", body, err)
		}
	}
}

// feedServer serves fixture files with validators and records what each
// request asked for.
type feedServer struct {
	t  *testing.T
	mu sync.Mutex
	// requests holds the headers of each request, in order.
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
	fs := &feedServer{t: t}
	mux := http.NewServeMux()
	serve := func(name, ctype string) http.HandlerFunc {
		body := readFixture(t, name)
		return func(w http.ResponseWriter, r *http.Request) {
			fs.record(r)
			const etag = `"v1"`
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", "Thu, 19 Nov 2026 09:00:00 GMT")
			w.Write(body)
		}
	}
	mux.HandleFunc("/rss.xml", serve("rss.xml", "application/rss+xml"))
	mux.HandleFunc("/atom.xml", serve("atom.xml", "application/atom+xml"))
	mux.HandleFunc("/feed.json", serve("feed.json", "application/feed+json"))
	mux.HandleFunc("/broken.xml", serve("broken.xml", "application/rss+xml"))
	mux.HandleFunc("/page.html", serve("notfeed.html", "text/html"))
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		http.Redirect(w, r, "/sub/dir/rss.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/sub/dir/rss.xml", serve("rss.xml", "application/rss+xml"))
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		var code int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/status/"), &code)
		w.WriteHeader(code)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		<-r.Context().Done() // answers only once the client gave up
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		fs.record(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		if r.URL.Query().Get("length") == "1" {
			w.Header().Set("Content-Length", fmt.Sprint(11<<20))
		}
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>`)
		item := []byte("<item><title>filler</title><link>https://huge.example/a</link></item>\n")
		for n := 0; n < 11<<20; n += len(item) {
			if _, err := w.Write(item); err != nil {
				return
			}
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return fs, srv
}

func TestPoll(t *testing.T) {
	fs, srv := newFeedServer(t)
	p := NewPoller(Config{Guard: allowLoopback, UserAgent: "newspipe/test (+https://github.com/newspipe/newspipe)", Timeout: 2 * time.Second, MaxBytes: 10 << 20})
	tests := []struct {
		name       string
		path       string
		state      State
		wantErr    error
		wantStatus int
		wantItems  int
		// notModified is the expected Result.NotModified.
		notModified bool
		// wantURL is the expected final URL path.
		wantURL string
	}{
		{name: "rss", path: "/rss.xml", wantStatus: 200, wantItems: 3},
		{name: "atom", path: "/atom.xml", wantStatus: 200, wantItems: 2},
		{name: "json feed", path: "/feed.json", wantStatus: 200, wantItems: 1},
		{name: "not modified", path: "/rss.xml", state: State{ETag: `"v1"`}, wantStatus: 304, notModified: true},
		{name: "stale etag is a full fetch", path: "/rss.xml", state: State{ETag: `"v0"`}, wantStatus: 200, wantItems: 3},
		{name: "redirect", path: "/moved", wantStatus: 200, wantItems: 3, wantURL: "/sub/dir/rss.xml"},
		{name: "server error", path: "/status/500", wantErr: &StatusError{Code: 500}, wantStatus: 500},
		{name: "not found", path: "/status/404", wantErr: &StatusError{Code: 404}, wantStatus: 404},
		{name: "broken xml", path: "/broken.xml", wantErr: ErrMalformed, wantStatus: 200},
		{name: "html instead of a feed", path: "/page.html", wantErr: ErrNotFeed, wantStatus: 200},
		{name: "huge feed, chunked", path: "/huge", wantErr: ErrTooLarge, wantStatus: 200},
		{name: "huge feed, announced", path: "/huge?length=1", wantErr: ErrTooLarge, wantStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := p.Poll(context.Background(), srv.URL+tt.path, tt.state)
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("Poll: %v", err)
				}
			case *StatusError:
				var se *StatusError
				if !errors.As(err, &se) || se.Code != want.Code {
					t.Fatalf("Poll error = %v, want status %d", err, want.Code)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("Poll error = %v, want %v", err, want)
				}
			}
			if err != nil && !strings.Contains(err.Error(), srv.URL+tt.path) {
				t.Errorf("error %q does not name the feed URL", err)
			}
			if res.Status != tt.wantStatus {
				t.Errorf("status = %d, want %d", res.Status, tt.wantStatus)
			}
			if res.NotModified != tt.notModified {
				t.Errorf("NotModified = %v, want %v", res.NotModified, tt.notModified)
			}
			if len(res.Items) != tt.wantItems {
				t.Errorf("got %d items, want %d", len(res.Items), tt.wantItems)
			}
			if tt.wantURL != "" && res.URL != srv.URL+tt.wantURL {
				t.Errorf("URL = %q, want %q", res.URL, srv.URL+tt.wantURL)
			}
			if tt.wantErr == nil && !res.NotModified {
				if res.State.ETag != `"v1"` || res.State.LastModified == "" {
					t.Errorf("state = %+v, want the response's validators", res.State)
				}
			}
			if tt.notModified && res.State != tt.state {
				t.Errorf("state after 304 = %+v, want unchanged %+v", res.State, tt.state)
			}
			if ua := fs.last().Get("User-Agent"); !strings.HasPrefix(ua, "newspipe/") {
				t.Errorf("User-Agent = %q", ua)
			}
		})
	}
}

func TestPollSendsValidators(t *testing.T) {
	fs, srv := newFeedServer(t)
	p := NewPoller(Config{Guard: allowLoopback, UserAgent: "newspipe/test"})
	first, err := p.Poll(context.Background(), srv.URL+"/rss.xml", State{})
	if err != nil {
		t.Fatal(err)
	}
	if h := fs.last(); h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
		t.Fatalf("first poll sent validators: %v", h)
	}
	second, err := p.Poll(context.Background(), srv.URL+"/rss.xml", first.State)
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

func TestPollTimeout(t *testing.T) {
	_, srv := newFeedServer(t)
	p := NewPoller(Config{Guard: allowLoopback, UserAgent: "newspipe/test", Timeout: 200 * time.Millisecond})
	for _, path := range []string{"/slow", "/slow-body"} {
		t.Run(path, func(t *testing.T) {
			_, err := p.Poll(context.Background(), srv.URL+path, State{})
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("Poll = %v, want ErrTimeout", err)
			}
		})
	}
}

func TestPollUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	_, err := NewPoller(Config{Guard: allowLoopback}).Poll(context.Background(), url+"/rss.xml", State{})
	if err == nil || errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), url) {
		t.Fatalf("Poll = %v, want a connection error naming the URL", err)
	}
}

func TestPlainTextAndClip(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain  text\n here", "plain text here"},
		{"<p>One</p><p>Two</p>", "One Two"},
		{"a &amp; b", "a & b"},
		{"x<script>alert(1)</script>y", "xy"},
		{"AT&T", "AT&T"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := clip("абвгд", 3); got != "абв…" {
		t.Errorf("clip = %q", got)
	}
	if got := clip("abc", 3); got != "abc" {
		t.Errorf("clip = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"rss.xml", "atom.xml", "feed.json", "broken.xml", "notfeed.html"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"url":"/a"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := Parse(data, "https://base.example/feed")
		if err != nil {
			if !errors.Is(err, ErrNotFeed) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v wraps neither ErrNotFeed nor ErrMalformed", err)
			}
			return
		}
		for _, it := range feed.Items {
			if !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") {
				t.Fatalf("item link %q is not absolute http(s)", it.Link)
			}
			if len([]rune(it.Summary)) > maxSummary+1 {
				t.Fatalf("summary of %d runes", len([]rune(it.Summary)))
			}
		}
	})
}
