// Command eval-classify scores the classifier on labelled article sets and
// prints precision and recall of the ru_cn_tech tag and the agreement flag,
// overall, over the five first languages ("five") and per language; topic
// coverage (own sets) or topic precision and recall against the readers'
// labels (classify-real, its free topic labels read as taxonomy topics); and
// the deal figures: the set's detected agreements replayed through the
// sink's matching (pkg/deal) in order of publication, against the deals the
// labels name — alerts raised, alerts that merge two deals, deals split over
// two alerts, deals missed, alerts that hold no deal, and alerts whose date
// agrees or not with the labelled month of signing. It exits 1 when a set
// whose items carry publication dates has an alert that merges deals or a
// deal split over alerts.
//
// Sets, each skipped with a message when absent:
//
//	seeds   ../shared/seeds/expected.json and its .txt files
//	dev     ../shared/classify-dev/labels.jsonl (ru_cn_tech = POS_AGREEMENT or POS_TECH)
//	real    ../shared/classify-real/labels.jsonl: real news in en, zh, zh-Hant,
//	        ru, es, id and other languages, with the deal each agreement
//	        story reports and its publication date where known (the
//	        classifier's Document.Published; items without one are left
//	        out of the deal figures)
//	eval    testdata/eval/labels.jsonl, the project's own set
//	blind*  every testdata/blind* directory (blind, blind2, …): labelled sets
//	        written blind to the classifier, each measured once before it was
//	        studied (its README says the figure); labelled files that are
//	        absent are left out
//
// -dilute N adds real-diluted-Nk: each real item with off-beat paragraphs of
// its language inserted after its lead until it is N characters long, a
// stand-in for the long analysis pieces real feeds carry. -explain ID (or
// set:ID) traces the classification of items; -v lists every error.
//
// ../shared is $NEWSPIPE_SHARED, else the first "shared" directory found
// next to the working directory or one of its parents.
//
// The own set's labels.jsonl has one JSON object per line:
//
//	{"id": "en01", "lang": "en", "label": "POS_AGREEMENT",
//	 "ru_cn_tech": true, "agreement": true, "topics": ["telecom"],
//	 "agreement_event": "zte-rostelecom-backbone-2025", "note": "…"}
//
// id names <id>.txt in the same directory (title on the first line);
// agreement_event is null or the name of the deal the report is of, shared
// by every report of that deal.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/newspipe/newspipe/services/classifier/internal/classify"
	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

func main() {
	os.Exit(run())
}

func run() int {
	shared := flag.String("shared", "", "shared data directory (default: $NEWSPIPE_SHARED or ../shared found upwards)")
	evalDir := flag.String("eval", "", "own labelled set (default: testdata/eval found upwards)")
	blindDirs := flag.String("blind", "", "comma-separated blind labelled sets (default: every testdata/blind* directory found upwards)")
	taxFile := flag.String("taxonomy", "", "taxonomy YAML to use instead of the embedded default")
	verbose := flag.Bool("v", false, "list every misclassified item")
	explain := flag.String("explain", "", "explain the classification of the items with these ids (comma-separated; set:id picks the set)")
	diluteTo := flag.Int("dilute", 0, "also score the real set diluted to this many characters per item with off-beat paragraphs of its language (a stand-in for long analysis pieces)")
	only := flag.String("set", "", "score only the sets whose names are listed, comma-separated (seeds, dev, real, eval, blind…)")
	flag.Parse()

	tax, err := loadTaxonomy(*taxFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "eval-classify:", err)
		return 1
	}
	c, err := classify.New(tax)
	if err != nil {
		fmt.Fprintln(os.Stderr, "eval-classify:", err)
		return 1
	}
	fmt.Printf("taxonomy %s, %d patterns\n", tax.Version, c.Patterns())

	dir := *shared
	if dir == "" {
		dir = findShared()
	}
	var sets []set
	if dir == "" {
		fmt.Println("seeds, dev: skipped (no shared directory; set NEWSPIPE_SHARED)")
	} else {
		for _, load := range []func(string) (set, error){loadSeeds, loadDev, loadReal} {
			s, err := load(dir)
			if err != nil {
				fmt.Printf("%s: skipped (%v)\n", s.name, err)
				continue
			}
			sets = append(sets, s)
		}
	}
	ed := *evalDir
	if ed == "" {
		ed = findUp("testdata/eval")
	}
	if ed == "" {
		fmt.Println("eval: skipped (no testdata/eval)")
	} else if s, err := loadOwn(ed); err != nil {
		fmt.Printf("eval: skipped (%v)\n", err)
	} else {
		sets = append(sets, s)
	}
	for _, dir := range blindSets(*blindDirs) {
		if s, ok := loadBlind(filepath.Base(dir), dir); ok {
			sets = append(sets, s)
		}
	}
	if *diluteTo > 0 {
		for _, s := range sets {
			if s.name == "real" {
				sets = append(sets, dilute(s, *diluteTo))
				break
			}
		}
	}
	if *explain != "" {
		return explainItems(c, sets, *explain, *only)
	}
	var failed []string
	for _, s := range sets {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), s.name) {
			continue
		}
		if figs := report(os.Stdout, s, score(c, s), *verbose); figs.failed() {
			failed = append(failed, fmt.Sprintf("%s (%d alerts merge deals, %d deals split)", s.name, figs.merged, figs.split))
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(os.Stderr, "\neval-classify: FAIL: alerts that merge deals or deals split over alerts in %s\n", strings.Join(failed, ", "))
		return 1
	}
	return 0
}

