package fetcher

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/articleid"
	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/fetcher/internal/canonical"
	"github.com/newspipe/newspipe/services/fetcher/internal/fetch"
	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
)

// Seen values say why an id is in NEWS_SEEN; any value means "do not fetch".
const (
	seenPublished = "raw"    // the RawArticle is stored
	seenRefused   = "failed" // refused for good; the reason follows
)

// handleArticleJob fetches one page and returns its RawArticle and the
// write that marks the id seen (see the package doc).
func (f *Fetcher) handleArticleJob(ctx context.Context, m *stage.Message) ([]bus.Message, error) {
	var job newspipev1.ArticleJob
	if err := events.Unmarshal(m.Data, m.Header[events.HeaderType], &job); err != nil {
		return nil, err
	}
	if job.Id == "" || job.Url == "" || job.SourceId == "" {
		return nil, stage.Permanent(fmt.Errorf("article job on %s lacks id, url or source id", m.Subject))
	}
	// Only a first delivery may be skipped as seen: on a redelivery, the
	// seen mark may have been stored by the previous attempt without its
	// RawArticle.
	if m.Delivered == 1 {
		switch _, err := f.seen.Get(ctx, job.Id); {
		case err == nil:
			f.metrics.skippedSeen.WithLabelValues(job.SourceId).Inc()
			return nil, nil
		case !errors.Is(err, bus.ErrKeyNotFound):
			return nil, fmt.Errorf("article %s: check seen: %w", job.Id, err)
		}
	}

	fctx, cancel := context.WithTimeout(ctx, f.cfg.JobTimeout)
	defer cancel()
	start := f.now()
	page, err := f.client.Fetch(fctx, job.Url)
	f.metrics.fetchSeconds.WithLabelValues(kindPage).Observe(f.now().Sub(start).Seconds())
	f.metrics.fetches.WithLabelValues(job.SourceId, fetch.Class(err)).Inc()
	if errors.Is(err, guard.ErrRefused) {
		f.metrics.refused.WithLabelValues(job.SourceId, kindPage).Inc()
	}
	if err != nil {
		err = fmt.Errorf("article %s (source %s): %w", job.Id, job.SourceId, err)
		if fetch.Retryable(err) {
			return nil, err
		}
		f.markRefused(ctx, &job, fetch.Class(err))
		return nil, stage.Permanent(err)
	}
	f.metrics.bytes.WithLabelValues(kindPage).Add(float64(len(page.Body)))
	fetchedAt := []byte(seenPublished + " " + page.FetchedAt.UTC().Format(time.RFC3339))

	// The page may say it is another URL's copy (rel=canonical, og:url, a
	// redirect within its site): the article is then that URL's, whichever
	// of its copies a feed listed.
	id, canonicalURL := job.Id, job.CanonicalUrl
	if c := canonicalOf(&job, page); c != "" {
		if cid, ccanon, err := articleid.ID(c); err == nil && cid != job.Id {
			id, canonicalURL = cid, ccanon
			f.metrics.canonicalMoved.WithLabelValues(job.SourceId).Inc()
			if m.Delivered == 1 {
				switch _, err := f.seen.Get(ctx, id); {
				case err == nil:
					// Published already, under its canonical id: this copy
					// is done too, with nothing to publish.
					f.metrics.skippedSeen.WithLabelValues(job.SourceId).Inc()
					return []bus.Message{f.aliasMessage(job.Id, id)}, nil
				case !errors.Is(err, bus.ErrKeyNotFound):
					return nil, fmt.Errorf("article %s: check seen %s: %w", job.Id, id, err)
				}
			}
		}
	}

	raw := &newspipev1.RawArticle{
		Id: id, Url: page.URL, CanonicalUrl: canonicalURL, SourceId: job.SourceId,
		FeedTitle: job.FeedTitle, FeedSummary: job.FeedSummary, PublishedAt: job.PublishedAt,
		Authors: job.Authors, FetchedAt: timestamppb.New(page.FetchedAt), HttpStatus: int32(page.Status),
		ContentType: page.ContentType, Charset: page.Charset, SourceLang: job.SourceLang,
	}
	if err := events.EncodeBody(raw, page.Body); err != nil {
		return nil, stage.Permanent(fmt.Errorf("article %s: %w", job.Id, err))
	}
	data, h, err := events.Marshal(raw)
	if err != nil {
		return nil, stage.Permanent(fmt.Errorf("article %s: %w", job.Id, err))
	}
	if len(data) > f.maxRawBytes {
		// Over the stream's message size even compressed: the server would
		// refuse it on every retry.
		f.markRefused(ctx, &job, "too_large")
		return nil, stage.Permanent(fmt.Errorf("article %s (source %s): %w: %d bytes encoded, stream limit %d",
			job.Id, job.SourceId, fetch.ErrTooLarge, len(data), f.maxRawBytes))
	}
	h[events.HeaderArticleID] = id
	outs := []bus.Message{
		{Subject: f.topo.Raw(job.SourceId), MsgID: "raw:" + id, Header: h, Data: data},
		bus.KVPutMessage(f.topo, topology.BucketSeen, id, fetchedAt, "seen:"+id),
	}
	if id != job.Id {
		outs = append(outs, f.aliasMessage(job.Id, id))
	}
	return outs, nil
}

// aliasMessage marks a copy's id seen, as published under id.
func (f *Fetcher) aliasMessage(copyID, id string) bus.Message {
	return bus.KVPutMessage(f.topo, topology.BucketSeen, copyID, []byte(seenPublished+" as "+id), "seen:"+copyID)
}

// canonicalOf returns the URL a fetched page is a copy of, or "": its
// rel=canonical or og:url, else the URL a redirect within the same site
// led to (canonical.Acceptable says which URLs may stand).
func canonicalOf(job *newspipev1.ArticleJob, page *fetch.Response) string {
	final, err := url.Parse(page.URL)
	if err != nil {
		return ""
	}
	if c := canonical.Find(page.Body, final); c != "" {
		return c
	}
	listed, err := url.Parse(job.Url)
	if err == nil && page.URL != job.Url && canonical.Acceptable(final, listed) {
		return page.URL
	}
	return ""
}

// markRefused marks a page refused for good as seen, so that the next poll
// of its feed does not fetch and dead-letter it again. It runs before the
// loop stores the DLQ entry; if that fails, the job is redelivered, and a
// redelivery ignores seen marks, so the page is not lost to the mark. A
// failed mark is not an error: the next poll simply tries the page again.
func (f *Fetcher) markRefused(ctx context.Context, job *newspipev1.ArticleJob, reason string) {
	if err := f.seen.Put(ctx, job.Id, []byte(seenRefused+" "+reason)); err != nil {
		f.log.Debug("mark refused page seen", "article_id", job.Id, "source_id", job.SourceId, "err", err)
	}
}
