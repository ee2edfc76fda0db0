package sink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/stage"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/api"
	"github.com/newspipe/newspipe/services/sink/internal/store"
	"github.com/newspipe/newspipe/services/sink/internal/webhook"
)

// WebhookConfig configures alert webhooks.
//
// They are delivered by a stage of their own (topology.StageWebhook, on
// pkg/stage) that consumes news.alerts.agreement: a failed delivery is
// retried on the Retry schedule and, after MaxAttempts, dead-lettered to
// news.dlq.webhook like any stage's message. Each delivery's outcome is
// kept in the store per alert and endpoint before the alert is acked, so a
// redelivered alert, a restart of the sink or a replay of the alerts
// stream never POSTs an alert again to an endpoint that took it; with
// several endpoints, a retry goes only to those that did not. The one gap:
// a sink that dies between an endpoint's 2xx and the store's record sends
// that alert again, with the same Idempotency-Key, on which receivers
// should deduplicate.
type WebhookConfig struct {
	// URLs receive every new alert: http(s) URLs, each prefixed with
	// "slack:" for Slack's payload ({"text": …}) instead of the alert's
	// JSON (one item of /api/alerts). None disables webhooks.
	URLs []string
	// Secret signs every delivery (package webhook: HMAC-SHA256 over the
	// timestamp and the body); required with URLs.
	Secret []byte
	// Timeout bounds one request; default 10s.
	Timeout time.Duration
	// MaxAttempts is how many times an alert is tried before it is
	// dead-lettered; default 8.
	MaxAttempts int
	// Retry is the wait after the n-th failed attempt (the last entry
	// repeats); default 30s, 2m, 10m, 30m, 1h.
	Retry []time.Duration
	// MaxAge: alerts raised longer ago are not delivered, so that turning
	// webhooks on does not send the week of alerts the stream holds;
	// default 24h.
	MaxAge time.Duration
	// Workers deliver concurrently; default 2.
	Workers int
}

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
	if c.Workers <= 0 {
		c.Workers = 2
	}
}

// Outcomes of newspipe_sink_webhook_deliveries_total.
const (
	hookSent     = "sent"     // the endpoint answered 2xx
	hookRetry    = "retry"    // failed; the alert will be tried again
	hookFailed   = "failed"   // failed on the last attempt: dead-lettered
	hookRejected = "rejected" // the endpoint refused it (4xx): dead-lettered at once
	hookSkipped  = "skipped"  // already delivered to this endpoint (a redelivery or replay)
	hookExpired  = "expired"  // raised more than MaxAge ago: not sent
)

// webhooks is the webhook stage's handler.
type webhooks struct {
	cfg       WebhookConfig
	endpoints []webhook.Endpoint
	client    *webhook.Client
	store     Store
	metrics   *metrics
	now       func() time.Time
	log       *slog.Logger
}

func newWebhooks(cfg WebhookConfig, st Store, m *metrics, now func() time.Time, log *slog.Logger) (*webhooks, error) {
	if len(cfg.Secret) == 0 {
		return nil, ErrNoWebhookSecret
	}
	cfg.defaults()
	w := &webhooks{cfg: cfg, client: webhook.NewClient(cfg.Secret, cfg.Timeout, now), store: st, metrics: m, now: now,
		log: log.With("stage", "webhook")}
	for _, u := range cfg.URLs {
		e, err := webhook.ParseEndpoint(u)
		if err != nil {
			return nil, err
		}
		w.endpoints = append(w.endpoints, e)
	}
	return w, nil
}

// Handle delivers one AgreementAlert to every endpoint that has not taken
// it yet. It implements stage.Handler and publishes nothing.
func (w *webhooks) Handle(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
	al := &newspipev1.AgreementAlert{}
	if err := events.Unmarshal(m.Data, m.Header[events.HeaderType], al); err != nil {
		return nil, stage.Permanent(fmt.Errorf("webhook: decode %s: %w", m.Subject, err))
	}
	key := al.GetKey()
	if key == "" {
		return nil, stage.Permanent(fmt.Errorf("webhook: alert on %s has no key", m.Subject))
	}
	if raised := al.GetRaisedAt().AsTime(); w.now().Sub(raised) > w.cfg.MaxAge {
		w.metrics.webhooks.WithLabelValues(hookExpired).Inc()
		return nil, nil
	}
	body, err := api.AlertEventJSON(al)
	if err != nil {
		return nil, stage.Permanent(fmt.Errorf("webhook: encode alert %s: %w", key, err))
	}
	d := webhook.Delivery{ID: key + ":" + al.GetFirstArticle().GetId(), JSON: body, Text: alertText(al)}
	var (
		errs      []error
		retryable bool
	)
	for _, e := range w.endpoints {
		prev, err := w.store.GetDelivery(ctx, key, e.ID())
		if err != nil {
			return nil, fmt.Errorf("webhook: %w", err)
		}
		if prev.State == store.DeliverySent {
			// An endpoint that refused the alert is tried again: this is
			// its replay from the DLQ, after a fix.
			w.metrics.webhooks.WithLabelValues(hookSkipped).Inc()
			continue
		}
		err = w.client.Send(ctx, e, d)
		state, outcome := store.DeliverySent, hookSent
		switch {
		case err == nil:
		case errors.Is(err, webhook.ErrRejected):
			state, outcome = store.DeliveryRejected, hookRejected
		case m.Delivered >= w.cfg.MaxAttempts:
			state, outcome = store.DeliveryRejected, hookFailed
		default:
			state, outcome, retryable = store.DeliveryFailed, hookRetry, true
		}
		w.metrics.webhooks.WithLabelValues(outcome).Inc()
		reason := ""
		if err != nil {
			reason = err.Error()
			errs = append(errs, err)
		}
		if rerr := w.store.RecordDelivery(ctx, key, e.ID(), state, reason); rerr != nil {
			// Retried: a sent delivery not recorded may be sent again,
			// with the same Idempotency-Key.
			return nil, fmt.Errorf("webhook %s to %s: %w", key, e, errors.Join(err, rerr))
		}
	}
	switch {
	case len(errs) == 0:
		return nil, nil
	case retryable:
		return nil, fmt.Errorf("webhook %s: %w", key, errors.Join(errs...))
	default:
		return nil, stage.Permanent(fmt.Errorf("webhook %s: %w", key, errors.Join(errs...)))
	}
}

// alertText is an alert in a line, for Slack.
func alertText(al *newspipev1.AgreementAlert) string {
	var b strings.Builder
	b.WriteString("New Russia–China deal: ")
	b.WriteString(strings.Join(al.GetPartyNames(), " · "))
	if k := al.GetKind(); k != "" {
		b.WriteString(" — " + k)
	}
	if t := al.GetTechnology(); t != "" {
		b.WriteString(" (" + t + ")")
	}
	if d := al.GetDate(); d != "" {
		b.WriteString(", signed " + d)
	}
	if f := al.GetFirstArticle(); f.GetUrl() != "" {
		fmt.Fprintf(&b, "\n<%s|%s>", f.GetUrl(), strings.NewReplacer("<", "", ">", "", "|", "").Replace(f.GetTitle()))
	}
	return b.String()
}
