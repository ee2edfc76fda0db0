package faults_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// filler is the number of off-beat articles beside the demo site's 26: with
// the per-host delay below, the stream takes about 20 s to flow, long enough
// to kill things mid-stream.
const (
	filler       = 240
	perHostDelay = "70ms"
)

// services is the four services as separate processes on one NATS server.
type services struct {
	natsURL                               string
	nats                                  *proc
	fetcher, cleaner, classifier, sinkSvc *proc
	api                                   string
	metrics                               map[string]string // admin address by service
}

func startServices(t *testing.T, s *site, extra ...string) *services {
	t.Helper()
	n, url := natsProc(t)
	sv := startServicesOn(t, s, url, 1, extra...)
	sv.nats = n
	return sv
}

// startServicesOn starts the four services on the NATS server(s) at url,
// with streams of replicas replicas.
func startServicesOn(t *testing.T, s *site, url string, replicas int, extra ...string) *services {
	t.Helper()
	sv := &services{natsURL: url, api: freeAddr(t), metrics: map[string]string{}}
	common := func(name string) []string {
		sv.metrics[name] = freeAddr(t)
		return append([]string{"-nats-url", url, "-metrics-addr", sv.metrics[name], "-log-format", "text", "-log-level", "warn",
			"-shutdown-grace", "5s", "-stream-replicas", fmt.Sprint(replicas)}, extra...)
	}
	// The fetcher reaches the local site only where loopback is allowed.
	env := []string{"FETCH_ALLOW_CIDRS=127.0.0.0/8"}
	sv.sinkSvc = newProc(t, "sink", filepath.Join(binDir, "sink"),
		append(common("sink"), "-store", filepath.Join(t.TempDir(), "newspipe.db"), "-http-addr", sv.api), env)
	sv.classifier = newProc(t, "classifier", filepath.Join(binDir, "classifier"), common("classifier"), env)
	sv.cleaner = newProc(t, "cleaner", filepath.Join(binDir, "cleaner"), common("cleaner"), env)
	sv.fetcher = newProc(t, "fetcher", filepath.Join(binDir, "fetcher"),
		append(common("fetcher"), "-sources", s.sourcesFile, "-poll-interval", "1s", "-per-host-delay", perHostDelay), env)
	for _, p := range []*proc{sv.sinkSvc, sv.classifier, sv.cleaner, sv.fetcher} {
		p.start(t)
	}
	// Cleanups run last first: this one runs while the servers still do,
	// and says where the messages of a failed scenario were left.
	t.Cleanup(func() {
		if t.Failed() {
			logConsumers(t, url)
		}
	})
	return sv
}

// logConsumers logs each durable consumer's state as the server reports it.
func logConsumers(t *testing.T, url string) {
	ctx, cancel := ctxFor(20 * time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, url, topology.Default(), bus.Options{Name: "fault-suite"})
	if err != nil {
		t.Logf("consumers: %v", err)
		return
	}
	defer b.Close()
	states, err := b.ConsumerStates(ctx)
	if err != nil {
		t.Logf("consumers: %v", err)
	}
	for _, c := range states {
		t.Logf("consumer %s", c)
	}
}

