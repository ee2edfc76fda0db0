// Package floor is the "all visible text" extractor: every text node a
// browser would show, with no judgement of what is article and what is
// chrome. It is the floor any article extractor must beat, and it costs
// little more than decoding and parsing the page.
package floor

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newspipe/newspipe/bench/extract-compare/internal/htmldoc"
)

// Text decodes and parses body with the stock x/net decoder and parser
// (see package htmldoc) and returns its visible text, one block per line.
// contentType is the HTTP Content-Type header and may be empty.
func Text(body []byte, contentType string) (string, error) {
	doc, err := htmldoc.Parse(body, contentType)
	if err != nil {
		return "", err
	}
	w := &writer{}
	w.walk(doc)
	w.flush()
	return strings.Join(w.lines, "\n"), nil
}

// writer collects text into lines, breaking at block elements.
type writer struct {
	lines []string
	cur   strings.Builder
}

func (w *writer) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		if invisible(n) {
			return
		}
	case html.DocumentNode:
	default:
		return // comments, doctypes
	}
	block := n.Type == html.ElementNode && isBlock(n.DataAtom)
	if block {
		w.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if block {
		w.flush()
	}
}

// text appends s as it is: an inline element boundary joins words the way
// a browser does; flush collapses white space.
func (w *writer) text(s string) { w.cur.WriteString(s) }

func (w *writer) flush() {
	if line := strings.Join(strings.Fields(w.cur.String()), " "); line != "" {
		w.lines = append(w.lines, line)
	}
	w.cur.Reset()
}

// invisible reports elements whose content a browser does not render as
// text: the head, scripts and styles, embedded objects, and elements
// hidden by the hidden attribute or an inline display:none.
func invisible(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Head, atom.Script, atom.Style, atom.Noscript, atom.Template,
		atom.Iframe, atom.Svg, atom.Math, atom.Object, atom.Canvas, atom.Select, atom.Textarea:
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			s := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Body, atom.Br, atom.Caption,
		atom.Dd, atom.Details, atom.Dialog, atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Header, atom.Hgroup, atom.Hr, atom.Li, atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre,
		atom.Section, atom.Summary, atom.Table, atom.Td, atom.Th, atom.Tr, atom.Ul, atom.Option, atom.Legend:
		return true
	}
	return false
}
