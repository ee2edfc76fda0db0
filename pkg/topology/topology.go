// Package topology names every NATS JetStream stream, subject, consumer and
// key-value bucket that newspipe uses, in one place.
//
// The names are the contract with users (see DESIGN.md): a user subscribes to
// news.enriched.rucn.> and relies on it. A Topology may carry a Namespace,
// which prefixes every subject and stream name; the default (empty) namespace
// yields exactly the documented names. Namespaces let several pipelines, or
// several tests, share one NATS server without seeing each other's messages.
package topology

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Stream identifiers. Use Topology.Stream to get the full spec.
const (
	StreamJobs     = "NEWS_JOBS"
	StreamRaw      = "NEWS_RAW"
	StreamClean    = "NEWS_CLEAN"
	StreamEnriched = "NEWS_ENRICHED"
	StreamAlerts   = "NEWS_ALERTS"
	StreamDLQ      = "NEWS_DLQ"
)

// Stage names, used in consumer names, DLQ subjects, metrics labels and
// Nats-Msg-Id prefixes.
const (
	StageScheduler  = "scheduler"
	StageFeed       = "feed"
	StageFetch      = "fetch"
	StageSubmit     = "submit"
	StageCleaner    = "cleaner"
	StageClassifier = "classifier"
	StageSink       = "sink"
	// StageWebhook delivers the agreement alerts to webhooks.
	StageWebhook = "webhook"
)

// Key-value buckets.
const (
	BucketSeen      = "NEWS_SEEN"       // article ids the fetcher has published
	BucketFeedState = "NEWS_FEED_STATE" // per-source state: validators, backlog, outcomes, next poll
	// BucketHostBudget holds the per-host request slots the fetcher
	// replicas claim (one key per host and time slot, created once), so a
	// host's request budget holds across replicas. Its keys live minutes.
	BucketHostBudget = "NEWS_HOST_BUDGET"
)

// Agreement novelty is not a bucket: the sink keeps it in its store, in the
// same transaction as the story, so sink replicas sharing PostgreSQL agree on
// one first article.

// Topics are the taxonomy's topic tokens, the <topic> in news.enriched.rucn.<topic>.
var Topics = []string{"telecom", "semiconductors", "ai", "space", "cyber", "defense", "energy", "quantum", "research", "digital", "other"}

// Retention says how a stream keeps messages.
type Retention int

const (
	// Limits keeps messages until MaxAge or MaxBytes evicts them.
	Limits Retention = iota
	// WorkQueue removes a message once it is acked.
	WorkQueue
)

// Storage says where a stream keeps messages.
type Storage int

const (
	// File storage survives restarts.
	File Storage = iota
	// Memory storage is lost on restart.
	Memory
)

// StreamSpec describes one stream.
type StreamSpec struct {
	Name      string
	Subjects  []string
	Retention Retention
	Storage   Storage
	Replicas  int
	MaxAge    time.Duration
	MaxBytes  int64
	// MaxMsgSize bounds one message; larger publishes are refused by the server.
	MaxMsgSize int32
	// Duplicates is the Nats-Msg-Id deduplication window.
	Duplicates time.Duration
}

// ConsumerSpec describes one durable pull consumer.
type ConsumerSpec struct {
	Stream        string
	Durable       string
	FilterSubject string
	// AckWait is how long the server waits for an ack before redelivering.
	// It is short (5s; 30s for the network-bound fetcher stages) so that
	// messages stranded by a replica that died, or by a stopping one on a
	// server older than 2.10 (which may still deliver a pending pull's
	// messages to a closed subscription), are soon redelivered; the stage
	// loop sends InProgress every AckWait/3 while a handler works, so a slow
	// message is not redelivered.
	AckWait    time.Duration
	MaxDeliver int
	// Backoff is the redelivery delay after each failed attempt; the last
	// entry repeats. It is applied with NakWithDelay by the stage loop.
	Backoff       []time.Duration
	MaxAckPending int
}

// DefaultMaxBodyBytes is the page size cap, decompressed, that the fetcher
// and the cleaner apply by default: the one place it is written.
const DefaultMaxBodyBytes = 8 << 20

