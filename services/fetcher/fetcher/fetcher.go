// Package fetcher is the fetcher stage: it polls the configured sources and
// publishes each new article page as a RawArticle on news.raw.<source-id>.
// The standalone service (services/fetcher) and the all-in-one binary both
// run it through New and Run.
//
// Four parts share the NEWS_JOBS work queue, so any number of replicas
// split the work:
//
//   - The scheduler publishes one FeedJob per source and interval on
//     news.jobs.feed with message id "feed:<source>:<slot>". Slots are the
//     same on every replica (each source's interval, offset by a phase
//     derived from its id so polls spread over the interval), so N replicas
//     publishing the same slot within the duplicate window produce one job.
//   - The feed stage (consumer "FEED") polls the source conditionally
//     (validators and a body fingerprint, kept in the NEWS_FEED_STATE
//     bucket with the rest of the source's state), canonicalises each
//     item's link into an article id, and emits an ArticleJob per new item
//     on news.jobs.article ("job:<id>"), as many as the source's backlog
//     has room for.
//   - The fetch stage (consumer "FETCH") fetches the page politely and emits
//     the RawArticle ("raw:<id>"), body gzipped from 16 KiB. A page that
//     says it is another URL's copy (rel=canonical, og:url, a same-site
//     redirect) is published under that URL's id.
//   - The submit stage (consumer "SUBMIT") turns URLs submitted on
//     news.jobs.submit into ArticleJobs; POST /api/submit does the same
//     over HTTP (see Handler).
//
// Every request, whatever it is for, goes through one HTTP client
// (internal/fetch): one set of limits, one address guard, one per-host
// politeness.
//
// # Fair and bounded
//
// A source may have at most MaxBacklog articles queued and not yet done
// (its Pending set, in its state). A poll queues only the room left, and
// counts the rest as deferred, for later polls; an item in Pending is not
// queued again, however often the source lists it. So the queue holds at
// most MaxBacklog jobs per source, whatever a source's size, and a poll of
// a 100,000-item feed costs what a poll of a 100-item one does.
//
// The fetch stage holds many jobs at once (JobsInHand), each waiting in the
// client for its host's turn; a job takes one of the Workers places only
// once its host's turn has come. Hosts therefore take turns: the jobs of a
// slow or busy host wait at that host, not in front of every other's.
//
// # Polite, across replicas
//
// Each request to a host claims a slot of the per-host delay in the
// NEWS_HOST_BUDGET bucket (a key created once: one replica gets each slot),
// so a host gets at most one request per delay whatever the number of
// replicas; robots.txt is read, cached and honoured for pages and section
// pages. The User-Agent names the fetcher and a contact (Config.Contact).
//
// # When a source is polled
//
// The scheduler offers a poll every configured interval; the source's
// cadence (internal/cadence: longer while it publishes nothing, backoff
// while it fails, Retry-After, Cache-Control, RSS ttl), kept in its state as
// the next poll time, may decline the offer (outcome not_due).
//
// # What "seen" guarantees
//
// An id enters NEWS_SEEN only together with its RawArticle: the fetch
// handler returns both the RawArticle and the NEWS_SEEN write as outputs
// of the same input (the write is a publish on the bucket's subject, with
// message id "seen:<id>"), and the stage loop acknowledges the ArticleJob
// only after JetStream has stored both. So:
//
//   - No article is marked seen without its RawArticle stored. If the seen
//     write is stored but the RawArticle is not (the loop then naks the
//     job), the redelivered job skips the seen check (it does so on every
//     redelivery) and publishes the RawArticle.
//   - An article may be fetched, and its RawArticle published, more than
//     once: when the RawArticle is stored and the seen write is not, or when
//     a job taken as lost (PendingTTL) was only slow. Within the two-minute
//     duplicate window the server drops the repeat ("raw:<id>"); after it a
//     subscriber sees a duplicate, which the sink absorbs by id. This is
//     at-least-once, never at-most-once.
//   - The source state follows the same rule: it is an output of the poll,
//     stored only with the poll's ArticleJobs. A redelivered poll asks
//     without validators, so a half-stored poll cannot hide items behind a
//     304.
//   - A page refused for good (4xx, too large, not HTML, robots.txt, an
//     address the guard refuses) goes to NEWS_DLQ and its id is marked seen
//     with the reason, so the next poll does not dead-letter it again.
//     Retryable failures (5xx, 429, timeouts, bot walls) are retried with
//     backoff, then dead-lettered without a mark, so a later poll that
//     still lists the item tries again.
//   - Seen marks expire after SeenTTL; an item still in its feed after that
//     is fetched again (a duplicate RawArticle, absorbed by the sink).
//
// A source that fails (no network, HTTP error, bot wall, not a feed,
// malformed) is logged once per poll with its source_id, counted in
// newspipe_fetcher_feed_errors_total and newspipe_fetcher_feed_up, recorded
// in its state (GET /api/sources), and stays scheduled: the next poll is
// the retry, so a dead source neither floods the DLQ nor stops the others.
package fetcher

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	"github.com/newspipe/newspipe/services/fetcher/internal/fetch"
	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
	"github.com/newspipe/newspipe/services/fetcher/internal/poll"
	"github.com/newspipe/newspipe/services/fetcher/internal/sources"
)

