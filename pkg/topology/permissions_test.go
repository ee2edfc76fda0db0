package topology_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/topology"
)

// syncBuffer collects a bus's log, where NATS reports a permissions
// violation (asynchronously: the refused publish itself just gets no
// acknowledgement).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type user struct {
	b   *bus.Bus
	log *syncBuffer
}

// connectAs connects as user name; a service's bus is Provisioned.
func connectAs(t *testing.T, sec natstest.Secured, topo topology.Topology, name string) user {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log := &syncBuffer{}
	b, err := bus.Connect(ctx, sec.URL, topo, bus.Options{
		Name: name, NKeySeedFile: sec.Seeds[name], PublishTimeout: 2 * time.Second,
		Logger:      slog.New(slog.NewTextHandler(log, nil)),
		Provisioned: slices.Contains(topology.Services(), name),
		InboxPrefix: topology.InboxPrefix(name),
	})
	if err != nil {
		t.Fatalf("connect as %s: %v", name, err)
	}
	t.Cleanup(b.Close)
	return user{b, log}
}

// concrete returns a subject that subject (which may end in a wildcard) matches.
func concrete(subject string) string {
	if s, ok := strings.CutSuffix(subject, ">"); ok {
		return s + "x"
	}
	return subject
}

// pendingZero waits until c has nothing left to deliver or to be acked.
func pendingZero(t *testing.T, c *bus.Consumer) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		n, err := c.Pending(ctx)
		cancel()
		if err == nil && n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer pending %d (err %v): acks did not get through", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// buckets are the buckets a service opens, with the TTLs the provisioner
// declares them with.
var buckets = map[string]map[string]time.Duration{
	topology.ServiceFetcher: {topology.BucketSeen: 0, topology.BucketFeedState: 0, topology.BucketHostBudget: time.Minute},
}

