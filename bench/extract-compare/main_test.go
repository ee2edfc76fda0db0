package main

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/bench/extract-compare/internal/floor"
	"github.com/newspipe/newspipe/bench/extract-compare/internal/runner"
)

// TestMain lets the test binary stand in for a competitor binary: with
// EXTRACT_COMPARE_HELPER=1 it is x-floor.
func TestMain(m *testing.M) {
	if os.Getenv("EXTRACT_COMPARE_HELPER") == "1" {
		os.Exit(runner.Main(flag.NewFlagSet("helper", flag.ContinueOnError), os.Args[1:], func(body []byte, _ string) (string, error) {
			return floor.Text(body, "")
		}, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestRunSkipsWithoutSharedSet(t *testing.T) {
	t.Setenv("NEWSPIPE_SHARED", filepath.Join(t.TempDir(), "absent"))
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, want 0 (stderr %q)", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "skipped: ") {
		t.Errorf("stdout %q, want a skipped: line", stdout.String())
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown flag", []string{"-nope"}},
		{"no runs", []string{"-reps", "0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
		})
	}
}

func TestSelectExtractors(t *testing.T) {
	tests := []struct {
		name    string
		only    string
		want    []string
		wantErr bool
	}{
		{"all by default", "", allKeys(), false},
		{"some in the given order", "floor, newspipe", []string{"floor", "newspipe"}, false},
		{"unknown", "nope", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			xs, err := selectExtractors(config{only: tc.only})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			var got []string
			for _, x := range xs {
				got = append(got, x.key)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("keys %q, want %q", got, tc.want)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	d := func(msecs ...float64) []time.Duration {
		var out []time.Duration
		for _, m := range msecs {
			out = append(out, fromMS(m))
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		q    float64
		want float64
	}{
		{"odd median", d(3, 1, 2), 0.5, 2},
		{"even median is the upper one", d(4, 1, 3, 2), 0.5, 3},
		{"p90 of ten by nearest rank", d(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 0.9, 9},
		{"p90 of one", d(7), 0.9, 7},
		{"p10 of ten", d(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 0.1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := quantile(tc.in, tc.q); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
	if !math.IsNaN(quantile(nil, 0.5)) {
		t.Error("quantile of nothing is not NaN")
	}
}

// TestMeasureSubset runs the whole loop on a set of two pages written
// here, with the test binary as the extractor (the floor).
func TestMeasureSubset(t *testing.T) {
	set := t.TempDir()
	pages := map[string][2]string{
		"a": {"<html><body><nav>Home</nav><p>The port opened a new quay for grain ships on Monday.</p></body></html>",
			"The port opened a new quay for grain ships on Monday."},
		"b": {"<html><body><script>x()</script></body></html>", "Nothing on this page is visible at all."},
	}
	for _, dir := range []string{"html", "expected"} {
		if err := os.MkdirAll(filepath.Join(set, "tiny", dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for id, p := range pages {
		if err := os.WriteFile(filepath.Join(set, "tiny", "html", id+".html"), []byte(p[0]), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(set, "tiny", "expected", id+".txt"), []byte(p[1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("EXTRACT_COMPARE_HELPER", "1")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	helper := extractor{key: "helper", label: "helper", selfTime: true,
		argv: func(_ config, in, out, cpuFile string) []string {
			argv := []string{self}
			if cpuFile != "" {
				argv = append(argv, "-cpu", cpuFile)
			}
			return append(argv, in, out)
		}}
	cfg := config{set: set, work: t.TempDir(), reps: 2, warm: 3}
	var stdout, stderr bytes.Buffer
	res, err := measureSubset(cfg, "tiny", []extractor{helper}, &stderr, &stdout)
	if err != nil {
		t.Fatal(err)
	}
	xr := res.xs[0]
	if xr.sum.Pages != 2 || xr.sum.NonEmpty != 1 {
		t.Errorf("pages %d non-empty %d, want 2 and 1", xr.sum.Pages, xr.sum.NonEmpty)
	}
	p, r, _ := xr.sum.PRF()
	// Page a: the output is "Home" and the 11-token sentence, 9 shingles
	// of which the truth's 8; page b: no output.
	if math.Abs(p-8.0/9) > 1e-9 || math.Abs(r-(1+0)/2.0) > 1e-9 {
		t.Errorf("P %.4f R %.4f, want %.4f %.4f", p, r, 8.0/9, 0.5)
	}
	if len(xr.noop) != 2 {
		t.Errorf("%d no-op runs, want one per page", len(xr.noop))
	}
	for i, pr := range xr.pages {
		if pr.failures != 0 || len(pr.cold) != 2 || len(pr.coldSelf) != 2 || pr.warm <= 0 || len(pr.warmSelf) != 2 {
			t.Errorf("page %s: %d failures, %d cold runs, %d in-process times, warm %v with %d copies timed; want 0, 2, 2, >0, 2",
				res.ids[i], pr.failures, len(pr.cold), len(pr.coldSelf), pr.warm, len(pr.warmSelf))
		}
	}
	got, err := os.ReadFile(filepath.Join(cfg.work, "out", "helper", "tiny", "a.txt"))
	if err != nil || string(got) != "Home\n"+pages["a"][1]+"\n" {
		t.Errorf("output of a = %q (%v)", got, err)
	}
	var table bytes.Buffer
	res.print(&table, cfg)
	if !strings.Contains(table.String(), "| helper | ") {
		t.Errorf("table lacks the helper row:\n%s", table.String())
	}
}
