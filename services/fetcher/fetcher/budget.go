package fetcher

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
)

// budgetTTL is how long a claimed slot is kept (the bucket's TTL). Slots
// are never claimed more than half of it ahead, so none expires before its
// time comes and is claimed twice.
const budgetTTL = 10 * time.Minute

// hostBudget spaces the requests of every fetcher replica to one host by
// the per-host delay: time is cut into slots of that length, and a request
// may start in a slot only after creating the slot's key in the
// NEWS_HOST_BUDGET bucket (a create, so exactly one replica gets each
// slot). A host thus gets at most one request per slot, whatever the number
// of replicas. It implements fetch.Budget.
type hostBudget struct {
	delay time.Duration
	kv    atomic.Pointer[bus.KV] // nil until Run opens the bucket
	value []byte                 // who claimed, for people reading the bucket
	log   *slog.Logger
	errs  func() // counts a failed claim

	mu      sync.Mutex
	next    map[string]int64 // per host: the first slot not known taken
	lastLog time.Time
}

func newHostBudget(delay time.Duration, replica string, log *slog.Logger, errs func()) *hostBudget {
	return &hostBudget{delay: delay, value: []byte(replica), log: log, errs: errs, next: map[string]int64{}}
}

// Reserve claims the first free slot for host at or after notBefore and
// returns when the request may start. Until the bucket is open, or when it
// cannot be reached, it returns notBefore and the request goes ahead on
// this replica's own limits.
func (b *hostBudget) Reserve(ctx context.Context, host string, notBefore time.Time) (time.Time, error) {
	kv := b.kv.Load()
	if kv == nil || b.delay <= 0 {
		return notBefore, nil
	}
	d := int64(b.delay)
	slot := notBefore.UnixNano() / d
	b.mu.Lock()
	if n := b.next[host]; n > slot {
		slot = n
	}
	b.mu.Unlock()
	prefix := budgetKey(host) + "."
	for {
		// Never more than half the TTL ahead: wait until the slot is near.
		if ahead := time.Until(time.Unix(0, slot*d)) - budgetTTL/2; ahead > 0 {
			if err := sleepCtx(ctx, ahead); err != nil {
				return notBefore, err
			}
		}
		err := kv.Create(ctx, prefix+strconv.FormatInt(slot, 10), b.value)
		if err == nil {
			b.remember(host, slot+1)
			if start := time.Unix(0, slot*d); start.After(notBefore) {
				return start, nil
			}
			return notBefore, nil
		}
		if !errors.Is(err, bus.ErrKeyExists) {
			b.failed(host, err)
			return notBefore, err
		}
		slot++
		b.remember(host, slot)
	}
}

func (b *hostBudget) remember(host string, slot int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.next) > 4096 { // forget hosts whose slots are all past
		now := time.Now().UnixNano() / int64(b.delay)
		for h, s := range b.next {
			if s < now {
				delete(b.next, h)
			}
		}
	}
	if slot > b.next[host] {
		b.next[host] = slot
	}
}

// failed counts a claim that could not be made, and logs it at most once a
// minute: when NATS is away, every request would say so.
func (b *hostBudget) failed(host string, err error) {
	b.errs()
	b.mu.Lock()
	quiet := time.Since(b.lastLog) < time.Minute
	if !quiet {
		b.lastLog = time.Now()
	}
	b.mu.Unlock()
	if !quiet {
		b.log.Warn("host budget unavailable, using this replica's own limits", "host", host, "err", err)
	}
}

// budgetKey is a host's key prefix: a hash, since host names and ports
// hold characters keys may not.
func budgetKey(host string) string {
	sum := sha256.Sum256([]byte(host))
	return "h" + hex.EncodeToString(sum[:10])
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for the host's slot: %w", ctx.Err())
	}
}
