package service

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

func TestSettings(t *testing.T) {
	envErrs = nil
	t.Cleanup(func() { envErrs = nil })
	t.Setenv("T_WORKERS", "4")
	t.Setenv("T_GRACE", "30") // no unit: refused
	t.Setenv("T_TOKEN", "sekrit")
	var (
		workers, other int
		grace          time.Duration
		on             bool
		name           string
		token          []byte
	)
	var ss Settings
	ss.Int(&workers, "workers", "T_WORKERS", 1, "workers")
	ss.Int(&other, "other", "T_OTHER", 7, "other")
	ss.Duration(&grace, "grace", "T_GRACE", time.Second, "grace")
	ss.Bool(&on, "on", "T_ON", false, "on")
	ss.String(&name, "name", "T_NAME", "x", "name").Redact(func(string) string { return "hidden" })
	ss.SecretEnv(&token, "T_TOKEN", "token")
	if workers != 4 || other != 7 || string(token) != "sekrit" {
		t.Errorf("from the environment: workers %d, other %d, token %q", workers, other, token)
	}
	if err := EnvErr(); !errors.Is(err, ErrBadEnv) || !strings.Contains(err.Error(), `T_GRACE="30"`) {
		t.Errorf("EnvErr() = %v, want T_GRACE named", err)
	}
	if !ss.Lookup("workers").Changed() || ss.Lookup("other").Changed() {
		t.Error("Changed: workers came from the environment, other is its default")
	}
	ss.Rename("workers", "t-workers")
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	ss.Register(fs)
	if fs.Lookup("T_TOKEN") != nil || fs.Lookup("token") != nil {
		t.Error("an environment-only secret became a flag")
	}
	if err := fs.Parse([]string{"-t-workers", "9", "-other", "8", "-grace", "2s", "-on", "-name", "y"}); err != nil {
		t.Fatal(err)
	}
	if workers != 9 || other != 8 || grace != 2*time.Second || !on || name != "y" {
		t.Errorf("from flags: %d %d %v %v %q", workers, other, grace, on, name)
	}
	if !ss.Lookup("other").Changed() {
		t.Error("a flag did not count as a change")
	}
	if err := fs.Parse([]string{"-other", "eight"}); err == nil {
		t.Error("-other eight parsed")
	}
	var out bytes.Buffer
	if err := Print(&out, &ss); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.Contains(s, "sekrit") || !strings.Contains(s, "<redacted>") || !strings.Contains(s, "hidden") ||
		!strings.Contains(s, "-t-workers") {
		t.Errorf("Print:\n%s", s)
	}
}
