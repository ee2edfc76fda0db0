package sources

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []Source
		// wantErrs are sentinels every one of which must be in the error.
		wantErrs []error
		// wantText are fragments the error message must contain.
		wantText []string
	}{
		{
			name: "full entry and defaults",
			yaml: `
sources:
  - id: tass-en
    name: TASS
    url: https://tass.com/rss/v2.xml
    lang: EN
    interval: 15m
  - id: ithome
    url: https://www.ithome.com/rss/
    enabled: false
`,
			want: []Source{
				{ID: "tass-en", Name: "TASS", Kind: KindFeed, URL: "https://tass.com/rss/v2.xml", Lang: "en", Interval: 15 * time.Minute},
				{ID: "ithome", Name: "ithome", Kind: KindFeed, URL: "https://www.ithome.com/rss/", Disabled: true},
			},
		},
		{
			name: "every field, and the other kinds",
			yaml: `
sources:
  - id: rbc
    name: RBC
    kind: section
    url: https://www.rbc.ru/technology_and_media/
    selector: "div.item a.item__link, h2 > a"
    lang: ru
    charset: Windows-1251
    interval: 30m
    headers:
      Cookie: consent=yes
      x-api-key: k1
    tags: [Business, ru]
  - id: news-sitemap
    kind: Sitemap
    url: https://news.example/sitemap-news.xml
`,
			want: []Source{
				{ID: "rbc", Name: "RBC", Kind: KindSection, URL: "https://www.rbc.ru/technology_and_media/", Selector: "div.item a.item__link, h2 > a",
					Lang: "ru", Charset: "windows-1251", Interval: 30 * time.Minute,
					Header: http.Header{"Cookie": {"consent=yes"}, "X-Api-Key": {"k1"}}, Tags: []string{"business", "ru"}},
				{ID: "news-sitemap", Name: "news-sitemap", Kind: KindSitemap, URL: "https://news.example/sitemap-news.xml"},
			},
		},
		{
			name:     "unknown kind",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, kind: podcast}\n",
			wantErrs: []error{ErrBadKind},
		},
		{
			name:     "section without a selector",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, kind: section}\n",
			wantErrs: []error{ErrMissing},
			wantText: []string{"selector: missing"},
		},
		{
			name:     "selector that does not parse",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, kind: section, selector: 'a[href'}\n",
			wantErrs: []error{ErrBadSelector},
		},
		{
			name:     "selector on a feed",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, selector: 'a'}\n",
			wantErrs: []error{ErrBadSelector},
		},
		{
			name:     "unknown charset",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, charset: klingon}\n",
			wantErrs: []error{ErrBadCharset},
		},
		{
			name:     "header the fetcher sets",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, headers: {User-Agent: mozilla}}\n",
			wantErrs: []error{ErrBadHeader},
			wantText: []string{"User-Agent is set by the fetcher"},
		},
		{
			name:     "header name with a space",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, headers: {'X Key': v}}\n",
			wantErrs: []error{ErrBadHeader},
		},
		{
			name:     "header value with a newline",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, headers: {X-Key: \"a\\nb\"}}\n",
			wantErrs: []error{ErrBadHeader},
		},
		{
			name:     "bad tag",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, tags: ['two words']}\n",
			wantErrs: []error{ErrBadTag},
		},
		{
			name:     "empty document",
			yaml:     "",
			wantErrs: []error{ErrNoSources},
		},
		{
			name:     "empty list",
			yaml:     "sources: []\n",
			wantErrs: []error{ErrNoSources},
		},
		{
			name: "duplicate id names both entries and the line",
			yaml: `sources:
  - id: a
    url: https://a.example/feed
  - id: a
    url: https://b.example/feed
`,
			wantErrs: []error{ErrDuplicateID},
			wantText: []string{`line 4: source #2 (id "a"): id: duplicate id: also used by source #1`},
		},
		{
			name: "duplicate url",
			yaml: `sources:
  - {id: a, url: "https://a.example/feed"}
  - {id: b, url: "https://a.example/feed"}
`,
			wantErrs: []error{ErrDuplicateURL},
		},
		{
			name:     "relative url",
			yaml:     "sources:\n  - {id: a, url: /feed.xml}\n",
			wantErrs: []error{ErrBadURL},
			wantText: []string{`source #1 (id "a"): url:`},
		},
		{
			name:     "ftp url",
			yaml:     "sources:\n  - {id: a, url: ftp://a.example/feed}\n",
			wantErrs: []error{ErrBadURL},
		},
		{
			name:     "url with credentials",
			yaml:     "sources:\n  - {id: a, url: https://u:p@a.example/feed}\n",
			wantErrs: []error{ErrBadURL},
		},
		{
			name:     "missing url and id",
			yaml:     "sources:\n  - {name: nameless}\n",
			wantErrs: []error{ErrMissing},
			wantText: []string{"id: missing", "url: missing"},
		},
		{
			name:     "unparsable interval",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, interval: soon}\n",
			wantErrs: []error{ErrBadInterval},
			wantText: []string{`"soon" is not a duration`},
		},
		{
			name:     "interval too short",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, interval: 1s}\n",
			wantErrs: []error{ErrBadInterval},
		},
		{
			name:     "negative interval",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, interval: -10m}\n",
			wantErrs: []error{ErrBadInterval},
		},
		{
			name:     "uppercase id",
			yaml:     "sources:\n  - {id: TASS, url: https://a.example/f}\n",
			wantErrs: []error{ErrBadID},
		},
		{
			name:     "id with subject wildcard",
			yaml:     "sources:\n  - {id: 'a.>', url: https://a.example/f}\n",
			wantErrs: []error{ErrBadID},
		},
		{
			name:     "id starting with a dash",
			yaml:     "sources:\n  - {id: -a, url: https://a.example/f}\n",
			wantErrs: []error{ErrBadID},
		},
		{
			name:     "bad lang",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, lang: english}\n",
			wantErrs: []error{ErrBadLang},
		},
		{
			name:     "typo in a field name",
			yaml:     "sources:\n  - {id: a, url: https://a.example/f, intreval: 5m}\n",
			wantErrs: []error{ErrUnknownField},
			wantText: []string{`"intreval"`},
		},
		{
			name:     "typo at the top",
			yaml:     "source:\n  - {id: a, url: https://a.example/f}\n",
			wantErrs: []error{ErrUnknownField},
		},
		{
			name: "every problem is reported",
			yaml: `sources:
  - {id: a, url: https://a.example/f, interval: nope}
  - {id: a, url: "::"}
  - {id: B, url: https://c.example/f}
`,
			wantErrs: []error{ErrBadInterval, ErrBadURL, ErrDuplicateID, ErrBadID},
		},
		{
			name:     "not yaml",
			yaml:     "sources: [\n",
			wantText: []string{"parse sources yaml"},
		},
		{
			name:     "entry is a scalar",
			yaml:     "sources:\n  - https://a.example/f\n",
			wantText: []string{"not a mapping"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.yaml))
			if len(tt.wantErrs) == 0 && len(tt.wantText) == 0 {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %d sources, want %d: %+v", len(got), len(tt.want), got)
				}
				for i := range got {
					if !reflect.DeepEqual(got[i], tt.want[i]) {
						t.Errorf("source %d = %+v, want %+v", i, got[i], tt.want[i])
					}
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want an error", got)
			}
			if got != nil {
				t.Errorf("Parse returned %d sources with an error", len(got))
			}
			for _, want := range tt.wantErrs {
				if !errors.Is(err, want) {
					t.Errorf("error %q does not wrap %q", err, want)
				}
			}
			for _, frag := range tt.wantText {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("error %q does not contain %q", err, frag)
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := Source{ID: "a", URL: "https://a.example/f"}
	tests := []struct {
		name    string
		list    []Source
		wantErr error
	}{
		{"valid", []Source{ok, {ID: "b", URL: "https://b.example/f"}}, nil},
		{"duplicate id", []Source{ok, {ID: "a", URL: "https://b.example/f"}}, ErrDuplicateID},
		{"bad url", []Source{{ID: "a", URL: "a.example"}}, ErrBadURL},
		{"interval too long", []Source{{ID: "a", URL: "https://a.example/f", Interval: 30 * 24 * time.Hour}}, ErrBadInterval},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.list)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Validate = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestDefault(t *testing.T) {
	list, err := Default()
	if err != nil {
		t.Fatalf("the embedded sources.yaml does not validate: %v", err)
	}
	langs := map[string]int{}
	for _, s := range Enabled(list) {
		langs[s.Lang]++
		if !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("source %s: %s is not https", s.ID, s.URL)
		}
	}
	// The beat needs every language the classifier reads.
	for _, l := range []string{"en", "ru", "zh", "es", "id"} {
		if langs[l] == 0 {
			t.Errorf("no enabled default source in %q", l)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sources.yaml")
	if err := os.WriteFile(path, []byte("sources:\n  - {id: a, url: https://a.example/f}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	list, err := Load(path)
	if err != nil || len(list) != 1 || list[0].ID != "a" {
		t.Fatalf("Load = %+v, %v", list, err)
	}
	_, err = Load(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want ErrNotExist", err)
	}
	if err := os.WriteFile(path, []byte("sources:\n  - {id: a, url: nope}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Load(bad) = %v, want an error naming the file", err)
	}
}

func TestEnabled(t *testing.T) {
	list := []Source{{ID: "a"}, {ID: "b", Disabled: true}, {ID: "c"}}
	got := Enabled(list)
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "c" {
		t.Fatalf("Enabled = %+v", got)
	}
}

// FuzzParse checks that no input crashes the parser and that whatever it
// accepts satisfies the documented invariants.
func FuzzParse(f *testing.F) {
	f.Add([]byte("sources:\n  - {id: a, url: https://a.example/f, lang: en, interval: 10m}\n"))
	f.Add([]byte("sources:\n  - id: a\n    url: http://x/\n    enabled: false\n"))
	f.Add([]byte("sources: [{id: a}, {id: a}]"))
	f.Add([]byte("sources: {a: b}"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("sources:\n  - &x {id: a, url: https://a/}\n  - *x\n"))
	f.Add(defaultYAML)
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := Parse(data)
		if err != nil {
			if list != nil {
				t.Fatal("sources returned with an error")
			}
			return
		}
		if len(list) == 0 {
			t.Fatal("accepted an empty list")
		}
		if err := Validate(list); err != nil {
			t.Fatalf("Parse accepted what Validate refuses: %v", err)
		}
		for _, s := range list {
			if !validID(s.ID) || s.Name == "" {
				t.Fatalf("accepted source %+v", s)
			}
		}
	})
}
