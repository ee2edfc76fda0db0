package stage_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/natsembed"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
)

// harness runs the cleaner stage's consumer (NEWS_RAW → anything) with a
// test handler, and collects what lands on the enriched and DLQ subjects.
type harness struct {
	b       *bus.Bus
	topo    topology.Topology
	metrics *stage.Metrics
	reg     *prometheus.Registry
}

func newHarness(t *testing.T, tg natstest.Target) *harness {
	t.Helper()
	reg := prometheus.NewRegistry()
	b := natstest.Connect(t, tg)
	return &harness{b: b, topo: b.Topology(), metrics: stage.NewMetrics(reg), reg: reg}
}

func (h *harness) run(t *testing.T, hd stage.Handler) (stop func()) {
	t.Helper()
	return h.runWith(t, hd, stage.Config{})
}

func (h *harness) runWith(t *testing.T, hd stage.Handler, cfg stage.Config) (stop func()) {
	t.Helper()
	cfg.Stage, cfg.Workers, cfg.MaxDeliver, cfg.PendingEvery = topology.StageCleaner, 3, 3, -1
	cfg.Backoff = []time.Duration{50 * time.Millisecond}
	r, err := stage.New(h.b, cfg, hd, h.metrics, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func (h *harness) publishRaw(t *testing.T, id, body string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.b.Publish(ctx, bus.Message{Subject: h.topo.Raw("src"), MsgID: "in:" + id, Data: []byte(body)}); err != nil {
		t.Fatal(err)
	}
}

func echo(h *harness) stage.HandlerFunc {
	return func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
		return []bus.Message{{Subject: h.topo.EnrichedOther(), MsgID: "out:" + string(m.Data), Data: m.Data}}, nil
	}
}

func TestStage(t *testing.T) {
	for _, tg := range natstest.Targets(t) {
		t.Run(tg.Name, func(t *testing.T) {
			t.Run("publishes outputs then acks", func(t *testing.T) {
				h := newHarness(t, tg)
				h.run(t, echo(h))
				for i := range 20 {
					h.publishRaw(t, fmt.Sprint(i), fmt.Sprint("a", i))
				}
				got := natstest.Collect(t, h.b, h.topo.EnrichedOther(), 20, 10*time.Second)
				if len(got) != 20 {
					t.Fatalf("got %d outputs, want 20", len(got))
				}
				waitFor(t, func() bool { return testutil.ToFloat64(h.metricsOK()) == 20 })
			})

			t.Run("redelivered input yields no duplicate output", func(t *testing.T) {
				h := newHarness(t, tg)
				h.run(t, echo(h))
				// Two inputs with the same payload stand for one input delivered twice:
				// both produce output id "out:same".
				h.publishRaw(t, "x1", "same")
				h.publishRaw(t, "x2", "same")
				h.publishRaw(t, "x3", "other")
				waitFor(t, func() bool { return testutil.ToFloat64(h.metricsOK()) == 3 })
				got := natstest.Collect(t, h.b, h.topo.EnrichedOther(), 3, 2*time.Second)
				if len(got) != 2 {
					t.Fatalf("got %d outputs, want 2 (dedup by message id)", len(got))
				}
			})

			t.Run("permanent error goes to the DLQ with headers", func(t *testing.T) {
				h := newHarness(t, tg)
				var calls atomic.Int32
				h.run(t, stage.HandlerFunc(func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
					calls.Add(1)
					return nil, stage.Permanent(errors.New("cannot parse"))
				}))
				h.publishRaw(t, "bad", "garbage")
				got := natstest.Collect(t, h.b, h.topo.DLQ(topology.StageCleaner), 1, 10*time.Second)
				if len(got) != 1 {
					t.Fatalf("got %d DLQ entries, want 1", len(got))
				}
				d := got[0]
				if string(d.Data) != "garbage" {
					t.Errorf("DLQ payload %q, want the original", d.Data)
				}
				for k, want := range map[string]string{
					events.HeaderDLQStage: topology.StageCleaner, events.HeaderDLQDelivered: "1",
					events.HeaderDLQSubject: h.topo.Raw("src"),
				} {
					if got := d.Header(k); got != want {
						t.Errorf("header %s = %q, want %q", k, got, want)
					}
				}
				if e := d.Header(events.HeaderDLQError); e == "" {
					t.Error("DLQ entry has no error header")
				}
				time.Sleep(300 * time.Millisecond)
				if n := calls.Load(); n != 1 {
					t.Errorf("handler called %d times, want 1 (terminated, not retried)", n)
				}
			})

			t.Run("a dead-lettered message is never handled again", func(t *testing.T) {
				// nats-server 2.9 ignores a Term that carries a reason: the
				// message came back at every AckWait.
				h := newHarness(t, tg)
				var calls atomic.Int32
				h.runWith(t, stage.HandlerFunc(func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
					calls.Add(1)
					return nil, stage.Permanent(errors.New("cannot parse"))
				}), stage.Config{AckWait: 300 * time.Millisecond})
				h.publishRaw(t, "bad", "garbage")
				if got := natstest.Collect(t, h.b, h.topo.DLQ(topology.StageCleaner), 1, 10*time.Second); len(got) != 1 {
					t.Fatalf("got %d DLQ entries, want 1", len(got))
				}
				time.Sleep(1500 * time.Millisecond) // five ack deadlines
				if n := calls.Load(); n != 1 {
					t.Errorf("handler called %d times, want 1 (terminated, never redelivered)", n)
				}
			})

			t.Run("malformed event is permanent", func(t *testing.T) {
				h := newHarness(t, tg)
				h.run(t, stage.HandlerFunc(func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
					return nil, fmt.Errorf("decode: %w", events.ErrMalformed)
				}))
				h.publishRaw(t, "m", "\xff\xfe")
				if got := natstest.Collect(t, h.b, h.topo.DLQ(topology.StageCleaner), 1, 10*time.Second); len(got) != 1 {
					t.Fatalf("got %d DLQ entries, want 1", len(got))
				}
			})

			t.Run("retryable error is retried then succeeds", func(t *testing.T) {
				h := newHarness(t, tg)
				var calls atomic.Int32
				h.run(t, stage.HandlerFunc(func(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
					if calls.Add(1) == 1 {
						return nil, errors.New("store briefly down")
					}
					return echo(h)(ctx, m)
				}))
				h.publishRaw(t, "r", "retry-me")
				if got := natstest.Collect(t, h.b, h.topo.EnrichedOther(), 1, 10*time.Second); len(got) != 1 {
					t.Fatalf("got %d outputs, want 1", len(got))
				}
				if n := calls.Load(); n != 2 {
					t.Errorf("handler called %d times, want 2", n)
				}
				if got := testutil.ToFloat64(h.metricVec("retry")); got != 1 {
					t.Errorf("retry outcomes = %v, want 1", got)
				}
			})

			t.Run("retries exhausted go to the DLQ", func(t *testing.T) {
				h := newHarness(t, tg)
				var calls atomic.Int32
				h.run(t, stage.HandlerFunc(func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
					calls.Add(1)
					return nil, errors.New("always down")
				}))
				h.publishRaw(t, "e", "exhaust")
				got := natstest.Collect(t, h.b, h.topo.DLQ(topology.StageCleaner), 1, 10*time.Second)
				if len(got) != 1 {
					t.Fatalf("got %d DLQ entries, want 1", len(got))
				}
				if d := got[0].Header(events.HeaderDLQDelivered); d != "3" {
					t.Errorf("delivery count header %q, want 3", d)
				}
				if n := calls.Load(); n != 3 {
					t.Errorf("handler called %d times, want 3", n)
				}
			})

			t.Run("handler panic is dead-lettered and the stage goes on", func(t *testing.T) {
				h := newHarness(t, tg)
				h.run(t, stage.HandlerFunc(func(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
					if string(m.Data) == "boom" {
						panic("nil map")
					}
					return echo(h)(ctx, m)
				}))
				h.publishRaw(t, "p1", "boom")
				h.publishRaw(t, "p2", "fine")
				if got := natstest.Collect(t, h.b, h.topo.DLQ(topology.StageCleaner), 1, 10*time.Second); len(got) != 1 {
					t.Fatalf("got %d DLQ entries, want 1", len(got))
				}
				if got := natstest.Collect(t, h.b, h.topo.EnrichedOther(), 1, 10*time.Second); len(got) != 1 {
					t.Fatalf("got %d outputs, want 1", len(got))
				}
			})

			t.Run("slow handler is not redelivered", func(t *testing.T) {
				h := newHarness(t, tg)
				var calls atomic.Int32
				h.runWith(t, stage.HandlerFunc(func(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
					calls.Add(1)
					time.Sleep(1500 * time.Millisecond) // three times the ack deadline
					return echo(h)(ctx, m)
				}), stage.Config{AckWait: 500 * time.Millisecond})
				h.publishRaw(t, "slow", "slow")
				if got := natstest.Collect(t, h.b, h.topo.EnrichedOther(), 1, 10*time.Second); len(got) != 1 {
					t.Fatalf("got %d outputs, want 1", len(got))
				}
				time.Sleep(700 * time.Millisecond)
				if n := calls.Load(); n != 1 {
					t.Errorf("handler called %d times, want 1: the message was redelivered while in progress", n)
				}
			})

			t.Run("stopping leaves no goroutines behind", func(t *testing.T) {
				h := newHarness(t, tg)
				stop := h.run(t, echo(h))
				for i := range 10 {
					h.publishRaw(t, fmt.Sprint("g", i), fmt.Sprint("g", i))
				}
				natstest.Collect(t, h.b, h.topo.EnrichedOther(), 10, 10*time.Second)
				stop()
				// The server and the connection keep goroutines of their own;
				// what must be gone is every goroutine running this package.
				var leaked []string
				deadline := time.Now().Add(3 * time.Second)
				for {
					leaked = stageGoroutines()
					if len(leaked) == 0 || time.Now().After(deadline) {
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
				for _, g := range leaked {
					t.Errorf("goroutine still running after stop:\n%s", g)
				}
			})

			t.Run("stop and restart loses nothing", func(t *testing.T) {
				h := newHarness(t, tg)
				const n = 60
				var handled atomic.Int32
				slow := stage.HandlerFunc(func(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
					time.Sleep(5 * time.Millisecond)
					handled.Add(1)
					return echo(h)(ctx, m)
				})
				stop := h.run(t, slow)
				for i := range n {
					h.publishRaw(t, fmt.Sprint("s", i), fmt.Sprint("s", i))
				}
				waitFor(t, func() bool { return handled.Load() >= 10 })
				stop()
				h.run(t, slow)
				got := natstest.Collect(t, h.b, h.topo.EnrichedOther(), n, 15*time.Second)
				if len(got) != n {
					t.Fatalf("got %d distinct outputs after restart, want %d", len(got), n)
				}
			})
		})
	}
}

