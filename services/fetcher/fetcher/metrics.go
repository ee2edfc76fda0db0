package fetcher

import "github.com/prometheus/client_golang/prometheus"

// Labels of the kind label: what was fetched.
const (
	kindFeed = "feed"
	kindPage = "page"
)

// metrics are the fetcher's own series; the stage loop's (messages, DLQ,
// pending) come from pkg/stage. Labels are bounded: source ids come from
// the configuration, statuses from fetch.Class.
type metrics struct {
	fetches        *prometheus.CounterVec   // page fetches by source and status
	polls          *prometheus.CounterVec   // feed polls by source and status
	fetchSeconds   *prometheus.HistogramVec // by kind
	bytes          *prometheus.CounterVec   // by kind
	newItems       *prometheus.CounterVec   // by source
	skippedSeen    *prometheus.CounterVec   // by source
	feedErrors     *prometheus.CounterVec   // by source
	feedUp         *prometheus.GaugeVec     // by source
	lastSuccess    *prometheus.GaugeVec     // by source
	scheduled      *prometheus.CounterVec   // by source
	badLinks       *prometheus.CounterVec   // by source
	refused        *prometheus.CounterVec   // by source and kind
	backlog        *prometheus.GaugeVec     // by source
	deferred       *prometheus.GaugeVec     // by source
	mended         *prometheus.CounterVec   // by source and repair
	canonicalMoved *prometheus.CounterVec   // by source
	nextPoll       *prometheus.GaugeVec     // by source
	interval       *prometheus.GaugeVec     // by source
	stale          *prometheus.GaugeVec     // by source
	lastNewItem    *prometheus.GaugeVec     // by source
	submitted      *prometheus.CounterVec   // by way (http, nats)
	budgetErrors   prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_fetcher_fetches_total",
			Help: "Article page fetches, by source and status (ok, http_4xx, http_5xx, http_other, timeout, too_large, content_type, redirects, robots, bad_url, address_refused, network).",
		}, []string{"source", "status"}),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_fetcher_feed_polls_total",
			Help: "Source polls, by source and status (ok, not_modified, stale, or an error class: not_feed, malformed, http_4xx, http_429, http_5xx, bot_wall, timeout, dns, tls, network, too_large, address_refused…).",
		}, []string{"source", "status"}),
		fetchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newspipe_fetcher_fetch_seconds",
			Help:    "Time to poll a feed or fetch a page, including the wait for the host's turn, by kind (feed, page).",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}, []string{"kind"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_fetcher_bytes_total",
			Help: "Bytes downloaded (after transfer decoding), by kind (feed, page).",
		}, []string{"kind"}),
		newItems: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_fetcher_new_items_total",
			Help: "Feed items not seen before, queued for fetching, by source.",
		}, []string{"source"}),
		skippedSeen: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_fetcher_skipped_seen_total",
			Help: "Feed items or article jobs skipped because the article was already published (or refused for good), by source.",
		}, []string{"source"}),
		feedErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_fetcher_feed_errors_total",
			Help: "Source polls that failed (network, HTTP status, bot wall, not a feed, malformed, too large…), by source.",
		}, []string{"source"}),
		feedUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newspipe_fetcher_feed_up",
			Help: "1 if the source's last poll succeeded, 0 if it failed.",
		}, []string{"source"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newspipe_fetcher_feed_last_success_timestamp_seconds",
			Help: "Unix time of the source's last successful poll.",
		}, []string{"source"}),
		scheduled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_fetcher_polls_scheduled_total",
			Help: "Feed polls this replica put on news.jobs.feed (replicas publishing the same slot are deduplicated by the server), by source.",
		}, []string{"source"}),
		badLinks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_fetcher_bad_links_total",
			Help: "Feed items whose link could not be canonicalised, by source.",
		}, []string{"source"}),
	}
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newspipe_fetcher_address_refused_total",
		Help: "Requests refused before connecting because the address is loopback, private, link-local, metadata or otherwise not public and not in FETCH_ALLOW_CIDRS, by source and kind (feed, page).",
	}, []string{"source", "kind"})
	m.backlog = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newspipe_fetcher_source_backlog_items",
		Help: "Articles of the source queued and not yet done, as of its last poll (at most -max-backlog).",
	}, []string{"source"})
	m.deferred = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newspipe_fetcher_source_deferred_items",
		Help: "Items the source's last poll left for later because its backlog was full.",
	}, []string{"source"})
	m.mended = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newspipe_fetcher_documents_mended_total",
		Help: "Source documents repaired before parsing, by source and repair: charset (read in another charset than declared), invalid_bytes, control_chars, ampersands.",
	}, []string{"source", "repair"})
	m.canonicalMoved = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newspipe_fetcher_canonical_moved_total",
		Help: "Pages whose rel=canonical, og:url or same-site redirect gave them another article id than their feed link, by source.",
	}, []string{"source"})
	m.nextPoll = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newspipe_fetcher_source_next_poll_timestamp_seconds",
		Help: "Unix time of the source's next poll, as its last poll decided.",
	}, []string{"source"})
	m.interval = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newspipe_fetcher_source_poll_interval_seconds",
		Help: "The source's current poll interval: its configured one, lengthened while it publishes nothing or fails, as its last poll decided.",
	}, []string{"source"})
	m.stale = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newspipe_fetcher_source_stale",
		Help: "1 if the source has published nothing new for longer than it should (four of its usual gaps, at least STALE_AFTER), as of its last poll.",
	}, []string{"source"})
	m.lastNewItem = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newspipe_fetcher_source_last_new_item_timestamp_seconds",
		Help: "Unix time of the last poll that found an item not seen before.",
	}, []string{"source"})
	m.submitted = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newspipe_fetcher_submitted_total",
		Help: "URLs submitted at run time and queued, by way (http: POST /api/submit, nats: news.jobs.submit).",
	}, []string{"via"})
	m.budgetErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "newspipe_fetcher_host_budget_errors_total",
		Help: "Requests whose slot in the shared per-host budget (NEWS_HOST_BUDGET) could not be claimed; they went ahead on this replica's own limits.",
	})
	reg.MustRegister(m.submitted, m.budgetErrors)
	reg.MustRegister(m.fetches, m.polls, m.fetchSeconds, m.bytes, m.newItems, m.skippedSeen,
		m.feedErrors, m.feedUp, m.lastSuccess, m.scheduled, m.badLinks, m.refused, m.backlog, m.deferred, m.mended, m.canonicalMoved,
		m.nextPoll, m.interval, m.stale, m.lastNewItem)
	return m
}
