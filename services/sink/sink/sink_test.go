package sink_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/storetest"
	"github.com/newspipe/newspipe/services/sink/internal/webhook"
	"github.com/newspipe/newspipe/services/sink/sink"
)

// dealKey is the classifier's key of the component test's deals: coarse on
// purpose, so that Huawei's deal reported with "Russia" and with MTS shares
// it, and so does Huawei's different deal with NTI.
const dealKey = "rucn:huawei+ru/telecom"

// lunarKey and navKey are the keys of CNSA's lunar and navigation deals as
// their first reports have them.
const (
	lunarKey = "rucn:cnsa+ru/space/lunar"
	navKey   = "rucn:cnsa+ru/space/navigation"
)

// published is when the test's stories came out (enriched): an hour
// before they are fetched, moments before the test sends them.
func published() time.Time { return time.Now().Add(-3*time.Second - time.Hour) }

// alertKey is the alert key of the first claim of an agreement key: the key
// and the month of its deal, the stories' publication (see the store).
func alertKey(key string) string { return key + "@" + published().UTC().Format("2006-01") }

// nextDealKey is the alert key of the NTI deal, the key's second agreement
// in the month.
func nextDealKey() string { return alertKey(dealKey) + "~2" }

// The stories of the component test, written for it: one deal reported in
// English (naming only Russia) and then in Indonesian (naming MTS), a
// different deal of the same key reported in Russian, and a story off the
// beat.
func enArticle() *newspipev1.EnrichedArticle {
	return enriched("en1", "en", "Huawei signs 5G equipment agreement with Russia", dealKey, "huawei", "ru")
}

func mtsArticle() *newspipev1.EnrichedArticle {
	return enriched("id1", "id", "Huawei teken kontrak 5G dengan MTS", dealKey, "huawei", "mts")
}

func ntiArticle() *newspipev1.EnrichedArticle {
	return enriched("ru2", "ru", "Huawei и НТИ подписали соглашение о сетях 5G", dealKey, "huawei", "nti")
}

// CNSA's lunar deal reported in Chinese, then in Russian naming only
// Roscosmos (so keyed by it), its navigation deal with Roscosmos in
// English, and an Indonesian report of a CNSA space deal that names no
// subject.
func lunarArticle() *newspipev1.EnrichedArticle {
	return spaceDeal(enriched("zh1", "zh", "中俄签署月球科研站合作协议", lunarKey, "cnsa", "ru"), "lunar")
}

func lunarRuArticle() *newspipev1.EnrichedArticle {
	return spaceDeal(enriched("ru3", "ru", "Роскосмос подписал соглашение о лунной станции", "rucn:cn+roscosmos/space/lunar",
		"cn", "roscosmos"), "lunar")
}

func navArticle() *newspipev1.EnrichedArticle {
	return spaceDeal(enriched("en2", "en", "CNSA and Roscosmos sign satellite navigation agreement", navKey,
		"cnsa", "roscosmos"), "navigation")
}

func vagueSpaceArticle() *newspipev1.EnrichedArticle {
	return spaceDeal(enriched("id2", "id", "CNSA teken perjanjian antariksa dengan Rusia", "rucn:cnsa+ru/space",
		"cnsa", "ru"), "")
}

// spaceDeal makes a a space story whose agreement is about subject.
func spaceDeal(a *newspipev1.EnrichedArticle, subject string) *newspipev1.EnrichedArticle {
	a.Topics, a.PrimaryTopic = []string{"space"}, "space"
	a.Agreement.Technology, a.Agreement.Subject = "space", subject
	return a
}

func otherArticle() *newspipev1.EnrichedArticle {
	a := enriched("es1", "es", "El club local gana la copa regional", "")
	a.RuCnTech, a.Score, a.Topics, a.PrimaryTopic = false, 0.02, nil, ""
	return a
}

