// Package cleaner is the cleaner stage: it turns each RawArticle on
// news.raw.> into a CleanArticle on news.clean.<lang>, keeping the article and
// dropping the page chrome. The extraction itself is internal/extract, a pure
// function; this package decodes, measures and publishes.
package cleaner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/cleaner/internal/extract"
	"github.com/newspipe/newspipe/services/cleaner/internal/fingerprint"
)

// ErrNoText is returned for a page from which no article text was extracted:
// it is dead-lettered so a person can look at the page.
var ErrNoText = errors.New("cleaner: no article text")

// Config configures the cleaner.
type Config struct {
	// Workers extract concurrently; extraction is CPU-bound, so the default
	// is GOMAXPROCS.
	Workers int
	// MaxBodyBytes refuses larger (decompressed) pages; default 8 MiB.
	MaxBodyBytes int64
}

// Cleaner is the running stage.
type Cleaner struct {
	topo    topology.Topology
	x       *extract.Extractor
	cfg     Config
	metrics *metrics
	runner  *stage.Runner
	now     func() time.Time
}

// New returns a cleaner consuming from b.
func New(b *bus.Bus, cfg Config, reg prometheus.Registerer, sm *stage.Metrics, log *slog.Logger) (*Cleaner, error) {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = topology.DefaultMaxBodyBytes
	}
	c := &Cleaner{
		topo: b.Topology(), cfg: cfg, metrics: newMetrics(reg), now: time.Now,
		x: extract.New(extract.Options{MaxBytes: int(cfg.MaxBodyBytes)}),
	}
	r, err := stage.New(b, stage.Config{
		Stage:   topology.StageCleaner,
		Workers: cfg.Workers,
		// Raw pages are large: bound the client buffer by bytes, not count.
		Consume: bus.ConsumeOptions{MaxBytes: 32 << 20},
	}, c, sm, log)
	if err != nil {
		return nil, err
	}
	c.runner = r
	return c, nil
}

// Run consumes until ctx is done.
func (c *Cleaner) Run(ctx context.Context) error { return c.runner.Run(ctx) }

// Handle cleans one RawArticle.
func (c *Cleaner) Handle(_ context.Context, m *stage.Message) ([]bus.Message, error) {
	var raw newspipev1.RawArticle
	if err := events.Unmarshal(m.Data, m.Header[events.HeaderType], &raw); err != nil {
		return nil, err
	}
	if raw.Id == "" {
		return nil, stage.Permanent(fmt.Errorf("raw article on %s has no id", m.Subject))
	}
	body, err := events.DecodeBody(&raw, c.cfg.MaxBodyBytes)
	if err != nil {
		return nil, stage.Permanent(fmt.Errorf("article %s: %w", raw.Id, err))
	}
	start := time.Now()
	art, err := c.x.Extract(extract.Input{
		Body: body, URL: raw.Url, ContentType: raw.ContentType,
		Text: strings.HasPrefix(strings.ToLower(raw.ContentType), "text/plain"),
	})
	c.metrics.extractSeconds.Observe(time.Since(start).Seconds())
	if err != nil {
		// Extraction is a pure function of the page: retrying cannot help.
		c.metrics.failures.Inc()
		return nil, stage.Permanent(fmt.Errorf("extract article %s: %w", raw.Id, err))
	}
	if len(art.Blocks) == 0 {
		c.metrics.failures.Inc()
		return nil, stage.Permanent(fmt.Errorf("article %s (%s): %w", raw.Id, raw.Url, ErrNoText))
	}
	clean := c.build(&raw, art)
	c.metrics.observe(clean)

	data, h, err := events.Marshal(clean)
	if err != nil {
		return nil, stage.Permanent(err)
	}
	h[events.HeaderArticleID] = clean.Id
	h[events.HeaderLang] = clean.Lang
	return []bus.Message{{Subject: c.topo.Clean(clean.Lang), MsgID: "clean:" + clean.Id, Header: h, Data: data}}, nil
}

// build assembles the CleanArticle from the raw event and the extraction.
// What the page says wins over what the feed said, except where the page is
// silent.
func (c *Cleaner) build(raw *newspipev1.RawArticle, art *extract.Article) *newspipev1.CleanArticle {
	lang := art.Lang
	if lang == "" {
		lang = raw.SourceLang
	}
	if lang == "" {
		lang = "und"
	}
	title := art.Title
	if title == "" {
		title = raw.FeedTitle
	}
	canonical := raw.CanonicalUrl
	if canonical == "" {
		canonical = art.CanonicalURL
	}
	out := &newspipev1.CleanArticle{
		Id: raw.Id, Url: raw.Url, CanonicalUrl: canonical, SourceId: raw.SourceId,
		Title: title, Byline: art.Byline, Lang: lang, SiteName: art.SiteName,
		Paragraphs:  art.Blocks,
		Captions:    art.Captions,
		ContentHash: fingerprint.ContentHash(art.Blocks),
		Simhash:     fingerprint.SimHash(art.Blocks),
		ImageUrl:    art.ImageURL,
		FeedTitle:   raw.FeedTitle, FeedSummary: raw.FeedSummary, Authors: raw.Authors,
		Chrome: &newspipev1.ChromeStats{
			BlocksRemoved: int32(art.Stats.BlocksRemoved), CharsRemoved: int32(art.Stats.CharsRemoved),
			BlocksKept: int32(art.Stats.BlocksKept), CharsKept: int32(art.Stats.CharsKept),
		},
		Times: &newspipev1.StageTimes{FetchedAt: raw.FetchedAt, CleanedAt: timestamppb.New(c.now())},
	}
	if out.Byline == "" && len(raw.Authors) > 0 {
		out.Byline = strings.Join(raw.Authors, ", ")
	}
	switch {
	case !art.Published.IsZero():
		out.PublishedAt = timestamppb.New(art.Published)
	case raw.PublishedAt != nil:
		out.PublishedAt = raw.PublishedAt
	}
	if !art.Modified.IsZero() {
		out.ModifiedAt = timestamppb.New(art.Modified)
	}
	return out
}
