package classifier_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/classifier/classifier"
	"github.com/newspipe/newspipe/services/classifier/internal/classify"
)

// TestOfflineTagAgrees checks that bin/classifier tag, reading what
// bin/cleaner extract writes for a page (<name>.txt, the article's blocks,
// and <name>.json, its metadata), tags the page as the classifier stage
// tags the cleaner's event for it: the headline from the metadata rather
// than the text's first line (a section label, a caption), and the
// publication time that dates an old deal as a recall.
func TestOfflineTagAgrees(t *testing.T) {
	published := time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)
	articles := []*newspipev1.CleanArticle{
		withPublished(dealStory, published),
		{
			Id: "label", Lang: "en", Title: "Roscosmos and CNSA sign lunar station agreement",
			PublishedAt: timestamppb.New(published),
			Paragraphs: []string{
				"SPACE", // a section label kept as the first block
				"Roscosmos and the China National Space Administration signed an agreement on Tuesday on building the International Lunar Research Station.",
				"The two agencies will share data from their lunar landers.",
			},
		},
		{
			// An old deal recalled in a story dated years later.
			Id: "recall", Lang: "en", Title: "MTS expands its 5G network to three more cities",
			PublishedAt: timestamppb.New(published),
			Paragraphs: []string{
				"MTS switched on 5G in Kazan, Samara and Omsk this week.",
				"In 2019 MTS and Huawei signed an agreement to develop 5G networks in Russia.",
			},
		},
		{
			Id: "und", Lang: "und", Title: "Россия и Китай подписали соглашение о спутниковой навигации",
			Paragraphs: []string{"Роскосмос и Китайское национальное космическое управление подписали соглашение о совместном использовании систем ГЛОНАСС и Бэйдоу."},
		},
		sportStory,
	}
	tax, err := classifier.LoadTaxonomy("")
	if err != nil {
		t.Fatal(err)
	}
	c, err := classify.New(tax)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, a := range articles {
		// The files bin/cleaner extract writes: the blocks, one a line, and
		// its metadata (services/cleaner/internal/extract.PageMeta).
		if err := os.WriteFile(filepath.Join(dir, a.Id+".txt"), []byte(strings.Join(a.Paragraphs, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		meta := map[string]string{"file": a.Id + ".html", "title": a.Title, "lang": a.Lang, "published": ""}
		if a.Lang == "und" {
			meta["lang"] = "" // the cleaner writes what the page said: nothing
		}
		if a.PublishedAt != nil {
			meta["published"] = a.PublishedAt.AsTime().Format(time.RFC3339)
		}
		b, _ := json.Marshal(meta)
		if err := os.WriteFile(filepath.Join(dir, a.Id+".json"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := classify.TagDir(context.Background(), c, dir, &out); err != nil {
		t.Fatal(err)
	}
	offline := map[string]classify.Record{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r classify.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("record %q: %v", line, err)
		}
		offline[strings.TrimSuffix(r.File, ".txt")] = r
	}
	for _, a := range articles {
		t.Run(a.Id, func(t *testing.T) {
			stage := classifier.Enrich(a, c.Classify(classifier.DocumentOf(a)), time.Now())
			off, ok := offline[a.Id]
			if !ok || off.Error != "" {
				t.Fatalf("no offline record (%+v)", off)
			}
			ag := stage.GetAgreement()
			if off.RuCnTech != stage.GetRuCnTech() || off.Score != stage.GetScore() || !slices.Equal(off.Topics, stage.GetTopics()) ||
				off.Agreement.Detected != ag.GetDetected() || off.Agreement.ReportKey != ag.GetKey() || off.Agreement.Date != ag.GetDate() {
				t.Errorf("offline tag %v %.3f %v %v %q %q; stage %v %.3f %v %v %q %q", off.RuCnTech, off.Score, off.Topics,
					off.Agreement.Detected, off.Agreement.ReportKey, off.Agreement.Date, stage.GetRuCnTech(), stage.GetScore(),
					stage.GetTopics(), ag.GetDetected(), ag.GetKey(), ag.GetDate())
			}
			if len(off.Evidence) != len(stage.GetEvidence()) {
				t.Errorf("offline evidence %v, stage %v", off.Evidence, stage.GetEvidence())
			}
		})
	}
	// The cases test what they name: the label is not taken for the
	// headline, and the publication time makes the 2019 deal a recall.
	if r := offline["label"]; !r.Agreement.Detected {
		t.Errorf("label: agreement not found offline: %+v", r)
	}
	if r := offline["recall"]; r.Agreement.Detected {
		t.Errorf("recall: a 2019 deal in a 2025 story reported as new: %+v", r.Agreement)
	}
}

func withPublished(a *newspipev1.CleanArticle, t time.Time) *newspipev1.CleanArticle {
	b := proto.Clone(a).(*newspipev1.CleanArticle)
	b.PublishedAt = timestamppb.New(t)
	return b
}
