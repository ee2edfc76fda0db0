package runner

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	pages := map[string]string{
		"a.html":   "alpha",
		"b.htm":    "beta",
		"c.html":   "fail",
		"d.html":   "panic",
		"e.txt":    "not a page",
		"f.html":   "",
		"notes.md": "ignored",
	}
	for name, body := range pages {
		if err := os.WriteFile(filepath.Join(in, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var gotURL string
	extract := func(body []byte, pageURL string) (string, error) {
		gotURL = pageURL
		switch string(body) {
		case "fail":
			return "partial", errors.New("boom")
		case "panic":
			panic("kaboom")
		}
		return strings.ToUpper(string(body)), nil
	}
	var stderr, cpu bytes.Buffer
	if err := Run(in, out, extract, &stderr, &cpu); err != nil {
		t.Fatal(err)
	}
	if gotURL != PageURL {
		t.Errorf("url %q, want %q", gotURL, PageURL)
	}
	tests := []struct {
		name string
		file string
		want string
	}{
		{"html page", "a.txt", "ALPHA\n"},
		{"htm page", "b.txt", "BETA\n"},
		{"error gives empty text", "c.txt", ""},
		{"panic gives empty text", "d.txt", ""},
		{"empty output has no newline", "f.txt", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(out, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("%s = %q, want %q", tc.file, got, tc.want)
			}
		})
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 5 {
		t.Errorf("%d outputs, want 5 (the .txt input and notes.md are not pages)", len(entries))
	}
	var cpuNames []string
	for _, line := range strings.Split(strings.TrimSpace(cpu.String()), "\n") {
		name, ns, ok := strings.Cut(line, "\t")
		if _, err := strconv.ParseInt(ns, 10, 64); !ok || err != nil {
			t.Errorf("cpu line %q is not <name>\\t<ns>", line)
		}
		cpuNames = append(cpuNames, name)
	}
	if want := []string{"a.html", "b.htm", "c.html", "d.html", "f.html"}; !slices.Equal(cpuNames, want) {
		t.Errorf("cpu lines for %q, want %q", cpuNames, want)
	}
	for _, want := range []string{"c.html: boom", "d.html: panic: kaboom"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr %q lacks %q", stderr.String(), want)
		}
	}
}

func TestMainCommand(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "p.html"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cpuFile := filepath.Join(t.TempDir(), "cpu.tsv")
	upper := func(body []byte, _ string) (string, error) { return strings.ToUpper(string(body)), nil }
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"one argument", []string{"only-one"}, 2},
		{"unknown flag", []string{"-nope", in, out}, 2},
		{"missing input dir", []string{filepath.Join(in, "missing"), out}, 1},
		{"cpu file", []string{"-cpu", cpuFile, in, out}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			fs := flag.NewFlagSet("x-test", flag.ContinueOnError)
			if code := Main(fs, tc.args, upper, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr.String())
			}
		})
	}
	b, err := os.ReadFile(cpuFile)
	if err != nil || !strings.HasPrefix(string(b), "p.html\t") {
		t.Errorf("cpu file %q (%v), want a p.html line", b, err)
	}
}
