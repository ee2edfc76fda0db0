package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/topology"
)

// TestMain lets the test binary stand in for the newspipe binary: the
// restart test runs it as a child process with NEWSPIPE_BE_MAIN=1, so what
// is killed is the real program, signal handling and all.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSPIPE_BE_MAIN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type proc struct {
	cmd  *exec.Cmd
	done chan error
}

func startDemo(t *testing.T, dataDir, httpAddr, siteAddr string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "demo", "-data-dir", dataDir, "-nats-addr", "127.0.0.1:0",
		"-http-addr", httpAddr, "-site-addr", siteAddr, "-poll-interval", "1s", "-per-host-delay", "150ms", "-log-level", "warn")
	cmd.Env = append(os.Environ(), "NEWSPIPE_BE_MAIN=1")
	log, err := os.Create(filepath.Join(t.TempDir(), "newspipe.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("newspipe output:\n%s", tailLines(string(b), 40))
		}
	})
	return p
}

// stop sends SIGTERM and requires a clean exit within the grace period.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		if err != nil {
			t.Fatalf("newspipe exited with %v after SIGTERM, want exit 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("newspipe did not exit within 30s of SIGTERM")
	}
}

func countStories(httpAddr string) (int, error) {
	resp, err := http.Get("http://" + httpAddr + "/api/stories?limit=500")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Stories []json.RawMessage `json:"stories"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	return len(body.Stories), nil
}

func waitCount(t *testing.T, httpAddr string, atLeast int, within time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(within)
	n := 0
	for time.Now().Before(deadline) {
		if c, err := countStories(httpAddr); err == nil {
			n = c
			if n >= atLeast {
				return n
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%d stories within %v, want at least %d", n, within, atLeast)
	return n
}

// TestRestartAfterSIGTERMLosesNothing kills the demo pipeline with SIGTERM
// while articles are still flowing, starts it again on the same data
// directory, and checks that every article arrives once and every agreement
// raises exactly one alert on news.alerts.agreement.
func TestRestartAfterSIGTERMLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
	expected, err := demosite.Expected()
	if err != nil {
		t.Fatal(err)
	}
	agreements := map[string]bool{}
	for _, p := range expected {
		if p.Agreement {
			agreements[p.AgreementEvent] = true
		}
	}
	dataDir := t.TempDir()
	httpAddr, siteAddr := freeAddr(t), freeAddr(t)

	first := startDemo(t, dataDir, httpAddr, siteAddr)
	n := waitCount(t, httpAddr, 3, 60*time.Second)
	first.stop(t)
	if n >= len(expected) {
		t.Fatalf("all %d stories were stored before SIGTERM; the test did not stop the pipeline mid-stream", n)
	}
	t.Logf("stopped with %d of %d stories stored", n, len(expected))

	restarted := time.Now()
	second := startDemo(t, dataDir, httpAddr, siteAddr)
	waitCount(t, httpAddr, n+1, 60*time.Second)
	// A figure for the note, not an assertion: timing depends on the machine.
	t.Logf("the restarted pipeline stored its next story %.1fs after it was started", time.Since(restarted).Seconds())
	waitCount(t, httpAddr, len(expected), 90*time.Second)
	time.Sleep(2 * time.Second) // let any duplicate surface
	if got, _ := countStories(httpAddr); got != len(expected) {
		t.Errorf("%d stories stored, want %d", got, len(expected))
	}

	// Count what users see on the alert subject, across both runs.
	natsURL, err := os.ReadFile(filepath.Join(dataDir, "nats.url"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, strings.TrimSpace(string(natsURL)), topology.Default(), bus.Options{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	keys := map[string]int{}
	_ = b.Tail(ctx, topology.Default().AgreementAlerts(), true, func(d *bus.Delivery) bool {
		keys[fmt.Sprint(d.StreamSeq)]++
		return true
	})
	if len(keys) != len(agreements) {
		t.Errorf("%d alerts on news.alerts.agreement, want %d (one per distinct agreement)", len(keys), len(agreements))
	}
	second.stop(t)
}

func tailLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
