package cleaner

import (
	"github.com/prometheus/client_golang/prometheus"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

type metrics struct {
	blocksRemoved  prometheus.Counter
	charsRemoved   prometheus.Counter
	charsKept      prometheus.Counter
	articles       *prometheus.CounterVec
	extractSeconds prometheus.Histogram
	failures       prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		blocksRemoved: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newspipe_cleaner_chrome_blocks_removed_total", Help: "Page blocks removed as chrome.",
		}),
		charsRemoved: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newspipe_cleaner_chrome_chars_removed_total", Help: "Characters of text removed as chrome.",
		}),
		charsKept: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newspipe_cleaner_article_chars_total", Help: "Characters of article text kept.",
		}),
		articles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_cleaner_articles_total", Help: "Articles cleaned, by detected language.",
		}, []string{"lang"}),
		extractSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "newspipe_cleaner_extraction_seconds", Help: "Time to decode, parse and extract one page.",
			Buckets: prometheus.ExponentialBuckets(0.0002, 2, 14),
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newspipe_cleaner_extraction_failures_total", Help: "Pages from which no article could be extracted.",
		}),
	}
	reg.MustRegister(m.blocksRemoved, m.charsRemoved, m.charsKept, m.articles, m.extractSeconds, m.failures)
	return m
}

// langLabels bounds the lang label: anything else counts as "other".
var langLabels = map[string]bool{"en": true, "ru": true, "zh": true, "es": true, "id": true, "und": true}

func (m *metrics) observe(c *newspipev1.CleanArticle) {
	m.blocksRemoved.Add(float64(c.Chrome.GetBlocksRemoved()))
	m.charsRemoved.Add(float64(c.Chrome.GetCharsRemoved()))
	m.charsKept.Add(float64(c.Chrome.GetCharsKept()))
	lang := c.Lang
	if !langLabels[lang] {
		lang = "other"
	}
	m.articles.WithLabelValues(lang).Inc()
}
