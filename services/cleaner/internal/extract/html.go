package extract

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/cleaner/internal/decode"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// minArticleChars is the article length under which extraction retries
// without stripping "unlikely" containers: on some templates the whole
// article sits in an element with a misleading class.
const minArticleChars = 500

// extractHTML extracts the article from an HTML page.
func (x *Extractor) extractHTML(in Input) (*Article, error) {
	dec := decode.Decode(in.Body, in.ContentType)
	root, err := html.Parse(bytes.NewReader(dec.Text))
	if err != nil {
		// The parser gives up on pathological pages (more than 512 open
		// elements); their text is still worth reading line by line.
		return extractTokens(dec, in.URL)
	}
	a := &Article{Charset: dec.Charset}
	// One walk; the passes are views of it.
	base := newDOM(root, x.sel, x.scratch.get())
	defer x.scratch.put(base.scratch)
	var (
		d   *dom
		sel selection
	)
	for i, p := range passes() {
		d2 := base.view(p, x.scratch.get())
		sel2 := d2.selectContent()
		// A relaxed pass must find much more text, and not mostly link
		// text: otherwise it has found the menus, archive lists and
		// footers around a short article, not a longer article.
		if i == 0 || sel2.quality() > 2*sel.quality() && sel2.links*3 < sel2.chars {
			if d != nil {
				x.scratch.put(d.scratch)
			}
			d, sel = d2, sel2
		} else {
			x.scratch.put(d2.scratch)
		}
		if sel.quality() >= minArticleChars {
			break
		}
	}
	// The blocks' text strings outlive the scratch; nothing else does.
	defer x.scratch.put(d.scratch)
	// The metadata first: the title and byline it finds are what the
	// head of the article is checked against.
	m := collectMeta(x.sel, metaSelection(root, base.metaNodes), in.URL)
	a.Blocks = d.keptText(sel.keep, a.Blocks[:0])
	m.apply(a)
	d.moveFields(sel.keep, a)
	a.Blocks = a.Blocks[:0]
	for i := range d.blocks {
		b := &d.blocks[i]
		if sel.keep[i] {
			a.Blocks = append(a.Blocks, b.text)
			a.Stats.BlocksKept++
			a.Stats.CharsKept += int(b.chars)
		} else {
			a.Stats.BlocksRemoved++
			a.Stats.CharsRemoved += int(b.chars)
		}
	}
	if len(a.Blocks) == 0 {
		d.readFlat(a)
	}
	if len(a.Blocks) == 0 {
		if a.Stats.BlocksRemoved == 0 {
			return a, ErrEmpty
		}
		return a, ErrNoContent
	}
	return a, nil
}

// readFlat is the last resort when no container reads as an article: the
// page's blocks are read as a flattened text page is (the run of prose,
// without the chrome lines and labels around it). A page with no prose
// at all stays empty.
func (d *dom) readFlat(a *Article) {
	lines := make([]lineInfo, 0, len(d.blocks))
	for i := range d.blocks {
		if d.absent != nil && d.absent[i] {
			continue
		}
		t := d.blocks[i].text
		lines = append(lines, lineInfo{raw: t, text: t, words: countWords(t)})
	}
	cleanLines(lines)
	prose := false
	for i := range lines {
		prose = prose || lines[i].prose
	}
	if !prose {
		return
	}
	a.Stats = Stats{}
	for i := range lines {
		n := utf8.RuneCountInString(lines[i].text)
		if lines[i].drop || lines[i].text == a.Title {
			a.Stats.BlocksRemoved++
			a.Stats.CharsRemoved += n
			continue
		}
		a.Blocks = append(a.Blocks, lines[i].text)
		a.Stats.BlocksKept++
		a.Stats.CharsKept += n
	}
}

// keptText appends the text of the kept blocks to dst.
func (d *dom) keptText(keep []bool, dst []string) []string {
	for i, k := range keep {
		if k {
			dst = append(dst, d.blocks[i].text)
		}
	}
	return dst
}

// extractTokens is the fallback for pages the HTML parser rejects: it
// flattens the page with the tokenizer, a line per block-level tag, and
// cleans the lines as a text page.
func extractTokens(dec decode.Result, pageURL string) (*Article, error) {
	z := html.NewTokenizer(bytes.NewReader(dec.Text))
	z.SetMaxBuf(0)
	var (
		text    strings.Builder
		title   string
		skip    int
		inTitle bool
	)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			a, err := extractLines(text.String())
			a.Charset = dec.Charset
			if a.Title == "" {
				a.Title = foldSpace(title)
			}
			if a.CanonicalURL == "" {
				a.CanonicalURL = pageURL
			}
			return a, err
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if isSkipTag(a) && a != atom.Title && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			if a == atom.Title {
				inTitle = tt == html.StartTagToken
			}
			if isBlockTag(a) || a == atom.Br {
				text.WriteByte('\n')
			}
		case html.TextToken:
			switch {
			case inTitle:
				title += string(z.Text())
			case skip == 0:
				text.WriteString(strings.Map(func(r rune) rune {
					if r == '\n' || r == '\r' {
						return ' '
					}
					return r
				}, string(z.Text())))
			}
		}
	}
}
