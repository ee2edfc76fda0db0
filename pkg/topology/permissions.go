package topology

import (
	"fmt"
	"slices"
)

// Service names: the four deployable services. In a deployment each is a
// NATS user of its own, whose Permissions let it write only what its
// stages produce.
const (
	ServiceFetcher    = "fetcher"
	ServiceCleaner    = "cleaner"
	ServiceClassifier = "classifier"
	ServiceSink       = "sink"
)

// Services lists the services in pipeline order.
func Services() []string {
	return []string{ServiceFetcher, ServiceCleaner, ServiceClassifier, ServiceSink}
}

// serviceSpec is what one service reads and writes, by identifier; the
// subjects and names come from the Topology, so a namespace is honoured.
type serviceSpec struct {
	// stages are the consuming stages the service runs (each a durable
	// consumer and a dead-letter subject).
	stages []string
	// outputs are the streams the service publishes events to, and on
	// which subjects.
	outputs func(t Topology) map[string][]string
	// buckets are the key-value buckets the service opens, reads and writes.
	buckets []string
}

var services = map[string]serviceSpec{
	ServiceFetcher: {
		stages: []string{StageFeed, StageFetch, StageSubmit},
		// The scheduler queues feed polls, the feed stage article jobs, the
		// fetch stage pages. news.jobs.submit is not the fetcher's to
		// write: users submit there.
		outputs: func(t Topology) map[string][]string {
			return map[string][]string{StreamJobs: {t.FeedJobs(), t.ArticleJobs()}, StreamRaw: {t.AllRaw()}}
		},
		buckets: []string{BucketSeen, BucketFeedState, BucketHostBudget},
	},
	ServiceCleaner: {
		stages:  []string{StageCleaner},
		outputs: func(t Topology) map[string][]string { return map[string][]string{StreamClean: {t.AllClean()}} },
	},
	ServiceClassifier: {
		stages:  []string{StageClassifier},
		outputs: func(t Topology) map[string][]string { return map[string][]string{StreamEnriched: {t.AllEnriched()}} },
	},
	ServiceSink: {
		stages:  []string{StageSink, StageWebhook},
		outputs: func(t Topology) map[string][]string { return map[string][]string{StreamAlerts: {t.AgreementAlerts()}} },
	},
}

// ServiceStages returns the consuming stages a service runs.
func ServiceStages(service string) ([]string, error) {
	s, ok := services[service]
	if !ok {
		return nil, fmt.Errorf("topology: no service %q", service)
	}
	return slices.Clone(s.stages), nil
}

// ServiceStreams returns the identifiers (Stream*) of the streams a service
// uses: those it consumes, those it publishes to, and the dead-letter
// stream. Each service declares them at start (or, provisioned, waits for
// them), so the services may start in any order.
func (t Topology) ServiceStreams(service string) ([]string, error) {
	s, ok := services[service]
	if !ok {
		return nil, fmt.Errorf("topology: no service %q", service)
	}
	var ids []string
	add := func(id string) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, st := range s.stages {
		c, err := t.Consumer(st)
		if err != nil {
			return nil, err
		}
		add(t.streamID(c.Stream))
	}
	for id := range s.outputs(t) {
		add(id)
	}
	add(StreamDLQ)
	// In the order of Streams, so that every listing reads alike.
	var ordered []string
	for _, spec := range t.Streams() {
		if id := t.streamID(spec.Name); slices.Contains(ids, id) {
			ordered = append(ordered, id)
		}
	}
	return ordered, nil
}

// streamID returns the identifier of a namespaced stream name.
func (t Topology) streamID(name string) string {
	for _, id := range []string{StreamJobs, StreamRaw, StreamClean, StreamEnriched, StreamAlerts, StreamDLQ} {
		if t.name(id) == name {
			return id
		}
	}
	return name
}

// Permissions is what one NATS user may do: the subjects it may publish to
// and subscribe to. Everything else is denied (a NATS allow list).
type Permissions struct {
	Publish   []string
	Subscribe []string
}

// JetStream API and protocol subjects, as nats.go's jetstream package
// sends them.
const (
	jsAPI = "$JS.API."
	jsAck = "$JS.ACK."
)

