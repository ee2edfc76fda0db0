// Package natstest gives tests a real NATS JetStream server: an embedded one
// per test (free port, its own temp store, shut down by t.Cleanup), and the
// standalone server at $NATS_URL where that is set.
package natstest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/natsembed"
	"github.com/newspipe/newspipe/pkg/topology"
)

// Target is a server a test runs against.
type Target struct {
	Name string // "embedded" or "external"
	URL  string
}

var seq atomic.Int64

// Start starts an embedded JetStream server for t with a temp store.
func Start(t testing.TB) *natsembed.Server {
	t.Helper()
	return StartAt(t, t.TempDir())
}

// StartAt starts an embedded server on storeDir (to restart over the same
// store in recovery tests).
func StartAt(t testing.TB, storeDir string) *natsembed.Server {
	t.Helper()
	s, err := natsembed.Start(natsembed.Config{StoreDir: storeDir})
	if err != nil {
		t.Fatalf("start embedded nats: %v", err)
	}
	t.Cleanup(s.Shutdown)
	return s
}

// Targets returns the embedded server and, where NATS_URL is set, the
// standalone one: run the test body for each.
func Targets(t testing.TB) []Target {
	t.Helper()
	s := Start(t)
	ts := []Target{{Name: "embedded", URL: s.ClientURL()}}
	if u := os.Getenv("NATS_URL"); u != "" {
		ts = append(ts, Target{Name: "external", URL: u})
	}
	return ts
}

// Topology returns a memory-backed topology in a namespace of its own, so
// tests, and repeated runs, sharing a standalone server never see each
// other's messages.
func Topology() topology.Topology {
	ns := fmt.Sprintf("t%d-%d-%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	topo := topology.Default().WithNamespace(ns)
	topo.Limits.Storage = topology.Memory
	topo.Limits.MaxAge = 10 * time.Minute
	topo.Limits.MaxBytes = 256 << 20
	return topo
}

// Connect opens a bus to target in a fresh namespace (see Topology),
// declares the streams, and closes the bus (and deletes the namespace's
// streams on an external server) at cleanup.
func Connect(t testing.TB, tg Target) *bus.Bus {
	t.Helper()
	return ConnectTopology(t, tg, Topology())
}

// ConnectTopology is Connect with a given topology, to reconnect to the
// namespace of an earlier Connect.
func ConnectTopology(t testing.TB, tg Target, topo topology.Topology) *bus.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, tg.URL, topo, bus.Options{Name: "test-" + sanitize(t.Name())})
	if err != nil {
		t.Fatalf("connect %s: %v", tg.Name, err)
	}
	if err := b.EnsureStreams(ctx); err != nil {
		t.Fatalf("ensure streams on %s: %v", tg.Name, err)
	}
	t.Cleanup(func() {
		if tg.Name == "external" {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := b.DeleteNamespace(ctx); err != nil {
				t.Logf("clean up namespace %s: %v", topo.Namespace, err)
			}
		}
		b.Close()
	})
	return b
}

func sanitize(s string) string { return strings.NewReplacer("/", "_", " ", "_").Replace(s) }

// Collect reads the messages stored on subject, oldest first, until n have
// arrived or within has passed, and returns what it got.
func Collect(t testing.TB, b *bus.Bus, subject string, n int, within time.Duration) []*bus.Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	var got []*bus.Delivery
	_ = b.Tail(ctx, subject, true, func(d *bus.Delivery) bool {
		got = append(got, d)
		return len(got) < n
	})
	return got
}
