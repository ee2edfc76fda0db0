package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newspipe/newspipe/pkg/topology"
)

// Delivery is one message received from a durable consumer. Exactly one of
// Ack, Nak, NakWithDelay or Term must be called on it.
type Delivery struct {
	m jetstream.Msg
	// Subject is the subject the message was published on.
	Subject string
	// Data is the payload.
	Data []byte
	// Delivered counts deliveries of this message, starting at 1.
	Delivered int
	// StreamSeq is the message's sequence number in its stream.
	StreamSeq uint64
	// Published is when the server stored the message.
	Published time.Time
	// Pending is how many matching messages the stream held after this one
	// when it was delivered (set by Tail; 0 means caught up).
	Pending uint64
}

// Header returns the value of header key, or "".
func (d *Delivery) Header(key string) string { return d.m.Headers().Get(key) }

// Headers returns a copy of all headers, first value of each.
func (d *Delivery) Headers() map[string]string {
	h := d.m.Headers()
	out := make(map[string]string, len(h))
	for k, v := range h {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}

// Ack tells the server the message is done.
func (d *Delivery) Ack() error { return d.m.Ack() }

// Nak asks for redelivery now.
func (d *Delivery) Nak() error { return d.m.Nak() }

// NakWithDelay asks for redelivery after delay.
func (d *Delivery) NakWithDelay(delay time.Duration) error { return d.m.NakWithDelay(delay) }

// InProgress resets the server's redelivery timer for a slow message.
func (d *Delivery) InProgress() error { return d.m.InProgress() }

// Term tells the server never to redeliver the message. It sends a plain
// term, without a reason: nats-server 2.9 ignores a term that carries one
// and redelivers the message at every AckWait. The reason belongs in the
// DLQ entry's headers and the log, where a person looks.
func (d *Delivery) Term() error { return d.m.Term() }

// ConsumeOptions bounds what the client buffers. Set MaxBytes for streams of
// large messages (raw pages): a count alone lets a batch of big pages
// overflow the server's buffers. MaxBytes and MaxMessages are exclusive;
// MaxBytes wins where both are set.
type ConsumeOptions struct {
	MaxMessages int
	MaxBytes    int
}

// Consumer is a durable pull consumer.
type Consumer struct {
	c    jetstream.Consumer
	js   jetstream.JetStream
	spec topology.ConsumerSpec
	// whole is true when the consumer reads every subject of its stream,
	// so that what the stream dropped ahead of it is what it lost.
	whole bool
}

// Consumer creates or updates the durable consumer spec and returns it.
// The server redelivers a message at most spec.MaxDeliver times.
func (b *Bus) Consumer(ctx context.Context, spec topology.ConsumerSpec) (*Consumer, error) {
	c, err := b.js.CreateOrUpdateConsumer(ctx, spec.Stream, jetstream.ConsumerConfig{
		Durable:       spec.Durable,
		FilterSubject: spec.FilterSubject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       spec.AckWait,
		MaxDeliver:    spec.MaxDeliver,
		MaxAckPending: spec.MaxAckPending,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: ensure consumer %s on %s: %w", spec.Durable, spec.Stream, err)
	}
	whole := false
	for _, st := range b.topo.Streams() {
		if st.Name == spec.Stream {
			whole = spec.FilterSubject == "" || (len(st.Subjects) == 1 && st.Subjects[0] == spec.FilterSubject)
		}
	}
	return &Consumer{c: c, js: b.js, spec: spec, whole: whole}, nil
}

// Subscription is a running Consume; Drain stops it.
type Subscription struct {
	cc jetstream.ConsumeContext
}

// Drain stops pulling; messages already buffered are still handed to the
// callback. It returns when the callback will not be called again, or ctx is done.
func (s *Subscription) Drain(ctx context.Context) {
	s.cc.Drain()
	select {
	case <-s.cc.Closed():
	case <-ctx.Done():
		s.cc.Stop()
	}
}

// Consume calls fn for each message, one at a time, from one goroutine.
// fn may block: that is the back-pressure on the pull.
func (c *Consumer) Consume(o ConsumeOptions, fn func(*Delivery), onErr func(error)) (*Subscription, error) {
	var opts []jetstream.PullConsumeOpt
	switch {
	case o.MaxBytes > 0:
		opts = append(opts, jetstream.PullMaxBytes(o.MaxBytes))
	case o.MaxMessages > 0:
		opts = append(opts, jetstream.PullMaxMessages(o.MaxMessages))
	}
	if onErr != nil {
		opts = append(opts, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) { onErr(err) }))
	}
	cc, err := c.c.Consume(func(m jetstream.Msg) {
		d := &Delivery{m: m, Subject: m.Subject(), Data: m.Data(), Delivered: 1}
		if md, err := m.Metadata(); err == nil {
			d.Delivered = int(md.NumDelivered)
			d.StreamSeq = md.Sequence.Stream
			d.Published = md.Timestamp
		}
		fn(d)
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("bus: consume: %w", err)
	}
	return &Subscription{cc: cc}, nil
}

// Pending returns the number of messages not yet delivered plus those
// delivered but not acknowledged.
func (c *Consumer) Pending(ctx context.Context) (uint64, error) {
	info, err := c.c.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("bus: consumer info: %w", err)
	}
	return info.NumPending + uint64(info.NumAckPending), nil
}