func (h *harness) metricsOK() prometheus.Collector { return h.metricVec(stage.OutcomeOK) }

func (h *harness) metricVec(outcome string) prometheus.Collector {
	mfs, _ := h.reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() != "newspipe_stage_messages_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "x"}, func() float64 { return m.GetCounter().GetValue() })
				}
			}
		}
	}
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "x"}, func() float64 { return 0 })
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stageGoroutines returns the stacks of goroutines running code of package
// stage (not its tests).
func stageGoroutines() []string {
	buf := make([]byte, 1<<20)
	var out []string
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "newspipe/pkg/stage.") && !strings.Contains(g, "stage_test.") {
			out = append(out, g)
		}
	}
	return out
}

// An output larger than the server's max_payload cannot be stored by any
// retry: the input is dead-lettered at its first delivery, with the reason.
func TestOutputTooLarge(t *testing.T) {
	s, err := natsembed.Start(natsembed.Config{StoreDir: t.TempDir(), MaxPayload: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	h := newHarness(t, natstest.Target{Name: "small-payload", URL: s.ClientURL()})
	var calls atomic.Int32
	h.run(t, stage.HandlerFunc(func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
		calls.Add(1)
		return []bus.Message{{Subject: h.topo.EnrichedOther(), MsgID: "out:big", Data: make([]byte, 100<<10)}}, nil
	}))
	h.publishRaw(t, "big", "page")
	got := natstest.Collect(t, h.b, h.topo.DLQ(topology.StageCleaner), 1, 10*time.Second)
	if len(got) != 1 {
		t.Fatalf("got %d DLQ entries, want 1", len(got))
	}
	if e := got[0].Header(events.HeaderDLQError); !strings.Contains(e, "max_payload") {
		t.Errorf("DLQ error %q does not say what limit refused it", e)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("handler called %d times, want 1 (no retry can store it)", n)
	}
}

// The stop's budget the context carries bounds a stage's drain: a handler
// stuck past it is abandoned (its message comes back after AckWait), so the
// process stops within SHUTDOWN_GRACE instead of the stage's own grace plus
// the NATS drain's.
func TestShutdownBudget(t *testing.T) {
	h := newHarness(t, natstest.Targets(t)[0])
	started := make(chan struct{}, 1)
	r, err := stage.New(h.b, stage.Config{Stage: topology.StageCleaner, Workers: 1, PendingEvery: -1},
		stage.HandlerFunc(func(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
			started <- struct{}{}
			time.Sleep(4 * time.Second)
			return nil, nil
		}), h.metrics, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	budget := lifecycle.NewShutdown(ctx, 600*time.Millisecond)
	done := make(chan error, 1)
	go func() { done <- r.Run(lifecycle.WithShutdown(ctx, budget)) }()
	h.publishRaw(t, "stuck", "stuck")
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("handler never started")
	}
	stopAt := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		if late := time.Since(stopAt); late > 2500*time.Millisecond {
			t.Errorf("stage stopped %v after the signal, past its 600ms budget", late)
		}
	case <-time.After(3500 * time.Millisecond):
		t.Fatal("stage still running 3.5s after the signal, with a 600ms budget")
	}
}

