// Package classifier is the classifier stage: it tags each CleanArticle on
// news.clean.> and publishes an EnrichedArticle on news.enriched.rucn.<topic>
// (Russia–China technology stories) or news.enriched.other. The tagging is
// internal/classify, a pure function of the text and the taxonomy.
package classifier

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/classifier/internal/classify"
	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// Config configures the classifier.
type Config struct {
	// TaxonomyFile overrides the embedded default taxonomy.
	TaxonomyFile string
	// Workers classify concurrently; default GOMAXPROCS.
	Workers int
}

// Classifier is the running stage.
type Classifier struct {
	topo    topology.Topology
	c       *classify.Classifier
	metrics *metrics
	runner  *stage.Runner
	now     func() time.Time
}

// LoadTaxonomy returns the taxonomy of file, or the embedded default when
// file is empty.
func LoadTaxonomy(file string) (*taxonomy.Taxonomy, error) {
	if file == "" {
		return taxonomy.Default()
	}
	return taxonomy.LoadFile(file)
}

// New returns a classifier consuming from b.
func New(b *bus.Bus, cfg Config, reg prometheus.Registerer, sm *stage.Metrics, log *slog.Logger) (*Classifier, error) {
	tax, err := LoadTaxonomy(cfg.TaxonomyFile)
	if err != nil {
		return nil, err
	}
	cl, err := classify.New(tax)
	if err != nil {
		return nil, err
	}
	c := &Classifier{topo: b.Topology(), c: cl, metrics: newMetrics(reg), now: time.Now}
	r, err := stage.New(b, stage.Config{Stage: topology.StageClassifier, Workers: cfg.Workers}, c, sm, log)
	if err != nil {
		return nil, err
	}
	c.runner = r
	log.Info("taxonomy loaded", "version", tax.Version, "patterns", cl.Patterns())
	return c, nil
}

// Run consumes until ctx is done.
func (c *Classifier) Run(ctx context.Context) error { return c.runner.Run(ctx) }

// Handle classifies one CleanArticle.
func (c *Classifier) Handle(_ context.Context, m *stage.Message) ([]bus.Message, error) {
	var in newspipev1.CleanArticle
	if err := events.Unmarshal(m.Data, m.Header[events.HeaderType], &in); err != nil {
		return nil, err
	}
	start := time.Now()
	res := c.c.Classify(DocumentOf(&in))
	c.metrics.seconds.Observe(time.Since(start).Seconds())

	out := Enrich(&in, res, c.now())
	c.metrics.observe(out)
	data, h, err := events.Marshal(out)
	if err != nil {
		return nil, stage.Permanent(err)
	}
	subject := c.topo.EnrichedOther()
	if out.RuCnTech {
		subject = c.topo.EnrichedRuCn(out.PrimaryTopic)
	}
	h[events.HeaderArticleID] = in.Id
	h[events.HeaderLang] = in.Lang
	h[events.HeaderTopics] = strings.Join(out.Topics, ",")
	h[events.HeaderRuCn] = strconv.FormatBool(out.RuCnTech)
	h[events.HeaderAgreement] = strconv.FormatBool(out.Agreement.GetDetected())
	h[events.HeaderTaxonomy] = out.TaxonomyVersion
	return []bus.Message{{Subject: subject, MsgID: "enriched:" + in.Id, Header: h, Data: data}}, nil
}

// DocumentOf is the document the classifier reads of a clean article: its
// title, its paragraphs, its language (detected where the cleaner could not
// tell, "und") and its publication time, which dates recalls of old deals
// against the story's own time. bin/classifier tag reads the cleaner's
// offline output the same way (classify.PageMeta).
func DocumentOf(in *newspipev1.CleanArticle) classify.Document {
	lang := in.Lang
	if lang == "und" {
		lang = ""
	}
	doc := classify.Document{Title: in.Title, Text: strings.Join(in.Paragraphs, "\n"), Lang: lang}
	if in.PublishedAt != nil {
		doc.Published = in.PublishedAt.AsTime()
	}
	return doc
}

// Enrich builds the EnrichedArticle event from a clean article and its
// classification.
func Enrich(in *newspipev1.CleanArticle, res classify.Result, now time.Time) *newspipev1.EnrichedArticle {
	out := &newspipev1.EnrichedArticle{
		Article:         in,
		RuCnTech:        res.RuCnTech,
		Score:           res.Score,
		Topics:          res.Topics,
		PrimaryTopic:    "other",
		TaxonomyVersion: res.TaxonomyVersion,
	}
	if res.RuCnTech {
		out.PrimaryTopic = res.PrimaryTopic()
	}
	for _, t := range res.TopicScores {
		out.TopicScores = append(out.TopicScores, &newspipev1.TopicScore{Name: t.Name, Score: t.Score})
	}
	for _, e := range res.Entities {
		out.Entities = append(out.Entities, &newspipev1.Entity{Id: e.ID, Name: e.Name, Kind: e.Kind, Country: e.Country, Count: int32(e.Count)})
	}
	for _, e := range res.Evidence {
		out.Evidence = append(out.Evidence, &newspipev1.Evidence{Tag: e.Tag, Sentence: e.Sentence})
	}
	out.Agreement = AgreementProto(res.Agreement)
	times := &newspipev1.StageTimes{ClassifiedAt: timestamppb.New(now)}
	if in.Times != nil {
		times.FetchedAt, times.CleanedAt = in.Times.FetchedAt, in.Times.CleanedAt
	}
	out.Times = times
	return out
}

// AgreementProto returns the event form of an agreement; a detected one
// carries its deal, field by field.
func AgreementProto(a classify.Agreement) *newspipev1.Agreement {
	out := &newspipev1.Agreement{
		Detected: a.Detected, Stage: a.Stage, Kind: a.Kind, Parties: a.Parties,
		Technology: a.Technology, Subject: a.Subject, Date: a.Date, Evidence: a.Evidence, Key: a.Key,
	}
	if !a.Detected {
		return out
	}
	out.Deal = &newspipev1.Deal{
		Cn: partiesProto(a.CN), Ru: partiesProto(a.RU), Kind: a.Kind,
		Technology: a.Technology, Subject: a.Subject, SignedOn: a.Date,
	}
	return out
}

func partiesProto(ps []classify.Party) []*newspipev1.Party {
	out := make([]*newspipev1.Party, 0, len(ps))
	for _, p := range ps {
		out = append(out, &newspipev1.Party{Id: p.ID, Name: p.Name, Group: p.Group})
	}
	return out
}