// Source is one feed to poll; see LoadSources for the file format.
type Source = sources.Source

// LoadSources reads a sources file, or the embedded default list of real
// news feeds when path is "".
func LoadSources(path string) ([]Source, error) {
	if path == "" {
		return sources.Default()
	}
	return sources.Load(path)
}

// ParseAllowCIDRs parses a comma-separated allow-list for Config.AllowCIDRs
// ("127.0.0.1/32,10.0.0.0/8"; a bare address stands for itself).
func ParseAllowCIDRs(s string) ([]netip.Prefix, error) { return guard.ParseCIDRs(s) }

// DefaultSourcesYAML returns the embedded default sources file, to show or
// copy as a starting point.
func DefaultSourcesYAML() []byte { return sources.DefaultYAML() }

// Defaults for Config's zero values.
const (
	DefaultPollInterval = 10 * time.Minute
	DefaultWorkers      = 8
	DefaultFeedWorkers  = 32
	DefaultJobsInHand   = 128
	DefaultMaxBacklog   = 100
	DefaultPendingTTL   = time.Hour
	DefaultJobTimeout   = 10 * time.Minute
	DefaultStaleAfter   = 48 * time.Hour
	DefaultSeenTTL      = 90 * 24 * time.Hour

	DefaultPerHostDelay  = fetch.DefaultPerHostDelay
	DefaultFetchTimeout  = fetch.DefaultTimeout
	DefaultHeaderTimeout = fetch.DefaultHeaderTimeout
	DefaultMaxFeedBytes  = fetch.DefaultMaxFeedBytes
)