// MsgSizeFor is the stream message size limit that carries pages of up to
// maxBody bytes. Pages travel gzip-compressed with a few KiB of metadata, so
// a limit equal to the page cap holds every page under it; a page that does
// not compress is cut by the fetcher before it reaches the limit.
func MsgSizeFor(maxBody int64) int32 {
	if maxBody <= 0 {
		maxBody = DefaultMaxBodyBytes
	}
	return int32(min(maxBody, math.MaxInt32))
}

// StreamLimits configures the streams; zero values take the defaults of Default.
type StreamLimits struct {
	Storage  Storage
	Replicas int
	MaxAge   time.Duration
	MaxBytes int64
	// MaxMsgSize bounds one message: MsgSizeFor(the page size cap).
	MaxMsgSize int32
}

// Topology is the set of names for one namespace.
type Topology struct {
	Namespace string
	Limits    StreamLimits
}

// Default returns the single-node topology with the documented names: file
// storage, one replica, a week of history, 1 GiB per stream.
func Default() Topology {
	return Topology{Limits: StreamLimits{Storage: File, Replicas: 1, MaxAge: 7 * 24 * time.Hour, MaxBytes: 1 << 30}}
}

// WithNamespace returns a copy of t whose names are prefixed by ns.
func (t Topology) WithNamespace(ns string) Topology {
	t.Namespace = ns
	return t
}

// Validate reports a namespace or limit that NATS would refuse.
func (t Topology) Validate() error {
	if t.Namespace != "" {
		for _, r := range t.Namespace {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return fmt.Errorf("topology: namespace %q: only a-z, 0-9, '-' and '_' are allowed", t.Namespace)
			}
		}
	}
	if t.Limits.Replicas < 0 || t.Limits.Replicas > 5 {
		return fmt.Errorf("topology: replicas %d: must be 1 to 5", t.Limits.Replicas)
	}
	return nil
}

func (t Topology) subject(s string) string {
	if t.Namespace == "" {
		return s
	}
	return t.Namespace + "." + s
}

func (t Topology) name(s string) string {
	if t.Namespace == "" {
		return s
	}
	return strings.ToUpper(strings.ReplaceAll(t.Namespace, "-", "_")) + "_" + s
}

// Subject names. Tokens from outside (source ids, languages, topics) are
// sanitised by Token so they cannot add subject levels or wildcards.

// FeedJobs is the work-queue subject for feed polls.
func (t Topology) FeedJobs() string { return t.subject("news.jobs.feed") }

// ArticleJobs is the work-queue subject for article fetches.
func (t Topology) ArticleJobs() string { return t.subject("news.jobs.article") }

// SubmitJobs is the work-queue subject for URLs submitted at run time (a
// JSON object {"url": …, "source_id": …, "lang": …} or a bare URL). A
// publish there is acknowledged by JetStream, so `nats req` gets an answer.
func (t Topology) SubmitJobs() string { return t.subject("news.jobs.submit") }

// Raw is the subject of a fetched page from source.
func (t Topology) Raw(source string) string { return t.subject("news.raw." + Token(source)) }

// Clean is the subject of a cleaned article in language lang.
func (t Topology) Clean(lang string) string {
	if lang == "" {
		lang = "und"
	}
	return t.subject("news.clean." + Token(lang))
}

// EnrichedRuCn is the subject of a Russia–China technology story with the
// given primary topic.
func (t Topology) EnrichedRuCn(topic string) string {
	if topic == "" {
		topic = "other"
	}
	return t.subject("news.enriched.rucn." + Token(topic))
}

// EnrichedOther is the subject of every other classified story.
func (t Topology) EnrichedOther() string { return t.subject("news.enriched.other") }

// AgreementAlerts is the subject of new-agreement alerts.
func (t Topology) AgreementAlerts() string { return t.subject("news.alerts.agreement") }

// DLQ is the dead-letter subject of a stage.
func (t Topology) DLQ(stage string) string { return t.subject("news.dlq." + Token(stage)) }

// Wildcards for consumers and subscribers.

// AllRaw matches every raw subject.
func (t Topology) AllRaw() string { return t.subject("news.raw.>") }

// AllClean matches every clean subject.
func (t Topology) AllClean() string { return t.subject("news.clean.>") }

