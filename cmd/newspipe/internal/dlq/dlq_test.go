package dlq

import (
	"context"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

func TestListAndReplay(t *testing.T) {
	for _, tg := range natstest.Targets(t) {
		t.Run(tg.Name, func(t *testing.T) {
			b := natstest.Connect(t, tg)
			topo := b.Topology()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			// Nothing parked: both return at once.
			if err := List(ctx, b, "", func(Entry) error { t.Error("entry in an empty DLQ"); return nil }); err != nil {
				t.Fatal(err)
			}
			data, h, err := events.Marshal(&newspipev1.RawArticle{Id: "a1", Url: "https://example.com/a"})
			if err != nil {
				t.Fatal(err)
			}
			park := func(stage, id string) {
				hh := map[string]string{
					events.HeaderType: h[events.HeaderType], events.HeaderDLQStage: stage, events.HeaderDLQError: "extract: no article text",
					events.HeaderDLQDelivered: "1", events.HeaderDLQSubject: topo.Raw("src"),
				}
				if err := b.Publish(ctx, bus.Message{Subject: topo.DLQ(stage), MsgID: id, Header: hh, Data: data}); err != nil {
					t.Fatal(err)
				}
			}
			park("cleaner", "d1")
			park("cleaner", "d2")
			park("sink", "d3")

			var got []Entry
			if err := List(ctx, b, "cleaner", func(e Entry) error { got = append(got, e); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].Stage != "cleaner" || got[0].Error == "" || got[0].OriginalSubject != topo.Raw("src") || len(got[0].Event) == 0 {
				t.Fatalf("List(cleaner) = %+v", got)
			}

			n, err := Replay(ctx, b, "cleaner", 1)
			if err != nil || n != 1 {
				t.Fatalf("Replay limit 1 = %d, %v", n, err)
			}
			n, err = Replay(ctx, b, "cleaner", 0)
			if err != nil || n != 1 {
				t.Fatalf("Replay rest = %d, %v", n, err)
			}
			if left, _ := b.Count(ctx, topo.DLQ("cleaner")); left != 0 {
				t.Errorf("%d cleaner entries left after replay, want 0", left)
			}
			if left, _ := b.Count(ctx, topo.DLQ("sink")); left != 1 {
				t.Errorf("sink entries = %d, want 1 (untouched)", left)
			}
			back := natstest.Collect(t, b, topo.Raw("src"), 2, 5*time.Second)
			if len(back) != 2 {
				t.Fatalf("%d messages back on %s, want 2", len(back), topo.Raw("src"))
			}
			if back[0].Header(events.HeaderDLQError) != "" || back[0].Header("Newspipe-Replayed-From") == "" || back[0].Header(events.HeaderType) == "" {
				t.Errorf("replayed headers = %v", back[0].Headers())
			}
		})
	}
}