// Progress is a consumer's backlog, and what its stream dropped before the
// consumer got to it.
type Progress struct {
	// Pending is the messages not yet delivered plus those delivered and
	// not acknowledged.
	Pending uint64
	// Lost is the messages the stream discarded (full, or too old) that
	// the consumer had not acknowledged: its first sequence has passed the
	// consumer's ack floor. It is counted only for consumers that read
	// their whole stream, and only while the consumer has not yet moved
	// past the gap, so sample it while the backlog lasts.
	Lost uint64
}

// Progress returns the consumer's backlog and loss.
func (c *Consumer) Progress(ctx context.Context) (Progress, error) {
	info, err := c.c.Info(ctx)
	if err != nil {
		return Progress{}, fmt.Errorf("bus: consumer info: %w", err)
	}
	p := Progress{Pending: info.NumPending + uint64(info.NumAckPending)}
	if !c.whole {
		return p, nil
	}
	// Stream fetches the stream's info: one request, read from its cache.
	s, err := c.js.Stream(ctx, c.spec.Stream)
	if err != nil {
		return p, fmt.Errorf("bus: stream %s: %w", c.spec.Stream, err)
	}
	si := s.CachedInfo()
	if first := si.State.FirstSeq; first > info.AckFloor.Stream+1 && si.State.Msgs > 0 {
		p.Lost = first - 1 - info.AckFloor.Stream
	}
	return p, nil
}

// ConsumerState is a durable consumer's progress as the server reports it:
// where a stalled pipeline left its messages.
type ConsumerState struct {
	Stream, Name string
	// Leader is the server that holds the consumer (clustered streams).
	Leader string
	// Pending is how many messages wait to be delivered, AckPending how
	// many are delivered and not yet acknowledged, Redelivered how many of
	// those were delivered more than once, Waiting how many pull requests
	// the server holds.
	Pending                          uint64
	AckPending, Redelivered, Waiting int
}

func (c ConsumerState) String() string {
	return fmt.Sprintf("%s/%s: pending %d, ack pending %d, redelivered %d, waiting pulls %d, leader %q",
		c.Stream, c.Name, c.Pending, c.AckPending, c.Redelivered, c.Waiting, c.Leader)
}

// ConsumerStates returns the state of every consumer of the topology's
// streams.
func (b *Bus) ConsumerStates(ctx context.Context) ([]ConsumerState, error) {
	var out []ConsumerState
	var errs []error
	for _, spec := range b.topo.Streams() {
		s, err := b.js.Stream(ctx, spec.Name)
		if err != nil {
			errs = append(errs, fmt.Errorf("bus: stream %s: %w", spec.Name, err))
			continue
		}
		l := s.ListConsumers(ctx)
		for ci := range l.Info() {
			st := ConsumerState{Stream: spec.Name, Name: ci.Name, Pending: ci.NumPending,
				AckPending: ci.NumAckPending, Redelivered: ci.NumRedelivered, Waiting: ci.NumWaiting}
			if ci.Cluster != nil {
				st.Leader = ci.Cluster.Leader
			}
			out = append(out, st)
		}
		if err := l.Err(); err != nil {
			errs = append(errs, fmt.Errorf("bus: consumers of %s: %w", spec.Name, err))
		}
	}
	return out, errors.Join(errs...)
}
