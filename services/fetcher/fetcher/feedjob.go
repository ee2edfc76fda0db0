package fetcher

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/articleid"
	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/stage"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/fetcher/internal/cadence"
	"github.com/newspipe/newspipe/services/fetcher/internal/feed"
	"github.com/newspipe/newspipe/services/fetcher/internal/fetch"
	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
	"github.com/newspipe/newspipe/services/fetcher/internal/mend"
	"github.com/newspipe/newspipe/services/fetcher/internal/poll"
	"github.com/newspipe/newspipe/services/fetcher/internal/section"
	"github.com/newspipe/newspipe/services/fetcher/internal/sitemap"
)

// Poll outcomes that are not errors, for the status label.
const (
	outcomeOK          = "ok"
	outcomeNotModified = "not_modified"
	outcomeStale       = "stale"
	outcomeNotDue      = "not_due"
	// outcomeMalformed is also the class of a feed that does not parse at
	// all (pollClass).
	outcomeMalformed = "malformed"
)

// handleFeedJob polls one source and returns an ArticleJob per new item,
// as many as the source's backlog has room for, plus the source's new state
// (see the package doc for why the state is an output rather than a write).
func (f *Fetcher) handleFeedJob(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
	var job newspipev1.FeedJob
	if err := events.Unmarshal(m.Data, m.Header[events.HeaderType], &job); err != nil {
		return nil, err
	}
	if job.SourceId == "" || job.FeedUrl == "" {
		return nil, stage.Permanent(fmt.Errorf("feed job on %s lacks source id or feed url", m.Subject))
	}
	id := job.SourceId
	src, known := f.sources[id]
	if !known { // a job from a replica with another sources file
		src = Source{ID: id, URL: job.FeedUrl}
	}

	// A backlog of polls (the stage was down while a scheduler ran) is
	// worth one poll per source, not one per missed slot.
	if job.ScheduledAt != nil {
		iv := f.interval(id)
		if age := f.now().Sub(job.ScheduledAt.AsTime()); age > max(2*iv, time.Minute) {
			f.metrics.polls.WithLabelValues(id, outcomeStale).Inc()
			return nil, nil
		}
	}

	st, err := f.loadState(ctx, id)
	if err != nil {
		return nil, err
	}
	// The scheduler offers a poll every interval; the source's cadence
	// (backoff, Retry-After, a quiet source's longer interval) may say not
	// yet. A poll asked for otherwise (a person, a test) always runs.
	// Half a slot of slack keeps a next poll a little past a slot from
	// waiting a whole slot more.
	if m.Header[headerPoll] == pollScheduled && !st.NextPoll.IsZero() && f.now().Before(st.NextPoll.Add(-f.interval(id)/2)) {
		f.metrics.polls.WithLabelValues(id, outcomeNotDue).Inc()
		return nil, nil
	}
	validators := st.Validators
	if m.Delivered > 1 || st.Deferred > 0 {
		// A redelivered poll asks without validators, so a 304 cannot hide
		// items whose jobs were lost with the previous attempt; so does a
		// poll after one that deferred items, or an unchanged document
		// would hide them for good.
		validators = poll.State{}
	}

	start := f.now()
	res, err := f.poller.Poll(ctx, src, validators)
	f.metrics.fetchSeconds.WithLabelValues(kindFeed).Observe(f.now().Sub(start).Seconds())
	f.metrics.bytes.WithLabelValues(kindFeed).Add(float64(res.Bytes))
	st.LastPoll = f.now()
	if st.FirstPoll.IsZero() {
		st.FirstPoll = st.LastPoll
	}
	if err != nil {
		// Recorded and counted here, once per poll; the next scheduled poll
		// is the retry. Returning the error would retry within seconds and
		// then dead-letter the poll, which helps nobody with a dead feed.
		class := pollClass(err)
		f.metrics.polls.WithLabelValues(id, class).Inc()
		f.metrics.feedErrors.WithLabelValues(id).Inc()
		f.metrics.feedUp.WithLabelValues(id).Set(0)
		if errors.Is(err, guard.ErrRefused) {
			f.metrics.refused.WithLabelValues(id, kindFeed).Inc()
		}
		st.LastError, st.LastErrorKind, st.LastErrorAt = err.Error(), class, st.LastPoll
		st.ConsecutiveErrors++
		o := cadence.Outcome{Failed: true}
		var se *fetch.StatusError
		if errors.As(err, &se) {
			o.RetryAfter = se.RetryAfter
		}
		f.setCadence(id, &st, o)
		f.log.Warn("source poll failed", "source_id", id, "url", src.URL, "status", class, "next_poll", st.NextPoll, "err", err)
		msg, merr := f.stateMessage(id, st)
		if merr != nil {
			return nil, stage.Permanent(merr)
		}
		return []bus.Message{msg}, nil
	}
	f.countMended(id, res.Mended)
	outcome := outcomeOK
	switch {
	case res.Invalid != "":
		// Broken XML that still gave items: they are queued, but the
		// source is not healthy and says so.
		outcome = outcomeMalformed
		f.metrics.feedErrors.WithLabelValues(id).Inc()
		f.metrics.feedUp.WithLabelValues(id).Set(0)
		st.LastError, st.LastErrorKind, st.LastErrorAt = "malformed xml, items read leniently: "+res.Invalid, outcome, st.LastPoll
		st.ConsecutiveErrors++
	case res.NotModified:
		outcome = outcomeNotModified
		fallthrough
	default:
		st.LastSuccess, st.ConsecutiveErrors = st.LastPoll, 0
		f.metrics.feedUp.WithLabelValues(id).Set(1)
		f.metrics.lastSuccess.WithLabelValues(id).Set(float64(st.LastPoll.Unix()))
	}
	f.metrics.polls.WithLabelValues(id, outcome).Inc()

	outs, n, err := f.queueItems(ctx, src, &st, res)
	if err != nil {
		return nil, err
	}
	if !res.NotModified && res.Invalid == "" {
		// A broken document's validators are not kept: an unchanged broken
		// feed would otherwise look healthy from its next 304 on.
		st.Validators = res.State
	}
	newItems := n.queued
	if st.Deferred > 0 {
		newItems += st.Deferred // more is waiting: keep the pace
	}
	f.setCadence(id, &st, cadence.Outcome{NewItems: newItems, MaxAge: cadence.MaxAge(res.Header, f.now()), TTL: res.TTL})
	msg, err := f.stateMessage(id, st)
	if err != nil {
		return nil, stage.Permanent(err)
	}
	outs = append(outs, msg)
	f.log.Info("source polled", "source_id", id, "outcome", outcome, "items", len(res.Items), "new", n.queued,
		"seen", n.seen, "backlog", len(st.Pending), "deferred", st.Deferred, "bad_links", n.bad+res.Skipped,
		"next_poll", st.NextPoll)
	return outs, nil
}