// Stages lists the stages that consume a stream, and so may dead-letter
// (the scheduler publishes only).
func Stages() []string {
	return []string{StageFeed, StageSubmit, StageFetch, StageCleaner, StageClassifier, StageSink, StageWebhook}
}

// AllDLQ matches every stage's dead-letter subject.
func (t Topology) AllDLQ() string { return t.subject("news.dlq.>") }

// AllEnriched matches every enriched subject.
func (t Topology) AllEnriched() string { return t.subject("news.enriched.>") }

// Bucket returns the namespaced name of a key-value bucket.
func (t Topology) Bucket(b string) string { return t.name(b) }

// StreamName returns the namespaced name of a stream identifier.
func (t Topology) StreamName(id string) string { return t.name(id) }

// Streams returns every stream the pipeline needs.
func (t Topology) Streams() []StreamSpec {
	l := t.Limits
	if l.Replicas == 0 {
		l.Replicas = 1
	}
	if l.MaxMsgSize <= 0 {
		l.MaxMsgSize = MsgSizeFor(DefaultMaxBodyBytes)
	}
	mk := func(id string, subjects ...string) StreamSpec {
		return StreamSpec{
			Name: t.name(id), Subjects: subjects, Storage: l.Storage, Replicas: l.Replicas,
			MaxAge: l.MaxAge, MaxBytes: l.MaxBytes, Duplicates: 2 * time.Minute, MaxMsgSize: l.MaxMsgSize,
		}
	}
	jobs := mk(StreamJobs, t.FeedJobs(), t.ArticleJobs(), t.SubmitJobs())
	jobs.Retention = WorkQueue
	return []StreamSpec{
		jobs,
		mk(StreamRaw, t.AllRaw()),
		mk(StreamClean, t.AllClean()),
		mk(StreamEnriched, t.AllEnriched()),
		mk(StreamAlerts, t.AgreementAlerts()),
		mk(StreamDLQ, t.subject("news.dlq.>")),
	}
}

// Stream returns the spec of the stream identified by id (Stream*).
func (t Topology) Stream(id string) (StreamSpec, bool) {
	for _, s := range t.Streams() {
		if s.Name == t.name(id) {
			return s, true
		}
	}
	return StreamSpec{}, false
}

// defaultBackoff is the redelivery schedule for retryable failures.
var defaultBackoff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}

// Consumer returns the durable consumer of a stage.
func (t Topology) Consumer(stage string) (ConsumerSpec, error) {
	c := ConsumerSpec{
		Durable: t.name(strings.ToUpper(stage)), AckWait: 5 * time.Second, MaxDeliver: 5,
		Backoff: append([]time.Duration(nil), defaultBackoff...), MaxAckPending: 256,
	}
	switch stage {
	case StageFeed:
		c.Stream, c.FilterSubject = t.name(StreamJobs), t.FeedJobs()
		c.AckWait = 30 * time.Second // network-bound: a job may wait for its host's turn
	case StageFetch:
		c.Stream, c.FilterSubject = t.name(StreamJobs), t.ArticleJobs()
		c.AckWait = 30 * time.Second
	case StageSubmit:
		c.Stream, c.FilterSubject = t.name(StreamJobs), t.SubmitJobs()
	case StageCleaner:
		c.Stream, c.FilterSubject = t.name(StreamRaw), t.AllRaw()
	case StageClassifier:
		c.Stream, c.FilterSubject = t.name(StreamClean), t.AllClean()
	case StageSink:
		c.Stream, c.FilterSubject = t.name(StreamEnriched), t.AllEnriched()
	case StageWebhook:
		c.Stream, c.FilterSubject = t.name(StreamAlerts), t.AgreementAlerts()
		c.AckWait = 30 * time.Second // network-bound: a receiver may be slow to answer
	default:
		return ConsumerSpec{}, fmt.Errorf("topology: no consumer for stage %q", stage)
	}
	return c, nil
}

// Token makes s safe as one subject token: lower case, and every character
// other than a-z, 0-9, '-' and '_' replaced by '_'.
func Token(s string) string {
	if s == "" {
		return "_"
	}
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}
