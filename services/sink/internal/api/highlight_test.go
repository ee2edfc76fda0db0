package api

import (
	"fmt"
	"strings"
	"testing"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

func render(paras [][]segment) string {
	var b strings.Builder
	for i, p := range paras {
		if i > 0 {
			b.WriteString(" | ")
		}
		for _, s := range p {
			if s.Tags == nil {
				b.WriteString(s.Text)
			} else {
				fmt.Fprintf(&b, "[%s]{%s}", s.Text, strings.Join(s.Tags, ","))
			}
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	ev := func(tag, s string) *newspipev1.Evidence { return &newspipev1.Evidence{Tag: tag, Sentence: s} }
	cases := []struct {
		name     string
		paras    []string
		evidence []*newspipev1.Evidence
		want     string
		unplaced string
	}{
		{"no evidence", []string{"One. Two."}, nil, "One. Two.", ""},
		{"one sentence, two tags", []string{"Intro. MTS and Huawei signed. Outro."},
			[]*newspipev1.Evidence{ev("ru_cn_tech", "MTS and Huawei signed."), ev("agreement", "MTS and Huawei signed.")},
			"Intro. [MTS and Huawei signed.]{ru_cn_tech,agreement} Outro.", ""},
		{"in the second paragraph", []string{"First.", "华为与MTS签署合同。其他。"},
			[]*newspipev1.Evidence{ev("agreement", "华为与MTS签署合同。")},
			"First. | [华为与MTS签署合同。]{agreement}其他。", ""},
		{"overlapping sentences merge", []string{"A b c d e."},
			[]*newspipev1.Evidence{ev("x", "A b c"), ev("y", "c d e.")},
			"[A b c d e.]{x,y}", ""},
		{"every occurrence", []string{"Deal. Deal."}, []*newspipev1.Evidence{ev("t", "Deal.")},
			"[Deal.]{t} [Deal.]{t}", ""},
		{"not in the text", []string{"Text."}, []*newspipev1.Evidence{ev("topic:space", "Across a\nbreak.")},
			"Text.", "topic:space"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, unplaced := highlight(tc.paras, tc.evidence)
			if r := render(got); r != tc.want {
				t.Errorf("got %s\nwant %s", r, tc.want)
			}
			var tags []string
			for _, e := range unplaced {
				tags = append(tags, e.GetTag())
			}
			if u := strings.Join(tags, ","); u != tc.unplaced {
				t.Errorf("unplaced %q, want %q", u, tc.unplaced)
			}
		})
	}
}
