package api

import (
	"slices"
	"strings"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// segment is a piece of a paragraph: plain text, or an evidence sentence
// with the tags it decided.
type segment struct {
	Text string
	Tags []string
}

// span is an evidence sentence found in a paragraph, as byte offsets.
type span struct {
	start, end int
	tags       []string
}

// highlight cuts each paragraph into segments, marking in place every
// occurrence of an evidence sentence with the tags that sentence decided
// (a sentence that decided several tags is marked once, with all of them;
// overlapping sentences are merged into one mark). It also returns the
// evidence it found nowhere in the text, so that the page can still show
// it: the classifier may have read a sentence across a paragraph break.
func highlight(paragraphs []string, evidence []*newspipev1.Evidence) (out [][]segment, unplaced []*newspipev1.Evidence) {
	// One entry per distinct sentence, its tags in the event's order.
	type ev struct {
		sentence string
		tags     []string
		placed   bool
	}
	var evs []*ev
	for _, e := range evidence {
		s := strings.TrimSpace(e.GetSentence())
		if s == "" {
			continue
		}
		i := slices.IndexFunc(evs, func(x *ev) bool { return x.sentence == s })
		if i < 0 {
			evs = append(evs, &ev{sentence: s})
			i = len(evs) - 1
		}
		if !slices.Contains(evs[i].tags, e.GetTag()) {
			evs[i].tags = append(evs[i].tags, e.GetTag())
		}
	}
	for _, p := range paragraphs {
		var spans []span
		for _, e := range evs {
			for from := 0; ; {
				i := strings.Index(p[from:], e.sentence)
				if i < 0 {
					break
				}
				start := from + i
				spans = append(spans, span{start: start, end: start + len(e.sentence), tags: e.tags})
				e.placed = true
				from = start + len(e.sentence)
			}
		}
		out = append(out, cut(p, merge(spans)))
	}
	for _, e := range evs {
		if !e.placed {
			for _, tag := range e.tags {
				unplaced = append(unplaced, &newspipev1.Evidence{Tag: tag, Sentence: e.sentence})
			}
		}
	}
	return out, unplaced
}

// merge sorts spans and joins the ones that overlap, with both's tags.
func merge(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var out []span
	for _, s := range spans {
		if n := len(out); n > 0 && s.start < out[n-1].end {
			last := &out[n-1]
			last.end = max(last.end, s.end)
			for _, t := range s.tags {
				if !slices.Contains(last.tags, t) {
					last.tags = append(slices.Clip(last.tags), t)
				}
			}
			continue
		}
		out = append(out, span{start: s.start, end: s.end, tags: slices.Clone(s.tags)})
	}
	return out
}

// cut returns p as segments around the merged spans.
func cut(p string, spans []span) []segment {
	var out []segment
	at := 0
	for _, s := range spans {
		if s.start > at {
			out = append(out, segment{Text: p[at:s.start]})
		}
		out = append(out, segment{Text: p[s.start:s.end], Tags: s.tags})
		at = s.end
	}
	if at < len(p) || len(out) == 0 {
		out = append(out, segment{Text: p[at:]})
	}
	return out
}
