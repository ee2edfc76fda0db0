package section

import (
	"errors"
	"net/url"
	"testing"
)

// page is a section page written for these tests, with the chrome real
// ones have: navigation, a promo, social links, an ad to another site.
const page = `<!DOCTYPE html><html><head><title>Technology — Invented Wire</title></head><body>
<nav><a href="/">Home</a> <a href="/technology/">Technology</a> <a href="/world/">World</a></nav>
<main>
  <article class="card"><h2><a href="/technology/2026/11/19/chip-plant.html?ref=section#top">Chip plant  opens
    in Kaluga</a></h2><p>Summary.</p></article>
  <article class="card"><h2>Satellite joint venture <a href="https://www.wire.example/technology/2026/11/18/satellite-jv.html">read</a></h2></article>
  <article class="card"><h2><a href="/technology/2026/11/19/chip-plant.html?ref=section">Chip plant opens in Kaluga (again)</a></h2></article>
  <article class="card promo"><h2><a href="https://ads.example/click?id=9">Sponsored: buy now</a></h2></article>
  <article class="card"><h2><a href="javascript:void(0)">Broken</a></h2></article>
  <article class="card"><a href="/technology/2026/11/17/quantum-link.html"><h2>Quantum link tested</h2></a></article>
</main>
<footer><a href="https://social.example/share">Share</a></footer>
</body></html>`

func TestLinks(t *testing.T) {
	base, _ := url.Parse("https://wire.example/technology/")
	tests := []struct {
		name, selector string
		want           []Link
		wantErr        error
	}{
		{"links under headings", "article.card h2 a", []Link{
			{"https://wire.example/technology/2026/11/19/chip-plant.html?ref=section", "Chip plant opens in Kaluga"},
			{"https://www.wire.example/technology/2026/11/18/satellite-jv.html", "read"},
		}, nil},
		{"headings stand for their links", "article.card h2", []Link{
			{"https://wire.example/technology/2026/11/19/chip-plant.html?ref=section", "Chip plant opens in Kaluga"},
			{"https://www.wire.example/technology/2026/11/18/satellite-jv.html", "read"},
			{"https://wire.example/technology/2026/11/17/quantum-link.html", "Quantum link tested"},
		}, nil},
		{"selector list", "nav a[href^='/w'], footer a", []Link{{"https://wire.example/world/", "World"}}, nil},
		{"a redesign: nothing matches", "div.teaser a", nil, ErrNoLinks},
		{"only other sites", "article.promo a", nil, ErrNoLinks},
		{"selector that does not parse", "a[href", nil, ErrSelector},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Links([]byte(page), base, tt.selector)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Links error = %v, want %v", err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Links = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("link %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestBaseHref(t *testing.T) {
	base, _ := url.Parse("https://wire.example/technology/")
	got, err := Links([]byte(`<html><head><base href="https://wire.example/archive/"></head><body><h2><a href="x.html">X</a></h2></body></html>`), base, "h2 a")
	if err != nil || len(got) != 1 || got[0].URL != "https://wire.example/archive/x.html" {
		t.Fatalf("Links with <base> = %+v, %v", got, err)
	}
}

func FuzzLinks(f *testing.F) {
	f.Add([]byte(page), "article h2")
	f.Add([]byte(`<a href="//wire.example/x">x</a><base href="http://[::1">`), "a")
	f.Fuzz(func(t *testing.T, data []byte, selector string) {
		base, _ := url.Parse("https://wire.example/technology/")
		links, err := Links(data, base, selector)
		if err != nil {
			if !errors.Is(err, ErrNoLinks) && !errors.Is(err, ErrSelector) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, l := range links {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				t.Fatalf("link %q is not absolute http(s)", l.URL)
			}
		}
	})
}
