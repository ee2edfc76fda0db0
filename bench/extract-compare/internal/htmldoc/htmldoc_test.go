package htmldoc

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"utf-8", []byte("<p>Привет</p>"), "", "Привет"},
		{"meta charset windows-1251", append([]byte(`<meta charset="windows-1251"><p>`), 0xcf, 0xf0, 0xe8), "", "При"},
		{"content-type charset", []byte{'<', 'p', '>', 0xe9}, "text/html; charset=iso-8859-1", "é"},
		{"invalid utf-8 falls back to windows-1252", []byte{'<', 'p', '>', 0x93, 'x', 0x94}, "", "\u201cx\u201d"},
		{"utf-8 bom", append([]byte{0xef, 0xbb, 0xbf}, "<p>ok</p>"...), "", "ok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse(tc.body, tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if got := text(doc); got != tc.want {
				t.Errorf("text %q, want %q", got, tc.want)
			}
		})
	}
}

func text(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return sb.String()
}
