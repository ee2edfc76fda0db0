package classify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
)

// Record is the JSON line TagDir writes for one file.
type Record struct {
	File            string       `json:"file"`
	Lang            string       `json:"lang,omitempty"`
	RuCnTech        bool         `json:"ru_cn_tech"`
	Score           float64      `json:"score"`
	Topics          []string     `json:"topics"`
	TopicScores     []TopicScore `json:"topic_scores,omitempty"`
	Entities        []Entity     `json:"entities"`
	Agreement       DealReport   `json:"agreement"`
	Evidence        []Evidence   `json:"evidence"`
	TaxonomyVersion string       `json:"taxonomy_version,omitempty"`
	Error           string       `json:"error,omitempty"`
}

// DealReport is a file's agreement as TagDir reports it: Key names the deal
// the report joins among the directory's files, as the sink's alert would
// (the key of the deal's first report), so reports of one deal share it;
// ReportKey is the file's own key, as the classifier stage gives it.
type DealReport struct {
	Agreement
	ReportKey string `json:"report_key,omitempty"`
}

// NewRecord turns a Result into the record written for file.
func NewRecord(file string, r Result) Record {
	rec := Record{
		File: file, Lang: r.Lang, RuCnTech: r.RuCnTech, Score: r.Score,
		Topics: r.Topics, TopicScores: r.TopicScores, Entities: r.Entities,
		Agreement: DealReport{Agreement: r.Agreement, ReportKey: r.Agreement.Key}, Evidence: r.Evidence, TaxonomyVersion: r.TaxonomyVersion,
	}
	if rec.Topics == nil {
		rec.Topics = []string{}
	}
	if rec.Entities == nil {
		rec.Entities = []Entity{}
	}
	if rec.Evidence == nil {
		rec.Evidence = []Evidence{}
	}
	if rec.Agreement.Parties == nil {
		rec.Agreement.Parties = []string{}
	}
	return rec
}

// SplitArticle splits a flattened article into its title (the first line)
// and body (the rest).
func SplitArticle(data string) (title, body string) {
	data = strings.TrimPrefix(data, "\ufeff")
	if i := strings.IndexByte(data, '\n'); i >= 0 {
		return strings.TrimSpace(data[:i]), data[i+1:]
	}
	return strings.TrimSpace(data), ""
}

// PageMeta is what TagDir reads of the metadata file bin/cleaner extract
// writes beside each article's text (OUT_DIR/<name>.json): with it, the
// offline tag reads an article as the classifier stage reads the cleaner's
// event, title, language and publication time included.
type PageMeta struct {
	Title     string `json:"title"`
	Lang      string `json:"lang"`
	Published string `json:"published"` // RFC 3339, "" if unknown
	Error     string `json:"error"`
}

// Document returns the document an article's text and metadata make: the
// metadata's title and language (a language the cleaner could not tell,
// "und", is detected), its publication time, and the whole text as the
// body.
func (m PageMeta) Document(text string) Document {
	d := Document{Title: strings.TrimSpace(m.Title), Text: text, Lang: m.Lang}
	if d.Lang == "und" {
		d.Lang = ""
	}
	if t, err := time.Parse(time.RFC3339, m.Published); err == nil {
		d.Published = t
	}
	return d
}