// stories returns the ids of the stories the API lists, with repeats.
func stories(api string) ([]string, error) {
	resp, err := http.Get("http://" + api + "/api/stories?limit=500")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/stories: %s", resp.Status)
	}
	var body struct {
		Stories []struct {
			ID string `json:"id"`
		} `json:"stories"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	ids := make([]string, len(body.Stories))
	for i, s := range body.Stories {
		ids[i] = s.ID
	}
	return ids, nil
}

// waitStored waits until the API lists at least n stories and returns how
// many it lists. An API that is down (its sink killed) counts as none.
func waitStored(t *testing.T, api string, n int, within time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(within)
	got := 0
	for time.Now().Before(deadline) {
		checkAlive(t)
		if ids, err := stories(api); err == nil {
			if got = len(ids); got >= n {
				return got
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%d stories within %v, want at least %d", got, within, n)
	return got
}

// resumed waits for the stored count to grow past from and returns how long
// that took: the pipeline's recovery after a fault.
func resumed(t *testing.T, api string, from int, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	waitStored(t, api, from+1, within)
	return time.Since(start)
}

// tally is what users saw at the end of a scenario.
type tally struct {
	stories, dupStories int
	enriched, dupEnrich int
	alerts, dupAlerts   int
	malformed           int                 // undecodable messages on the enriched subjects
	dlq                 map[string][]string // stage -> reasons
}

func (k tally) String() string {
	var dl []string
	for st, rs := range k.dlq {
		dl = append(dl, fmt.Sprintf("%s:%d", st, len(rs)))
	}
	sort.Strings(dl)
	return fmt.Sprintf("stories %d (duplicates %d), enriched events %d (duplicates %d), alerts %d (duplicates %d), DLQ [%s]",
		k.stories, k.dupStories, k.enriched, k.dupEnrich, k.alerts, k.dupAlerts, strings.Join(dl, " "))
}

// count reads the stored stories from the API and, from the streams, every
// enriched event, alert and dead-letter entry users would see.
func count(t *testing.T, natsURL, api string) tally {
	t.Helper()
	var k tally
	ids, err := stories(api)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			k.dupStories++
		}
		seen[id] = true
	}
	k.stories = len(seen)

	ctx, cancel := ctxFor(30 * time.Second)
	defer cancel()
	topo := topology.Default()
	b, err := bus.Connect(ctx, natsURL, topo, bus.Options{Name: "fault-suite"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	perArticle := map[string]int{}
	tail(t, b, topo.AllEnriched(), func(d *bus.Delivery) {
		var e newspipev1.EnrichedArticle
		if err := events.Unmarshal(d.Data, d.Header(events.HeaderType), &e); err != nil {
			k.malformed++ // poison a scenario published there itself
			return
		}
		perArticle[e.GetArticle().GetId()]++
	})
	for _, n := range perArticle {
		k.enriched++
		k.dupEnrich += n - 1
	}
	keys := map[string]int{}
	tail(t, b, topo.AgreementAlerts(), func(d *bus.Delivery) {
		var a newspipev1.AgreementAlert
		if err := events.Unmarshal(d.Data, d.Header(events.HeaderType), &a); err != nil {
			t.Errorf("alert: %v", err)
			return
		}
		keys[a.GetKey()]++
	})
	for _, n := range keys {
		k.alerts++
		k.dupAlerts += n - 1
	}
	k.dlq = map[string][]string{}
	tail(t, b, topo.AllDLQ(), func(d *bus.Delivery) {
		st := d.Header(events.HeaderDLQStage)
		k.dlq[st] = append(k.dlq[st], d.Header(events.HeaderDLQError))
	})
	return k
}

// tail calls fn for every message stored on subject, and returns once it
// has seen the last.
func tail(t *testing.T, b *bus.Bus, subject string, fn func(*bus.Delivery)) {
	t.Helper()
	ctx, cancel := ctxFor(20 * time.Second)
	defer cancel()
	n, err := b.Count(ctx, subject)
	if err != nil {
		t.Fatalf("count %s: %v", subject, err)
	}
	if n == 0 {
		return
	}
	seen := uint64(0)
	if err := b.Tail(ctx, subject, true, func(d *bus.Delivery) bool {
		fn(d)
		seen++
		return seen < n
	}); err != nil && seen < n {
		t.Fatalf("tail %s: read %d of %d: %v", subject, seen, n, err)
	}
}

// check asserts that nothing was lost or duplicated: every article stored
// once, one enriched event each, one alert per deal, and no dead letters
// but those a scenario expects.
func check(t *testing.T, s *site, k tally, wantDLQ map[string]int) {
	t.Helper()
	if k.stories != s.articles || k.dupStories != 0 {
		t.Errorf("stored %d stories (%d duplicates), want %d once each", k.stories, k.dupStories, s.articles)
	}
	if k.enriched != s.articles || k.dupEnrich != 0 {
		t.Errorf("%d articles enriched (%d duplicate events), want %d once each", k.enriched, k.dupEnrich, s.articles)
	}
	if k.alerts != s.deals || k.dupAlerts != 0 {
		t.Errorf("%d alerts (%d duplicates), want %d, one per deal", k.alerts, k.dupAlerts, s.deals)
	}
	for st, rs := range k.dlq {
		if len(rs) != wantDLQ[st] {
			t.Errorf("%d dead letters from %s, want %d: %q", len(rs), st, wantDLQ[st], rs)
		}
	}
	for st, n := range wantDLQ {
		if len(k.dlq[st]) != n {
			t.Errorf("%d dead letters from %s, want %d", len(k.dlq[st]), st, n)
		}
	}
}

// settle waits until every article is stored and a little longer, so that a
// late duplicate would surface before counting.
func settle(t *testing.T, api string, s *site) {
	t.Helper()
	waitStored(t, api, s.articles, 3*time.Minute)
	time.Sleep(3 * time.Second)
}

// SIGKILL each service in turn while articles flow, then restart it: the
// fetcher, the cleaner, the classifier and the sink each die holding
// unacknowledged messages, which the server redelivers.
func TestKillEachService(t *testing.T) {
	s := newSite(t, filler)
	sv := startServices(t, s)
	step := s.articles / 6
	stored := waitStored(t, sv.api, step, 2*time.Minute)
	for i, p := range []*proc{sv.fetcher, sv.cleaner, sv.classifier, sv.sinkSvc} {
		p.kill9(t)
		time.Sleep(500 * time.Millisecond)
		p.start(t)
		rec := resumed(t, sv.api, stored, 90*time.Second)
		t.Logf("%s killed with %d of %d stored; pipeline resumed %.1fs after its restart", p.name, stored, s.articles, rec.Seconds())
		stored = waitStored(t, sv.api, min(s.articles, stored+step), 2*time.Minute)
		if i < 3 && stored >= s.articles {
			t.Logf("every article stored before the next kill: the remaining kills are not mid-stream")
		}
	}
	settle(t, sv.api, s)
	k := count(t, sv.natsURL, sv.api)
	t.Logf("articles in %d: %s", s.articles, k)
	check(t, s, k, nil)
}

// SIGKILL the NATS server mid-stream and start it again on its store: the
// services reconnect, unacknowledged messages are redelivered, publishes
// that got no acknowledgement are retried, and the message ids keep them
// from being stored twice.
func TestKillNATS(t *testing.T) {
	s := newSite(t, filler)
	sv := startServices(t, s)
	stored := waitStored(t, sv.api, s.articles/3, 2*time.Minute)
	sv.nats.kill9(t)
	time.Sleep(time.Second)
	sv.nats.start(t)
	rec := resumed(t, sv.api, stored, 2*time.Minute)
	t.Logf("nats-server killed with %d of %d stored; pipeline resumed %.1fs after its restart", stored, s.articles, rec.Seconds())
	settle(t, sv.api, s)
	k := count(t, sv.natsURL, sv.api)
	t.Logf("articles in %d: %s", s.articles, k)
	check(t, s, k, nil)
}

// SIGKILL the all-in-one three times mid-stream, restarting it on its data
// directory each time.
func TestKillAllInOne(t *testing.T) {
	s := newSite(t, filler)
	dataDir, api := t.TempDir(), freeAddr(t)
	p := newProc(t, "newspipe", filepath.Join(binDir, "newspipe"),
		[]string{"run", "-data-dir", dataDir, "-nats-addr", freeAddr(t), "-http-addr", api, "-sources", s.sourcesFile,
			"-poll-interval", "1s", "-per-host-delay", perHostDelay, "-log-level", "warn"},
		[]string{"FETCH_ALLOW_CIDRS=127.0.0.0/8"})
	p.start(t)
	stored := 0
	for i := 1; i <= 3; i++ {
		stored = waitStored(t, api, s.articles*i/4, 2*time.Minute)
		p.kill9(t)
		p.start(t)
		rec := resumed(t, api, stored, 2*time.Minute)
		t.Logf("kill %d with %d of %d stored; resumed %.1fs after the restart", i, stored, s.articles, rec.Seconds())
	}
	settle(t, api, s)
	url, err := os.ReadFile(filepath.Join(dataDir, "nats.url"))
	if err != nil {
		t.Fatal(err)
	}
	k := count(t, strings.TrimSpace(string(url)), api)
	t.Logf("articles in %d: %s", s.articles, k)
	check(t, s, k, nil)
	if d := p.stop(t, 30*time.Second); d > 10*time.Second {
		t.Errorf("SIGTERM took %v", d)
	}
}

// Poison messages on every stage's input (bytes that are no event, and an
// event without its id) are dead-lettered with their reason, and the
// articles around them still flow.
func TestPoisonMessages(t *testing.T) {
	s := newSite(t, filler/4)
	sv := startServices(t, s)
	waitStored(t, sv.api, 10, 2*time.Minute)
	ctx, cancel := ctxFor(30 * time.Second)
	defer cancel()
	topo := topology.Default()
	b, err := bus.Connect(ctx, sv.natsURL, topo, bus.Options{Name: "poisoner"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	idless, h, err := events.Marshal(&newspipev1.CleanArticle{Title: "An article without an id", Paragraphs: []string{"Text."}})
	if err != nil {
		t.Fatal(err)
	}
	poison := []bus.Message{
		{Subject: topo.FeedJobs(), MsgID: "poison:feed", Data: []byte("\xff\xfe not a feed job")},
		{Subject: topo.ArticleJobs(), MsgID: "poison:job", Data: []byte("\x08\x96\x01\xff")},
		{Subject: topo.Raw("poison"), MsgID: "poison:raw", Data: []byte("<html>not an event</html>")},
		{Subject: topo.Clean("en"), MsgID: "poison:clean", Header: h, Data: idless},
		{Subject: topo.EnrichedOther(), MsgID: "poison:enriched", Data: []byte{0xff, 0xff, 0xff}},
	}
	if err := b.PublishAll(ctx, poison); err != nil {
		t.Fatal(err)
	}
	settle(t, sv.api, s)
	k := count(t, sv.natsURL, sv.api)
	t.Logf("articles in %d, %d poison messages: %s", s.articles, len(poison), k)
	check(t, s, k, map[string]int{
		topology.StageFeed: 1, topology.StageFetch: 1, topology.StageCleaner: 1, topology.StageClassifier: 1, topology.StageSink: 1,
	})
	for st, rs := range k.dlq {
		for _, r := range rs {
			t.Logf("dead letter from %s: %s", st, r)
			if !strings.Contains(r, "malformed") {
				t.Errorf("%s dead letter without a reason a person can act on: %q", st, r)
			}
		}
	}
}

// A three-node JetStream cluster with R3 streams, all services started
// together with it (the cold start that used to exit with "context deadline
// exceeded"), and the leader of the raw-page stream killed mid-stream: the
// pipeline resumes on the two nodes left (the time it took is logged), the
// node rejoins, nothing is lost.
func TestClusterLeaderKilled(t *testing.T) {
	s := newSite(t, filler)
	nodes, url := natsCluster(t)
	sv := startServicesOn(t, s, url, 3)
	stored := waitStored(t, sv.api, s.articles/3, 3*time.Minute)

	ctx, cancel := ctxFor(30 * time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, url, topology.Default(), bus.Options{Name: "fault-suite"})
	if err != nil {
		t.Fatal(err)
	}
	leader, err := b.StreamLeader(ctx, topology.StreamRaw)
	b.Close()
	if err != nil || nodes[leader] == nil {
		t.Fatalf("leader of %s: %q, %v", topology.StreamRaw, leader, err)
	}
	nodes[leader].kill9(t)
	rec := resumed(t, sv.api, stored, 2*time.Minute)
	t.Logf("stream leader %s killed with %d of %d stored; pipeline resumed %.1fs later on two nodes", leader, stored, s.articles, rec.Seconds())
	// How long the stall lasts is a figure, not a pass mark: it depends on
	// the elections of the streams and consumers the node led and on the
	// machine (0–7.5 s in most runs here, 23.5 s once in CI), and a timed
	// assertion would fail on a slow machine with nothing lost. What must
	// hold is below: every article stored, once.
	if rec > 10*time.Second {
		t.Logf("the stall (%v) is over the 10 s aimed at", rec.Round(100*time.Millisecond))
	}
	time.Sleep(2 * time.Second)
	nodes[leader].start(t)
	settle(t, sv.api, s)
	k := count(t, sv.natsURL, sv.api)
	t.Logf("articles in %d: %s", s.articles, k)
	check(t, s, k, nil)
}

// A stream that fills while its stage is down drops its oldest messages:
// JetStream's discard-old policy, which the streams keep so that history
// already consumed never stalls the pipeline. The loss must not be silent:
// the stage, back up, counts every message dropped unprocessed, and what it
// counts plus what it stores is every article.
func TestFullStreamLossIsCounted(t *testing.T) {
	s := newSite(t, filler)
	// 512 KiB of NEWS_RAW holds about half of these pages.
	sv := startServices(t, s, "-stream-max-bytes", "524288", "-max-body-bytes", "262144")
	waitReady(t, sv.metrics["cleaner"])
	sv.cleaner.kill9(t)

	ctx, cancel := ctxFor(3 * time.Minute)
	defer cancel()
	b, err := bus.Connect(ctx, sv.natsURL, topology.Default(), bus.Options{Name: "fault-suite"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var first, last uint64
	for last < uint64(s.articles) {
		if ctx.Err() != nil {
			t.Fatalf("the fetcher stored %d pages in NEWS_RAW, want all %d", last, s.articles)
		}
		time.Sleep(200 * time.Millisecond)
		checkAlive(t)
		if first, last, err = b.StreamSeqs(ctx, topology.StreamRaw); err != nil {
			t.Fatal(err)
		}
	}
	dropped := first - 1
	if dropped == 0 {
		t.Fatalf("NEWS_RAW kept all %d pages: the scenario did not fill it", last)
	}
	sv.cleaner.start(t)
	stored := 0
	var lost float64
	deadline := time.Now().Add(2 * time.Minute)
	for ; time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		checkAlive(t)
		lost = metricValue(t, sv.metrics["cleaner"], `newspipe_stage_lost_messages_total{stage="cleaner"}`)
		if ids, err := stories(sv.api); err == nil {
			stored = len(ids)
		}
		if lost > 0 && stored+int(lost) >= s.articles {
			break
		}
	}
	t.Logf("articles in %d; NEWS_RAW dropped %d while the cleaner was down; the cleaner counted %.0f lost; %d stored", s.articles, dropped, lost, stored)
	if uint64(lost) != dropped {
		t.Errorf("the cleaner counted %.0f messages lost, the stream dropped %d", lost, dropped)
	}
	if stored+int(lost) != s.articles {
		t.Errorf("stored %d + lost %.0f = %d, want every one of %d articles accounted for", stored, lost, stored+int(lost), s.articles)
	}
	if log, _ := os.ReadFile(sv.cleaner.log); !strings.Contains(string(log), "discarded messages this stage had not processed") {
		t.Error("the cleaner did not log the loss")
	}
}

// waitReady waits for a service's /readyz to answer 200.
func waitReady(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		checkAlive(t)
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not ready within a minute", addr)
}

// metricValue reads one series from a service's /metrics; 0 if absent.
func metricValue(t *testing.T, addr, series string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f
		}
	}
	return 0
}
