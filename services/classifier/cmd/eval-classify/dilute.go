package main

import (
	"fmt"
	"os"
	"strings"
)

// dilute returns a set of long versions of s's items: each item's text with
// paragraphs of other items of its language that are off the beat
// (NEG_OTHER, and NEG_RU_CN_NONTECH where the item is not itself about
// both countries' non-technology ties) inserted after its lead, until the
// body reaches chars characters. It stands in for the long opinion and
// analysis pieces real feeds carry, where the tie is a thread through much
// other prose: the labels stay the item's own. Items whose language has no
// such paragraphs are left out.
func dilute(s set, chars int) set {
	filler := map[string][]string{}
	for _, it := range s.items {
		if it.label != "NEG_OTHER" {
			continue
		}
		data, err := os.ReadFile(it.path)
		if err != nil {
			continue
		}
		_, body := splitLines(string(data))
		for _, p := range strings.Split(body, "\n") {
			if len([]rune(p)) >= 80 {
				filler[it.lang] = append(filler[it.lang], p)
			}
		}
	}
	out := set{name: fmt.Sprintf("%s-diluted-%dk", s.name, chars/1000)}
	for i, it := range s.items {
		paras := filler[it.lang]
		if len(paras) == 0 || it.label == "NEG_OTHER" {
			continue
		}
		data, err := os.ReadFile(it.path)
		if err != nil {
			continue
		}
		title, body := splitLines(string(data))
		lines := strings.Split(body, "\n")
		lead := min(2, len(lines))
		var b strings.Builder
		b.WriteString(strings.Join(lines[:lead], "\n"))
		n := len(body)
		for k := 0; n < chars; k++ {
			p := paras[(i*7+k)%len(paras)]
			b.WriteString("\n" + p)
			n += len(p)
		}
		if lead < len(lines) {
			b.WriteString("\n" + strings.Join(lines[lead:], "\n"))
		}
		it.text = title + "\n" + b.String()
		out.items = append(out.items, it)
	}
	return out
}

func splitLines(data string) (title, body string) {
	title, body, _ = strings.Cut(data, "\n")
	return title, body
}
