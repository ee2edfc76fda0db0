package pipeline_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/telemetry"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/classifier/classifier"
	"github.com/newspipe/newspipe/services/cleaner/cleaner"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
	"github.com/newspipe/newspipe/services/sink/sink"
)

// lockedBuffer is a log shared by goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The four services, each connected as its own NATS user with
// topology.Permissions (as the manifests' nats.conf gives them), on streams
// and buckets the provisioner declared (fetcher.Provision), carry the
// demo site's stories from feed to store and their agreement alerts to a
// webhook; then a forged story published by the cleaner's user, and a
// forged alert by the classifier's, are refused by the server and never
// stored. The classifier publishing the same forged story is the control:
// the sink stores it, so a refusal is the permissions at work.
func TestPipelineUnderPerServicePermissions(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
	topo := natstest.Topology()
	sec := natstest.StartSecured(t, topo)
	base := serveDemo(t, "127.0.0.1:0")
	hooks := make(chan string, 256)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case hooks <- string(b):
		default:
		}
	}))
	t.Cleanup(hook.Close)

	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// connect opens a bus as user name, with its inbox prefix; a service's
	// bus is provisioned and finds its streams, as pkg/service.Run does
	// with STREAMS_PROVISIONED.
	connect := func(name string, log *slog.Logger) *bus.Bus {
		t.Helper()
		provisioned := slices.Contains(topology.Services(), name)
		o := bus.Options{Name: name, NKeySeedFile: sec.Seeds[name], Logger: log, PublishTimeout: 2 * time.Second, Provisioned: provisioned}
		if name != natstest.Admin {
			o.InboxPrefix = topology.InboxPrefix(name)
		}
		b, err := bus.Connect(ctx, sec.URL, topo, o)
		if err != nil {
			t.Fatalf("connect as %s: %v", name, err)
		}
		t.Cleanup(b.Close)
		if !provisioned {
			return b
		}
		streams, err := topo.ServiceStreams(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.EnsureStreams(ctx, streams...); err != nil {
			t.Fatalf("%s finds its streams: %v", name, err)
		}
		return b
	}
	// The provisioner declares the streams and buckets, as the fetcher's
	// init container does.
	if err := fetcher.Provision(ctx, connect(topology.Provisioner, log), fetcher.Config{}); err != nil {
		t.Fatalf("provision: %v", err)
	}

	reg := telemetry.NewRegistry()
	sm := stage.NewMetrics(reg)
	f, err := fetcher.New(connect(topology.ServiceFetcher, log), fetcher.Config{
		Sources: demoSources(t, base), PollInterval: 2 * time.Second, PerHostDelay: time.Millisecond,
		AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
	}, reg, sm, log)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := cleaner.New(connect(topology.ServiceCleaner, log), cleaner.Config{Workers: 2}, reg, sm, log)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := classifier.New(connect(topology.ServiceClassifier, log), classifier.Config{Workers: 2}, reg, sm, log)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sink.Open(ctx, filepath.Join(t.TempDir(), "newspipe.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sk, err := sink.New(connect(topology.ServiceSink, log), st, reg, sm, log, sink.Config{
		Webhooks: sink.WebhookConfig{URLs: []string{hook.URL}, Secret: []byte("test-secret")},
	})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(sk.Handler())
	t.Cleanup(api.Close)
	apiAddr := strings.TrimPrefix(api.URL, "http://")

	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, r := range []interface{ Run(context.Context) error }{f, cl, cf, sk} {
		wg.Go(func() {
			if err := r.Run(runCtx); err != nil {
				t.Errorf("stage run: %v", err)
			}
		})
	}
	t.Cleanup(func() { stop(); wg.Wait() })

	// Feed → fetch → clean → classify → store → alert → webhook, each hop
	// under its own user.
	stories := waitStories(t, apiAddr, 10, 90*time.Second)
	select {
	case body := <-hooks:
		if !strings.Contains(body, `"key"`) {
			t.Errorf("webhook body %.200s: not an alert", body)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("no agreement alert reached the webhook (%d stories stored)", len(stories))
	}
	if strings.Contains(logs.String(), "Permissions Violation") {
		t.Errorf("a stage was refused what it needs:\n%s", logs.String())
	}

	adminLog := &lockedBuffer{}
	admin := connect(natstest.Admin, slog.New(slog.NewTextHandler(adminLog, nil)))
	forgerLog := map[string]*lockedBuffer{topology.ServiceCleaner: {}, topology.ServiceClassifier: {}}
	forger := map[string]*bus.Bus{}
	for name, l := range forgerLog {
		forger[name] = connect(name, slog.New(slog.NewTextHandler(l, nil)))
	}

	story := func(id string) bus.Message {
		a := &newspipev1.EnrichedArticle{
			Article: &newspipev1.CleanArticle{
				Id: id, Url: "https://forged.example/" + id, SourceId: "forged", Lang: "en",
				Title: "Forged: Russia and China sign a chip agreement", Paragraphs: []string{"Nothing of this happened."},
				PublishedAt: timestamppb.Now(),
			},
			RuCnTech: true, Score: 9, Topics: []string{"semiconductors"}, PrimaryTopic: "semiconductors",
		}
		data, h, err := events.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		h[events.HeaderArticleID] = id
		return bus.Message{Subject: topo.EnrichedRuCn("x"), MsgID: "enriched:" + id, Header: h, Data: data}
	}
	alert := func(key string) bus.Message {
		data, h, err := events.Marshal(&newspipev1.AgreementAlert{
			Key: key, Parties: []string{"ru", "cn"}, Kind: "agreement", Technology: "semiconductors",
			FirstArticle: &newspipev1.ArticleRef{Id: key, Url: "https://forged.example/" + key}, RaisedAt: timestamppb.Now(),
		})
		if err != nil {
			t.Fatal(err)
		}
		return bus.Message{Subject: topo.AgreementAlerts(), MsgID: "alert:" + key, Header: h, Data: data}
	}
	count := func(subject string) uint64 {
		t.Helper()
		n, err := admin.Count(ctx, subject)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	hasStory := func(id string) bool {
		t.Helper()
		all, err := listStories(t, apiAddr)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all {
			if s.ID == id {
				return true
			}
		}
		return false
	}

	t.Run("forged story from the cleaner", func(t *testing.T) {
		m := story("forged-by-cleaner")
		if err := forger[topology.ServiceCleaner].Publish(ctx, m); err == nil {
			t.Fatalf("the cleaner's user published an EnrichedArticle on %s", m.Subject)
		}
		if n := count(m.Subject); n != 0 {
			t.Errorf("%s holds %d messages after the cleaner's forgery", m.Subject, n)
		}
		if !strings.Contains(forgerLog[topology.ServiceCleaner].String(), "Permissions Violation for Publish") {
			t.Errorf("the server reported no permissions violation:\n%s", forgerLog[topology.ServiceCleaner])
		}
	})
	t.Run("forged alert from the classifier", func(t *testing.T) {
		before := count(topo.AgreementAlerts())
		m := alert("forged-by-classifier")
		if err := forger[topology.ServiceClassifier].Publish(ctx, m); err == nil {
			t.Fatalf("the classifier's user published an AgreementAlert on %s", m.Subject)
		}
		if n := count(topo.AgreementAlerts()); n != before {
			t.Errorf("%s holds %d messages after the classifier's forgery, %d before", m.Subject, n, before)
		}
		if !strings.Contains(forgerLog[topology.ServiceClassifier].String(), "Permissions Violation for Publish") {
			t.Errorf("the server reported no permissions violation:\n%s", forgerLog[topology.ServiceClassifier])
		}
	})
	t.Run("the same story from the classifier is stored", func(t *testing.T) {
		m := story("published-by-classifier")
		if err := forger[topology.ServiceClassifier].Publish(ctx, m); err != nil {
			t.Fatalf("the classifier's user may publish enriched stories: %v", err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for !hasStory("published-by-classifier") {
			if time.Now().After(deadline) {
				t.Fatal("the sink did not store the classifier's story")
			}
			time.Sleep(100 * time.Millisecond)
		}
		if hasStory("forged-by-cleaner") {
			t.Error("the sink stored the cleaner's forged story")
		}
	})
	// Give a forged alert time to be delivered, had it been stored.
	time.Sleep(time.Second)
	for len(hooks) > 0 {
		if body := <-hooks; strings.Contains(body, "forged") {
			t.Errorf("a forged alert reached the webhook: %.200s", body)
		}
	}
}