// TagDir classifies every .txt file in inDir and writes one JSON Record per
// line to w, in file name order. A file <name>.txt with a <name>.json beside
// it is bin/cleaner extract's output: the title, language and publication
// time come from the .json (PageMeta) and the whole .txt is the body, so
// that the tags are those the pipeline gives the same page. Any other .txt
// is a flattened article: title on the first line, body after it, language
// detected, no publication time. A file that cannot be read gives a record
// with Error set and does not stop the run; a failed write or a cancelled
// ctx does.
func TagDir(ctx context.Context, c *Classifier, inDir string, w io.Writer) error {
	entries, err := os.ReadDir(inDir)
	if err != nil {
		return fmt.Errorf("tag dir %s: %w", inDir, err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".txt") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	recs := make([]Record, 0, len(names))
	published := make([]time.Time, 0, len(names))
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("tag dir %s: %w", inDir, err)
		}
		doc, err := readArticle(inDir, name)
		if err != nil {
			recs = append(recs, Record{File: name, Error: err.Error(), Topics: []string{}, Entities: []Entity{}, Evidence: []Evidence{}})
		} else {
			recs = append(recs, NewRecord(name, c.Classify(doc)))
		}
		published = append(published, doc.Published)
	}
	nameDeals(recs, published)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, rec := range recs {
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("tag dir %s: write %s: %w", inDir, rec.File, err)
		}
	}
	return nil
}

// nameDeals sets each detected agreement's Key to the key of its deal
// among recs, grouped as the sink groups reports into alerts (pkg/deal):
// reports taken in order of publication, each joining the first deal before
// it that it is the same as, else starting one named by its own key. A file
// without a publication time is dated now, as the sink dates a report by
// its arrival where the page gives no time.
func nameDeals(recs []Record, published []time.Time) {
	now := time.Now().UTC()
	published = slices.Clone(published)
	for i := range published {
		if published[i].IsZero() {
			published[i] = now
		}
	}
	var order []int
	for i := range recs {
		if recs[i].Agreement.Detected {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		return published[order[a]].Before(published[order[b]])
	})
	type group struct {
		key  string
		deal deal.Report
	}
	var groups []*group
	for _, i := range order {
		a := &recs[i].Agreement
		r := dealReportOf(a.Agreement, published[i])
		var into *group
		for _, g := range groups {
			if deal.Same(g.deal, r, deal.DefaultWindow) {
				into = g
				break
			}
		}
		if into == nil {
			groups = append(groups, &group{key: a.ReportKey, deal: r})
			continue
		}
		into.deal = deal.Merge(into.deal, r)
		a.Key = into.key
	}
}

// dealReportOf is what an agreement says of its deal, published at t, as
// the sink reads it from the event.
func dealReportOf(a Agreement, t time.Time) deal.Report {
	r := deal.Report{Topic: deal.Normalize(a.Technology), Subject: deal.Normalize(a.Subject), Reported: t}
	for _, side := range []struct {
		ps      []Party
		out     *[]string
		country string
	}{{a.CN, &r.CN, deal.CountryCN}, {a.RU, &r.RU, deal.CountryRU}} {
		for _, p := range side.ps {
			if g := deal.Normalize(p.Group); g != "" && g != side.country && !slices.Contains(*side.out, g) {
				*side.out = append(*side.out, g)
			}
		}
		slices.Sort(*side.out)
	}
	r.Signed, _ = deal.ParseDate(a.Date)
	return r
}

// readArticle reads inDir/name and, where it is the cleaner's output, the
// metadata beside it.
func readArticle(inDir, name string) (Document, error) {
	data, err := os.ReadFile(filepath.Join(inDir, name))
	if err != nil {
		return Document{}, err
	}
	metaPath := filepath.Join(inDir, strings.TrimSuffix(name, filepath.Ext(name))+".json")
	raw, err := os.ReadFile(metaPath)
	if errors.Is(err, fs.ErrNotExist) {
		title, body := SplitArticle(string(data))
		return Document{Title: title, Text: body}, nil
	}
	if err != nil {
		return Document{}, err
	}
	var m PageMeta
	if err := json.Unmarshal(raw, &m); err != nil {
		return Document{}, fmt.Errorf("read %s: %w", filepath.Base(metaPath), err)
	}
	if m.Error != "" {
		return Document{}, fmt.Errorf("%s: the cleaner could not extract it: %s", name, m.Error)
	}
	return m.Document(strings.TrimPrefix(string(data), "\ufeff")), nil
}
