package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/newspipe/newspipe/services/classifier/internal/classify"
)

// item is one labelled article.
type item struct {
	id, path, lang string
	ruCnTech       bool
	agreement      bool
	topics         []string
	event          string
	date           string // publication or signing date, YYYY[-MM[-DD]], "" if unknown
	label          string
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
			ID        string `json:"id"`
			Lang      string `json:"lang"`
			Label     string `json:"label"`
			Agreement bool   `json:"agreement"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		s.items = append(s.items, item{
			id: r.ID, path: filepath.Join(dir, r.ID+".txt"), lang: r.Lang,
			ruCnTech: r.Label == "POS_AGREEMENT" || r.Label == "POS_TECH", agreement: r.Agreement,
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
			ID        string `json:"id"`
			Lang      string `json:"lang"`
			Label     string `json:"label"`
			Agreement bool   `json:"agreement"`
			Event     string `json:"event"`
			Date      string `json:"date"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		it := item{
			id: r.ID, path: filepath.Join(dir, r.ID+".txt"), lang: r.Lang, label: r.Label, date: r.Date,
			ruCnTech: r.Label == "POS_AGREEMENT" || r.Label == "POS_TECH", agreement: r.Agreement,
		}
		if r.Agreement {
			it.event = r.Event
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
		data, err := os.ReadFile(it.path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s %s: %v\n", s.name, it.id, err)
			continue
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

func report(w io.Writer, s set, outs []outcome, verbose bool) {
	langs := map[string]*[2]counts{}
	var all [2]counts
	topicsOK, topicsN := 0, 0
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
	keyReport(w, outs)
	if verbose {
		for _, e := range errs {
			fmt.Fprintln(w, e)
		}
	}
}

// keyReport checks that reports of one event share one agreement key, and
// that different events do not.
func keyReport(w io.Writer, outs []outcome) {
	events := map[string][]outcome{}
	for _, o := range outs {
		if o.it.event != "" {
			events[o.it.event] = append(events[o.it.event], o)
		}
	}
	if len(events) == 0 {
		return
	}
	var names []string
	for e := range events {
		names = append(names, e)
	}
	sort.Strings(names)
	same, pairs := 0, 0
	owner := map[string]string{}
	collisions := 0
	for _, e := range names {
		os := events[e]
		keys := map[string]bool{}
		for _, o := range os {
			keys[o.res.Agreement.Key] = true
		}
		if len(os) >= 2 {
			pairs++
			if len(keys) == 1 && !keys[""] {
				same++
			} else {
				var ks []string
				for k := range keys {
					ks = append(ks, fmt.Sprintf("%q", k))
				}
				sort.Strings(ks)
				fmt.Fprintf(w, "  key mismatch for %s: %s\n", e, strings.Join(ks, " "))
			}
		}
		for k := range keys {
			if k == "" {
				continue
			}
			if prev, ok := owner[k]; ok && prev != e {
				collisions++
				fmt.Fprintf(w, "  key %s shared by %s and %s\n", k, prev, e)
			}
			owner[k] = e
		}
	}
	fmt.Fprintf(w, "  agreement keys: %d/%d same-event groups share one key; %d collisions between events\n", same, pairs, collisions)
	dealReport(w, names, events)
}

// deal is what the sink matches reports of one agreement by: the parties per
// side (a country id stands for any organisation of its side), the subject
// and the topic.
type deal struct {
	cn, ru, topic, subject string
}

// dealOf reads a report's deal from its agreement, as the sink does: the
// parties, the subject, and the technology, else the key's topic segment.
func dealOf(a classify.Agreement) deal {
	var d deal
	if len(a.Parties) == 2 {
		d.cn, d.ru = a.Parties[0], a.Parties[1]
	}
	d.topic, d.subject = a.Technology, a.Subject
	if _, path, ok := strings.Cut(a.Key, "/"); ok {
		t, sj, _ := strings.Cut(path, "/")
		if d.topic == "" {
			d.topic = t
		}
		if d.subject == "" {
			d.subject = sj
		}
	}
	return d
}

// sameDeal reports whether the sink would take two reports for one deal: on
// each side the same party or a country standing for any, and the same
// subject, or the same topic where either names no subject.
func sameDeal(a, b deal) bool {
	side := func(x, y, country string) bool { return x == y || x == country || y == country }
	if !side(a.cn, b.cn, "cn") || !side(a.ru, b.ru, "ru") {
		return false
	}
	if a.subject != "" && b.subject != "" {
		return a.subject == b.subject
	}
	return a.topic == b.topic
}

// dealReport checks the sink's matching: every two reports of one event must
// match, and reports of different events should not (they may still be told
// apart by the sink's time window).
func dealReport(w io.Writer, names []string, events map[string][]outcome) {
	joined, groups, merged := 0, 0, 0
	for _, e := range names {
		os := events[e]
		if len(os) < 2 {
			continue
		}
		groups++
		ok := true
		for i := range os {
			for j := i + 1; j < len(os); j++ {
				if !os[i].res.Agreement.Detected || !os[j].res.Agreement.Detected ||
					!sameDeal(dealOf(os[i].res.Agreement), dealOf(os[j].res.Agreement)) {
					ok = false
				}
			}
		}
		if ok {
			joined++
		} else {
			fmt.Fprintf(w, "  sink would split %s\n", e)
		}
	}
	for i, e := range names {
		for _, f := range names[i+1:] {
			for _, a := range events[e] {
				for _, b := range events[f] {
					if a.res.Agreement.Detected && b.res.Agreement.Detected && sameDeal(dealOf(a.res.Agreement), dealOf(b.res.Agreement)) {
						merged++
						fmt.Fprintf(w, "  sink would match %s (%s) with %s (%s)\n", a.it.id, e, b.it.id, f)
					}
				}
			}
		}
	}
	fmt.Fprintf(w, "  sink matching: %d/%d same-event groups match as one deal; %d report pairs of different events match\n", joined, groups, merged)
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
