// Package bus is newspipe's only door to NATS: it connects, declares the
// streams of a topology, publishes with message ids and waits for the
// server's acknowledgement, runs durable pull consumers, and opens key-value
// buckets. Everything else in newspipe speaks to these types, never to nats.go.
package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newspipe/newspipe/pkg/topology"
)

// Options configures a connection.
type Options struct {
	// Name identifies the client to the server (shown in monitoring).
	Name string
	// CredsFile is a NATS credentials file; empty for none.
	CredsFile string
	// Token is a NATS auth token; empty for none.
	Token string
	// ConnectTimeout bounds the first connection; default 5s.
	ConnectTimeout time.Duration
	// MaxPendingPublishes bounds unacknowledged async publishes; default 4096.
	MaxPendingPublishes int
	// Logger receives connection events; default slog.Default().
	Logger *slog.Logger
}

// Bus is a connection to NATS with JetStream. It is safe for concurrent use.
type Bus struct {
	nc   *nats.Conn
	js   jetstream.JetStream
	topo topology.Topology
	log  *slog.Logger
}

// Connect dials url and returns a Bus for topology t. It retries the first
// connection until ctx is done, so a service started before its NATS server
// waits for it instead of crash-looping.
func Connect(ctx context.Context, url string, t topology.Topology, o Options) (*Bus, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = 5 * time.Second
	}
	if o.MaxPendingPublishes == 0 {
		o.MaxPendingPublishes = 4096
	}
	log := o.Logger.With("component", "bus")
	opts := []nats.Option{
		nats.Name(o.Name),
		nats.Timeout(o.ConnectTimeout),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("nats reconnected", "url", c.ConnectedUrlRedacted()) }),
		nats.ErrorHandler(func(_ *nats.Conn, s *nats.Subscription, err error) {
			subj := ""
			if s != nil {
				subj = s.Subject
			}
			log.Error("nats async error", "subject", subj, "err", err)
		}),
	}
	if o.CredsFile != "" {
		opts = append(opts, nats.UserCredentials(o.CredsFile))
	}
	if o.Token != "" {
		opts = append(opts, nats.Token(o.Token))
	}
	var nc *nats.Conn
	var err error
	for attempt := 0; ; attempt++ {
		nc, err = nats.Connect(url, opts...)
		if err == nil {
			break
		}
		if attempt == 0 {
			log.Warn("nats not reachable yet, retrying", "url", url, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("bus: connect %s: %w", url, err)
		case <-time.After(time.Second):
		}
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(o.MaxPendingPublishes))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("bus: jetstream context: %w", err)
	}
	return &Bus{nc: nc, js: js, topo: t, log: log}, nil
}

// Topology returns the names this bus was opened with.
func (b *Bus) Topology() topology.Topology { return b.topo }

// URL returns the URL of the connected server, credentials redacted.
func (b *Bus) URL() string { return b.nc.ConnectedUrlRedacted() }

// Connected reports whether the connection is up; used for readiness.
func (b *Bus) Connected() bool { return b.nc.IsConnected() }

// EnsureStreams creates or updates every stream of the topology. It is
// idempotent and safe to call from every replica at start-up.
func (b *Bus) EnsureStreams(ctx context.Context) error {
	for _, s := range b.topo.Streams() {
		cfg := jetstream.StreamConfig{
			Name:       s.Name,
			Subjects:   s.Subjects,
			Storage:    jetstream.FileStorage,
			Replicas:   s.Replicas,
			MaxAge:     s.MaxAge,
			MaxBytes:   s.MaxBytes,
			MaxMsgSize: s.MaxMsgSize,
			Duplicates: s.Duplicates,
			Discard:    jetstream.DiscardOld,
		}
		if s.Storage == topology.Memory {
			cfg.Storage = jetstream.MemoryStorage
		}
		if s.Retention == topology.WorkQueue {
			cfg.Retention = jetstream.WorkQueuePolicy
		}
		if cfg.MaxBytes == 0 {
			cfg.MaxBytes = -1
		}
		if _, err := b.js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("bus: ensure stream %s: %w", s.Name, err)
		}
	}
	return nil
}

