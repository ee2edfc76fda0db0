package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newspipe/newspipe/services/classifier/internal/classify"
)

// TestPresentSkipsSealedFiles checks that a labelled set whose text files are
// partly absent (a half kept sealed elsewhere) scores the files present and
// counts the rest.
func TestPresentSkipsSealedFiles(t *testing.T) {
	tests := []struct {
		name        string
		files       []string
		wantItems   int
		wantMissing int
	}{
		{"all present", []string{"en01", "en02", "ru01"}, 3, 0},
		{"odd half present", []string{"en01", "ru01"}, 2, 1},
		{"none present", nil, 0, 3},
	}
	labels := `{"id": "en01", "lang": "en", "ru_cn_tech": true, "agreement": false, "topics": ["ai"]}
{"id": "en02", "lang": "en", "ru_cn_tech": false, "agreement": false, "topics": []}

{"id": "ru01", "lang": "ru", "ru_cn_tech": true, "agreement": true, "topics": [], "agreement_event": "x"}
`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "labels.jsonl"), []byte(labels), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, f+".txt"), []byte("Title\nBody.\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s, err := loadOwn(dir)
			if err != nil {
				t.Fatalf("loadOwn: %v", err)
			}
			if len(s.items) != 3 {
				t.Fatalf("loaded %d records, want 3", len(s.items))
			}
			got, missing := present(s)
			if len(got.items) != tt.wantItems || missing != tt.wantMissing {
				t.Errorf("present: %d items, %d missing; want %d, %d", len(got.items), missing, tt.wantItems, tt.wantMissing)
			}
			for _, it := range got.items {
				if _, err := os.Stat(it.path); err != nil {
					t.Errorf("kept %s whose file is absent", it.id)
				}
			}
		})
	}
}

// TestDealReport checks the sink simulation against labelled deals: two
// reports of one deal make one alert, two deals of the same parties signed
// a year apart make two, and a report of no deal makes a spurious one.
func TestDealReport(t *testing.T) {
	nav := func(parties []classify.Party, date string) classify.Result {
		return classify.Result{Agreement: classify.Agreement{Detected: true, CN: parties, Technology: "space", Subject: "navigation", Date: date}}
	}
	cnsa := []classify.Party{{ID: "cnsa", Group: "cnsa"}}
	outs := []outcome{
		{it: item{id: "a", agreement: true, event: "nav-2018-11", date: "2018-11-06"}, res: nav(cnsa, "")},
		{it: item{id: "b", agreement: true, event: "nav-2018-11", date: "2018-11-08"}, res: nav(nil, "2018-11")},
		{it: item{id: "c", agreement: true, event: "nav-2019-11", date: "2019-11-20"}, res: nav(cnsa, "")},
		{it: item{id: "d", agreement: false, date: "2019-11-21"}, res: classify.Result{Agreement: classify.Agreement{Detected: true, Technology: "energy"}}},
		{it: item{id: "e", agreement: true, event: "lunar-2021-03", date: "2021-03-09"}, res: classify.Result{}},
	}
	f := dealReport(outs, 30*24*time.Hour)
	if f.deals != 3 || f.alerts != 3 || f.merged != 0 || f.split != 0 || f.missed != 1 || f.spurious != 1 || f.rightDate != 1 {
		t.Errorf("figures %+v", f)
	}
	if f.failed() {
		t.Errorf("failed with no merge and no split")
	}
	// The same parties a year later, dated only by a stated year that
	// agrees with the first deal, merge: the report says so.
	outs[2].res = nav(cnsa, "2018")
	if f := dealReport(outs, 30*24*time.Hour); f.merged != 1 || f.split != 0 || !f.failed() {
		t.Errorf("merged deals not reported: %+v", f)
	}
}

func TestEventMonth(t *testing.T) {
	for in, want := range map[string]string{"huawei-mts-5g-2019-06": "2019-06", "russian-helicopters-mi171e-2012": "2012", "no-date": ""} {
		if got := eventMonth(in).String(); got != want {
			t.Errorf("eventMonth(%q) = %q, want %q", in, got, want)
		}
	}
}
