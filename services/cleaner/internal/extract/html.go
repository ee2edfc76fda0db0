package extract

import (
	"bytes"
	"fmt"

	"github.com/newspipe/newspipe/services/cleaner/internal/decode"
	"golang.org/x/net/html"
)

// minArticleChars is the article length under which extraction retries
// without stripping "unlikely" containers: on some templates the whole
// article sits in an element with a misleading class.
const minArticleChars = 500

// extractHTML extracts the article from an HTML page.
func extractHTML(in Input) (*Article, error) {
	dec := decode.Decode(in.Body, in.ContentType)
	root, err := html.Parse(bytes.NewReader(dec.Text))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	a := &Article{Charset: dec.Charset}
	var (
		d   *dom
		sel selection
	)
	for i, p := range passes() {
		d2 := newDOM(root, p)
		sel2 := d2.selectContent()
		// A relaxed pass must find much more text, and not mostly link
		// text: otherwise it has found the menus, archive lists and
		// footers around a short article, not a longer article.
		if i == 0 || sel2.quality() > 2*sel.quality() && sel2.links*3 < sel2.chars {
			d, sel = d2, sel2
		}
		if sel.quality() >= minArticleChars {
			break
		}
	}
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
	collectMeta(root, in.URL).apply(a, d)
	if len(a.Blocks) == 0 {
		if a.Stats.BlocksRemoved == 0 {
			return a, ErrEmpty
		}
		return a, ErrNoContent
	}
	return a, nil
}
