package sink

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/stage"

	"github.com/newspipe/newspipe/pkg/topology"
)

// Relevance labels of newspipe_sink_stories_stored_total.
const (
	relevanceRuCn  = "rucn"
	relevanceOther = "other"
)

// metrics are the sink's own series; the stage loop counts messages.
type metrics struct {
	stored     *prometheus.CounterVec
	byTopic    *prometheus.CounterVec
	writes     *prometheus.CounterVec
	alerts     prometheus.Counter
	duplicates prometheus.Counter
	latency    prometheus.Histogram
	webhooks   *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		stored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_sink_stories_stored_total",
			Help: "New stories stored, by relevance (rucn: Russia–China technology; other).",
		}, []string{"relevance"}),
		byTopic: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_sink_stories_by_topic_total",
			Help: "New stories stored, by primary topic.",
		}, []string{"topic"}),
		writes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_sink_story_writes_total",
			Help: "Story writes by result: inserted, updated (a later version), unchanged (a redelivery).",
		}, []string{"result"}),
		alerts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newspipe_sink_agreement_alerts_total",
			Help: "Agreement alerts raised: agreement keys claimed for the first time (or again after the window).",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newspipe_sink_agreement_duplicates_total",
			Help: "New stories about an agreement already alerted on, linked to its first article.",
		}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "newspipe_sink_end_to_end_latency_seconds",
			Help:    "Time from an article's fetch to its story being stored.",
			Buckets: stage.LatencyBuckets, // every 25% from 0.5 ms to 1 s, then to about 13 h
		}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_sink_webhook_deliveries_total",
			Help: "Alert webhook deliveries to one endpoint, by outcome: sent, retry (failed, will retry), failed (failed on the last attempt), rejected (refused by the endpoint), skipped (delivered before), expired (too old to send).",
		}, []string{"outcome"}),
	}
	for _, c := range []prometheus.Collector{m.stored, m.byTopic, m.writes, m.alerts, m.duplicates, m.latency, m.webhooks} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	// Known label values start at zero, so rates work from the first story.
	for _, r := range []string{relevanceRuCn, relevanceOther} {
		m.stored.WithLabelValues(r)
	}
	for _, r := range []string{"inserted", "updated", "unchanged"} {
		m.writes.WithLabelValues(r)
	}
	for _, o := range []string{hookSent, hookRetry, hookFailed, hookRejected, hookSkipped, hookExpired} {
		m.webhooks.WithLabelValues(o)
	}
	return m, nil
}

// topicLabel bounds the topic label to the taxonomy's topics: a taxonomy
// file could bring any string, and labels must not grow without bound.
func topicLabel(t string) string {
	switch {
	case t == "":
		return "none"
	case slices.Contains(topology.Topics, t):
		return t
	default:
		return "unlisted"
	}
}
