// Package stage runs one pipeline stage: it pulls messages from a durable
// JetStream consumer, hands each to a Handler, publishes the handler's outputs,
// and only then acknowledges the input.
//
// Delivery contract (at-least-once end to end):
//   - An input is acked only after JetStream has acked every output.
//   - Every output carries a message id, so a redelivered input that produces
//     the same outputs is deduplicated by the server.
//   - A retryable failure is naked with a delay taken from the consumer's
//     backoff schedule; after MaxDeliver attempts it is dead-lettered.
//   - A permanent failure (IsPermanent) is dead-lettered at once: the
//     original message goes to news.dlq.<stage> with headers giving the stage,
//     the error and the delivery count, and the input is terminated only
//     after the DLQ has stored it. If the DLQ publish fails too, the input is
//     naked and tried again later: nothing is dropped.
//   - On shutdown, messages not yet started are naked at once so another
//     replica (or the next start) takes them; messages being handled finish.
package stage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/topology"
)

// Message is one input handed to a Handler.
type Message struct {
	Subject   string
	Data      []byte
	Header    map[string]string
	Delivered int // 1 on the first delivery
	Published time.Time
}

// Handler handles one message and returns the events to publish. It must be
// safe for concurrent use: the loop calls it from several workers. A Handler
// must not publish by itself; returning the outputs is what lets the loop
// ack the input only once they are stored.
type Handler interface {
	Handle(ctx context.Context, m *Message) ([]bus.Message, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, m *Message) ([]bus.Message, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, m *Message) ([]bus.Message, error) { return f(ctx, m) }

// Config configures a Runner.
type Config struct {
	// Stage names the stage (topology.Stage*); it picks the consumer and
	// labels metrics, logs and DLQ entries.
	Stage string
	// Workers handle messages concurrently; default GOMAXPROCS, at least 2.
	Workers int
	// Consume bounds the client's buffer (use MaxBytes for raw pages).
	Consume bus.ConsumeOptions
	// ShutdownGrace bounds how long in-flight messages may take to finish
	// after the context is cancelled. Zero takes it from the stop's budget
	// the context carries (lifecycle.WithShutdown: the process's
	// SHUTDOWN_GRACE less what the NATS drain needs), else 10s.
	ShutdownGrace time.Duration
	// MaxDeliver and Backoff override the topology's retry policy (tests use
	// short ones); zero values keep it.
	MaxDeliver int
	Backoff    []time.Duration
	// AckWait overrides the topology's ack deadline (tests use short ones).
	AckWait time.Duration
	// PendingEvery is how often the consumer's pending count is sampled;
	// default 5s, negative disables.
	PendingEvery time.Duration
}

// Runner is a running stage. Create it with New, run it with Run.
type Runner struct {
	bus     *bus.Bus
	cfg     Config
	spec    topology.ConsumerSpec
	h       Handler
	metrics *Metrics
	log     *slog.Logger
}

// New returns a Runner for cfg.Stage on b.
func New(b *bus.Bus, cfg Config, h Handler, m *Metrics, log *slog.Logger) (*Runner, error) {
	spec, err := b.Topology().Consumer(cfg.Stage)
	if err != nil {
		return nil, err
	}
	if cfg.MaxDeliver > 0 {
		spec.MaxDeliver = cfg.MaxDeliver
	}
	if len(cfg.Backoff) > 0 {
		spec.Backoff = cfg.Backoff
	}
	if cfg.AckWait > 0 {
		spec.AckWait = cfg.AckWait
	}
	if cfg.Workers <= 0 {
		cfg.Workers = max(2, runtime.GOMAXPROCS(0))
	}
	if cfg.PendingEvery == 0 {
		cfg.PendingEvery = 5 * time.Second
	}
	if cfg.Consume.MaxBytes == 0 && cfg.Consume.MaxMessages == 0 {
		cfg.Consume.MaxMessages = 4 * cfg.Workers
	}
	return &Runner{bus: b, cfg: cfg, spec: spec, h: h, metrics: m, log: log.With("stage", cfg.Stage)}, nil
}

// attempts is how many times the loop itself tries a message before
// dead-lettering it. The server's MaxDeliver is set a few higher so that a
// message whose DLQ publish failed is still redelivered for another try.
func (r *Runner) attempts() int { return r.spec.MaxDeliver }

// Run consumes until ctx is done, then stops pulling, lets in-flight messages
// finish within ShutdownGrace, and returns nil. It returns an error only if
// the consumer cannot be set up.
func (r *Runner) Run(ctx context.Context) error {
	spec := r.spec
	spec.MaxDeliver = r.attempts() + 3
	cons, err := r.bus.Consumer(ctx, spec)
	if err != nil {
		return fmt.Errorf("stage %s: %w", r.cfg.Stage, err)
	}

	// A first sample before consuming: what the stream dropped while the
	// stage was down is counted before the stage's acks move its floor
	// past the gap.
	var lost uint64
	if r.cfg.PendingEvery > 0 {
		lost = r.sample(ctx, cons, 0)
	}

	work := make(chan *bus.Delivery)
	stopping := make(chan struct{})
	// Handlers run on a context that outlives ctx by ShutdownGrace, so a
	// message being handled at SIGTERM finishes instead of failing halfway.
	hctx, hcancel := context.WithCancel(context.WithoutCancel(ctx))
	defer hcancel()

	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				r.process(hctx, d)
			}
		}()
	}

	sub, err := cons.Consume(r.cfg.Consume, func(d *bus.Delivery) {
		select {
		case work <- d:
		case <-stopping:
			r.metrics.messages.WithLabelValues(r.cfg.Stage, OutcomeShutdown).Inc()
			_ = d.Nak()
		}
	}, func(err error) {
		r.log.Warn("consume error", "err", err)
	})
	if err != nil {
		close(work)
		wg.Wait()
		return fmt.Errorf("stage %s: %w", r.cfg.Stage, err)
	}
	r.log.Info("stage started", "consumer", r.spec.Durable, "filter", r.spec.FilterSubject, "workers", r.cfg.Workers)

	if r.cfg.PendingEvery > 0 {
		go r.samplePending(ctx, cons, lost)
	}

	<-ctx.Done()
	close(stopping)
	dctx, dcancel := r.drainContext(ctx)
	defer dcancel()
	sub.Drain(dctx) // the callback naks what is still buffered
	close(work)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-dctx.Done():
		// Abandon: unacked messages are redelivered after AckWait. A handler
		// that ignores its cancelled context is not waited for: the stop
		// must fit in its budget.
		hcancel()
		select {
		case <-done:
		case <-time.After(250 * time.Millisecond):
			r.log.Warn("stage stopped with handlers still running; their messages come back after the ack deadline")
			return nil
		}
	}
	r.log.Info("stage stopped")
	return nil
}