func enriched(id, lang, title, key string, parties ...string) *newspipev1.EnrichedArticle {
	fetched := published().Add(time.Hour)
	a := &newspipev1.EnrichedArticle{
		Article: &newspipev1.CleanArticle{
			Id: id, Url: "https://news.example/" + lang + "/" + id, CanonicalUrl: "https://news.example/" + lang + "/" + id,
			SourceId: "example-" + lang, Title: title, Lang: lang,
			PublishedAt: timestamppb.New(fetched.Add(-time.Hour)),
			Paragraphs:  []string{"A paragraph written for the sink's component test."},
		},
		RuCnTech: true, Score: 0.93, Topics: []string{"telecom"}, PrimaryTopic: "telecom",
		Entities: []*newspipev1.Entity{
			{Id: "huawei", Name: "Huawei", Kind: "org", Country: "cn", Count: 2},
			{Id: "mts", Name: "MTS", Kind: "org", Country: "ru", Count: 1},
			{Id: "nti", Name: "National Technology Initiative", Kind: "org", Country: "ru", Count: 1},
			{Id: "ru", Name: "Russia", Kind: "country", Country: "ru", Count: 1},
			{Id: "cnsa", Name: "China National Space Administration", Kind: "org", Country: "cn", Count: 1},
			{Id: "roscosmos", Name: "Roscosmos", Kind: "org", Country: "ru", Count: 1},
		},
		Times: &newspipev1.StageTimes{FetchedAt: timestamppb.New(fetched), ClassifiedAt: timestamppb.New(fetched.Add(time.Second))},
	}
	if key != "" {
		a.Agreement = &newspipev1.Agreement{Detected: true, Stage: "signed", Kind: "agreement",
			Parties: parties, Technology: "telecom",
			Evidence: "The companies signed the agreement on Tuesday.", Key: key}
	}
	return a
}

func message(t *testing.T, topo topology.Topology, a *newspipev1.EnrichedArticle, msgID string) bus.Message {
	t.Helper()
	data, hdr, err := events.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	subject := topo.EnrichedOther()
	if a.GetRuCnTech() {
		subject = topo.EnrichedRuCn(a.GetPrimaryTopic())
	}
	return bus.Message{Subject: subject, MsgID: msgID, Header: hdr, Data: data}
}

type harness struct {
	b     *bus.Bus
	topo  topology.Topology
	store sink.Store
	sink  *sink.Sink
	reg   *prometheus.Registry
}

func newHarness(t *testing.T, tg natstest.Target, dsn string) *harness {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b := natstest.Connect(t, tg)
	st, err := sink.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	reg := prometheus.NewRegistry()
	s, err := sink.New(b, st, reg, stage.NewMetrics(reg), slog.New(slog.NewTextHandler(io.Discard, nil)),
		sink.Config{Workers: 2, MaxDeliver: 3, Backoff: []time.Duration{50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{b: b, topo: b.Topology(), store: st, sink: s, reg: reg}
}

func (h *harness) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.sink.Run(ctx) }()
	var once sync.Once
	t.Cleanup(func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	})
}

func (h *harness) publish(t *testing.T, ms ...bus.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.b.PublishAll(ctx, ms); err != nil {
		t.Fatal(err)
	}
}

// alerts returns every alert on the alerts subject. It publishes a marker
// and reads up to it: alerts are stored before the sink acks its input, so
// once the inputs are acked, everything before the marker is all there is.
func (h *harness) alerts(t *testing.T, marker string) []*newspipev1.AgreementAlert {
	t.Helper()
	h.publish(t, bus.Message{Subject: h.topo.AgreementAlerts(), MsgID: marker, Data: []byte(marker)})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var out []*newspipev1.AgreementAlert
	reached := false
	err := h.b.Tail(ctx, h.topo.AgreementAlerts(), true, func(d *bus.Delivery) bool {
		if string(d.Data) == marker {
			reached = true
			return false
		}
		if d.Header("Nats-Msg-Id") == "" || d.Header(events.HeaderType) == "" {
			return true // an earlier marker
		}
		al := &newspipev1.AgreementAlert{}
		if err := events.Unmarshal(d.Data, d.Header(events.HeaderType), al); err != nil {
			t.Errorf("alert does not decode: %v", err)
		}
		if id := d.Header("Nats-Msg-Id"); id != "alert:"+al.GetKey() {
			t.Errorf("alert message id %q, want alert:<key>", id)
		}
		out = append(out, al)
		return true
	})
	if err != nil || !reached {
		t.Fatalf("tail alerts: reached marker %v, err %v", reached, err)
	}
	return out
}

