package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
	"github.com/newspipe/newspipe/services/classifier/classifier"
	"github.com/newspipe/newspipe/services/classifier/internal/classify"
)

// item is one labelled article.
type item struct {
	id, path, lang string
	ruCnTech       bool
	agreement      bool
	topics         []string
	event          string
	// about is the event a story that reports no new deal is about (a
	// summit, or a deal recalled as background), where labelled.
	about        string
	date         string // publication or signing date, YYYY[-MM[-DD]], "" if unknown
	label        string
	readerTopics []string // classify-real's topic labels as taxonomy topics
	text         string   // the item's text when it is not the file's (a diluted item)
}

// set is a named list of labelled articles.
type set struct {
	name  string
	items []item
}

// outcome is what the classifier said about one item.
type outcome struct {
	it  item
	res classify.Result
}

// findShared returns $NEWSPIPE_SHARED, or the first directory named shared
// in the working directory or one of its parents, or "".
func findShared() string {
	if d := os.Getenv("NEWSPIPE_SHARED"); d != "" {
		return d
	}
	return findUp("shared")
}

// findUp looks for rel in the working directory and its parents.
func findUp(rel string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, rel)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func loadSeeds(shared string) (set, error) {
	s := set{name: "seeds"}
	dir := filepath.Join(shared, "seeds")
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		return s, fmt.Errorf("read seeds: %w", err)
	}
	var exp struct {
		Seeds []struct {
			File   string `json:"file"`
			Lang   string `json:"lang"`
			Labels struct {
				RuCnTech       bool     `json:"ru_cn_tech"`
				Agreement      bool     `json:"agreement"`
				Topics         []string `json:"topics"`
				AgreementEvent string   `json:"agreement_event"`
			} `json:"labels"`
		} `json:"seeds"`
	}
	if err := json.Unmarshal(data, &exp); err != nil {
		return s, fmt.Errorf("parse seeds expected.json: %w", err)
	}
	for _, e := range exp.Seeds {
		s.items = append(s.items, item{
			id: strings.TrimSuffix(e.File, ".txt"), path: filepath.Join(dir, e.File), lang: e.Lang,
			ruCnTech: e.Labels.RuCnTech, agreement: e.Labels.Agreement, topics: e.Labels.Topics, event: e.Labels.AgreementEvent,
		})
	}
	return s, nil
}