// drainContext bounds the stop: the configured grace, else what the
// process's stop budget leaves, else 10s.
func (r *Runner) drainContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if r.cfg.ShutdownGrace > 0 {
		return context.WithTimeout(context.WithoutCancel(ctx), r.cfg.ShutdownGrace)
	}
	if s := lifecycle.ShutdownOf(ctx); s != nil {
		return s.Context(ctx, s.Reserve())
	}
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// samplePending keeps the pending gauge, and counts and logs messages the
// stream discarded before this stage processed them: a stream that fills
// (STREAM_MAX_BYTES) drops its oldest messages whether or not they were
// consumed, and that must not go unnoticed. lost is what the first sample,
// taken before consuming began, counted already.
func (r *Runner) samplePending(ctx context.Context, cons *bus.Consumer, lost uint64) {
	t := time.NewTicker(r.cfg.PendingEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			lost = r.sample(ctx, cons, lost)
		}
	}
}

// sample takes one sample; lost is the gap seen last, counted already. It
// returns the gap seen now.
func (r *Runner) sample(ctx context.Context, cons *bus.Consumer, lost uint64) uint64 {
	qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	p, err := cons.Progress(qctx)
	cancel()
	if err != nil {
		return lost
	}
	r.metrics.pending.WithLabelValues(r.cfg.Stage).Set(float64(p.Pending))
	if p.Lost > lost {
		r.metrics.lost.WithLabelValues(r.cfg.Stage).Add(float64(p.Lost - lost))
		r.log.Error("the stream discarded messages this stage had not processed: it is full or they outlived its max age; raise STREAM_MAX_BYTES or STREAM_MAX_AGE, or add replicas of this stage",
			"lost", p.Lost-lost, "pending", p.Pending)
	}
	return p.Lost
}