// Config configures the fetcher. Zero values take the defaults.
type Config struct {
	// Sources are the feeds to poll; disabled ones are skipped.
	Sources []Source
	// SourcesFile is where a main loads Sources from (LoadSources): empty
	// for the built-in list.
	SourcesFile string
	// PollInterval is the interval of sources that set none. Default 10m.
	PollInterval time.Duration
	// ConnectTimeout bounds TCP and TLS set-up. Default 10s.
	ConnectTimeout time.Duration
	// HeaderTimeout bounds the wait for response headers. Default 20s.
	HeaderTimeout time.Duration
	// FetchTimeout bounds one request (feed, page, sitemap, robots.txt),
	// from its turn at the host to the end of its body. Default 30s.
	FetchTimeout time.Duration
	// MaxBodyBytes caps a page, decoded; larger pages are dead-lettered.
	// Default 8 MiB.
	MaxBodyBytes int64
	// MaxFeedBytes caps a feed or sitemap, decoded. Default 16 MiB.
	MaxFeedBytes int64
	// PerHostDelay is the minimum time between two requests to one host.
	// Default 1s; negative for none.
	PerHostDelay time.Duration
	// PerHostConcurrency caps requests in flight to one host. Default 2.
	PerHostConcurrency int
	// IgnoreRobots skips robots.txt (for sites you own, such as the demo).
	IgnoreRobots bool
	// AllowCIDRs lets the fetcher reach these addresses although they are
	// loopback, private, link-local or otherwise not public; by default it
	// connects to public addresses only (see internal/guard).
	AllowCIDRs []netip.Prefix
	// Workers is how many requests (pages, polls, robots.txt) are in
	// flight at once, across all hosts. Default 8.
	Workers int
	// FeedWorkers is how many polls a replica holds at once. Like article
	// jobs, each waits at its host for its turn and then takes one of the
	// Workers places for its download, so a host with many sources does not
	// hold up the others' polls. Default 32.
	FeedWorkers int
	// JobsInHand is how many article jobs a replica holds at once, most of
	// them waiting for their host's turn; a busy host's jobs then never
	// keep another host's from the Workers. Keep it at most the fetch
	// consumer's MaxAckPending (256). Default 128.
	JobsInHand int
	// MaxBacklog caps a source's articles queued and not yet done; a poll
	// queues no more than the room left and reports the rest as deferred,
	// so one huge source cannot fill the queue ahead of the others.
	// Default 100.
	MaxBacklog int
	// PendingTTL is how long a queued article counts as in the backlog
	// before its job is taken as lost and the item may be queued again.
	// Default 1h.
	PendingTTL time.Duration
	// JobTimeout bounds one article job, its wait for the host included.
	// Default 10m.
	JobTimeout time.Duration
	// StaleAfter is the least silence (no new item) that makes a source
	// stale; a source that publishes rarely gets four of its usual gaps.
	// Default 48h.
	StaleAfter time.Duration
	// SeenTTL is how long an article id stays seen. Default 90 days.
	SeenTTL time.Duration
	// Version goes into the User-Agent. Default "dev".
	Version string
	// Contact goes into the User-Agent: a URL or a mail address where a
	// site's operator can reach whoever runs this fetcher. Default the
	// project's page; set your own.
	Contact string
	// DisableScheduler runs the feed and fetch stages without publishing
	// FeedJobs (another replica, or a test, schedules).
	DisableScheduler bool
	// MaxDeliver, Backoff and AckWait override the retry policy and ack
	// deadline of the stages (tests use short ones); zero values keep the
	// topology's.
	MaxDeliver int
	Backoff    []time.Duration
	AckWait    time.Duration
}

// DefaultContact is the contact in the User-Agent when Config.Contact is
// empty: the project's page.
const DefaultContact = "https://github.com/newspipe/newspipe"

// UserAgent is the User-Agent the fetcher sends: its name and version, and
// where a site's operator can reach whoever runs it, e.g.
// "newspipe/1.2 (+https://example.org/crawler)". Its first word,
// "newspipe", is what robots.txt groups are matched against.
func UserAgent(version, contact string) string {
	if contact == "" {
		contact = DefaultContact
	}
	return "newspipe/" + version + " (+" + contact + ")"
}

// Fetcher is the running stage. Create it with New, run it with Run.
type Fetcher struct {
	bus     *bus.Bus
	topo    topology.Topology
	cfg     Config
	sources map[string]Source
	poller  *poll.Poller
	client  *fetch.Client
	guard   *guard.Policy
	budget  *hostBudget
	metrics *metrics
	log     *slog.Logger
	now     func() time.Time
	jitter  func() float64 // in [0, 1), for the poll cadence

	feedRunner   *stage.Runner
	fetchRunner  *stage.Runner
	submitRunner *stage.Runner

	// maxRawBytes bounds an encoded RawArticle below the stream's message
	// size limit.
	maxRawBytes int

	// Set by Run before the stages start; opened says they are (for the
	// HTTP handlers, which may be called earlier).
	seen   *bus.KV
	state  *bus.KV
	opened atomic.Bool
}

