// Package replay re-classifies the stories a sink stored, with another
// taxonomy, and says what would change: stories that would become
// Russia–China technology stories or stop being ones, change topics, or
// report a deal they did not (or no longer report one), and, for every
// deal found, whether it is a deal newspipe has alerted on already or a
// new one.
//
// A replay reads the store and writes nothing: it raises no alert, old or
// new, and changes no story. It is how an analyst tries a taxonomy edit on
// what newspipe has already read before deploying it.
package replay

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// Classify classifies one stored article again, as the classifier stage
// would with the new taxonomy.
type Classify func(ctx context.Context, a *newspipev1.CleanArticle) (*newspipev1.EnrichedArticle, error)

// Config says what to replay.
type Config struct {
	// StoreDSN is the store: a postgres:// DSN or a SQLite path.
	StoreDSN string
	// Since keeps stories published (Story.Time) at or after it; zero
	// replays every story.
	Since time.Time
	// Window is the agreement window deals are matched with (the sink's
	// AGREEMENT_WINDOW); default deal.DefaultWindow.
	Window time.Duration
	// Classify classifies again; required.
	Classify Classify
}

// Kinds of change.
const (
	Gained      = "gained"       // now a Russia–China technology story
	Lost        = "lost"         // no longer one
	Retopiced   = "retopiced"    // its topics changed
	DealFound   = "deal_found"   // now reports a signed deal
	DealLost    = "deal_lost"    // no longer reports one
	DealChanged = "deal_changed" // reports another deal (its key changed)
)

// Change is what the new taxonomy changes in one story.
type Change struct {
	ID, Title, Lang, SourceID string
	// Kinds are the changes, in the order of the constants.
	Kinds []string
	// OldTopics and NewTopics are the story's topics before and after.
	OldTopics, NewTopics []string
	// OldDeal and NewDeal are the agreement keys before and after ("" for
	// none); OldAlert is the alert the story was a report of.
	OldDeal, NewDeal, OldAlert string
	// Alert says, for a deal found or changed, which alert it would join
	// ("" for a new deal, which would raise an alert of its own).
	Alert string
}

// Report is the outcome of a replay.
type Report struct {
	// Stories counts the stories replayed.
	Stories int
	// Counts counts the changes by kind.
	Counts map[string]int
	// Changes lists the stories that change, newest first.
	Changes []Change
	// NewDeals counts the deals found that no alert covers: the alerts
	// the new taxonomy would raise on these stories.
	NewDeals int
	// OldVersions and NewVersion are the taxonomy versions of the stored
	// classifications and of the replay.
	OldVersions []string
	NewVersion  string
}

// ErrNoClassify is returned by Run without a Classify function.
var ErrNoClassify = errors.New("replay: no classifier given")

// Run replays the stored stories cfg selects.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if cfg.Classify == nil {
		return Report{}, ErrNoClassify
	}
	if cfg.Window <= 0 {
		cfg.Window = deal.DefaultWindow
	}
	st, err := store.Open(ctx, cfg.StoreDSN, store.Options{})
	if err != nil {
		return Report{}, fmt.Errorf("replay: %w", err)
	}
	defer st.Close()

	stories, err := all(ctx, st, store.Filter{Since: cfg.Since})
	if err != nil {
		return Report{}, fmt.Errorf("replay: %w", err)
	}
	// The deals already alerted on, as every stored report of each gives
	// it, so that a deal found is matched against what newspipe knows of
	// each alert, not only against its first report.
	alerted := map[string][]deal.Report{}
	if err := alertedDeals(ctx, st, alerted); err != nil {
		return Report{}, fmt.Errorf("replay: %w", err)
	}

	rep := Report{Stories: len(stories), Counts: map[string]int{}}
	newDeals := []deal.Report{} // found deals no alert covers, each counted once
	for _, s := range stories {
		old := s.Article
		if v := old.GetTaxonomyVersion(); !slices.Contains(rep.OldVersions, v) {
			rep.OldVersions = append(rep.OldVersions, v)
		}
		next, err := cfg.Classify(ctx, old.GetArticle())
		if err != nil {
			return Report{}, fmt.Errorf("replay: classify %s: %w", s.ID(), err)
		}
		rep.NewVersion = next.GetTaxonomyVersion()
		kinds := Compare(old, next)
		if len(kinds) == 0 {
			continue
		}
		c := old.GetArticle()
		ch := Change{ID: s.ID(), Title: c.GetTitle(), Lang: c.GetLang(), SourceID: c.GetSourceId(), Kinds: kinds,
			OldTopics: old.GetTopics(), NewTopics: next.GetTopics(), OldAlert: s.AgreementAlertKey,
			OldDeal: dealKey(old), NewDeal: dealKey(next)}
		if ch.NewDeal != "" && (slices.Contains(kinds, DealFound) || slices.Contains(kinds, DealChanged)) {
			d := store.DealOf(next, s.Time).Report
			if s.AgreementAlertKey != "" && s.AgreementFirstArticleID == s.ID() {
				// The sink gives the first article of an alert its claim
				// back whatever it now says (store.ClaimAgreement): its
				// alert is not raised again.
				ch.Alert = s.AgreementAlertKey
			} else {
				ch.Alert = matchAlert(alerted, d, cfg.Window)
			}
			if ch.Alert == "" && !slices.ContainsFunc(newDeals, func(n deal.Report) bool { return deal.Same(n, d, cfg.Window) }) {
				newDeals = append(newDeals, d)
			}
		}
		for _, k := range kinds {
			rep.Counts[k]++
		}
		rep.Changes = append(rep.Changes, ch)
	}
	rep.NewDeals = len(newDeals)
	return rep, nil
}