func loadDev(shared string) (set, error) {
	s := set{name: "dev"}
	dir := filepath.Join(shared, "classify-dev")
	err := readJSONL(filepath.Join(dir, "labels.jsonl"), func(line []byte) error {
		var r struct {
			ID        string   `json:"id"`
			Lang      string   `json:"lang"`
			Label     string   `json:"label"`
			Agreement bool     `json:"agreement"`
			Topics    []string `json:"topics"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		s.items = append(s.items, item{
			id: r.ID, path: filepath.Join(dir, r.ID+".txt"), lang: r.Lang,
			ruCnTech: r.Label == "POS_AGREEMENT" || r.Label == "POS_TECH", agreement: r.Agreement,
			readerTopics: asTaxonomyTopics(r.Topics),
		})
		return nil
	})
	return s, err
}

// loadReal loads ../shared/classify-real: real news texts with labels and,
// for agreement stories, the deal (event) each reports.
func loadReal(shared string) (set, error) {
	s := set{name: "real"}
	dir := filepath.Join(shared, "classify-real")
	err := readJSONL(filepath.Join(dir, "labels.jsonl"), func(line []byte) error {
		var r struct {
			ID        string   `json:"id"`
			Lang      string   `json:"lang"`
			Label     string   `json:"label"`
			Agreement bool     `json:"agreement"`
			Event     string   `json:"event"`
			Date      string   `json:"date"`
			Topics    []string `json:"topics"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		it := item{
			id: r.ID, path: filepath.Join(dir, r.ID+".txt"), lang: r.Lang, label: r.Label, date: r.Date,
			ruCnTech: r.Label == "POS_AGREEMENT" || r.Label == "POS_TECH", agreement: r.Agreement,
			readerTopics: asTaxonomyTopics(r.Topics),
		}
		if r.Agreement {
			it.event = r.Event
		} else {
			it.about = r.Event
		}
		s.items = append(s.items, it)
		return nil
	})
	return s, err
}

func loadOwn(dir string) (set, error) {
	s := set{name: "eval"}
	err := readJSONL(filepath.Join(dir, "labels.jsonl"), func(line []byte) error {
		var r struct {
			ID             string   `json:"id"`
			Lang           string   `json:"lang"`
			RuCnTech       bool     `json:"ru_cn_tech"`
			Agreement      bool     `json:"agreement"`
			Topics         []string `json:"topics"`
			AgreementEvent *string  `json:"agreement_event"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		if r.ID == "" {
			return errors.New("record without id")
		}
		it := item{id: r.ID, path: filepath.Join(dir, r.ID+".txt"), lang: r.Lang, ruCnTech: r.RuCnTech, agreement: r.Agreement, topics: r.Topics}
		if r.AgreementEvent != nil {
			it.event = *r.AgreementEvent
		}
		s.items = append(s.items, it)
		return nil
	})
	return s, err
}

// present keeps the items whose text file exists and returns how many were
// left out: a labelled set may be split, with part of it sealed elsewhere.
func present(s set) (set, int) {
	kept := s.items[:0:0]
	for _, it := range s.items {
		if _, err := os.Stat(it.path); err == nil {
			kept = append(kept, it)
		}
	}
	missing := len(s.items) - len(kept)
	s.items = kept
	return s, missing
}

func readJSONL(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open labels: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s line %d: %w", path, n, err)
		}
	}
	return sc.Err()
}

func score(c *classify.Classifier, s set) []outcome {
	out := make([]outcome, 0, len(s.items))
	for _, it := range s.items {
		data := []byte(it.text)
		if it.text == "" {
			var err error
			if data, err = os.ReadFile(it.path); err != nil {
				fmt.Fprintf(os.Stderr, "%s %s: %v\n", s.name, it.id, err)
				continue
			}
		}
		out = append(out, outcome{it: it, res: c.Classify(documentOf(it, string(data)))})
	}
	return out
}

// documentOf is the document the classifier reads for an item: title on the
// first line, and the item's date, where labelled, as its publication time.
func documentOf(it item, data string) classify.Document {
	title, body := classify.SplitArticle(data)
	doc := classify.Document{Title: title, Text: body}
	if t, ok := parseDate(it.date); ok {
		doc.Published = t
	}
	return doc
}

// parseDate reads YYYY-MM-DD, YYYY-MM or YYYY.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// fiveLanguages are the languages the classifier is judged in first (zh
// counts both scripts).
var fiveLanguages = []string{"en", "ru", "zh", "es", "id"}

// counts is a confusion count.
type counts struct{ tp, fp, fn, tn int }

func (k *counts) add(want, got bool) {
	switch {
	case want && got:
		k.tp++
	case got:
		k.fp++
	case want:
		k.fn++
	default:
		k.tn++
	}
}

func ratio(a, b int) string {
	if a+b == 0 {
		return "  -  "
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(a+b))
}

func (k counts) String() string {
	return fmt.Sprintf("P %s R %s (tp %d fp %d fn %d)", ratio(k.tp, k.fp), ratio(k.tp, k.fn), k.tp, k.fp, k.fn)
}

// report writes a set's figures and returns its deal figures.
func report(w io.Writer, s set, outs []outcome, verbose bool) dealFigures {
	langs := map[string]*[2]counts{}
	var all [2]counts
	topicsOK, topicsN := 0, 0
	var topics topicCounts
	var errs []string
	for _, o := range outs {
		lc := langs[o.it.lang]
		if lc == nil {
			lc = &[2]counts{}
			langs[o.it.lang] = lc
		}
		got := o.res.Agreement.Detected
		all[0].add(o.it.ruCnTech, o.res.RuCnTech)
		all[1].add(o.it.agreement, got)
		lc[0].add(o.it.ruCnTech, o.res.RuCnTech)
		lc[1].add(o.it.agreement, got)
		if o.it.ruCnTech != o.res.RuCnTech {
			errs = append(errs, fmt.Sprintf("  %s %s ru_cn_tech want %v got %v (score %.3f) %s", o.it.id, o.it.lang, o.it.ruCnTech, o.res.RuCnTech, o.res.Score, firstEvidence(o.res)))
		}
		if o.it.agreement != got {
			errs = append(errs, fmt.Sprintf("  %s %s agreement want %v got %v (stage %q) %s", o.it.id, o.it.lang, o.it.agreement, got, o.res.Agreement.Stage, short(o.res.Agreement.Evidence)))
		}
		if o.it.ruCnTech && o.res.RuCnTech {
			topics.add(o.it.readerTopics, o.res.Topics)
			if verbose && len(o.it.readerTopics) > 0 && !sameTopics(o.it.readerTopics, o.res.Topics) {
				errs = append(errs, fmt.Sprintf("  %s %s topics want %v got %v", o.it.id, o.it.lang, o.it.readerTopics, o.res.Topics))
			}
		}
		if o.it.ruCnTech && len(o.it.topics) > 0 {
			topicsN++
			if missing := missingTopics(o.it.topics, o.res.Topics); len(missing) == 0 {
				topicsOK++
			} else if verbose {
				errs = append(errs, fmt.Sprintf("  %s %s topics miss %v (got %v)", o.it.id, o.it.lang, missing, o.res.Topics))
			}
		}
	}
	fmt.Fprintf(w, "\n== %s: %d items\n", s.name, len(outs))
	fmt.Fprintf(w, "  %-4s %-3s  ru_cn_tech %-36s agreement %s\n", "all", "", all[0], all[1])
	var five [2]counts
	others := 0
	for l, lc := range langs {
		if !slices.Contains(fiveLanguages, strings.TrimSuffix(l, "-Hant")) {
			others++
			continue
		}
		for k := range five {
			five[k].tp += lc[k].tp
			five[k].fp += lc[k].fp
			five[k].fn += lc[k].fn
			five[k].tn += lc[k].tn
		}
	}
	if others > 0 {
		fmt.Fprintf(w, "  %-4s %-3s  ru_cn_tech %-36s agreement %s\n", "five", "", five[0], five[1])
	}
	var ls []string
	for l := range langs {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	for _, l := range ls {
		n := langs[l][0].tp + langs[l][0].fp + langs[l][0].fn + langs[l][0].tn
		fmt.Fprintf(w, "  %-4s %3d  ru_cn_tech %-36s agreement %s\n", l, n, langs[l][0], langs[l][1])
	}
	if topicsN > 0 {
		fmt.Fprintf(w, "  topics: %d/%d positives have every labelled topic\n", topicsOK, topicsN)
	}
	topics.write(w)
	figs := dealReport(outs, deal.DefaultWindow)
	figs.write(w, verbose)
	if verbose {
		for _, e := range errs {
			fmt.Fprintln(w, e)
		}
	}
	return figs
}

// dealFigures is how the sink's matching (pkg/deal) groups a set's
// detected agreements into alerts, against the deals the labels name.
type dealFigures struct {
	dated     bool // the set's items carry publication dates
	undated   int  // detected agreements left out for want of a date
	deals     int  // labelled deals (events of agreement items)
	alerts    int  // alerts the sink would raise
	merged    int  // alerts holding reports of two or more deals (or of a deal and a non-deal)
	split     int  // deals whose reports raise two or more alerts
	missed    int  // deals no report of which raises an alert
	spurious  int  // alerts holding no labelled deal at all
	rightDate int  // alerts whose date (a stated signing date) agrees with their deal's month
	misdated  int  // alerts whose date disagrees
	lines     []string
}

// failed reports whether one alert holds two deals or one deal raises two
// alerts: what users must never see. Only a set whose items carry their
// publication dates can tell that: without them, the same parties signing
// twice on one subject look like one deal to the sink too, unless the texts
// state the signing dates.
func (f dealFigures) failed() bool { return f.dated && (f.merged > 0 || f.split > 0) }

// claim is one alert of the simulated sink: the deal as its reports have
// refined it, and the reports it holds.
type claim struct {
	deal    deal.Report
	reports []outcome
}

// simulateSink groups the detected agreements of outs as the sink would,
// taking reports in order of publication: each joins the oldest alert it
// is the same deal as (deal.Same), else raises a new one.
func simulateSink(outs []outcome, window time.Duration) []*claim {
	var reps []outcome
	for _, o := range outs {
		if o.res.Agreement.Detected {
			reps = append(reps, o)
		}
	}
	sort.SliceStable(reps, func(i, j int) bool {
		a, b := reps[i].published(), reps[j].published()
		if !a.Equal(b) {
			return a.Before(b)
		}
		return reps[i].it.id < reps[j].it.id
	})
	var claims []*claim
	for _, o := range reps {
		r := reportOf(o)
		var into *claim
		for _, c := range claims {
			if deal.Same(c.deal, r, window) {
				into = c
				break
			}
		}
		if into == nil {
			claims = append(claims, &claim{deal: r, reports: []outcome{o}})
			continue
		}
		into.deal = deal.Merge(into.deal, r)
		into.reports = append(into.reports, o)
	}
	return claims
}

// reportOf is the deal report the sink reads from an item's enriched
// event: the classifier stage's proto, published at the item's date.
func reportOf(o outcome) deal.Report {
	return deal.FromProto(classifier.AgreementProto(o.res.Agreement), o.published())
}

// published is when the item came out: its labelled date, else, as the
// sink falls back to the time a story reaches it, the time of an imagined
// replay of the whole set.
func (o outcome) published() time.Time {
	if t, ok := parseDate(o.it.date); ok {
		return t
	}
	return replayTime
}

// replayTime stands for the arrival time of undated items.
var replayTime = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// eventMonth returns the signing month an event slug ends with
// ("…-2019-06" or "…-2012"), as a date.
func eventMonth(event string) deal.Date {
	parts := strings.Split(event, "-")
	for n := 2; n >= 1; n-- {
		if len(parts) < n {
			continue
		}
		if d, err := deal.ParseDate(strings.Join(parts[len(parts)-n:], "-")); err == nil && len(parts[len(parts)-n]) == 4 {
			return d
		}
	}
	return deal.Date{}
}

// dealReport scores the sink's alerts for a set's labelled deals.
//
// In a set whose items carry publication dates, the items without one are
// left out: the sink dates a report by its publication, which feeds and
// pages nearly always give, and an undated item replayed today would be a
// report of an old deal arriving years late, not the case to judge.
func dealReport(outs []outcome, window time.Duration) dealFigures {
	var f dealFigures
	for _, o := range outs {
		if o.it.date != "" {
			f.dated = true
		}
	}
	if f.dated {
		var kept []outcome
		for _, o := range outs {
			if o.it.date != "" {
				kept = append(kept, o)
			} else if o.res.Agreement.Detected {
				f.undated++
			}
		}
		outs = kept
	}
	deals := map[string]bool{}
	for _, o := range outs {
		if o.it.agreement && o.it.event != "" {
			deals[o.it.event] = true
		}
	}
	f.deals = len(deals)
	alertsOf := map[string]int{}
	claims := simulateSink(outs, window)
	for _, c := range claims {
		f.alerts++
		held := map[string]bool{}
		var ids []string
		for _, o := range c.reports {
			ids = append(ids, o.it.id)
			ev := o.it.event
			switch {
			case !o.it.agreement && deals[o.it.about]:
				// A story that recalls a labelled deal as background,
				// read as reporting it, joins that deal's alert (or
				// raises a second one, which counts as a split): it
				// merges no other deal in.
				ev = o.it.about
			case !o.it.agreement:
				ev = "(no deal)"
			case ev == "":
				continue // a deal the labels do not name: it may be any of them
			}
			held[ev] = true
		}
		if len(held) == 0 {
			continue
		}
		var evs []string
		for ev := range held {
			evs = append(evs, ev)
			if ev != "(no deal)" {
				alertsOf[ev]++
			}
		}
		sort.Strings(evs)
		switch {
		case len(evs) > 1:
			f.merged++
			f.lines = append(f.lines, fmt.Sprintf("  MERGED one alert holds %s (reports %s)", strings.Join(evs, " + "), strings.Join(ids, " ")))
		case evs[0] == "(no deal)":
			f.spurious++
			f.lines = append(f.lines, fmt.Sprintf("  spurious alert from %s (%s)", strings.Join(ids, " "), c.reports[0].res.Agreement.Key))
		}
		if len(evs) == 1 && evs[0] != "(no deal)" && !c.deal.Signed.IsZero() {
			if want := eventMonth(evs[0]); !want.IsZero() && !c.deal.Signed.Agrees(want) {
				f.misdated++
				f.lines = append(f.lines, fmt.Sprintf("  misdated alert of %s: %s", evs[0], c.deal.Signed))
			} else {
				f.rightDate++
			}
		}
	}
	var names []string
	for ev := range deals {
		names = append(names, ev)
	}
	sort.Strings(names)
	for _, ev := range names {
		switch n := alertsOf[ev]; {
		case n == 0:
			f.missed++
		case n > 1:
			f.split++
			f.lines = append(f.lines, fmt.Sprintf("  SPLIT %s raises %d alerts", ev, n))
			for k, c := range claims {
				for _, o := range c.reports {
					if o.it.event == ev && o.it.agreement {
						f.lines = append(f.lines, fmt.Sprintf("      alert %d: %s %s", k, o.it.id, describe(reportOf(o))))
					}
				}
			}
		}
	}
	return f
}

func (f dealFigures) write(w io.Writer, verbose bool) {
	if f.deals == 0 && f.alerts == 0 {
		return
	}
	fmt.Fprintf(w, "  deals: %d labelled, %d alerts; %d alerts merge deals, %d deals split, %d deals missed, %d alerts hold no deal; dates: %d alerts dated right, %d wrong\n",
		f.deals, f.alerts, f.merged, f.split, f.missed, f.spurious, f.rightDate, f.misdated)
	if !f.dated {
		fmt.Fprintln(w, "  (items without publication dates: reports are told apart only by the dates their texts state; not a gate)")
	}
	if f.undated > 0 {
		fmt.Fprintf(w, "  (%d detected agreements in items without a labelled date left out of the deal figures)\n", f.undated)
	}
	for _, l := range f.lines {
		if verbose || strings.Contains(l, "MERGED") || strings.Contains(l, "SPLIT") || strings.HasPrefix(l, "      alert") {
			fmt.Fprintln(w, l)
		}
	}
}

func missingTopics(want, got []string) []string {
	have := map[string]bool{}
	for _, t := range got {
		have[t] = true
	}
	var miss []string
	for _, t := range want {
		if !have[t] {
			miss = append(miss, t)
		}
	}
	return miss
}

func firstEvidence(r classify.Result) string {
	if len(r.Evidence) == 0 {
		return ""
	}
	return short(r.Evidence[0].Sentence)
}

func short(s string) string {
	const n = 110
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// describe writes a deal report for people.
func describe(r deal.Report) string {
	return fmt.Sprintf("cn %v ru %v %s/%s signed %q published %s", r.CN, r.RU, r.Topic, r.Subject, r.Signed, r.Reported.Format("2006-01-02"))
}
