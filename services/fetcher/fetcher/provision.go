package fetcher

import (
	"context"
	"fmt"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/topology"
)

// Provision declares every stream of b's topology and the fetcher's key-value
// buckets, with the TTLs cfg gives them (its SeenTTL; the host budget's
// slots), then returns. It is what a deployment's provisioner runs (the
// user topology.Provisioner, in an init container of the fetcher's pods)
// where the services' own users may not declare streams, which they then
// only wait for (bus.Options.Provisioned); it is idempotent.
func Provision(ctx context.Context, b *bus.Bus, cfg Config) error {
	if cfg.SeenTTL <= 0 {
		cfg.SeenTTL = DefaultSeenTTL
	}
	if err := b.EnsureStreams(ctx); err != nil {
		return fmt.Errorf("fetcher: provision: %w", err)
	}
	for _, k := range []struct {
		bucket string
		ttl    time.Duration
	}{{topology.BucketSeen, cfg.SeenTTL}, {topology.BucketFeedState, 0}, {topology.BucketHostBudget, budgetTTL}} {
		if _, err := b.KV(ctx, k.bucket, k.ttl); err != nil {
			return fmt.Errorf("fetcher: provision: %w", err)
		}
	}
	return nil
}
