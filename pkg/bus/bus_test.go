package bus_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/natsembed"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/topology"
)

// A publish whose acknowledgement never comes (here a subject a plain
// subscriber holds, so the message is delivered but nobody answers; in the
// field, a stream that lost its leader) fails after the publish timeout
// instead of blocking its worker for good.
func TestPublishTimeout(t *testing.T) {
	s := natstest.Start(t)
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := nc.SubscribeSync("silent.out"); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, s.ClientURL(), natstest.Topology(), bus.Options{PublishTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	start := time.Now()
	err = b.Publish(ctx, bus.Message{Subject: "silent.out", MsgID: "x", Data: []byte("x")})
	if !errors.Is(err, bus.ErrPublishTimeout) {
		t.Fatalf("publish error %v, want ErrPublishTimeout", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the caller's context ran out first (%v): the wait was not bounded", time.Since(start))
	}
}

// A message larger than the server's max_payload is refused at once with
// ErrTooLarge, which no retry can fix.
func TestPublishTooLarge(t *testing.T) {
	s, err := natsembed.Start(natsembed.Config{StoreDir: t.TempDir(), MaxPayload: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	topo := natstest.Topology()
	b, err := bus.Connect(ctx, s.ClientURL(), topo, bus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.EnsureStreams(ctx); err != nil {
		t.Fatal(err)
	}
	if got := b.MaxPayload(); got != 64<<10 {
		t.Errorf("MaxPayload %d, want %d", got, 64<<10)
	}
	err = b.Publish(ctx, bus.Message{Subject: topo.Raw("src"), MsgID: "big", Data: make([]byte, 100<<10)})
	if !errors.Is(err, bus.ErrTooLarge) {
		t.Fatalf("publish error %v, want ErrTooLarge", err)
	}
	if err := b.Publish(ctx, bus.Message{Subject: topo.Raw("src"), MsgID: "small", Data: make([]byte, 10<<10)}); err != nil {
		t.Fatalf("a message under the limit: %v", err)
	}
}

// Services started together with their NATS server find JetStream not yet
// serving; EnsureStreams waits for it instead of failing the start.
func TestEnsureStreamsWaitsForJetStream(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, ns.ClientURL(), natstest.Topology(), bus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	done := make(chan error, 1)
	go func() { done <- b.EnsureStreams(ctx) }()
	select {
	case err := <-done:
		t.Fatalf("EnsureStreams returned before JetStream served: %v", err)
	case <-time.After(700 * time.Millisecond):
	}
	if err := ns.EnableJetStream(&server.JetStreamConfig{StoreDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("EnsureStreams after JetStream came up: %v", err)
	}
}

// A configuration the server refuses is not waited for: EnsureStreams
// fails at once (here another stream already holds the subjects).
func TestEnsureStreamsRefusedConfig(t *testing.T) {
	s := natstest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	topo := natstest.Topology()
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "SQUATTER", Subjects: topo.Streams()[0].Subjects, Storage: jetstream.MemoryStorage}); err != nil {
		t.Fatal(err)
	}
	b, err := bus.Connect(ctx, s.ClientURL(), topo, bus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	start := time.Now()
	if err := b.EnsureStreams(ctx); err == nil {
		t.Fatal("EnsureStreams succeeded over another stream's subjects")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a refused configuration took %v: it was retried", d)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"nats://admin:s3cret@127.0.0.1:4222":    "nats://admin:xxxxx@127.0.0.1:4222",
		"nats://s3cret-token@host:4222":         "nats://xxxxx@host:4222",
		"nats://a:b@h1:4222,nats://c:d@h2:4222": "nats://a:xxxxx@h1:4222,nats://c:xxxxx@h2:4222",
		"nats://127.0.0.1:4222":                 "nats://127.0.0.1:4222",
		"nats://u:p%zz@host":                    "<redacted>",
	} {
		got := bus.RedactURL(in)
		if got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
		for _, secret := range []string{"s3cret", ":b@", ":d@", "p%zz"} {
			if strings.Contains(got, secret) {
				t.Errorf("RedactURL(%q) = %q still holds %q", in, got, secret)
			}
		}
	}
}

// With NATS down, neither the log nor the error shows the password of the
// URL the service was given.
func TestConnectKeepsCredentialsOutOfLogs(t *testing.T) {
	var logs bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_, err := bus.Connect(ctx, "nats://admin:topsecret@127.0.0.1:1", natstest.Topology(),
		bus.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), ConnectTimeout: 200 * time.Millisecond})
	if err == nil {
		t.Fatal("connected to nothing")
	}
	if strings.Contains(err.Error(), "topsecret") || strings.Contains(logs.String(), "topsecret") {
		t.Errorf("the password leaked:\nerror: %v\nlogs: %s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "admin:xxxxx@") {
		t.Errorf("the log does not say which server it tried: %s", logs.String())
	}
}

// ConsumerStates says where messages wait: delivered or not, acknowledged
// or not, per consumer.
func TestConsumerStates(t *testing.T) {
	s := natstest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	topo := natstest.Topology()
	b := natstest.ConnectTopology(t, natstest.Target{Name: "embedded", URL: s.ClientURL()}, topo)
	spec, err := topo.Consumer(topology.StageCleaner)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Consumer(ctx, spec); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := b.Publish(ctx, bus.Message{Subject: topo.Raw("src"), MsgID: fmt.Sprint(i), Data: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	// The server counts pending messages a moment after acknowledging the
	// publishes: ask until it has.
	var states []bus.ConsumerState
	var got *bus.ConsumerState
	for range 100 {
		if states, err = b.ConsumerStates(ctx); err != nil {
			t.Fatal(err)
		}
		got = nil
		for i := range states {
			if states[i].Name == spec.Durable {
				got = &states[i]
			}
		}
		if got != nil && got.Pending == 3 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got == nil || got.Stream != spec.Stream || got.Pending != 3 || got.AckPending != 0 {
		t.Fatalf("states %v, want %s on %s with 3 pending", states, spec.Durable, spec.Stream)
	}
}

// A message marked Last is stored only after the rest of its batch, and not
// at all when one of them fails: the record of a batch never outlives what
// it records.
func TestPublishAllLast(t *testing.T) {
	s := natstest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	topo := natstest.Topology()
	b := natstest.ConnectTopology(t, natstest.Target{Name: "embedded", URL: s.ClientURL()}, topo)
	record := func(id string) bus.Message {
		return bus.Message{Subject: topo.Raw("record"), MsgID: id, Data: []byte(id), Last: true}
	}
	// No stream holds "nowhere.job": that publish fails.
	err := b.PublishAll(ctx, []bus.Message{
		record("r1"),
		{Subject: topo.Raw("job"), MsgID: "j1", Data: []byte("j1")},
		{Subject: "nowhere.job", MsgID: "j2", Data: []byte("j2")},
	})
	if err == nil {
		t.Fatal("a batch with a failed publish returned nil")
	}
	if n, err := b.Count(ctx, topo.Raw("record")); err != nil || n != 0 {
		t.Fatalf("the record of a failed batch: %d stored (%v), want none", n, err)
	}
	if err := b.PublishAll(ctx, []bus.Message{record("r2"), {Subject: topo.Raw("job"), MsgID: "j3", Data: []byte("j3")}}); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Count(ctx, topo.Raw("record")); err != nil || n != 1 {
		t.Fatalf("the record of a stored batch: %d stored (%v), want 1", n, err)
	}
}

// A stream that fills drops its oldest messages whether or not they were
// consumed: Progress says how many the consumer lost, so that it is not
// silent.
func TestProgressCountsDiscarded(t *testing.T) {
	s := natstest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	topo := natstest.Topology()
	topo.Limits.MaxBytes = 64 << 10
	b := natstest.ConnectTopology(t, natstest.Target{Name: "embedded", URL: s.ClientURL()}, topo)
	spec, err := topo.Consumer(topology.StageCleaner)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.Consumer(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	page := make([]byte, 4<<10)
	for i := range 8 { // 32 KiB: fits
		if err := b.Publish(ctx, bus.Message{Subject: topo.Raw("src"), MsgID: fmt.Sprint("a", i), Data: page}); err != nil {
			t.Fatal(err)
		}
	}
	// The server counts a consumer's pending messages a moment after it
	// acknowledges the publishes: ask until it has.
	progress := func(done func(bus.Progress) bool) bus.Progress {
		t.Helper()
		var p bus.Progress
		for range 100 {
			if p, err = c.Progress(ctx); err != nil {
				t.Fatal(err)
			}
			if done(p) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		return p
	}
	if p := progress(func(p bus.Progress) bool { return p.Pending == 8 }); p.Lost != 0 || p.Pending != 8 {
		t.Fatalf("under the limit: %+v; want 8 pending, none lost", p)
	}
	for i := range 24 { // 96 KiB more: the oldest go
		if err := b.Publish(ctx, bus.Message{Subject: topo.Raw("src"), MsgID: fmt.Sprint("b", i), Data: page}); err != nil {
			t.Fatal(err)
		}
	}
	p := progress(func(p bus.Progress) bool { return p.Lost+p.Pending == 32 })
	if p.Lost == 0 || p.Lost+p.Pending != 32 {
		t.Fatalf("over the limit: %+v; want the discarded counted as lost, lost + pending = 32", p)
	}
}
