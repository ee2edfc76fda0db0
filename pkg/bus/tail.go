package bus

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// Tail calls fn for each message on subject (wildcards allowed) from the
// stream that holds it, with an ephemeral ordered consumer: from the first
// stored message when fromStart, else only new ones. It returns when ctx is
// done or fn returns false.
func (b *Bus) Tail(ctx context.Context, subject string, fromStart bool, fn func(*Delivery) bool) error {
	stream, err := b.js.StreamNameBySubject(ctx, subject)
	if err != nil {
		return fmt.Errorf("bus: find stream for %s: %w", subject, err)
	}
	policy := jetstream.DeliverNewPolicy
	if fromStart {
		policy = jetstream.DeliverAllPolicy
	}
	c, err := b.js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subject}, DeliverPolicy: policy,
	})
	if err != nil {
		return fmt.Errorf("bus: tail %s: %w", subject, err)
	}
	it, err := c.Messages()
	if err != nil {
		return fmt.Errorf("bus: tail %s: %w", subject, err)
	}
	go func() {
		<-ctx.Done()
		it.Stop()
	}()
	for {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("bus: tail %s: %w", subject, err)
		}
		d := &Delivery{m: m, Subject: m.Subject(), Data: m.Data(), Delivered: 1}
		if md, err := m.Metadata(); err == nil {
			d.StreamSeq = md.Sequence.Stream
			d.Published = md.Timestamp
			d.Pending = md.NumPending
		}
		if !fn(d) {
			it.Stop()
			return nil
		}
	}
}

// DeleteMsg removes the message with sequence seq from the stream holding
// subject (used to clear a dead-letter entry once it has been replayed).
func (b *Bus) DeleteMsg(ctx context.Context, subject string, seq uint64) error {
	stream, err := b.js.StreamNameBySubject(ctx, subject)
	if err != nil {
		return fmt.Errorf("bus: find stream for %s: %w", subject, err)
	}
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("bus: stream %s: %w", stream, err)
	}
	if err := s.DeleteMsg(ctx, seq); err != nil {
		return fmt.Errorf("bus: delete %s #%d: %w", stream, seq, err)
	}
	return nil
}

// Count returns how many messages the stream holding subject stores on it.
func (b *Bus) Count(ctx context.Context, subject string) (uint64, error) {
	stream, err := b.js.StreamNameBySubject(ctx, subject)
	if err != nil {
		return 0, fmt.Errorf("bus: find stream for %s: %w", subject, err)
	}
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("bus: stream %s: %w", stream, err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(subject))
	if err != nil {
		return 0, fmt.Errorf("bus: stream info %s: %w", stream, err)
	}
	var n uint64
	for _, c := range info.State.Subjects {
		n += c
	}
	return n, nil
}

// StreamSeqs returns the first and last sequence numbers of the stream id
// of the topology (StreamRaw…): last counts every message ever stored,
// first says how many of the oldest are gone.
func (b *Bus) StreamSeqs(ctx context.Context, id string) (first, last uint64, err error) {
	name := b.topo.StreamName(id)
	s, err := b.js.Stream(ctx, name) // fetches the stream's info
	if err != nil {
		return 0, 0, fmt.Errorf("bus: stream %s: %w", name, err)
	}
	info := s.CachedInfo()
	return info.State.FirstSeq, info.State.LastSeq, nil
}
