package fetcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/articleid"
	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/fetcher/internal/feed"
	"github.com/newspipe/newspipe/services/fetcher/internal/fetch"
	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
	"github.com/newspipe/newspipe/services/fetcher/internal/poll"
)

// handleFeedJob polls one feed and returns an ArticleJob per new item, plus
// the feed's new conditional-GET state (see the package doc for why the
// state is an output rather than a write).
func (f *Fetcher) handleFeedJob(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
	var job newspipev1.FeedJob
	if err := events.Unmarshal(m.Data, m.Header[events.HeaderType], &job); err != nil {
		return nil, err
	}
	if job.SourceId == "" || job.FeedUrl == "" {
		return nil, stage.Permanent(fmt.Errorf("feed job on %s lacks source id or feed url", m.Subject))
	}
	id := job.SourceId
	src := f.sources[id]

	// A backlog of polls (the stage was down while a scheduler ran) is
	// worth one poll per source, not one per missed slot.
	if job.ScheduledAt != nil {
		iv := f.interval(id)
		if age := f.now().Sub(job.ScheduledAt.AsTime()); age > max(2*iv, time.Minute) {
			f.metrics.polls.WithLabelValues(id, "stale").Inc()
			return nil, nil
		}
	}

	var st poll.State
	if m.Delivered == 1 {
		var err error
		if st, err = f.loadState(ctx, id); err != nil {
			return nil, err
		}
	}
	// else: a redelivered poll asks without validators, so a 304 cannot
	// hide items whose jobs were lost with the previous attempt.

	start := f.now()
	if src.ID == "" { // a job for a source this replica does not know
		src = Source{ID: id, URL: job.FeedUrl}
	}
	res, err := f.poller.Poll(ctx, src, st)
	f.metrics.fetchSeconds.WithLabelValues(kindFeed).Observe(f.now().Sub(start).Seconds())
	f.metrics.bytes.WithLabelValues(kindFeed).Add(float64(res.Bytes))
	if err != nil {
		// Logged and counted here, once per poll; the next scheduled poll
		// is the retry. Returning the error would retry within seconds and
		// then dead-letter the poll, which helps nobody with a dead feed.
		f.metrics.polls.WithLabelValues(id, pollClass(err)).Inc()
		if errors.Is(err, guard.ErrRefused) {
			f.metrics.refused.WithLabelValues(id, kindFeed).Inc()
		}
		f.metrics.feedErrors.WithLabelValues(id).Inc()
		f.metrics.feedUp.WithLabelValues(id).Set(0)
		f.log.Warn("feed poll failed", "source_id", id, "feed_url", job.FeedUrl, "status", pollClass(err), "err", err)
		return nil, nil
	}
	f.metrics.feedUp.WithLabelValues(id).Set(1)
	f.metrics.lastSuccess.WithLabelValues(id).Set(float64(f.now().Unix()))
	if res.NotModified {
		f.metrics.polls.WithLabelValues(id, "not_modified").Inc()
		f.log.Debug("feed not modified", "source_id", id)
		return nil, nil
	}
	f.metrics.polls.WithLabelValues(id, "ok").Inc()

	discovered := timestamppb.New(f.now())
	var outs []bus.Message
	inFeed := make(map[string]bool, len(res.Items))
	seen, bad := 0, 0
	for _, it := range res.Items {
		aid, canonical, err := articleid.ID(it.Link)
		if err != nil {
			bad++
			continue
		}
		if inFeed[aid] {
			continue
		}
		inFeed[aid] = true
		switch _, err := f.seen.Get(ctx, aid); {
		case err == nil:
			seen++
			continue
		case !errors.Is(err, bus.ErrKeyNotFound):
			return nil, fmt.Errorf("feed %s: check seen %s: %w", id, aid, err)
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
			return nil, stage.Permanent(err)
		}
		h[events.HeaderArticleID] = aid
		outs = append(outs, bus.Message{Subject: f.topo.ArticleJobs(), MsgID: "job:" + aid, Header: h, Data: data})
	}
	f.metrics.newItems.WithLabelValues(id).Add(float64(len(outs)))
	f.metrics.skippedSeen.WithLabelValues(id).Add(float64(seen))
	f.metrics.badLinks.WithLabelValues(id).Add(float64(bad + res.Skipped))

	if res.State != st && !res.State.IsZero() {
		msg, err := f.stateMessage(id, res.State)
		if err != nil {
			return nil, stage.Permanent(err)
		}
		outs = append(outs, msg)
	}
	f.log.Info("feed polled", "source_id", id, "items", len(res.Items), "new", len(outs), "seen", seen, "bad_links", bad+res.Skipped)
	return outs, nil
}

// loadState returns a source's stored conditional-GET state; a missing or
// unreadable value is the empty state (a full poll).
func (f *Fetcher) loadState(ctx context.Context, source string) (poll.State, error) {
	var st poll.State
	v, err := f.state.Get(ctx, source)
	if errors.Is(err, bus.ErrKeyNotFound) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("feed %s: load state: %w", source, err)
	}
	if json.Unmarshal(v, &st) != nil {
		return poll.State{}, nil
	}
	return st, nil
}

// stateMessage is the write of a source's feed state as an output.
func (f *Fetcher) stateMessage(source string, st poll.State) (bus.Message, error) {
	v, err := json.Marshal(st)
	if err != nil {
		return bus.Message{}, fmt.Errorf("feed %s: encode state: %w", source, err)
	}
	return bus.KVPutMessage(f.topo, topology.BucketFeedState, source, v, "feedstate:"+source+":"+shortHash(v)), nil
}

// pollClass names a failed poll for the status label: a parser's verdict,
// or the fetch's class.
func pollClass(err error) string {
	switch {
	case errors.Is(err, feed.ErrNotFeed):
		return "not_feed"
	case errors.Is(err, feed.ErrMalformed):
		return "malformed"
	}
	return fetch.Class(err)
}
