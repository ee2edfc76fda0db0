package demosite

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzHandlerPath checks that no request path makes the handler panic,
// answer with an unexpected status, or leak the placeholder origin.
func FuzzHandlerPath(f *testing.F) {
	s, err := New()
	if err != nil {
		f.Fatal(err)
	}
	h, err := s.Handler("http://demo.test")
	if err != nil {
		f.Fatal(err)
	}
	pages, err := Expected()
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range pages[:4] {
		f.Add(p.Path)
	}
	for _, seed := range []string{"/", "/northwire/rss.xml", "/static/img/x.svg", "/%00", "/../etc/passwd", "/northwire/"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, path string) {
		req, err := http.NewRequest(http.MethodGet, "http://demo.test/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Path = path
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusNotFound:
		default:
			t.Fatalf("path %q: status %d", path, rec.Code)
		}
		if bytes.Contains(rec.Body.Bytes(), []byte("demo.newspipe.invalid")) {
			t.Fatalf("path %q: placeholder origin leaked", path)
		}
	})
}

func BenchmarkServePage(b *testing.B) {
	benchmarkServe(b, "/zhongguo-keji/keji/20261106/c_1130245.htm")
}

func BenchmarkServeFeed(b *testing.B) {
	benchmarkServe(b, "/northwire/rss.xml")
}

func benchmarkServe(b *testing.B, path string) {
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	h, err := s.Handler("http://demo.test")
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, path, nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
}