// After a graceful stop, a restarted stage takes up the backlog at once: no
// message handed to the stopping consumer waits out a long ack deadline.
func TestRestartResumesAtOnce(t *testing.T) {
	for _, tg := range natstest.Targets(t) {
		t.Run(tg.Name, func(t *testing.T) {
			h := newHarness(t, tg)
			const n = 200
			var handled atomic.Int32
			slow := stage.HandlerFunc(func(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
				time.Sleep(10 * time.Millisecond)
				handled.Add(1)
				return echo(h)(ctx, m)
			})
			// The first run has a connection of its own, drained and closed
			// as a process does when it stops.
			first := &harness{b: bus2(t, tg, h.topo), topo: h.topo, metrics: h.metrics, reg: h.reg}
			stop := first.runWith(t, slow, stage.Config{Consume: bus.ConsumeOptions{MaxBytes: 1 << 20}})
			for i := range n {
				h.publishRaw(t, fmt.Sprint("r", i), fmt.Sprint("r", i))
			}
			waitFor(t, func() bool { return handled.Load() >= 20 })
			stop()
			dctx, dcancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := first.b.Drain(dctx); err != nil {
				t.Logf("drain: %v", err)
			}
			dcancel()
			restart := time.Now()
			h.runWith(t, slow, stage.Config{})
			// 180 messages of 10ms on three workers take about 0.6s. A
			// server from 2.10 on strands nothing; 2.9 may deliver a
			// pending pull's message to the closed subscription, which then
			// comes back after the ack deadline (topology: 5s).
			within := 3 * time.Second
			if tg.Name == "external" {
				within += 5 * time.Second
			}
			got := natstest.Collect(t, h.b, h.topo.EnrichedOther(), n, within)
			if len(got) != n {
				t.Fatalf("got %d distinct outputs %v after restart, want %d", len(got), within, n)
			}
			t.Logf("backlog done %v after restart", time.Since(restart))
		})
	}
}

// bus2 opens a second connection to the namespace of topo.
func bus2(t *testing.T, tg natstest.Target, topo topology.Topology) *bus.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, tg.URL, topo, bus.Options{Name: "second"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}
