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
	neturl "net/url"
	"strings"
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
	// NKeySeedFile is a file holding an nkey seed (a user's private key);
	// the server knows the user by its public key. Empty for none.
	NKeySeedFile string
	// Token is a NATS auth token; empty for none.
	Token string
	// TLSCAFile is a PEM file of the CAs that sign the server's
	// certificate; empty for the system's roots (TLS is used where the URL
	// says tls:// or the server requires it).
	TLSCAFile string
	// TLSCertFile and TLSKeyFile are the PEM client certificate and key,
	// for servers that verify clients; both or neither.
	TLSCertFile, TLSKeyFile string
	// ConnectTimeout bounds the first connection; default 5s.
	ConnectTimeout time.Duration
	// MaxPendingPublishes bounds unacknowledged async publishes; default 4096.
	MaxPendingPublishes int
	// PublishTimeout bounds the wait for the server's acknowledgement of a
	// publish; default 10s. A stream whose leader is lost may never answer:
	// without a bound the publishing worker waits forever while the input's
	// heartbeat keeps it from being redelivered.
	PublishTimeout time.Duration
	// Logger receives connection events; default slog.Default().
	Logger *slog.Logger
	// InboxPrefix is the prefix of the subjects replies come on (API
	// responses, publish acknowledgements, pulled messages); default
	// _INBOX. A NATS user that may subscribe only under its own prefix
	// (topology.InboxPrefix) reads no other client's replies.
	InboxPrefix string
	// Provisioned says the streams and buckets are declared by a user
	// allowed to (topology.Provisioner), before or while this client
	// starts: EnsureStreams and KV then only wait for them to exist. A
	// service's NATS user may not declare them (topology.Permissions).
	Provisioned bool
}

