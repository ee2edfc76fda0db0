package fetcher

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/topology"
)

// TestHostBudgetAcrossReplicas: two replicas (two connections, two
// budgets) ask at once for 40 requests to one host: every request gets a
// slot of its own, so the host sees at most one request per delay.
func TestHostBudgetAcrossReplicas(t *testing.T) {
	tg := natstest.Targets(t)[0]
	b1 := natstest.Connect(t, tg)
	b2 := natstest.ConnectTopology(t, tg, b1.Topology())
	const delay = 20 * time.Millisecond
	ctx := context.Background()
	var budgets []*hostBudget
	for i, b := range []*bus.Bus{b1, b2} {
		kv, err := b.KV(ctx, topology.BucketHostBudget, budgetTTL)
		if err != nil {
			t.Fatal(err)
		}
		hb := newHostBudget(delay, "replica-"+string(rune('a'+i)), quietLog(), func() { t.Error("budget error") })
		hb.kv.Store(kv)
		budgets = append(budgets, hb)
	}
	var mu sync.Mutex
	starts := map[int64]int{}
	var wg sync.WaitGroup
	began := time.Now()
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at, err := budgets[i%2].Reserve(ctx, "wire.example:443", time.Now())
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			starts[at.UnixNano()/int64(delay)]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	for slot, n := range starts {
		if n != 1 {
			t.Errorf("slot %d given to %d requests", slot, n)
		}
	}
	if len(starts) != 40 {
		t.Fatalf("%d distinct slots for 40 requests", len(starts))
	}
	// 40 slots of 20 ms from now: the last is about 800 ms away, not all
	// at once.
	var last int64
	for s := range starts {
		last = max(last, s)
	}
	if span := time.Unix(0, last*int64(delay)).Sub(began); span < 700*time.Millisecond {
		t.Errorf("the 40th request may start %v after the first ask, want about 800ms", span)
	}
	// Another host is not held up by the first one's queue.
	at, err := budgets[0].Reserve(ctx, "other.example:443", time.Now())
	if err != nil || time.Until(at) > 2*delay {
		t.Errorf("another host's first request waits until %v (%v)", at, err)
	}
}
