// Package lifecycle runs a process's long-lived parts together and stops them
// in order on SIGTERM or SIGINT.
package lifecycle

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// SignalContext returns a context cancelled on SIGTERM or SIGINT. A second
// signal is left to the default handler, so a stuck process can still be
// killed from the terminal.
func SignalContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := signal.NotifyContext(parent, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-ctx.Done()
		cancel() // restores default signal behaviour
	}()
	return ctx, cancel
}

// Group runs functions until the first one returns or the parent context is
// done; then it cancels the rest and waits for all of them.
type Group struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

// NewGroup returns a group whose functions get a child of ctx.
func NewGroup(ctx context.Context) *Group {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{ctx: ctx, cancel: cancel}
}

// Go runs fn. When fn returns, for any reason, the group's context is
// cancelled: every part of a pipeline is needed, so one stopping stops all.
// The first non-nil error is what Wait returns.
func (g *Group) Go(fn func(ctx context.Context) error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		err := fn(g.ctx)
		if err != nil {
			g.once.Do(func() { g.err = err })
		}
		g.cancel()
	}()
}

// Wait waits for every function and returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

// Shutdown is the budget of one graceful stop, measured from the moment the
// stop began: every part that drains at shutdown (stages finishing their
// messages, the NATS connection flushing) takes its time from the same
// budget, so that the whole stop fits in SHUTDOWN_GRACE and under the pod's
// termination grace period, rather than each part taking a grace of its own.
type Shutdown struct {
	grace time.Duration
	mu    sync.Mutex
	began time.Time
}

// NewShutdown returns the budget of a stop that begins when ctx is done.
func NewShutdown(ctx context.Context, grace time.Duration) *Shutdown {
	s := &Shutdown{grace: grace}
	context.AfterFunc(ctx, func() { s.begin() })
	return s
}

func (s *Shutdown) begin() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.began.IsZero() {
		s.began = time.Now()
	}
}

// Deadline returns when the stop must be over: grace after it began (now,
// if it has not begun yet).
func (s *Shutdown) Deadline() time.Time {
	s.begin()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.began.Add(s.grace)
}

// Context returns a context, not cancelled with the parent's, that ends at
// the deadline less reserve: what a part draining before others may use.
func (s *Shutdown) Context(parent context.Context, reserve time.Duration) (context.Context, context.CancelFunc) {
	return context.WithDeadline(context.WithoutCancel(parent), s.Deadline().Add(-reserve))
}

// Reserve is the part of the budget kept for the NATS connection's drain
// after the stages: a fifth of it, at most two seconds (the stages have
// waited for their own publishes; what is left is a flush and a close).
func (s *Shutdown) Reserve() time.Duration { return min(s.grace/5, 2*time.Second) }

type shutdownKey struct{}

// WithShutdown returns ctx carrying the stop's budget, for the stages run
// on it.
func WithShutdown(ctx context.Context, s *Shutdown) context.Context {
	return context.WithValue(ctx, shutdownKey{}, s)
}

// ShutdownOf returns the stop's budget ctx carries, or nil.
func ShutdownOf(ctx context.Context) *Shutdown {
	s, _ := ctx.Value(shutdownKey{}).(*Shutdown)
	return s
}