// Bus is a connection to NATS with JetStream. It is safe for concurrent use.
type Bus struct {
	nc         *nats.Conn
	js         jetstream.JetStream
	topo       topology.Topology
	log        *slog.Logger
	pubTimeout time.Duration
	// provisioned: see Options.Provisioned.
	provisioned bool
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
	if o.PublishTimeout <= 0 {
		o.PublishTimeout = 10 * time.Second
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
	if o.NKeySeedFile != "" {
		opt, err := nats.NkeyOptionFromSeed(o.NKeySeedFile)
		if err != nil {
			return nil, fmt.Errorf("bus: nkey seed %s: %w", o.NKeySeedFile, err)
		}
		opts = append(opts, opt)
	}
	if o.InboxPrefix != "" {
		opts = append(opts, nats.CustomInboxPrefix(o.InboxPrefix))
	}
	if o.TLSCAFile != "" {
		opts = append(opts, nats.RootCAs(o.TLSCAFile))
	}
	if (o.TLSCertFile == "") != (o.TLSKeyFile == "") {
		return nil, fmt.Errorf("%w: a TLS client certificate needs both a certificate and a key file", ErrInvalidOption)
	}
	if o.TLSCertFile != "" {
		opts = append(opts, nats.ClientCert(o.TLSCertFile, o.TLSKeyFile))
	}
	var nc *nats.Conn
	var err error
	for attempt := 0; ; attempt++ {
		nc, err = nats.Connect(url, opts...)
		if err == nil {
			break
		}
		if attempt == 0 {
			log.Warn("nats not reachable yet, retrying", "url", RedactURL(url), "err", err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("bus: connect %s: %w", RedactURL(url), err)
		case <-time.After(time.Second):
		}
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(o.MaxPendingPublishes))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("bus: jetstream context: %w", err)
	}
	return &Bus{nc: nc, js: js, topo: t, log: log, pubTimeout: o.PublishTimeout, provisioned: o.Provisioned}, nil
}

// RedactURL returns a NATS URL list (comma-separated) with the passwords
// and tokens of its user info replaced, for logs and errors:
// nats://admin:s3cret@host becomes nats://admin:xxxxx@host.
func RedactURL(urls string) string {
	parts := strings.Split(urls, ",")
	for i, p := range parts {
		u, err := neturl.Parse(strings.TrimSpace(p))
		if err != nil || u.User == nil {
			if strings.Contains(p, "@") { // unparsable but may hold credentials
				parts[i] = "<redacted>"
			}
			continue
		}
		parts[i] = u.Redacted()
		if _, hasPass := u.User.Password(); !hasPass && u.User.Username() != "" {
			// A token alone sits where a user name would.
			u.User = neturl.User("xxxxx")
			parts[i] = u.String()
		}
	}
	return strings.Join(parts, ",")
}

// Topology returns the names this bus was opened with.
func (b *Bus) Topology() topology.Topology { return b.topo }

// URL returns the URL of the connected server, credentials redacted.
func (b *Bus) URL() string { return b.nc.ConnectedUrlRedacted() }

// Connected reports whether the connection is up; used for readiness.
func (b *Bus) Connected() bool { return b.nc.IsConnected() }

// EnsureStreams creates or updates the streams of the topology named by ids
// (topology.Stream*), or every stream when none is named: a service
// declares only the streams it uses (topology.ServiceStreams), as its NATS
// user may change no other. It is idempotent and safe to call from every
// replica at start-up. On a Provisioned bus it declares nothing: it waits
// until the streams exist (or ctx is done). A JetStream
// that cannot serve yet (a cluster still electing its meta leader answers
// with timeouts or "temporarily unavailable") is retried with backoff until
// ctx is done, so services started together with a fresh cluster wait for
// it instead of exiting. It warns where a stream accepts messages larger
// than the server's max_payload, naming what to change.
func (b *Bus) EnsureStreams(ctx context.Context, ids ...string) error {
	streams := b.topo.Streams()
	if len(ids) > 0 {
		streams = streams[:0]
		for _, id := range ids {
			s, ok := b.topo.Stream(id)
			if !ok {
				return fmt.Errorf("bus: ensure streams: no stream %q in the topology", id)
			}
			streams = append(streams, s)
		}
	}
	declare := b.ensureStreams
	if b.provisioned {
		declare = b.awaitStreams
	}
	err := b.retry(ctx, func(ctx context.Context) error { return declare(ctx, streams) })
	if err != nil {
		return err
	}
	max := b.nc.MaxPayload()
	for _, s := range streams {
		if max > 0 && int64(s.MaxMsgSize) > max {
			b.log.Warn("the server accepts smaller messages than this stream: larger ones are dead-lettered",
				"stream", s.Name, "stream_max_msg_size", s.MaxMsgSize, "server_max_payload", max,
				"fix", fmt.Sprintf("set max_payload: %d in the nats-server configuration", s.MaxMsgSize))
		}
	}
	return nil
}

// retry calls fn until it succeeds, fails for good, or ctx is done,
// waiting longer after each transient failure (see transient).
func (b *Bus) retry(ctx context.Context, fn func(context.Context) error) error {
	wait := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := fn(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !transient(err) {
			return err
		}
		b.log.Warn("jetstream not ready, retrying", "attempt", attempt, "retry_in", wait.String(), "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// errNotProvisioned marks a stream or bucket that does not exist yet on a
// Provisioned bus: worth waiting for.
var errNotProvisioned = errors.New("bus: not declared yet by the provisioner")

// awaitStreams returns nil if every stream exists, else an error wrapping
// errNotProvisioned.
func (b *Bus) awaitStreams(ctx context.Context, streams []topology.StreamSpec) error {
	for _, s := range streams {
		_, err := b.js.Stream(ctx, s.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("bus: stream %s: %w", s.Name, errNotProvisioned)
		}
		if err != nil {
			return fmt.Errorf("bus: stream %s: %w", s.Name, err)
		}
	}
	return nil
}

// transient reports whether a JetStream API error may clear by itself: a
// timeout, no responder yet, or the server saying it cannot serve now (a
// cluster without a meta leader, JetStream still starting). A refused
// configuration is not.
func transient(err error) bool {
	if errors.Is(err, errNotProvisioned) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) || errors.Is(err, nats.ErrNoResponders) ||
		errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, nats.ErrConnectionReconnecting) {
		return true
	}
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code == 503 || apiErr.Code == 408 || apiErr.Code == 500
	}
	return false
}

func (b *Bus) ensureStreams(ctx context.Context, streams []topology.StreamSpec) error {
	for _, s := range streams {
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

// StreamLeader returns the name of the server that leads the topology's
// stream id (topology.Stream*) in a cluster, "" on a single server.
func (b *Bus) StreamLeader(ctx context.Context, id string) (string, error) {
	s, err := b.js.Stream(ctx, b.topo.StreamName(id))
	if err != nil {
		return "", fmt.Errorf("bus: stream %s: %w", id, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return "", fmt.Errorf("bus: stream info %s: %w", id, err)
	}
	if info.Cluster == nil {
		return "", nil
	}
	return info.Cluster.Leader, nil
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
	// Last has PublishAll send the message only once every message of the
	// batch without Last is stored. A record of what a batch did (the
	// fetcher's source state, which lists the jobs a poll queued) must
	// never be stored without what it records: after a failover that
	// stored the state but lost a job, the job would be taken for queued
	// and never queued again.
	Last bool
}

// ErrNoMsgID is returned for a publish without a message id: every
// newspipe publish must be deduplicable.
var ErrNoMsgID = errors.New("bus: message has no id")

// ErrInvalidOption is returned by Connect for Options that cannot work
// together.
var ErrInvalidOption = errors.New("bus: invalid option")

// ErrPublishTimeout is returned when the server has not acknowledged a
// publish within the bus's PublishTimeout. The message may or may not be
// stored: publishing it again is safe (its id deduplicates it).
var ErrPublishTimeout = errors.New("bus: no acknowledgement within the publish timeout")

// ErrTooLarge is returned for a message larger than the server accepts
// (its max_payload): no retry can store it.
var ErrTooLarge = errors.New("bus: message larger than the server's max_payload")

// Pending is a publish awaiting the server's acknowledgement.
type Pending struct {
	f       jetstream.PubAckFuture
	err     error
	timeout time.Duration
}

// Wait blocks until the server has stored the message (nil), refused it,
// the publish timeout has passed (ErrPublishTimeout), or ctx is done.
func (p *Pending) Wait(ctx context.Context) error {
	if p.err != nil {
		return p.err
	}
	t := time.NewTimer(p.timeout)
	defer t.Stop()
	select {
	case <-p.f.Ok():
		return nil
	case err := <-p.f.Err():
		return fmt.Errorf("bus: publish %s: %w", p.f.Msg().Subject, err)
	case <-t.C:
		return fmt.Errorf("bus: publish %s: %w (%s)", p.f.Msg().Subject, ErrPublishTimeout, p.timeout)
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
	if max := b.nc.MaxPayload(); max > 0 && int64(len(m.Data)) > max {
		return &Pending{err: fmt.Errorf("bus: publish %s: %d bytes: %w (%d bytes; raise max_payload in the server's configuration)",
			m.Subject, len(m.Data), ErrTooLarge, max)}
	}
	f, err := b.js.PublishMsgAsync(nm, jetstream.WithMsgID(m.MsgID))
	if err != nil {
		if errors.Is(err, nats.ErrMaxPayload) {
			err = fmt.Errorf("%w: %w", ErrTooLarge, err)
		}
		return &Pending{err: fmt.Errorf("bus: publish %s: %w", m.Subject, err)}
	}
	return &Pending{f: f, timeout: b.pubTimeout}
}

// MaxPayload returns the largest message the server accepts, in bytes.
func (b *Bus) MaxPayload() int64 { return b.nc.MaxPayload() }

// Publish sends m and waits for the server's acknowledgement.
func (b *Bus) Publish(ctx context.Context, m Message) error {
	return b.PublishAsync(m).Wait(ctx)
}

// PublishAll sends every message asynchronously and waits for all of them;
// messages marked Last are sent only after all the others are stored, and
// not at all if one of them failed. It returns the first error; the others
// were still awaited, so nothing is left in flight when it returns.
func (b *Bus) PublishAll(ctx context.Context, ms []Message) error {
	var first, last []Message
	for _, m := range ms {
		if m.Last {
			last = append(last, m)
		} else {
			first = append(first, m)
		}
	}
	if err := b.publishBatch(ctx, first); err != nil {
		return err
	}
	return b.publishBatch(ctx, last)
}

func (b *Bus) publishBatch(ctx context.Context, ms []Message) error {
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
	for _, k := range []string{topology.BucketSeen, topology.BucketFeedState, topology.BucketHostBudget} {
		if err := b.js.DeleteKeyValue(ctx, b.topo.Bucket(k)); err != nil && !errors.Is(err, jetstream.ErrBucketNotFound) && first == nil {
			first = fmt.Errorf("bus: delete bucket %s: %w", k, err)
		}
	}
	return first
}
