package main

import (
	"flag"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Wrong names and stray arguments are errors, not an empty answer.
func TestCLIRefusesWhatItDoesNotKnow(t *testing.T) {
	for _, args := range [][]string{
		{"dlq", "-stage", "fetcher"},
		{"dlq", "extra"},
		{"run", "-data-dir", t.TempDir(), "extra"},
	} {
		if code := run(args); code != 2 {
			t.Errorf("newspipe %q exited %d, want 2", args, code)
		}
	}
}

// tail and dlq say which NATS server they use and why: an explicit
// -data-dir wins over $NATS_URL, and a missing nats.url says so.
func TestFindNATS(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nats.url"), []byte("nats://127.0.0.1:4999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NATS_URL", "nats://env:4222")
	parse := func(args ...string) (natsSource, error) {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		url := fs.String("nats-url", os.Getenv("NATS_URL"), "")
		dd := fs.String("data-dir", "data", "")
		err := fs.Parse(args)
		return findNATS(fs, *url, *dd), err
	}
	tests := []struct {
		args []string
		url  string
	}{
		{[]string{"-data-dir", dir}, "nats://127.0.0.1:4999"},
		{[]string{"-nats-url", "nats://flag:1", "-data-dir", dir}, "nats://flag:1"},
		{nil, "nats://env:4222"},
		{[]string{"-data-dir", filepath.Join(dir, "none")}, ""},
	}
	for _, tt := range tests {
		s, err := parse(tt.args...)
		if err != nil {
			t.Fatal(err)
		}
		if s.url != tt.url || s.from == "" {
			t.Errorf("%q: %+v, want url %q with its source", tt.args, s, tt.url)
		}
	}
}

// With no flag and no $NATS_URL, tail finds the running all-in-one: after
// `make demo` that is data/demo, whatever stale data/nats.url a killed
// `make run` left.
func TestFindNATSRunning(t *testing.T) {
	base := t.TempDir()
	demo := filepath.Join(base, "demo")
	if err := os.MkdirAll(demo, 0o755); err != nil {
		t.Fatal(err)
	}
	for dir, url := range map[string]string{base: "nats://127.0.0.1:4111", demo: "nats://127.0.0.1:4222"} {
		if err := os.WriteFile(filepath.Join(dir, "nats.url"), []byte(url), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	lock, err := os.Create(filepath.Join(demo, "LOCK"))
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NATS_URL", "")
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	url := fs.String("nats-url", "", "")
	dd := fs.String("data-dir", base, "")
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if s := findNATS(fs, *url, *dd); s.url != "nats://127.0.0.1:4222" {
		t.Errorf("found %+v, want the running demo's nats://127.0.0.1:4222", s)
	}
}