// blindSets returns the blind sets to score: the comma-separated list, or
// every testdata/blind* directory (blind, blind2, …) in name order.
func blindSets(list string) []string {
	if list != "" {
		return strings.Split(list, ",")
	}
	root := findUp("testdata")
	if root == "" {
		return nil
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "blind*"))
	sort.Slice(dirs, func(i, j int) bool {
		a, b := filepath.Base(dirs[i]), filepath.Base(dirs[j])
		if len(a) != len(b) {
			return len(a) < len(b) // blind before blind2 … before blind10
		}
		return a < b
	})
	return dirs
}

// loadBlind loads a blind set from dir (default: testdata/<name> found
// upwards), keeping the records whose text file is present. It reports
// why it skips the set.
func loadBlind(name, dir string) (set, bool) {
	if dir == "" {
		dir = findUp(filepath.Join("testdata", name))
	}
	if dir == "" {
		fmt.Printf("%s: skipped (no testdata/%s)\n", name, name)
		return set{}, false
	}
	s, err := loadOwn(dir)
	if err != nil {
		fmt.Printf("%s: skipped (%v)\n", name, err)
		return set{}, false
	}
	s.name = name
	s, missing := present(s)
	if missing > 0 {
		fmt.Printf("%s: %d of %d labelled files absent, scoring the %d present\n", name, missing, missing+len(s.items), len(s.items))
	}
	return s, true
}

func loadTaxonomy(path string) (*taxonomy.Taxonomy, error) {
	if path == "" {
		return taxonomy.Default()
	}
	return taxonomy.LoadFile(path)
}

// explainItems writes the classifier's reading of each listed item.
func explainItems(c *classify.Classifier, sets []set, ids, only string) int {
	status := 0
	for _, want := range strings.Split(ids, ",") {
		setName, id, ok := strings.Cut(want, ":")
		if !ok {
			setName, id = only, want
		}
		found := false
		for _, s := range sets {
			if setName != "" && s.name != setName {
				continue
			}
			for _, it := range s.items {
				if it.id != id {
					continue
				}
				found = true
				data, err := os.ReadFile(it.path)
				if err != nil {
					fmt.Fprintln(os.Stderr, "eval-classify:", err)
					status = 1
					continue
				}
				fmt.Printf("##### %s:%s lang %s label %s ru_cn_tech %v agreement %v event %q date %q\n", s.name, it.id, it.lang, it.label, it.ruCnTech, it.agreement, it.event, it.date)
				c.Explain(documentOf(it, string(data)), os.Stdout)
			}
		}
		if !found {
			fmt.Fprintf(os.Stderr, "eval-classify: no item %s\n", want)
			status = 1
		}
	}
	return status
}
