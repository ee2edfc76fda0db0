package articleid

import "testing"

func TestCanonical(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "lowercases scheme and host", in: "HTTPS://News.Example.COM/a/B", want: "https://news.example.com/a/B"},
		{name: "drops fragment", in: "https://example.com/a#comments", want: "https://example.com/a"},
		{name: "drops utm and click ids", in: "https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=x", want: "https://example.com/a?id=7"},
		{name: "sorts parameters", in: "https://example.com/a?b=2&a=1", want: "https://example.com/a?a=1&b=2"},
		{name: "drops default port", in: "http://example.com:80/a", want: "http://example.com/a"},
		{name: "keeps other port", in: "http://127.0.0.1:8081/a", want: "http://127.0.0.1:8081/a"},
		{name: "empty path", in: "https://example.com", want: "https://example.com/"},
		{name: "keeps non-latin path", in: "https://example.ru/новости/1", want: "https://example.ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1"},
		{name: "relative is an error", in: "/a/b", wantErr: true},
		{name: "mailto is an error", in: "mailto:a@example.com", wantErr: true},
		{name: "garbage is an error", in: "http://[::1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Canonical(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIDStableAcrossTrackingVariants(t *testing.T) {
	a, _, err := ID("https://example.com/story?utm_source=rss")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := ID("https://EXAMPLE.com/story#top")
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("ids differ: %s vs %s", a, b)
	}
	if len(a) != 32 {
		t.Errorf("id length %d, want 32", len(a))
	}
	c, _, _ := ID("https://example.com/other")
	if c == a {
		t.Error("different pages got the same id")
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"https://example.com/a?utm_source=x#f", "http://a.b:80", "::", "https://[::1]:443/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Canonical(s)
		if err != nil {
			return
		}
		// Canonicalising is idempotent.
		c2, err := Canonical(c)
		if err != nil || c2 != c {
			t.Fatalf("Canonical not idempotent: %q -> %q -> %q (%v)", s, c, c2, err)
		}
	})
}
