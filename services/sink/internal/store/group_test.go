package store

import (
	"strconv"
	"strings"
	"testing"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

func TestGroups(t *testing.T) {
	base := time.Date(2026, 2, 10, 8, 0, 0, 0, time.UTC)
	const h = uint64(0x9e3779b97f4a7c15)
	copyOf := func(id string, hours int, source string, simhash uint64) *newspipev1.EnrichedArticle {
		a := art(id, base.Add(time.Duration(hours)*time.Hour), rucn("telecom"))
		a.Article.SourceId, a.Article.Simhash = source, simhash
		return a
	}
	seed := []*newspipev1.EnrichedArticle{
		copyOf("wire", 0, "agency", h),
		copyOf("reprint", 2, "daily", h^0b101),            // 2 bits apart: a copy
		copyOf("edited", 3, "weekly", h^0b111<<40),        // 3 bits apart: a copy
		copyOf("other", 4, "daily", h^0xf0),               // 4 bits apart (6 from the reprint): another story
		copyOf("later", 24*20, "agency", h),               // the same text 20 days on: another story
		copyOf("unfingerprinted", 5, "daily", 0),          // no fingerprint: no group
		copyOf("rewrite-of-other", 6, "weekly", h^0xf0^1), // a copy of "other"
	}
	yes := true
	cases := []struct {
		name string
		f    Filter
		want string // id/group/stories/sources
	}{
		{"every story, with its group", Filter{},
			"later/later/1/1 rewrite-of-other/other/2/2 unfingerprinted//0/0 other/other/2/2 edited/wire/3/3 reprint/wire/3/3 wire/wire/3/3"},
		{"grouped: each group once, as its newest story", Filter{Grouped: true},
			"later/later/1/1 rewrite-of-other/other/2/2 unfingerprinted//0/0 edited/wire/3/3"},
		{"grouped and filtered: the newest story the filter selects", Filter{Grouped: true, Source: "daily"},
			"unfingerprinted//0/0 other/other/2/2 reprint/wire/3/3"},
		{"grouped, and paged past a group's newest story", Filter{Grouped: true, Before: Cursor{Time: base.Add(3 * time.Hour), ID: "edited"}},
			""},
		{"one group", Filter{Group: "wire", RuCn: &yes}, "edited/wire/3/3 reprint/wire/3/3 wire/wire/3/3"},
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t, Options{Now: newClock().Now})
			for _, a := range seed {
				if _, err := s.PutStory(ctxT(t), Story{Article: a}); err != nil {
					t.Fatal(err)
				}
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got, err := s.ListStories(ctxT(t), tc.f)
					if err != nil {
						t.Fatal(err)
					}
					var parts []string
					for _, st := range got {
						parts = append(parts, st.ID()+"/"+st.Group.ID+"/"+itoa(st.Group.Stories)+"/"+itoa(st.Group.Sources))
					}
					if g := strings.Join(parts, " "); g != tc.want {
						t.Errorf("got  %s\nwant %s", g, tc.want)
					}
				})
			}
			st, err := s.GetStory(ctxT(t), "reprint")
			if err != nil || st.Group != (GroupInfo{ID: "wire", Stories: 3, Sources: 3}) {
				t.Errorf("GetStory: group %+v, %v", st.Group, err)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
