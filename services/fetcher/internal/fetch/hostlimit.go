package fetch

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Budget is a per-host request budget shared by every replica of the
// fetcher. Reserve counts one request to host against the budget and
// returns when it may start: at or after notBefore. It must be safe for
// concurrent use. On an error (the shared store is unreachable) the request
// goes ahead on this process's own limits; the implementation reports the
// error its own way.
type Budget interface {
	Reserve(ctx context.Context, host string, notBefore time.Time) (time.Time, error)
}

// hostLimiter spaces requests to each host by a minimum delay (start to
// start) and caps how many run at once per host. Hosts do not wait for each
// other: a slow site never holds up a fast one. With a Budget, the start
// time is also agreed with the other replicas.
type hostLimiter struct {
	delay       time.Duration
	concurrency int
	budget      Budget
	now         func() time.Time
	sleep       func(ctx context.Context, d time.Duration) error

	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem   chan struct{} // one token per request allowed at once
	next  time.Time     // earliest start of the next request
	users int           // requests holding or waiting for a token
}

// sweepAbove is the number of hosts from which idle entries are dropped, so
// a long run over many redirect targets does not grow the map forever.
const sweepAbove = 512

func newHostLimiter(delay time.Duration, concurrency int, budget Budget, now func() time.Time, sleep func(context.Context, time.Duration) error) *hostLimiter {
	return &hostLimiter{delay: delay, concurrency: concurrency, budget: budget, now: now, sleep: sleep, hosts: map[string]*hostSlot{}}
}

// acquire waits for host's turn and returns the function that frees the
// slot; it must be called exactly once.
func (l *hostLimiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	if len(l.hosts) > sweepAbove {
		l.sweepLocked()
	}
	s := l.hosts[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, l.concurrency)}
		l.hosts[host] = s
	}
	s.users++
	l.mu.Unlock()

	done := func() {
		l.mu.Lock()
		s.users--
		l.mu.Unlock()
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
	// Reserve the next start time while holding the token: with the lock,
	// two requests can never be given the same instant.
	l.mu.Lock()
	now := l.now()
	at := now
	if s.next.After(at) {
		at = s.next
	}
	s.next = at.Add(l.delay)
	l.mu.Unlock()
	for late := 0; ; late++ {
		if l.budget != nil && l.delay > 0 {
			// Held: this host's token, so the budget sees this process's
			// requests to the host in order.
			if shared, err := l.budget.Reserve(ctx, host, at); err == nil && shared.After(at) {
				at = shared
				l.mu.Lock()
				if next := at.Add(l.delay); next.After(s.next) {
					s.next = next
				}
				l.mu.Unlock()
			}
		}
		if wait := at.Sub(now); wait > 0 {
			if err := l.sleep(ctx, wait); err != nil {
				<-s.sem
				done()
				return nil, err
			}
		}
		// Woken a whole slot late (a pause of the process): the slot is
		// gone, and going now could land on the next one's request. Claim
		// again, a few times at most.
		now = l.now()
		if l.budget == nil || l.delay <= 0 || late == 2 || now.Sub(at) <= l.delay {
			break
		}
		at = now
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-s.sem
			done()
		})
	}, nil
}

// sweepLocked drops hosts nobody uses whose delay has passed: forgetting
// them loses nothing.
func (l *hostLimiter) sweepLocked() {
	now := l.now()
	for h, s := range l.hosts {
		if s.users == 0 && !s.next.After(now) {
			delete(l.hosts, h)
		}
	}
}

// size is the number of hosts tracked, for tests.
func (l *hostLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hosts)
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// politeTransport makes every request, redirects and robots.txt included,
// wait for its host's turn, then for a place among the process's requests
// in flight, and bounds each request by timeout from then to the end of its
// body: the waits do not eat the request's time.
type politeTransport struct {
	next     http.RoundTripper
	limiter  *hostLimiter
	timeout  time.Duration
	inFlight chan struct{} // one token per request in flight
}

func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	releaseHost, err := t.limiter.acquire(req.Context(), strings.ToLower(req.URL.Host))
	if err != nil {
		return nil, err
	}
	select {
	case t.inFlight <- struct{}{}:
	case <-req.Context().Done():
		releaseHost()
		return nil, req.Context().Err()
	}
	release := func() {
		<-t.inFlight
		releaseHost()
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), t.timeout, ErrTimeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: func() { cancel(); release() }}
	return resp, nil
}

// releasingBody frees the host's slot when the body is closed.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
