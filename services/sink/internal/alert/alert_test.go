package alert

import (
	"slices"
	"testing"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

func TestKey(t *testing.T) {
	cases := []struct {
		name string
		ag   *newspipev1.Agreement
		want string
	}{
		{"no agreement", nil, ""},
		{"signed with key", &newspipev1.Agreement{Detected: true, Key: "k"}, "k"},
		{"intent only", &newspipev1.Agreement{Detected: false, Stage: "intent", Key: "k"}, ""},
		{"signed without key", &newspipev1.Agreement{Detected: true}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Key(&newspipev1.EnrichedArticle{Agreement: tc.ag}); got != tc.want {
				t.Errorf("Key = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	a := &newspipev1.EnrichedArticle{
		Agreement: &newspipev1.Agreement{Detected: true, Key: "k", Kind: "mou", Technology: "space", Date: "2026-01-05",
			Evidence: "They signed.", Parties: []string{"org:x", "country:cn", "org:unnamed"}},
		Entities: []*newspipev1.Entity{{Id: "country:cn", Name: "China"}, {Id: "org:x", Name: "X Corp"}, {Id: "org:y", Name: "Y"}},
	}
	ref := &newspipev1.ArticleRef{Id: "a1"}
	at := time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)
	al := New(a, "k~x+y", ref, at)
	if got, want := al.GetPartyNames(), []string{"X Corp", "China", "org:unnamed"}; !slices.Equal(got, want) {
		t.Errorf("party names %v, want %v (entity names in party order, id where unnamed)", got, want)
	}
	if al.GetKey() != "k~x+y" || al.GetKind() != "mou" || al.GetTechnology() != "space" || al.GetDate() != "2026-01-05" ||
		al.GetEvidence() != "They signed." || al.GetFirstArticle() != ref || !al.GetRaisedAt().AsTime().Equal(at) {
		t.Errorf("alert %v", al)
	}
	al.Parties[0] = "changed"
	if a.Agreement.Parties[0] != "org:x" {
		t.Error("the alert shares its parties slice with the article")
	}
}
