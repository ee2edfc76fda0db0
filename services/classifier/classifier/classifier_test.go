package classifier_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/classifier/classifier"
)

// Articles written for this test.
var (
	dealStory = &newspipev1.CleanArticle{
		Id: "deal", Lang: "en", SourceId: "wire",
		Title: "Huawei signs 5G network contract with Russian operator MTS",
		Paragraphs: []string{
			"Chinese telecom equipment maker Huawei signed a contract on Wednesday with Russia's largest mobile operator MTS to build a 5G network in Moscow, the companies said.",
			"The agreement was signed in the presence of Vladimir Putin and Xi Jinping during the Chinese leader's state visit to Russia.",
			"Under the contract Huawei will supply base stations and core network equipment, and the two firms will open a joint 5G test zone next year.",
		},
	}
	sportStory = &newspipev1.CleanArticle{
		Id: "sport", Lang: "en", SourceId: "wire",
		Title:      "Late penalty settles the derby",
		Paragraphs: []string{"The home side won the derby two goals to one after a penalty in the final minute.", "Fans filled the stadium despite the rain."},
	}
)

func TestClassifierComponent(t *testing.T) {
	for _, tg := range natstest.Targets(t) {
		t.Run(tg.Name, func(t *testing.T) {
			b := natstest.Connect(t, tg)
			topo := b.Topology()
			reg := prometheus.NewRegistry()
			c, err := classifier.New(b, classifier.Config{Workers: 2}, reg, stage.NewMetrics(reg), slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- c.Run(ctx) }()
			defer func() { cancel(); <-done }()

			pctx, pcancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer pcancel()
			for _, a := range []*newspipev1.CleanArticle{dealStory, sportStory} {
				data, h, err := events.Marshal(a)
				if err != nil {
					t.Fatal(err)
				}
				if err := b.Publish(pctx, bus.Message{Subject: topo.Clean(a.Lang), MsgID: "clean:" + a.Id, Header: h, Data: data}); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.Publish(pctx, bus.Message{Subject: topo.Clean("en"), MsgID: "junk", Header: map[string]string{events.HeaderType: "newspipe.v1.RawArticle"}, Data: []byte("x")}); err != nil {
				t.Fatal(err)
			}

			rucn := natstest.Collect(t, b, topo.EnrichedRuCn("telecom"), 1, 10*time.Second)
			if len(rucn) != 1 {
				t.Fatalf("got %d events on %s, want 1", len(rucn), topo.EnrichedRuCn("telecom"))
			}
			d := rucn[0]
			for k, want := range map[string]string{events.HeaderAgreement: "true", events.HeaderRuCn: "true", events.HeaderLang: "en", events.HeaderArticleID: "deal"} {
				if got := d.Header(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			var e newspipev1.EnrichedArticle
			if err := events.Unmarshal(d.Data, d.Header(events.HeaderType), &e); err != nil {
				t.Fatal(err)
			}
			if !e.Agreement.GetDetected() || e.Agreement.GetKey() == "" || e.Agreement.GetEvidence() == "" {
				t.Errorf("agreement = %+v, want detected with key and evidence", e.Agreement)
			}
			if e.Article.GetId() != "deal" || e.TaxonomyVersion == "" || e.Times.GetClassifiedAt() == nil || len(e.Evidence) == 0 {
				t.Errorf("event incomplete: id=%q taxonomy=%q times=%v evidence=%d", e.Article.GetId(), e.TaxonomyVersion, e.Times, len(e.Evidence))
			}

			other := natstest.Collect(t, b, topo.EnrichedOther(), 1, 10*time.Second)
			if len(other) != 1 || other[0].Header(events.HeaderArticleID) != "sport" {
				t.Fatalf("sport story not on %s", topo.EnrichedOther())
			}
			if dlq := natstest.Collect(t, b, topo.DLQ(topology.StageClassifier), 1, 10*time.Second); len(dlq) != 1 {
				t.Errorf("malformed event: %d DLQ entries, want 1", len(dlq))
			}
		})
	}
}
