// Package sink is the pipeline's last stage: it stores every enriched story
// idempotently, decides whether a reported agreement is new and, when it is,
// raises one AgreementAlert on news.alerts.agreement; and it serves the
// stored stories over HTTP (see Handler).
//
// Novelty: the sink does not match reports by the classifier's agreement
// key but by the deal the report gives field by field (store.DealOf, package
// pkg/deal): the party groups of each side, a side that names only its
// country matching any organisation of it; the subject, else the
// technology; and the deal's date, a stated signing date, else the story's
// publication time. A report of a deal already claimed joins the oldest such
// claim; any other report is a new agreement with an alert of its own,
// keyed "<agreement key>@<month of the deal>" (see internal/store). The
// alert event carries the alert key and the deal; the stored article keeps
// the classifier's key.
//
// Delivery: a story is written before its input is acked, and an alert is
// returned to the stage loop, which publishes it (message id
// "alert:<alert key>") and only then acks. Agreement novelty is decided
// by the store (Store.ClaimAgreement), atomically across replicas that
// share a database. A redelivered first article is told it is first again
// and returns the alert again, so an alert whose publish failed (or whose
// sink crashed after the claim) is published on the retry; the message id
// keeps the stream from holding it twice. The same article arriving in a
// fresh message (delivered once, say a replay of the enriched stream) does
// not re-alert, even after JetStream's duplicate window has passed.
package sink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/deal"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/alert"
	"github.com/newspipe/newspipe/services/sink/internal/api"
	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// DefaultAgreementWindow is how far apart, in publication time, two reports
// that state no signing date may be and still be one deal; and how long
// after a stated signing an undated report is still news of it
// (deal.DefaultWindow).
const DefaultAgreementWindow = deal.DefaultWindow