func (r *Runner) process(ctx context.Context, d *bus.Delivery) {
	start := time.Now()
	stage := r.cfg.Stage
	r.metrics.inFlight.WithLabelValues(stage).Inc()
	defer r.metrics.inFlight.WithLabelValues(stage).Dec()

	// Keep the server from redelivering a slow message to another worker:
	// AckWait is short so that messages stranded by a crashed or stopped
	// replica come back quickly, and a working handler says it is alive.
	hb := startHeartbeat(d, r.spec.AckWait/3)
	outs, err := r.handle(ctx, d)
	if err == nil {
		err = r.bus.PublishAll(ctx, outs)
		if err == nil {
			r.metrics.published.WithLabelValues(stage).Add(float64(len(outs)))
		}
	}
	hb.stop()
	r.metrics.duration.WithLabelValues(stage).Observe(time.Since(start).Seconds())

	log := r.log.With("subject", d.Subject, "delivered", d.Delivered, "stream_seq", d.StreamSeq)
	switch {
	case err == nil:
		if aerr := d.Ack(); aerr != nil {
			// The outputs are stored; a redelivery is deduplicated by message id.
			log.Warn("ack failed", "err", aerr)
		}
		r.metrics.messages.WithLabelValues(stage, OutcomeOK).Inc()
	case IsPermanent(err) || d.Delivered >= r.attempts():
		r.deadLetter(ctx, d, err, log)
	default:
		delay := r.backoff(d.Delivered)
		log.Warn("message failed, will retry", "err", err, "retry_in", delay.String())
		_ = d.NakWithDelay(delay)
		r.metrics.messages.WithLabelValues(stage, OutcomeRetry).Inc()
	}
}

// heartbeat tells the server, at an interval, that a message is still being
// worked on, so that it is not redelivered to another worker meanwhile.
type heartbeat struct {
	mu      sync.Mutex
	t       *time.Timer
	stopped bool
}

func startHeartbeat(d *bus.Delivery, every time.Duration) *heartbeat {
	h := &heartbeat{}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.t = time.AfterFunc(every, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.stopped { // stop ran while this call was on its way: do not re-arm
			return
		}
		_ = d.InProgress()
		h.t.Reset(every)
	})
	return h
}

func (h *heartbeat) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	h.t.Stop()
}

// handle runs the handler, turning a panic into a permanent error: a message
// that crashes the handler would crash every replica it is redelivered to.
func (r *Runner) handle(ctx context.Context, d *bus.Delivery) (outs []bus.Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Permanent(fmt.Errorf("handler panic: %v", p))
		}
	}()
	return r.h.Handle(ctx, &Message{
		Subject: d.Subject, Data: d.Data, Header: d.Headers(), Delivered: d.Delivered, Published: d.Published,
	})
}

func (r *Runner) backoff(delivered int) time.Duration {
	b := r.spec.Backoff
	if len(b) == 0 {
		return time.Second
	}
	i := min(max(delivered-1, 0), len(b)-1)
	return b[i]
}

func (r *Runner) deadLetter(ctx context.Context, d *bus.Delivery, cause error, log *slog.Logger) {
	stage := r.cfg.Stage
	h := d.Headers()
	for k := range h {
		if strings.HasPrefix(k, "Nats-") { // server-set headers of the original
			delete(h, k)
		}
	}
	h[events.HeaderDLQStage] = stage
	h[events.HeaderDLQError] = truncate(cause.Error(), 1024)
	h[events.HeaderDLQDelivered] = strconv.Itoa(d.Delivered)
	h[events.HeaderDLQSubject] = d.Subject
	h[events.HeaderDLQStreamSeq] = strconv.FormatUint(d.StreamSeq, 10)
	h[events.HeaderDLQTime] = time.Now().UTC().Format(time.RFC3339)
	err := r.bus.Publish(ctx, bus.Message{
		Subject: r.bus.Topology().DLQ(stage),
		MsgID:   "dlq:" + stage + ":" + strconv.FormatUint(d.StreamSeq, 10),
		Header:  h,
		Data:    d.Data,
	})
	if err != nil {
		log.Error("dead-letter failed, will retry", "err", errors.Join(cause, err))
		_ = d.NakWithDelay(r.backoff(d.Delivered))
		r.metrics.messages.WithLabelValues(stage, OutcomeDLQFailed).Inc()
		return
	}
	log.Error("message dead-lettered", "err", cause, "dlq_subject", r.bus.Topology().DLQ(stage))
	_ = d.Term()
	r.metrics.messages.WithLabelValues(stage, OutcomeDeadLetter).Inc()
	r.metrics.dlq.WithLabelValues(stage).Inc()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
