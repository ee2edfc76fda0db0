package main

import (
	"os"
	"path/filepath"
	"testing"

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

// TestSameDeal checks the sink's matching as the eval reads it: parties side
// by side (a country stands for any organisation of its side), then the
// subject, or the topic where either report names none.
func TestSameDeal(t *testing.T) {
	tests := []struct {
		name string
		a, b classify.Agreement
		want bool
	}{
		{"country and agency, same subject",
			classify.Agreement{Parties: []string{"cn", "ru"}, Technology: "space", Subject: "navigation", Key: "rucn:cn+ru/space/navigation"},
			classify.Agreement{Parties: []string{"cnsa", "roscosmos"}, Technology: "space", Subject: "navigation", Key: "rucn:cnsa+ru/space/navigation"}, true},
		{"two organisations of one side",
			classify.Agreement{Parties: []string{"cn", "rosatom"}, Technology: "space", Subject: "lunar", Key: "rucn:cn+rosatom/space/lunar"},
			classify.Agreement{Parties: []string{"cnsa", "roscosmos"}, Technology: "space", Subject: "lunar", Key: "rucn:cnsa+ru/space/lunar"}, false},
		{"different subjects",
			classify.Agreement{Parties: []string{"cnsa", "roscosmos"}, Technology: "space", Subject: "lunar", Key: "rucn:cnsa+ru/space/lunar"},
			classify.Agreement{Parties: []string{"cnsa", "roscosmos"}, Technology: "space", Subject: "navigation", Key: "rucn:cnsa+ru/space/navigation"}, false},
		{"one without a subject, same topic",
			classify.Agreement{Parties: []string{"huawei", "ru"}, Technology: "telecom", Key: "rucn:huawei+ru/telecom"},
			classify.Agreement{Parties: []string{"huawei", "mts"}, Technology: "telecom", Subject: "mobile", Key: "rucn:huawei+ru/telecom/mobile"}, true},
		{"one without a subject, another topic",
			classify.Agreement{Parties: []string{"hit", "ru"}, Technology: "research", Key: "rucn:hit+ru/research"},
			classify.Agreement{Parties: []string{"hit", "ru"}, Technology: "ai", Key: "rucn:hit+ru/ai"}, false},
		{"subject from the key when the field is empty",
			classify.Agreement{Parties: []string{"cnnc", "ru"}, Key: "rucn:cnnc+ru/energy/xudapu"},
			classify.Agreement{Parties: []string{"cn", "rosatom"}, Technology: "energy", Subject: "xudapu", Key: "rucn:cn+rosatom/energy/xudapu"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameDeal(dealOf(tt.a), dealOf(tt.b)); got != tt.want {
				t.Errorf("sameDeal = %v, want %v (%+v, %+v)", got, tt.want, dealOf(tt.a), dealOf(tt.b))
			}
		})
	}
}
