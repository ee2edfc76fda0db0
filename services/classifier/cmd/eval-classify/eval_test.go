package main

import (
	"os"
	"path/filepath"
	"testing"
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