// On a server whose users have topology.Permissions (in a namespace, so the
// names are derived, not written down), the provisioner declares the
// streams and buckets (creates them, and updates them on a restart), and
// each service's user does all its stages do on the bus: it finds its
// streams (waiting for them if it starts first), opens and uses its
// buckets, creates its consumers, pulls, acknowledges, publishes its events
// and dead-letters; no service may declare a stream, and none can publish
// what another service produces.
func TestPermissions(t *testing.T) {
	topo := natstest.Topology()
	sec := natstest.StartSecured(t, topo)
	admin := connectAs(t, sec, topo, natstest.Admin)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	// The sink starts before the provisioner: it waits.
	early := connectAs(t, sec, topo, topology.ServiceSink)
	waited := make(chan error, 1)
	go func() {
		streams, _ := topo.ServiceStreams(topology.ServiceSink)
		waited <- early.b.EnsureStreams(ctx, streams...)
	}()
	t.Run("provisioner", func(t *testing.T) {
		p := connectAs(t, sec, topo, topology.Provisioner)
		for range 2 { // create, then update as a restart does
			if err := p.b.EnsureStreams(ctx); err != nil {
				t.Fatalf("declare the streams: %v", err)
			}
			for name, ttl := range buckets[topology.ServiceFetcher] {
				if _, err := p.b.KV(ctx, name, ttl); err != nil {
					t.Fatalf("declare bucket %s: %v", name, err)
				}
			}
		}
		if err := p.b.Publish(ctx, bus.Message{Subject: topo.Clean("ru"), MsgID: "p", Data: []byte("p")}); err == nil {
			t.Error("the provisioner published an event")
		}
	})
	if err := <-waited; err != nil {
		t.Fatalf("the sink, started first, did not find its streams: %v", err)
	}

	for _, svc := range topology.Services() {
		t.Run("works/"+svc, func(t *testing.T) {
			u := connectAs(t, sec, topo, svc)
			streams, err := topo.ServiceStreams(svc)
			if err != nil {
				t.Fatal(err)
			}
			if err := u.b.EnsureStreams(ctx, streams...); err != nil {
				t.Fatalf("find streams %v: %v", streams, err)
			}
			for name, ttl := range buckets[svc] {
				kv, err := u.b.KV(ctx, name, ttl)
				if err != nil {
					t.Fatal(err)
				}
				if err := kv.Put(ctx, "k", []byte("v")); err != nil {
					t.Fatal(err)
				}
				if v, err := kv.Get(ctx, "k"); err != nil || string(v) != "v" {
					t.Fatalf("kv get %s: %q, %v", name, v, err)
				}
				if err := kv.Create(ctx, "c", []byte("1")); err != nil {
					t.Fatal(err)
				}
				if err := kv.Create(ctx, "c", []byte("2")); !errors.Is(err, bus.ErrKeyExists) {
					t.Fatalf("kv create of a set key %s: %v, want ErrKeyExists", name, err)
				}
				if err := u.b.Publish(ctx, bus.KVPutMessage(topo, name, "m", []byte("v"), "kv:"+name)); err != nil {
					t.Fatalf("kv put as a message: %v", err)
				}
			}
			perms, _ := topo.Permissions(svc)
			stages, _ := topology.ServiceStages(svc)
			for _, st := range stages {
				spec, _ := topo.Consumer(st)
				c, err := u.b.Consumer(ctx, spec)
				if err != nil {
					t.Fatal(err)
				}
				in := concrete(spec.FilterSubject)
				if err := admin.b.Publish(ctx, bus.Message{Subject: in, MsgID: "in:" + st, Data: []byte(st)}); err != nil {
					t.Fatal(err)
				}
				sub, err := c.Consume(bus.ConsumeOptions{MaxMessages: 16}, func(d *bus.Delivery) {
					if err := d.Ack(); err != nil {
						t.Errorf("ack: %v", err)
					}
				}, func(err error) { t.Logf("%s consume: %v", st, err) })
				if err != nil {
					t.Fatal(err)
				}
				pendingZero(t, c)
				sub.Drain(ctx)
				if err := u.b.Publish(ctx, bus.Message{Subject: topo.DLQ(st), MsgID: "dlq:" + st, Data: []byte("dead")}); err != nil {
					t.Fatalf("dead-letter %s: %v", st, err)
				}
			}
			for _, s := range perms.Publish {
				if strings.HasPrefix(s, "$") {
					continue
				}
				if err := u.b.Publish(ctx, bus.Message{Subject: concrete(s), MsgID: "out:" + s, Data: []byte(svc)}); err != nil {
					t.Fatalf("publish %s: %v", concrete(s), err)
				}
			}
			if strings.Contains(u.log.String(), "Permissions Violation") {
				t.Errorf("permissions violations:\n%s", u.log.String())
			}
		})
	}

	// What each service writes, that no other may.
	owned := map[string][]string{
		topology.ServiceFetcher: {topo.FeedJobs(), topo.ArticleJobs(), topo.Raw("src"), "$KV." + topo.Bucket(topology.BucketSeen) + ".k2",
			topo.DLQ(topology.StageFetch)},
		topology.ServiceCleaner:    {topo.Clean("ru"), topo.DLQ(topology.StageCleaner)},
		topology.ServiceClassifier: {topo.EnrichedRuCn("x"), topo.EnrichedOther(), topo.DLQ(topology.StageClassifier)},
		topology.ServiceSink:       {topo.AgreementAlerts(), topo.DLQ(topology.StageWebhook)},
	}
	type attempt struct {
		user, subject string
	}
	var refused []attempt
	for _, svc := range topology.Services() {
		for owner, subjects := range owned {
			if owner == svc {
				continue
			}
			for _, s := range subjects {
				refused = append(refused, attempt{svc, s})
			}
		}
	}
	// Users may submit URLs; no service may.
	for _, svc := range topology.Services() {
		refused = append(refused, attempt{svc, topo.SubmitJobs()})
	}
	users := map[string]user{}
	for _, svc := range topology.Services() {
		users[svc] = connectAs(t, sec, topo, svc)
	}
	// A stream's configuration can republish or source its messages onto
	// any subject, past the publish permissions: no service may set it.
	t.Run("declare refused", func(t *testing.T) {
		var wg sync.WaitGroup
		for _, svc := range topology.Services() {
			wg.Go(func() {
				log := &syncBuffer{}
				b, err := bus.Connect(ctx, sec.URL, topo, bus.Options{
					NKeySeedFile: sec.Seeds[svc], InboxPrefix: topology.InboxPrefix(svc), Logger: slog.New(slog.NewTextHandler(log, nil)),
				})
				if err != nil {
					t.Error(err)
					return
				}
				defer b.Close()
				streams, _ := topo.ServiceStreams(svc)
				short, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
				defer cancel()
				if err := b.EnsureStreams(short, streams...); err == nil {
					t.Errorf("%s declared its streams", svc)
				}
				if want := `Permissions Violation for Publish to \"$JS.API.STREAM.UPDATE.`; !strings.Contains(log.String(), want) {
					t.Errorf("%s declaring its streams: the server reported no permissions violation", svc)
				}
			})
		}
		wg.Wait()
	})
	// A service reads replies under its own inbox prefix only: not the
	// pulled messages of another's consumers.
	t.Run("other inboxes refused", func(t *testing.T) {
		log := &syncBuffer{}
		b, err := bus.Connect(ctx, sec.URL, topo, bus.Options{
			NKeySeedFile: sec.Seeds[topology.ServiceCleaner], InboxPrefix: topology.InboxPrefix(topology.ServiceSink),
			Provisioned: true, Logger: slog.New(slog.NewTextHandler(log, nil)),
		})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		short, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
		defer cancel()
		if err := b.EnsureStreams(short, topology.StreamRaw); err == nil {
			t.Error("the cleaner got replies in the sink's inbox")
		}
		if want := `Permissions Violation for Subscription to \"_INBOX.sink.`; !strings.Contains(log.String(), want) {
			t.Errorf("the server reported no subscription violation:\n%s", log)
		}
	})
	t.Run("refused", func(t *testing.T) {
		before := map[string]uint64{}
		for _, a := range refused {
			n, err := admin.b.Count(ctx, a.subject)
			if err != nil {
				t.Fatal(err)
			}
			before[a.subject] = n
		}
		// All at once: each refused publish waits out the publish timeout.
		errs := make([]error, len(refused))
		var wg sync.WaitGroup
		for i, a := range refused {
			wg.Go(func() {
				errs[i] = users[a.user].b.Publish(ctx, bus.Message{Subject: a.subject, MsgID: "forged:" + a.user, Data: []byte("forged by " + a.user)})
			})
		}
		wg.Wait()
		for i, a := range refused {
			if errs[i] == nil {
				t.Errorf("%s published on %s", a.user, a.subject)
			}
			if n, err := admin.b.Count(ctx, a.subject); err != nil || n != before[a.subject] {
				t.Errorf("%s: %d messages stored (%v) after a publish by %s, %d before", a.subject, n, err, a.user, before[a.subject])
			}
			// (as the text log quotes it)
			if want := fmt.Sprintf(`Permissions Violation for Publish to \"%s\"`, a.subject); !strings.Contains(users[a.user].log.String(), want) {
				t.Errorf("%s on %s: the server reported no permissions violation", a.user, a.subject)
			}
		}
	})
	// The owners' own publishes on the same subjects are stored, and counted:
	// the refusals above are permissions, not a blind check.
	t.Run("owners", func(t *testing.T) {
		for owner, subjects := range owned {
			for _, s := range subjects {
				if err := users[owner].b.Publish(ctx, bus.Message{Subject: s, MsgID: "owned:" + s, Data: []byte("by " + owner)}); err != nil {
					t.Errorf("%s on its own %s: %v", owner, s, err)
					continue
				}
				if n, err := admin.b.Count(ctx, s); err != nil || n == 0 { // the refused ones added none
					t.Errorf("%s: nothing stored (%v) after a publish by its owner %s", s, err, owner)
				}
			}
		}
	})
}