// InboxPrefix is where a user's replies arrive (publish acknowledgements,
// API responses, the messages its pull consumers deliver): a client of
// user connects with it (bus.Options.InboxPrefix), and the user may
// subscribe there only, so that no service reads another's deliveries.
func InboxPrefix(user string) string { return "_INBOX." + Token(user) }

// Provisioner is the NATS user that declares the streams and buckets of a
// deployment whose services may not (bus.Options.Provisioned): the
// fetcher's provision command runs as it, before the services start.
const Provisioner = "provisioner"

// Permissions returns the NATS permissions of a service's user: exactly what
// its stages need, so that it cannot write another service's events (a
// cleaner cannot forge an enriched story, a classifier an alert).
//
// It may publish its output subjects and the dead-letter subjects of its
// own stages; read the configuration of the streams of ServiceStreams and
// of its buckets (they are the Provisioner's to declare: a stream's
// configuration can republish, or source, its messages onto another
// service's subjects, past every publish permission); create, read and pull
// from its own durable consumers and acknowledge their messages; read
// (direct or message get) and write its buckets; and subscribe to reply
// inboxes. It may not declare, delete or purge a stream, create other
// consumers, or publish replies.
func (t Topology) Permissions(service string) (Permissions, error) {
	s, ok := services[service]
	if !ok {
		return Permissions{}, fmt.Errorf("topology: no service %q", service)
	}
	var pub []string
	outs := s.outputs(t)
	for _, spec := range t.Streams() {
		pub = append(pub, outs[t.streamID(spec.Name)]...)
	}
	for _, st := range s.stages {
		pub = append(pub, t.DLQ(st))
	}
	for _, b := range s.buckets {
		pub = append(pub, "$KV."+t.Bucket(b)+".>")
	}
	ids, err := t.ServiceStreams(service)
	if err != nil {
		return Permissions{}, err
	}
	streams := make([]string, 0, len(ids)+len(s.buckets))
	for _, id := range ids {
		streams = append(streams, t.name(id))
	}
	for _, b := range s.buckets {
		streams = append(streams, kvStream(t.Bucket(b)))
	}
	for _, name := range streams {
		pub = append(pub, jsAPI+"STREAM.INFO."+name)
	}
	for _, st := range s.stages {
		c, err := t.Consumer(st)
		if err != nil {
			return Permissions{}, err
		}
		sd := c.Stream + "." + c.Durable
		pub = append(pub,
			// The filter subject is part of the create subject.
			jsAPI+"CONSUMER.CREATE."+sd+".>",
			jsAPI+"CONSUMER.INFO."+sd,
			jsAPI+"CONSUMER.MSG.NEXT."+sd,
			jsAck+sd+".>",
		)
	}
	for _, b := range s.buckets {
		// A bucket's reads are direct gets of the last message on the
		// key's subject; the message get is the fallback where direct
		// gets are off.
		pub = append(pub, jsAPI+"DIRECT.GET."+kvStream(t.Bucket(b))+".>", jsAPI+"STREAM.MSG.GET."+kvStream(t.Bucket(b)))
	}
	return Permissions{Publish: pub, Subscribe: []string{InboxPrefix(service) + ".>"}}, nil
}

// kvStream is the stream that holds a JetStream key-value bucket.
func kvStream(bucket string) string { return "KV_" + bucket }

// ProvisionerPermissions returns the NATS permissions of the Provisioner:
// declare (create or update) and read every stream and bucket of the
// topology. It may publish no event and touch no consumer.
func (t Topology) ProvisionerPermissions() Permissions {
	// Opening a bucket reads the account's JetStream limits first.
	pub := []string{jsAPI + "INFO"}
	var streams []string
	for _, s := range t.Streams() {
		streams = append(streams, s.Name)
	}
	for _, b := range []string{BucketSeen, BucketFeedState, BucketHostBudget} {
		streams = append(streams, kvStream(t.Bucket(b)))
	}
	for _, name := range streams {
		// CreateOrUpdateStream updates first and creates when there is
		// nothing to update.
		pub = append(pub, jsAPI+"STREAM.UPDATE."+name, jsAPI+"STREAM.CREATE."+name, jsAPI+"STREAM.INFO."+name)
	}
	return Permissions{Publish: pub, Subscribe: []string{InboxPrefix(Provisioner) + ".>"}}
}
