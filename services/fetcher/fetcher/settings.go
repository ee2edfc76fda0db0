package fetcher

import (
	"net/netip"

	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
)

// Declare declares the fetcher's settings into ss: bin/fetcher registers
// them as its flags and the all-in-one as its own, so each exists in both,
// with one environment variable. The page size cap is not among them: it is
// a stream setting (service.Common.MaxBodyBytes) shared with the cleaner.
func (c *Config) Declare(ss *service.Settings) {
	ss.String(&c.SourcesFile, "sources", "SOURCES_FILE", "", "sources.yaml to poll; empty for the built-in list of real feeds")
	ss.Duration(&c.PollInterval, "poll-interval", "POLL_INTERVAL", DefaultPollInterval, "poll interval of sources that set none")
	ss.Duration(&c.PerHostDelay, "per-host-delay", "PER_HOST_DELAY", DefaultPerHostDelay, "least time between two requests to one host; negative for none")
	ss.Int(&c.PerHostConcurrency, "per-host-concurrency", "PER_HOST_CONCURRENCY", 2, "requests in flight to one host")
	ss.Duration(&c.FetchTimeout, "fetch-timeout", "FETCH_TIMEOUT", DefaultFetchTimeout, "bound on one request (feed, page, sitemap, robots.txt), from its turn at the host to the end of its body")
	ss.Duration(&c.HeaderTimeout, "header-timeout", "HEADER_TIMEOUT", DefaultHeaderTimeout, "bound on the wait for response headers")
	ss.Int64(&c.MaxFeedBytes, "max-feed-bytes", "MAX_FEED_BYTES", DefaultMaxFeedBytes, "largest feed or sitemap accepted, decompressed")
	ss.Int(&c.Workers, "workers", "FETCHER_WORKERS", DefaultWorkers, "requests (pages, polls, robots.txt) in flight at once, across hosts")
	ss.Int(&c.FeedWorkers, "feed-workers", "FEED_WORKERS", DefaultFeedWorkers, "polls held at once, each waiting for its host's turn")
	ss.Int(&c.JobsInHand, "jobs-in-hand", "JOBS_IN_HAND", DefaultJobsInHand, "article jobs held at once, waiting for their host's turn; at most 256")
	ss.Int(&c.MaxBacklog, "max-backlog", "MAX_BACKLOG", DefaultMaxBacklog, "articles of one source queued and not yet fetched, at most; the rest wait for later polls")
	ss.Duration(&c.StaleAfter, "stale-after", "STALE_AFTER", DefaultStaleAfter, "least silence (no new item) that makes a source stale; rare publishers get four of their usual gaps")
	ss.Duration(&c.SeenTTL, "seen-ttl", "SEEN_TTL", DefaultSeenTTL, "how long a published article id is remembered")
	ss.Bool(&c.IgnoreRobots, "ignore-robots", "IGNORE_ROBOTS", false, "do not read robots.txt; only for sites you own")
	ss.String(&c.Contact, "contact", "FETCH_CONTACT", "", "URL or mail address of whoever runs this fetcher, sent in the User-Agent so site operators can reach you; default the project's page")
	ss.Var((*cidrList)(&c.AllowCIDRs), "allow-cidrs", "FETCH_ALLOW_CIDRS", "comma-separated CIDRs the fetcher may reach although not public (loopback, private, link-local…); empty: public addresses only")
}

// cidrList is Config.AllowCIDRs as a flag value.
type cidrList []netip.Prefix

func (l *cidrList) Set(s string) error {
	p, err := guard.ParseCIDRs(s)
	if err != nil {
		return err
	}
	*l = p
	return nil
}

func (l *cidrList) String() string {
	if l == nil {
		return ""
	}
	return guard.FormatCIDRs(*l)
}