// Compare returns the kinds of change from old to next, in the order of
// the constants.
func Compare(old, next *newspipev1.EnrichedArticle) []string {
	var kinds []string
	switch {
	case !old.GetRuCnTech() && next.GetRuCnTech():
		kinds = append(kinds, Gained)
	case old.GetRuCnTech() && !next.GetRuCnTech():
		kinds = append(kinds, Lost)
	}
	if old.GetRuCnTech() && next.GetRuCnTech() &&
		(old.GetPrimaryTopic() != next.GetPrimaryTopic() || !sameSet(old.GetTopics(), next.GetTopics())) {
		kinds = append(kinds, Retopiced)
	}
	was, is := dealKey(old), dealKey(next)
	switch {
	case was == "" && is != "":
		kinds = append(kinds, DealFound)
	case was != "" && is == "":
		kinds = append(kinds, DealLost)
	case was != is:
		kinds = append(kinds, DealChanged)
	}
	return kinds
}

// dealKey is the agreement key of a signed deal the story reports, or "".
func dealKey(a *newspipev1.EnrichedArticle) string {
	if ag := a.GetAgreement(); ag.GetDetected() {
		return ag.GetKey()
	}
	return ""
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// matchAlert returns the key of the alert whose reports d is the same deal
// as, or "".
func matchAlert(alerted map[string][]deal.Report, d deal.Report, window time.Duration) string {
	keys := make([]string, 0, len(alerted))
	for k := range alerted {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if slices.ContainsFunc(alerted[k], func(r deal.Report) bool { return deal.Same(r, d, window) }) {
			return k
		}
	}
	return ""
}

// alertedDeals fills alerted with every stored report of each alert.
func alertedDeals(ctx context.Context, st *store.DB, alerted map[string][]deal.Report) error {
	stories, err := all(ctx, st, store.Filter{Agreement: ptr(true)})
	if err != nil {
		return err
	}
	for _, s := range stories {
		if k := s.AgreementAlertKey; k != "" {
			alerted[k] = append(alerted[k], store.DealOf(s.Article, s.Time).Report)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// all returns every story f selects, a page at a time.
func all(ctx context.Context, st *store.DB, f store.Filter) ([]store.Story, error) {
	f.Limit = store.MaxLimit
	var out []store.Story
	for {
		page, err := st.ListStories(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		f.Before = store.CursorOf(page[len(page)-1])
	}
}

// String renders the report for people: a summary, then one line per
// changed story.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "replayed %d stories: taxonomy %s -> %s\n", r.Stories, strings.Join(r.OldVersions, ", "), r.NewVersion)
	for _, k := range []string{Gained, Lost, Retopiced, DealFound, DealLost, DealChanged} {
		fmt.Fprintf(&b, "  %-13s %d\n", k, r.Counts[k])
	}
	fmt.Fprintf(&b, "  %-13s %d (deals no alert covers: the alerts these stories would raise)\n", "new deals", r.NewDeals)
	fmt.Fprintf(&b, "no story was changed and no alert raised: a replay only reads the store\n")
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "\n%s  %s  [%s %s]\n  %s\n", strings.Join(c.Kinds, ","), c.ID, c.SourceID, c.Lang, c.Title)
		if !slices.Equal(c.OldTopics, c.NewTopics) {
			fmt.Fprintf(&b, "  topics: %s -> %s\n", orNone(strings.Join(c.OldTopics, ",")), orNone(strings.Join(c.NewTopics, ",")))
		}
		if c.OldDeal != c.NewDeal {
			fmt.Fprintf(&b, "  deal: %s -> %s\n", orNone(c.OldDeal), orNone(c.NewDeal))
		}
		switch {
		case c.NewDeal != "" && c.Alert != "":
			fmt.Fprintf(&b, "  joins alert %s: no new alert\n", c.Alert)
		case c.NewDeal != "" && c.OldDeal != c.NewDeal:
			fmt.Fprintf(&b, "  a new deal: would raise an alert\n")
		}
		if c.OldAlert != "" && c.NewDeal == "" {
			fmt.Fprintf(&b, "  was a report of alert %s\n", c.OldAlert)
		}
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