// Store is what the sink keeps stories and agreement claims in; Open
// returns one. Implementations must be safe for concurrent use: the stage's
// workers and the HTTP handlers call it at once.
type Store interface {
	api.Store
	// PutStory stores a story idempotently by article id.
	PutStory(ctx context.Context, s store.Story) (store.PutResult, error)
	// ClaimAgreement decides which agreement a report of deal is about, or
	// makes it a new one, atomically and idempotently for the agreement's
	// first article.
	ClaimAgreement(ctx context.Context, deal store.Deal, window time.Duration, ref store.ArticleRef) (store.Claim, error)
	// GetDelivery and RecordDelivery keep each webhook delivery's
	// outcome: see WebhookConfig.
	GetDelivery(ctx context.Context, key, endpoint string) (store.Delivery, error)
	RecordDelivery(ctx context.Context, key, endpoint, state, reason string) error
	// Ping reports whether the store answers (readiness).
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// Open opens the store at dsnOrPath: a postgres:// or postgresql:// DSN,
// or the path of a SQLite file (created with its directory if missing).
// Migrations are applied on open.
func Open(ctx context.Context, dsnOrPath string) (Store, error) {
	s, err := store.Open(ctx, dsnOrPath, store.Options{})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Config configures a Sink. The zero value works.
type Config struct {
	// AgreementWindow: see DefaultAgreementWindow (the default).
	AgreementWindow time.Duration
	// Workers handle messages concurrently; default as stage.Config.
	Workers int
	// MaxDeliver and Backoff override the retry policy (tests use short
	// ones); zero keeps the topology's.
	MaxDeliver int
	Backoff    []time.Duration
	// Title heads the HTML page and the Atom feed.
	Title string
	// Now is the clock for latency and the API; default time.Now.
	Now func() time.Time
	// Webhooks: see WebhookConfig.
	Webhooks WebhookConfig
}

// Sink is the sink stage. Create it with New, run it with Run; its Handler
// may be served before, during and after Run.
type Sink struct {
	store   Store
	topo    topology.Topology
	runner  *stage.Runner
	metrics *metrics
	api     *api.API
	log     *slog.Logger
	cfg     Config
	// hooks runs the webhook stage; nil when no webhook is configured.
	hooks *stage.Runner
}

// New returns the sink stage consuming news.enriched.> on b and writing to
// st. Its metrics are registered on reg; sm is the process's shared stage
// metrics. The caller keeps ownership of st and closes it after Run returns.
func New(b *bus.Bus, st Store, reg prometheus.Registerer, sm *stage.Metrics, log *slog.Logger, cfg Config) (*Sink, error) {
	if cfg.AgreementWindow <= 0 {
		cfg.AgreementWindow = DefaultAgreementWindow
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("sink: register metrics: %w", err)
	}
	log = log.With("component", "sink")
	s := &Sink{
		store: st, topo: b.Topology(), metrics: m, log: log, cfg: cfg,
		api: api.New(st, log, api.Config{Now: cfg.Now, Title: cfg.Title}),
	}
	if len(cfg.Webhooks.URLs) > 0 {
		h, err := newWebhooks(cfg.Webhooks, st, m, cfg.Now, log)
		if err != nil {
			return nil, fmt.Errorf("sink: %w", err)
		}
		s.hooks, err = stage.New(b, stage.Config{
			Stage: topology.StageWebhook, Workers: h.cfg.Workers, MaxDeliver: h.cfg.MaxAttempts, Backoff: h.cfg.Retry,
		}, h, sm, log)
		if err != nil {
			return nil, fmt.Errorf("sink: %w", err)
		}
	}
	s.runner, err = stage.New(b, stage.Config{
		Stage: topology.StageSink, Workers: cfg.Workers, MaxDeliver: cfg.MaxDeliver, Backoff: cfg.Backoff,
	}, s, sm, log)
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	return s, nil
}

// Run consumes enriched stories, and delivers webhooks if configured, until
// ctx is done, then drains (see stage.Runner.Run). It does not close the
// store.
func (s *Sink) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	var hookErr error
	if s.hooks != nil {
		wg.Go(func() { hookErr = s.hooks.Run(ctx) })
	}
	err := s.runner.Run(ctx)
	wg.Wait()
	return errors.Join(err, hookErr)
}

// Handler returns the HTTP API (routes in the package doc of
// internal/api): mount it at the root of a mux.
func (s *Sink) Handler() http.Handler { return s.api }

// Handle stores one EnrichedArticle and returns the alert to publish when
// the article is the first about a new agreement. It implements
// stage.Handler; the stage loop calls it.
func (s *Sink) Handle(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
	a := &newspipev1.EnrichedArticle{}
	if err := events.Unmarshal(m.Data, m.Header[events.HeaderType], a); err != nil {
		return nil, fmt.Errorf("sink: decode %s: %w", m.Subject, err)
	}
	id := a.GetArticle().GetId()
	if id == "" {
		return nil, stage.Permanent(ErrNoArticleID)
	}

	// Claim before storing, so that the story is written once, with its
	// link; a failure in between is retried and the claim is idempotent.
	st := store.Story{Article: a}
	var claim store.Claim
	key := alert.Key(a)
	if key != "" {
		var err error
		claim, err = s.store.ClaimAgreement(ctx, store.DealOf(a, s.cfg.Now()), s.cfg.AgreementWindow, store.RefOf(a))
		if err != nil {
			return nil, classify(fmt.Errorf("sink: claim agreement %s for %s: %w", key, id, err))
		}
		st.AgreementFirstArticleID = claim.FirstArticle.ID
		st.AgreementAlertKey = claim.AlertKey
	}
	res, err := s.store.PutStory(ctx, st)
	if err != nil {
		return nil, classify(fmt.Errorf("sink: store %s: %w", id, err))
	}
	s.observe(a, res, key, claim)

	if key == "" || !claim.First || (!claim.New && m.Delivered <= 1) {
		// A first article whose claim is older than this message was
		// already claimed by an earlier message (a replay, a republish):
		// that message published the alert, or is being redelivered and
		// will. Only a redelivery re-publishes, which covers a publish that
		// failed after the claim, or a crash between them.
		return nil, nil
	}
	ev := alert.New(a, claim.AlertKey, claim.FirstArticle.Proto(), claim.RaisedAt)
	data, hdr, err := events.Marshal(ev)
	if err != nil {
		return nil, stage.Permanent(fmt.Errorf("sink: encode alert %s: %w", claim.AlertKey, err))
	}
	hdr[events.HeaderArticleID] = id
	hdr[events.HeaderAgreement] = "true"
	if claim.New {
		s.log.Info("agreement alert", "agreement_key", key, "alert_key", claim.AlertKey, "article_id", id)
	}
	return []bus.Message{{Subject: s.topo.AgreementAlerts(), MsgID: "alert:" + claim.AlertKey, Header: hdr, Data: data}}, nil
}

// classify makes invalid input permanent; every other store error (the
// database is down, a lock timed out) is worth a retry.
func classify(err error) error {
	if errors.Is(err, store.ErrInvalid) {
		return stage.Permanent(err)
	}
	return err
}

func (s *Sink) observe(a *newspipev1.EnrichedArticle, res store.PutResult, key string, claim store.Claim) {
	s.metrics.writes.WithLabelValues(res.String()).Inc()
	if claim.New {
		s.metrics.alerts.Inc()
	}
	if res != store.Inserted {
		return
	}
	rel := relevanceOther
	if a.GetRuCnTech() {
		rel = relevanceRuCn
	}
	s.metrics.stored.WithLabelValues(rel).Inc()
	s.metrics.byTopic.WithLabelValues(topicLabel(a.GetPrimaryTopic())).Inc()
	if key != "" && !claim.First {
		s.metrics.duplicates.Inc()
	}
	fetched := a.GetTimes().GetFetchedAt()
	if fetched == nil {
		fetched = a.GetArticle().GetTimes().GetFetchedAt()
	}
	if fetched != nil {
		if d := s.cfg.Now().Sub(fetched.AsTime()); d >= 0 {
			s.metrics.latency.Observe(d.Seconds())
		}
	}
}