// Permissions are derived from the topology's names: a namespace moves every
// subject, stream, consumer and bucket, and an unknown service has none.
func TestPermissionsFollowTheNamespace(t *testing.T) {
	tests := []struct {
		name, ns, service string
		want, notWant     []string
	}{
		{"classifier", "", topology.ServiceClassifier,
			[]string{"news.enriched.>", "news.dlq.classifier", "$JS.API.CONSUMER.MSG.NEXT.NEWS_CLEAN.CLASSIFIER", "$JS.ACK.NEWS_CLEAN.CLASSIFIER.>", "$JS.API.STREAM.INFO.NEWS_ENRICHED"},
			[]string{"news.alerts.agreement", "news.clean.>", "$JS.API.STREAM.UPDATE.NEWS_ENRICHED", "$JS.API.STREAM.CREATE.NEWS_ENRICHED", "$JS.API.STREAM.INFO.NEWS_ALERTS", "$JS.API.INFO"}},
		{"namespaced fetcher", "ns1", topology.ServiceFetcher,
			[]string{"ns1.news.raw.>", "ns1.news.jobs.article", "$KV.NS1_NEWS_SEEN.>", "$JS.API.DIRECT.GET.KV_NS1_NEWS_SEEN.>", "$JS.API.STREAM.INFO.KV_NS1_NEWS_HOST_BUDGET", "$JS.API.CONSUMER.CREATE.NS1_NEWS_JOBS.NS1_FEED.>"},
			[]string{"news.raw.>", "ns1.news.jobs.submit", "ns1.news.clean.>", "$JS.API.STREAM.CREATE.KV_NS1_NEWS_HOST_BUDGET"}},
		{"sink", "", topology.ServiceSink,
			[]string{"news.alerts.agreement", "news.dlq.webhook", "news.dlq.sink", "$JS.ACK.NEWS_ALERTS.WEBHOOK.>"},
			[]string{"news.enriched.>", "news.dlq.classifier", "$JS.API.STREAM.INFO.NEWS_CLEAN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := topology.Default().WithNamespace(tc.ns).Permissions(tc.service)
			if err != nil {
				t.Fatal(err)
			}
			set := map[string]bool{}
			for _, s := range p.Publish {
				set[s] = true
			}
			for _, s := range tc.want {
				if !set[s] {
					t.Errorf("publish lacks %s", s)
				}
			}
			for _, s := range tc.notWant {
				if set[s] {
					t.Errorf("publish allows %s", s)
				}
			}
			if want := "_INBOX." + tc.service + ".>"; len(p.Subscribe) != 1 || p.Subscribe[0] != want {
				t.Errorf("subscribe %v, want only %s", p.Subscribe, want)
			}
		})
	}
	p := topology.Default().WithNamespace("ns1").ProvisionerPermissions()
	for _, want := range []string{"$JS.API.INFO", "$JS.API.STREAM.CREATE.NS1_NEWS_ENRICHED", "$JS.API.STREAM.UPDATE.KV_NS1_NEWS_SEEN"} {
		if !slices.Contains(p.Publish, want) {
			t.Errorf("the provisioner may not publish %s", want)
		}
	}
	for _, s := range p.Publish {
		if !strings.HasPrefix(s, "$JS.API.") {
			t.Errorf("the provisioner may publish %s", s)
		}
	}
	if _, err := topology.Default().Permissions("scheduler"); err == nil {
		t.Error("permissions for a service that does not exist")
	}
}
