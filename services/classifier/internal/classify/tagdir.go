package classify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	Agreement       Agreement    `json:"agreement"`
	Evidence        []Evidence   `json:"evidence"`
	TaxonomyVersion string       `json:"taxonomy_version,omitempty"`
	Error           string       `json:"error,omitempty"`
}

// NewRecord turns a Result into the record written for file.
func NewRecord(file string, r Result) Record {
	rec := Record{
		File: file, Lang: r.Lang, RuCnTech: r.RuCnTech, Score: r.Score,
		Topics: r.Topics, TopicScores: r.TopicScores, Entities: r.Entities,
		Agreement: r.Agreement, Evidence: r.Evidence, TaxonomyVersion: r.TaxonomyVersion,
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

// TagDir classifies every .txt file in inDir (title on the first line, body
// after it; the language is detected) and writes one JSON Record per line to
// w, in file name order. A file that cannot be read gives a record with
// Error set and does not stop the run; a failed write or a cancelled ctx
// does.
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
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("tag dir %s: %w", inDir, err)
		}
		var rec Record
		data, err := os.ReadFile(filepath.Join(inDir, name))
		if err != nil {
			rec = Record{File: name, Error: err.Error(), Topics: []string{}, Entities: []Entity{}, Evidence: []Evidence{}}
		} else {
			title, body := SplitArticle(string(data))
			rec = NewRecord(name, c.Classify(Document{Title: title, Text: body}))
		}
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("tag dir %s: write %s: %w", inDir, name, err)
		}
	}
	return nil
}
