package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestPassViews checks that the passes are views of one walk: the
// stripped view takes an unlikely subtree's text out of its ancestors'
// counts and marks its blocks absent, the no-weights view has no
// weights, and selecting content in a view leaves the walk as it was.
func TestPassViews(t *testing.T) {
	page := `<html><body><div class="story"><p>One paragraph of the story, with commas, and words enough to count.</p>` +
		`<p>Another paragraph of the story, with commas, and more words to count.</p></div>` +
		`<div class="sidebar"><p>Sidebar text that a stripping pass must not see at all.</p></div></body></html>`
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	base := newDOM(root, compileSelectors(), &scratch{})
	sidebar, story := int32(-1), int32(-1)
	for i := range base.elems {
		switch attr(base.elems[i].node, "class") {
		case "sidebar":
			sidebar = int32(i)
		case "story":
			story = int32(i)
		}
	}
	if sidebar < 0 || story < 0 || base.elems[sidebar].flags&fUnlikely == 0 || base.elems[story].weight <= 0 {
		t.Fatalf("walk: sidebar %d story %d, flags %b", sidebar, story, base.elems[max(sidebar, 0)].flags)
	}
	body := base.body
	bodyChars, sideChars := base.elems[body].chars, base.elems[sidebar].chars

	strip := base.view(passes()[0], &scratch{})
	if got, want := strip.elems[body].chars, bodyChars-sideChars; got != want {
		t.Errorf("stripped view: body chars %d, want %d", got, want)
	}
	sb := base.elems[sidebar]
	for b := sb.firstBlock; b < sb.endBlock; b++ {
		if !strip.absent[b] {
			t.Errorf("stripped view: sidebar block %q not absent", base.blocks[b].text)
		}
	}
	absent := 0
	for _, a := range strip.absent {
		if a {
			absent++
		}
	}
	if absent != int(sb.endBlock-sb.firstBlock) {
		t.Errorf("stripped view: %d blocks absent, want %d", absent, sb.endBlock-sb.firstBlock)
	}
	sel := strip.selectContent()
	for b := sb.firstBlock; b < sb.endBlock; b++ {
		if sel.keep[b] {
			t.Errorf("stripped view kept %q", base.blocks[b].text)
		}
	}

	plain := base.view(passes()[2], &scratch{})
	if plain.absent != nil || plain.elems[story].weight != 0 || plain.elems[body].chars != bodyChars {
		t.Errorf("no-weights view: absent %v, story weight %d, body chars %d", plain.absent != nil, plain.elems[story].weight, plain.elems[body].chars)
	}
	plain.selectContent()
	if base.elems[body].chars != bodyChars || base.elems[story].flags&fScored != 0 {
		t.Errorf("selection in a view changed the walk: body chars %d, story flags %b", base.elems[body].chars, base.elems[story].flags)
	}
}
