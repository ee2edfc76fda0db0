package replay

import (
	"strings"
	"testing"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

func TestCompare(t *testing.T) {
	story := func(rucn bool, key string, topics ...string) *newspipev1.EnrichedArticle {
		a := &newspipev1.EnrichedArticle{RuCnTech: rucn, Topics: topics}
		if len(topics) > 0 {
			a.PrimaryTopic = topics[0]
		}
		if key != "" {
			a.Agreement = &newspipev1.Agreement{Detected: true, Key: key}
		}
		return a
	}
	cases := []struct {
		name      string
		old, next *newspipev1.EnrichedArticle
		want      string
	}{
		{"unchanged", story(true, "k", "space"), story(true, "k", "space"), ""},
		{"topic order alone is no change", story(true, "", "space", "ai"), story(true, "", "space", "ai"), ""},
		{"gained", story(false, ""), story(true, "", "space"), "gained"},
		{"lost with its deal", story(true, "k", "space"), story(false, ""), "lost,deal_lost"},
		{"primary topic changed", story(true, "", "space", "ai"), story(true, "", "ai", "space"), "retopiced"},
		{"topics changed", story(true, "", "space"), story(true, "", "space", "energy"), "retopiced"},
		{"deal found", story(true, "", "space"), story(true, "k", "space"), "deal_found"},
		{"deal changed", story(true, "a", "space"), story(true, "b", "space"), "deal_changed"},
		{"a story outside the beat changes topics: not counted", story(false, "", "other"), story(false, "", "energy"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(Compare(tc.old, tc.next), ","); got != tc.want {
				t.Errorf("Compare = %q, want %q", got, tc.want)
			}
		})
	}
}
