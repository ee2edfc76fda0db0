package canonical

import (
	"net/url"
	"testing"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestFind(t *testing.T) {
	const served = "https://m.wire.example/amp/2026/11/19/deal.html?utm_source=rss"
	tests := []struct {
		name, page, want string
	}{
		{"rel canonical", `<html><head><link rel="canonical" href="https://www.wire.example/2026/11/19/deal.html"></head><body></body></html>`, "https://www.wire.example/2026/11/19/deal.html"},
		{"relative, with other rel tokens", `<head><LINK REL="Canonical alternate" HREF="/2026/11/19/deal.html#top"></head>`, "https://m.wire.example/2026/11/19/deal.html"},
		{"og:url when no link", `<head><meta property="og:url" content="https://wire.example/2026/11/19/deal.html"></head>`, "https://wire.example/2026/11/19/deal.html"},
		{"link wins over og:url", `<head><meta property="og:url" content="https://wire.example/og"><link rel="canonical" href="https://wire.example/link"></head>`, "https://wire.example/link"},
		{"base href", `<head><base href="https://www.wire.example/news/"><link rel="canonical" href="deal.html"></head>`, "https://www.wire.example/news/deal.html"},
		{"another site is not taken", `<head><link rel="canonical" href="https://aggregator.example/copy/deal"></head>`, ""},
		{"another site falls back to og:url", `<head><link rel="canonical" href="https://aggregator.example/copy/deal"><meta property="og:url" content="https://wire.example/deal"></head>`, "https://wire.example/deal"},
		{"the home page is not taken", `<head><link rel="canonical" href="https://www.wire.example/"></head>`, ""},
		{"index.html neither", `<head><link rel="canonical" href="https://www.wire.example/index.html"></head>`, ""},
		{"not http", `<head><link rel="canonical" href="javascript:alert(1)"></head>`, ""},
		{"in the body it does not count", `<head></head><body><link rel="canonical" href="https://wire.example/x"></body>`, ""},
		{"none", `<html><head><title>t</title></head><body><p>text</p></body></html>`, ""},
		{"empty href", `<head><link rel="canonical" href=""></head>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Find([]byte(tt.page), mustURL(t, served)); got != tt.want {
				t.Errorf("Find = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSameSite(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://www.wire.example/a", "https://m.wire.example/b", true},
		{"https://news.bbc.co.uk/a", "https://www.bbc.co.uk/b", true},
		{"https://bbc.co.uk/a", "https://other.co.uk/b", false},
		{"https://a.github.io/x", "https://b.github.io/x", false}, // a public suffix of its own
		{"http://127.0.0.2:8080/a", "http://127.0.0.2:9090/b", true},
		{"http://127.0.0.2/a", "http://127.0.0.3/b", false},
	}
	for _, tt := range tests {
		if got := SameSite(mustURL(t, tt.a), mustURL(t, tt.b)); got != tt.want {
			t.Errorf("SameSite(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzFind(f *testing.F) {
	f.Add([]byte(`<head><base href="/x/"><link rel=canonical href="../a"><meta property=og:url content="b"></head>`))
	f.Add([]byte(`<link rel="canonical" href="https://wire.example/deal`))
	f.Fuzz(func(t *testing.T, page []byte) {
		base := mustURL(t, "https://www.wire.example/news/1.html")
		if got := Find(page, base); got != "" && !Acceptable(mustURL(t, got), base) {
			t.Fatalf("Find returned %q, which Acceptable refuses", got)
		}
	})
}
