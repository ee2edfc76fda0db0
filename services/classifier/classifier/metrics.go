package classifier

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

type metrics struct {
	decisions  *prometheus.CounterVec
	topics     *prometheus.CounterVec
	agreements prometheus.Counter
	seconds    prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_classifier_decisions_total", Help: "Articles classified, by relevance (rucn or other).",
		}, []string{"relevance"}),
		topics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_classifier_stories_by_topic_total", Help: "Russia–China technology stories, by primary topic.",
		}, []string{"topic"}),
		agreements: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newspipe_classifier_agreements_detected_total", Help: "Articles reporting a signed Russia–China technology agreement.",
		}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "newspipe_classifier_classify_seconds", Help: "Time to classify one article.",
			Buckets: prometheus.ExponentialBuckets(0.00005, 2.5, 12),
		}),
	}
	reg.MustRegister(m.decisions, m.topics, m.agreements, m.seconds)
	return m
}

func (m *metrics) observe(e *newspipev1.EnrichedArticle) {
	rel := "other"
	if e.RuCnTech {
		rel = "rucn"
		topic := e.PrimaryTopic
		if !slices.Contains(topology.Topics, topic) {
			topic = "other" // keep the label bounded whatever the taxonomy says
		}
		m.topics.WithLabelValues(topic).Inc()
	}
	m.decisions.WithLabelValues(rel).Inc()
	if e.Agreement.GetDetected() {
		m.agreements.Inc()
	}
}
