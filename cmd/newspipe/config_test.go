package main

import (
	"bytes"
	"flag"
	"regexp"
	"strings"
	"testing"

	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/services/classifier/classifier"
	"github.com/newspipe/newspipe/services/cleaner/cleaner"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
	"github.com/newspipe/newspipe/services/sink/sink"
)

var envInUsage = regexp.MustCompile(`\(env ([A-Z0-9_]+)\)`)

// envVars maps each environment variable fs's flags name in their usage to
// the flag.
func envVars(fs *flag.FlagSet) map[string]string {
	out := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) {
		for _, m := range envInUsage.FindAllStringSubmatch(f.Usage, -1) {
			if _, dup := out[m[1]]; !dup {
				out[m[1]] = f.Name
			}
		}
	})
	return out
}

// serviceFlags builds each service's flag set as its main does: the common
// settings, then the service package's own declarations.
func serviceFlags() map[string]*flag.FlagSet {
	out := map[string]*flag.FlagSet{}
	build := func(name string, declare ...func(*service.Settings)) {
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		var common service.Common
		common.RegisterFlags(fs)
		var ss service.Settings
		for _, d := range declare {
			d(&ss)
		}
		ss.Register(fs)
		out[name] = fs
	}
	var f fetcher.Config
	var c cleaner.Config
	var cl classifier.Config
	var s sink.Config
	var store, addr string
	build("fetcher", f.Declare)
	build("cleaner", c.Declare)
	build("classifier", cl.Declare)
	build("sink", s.Declare, func(ss *service.Settings) { sink.DeclareServer(ss, &store, &addr) })
	return out
}

// Every setting of a service is a setting of the all-in-one, under the same
// environment variable, but for the few (exempt) the all-in-one has on
// purpose in another form, or not at all.
func TestRunHasEveryServiceSetting(t *testing.T) {
	exempt := map[string]string{
		"NATS_URL":            "the all-in-one runs its own server unless -nats-url says otherwise; $NATS_URL is the standalone services'",
		"METRICS_ADDR":        "the all-in-one serves /metrics on HTTP_ADDR, with the API",
		"STREAMS_PROVISIONED": "the all-in-one is every service in one process: it declares its streams itself",
	}
	fs, _ := newRunFlags("newspipe run")
	all := envVars(fs)
	if len(all) < 30 {
		t.Fatalf("the all-in-one names %d environment variables in its flags; the test reads them wrong", len(all))
	}
	for name, sfs := range serviceFlags() {
		envs := envVars(sfs)
		n := 0
		sfs.VisitAll(func(*flag.Flag) { n++ })
		if len(envs) != n {
			t.Errorf("%s: %d flags but %d name an environment variable: every flag has one", name, n, len(envs))
		}
		for env, flagName := range envs {
			if _, ok := all[env]; !ok && exempt[env] == "" {
				t.Errorf("%s's -%s (env %s) is not a setting of newspipe run", name, flagName, env)
			}
		}
	}
}

// newspipe config prints what run would use, with the flags and the
// environment applied and every secret redacted.
func TestConfigRedactsSecrets(t *testing.T) {
	t.Setenv("STORE_DSN", "postgres://newspipe:hunter2@db.internal:5432/news")
	t.Setenv("WEBHOOK_URLS", "slack:https://hooks.slack.com/services/T000/B000/XXXXSECRET,https://alerts.example/hook?token=tok3n")
	t.Setenv("WEBHOOK_SECRET", "s1gning-key")
	t.Setenv("CLEANER_WORKERS", "3")
	var out bytes.Buffer
	if code := configCmd([]string{"-nats-url", "nats://svc:pa55word@nats:4222", "-fetcher-workers", "5"}, &out); code != 0 {
		t.Fatalf("config exited %d:\n%s", code, out.String())
	}
	got := out.String()
	for _, secret := range []string{"hunter2", "XXXXSECRET", "tok3n", "s1gning-key", "pa55word"} {
		if strings.Contains(got, secret) {
			t.Errorf("config printed the secret %q:\n%s", secret, got)
		}
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^CLEANER_WORKERS\s+-cleaner-workers\s+3$`),
		regexp.MustCompile(`(?m)^FETCHER_WORKERS\s+-fetcher-workers\s+5$`),
		regexp.MustCompile(`(?m)^STORE_DSN\s+-store\s+postgres://newspipe:redacted@db.internal:5432/news$`),
		regexp.MustCompile(`(?m)^WEBHOOK_SECRET\s+\(environment only\)\s+<redacted>$`),
		regexp.MustCompile(`(?m)^MAX_BODY_BYTES\s+-max-body-bytes\s+8388608$`),
	} {
		if !want.MatchString(got) {
			t.Errorf("config output lacks %v:\n%s", want, got)
		}
	}
}

// The page size cap is one setting: it reaches the fetcher, the cleaner
// and the streams' message size limit alike.
func TestBodyCapFromOnePlace(t *testing.T) {
	t.Setenv("MAX_BODY_BYTES", "1048576")
	r, ok := parseRunFlags("newspipe run", nil)
	if !ok {
		t.Fatal("parse failed")
	}
	if r.cfg.Fetcher.MaxBodyBytes != 1<<20 || r.cfg.Cleaner.MaxBodyBytes != 1<<20 {
		t.Errorf("fetcher cap %d, cleaner cap %d, want 1 MiB both", r.cfg.Fetcher.MaxBodyBytes, r.cfg.Cleaner.MaxBodyBytes)
	}
	for _, s := range r.cfg.Topology.Streams() {
		if s.MaxMsgSize != 1<<20 {
			t.Errorf("stream %s: MaxMsgSize %d, want 1 MiB", s.Name, s.MaxMsgSize)
		}
	}
}
