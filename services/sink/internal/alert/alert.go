// Package alert builds the AgreementAlert event the sink raises for the first
// article about a new agreement.
package alert

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// Key returns the agreement key of a, or "" when a reports no signed
// agreement: only a detected agreement with a key can raise an alert.
func Key(a *newspipev1.EnrichedArticle) string {
	if ag := a.GetAgreement(); ag.GetDetected() {
		return ag.GetKey()
	}
	return ""
}

// New returns the alert for the agreement that first (the agreement's first
// article) reports, raised at raisedAt. first.Article must report the
// agreement; ref points at it. key is the alert key the store gave the
// agreement's claim, which tells apart agreements that share first's
// coarse agreement key.
func New(first *newspipev1.EnrichedArticle, key string, ref *newspipev1.ArticleRef, raisedAt time.Time) *newspipev1.AgreementAlert {
	ag := first.GetAgreement()
	return &newspipev1.AgreementAlert{
		Key:          key,
		Parties:      append([]string(nil), ag.GetParties()...),
		PartyNames:   PartyNames(first),
		Kind:         ag.GetKind(),
		Technology:   ag.GetTechnology(),
		FirstArticle: ref,
		Evidence:     ag.GetEvidence(),
		Date:         ag.GetDate(),
		RaisedAt:     timestamppb.New(raisedAt),
		Deal:         ag.GetDeal(),
		ReportedAt:   reportedAt(first),
	}
}

// reportedAt is when the article came out: its publication time, else its
// fetch time; nil if the event has neither.
func reportedAt(a *newspipev1.EnrichedArticle) *timestamppb.Timestamp {
	if p := a.GetArticle().GetPublishedAt(); p != nil {
		return p
	}
	if f := a.GetTimes().GetFetchedAt(); f != nil {
		return f
	}
	return a.GetArticle().GetTimes().GetFetchedAt()
}

// PartyNames returns the display names of the agreement's parties, in the
// order of Agreement.Parties, taken from the article's entities; a party
// the entities do not name keeps its id.
func PartyNames(a *newspipev1.EnrichedArticle) []string {
	names := make(map[string]string, len(a.GetEntities()))
	for _, e := range a.GetEntities() {
		names[e.GetId()] = e.GetName()
	}
	out := make([]string, 0, len(a.GetAgreement().GetParties()))
	for _, p := range a.GetAgreement().GetParties() {
		if n := names[p]; n != "" {
			out = append(out, n)
		} else {
			out = append(out, p)
		}
	}
	return out
}