// counts are what queueItems did with a poll's items.
type counts struct{ queued, seen, bad int }

// queueItems turns a poll's new items into ArticleJobs, as many as the
// source's backlog has room for, and updates st: done jobs leave Pending,
// new ones enter it, and the items left over are counted in Deferred.
//
// An item is queued once: while its id is in Pending it is not queued
// again, however often the source lists it; once it is done, NEWS_SEEN
// keeps it out. A job lost for good (dead-lettered after its retries,
// without a seen mark) leaves Pending after pendingTTL, and a later poll
// that still lists the item queues it again.
func (f *Fetcher) queueItems(ctx context.Context, src Source, st *sourceState, res poll.Result) ([]bus.Message, counts, error) {
	var n counts
	id := src.ID
	now := f.now()
	if st.Pending == nil {
		st.Pending = map[string]int64{}
	}
	for aid, queued := range st.Pending {
		switch _, err := f.seen.Get(ctx, aid); {
		case err == nil:
			delete(st.Pending, aid) // done
		case !errors.Is(err, bus.ErrKeyNotFound):
			return nil, n, fmt.Errorf("source %s: check seen %s: %w", id, aid, err)
		case now.Sub(time.Unix(queued, 0)) > f.cfg.PendingTTL:
			delete(st.Pending, aid) // lost; queued again if still listed
		}
	}
	if res.NotModified {
		f.setBacklogMetrics(id, st)
		return nil, n, nil
	}

	discovered := timestamppb.New(now)
	var outs []bus.Message
	inFeed := make(map[string]bool, len(res.Items))
	st.Deferred = 0
	for _, it := range res.Items {
		aid, canonical, err := articleid.ID(it.Link)
		if err != nil {
			n.bad++
			continue
		}
		if inFeed[aid] {
			continue
		}
		inFeed[aid] = true
		if _, ok := st.Pending[aid]; ok {
			continue
		}
		if len(st.Pending) >= f.cfg.MaxBacklog {
			// Left for a later poll, unexamined: checking each against
			// NEWS_SEEN is exactly the work a full backlog should not do.
			st.Deferred++
			continue
		}
		switch _, err := f.seen.Get(ctx, aid); {
		case err == nil:
			n.seen++
			continue
		case !errors.Is(err, bus.ErrKeyNotFound):
			return nil, n, fmt.Errorf("source %s: check seen %s: %w", id, aid, err)
		}
		aj := &newspipev1.ArticleJob{
			Id: aid, Url: it.Link, CanonicalUrl: canonical, SourceId: id,
			FeedTitle: it.Title, FeedSummary: it.Summary, Authors: it.Authors,
			SourceLang: src.Lang, DiscoveredAt: discovered,
		}
		if !it.Published.IsZero() {
			aj.PublishedAt = timestamppb.New(it.Published)
		}
		data, h, err := events.Marshal(aj)
		if err != nil {
			return nil, n, stage.Permanent(err)
		}
		h[events.HeaderArticleID] = aid
		outs = append(outs, bus.Message{Subject: f.topo.ArticleJobs(), MsgID: "job:" + aid, Header: h, Data: data})
		st.Pending[aid] = now.Unix()
		n.queued++
	}
	st.ItemsSeen += int64(n.queued)
	if n.queued > 0 {
		if !st.LastNewItem.IsZero() {
			st.MeanGap = cadence.Gap(st.MeanGap, now.Sub(st.LastNewItem))
		}
		st.LastNewItem = now
	}
	// Only what happened: a series per source for every zero adds up with
	// thousands of sources.
	for _, c := range []struct {
		vec *prometheus.CounterVec
		n   int
	}{{f.metrics.newItems, n.queued}, {f.metrics.skippedSeen, n.seen}, {f.metrics.badLinks, n.bad + res.Skipped}} {
		if c.n > 0 {
			c.vec.WithLabelValues(id).Add(float64(c.n))
		}
	}
	f.setBacklogMetrics(id, st)
	return outs, n, nil
}

