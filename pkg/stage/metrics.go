package stage

import "github.com/prometheus/client_golang/prometheus"

// Outcome labels of newspipe_stage_messages_total.
const (
	OutcomeOK         = "ok"          // handled, outputs stored, input acked
	OutcomeRetry      = "retry"       // failed, redelivery asked for with backoff
	OutcomeDeadLetter = "dead_letter" // parked in NEWS_DLQ and terminated
	OutcomeShutdown   = "shutdown"    // handed back (nak) during shutdown
	OutcomeDLQFailed  = "dlq_failed"  // could not even be dead-lettered; redelivered later
)

// Metrics are the stage loop's metrics, shared by every stage of a process
// and told apart by the stage label.
type Metrics struct {
	messages  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	dlq       *prometheus.CounterVec
	pending   *prometheus.GaugeVec
	lost      *prometheus.CounterVec
	published *prometheus.CounterVec
	inFlight  *prometheus.GaugeVec
}

// LatencyBuckets are the bounds, in seconds, of newspipe's latency
// histograms: every 25% from 0.5 ms to 1 s, where a stage's and the
// pipeline's times fall and quantiles must be readable, then coarser up to
// about 6 h for stories that waited out retries or an outage.
var LatencyBuckets = append(prometheus.ExponentialBucketsRange(0.0005, 1, 35), prometheus.ExponentialBuckets(2, 2.5, 12)...)

// NewMetrics registers the stage loop's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_stage_messages_total",
			Help: "Messages processed, by stage and outcome.",
		}, []string{"stage", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newspipe_stage_processing_seconds",
			Help:    "Time to handle one message and store its outputs, by stage.",
			Buckets: LatencyBuckets,
		}, []string{"stage"}),
		dlq: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_dlq_messages_total",
			Help: "Messages parked in NEWS_DLQ, by stage.",
		}, []string{"stage"}),
		pending: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newspipe_consumer_pending_messages",
			Help: "Messages waiting for or awaiting acknowledgement by a stage's consumer.",
		}, []string{"stage"}),
		lost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_stage_lost_messages_total",
			Help: "Messages the stream discarded (full, or past its max age) before the stage processed them, by stage.",
		}, []string{"stage"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newspipe_stage_published_total",
			Help: "Events published by a stage and acknowledged by JetStream.",
		}, []string{"stage"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newspipe_stage_in_flight_messages",
			Help: "Messages a stage is handling right now.",
		}, []string{"stage"}),
	}
	reg.MustRegister(m.messages, m.duration, m.dlq, m.pending, m.lost, m.published, m.inFlight)
	return m
}
