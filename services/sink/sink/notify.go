package sink

import (
	"context"
	"time"

	"github.com/newspipe/newspipe/services/sink/internal/api"
	"github.com/newspipe/newspipe/services/sink/internal/store"
	"github.com/newspipe/newspipe/services/sink/internal/webhook"
)

// WebhookConfig configures alert webhooks. Delivery is at least once and
// survives restarts: each alert's delivery state is kept in the store (an
// outbox), leased by one replica at a time, and retried on the Retry
// schedule until it succeeds or MaxAttempts deliveries have failed.
type WebhookConfig struct {
	// URLs receive every new alert as JSON (one item of /api/alerts); none
	// disables webhooks.
	URLs []string
	// Timeout bounds one request; default 10s.
	Timeout time.Duration
	// MaxAttempts is how many deliveries may fail before the alert is
	// given up; default 8. Each delivery tries each URL up to 3 times.
	MaxAttempts int
	// Retry is the wait after the n-th failed delivery (the last entry
	// repeats); default 30s, 2m, 10m, 30m, 1h.
	Retry []time.Duration
	// MaxAge: alerts raised longer ago are not delivered, so that turning
	// webhooks on does not replay a year of alerts; default 24h.
	MaxAge time.Duration
	// Poll is how often due deliveries are looked for; default 5s. A new
	// alert is delivered at once, without waiting for the poll.
	Poll time.Duration
	// TryBackoff is the wait between tries of one URL within a delivery;
	// default 1s (tests shorten it).
	TryBackoff time.Duration
}

// notifyBatch is how many alerts one lease takes.
const notifyBatch = 10

func (c *WebhookConfig) defaults() {
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if len(c.Retry) == 0 {
		c.Retry = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour}
	}
	if c.MaxAge <= 0 {
		c.MaxAge = 24 * time.Hour
	}
	if c.Poll <= 0 {
		c.Poll = 5 * time.Second
	}
	if c.TryBackoff <= 0 {
		c.TryBackoff = time.Second
	}
}

// lease covers the longest a delivery can take: every URL, every try.
func (c *WebhookConfig) lease() time.Duration {
	const tries = 3
	perURL := tries*c.Timeout + (1+2)*c.TryBackoff
	return time.Duration(len(c.URLs))*perURL + 30*time.Second
}

// notifier delivers alert webhooks from the store's outbox.
type notifier struct {
	cfg    WebhookConfig
	store  Store
	poster *webhook.Poster
	poke   chan struct{}
	s      *Sink
}

// wake asks for a delivery round now; it never blocks.
func (n *notifier) wake() {
	select {
	case n.poke <- struct{}{}:
	default:
	}
}

func (n *notifier) run(ctx context.Context) {
	t := time.NewTicker(n.cfg.Poll)
	defer t.Stop()
	for {
		n.round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.poke:
		}
	}
}

// round delivers every due alert, a batch at a time.
func (n *notifier) round(ctx context.Context) {
	for ctx.Err() == nil {
		now := n.s.cfg.Now()
		alerts, err := n.store.LeaseNotifications(ctx, notifyBatch, now.Add(-n.cfg.MaxAge), n.cfg.lease())
		if err != nil {
			if ctx.Err() == nil {
				n.s.log.Warn("webhook: lease alerts", "err", err)
			}
			return
		}
		for _, al := range alerts {
			n.deliver(ctx, al)
		}
		if len(alerts) < notifyBatch {
			return
		}
	}
}

func (n *notifier) deliver(ctx context.Context, al store.Alert) {
	log := n.s.log.With("alert_key", al.Key, "article_id", al.FirstArticle.ID)
	body, err := api.AlertJSON(al)
	if err == nil {
		err = n.poster.Post(ctx, al.Key+":"+al.FirstArticle.ID, body)
	}
	if ctx.Err() != nil {
		return // shutting down: the lease runs out and the alert is due again
	}
	if err == nil {
		n.s.metrics.webhooks.WithLabelValues("sent").Inc()
		if err := n.store.NotifySent(ctx, al.Key, al.FirstArticle.ID); err != nil {
			log.Warn("webhook: record delivery", "err", err)
		}
		return
	}
	attempt := al.NotifyAttempts + 1
	var retryAt time.Time
	if attempt < n.cfg.MaxAttempts {
		retryAt = n.s.cfg.Now().Add(n.cfg.Retry[min(attempt, len(n.cfg.Retry))-1])
		n.s.metrics.webhooks.WithLabelValues("retry").Inc()
		log.Warn("webhook delivery failed, will retry", "err", err, "attempt", attempt, "retry_at", retryAt)
	} else {
		n.s.metrics.webhooks.WithLabelValues("failed").Inc()
		log.Error("webhook delivery failed, giving up", "err", err, "attempt", attempt)
	}
	if err := n.store.NotifyFailed(ctx, al.Key, al.FirstArticle.ID, err.Error(), retryAt); err != nil {
		log.Warn("webhook: record failure", "err", err)
	}
}