// New checks cfg and returns a Fetcher on b. Metrics are registered on reg;
// sm is the process's shared stage-loop metrics.
func New(b *bus.Bus, cfg Config, reg prometheus.Registerer, sm *stage.Metrics, log *slog.Logger) (*Fetcher, error) {
	if err := sources.Validate(cfg.Sources); err != nil {
		return nil, fmt.Errorf("fetcher: sources: %w", err)
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.FeedWorkers <= 0 {
		cfg.FeedWorkers = DefaultFeedWorkers
	}
	if cfg.JobsInHand <= 0 {
		cfg.JobsInHand = DefaultJobsInHand
	}
	if cfg.MaxBacklog <= 0 {
		cfg.MaxBacklog = DefaultMaxBacklog
	}
	if cfg.PendingTTL <= 0 {
		cfg.PendingTTL = DefaultPendingTTL
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = DefaultJobTimeout
	}
	if cfg.StaleAfter <= 0 {
		cfg.StaleAfter = DefaultStaleAfter
	}
	if cfg.SeenTTL <= 0 {
		cfg.SeenTTL = DefaultSeenTTL
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = fetch.DefaultMaxBodyBytes
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	// Jobs held beyond the consumer's ack-pending limit would never come:
	// the server stops delivering there.
	for _, c := range []struct {
		stage, name string
		n           int
	}{{topology.StageFeed, "FEED_WORKERS", cfg.FeedWorkers}, {topology.StageFetch, "JOBS_IN_HAND", cfg.JobsInHand}} {
		spec, err := b.Topology().Consumer(c.stage)
		if err != nil {
			return nil, fmt.Errorf("fetcher: %w", err)
		}
		if c.n > spec.MaxAckPending {
			return nil, fmt.Errorf("fetcher: %s %d is over the %s consumer's limit of %d messages in hand", c.name, c.n, c.stage, spec.MaxAckPending)
		}
	}
	if strings.ContainsAny(cfg.Contact, "()\r\n") {
		return nil, fmt.Errorf("fetcher: contact %q: parentheses and line breaks cannot go in a User-Agent", cfg.Contact)
	}
	ua := UserAgent(cfg.Version, cfg.Contact)
	topo := b.Topology()
	g := guard.New(cfg.AllowCIDRs)
	// One client for every request, so one set of limits and one per-host
	// budget hold for feeds, pages and robots.txt alike; the budget is
	// shared with the other replicas through NEWS_HOST_BUDGET.
	m := newMetrics(reg)
	budget := newHostBudget(effectiveDelay(cfg.PerHostDelay), replicaName(), log, func() { m.budgetErrors.Inc() })
	client := fetch.New(fetch.Config{
		UserAgent: ua, ConnectTimeout: cfg.ConnectTimeout, HeaderTimeout: cfg.HeaderTimeout, Timeout: cfg.FetchTimeout,
		MaxBodyBytes: cfg.MaxBodyBytes, MaxFeedBytes: cfg.MaxFeedBytes, PerHostDelay: cfg.PerHostDelay,
		PerHostConcurrency: cfg.PerHostConcurrency, MaxInFlight: cfg.Workers, IgnoreRobots: cfg.IgnoreRobots,
		Guard: g, Budget: budget,
	})
	f := &Fetcher{
		bus: b, topo: topo, cfg: cfg, sources: make(map[string]Source, len(cfg.Sources)),
		client:      client,
		guard:       g,
		poller:      poll.New(client, poll.Config{MaxDocBytes: cfg.MaxFeedBytes}),
		metrics:     m,
		budget:      budget,
		log:         log,
		now:         time.Now,
		jitter:      rand.Float64,
		maxRawBytes: rawLimit(topo),
	}
	for _, s := range cfg.Sources {
		f.sources[s.ID] = s
	}
	var err error
	f.feedRunner, err = stage.New(b, stage.Config{
		Stage: topology.StageFeed, Workers: cfg.FeedWorkers, MaxDeliver: cfg.MaxDeliver, Backoff: cfg.Backoff, AckWait: cfg.AckWait,
		Consume: bus.ConsumeOptions{MaxMessages: min(cfg.FeedWorkers, 16)}, // as for pages, below
	}, stage.HandlerFunc(f.handleFeedJob), sm, log)
	if err != nil {
		return nil, fmt.Errorf("fetcher: %w", err)
	}
	// The fetch stage holds many jobs at once (JobsInHand): each waits in
	// the client for its host's turn, heartbeating, and only then takes one
	// of the Workers places. That is what makes hosts take turns: a busy
	// host's jobs queue at that host, not in front of everyone's.
	f.fetchRunner, err = stage.New(b, stage.Config{
		Stage: topology.StageFetch, Workers: cfg.JobsInHand, MaxDeliver: cfg.MaxDeliver, Backoff: cfg.Backoff, AckWait: cfg.AckWait,
		// Jobs pulled but not yet handed to a worker wait on the ack clock
		// without a heartbeat: keep that buffer small.
		Consume: bus.ConsumeOptions{MaxMessages: min(cfg.JobsInHand, 16)},
	}, stage.HandlerFunc(f.handleArticleJob), sm, log)
	if err != nil {
		return nil, fmt.Errorf("fetcher: %w", err)
	}
	f.submitRunner, err = stage.New(b, stage.Config{
		Stage: topology.StageSubmit, Workers: 2, MaxDeliver: cfg.MaxDeliver, Backoff: cfg.Backoff, AckWait: cfg.AckWait,
	}, stage.HandlerFunc(f.handleSubmit), sm, log)
	if err != nil {
		return nil, fmt.Errorf("fetcher: %w", err)
	}
	return f, nil
}

// Run opens the KV buckets, then runs the scheduler and both stages until
// ctx is done (graceful: in-flight jobs finish) or one of them fails.
func (f *Fetcher) Run(ctx context.Context) error {
	var err error
	if f.seen, err = f.bus.KV(ctx, topology.BucketSeen, f.cfg.SeenTTL); err != nil {
		return fmt.Errorf("fetcher: %w", err)
	}
	if f.state, err = f.bus.KV(ctx, topology.BucketFeedState, 0); err != nil {
		return fmt.Errorf("fetcher: %w", err)
	}
	if f.budget.delay > 0 {
		kv, err := f.bus.KV(ctx, topology.BucketHostBudget, budgetTTL)
		if err != nil {
			return fmt.Errorf("fetcher: %w", err)
		}
		f.budget.kv.Store(kv)
	}
	f.opened.Store(true)
	enabled := sources.Enabled(f.cfg.Sources)
	f.log.Info("fetcher starting", "sources", len(enabled), "disabled", len(f.cfg.Sources)-len(enabled),
		"poll_interval", f.cfg.PollInterval.String(), "user_agent", UserAgent(f.cfg.Version, f.cfg.Contact),
		"allow_cidrs", guard.FormatCIDRs(f.cfg.AllowCIDRs))
	if len(enabled) == 0 && !f.cfg.DisableScheduler {
		f.log.Warn("no enabled sources: nothing will be polled")
	}
	g := lifecycle.NewGroup(ctx)
	g.Go(f.feedRunner.Run)
	g.Go(f.fetchRunner.Run)
	g.Go(f.submitRunner.Run)
	if !f.cfg.DisableScheduler {
		g.Go(func(ctx context.Context) error { return f.schedule(ctx, enabled) })
	}
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// interval returns the poll interval of source id (the default for a source
// this replica does not know).
func (f *Fetcher) interval(id string) time.Duration {
	if s, ok := f.sources[id]; ok && s.Interval > 0 {
		return s.Interval
	}
	return f.cfg.PollInterval
}

// effectiveDelay is the per-host delay fetch.Client applies for d.
func effectiveDelay(d time.Duration) time.Duration {
	switch {
	case d == 0:
		return fetch.DefaultPerHostDelay
	case d < 0:
		return 0
	}
	return d
}

// replicaName names this process in the host budget's keys.
func replicaName() string {
	h, _ := os.Hostname()
	return h + ":" + strconv.Itoa(os.Getpid())
}

// rawLimit is the largest encoded RawArticle the raw stream accepts, less
// room for headers.
func rawLimit(t topology.Topology) int {
	const headroom = 64 << 10
	for _, s := range t.Streams() {
		if s.Name == t.StreamName(topology.StreamRaw) && s.MaxMsgSize > 0 {
			return int(s.MaxMsgSize) - headroom
		}
	}
	return int(topology.MsgSizeFor(topology.DefaultMaxBodyBytes)) - headroom
}
