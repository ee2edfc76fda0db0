package feed

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

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
			f, err := Parse(readFixture(t, tt.file), tt.base, "")
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
		if _, err := Parse([]byte(body), "", ""); !errors.Is(err, ErrNotFeed) {
			t.Errorf("Parse(%q) = %v, want ErrNotFeed", body, err)
		}
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
		feed, err := Parse(data, "https://base.example/feed", "")
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

// TestParseInvalidXML: a document the lenient parser reads although it is
// not well-formed is reported as invalid, with what could be read kept.
func TestParseInvalidXML(t *testing.T) {
	tests := []struct {
		name, doc string
		items     int
		invalid   string // fragment of Invalid; "" for well-formed
		wantErr   error
	}{
		{"well-formed", `<rss version="2.0"><channel><title>T</title><item><link>https://a.example/1</link></item></channel></rss>`, 1, "", nil},
		{"html entity is fine", `<rss version="2.0"><channel><title>T&nbsp;U</title><item><title>A&mdash;B</title><link>https://a.example/1</link></item></channel></rss>`, 1, "", nil},
		{"mismatched tags", `<rss version="2.0"><channel><title>T</title><item><link>https://a.example/1</link></item><item><title>B<link>https://a.example/2</link></item></channel></rss>`, 1, "closed by", nil},
		{"junk after the root", `<rss version="2.0"><channel><title>T</title><item><link>https://a.example/1</link></item></channel></rss><x`, 1, "unexpected EOF", nil},
		{"cut off", `<rss version="2.0"><channel><title>T</title><item><link>https://a.example/1</link>`, 0, "", ErrMalformed},
		{"empty feed is valid", `<rss version="2.0"><channel><title>T</title></channel></rss>`, 0, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.doc), "https://a.example/feed", "")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Parse error %v, want %v", err, tt.wantErr)
			}
			if len(f.Items) != tt.items {
				t.Errorf("%d items, want %d", len(f.Items), tt.items)
			}
			if (tt.invalid == "") != (f.Invalid == "") || !strings.Contains(f.Invalid, tt.invalid) {
				t.Errorf("Invalid = %q, want %q", f.Invalid, tt.invalid)
			}
		})
	}
}
