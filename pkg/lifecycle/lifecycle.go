// Package lifecycle runs a process's long-lived parts together and stops them
// in order on SIGTERM or SIGINT.
package lifecycle

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
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
