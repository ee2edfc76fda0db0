package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// With a database password, webhook tokens, a webhook secret and NATS
// credentials configured, and every dependency down, nothing the all-in-one
// writes (logs, the error it exits with) holds a secret.
func TestNoSecretInOutput(t *testing.T) {
	secrets := []string{"hunter2", "tok3n", "XXXXSECRET", "s1gning-key", "natspw"}
	env := []string{
		"NEWSPIPE_BE_MAIN=1",
		"WEBHOOK_URLS=slack:https://hooks.slack.com/services/T0/B0/XXXXSECRET,https://alerts.example/hook?token=tok3n",
		"WEBHOOK_SECRET=s1gning-key",
		"LOG_LEVEL=debug",
	}
	cases := []struct {
		name string
		args []string
	}{
		// The embedded NATS starts; the store (PostgreSQL) is down.
		{"store down", []string{"run", "-nats-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0",
			"-store", "postgres://newspipe:hunter2@127.0.0.1:1/news?sslmode=disable"}},
		// An external NATS that is down, reached with a password.
		{"nats down", []string{"run", "-nats-url", "nats://newspipe:natspw@127.0.0.1:1", "-http-addr", "127.0.0.1:0",
			"-store", "postgres://newspipe:hunter2@127.0.0.1:1/news?sslmode=disable"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append(tc.args[:1:1], append([]string{"-data-dir", t.TempDir()}, tc.args[1:]...)...)
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), env...)
			logPath := filepath.Join(t.TempDir(), "out.log")
			f, err := os.Create(logPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cmd.Stdout, cmd.Stderr = f, f
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done: // gave up on its own (the store)
			case <-time.After(4 * time.Second): // still retrying (NATS): stop it
				_ = cmd.Process.Signal(syscall.SIGTERM)
				select {
				case <-done:
				case <-time.After(20 * time.Second):
					_ = cmd.Process.Kill()
					<-done
					t.Fatal("no exit within 20s of SIGTERM")
				}
			}
			out, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), "127.0.0.1:1") {
				t.Fatalf("the output does not even name the dead address, so it says nothing of the failure:\n%s", out)
			}
			for _, s := range secrets {
				if strings.Contains(string(out), s) {
					t.Errorf("the output holds the secret %q:\n%s", s, out)
				}
			}
		})
	}
}