// Drain stops new work, flushes pending publishes and closes the connection.
// It returns when the connection is closed or ctx is done.
func (b *Bus) Drain(ctx context.Context) error {
	select {
	case <-b.js.PublishAsyncComplete():
	case <-ctx.Done():
	}
	closed := make(chan struct{})
	b.nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
	if err := b.nc.Drain(); err != nil {
		b.nc.Close()
		return fmt.Errorf("bus: drain: %w", err)
	}
	select {
	case <-closed:
		return nil
	case <-ctx.Done():
		b.nc.Close()
		return fmt.Errorf("bus: drain: %w", ctx.Err())
	}
}

// Close closes the connection at once, dropping pending work.
func (b *Bus) Close() { b.nc.Close() }

// Message is an event to publish.
type Message struct {
	Subject string
	// MsgID is the Nats-Msg-Id: a redelivered input that produces the same
	// id within the stream's duplicate window produces no second event.
	MsgID  string
	Header map[string]string
	Data   []byte
}

// ErrNoMsgID is returned for a publish without a message id: every
// newspipe publish must be deduplicable.
var ErrNoMsgID = errors.New("bus: message has no id")

// Pending is a publish awaiting the server's acknowledgement.
type Pending struct {
	f   jetstream.PubAckFuture
	err error
}

// Wait blocks until the server has stored the message (nil), refused it, or
// ctx is done.
func (p *Pending) Wait(ctx context.Context) error {
	if p.err != nil {
		return p.err
	}
	select {
	case <-p.f.Ok():
		return nil
	case err := <-p.f.Err():
		return fmt.Errorf("bus: publish %s: %w", p.f.Msg().Subject, err)
	case <-ctx.Done():
		return fmt.Errorf("bus: publish %s: %w", p.f.Msg().Subject, ctx.Err())
	}
}

// PublishAsync sends m and returns at once; call Wait on the result before
// acknowledging the input that produced m.
func (b *Bus) PublishAsync(m Message) *Pending {
	if m.MsgID == "" {
		return &Pending{err: fmt.Errorf("%w: subject %s", ErrNoMsgID, m.Subject)}
	}
	nm := nats.NewMsg(m.Subject)
	nm.Data = m.Data
	for k, v := range m.Header {
		nm.Header.Set(k, v)
	}
	f, err := b.js.PublishMsgAsync(nm, jetstream.WithMsgID(m.MsgID))
	if err != nil {
		return &Pending{err: fmt.Errorf("bus: publish %s: %w", m.Subject, err)}
	}
	return &Pending{f: f}
}

// Publish sends m and waits for the server's acknowledgement.
func (b *Bus) Publish(ctx context.Context, m Message) error {
	return b.PublishAsync(m).Wait(ctx)
}

// PublishAll sends every message asynchronously and waits for all of them.
// It returns the first error; the others were still awaited, so nothing is
// left in flight when it returns.
func (b *Bus) PublishAll(ctx context.Context, ms []Message) error {
	pending := make([]*Pending, len(ms))
	for i, m := range ms {
		pending[i] = b.PublishAsync(m)
	}
	var first error
	for _, p := range pending {
		if err := p.Wait(ctx); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// DeleteNamespace deletes every stream and bucket of the topology. It refuses
// the default (empty) namespace: it exists for tests on a shared server.
func (b *Bus) DeleteNamespace(ctx context.Context) error {
	if b.topo.Namespace == "" {
		return errors.New("bus: refusing to delete the default namespace")
	}
	var first error
	for _, s := range b.topo.Streams() {
		if err := b.js.DeleteStream(ctx, s.Name); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) && first == nil {
			first = fmt.Errorf("bus: delete stream %s: %w", s.Name, err)
		}
	}
	for _, k := range []string{topology.BucketSeen, topology.BucketFeedState} {
		if err := b.js.DeleteKeyValue(ctx, b.topo.Bucket(k)); err != nil && !errors.Is(err, jetstream.ErrBucketNotFound) && first == nil {
			first = fmt.Errorf("bus: delete bucket %s: %w", k, err)
		}
	}
	return first
}
