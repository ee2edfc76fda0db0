package webhook

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver answers with the given statuses in turn (the last one repeats)
// and records what it got.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	bodies   []string
	ids      []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodies = append(r.bodies, string(b))
	r.ids = append(r.ids, req.Header.Get(HeaderID)+"|"+req.Header.Get(HeaderEvent)+"|"+req.Header.Get("Content-Type"))
	st := r.statuses[min(len(r.bodies), len(r.statuses))-1]
	w.WriteHeader(st)
}

func TestPost(t *testing.T) {
	cases := []struct {
		name      string
		statuses  [][]int // one receiver per entry
		wantErr   bool
		wantCalls []int
	}{
		{"delivered", [][]int{{200}}, false, []int{1}},
		{"retried after 5xx", [][]int{{503, 502, 204}}, false, []int{3}},
		{"retried after 429", [][]int{{429, 200}}, false, []int{2}},
		{"gives up after the tries", [][]int{{500}}, true, []int{3}},
		{"4xx is not retried", [][]int{{404}}, true, []int{1}},
		{"one failing URL fails the post, the others still get it", [][]int{{400}, {200}}, true, []int{1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var urls []string
			var rs []*receiver
			for _, st := range tc.statuses {
				r := &receiver{statuses: st}
				srv := httptest.NewServer(r)
				t.Cleanup(srv.Close)
				urls = append(urls, srv.URL+"/hook?token=secret")
				rs = append(rs, r)
			}
			p := New(Config{URLs: urls, Tries: 3, Backoff: time.Millisecond})
			err := p.Post(context.Background(), "k:a1", []byte(`{"key":"k"}`))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks the URL's token: %v", err)
			}
			for i, r := range rs {
				if len(r.bodies) != tc.wantCalls[i] {
					t.Errorf("receiver %d got %d calls, want %d", i, len(r.bodies), tc.wantCalls[i])
				}
				for j := range r.bodies {
					if r.bodies[j] != `{"key":"k"}` || r.ids[j] != "k:a1|agreement_alert|application/json" {
						t.Errorf("receiver %d call %d: body %q headers %q", i, j, r.bodies[j], r.ids[j])
					}
				}
			}
		})
	}
	t.Run("unreachable URL is an error", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		u := srv.URL
		srv.Close()
		p := New(Config{URLs: []string{u}, Tries: 2, Backoff: time.Millisecond})
		if err := p.Post(context.Background(), "x", nil); err == nil {
			t.Fatal("no error for a closed server")
		}
	})
}

func TestRedact(t *testing.T) {
	cases := map[string]string{
		"https://hooks.example/abc?token=s3cret":  "https://hooks.example/abc",
		"https://user:pw@hooks.example/x#frag":    "https://hooks.example/x",
		"http://127.0.0.1:9000/hook":              "http://127.0.0.1:9000/hook",
		"https://hooks.example/path@with-at-sign": "https://hooks.example/path@with-at-sign",
		"http://[::1": "(unparsable webhook URL)",
	}
	for in, want := range cases {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
