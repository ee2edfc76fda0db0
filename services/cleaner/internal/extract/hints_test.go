package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newspipe/newspipe/services/cleaner/internal/decode"
	"golang.org/x/net/html"
)

// naiveKinds is the specification of hintWords.find: the kinds of the
// words s contains, one strings.Contains at a time.
func naiveKinds(s string) uint16 {
	var k uint16
	for kind, words := range hintWordLists() {
		for _, w := range words {
			if strings.Contains(s, w) {
				k |= kind
			}
		}
	}
	return k
}

// classValues returns the class and id values of the testdata pages, and
// of the shared development pages when they are there.
func classValues(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	if dir := os.Getenv("NEWSPIPE_SHARED"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "extraction-dev", "*", "html", "*.html"))
		files = append(files, more...)
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		root, err := html.Parse(bytes.NewReader(decode.Decode(b, "").Text))
		if err != nil {
			continue
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			for _, a := range n.Attr {
				if (a.Key == "class" || a.Key == "id") && !seen[a.Val] {
					seen[a.Val] = true
					out = append(out, lowerASCII(a.Val))
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(root)
	}
	return out
}

func TestHintWordsFind(t *testing.T) {
	w := newHintWords()
	values := append(classValues(t), "", "hid", "article-body comments-open", "has-comments post", "nav-menu",
		"relacionadas", "sidebar main-content", "author-bio", "x-ad-0", "ad-break", "shareaholic", "post-body-related")
	if len(values) < 200 {
		t.Fatalf("only %d class values to check", len(values))
	}
	for _, v := range values {
		if got, want := w.find(v), naiveKinds(v); got != want {
			t.Errorf("find(%q) = %09b, want %09b", v, got, want)
		}
	}
}

func FuzzHintWords(f *testing.F) {
	w := newHintWords()
	for _, s := range []string{"article-body", "comment-list disqus", "compartilhar", "xiangguan-news", "and"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := w.find(s), naiveKinds(s); got != want {
			t.Fatalf("find(%q) = %09b, want %09b", s, got, want)
		}
	})
}

func TestAnalyseHints(t *testing.T) {
	w := newHintWords()
	tests := []struct {
		class, id string
		weight    int16
		set, not  uint16
	}{
		{"entry-content", "", 25, fArticle, fUnlikely | fNegative},
		{"sidebar", "", -25, fUnlikely | fNegative, fArticle},
		{"sidebar main-column", "", 0, 0, fUnlikely},
		{"comment-body", "", 0, fUnlikely, 0},
		{"post has-comments", "", 0, 0, fUnlikely},
		{"comentarios", "", -25, fUnlikely | fNegative, 0},
		{"share-buttons", "", -25, fShare, 0},
		{"byline", "", -25, fByline, 0},
		{"hid", "main", 0, 0, 0},
		{"article", "comments", 0, fUnlikely, 0},
	}
	for _, tt := range tests {
		t.Run(tt.class+"#"+tt.id, func(t *testing.T) {
			r := analyseHints(w, tt.class, tt.id)
			if r.weight != tt.weight || r.flags&tt.set != tt.set || r.flags&tt.not != 0 {
				t.Fatalf("analyseHints(%q, %q) = weight %d flags %b", tt.class, tt.id, r.weight, r.flags)
			}
		})
	}
}

// BenchmarkHintWords measures finding the hint words in one class value.
func BenchmarkHintWords(b *testing.B) {
	w := newHintWords()
	values := []string{"post-content entry-content", "comment-body", "nav-item menu-item", "col-md-4 widget sidebar"}
	for b.Loop() {
		for _, v := range values {
			w.find(v)
		}
	}
}