func metric(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if v, ok := labels[l.GetName()]; ok && v != l.GetValue() {
					continue next
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	return 0
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (h *harness) handled(t *testing.T, n float64) {
	t.Helper()
	waitFor(t, "inputs acked", func() bool {
		return metric(t, h.reg, "newspipe_stage_messages_total", map[string]string{"stage": "sink", "outcome": "ok"}) >= n
	})
}

func TestSinkComponent(t *testing.T) {
	for _, tg := range natstest.Targets(t) {
		for _, db := range storetest.Targets(t) {
			t.Run(tg.Name+"/"+db.Name, func(t *testing.T) {
				h := newHarness(t, tg, db.DSN(t))
				h.run(t)
				en, mts, nti, other := enArticle(), mtsArticle(), ntiArticle(), otherArticle()
				lunar, lunarRu, nav, vague := lunarArticle(), lunarRuArticle(), navArticle(), vagueSpaceArticle()
				all := []*newspipev1.EnrichedArticle{en, mts, nti, other, lunar, lunarRu, nav, vague}

				// The English report arrives first; the Indonesian one about
				// the same deal later, then one about Huawei's deal with NTI.
				h.publish(t, message(t, h.topo, en, "classifier:en1"))
				h.handled(t, 1)
				h.publish(t, message(t, h.topo, mts, "classifier:id1"), message(t, h.topo, other, "classifier:es1"))
				h.handled(t, 3)
				h.publish(t, message(t, h.topo, nti, "classifier:ru2"))
				h.handled(t, 4)
				// CNSA's lunar deal, then, in any order, its Russian report
				// under another key, the navigation deal of the same
				// parties, and a report naming no subject.
				h.publish(t, message(t, h.topo, lunar, "classifier:zh1"))
				h.handled(t, 5)
				h.publish(t, message(t, h.topo, lunarRu, "classifier:ru3"), message(t, h.topo, nav, "classifier:en2"),
					message(t, h.topo, vague, "classifier:id2"))
				h.handled(t, 8)

				alerts := h.alerts(t, "marker-1")
				if len(alerts) != 4 {
					t.Fatalf("%d alerts, want exactly 4", len(alerts))
				}
				byKey := map[string]*newspipev1.AgreementAlert{}
				for _, al := range alerts {
					byKey[al.GetKey()] = al
				}
				for _, want := range []struct {
					key, first, lang string
					names            []string
				}{
					{alertKey(dealKey), "en1", "en", []string{"Huawei", "Russia"}},
					{nextDealKey(), "ru2", "ru", []string{"Huawei", "National Technology Initiative"}},
					{alertKey(lunarKey), "zh1", "zh", []string{"China National Space Administration", "Russia"}},
					{alertKey(navKey), "en2", "en", []string{"China National Space Administration", "Roscosmos"}},
				} {
					al := byKey[want.key]
					if al == nil {
						t.Errorf("no alert %s among %v", want.key, byKey)
						continue
					}
					if al.GetFirstArticle().GetId() != want.first || al.GetFirstArticle().GetLang() != want.lang {
						t.Errorf("alert %s: first article %v, want %s", want.key, al.GetFirstArticle(), want.first)
					}
					if got := al.GetPartyNames(); !slices.Equal(got, want.names) {
						t.Errorf("alert %s: party names %v, want %v", want.key, got, want.names)
					}
					if al.GetRaisedAt() == nil || al.GetEvidence() == "" {
						t.Errorf("alert lacks raised_at or evidence: %v", al)
					}
				}

				api := h.sink.Handler()
				wantLinks := map[string][2]string{
					"en1": {"en1", alertKey(dealKey)}, "id1": {"en1", alertKey(dealKey)}, "ru2": {"ru2", nextDealKey()}, "es1": {"", ""},
					"zh1": {"zh1", alertKey(lunarKey)}, "ru3": {"zh1", alertKey(lunarKey)}, "en2": {"en2", alertKey(navKey)}, "id2": {"zh1", alertKey(lunarKey)},
				}
				for id, want := range wantLinks {
					var got struct {
						ID       string `json:"id"`
						Link     string `json:"agreement_first_article_id"`
						AlertKey string `json:"agreement_alert_key"`
					}
					getJSON(t, api, "/api/stories/"+id, &got)
					if got.ID != id || got.Link != want[0] || got.AlertKey != want[1] {
						t.Errorf("story %s: id %q link %q alert key %q, want %v", id, got.ID, got.Link, got.AlertKey, want)
					}
				}
				// Published once, the stories are stored whole, with the
				// classifier's agreement key.
				for _, a := range []*newspipev1.EnrichedArticle{mts, nti, lunarRu} {
					st, err := h.store.GetStory(context.Background(), a.GetArticle().GetId())
					if err != nil {
						t.Fatal(err)
					}
					if !proto.Equal(st.Article, a) || st.Article.GetAgreement().GetKey() != a.GetAgreement().GetKey() {
						t.Errorf("stored %s differs from the event", a.GetArticle().GetId())
					}
				}

				// Redelivery: the same events again, in new messages.
				var again []bus.Message
				for _, a := range all {
					again = append(again, message(t, h.topo, a, "again:"+a.GetArticle().GetId()))
				}
				h.publish(t, again...)
				h.handled(t, 16)
				if n := len(h.alerts(t, "marker-2")); n != 4 {
					t.Errorf("after redelivery %d alerts, want still 4", n)
				}
				var list struct {
					Stories []json.RawMessage `json:"stories"`
				}
				getJSON(t, api, "/api/stories", &list)
				if len(list.Stories) != len(all) {
					t.Errorf("%d stories listed, want %d", len(list.Stories), len(all))
				}
				var alertList struct {
					Alerts []struct {
						Key         string `json:"key"`
						ReportCount int    `json:"report_count"`
					} `json:"alerts"`
				}
				getJSON(t, api, "/api/alerts", &alertList)
				reports := map[string]int{}
				for _, al := range alertList.Alerts {
					reports[al.Key] = al.ReportCount
				}
				if want := map[string]int{alertKey(dealKey): 2, nextDealKey(): 1, alertKey(lunarKey): 3, alertKey(navKey): 1}; !maps.Equal(reports, want) {
					t.Errorf("/api/alerts reports %v, want %v", reports, want)
				}

				for _, m := range []struct {
					name   string
					labels map[string]string
					want   float64
				}{
					{"newspipe_sink_stories_stored_total", map[string]string{"relevance": "rucn"}, 7},
					{"newspipe_sink_stories_stored_total", map[string]string{"relevance": "other"}, 1},
					{"newspipe_sink_stories_by_topic_total", map[string]string{"topic": "telecom"}, 3},
					{"newspipe_sink_stories_by_topic_total", map[string]string{"topic": "space"}, 4},
					{"newspipe_sink_story_writes_total", map[string]string{"result": "unchanged"}, 8},
					{"newspipe_sink_agreement_alerts_total", nil, 4},
					{"newspipe_sink_agreement_duplicates_total", nil, 3},
					{"newspipe_sink_end_to_end_latency_seconds", nil, 8},
				} {
					if got := metric(t, h.reg, m.name, m.labels); got != m.want {
						t.Errorf("%s%v = %v, want %v", m.name, m.labels, got, m.want)
					}
				}
			})
		}
	}
}

func getJSON(t *testing.T, h http.Handler, target string, v any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", target, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
}

// TestHandle drives the handler directly through the delivery cases the
// stage loop can produce, on one store.
func TestHandle(t *testing.T) {
	tg := natstest.Targets(t)[0]
	for _, db := range storetest.Targets(t) {
		t.Run(db.Name, func(t *testing.T) {
			h := newHarness(t, tg, db.DSN(t))
			en, mts, nti := enArticle(), mtsArticle(), ntiArticle()
			noID := enriched("", "en", "No id", "")
			steps := []struct {
				name      string
				a         *newspipev1.EnrichedArticle
				data      []byte // overrides a
				delivered int
				wantAlert string // the alert key, "" for no alert
				wantPerm  bool
			}{
				{name: "first article raises the alert", a: en, delivered: 1, wantAlert: alertKey(dealKey)},
				{name: "its redelivery raises it again (the publish may have failed)", a: en, delivered: 2, wantAlert: alertKey(dealKey)},
				{name: "the same article in a fresh message does not", a: en, delivered: 1},
				{name: "a second article about the deal does not", a: mts, delivered: 1},
				{name: "nor does its redelivery", a: mts, delivered: 3},
				{name: "another deal of the same key raises its own alert", a: nti, delivered: 1, wantAlert: nextDealKey()},
				{name: "which its redelivery raises again", a: nti, delivered: 2, wantAlert: nextDealKey()},
				{name: "and the first deal's redelivery still raises the first", a: en, delivered: 4, wantAlert: alertKey(dealKey)},
				{name: "malformed event is permanent", data: []byte{0xff, 0x01, 0x02}, delivered: 1, wantPerm: true},
				{name: "article without id is permanent", a: noID, delivered: 1, wantPerm: true},
			}
			for _, st := range steps {
				t.Run(st.name, func(t *testing.T) {
					m := &stage.Message{Subject: h.topo.EnrichedRuCn("telecom"), Delivered: st.delivered,
						Header: map[string]string{events.HeaderType: "newspipe.v1.EnrichedArticle"}}
					if st.data != nil {
						m.Data = st.data
					} else {
						m.Data, _, _ = events.Marshal(st.a)
					}
					outs, err := h.sink.Handle(context.Background(), m)
					if st.wantPerm {
						if !stage.IsPermanent(err) {
							t.Fatalf("err = %v, want a permanent error", err)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if got := len(outs) == 1; got != (st.wantAlert != "") || len(outs) > 1 {
						t.Fatalf("%d outputs, want alert %q", len(outs), st.wantAlert)
					}
					if st.wantAlert != "" {
						o := outs[0]
						if o.Subject != h.topo.AgreementAlerts() || o.MsgID != "alert:"+st.wantAlert {
							t.Errorf("output on %s with id %s, want alert:%s", o.Subject, o.MsgID, st.wantAlert)
						}
						al := &newspipev1.AgreementAlert{}
						if err := events.Unmarshal(o.Data, o.Header[events.HeaderType], al); err != nil || al.GetKey() != st.wantAlert {
							t.Errorf("alert key %q (%v), want %s", al.GetKey(), err, st.wantAlert)
						}
					}
				})
			}
			t.Run("a store failure is retryable", func(t *testing.T) {
				h.store.Close()
				data, _, _ := events.Marshal(otherArticle())
				_, err := h.sink.Handle(context.Background(), &stage.Message{Data: data, Delivered: 1})
				if err == nil || stage.IsPermanent(err) {
					t.Fatalf("err = %v, want a retryable error", err)
				}
				if errors.Is(err, sink.ErrNoArticleID) {
					t.Fatalf("wrong error: %v", err)
				}
			})
		})
	}
}

// webhookSecret signs the test's webhooks.
var webhookSecret = []byte("a webhook secret written for the tests")

// hookReceiver is a webhook receiver as the package doc of webhook tells
// one to be: it verifies every delivery's signature and time, refuses an
// Idempotency-Key it has taken (a replay, or a retry of a delivery it
// took), and counts what it accepted by alert key. It answers 500 to its
// first failures requests.
type hookReceiver struct {
	mu       sync.Mutex
	failures int
	// refuse makes the failures 410 Gone instead of 500.
	refuse   bool
	calls    int
	seen     map[string]bool // idempotency keys taken
	accepted map[string]int  // alert key -> deliveries taken
	invalid  int             // deliveries refused for their signature
	replayed int             // deliveries refused as replays
	last     *http.Request
	lastBody []byte
}

func (r *hookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls <= r.failures {
		if r.refuse {
			w.WriteHeader(http.StatusGone)
			return
		}
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if _, err := webhook.Verify(webhookSecret, req.Header.Get(webhook.HeaderSignature), body, time.Now(), webhook.DefaultTolerance); err != nil {
		r.invalid++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	id := req.Header.Get(webhook.HeaderID)
	if r.seen[id] {
		r.replayed++
		http.Error(w, "delivery already taken", http.StatusConflict)
		return
	}
	var v struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.Key == "" {
		http.Error(w, "not an alert", http.StatusBadRequest)
		return
	}
	r.seen[id] = true
	r.accepted[v.Key]++
	r.last, r.lastBody = req.Clone(context.Background()), body
}

func (r *hookReceiver) snapshot() (accepted map[string]int, invalid, replayed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.accepted), r.invalid, r.replayed
}

// startSink runs a sink with webhooks to rcv on b and st, and returns its
// registry and a func that stops it as SIGTERM would.
func startSink(t *testing.T, b *bus.Bus, st sink.Store, hookURL string) (*prometheus.Registry, func()) {
	t.Helper()
	reg := prometheus.NewRegistry()
	s, err := sink.New(b, st, reg, stage.NewMetrics(reg), slog.New(slog.NewTextHandler(io.Discard, nil)), sink.Config{
		Workers: 2, MaxDeliver: 3, Backoff: []time.Duration{50 * time.Millisecond},
		Webhooks: sink.WebhookConfig{URLs: []string{hookURL}, Secret: webhookSecret,
			Retry: []time.Duration{50 * time.Millisecond}, MaxAttempts: 5},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return reg, stop
}

// TestWebhooks sends alerts to a receiver that verifies them, across a
// restart of the sink, a failed delivery and a replay of the alerts
// stream: the receiver takes each alert exactly once, and every delivery
// it got was signed.
func TestWebhooks(t *testing.T) {
	tg := natstest.Targets(t)[0]
	for _, db := range storetest.Targets(t) {
		t.Run(db.Name, func(t *testing.T) {
			// The first request fails: the alert is redelivered by the stage.
			rcv := &hookReceiver{failures: 1, seen: map[string]bool{}, accepted: map[string]int{}}
			srv := httptest.NewServer(rcv)
			t.Cleanup(srv.Close)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			b := natstest.Connect(t, tg)
			st, err := sink.Open(ctx, db.DSN(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			h := &harness{b: b, topo: b.Topology(), store: st}
			hooks := func(reg *prometheus.Registry, outcome string) float64 {
				return metric(t, reg, "newspipe_sink_webhook_deliveries_total", map[string]string{"outcome": outcome})
			}

			reg1, stop1 := startSink(t, b, st, srv.URL+"/hook")
			// Huawei's deal, reported naming Russia and then MTS: one alert.
			h.publish(t, message(t, h.topo, enArticle(), "c:en1"), message(t, h.topo, mtsArticle(), "c:id1"))
			waitFor(t, "first alert delivered", func() bool { return hooks(reg1, "sent") == 1 })
			if hooks(reg1, "retry") != 1 {
				t.Errorf("retries = %v, want 1 (the receiver failed the first try)", hooks(reg1, "retry"))
			}
			stop1()

			// While the sink is down: a new deal (Huawei's with NTI), and a copy of the first
			// alert (a republish of the alerts stream outside the duplicate
			// window, as a replay makes).
			first := h.alerts(t, "marker-1")
			if len(first) != 1 {
				t.Fatalf("%d alerts on the stream, want 1", len(first))
			}
			data, hdr, err := events.Marshal(first[0])
			if err != nil {
				t.Fatal(err)
			}
			h.publish(t, message(t, h.topo, ntiArticle(), "c:ru1"),
				bus.Message{Subject: h.topo.AgreementAlerts(), MsgID: "replay:" + first[0].GetKey(), Header: hdr, Data: data})

			reg2, stop2 := startSink(t, b, st, srv.URL+"/hook")
			waitFor(t, "second alert delivered", func() bool { return hooks(reg2, "sent") == 1 })
			waitFor(t, "the replayed alert skipped", func() bool { return hooks(reg2, "skipped") == 1 })
			stop2()

			accepted, invalid, replayed := rcv.snapshot()
			want := map[string]int{alertKey(dealKey): 1, nextDealKey(): 1}
			if !maps.Equal(accepted, want) || invalid != 0 || replayed != 0 {
				t.Errorf("receiver took %v (invalid %d, replayed %d), want each alert once: %v", accepted, invalid, replayed, want)
			}

			// The documented checks refuse a replayed or tampered delivery.
			rcv.mu.Lock()
			req, body := rcv.last, rcv.lastBody
			rcv.mu.Unlock()
			resend := func(body []byte) int {
				r, err := http.NewRequest(http.MethodPost, srv.URL+"/hook", bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				r.Header = req.Header.Clone()
				resp, err := http.DefaultClient.Do(r)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if code := resend(body); code != http.StatusConflict {
				t.Errorf("replayed delivery: status %d, want 409", code)
			}
			if code := resend(bytes.Replace(body, []byte(`"report_count":1`), []byte(`"report_count":9`), 1)); code != http.StatusUnauthorized {
				t.Errorf("tampered delivery: status %d, want 401", code)
			}
		})
	}
}

// TestWebhookRejected: an endpoint that refuses an alert (a 4xx) has it
// dead-lettered at once, not retried; replayed from the DLQ once the
// endpoint is fixed, it is delivered.
func TestWebhookRejected(t *testing.T) {
	tg := natstest.Targets(t)[0]
	rcv := &hookReceiver{failures: 1, refuse: true, seen: map[string]bool{}, accepted: map[string]int{}}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := natstest.Connect(t, tg)
	st, err := sink.Open(ctx, storetest.Targets(t)[0].DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &harness{b: b, topo: b.Topology(), store: st}
	reg, _ := startSink(t, b, st, srv.URL+"/hook")
	count := func(name string, labels map[string]string) float64 { return metric(t, reg, name, labels) }
	h.publish(t, message(t, h.topo, enArticle(), "c:en1"))
	waitFor(t, "the refused alert dead-lettered", func() bool {
		return count("newspipe_stage_messages_total", map[string]string{"stage": "webhook", "outcome": "dead_letter"}) == 1
	})
	if r := count("newspipe_sink_webhook_deliveries_total", map[string]string{"outcome": "rejected"}); r != 1 {
		t.Errorf("rejected deliveries = %v, want 1 (no retry of a 4xx)", r)
	}
	// The DLQ replay: the same alert, published again.
	dead := natstest.Collect(t, b, h.topo.DLQ(topology.StageWebhook), 1, 10*time.Second)
	if len(dead) != 1 {
		t.Fatalf("%d messages on the webhook DLQ, want 1", len(dead))
	}
	hdr := map[string]string{}
	for k, v := range dead[0].Headers() {
		if !strings.HasPrefix(k, "Newspipe-Dlq") && !strings.HasPrefix(k, "Nats-") {
			hdr[k] = v
		}
	}
	h.publish(t, bus.Message{Subject: h.topo.AgreementAlerts(), MsgID: "dlq-replay:1", Header: hdr, Data: dead[0].Data})
	waitFor(t, "the replayed alert delivered", func() bool {
		return count("newspipe_sink_webhook_deliveries_total", map[string]string{"outcome": "sent"}) == 1
	})
	if accepted, invalid, _ := rcv.snapshot(); accepted[alertKey(dealKey)] != 1 || invalid != 0 {
		t.Errorf("receiver took %v (invalid %d), want the alert once", accepted, invalid)
	}
}

// replicaReport is a report TestReplicas sends: its agreement key, subject
// and parties, and the deals it may belong to (two for a report that fits
// either).
type replicaReport struct {
	key, subject string
	parties      []string
	deals        []string
}

// replicaReports are reports of four deals: Huawei's with MTS and with NTI
// under one key (those naming only Russia fit either), and CNSA's lunar and
// navigation deals, each reported under several keys, one of them without
// the subject in its key.
var replicaReports = []replicaReport{
	{dealKey, "", []string{"huawei", "ru"}, []string{"mts", "nti"}},
	{dealKey, "", []string{"huawei", "mts"}, []string{"mts"}},
	{dealKey, "", []string{"huawei", "nti"}, []string{"nti"}},
	{lunarKey, "lunar", []string{"cnsa", "ru"}, []string{"lunar"}},
	{"rucn:cn+roscosmos/space/lunar", "lunar", []string{"cn", "roscosmos"}, []string{"lunar"}},
	{"rucn:cnsa+ru/space", "lunar", []string{"cnsa", "roscosmos"}, []string{"lunar"}},
	{navKey, "navigation", []string{"cnsa", "ru"}, []string{"navigation"}},
	{"rucn:cn+ru/space/navigation", "", []string{"cn", "ru"}, []string{"navigation"}},
}

// TestReplicas runs two sinks on one stream and one database, as two
// replicas would, and sends them reports of four deals, some sharing a key,
// some under several keys, in no particular order: whichever replica
// handles which report, each deal alerts once.
func TestReplicas(t *testing.T) {
	tg := natstest.Targets(t)[0]
	for _, db := range storetest.Targets(t) {
		t.Run(db.Name, func(t *testing.T) {
			dsn := db.DSN(t)
			b := natstest.Connect(t, tg)
			var hs []*harness
			for range 2 {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				st, err := sink.Open(ctx, dsn)
				cancel()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				reg := prometheus.NewRegistry()
				s, err := sink.New(b, st, reg, stage.NewMetrics(reg), slog.New(slog.NewTextHandler(io.Discard, nil)),
					sink.Config{Workers: 4, MaxDeliver: 5, Backoff: []time.Duration{20 * time.Millisecond}})
				if err != nil {
					t.Fatal(err)
				}
				h := &harness{b: b, topo: b.Topology(), store: st, sink: s, reg: reg}
				h.run(t)
				hs = append(hs, h)
			}
			const n = 4 * 8
			var ms []bus.Message
			for i := range n {
				r := replicaReports[i%len(replicaReports)]
				a := enriched(fmt.Sprint("r", i), "en", "A report of a deal", r.key, r.parties...)
				if r.key != dealKey {
					spaceDeal(a, r.subject)
				}
				ms = append(ms, message(t, hs[0].topo, a, fmt.Sprint("classifier:r", i)))
			}
			hs[0].publish(t, ms...)
			ok := func(h *harness) float64 {
				return metric(t, h.reg, "newspipe_stage_messages_total", map[string]string{"stage": "sink", "outcome": "ok"})
			}
			waitFor(t, "reports handled", func() bool { return ok(hs[0])+ok(hs[1]) >= n })

			alerts := hs[0].alerts(t, "marker")
			keys := map[string]string{} // alert key → first article
			for _, al := range alerts {
				if prev, dup := keys[al.GetKey()]; dup {
					t.Errorf("alert %s raised for %s and %s", al.GetKey(), prev, al.GetFirstArticle().GetId())
				}
				keys[al.GetKey()] = al.GetFirstArticle().GetId()
			}
			if len(alerts) != 4 || keys[alertKey(dealKey)] == "" {
				t.Fatalf("alerts %v, want 4, one of them %s", keys, alertKey(dealKey))
			}
			link := map[string]string{} // deal → first article
			firstOf := make([]string, n)
			for i := range n {
				st, err := hs[i%2].store.GetStory(context.Background(), fmt.Sprint("r", i))
				if err != nil {
					t.Fatal(err)
				}
				firstOf[i] = st.AgreementFirstArticleID
				if keys[st.AgreementAlertKey] != st.AgreementFirstArticleID {
					t.Errorf("r%d links to %s under %s, which is not an alert", i, st.AgreementFirstArticleID, st.AgreementAlertKey)
				}
				deals := replicaReports[i%len(replicaReports)].deals
				if len(deals) > 1 {
					continue
				}
				if l, seen := link[deals[0]]; seen && l != st.AgreementFirstArticleID {
					t.Errorf("reports of deal %s link to %s and %s", deals[0], l, st.AgreementFirstArticleID)
				}
				link[deals[0]] = st.AgreementFirstArticleID
			}
			firsts := map[string]bool{}
			for _, l := range link {
				firsts[l] = true
			}
			if len(link) != 4 || len(firsts) != 4 {
				t.Errorf("deals' first articles %v: want four deals, each its own", link)
			}
			for i, first := range firstOf {
				deals := replicaReports[i%len(replicaReports)].deals
				if !slices.ContainsFunc(deals, func(d string) bool { return link[d] == first }) {
					t.Errorf("r%d links to %s, not to deal %v", i, first, deals)
				}
			}
		})
	}
}
