package main

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

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
	"github.com/newspipe/newspipe/services/sink/replay"
	"github.com/newspipe/newspipe/services/sink/sink"
)

// editedTaxonomy copies the classifier's default taxonomy into a temp dir,
// as a user would to edit it, and makes one edit: English quantum stories
// are known by "QKD" alone, no longer by "quantum".
func editedTaxonomy(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "services", "classifier", "internal", "taxonomy")
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "languages"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(src, "languages", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no language packs in %s: %v", src, err)
	}
	edits := map[string][2]string{
		"default.yaml":      {`version: "`, `version: "edited-`},
		"languages/en.yaml": {"    strong: [quantum, quantum communication*", "    strong: [QKD]"},
	}
	for _, f := range append(files, filepath.Join(src, "default.yaml")) {
		rel, _ := filepath.Rel(src, f)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := edits[filepath.ToSlash(rel)]; ok {
			if !bytes.Contains(b, []byte(e[0])) {
				t.Fatalf("%s no longer holds %q: update the test's edit", rel, e[0])
			}
			// Replace the whole line that starts with the old text.
			i := bytes.Index(b, []byte(e[0]))
			end := i + bytes.IndexByte(b[i:], '\n')
			if rel == "default.yaml" {
				end = i + len(e[0])
			}
			b = append(append(append([]byte(nil), b[:i]...), e[1]...), b[end:]...)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runReplay(t *testing.T, args ...string) replay.Report {
	t.Helper()
	var out bytes.Buffer
	if code := replayCmd(append(args, "-json"), &out); code != 0 {
		t.Fatalf("newspipe replay %v: exit %d", args, code)
	}
	var rep replay.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("replay output: %v\n%s", err, out.String())
	}
	return rep
}

func alertKeys(t *testing.T, dataDir string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := sink.Open(ctx, filepath.Join(dataDir, "newspipe.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	alerts, err := st.ListAlerts(ctx, 500)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, a := range alerts {
		keys = append(keys, a.Key)
	}
	slices.Sort(keys)
	return keys
}

// TestReplay runs the demo, then replays its stories: with the taxonomy
// they were classified with, nothing changes; with an edited one, replay
// reports the story the edit changes, says its deal is the alert it
// already raised, and raises no alert, old or new.
func TestReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
	expected, err := demosite.Expected()
	if err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	httpAddr := freeAddr(t)
	p := startDemo(t, dataDir, httpAddr, freeAddr(t))
	waitCount(t, httpAddr, len(expected), 90*time.Second)
	time.Sleep(time.Second) // the last alert's claim, written with its story
	p.stop(t)
	before := alertKeys(t, dataDir)
	if len(before) == 0 {
		t.Fatal("the demo raised no alert")
	}

	same := runReplay(t, "-data-dir", dataDir)
	if same.Stories != len(expected) || len(same.Changes) != 0 {
		t.Errorf("replay with the same taxonomy: %d stories, changes %+v; want %d and none", same.Stories, same.Changes, len(expected))
	}

	tax := editedTaxonomy(t)
	rep := runReplay(t, "-data-dir", dataDir, "-taxonomy", tax)
	if !strings.HasPrefix(rep.NewVersion, "edited-") {
		t.Errorf("replayed with taxonomy %q, want the edited one", rep.NewVersion)
	}
	var quantum *replay.Change
	for i, c := range rep.Changes {
		if strings.Contains(c.Title, "QuantumCTek") {
			quantum = &rep.Changes[i]
		}
	}
	if quantum == nil {
		t.Fatalf("the edit changed nothing in the QuantumCTek story: %+v", rep.Changes)
	}
	// Its deal is filed under another technology now: a changed deal,
	// which is still the alert it raised (the sink gives an alert's first
	// article its claim back), not a new one.
	if !slices.Contains(quantum.Kinds, replay.DealChanged) || quantum.OldAlert == "" || quantum.Alert != quantum.OldAlert {
		t.Errorf("QuantumCTek: %+v, want deal_changed joining its own alert", *quantum)
	}
	if rep.NewDeals != 0 {
		t.Errorf("the edit finds %d new deals in the demo, want none: %+v", rep.NewDeals, rep.Changes)
	}
	if after := alertKeys(t, dataDir); !slices.Equal(after, before) {
		t.Errorf("alerts after the replays %v, want those before %v", after, before)
	}
}