// countMended counts what was repaired in a source's document, and logs it
// once per poll: a feed that lies about its charset is worth knowing of.
func (f *Fetcher) countMended(id string, r mend.Report) {
	var what []string
	for _, c := range []struct {
		name string
		n    int
	}{{"charset", b2i(r.Detected)}, {"invalid_bytes", r.Replaced}, {"control_chars", r.Removed}, {"ampersands", r.Escaped}} {
		if c.n > 0 {
			f.metrics.mended.WithLabelValues(id, c.name).Inc()
			what = append(what, c.name)
		}
	}
	if len(what) > 0 {
		f.log.Info("source document mended", "source_id", id, "repairs", what, "charset", r.Charset, "declared", r.Declared,
			"invalid_bytes", r.Replaced, "control_chars", r.Removed, "ampersands", r.Escaped)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// setCadence sets a source's next poll after one with outcome o, and the
// gauges that follow from its state.
func (f *Fetcher) setCadence(id string, st *sourceState, o cadence.Outcome) {
	p := cadence.Policy{Base: f.interval(id)}
	st.Interval = p.Next(st.Interval, st.ConsecutiveErrors, o, f.jitter())
	st.NextPoll = st.LastPoll.Add(st.Interval)
	f.metrics.nextPoll.WithLabelValues(id).Set(float64(st.NextPoll.Unix()))
	f.metrics.interval.WithLabelValues(id).Set(st.Interval.Seconds())
	f.metrics.stale.WithLabelValues(id).Set(float64(b2i(f.stale(st))))
	if !st.LastNewItem.IsZero() {
		f.metrics.lastNewItem.WithLabelValues(id).Set(float64(st.LastNewItem.Unix()))
	}
}

// stale reports whether the source has been silent longer than it should.
func (f *Fetcher) stale(st *sourceState) bool {
	ref := st.LastNewItem
	if ref.IsZero() {
		ref = st.FirstPoll // never a new item: silent since it was added
	}
	return cadence.Stale(ref, f.now(), st.MeanGap, f.cfg.StaleAfter)
}

func (f *Fetcher) setBacklogMetrics(id string, st *sourceState) {
	f.metrics.backlog.WithLabelValues(id).Set(float64(len(st.Pending)))
	if st.Deferred > 0 {
		f.metrics.deferred.WithLabelValues(id).Set(float64(st.Deferred))
	} else {
		f.metrics.deferred.DeleteLabelValues(id) // absent reads as none
	}
}

// pollClass names a failed poll for the status label: a parser's verdict,
// or the fetch's class.
func pollClass(err error) string {
	switch {
	case errors.Is(err, feed.ErrNotFeed):
		return "not_feed"
	case errors.Is(err, sitemap.ErrNotSitemap):
		return "not_sitemap"
	case errors.Is(err, section.ErrNoLinks):
		return "no_links"
	case errors.Is(err, feed.ErrMalformed), errors.Is(err, sitemap.ErrMalformed):
		return outcomeMalformed
	case errors.Is(err, sitemap.ErrTooLarge):
		return fetch.ClassTooLarge
	}
	return fetch.Class(err)
}
