package tail

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

func TestTailPrintsEventsAsJSON(t *testing.T) {
	for _, tg := range natstest.Targets(t) {
		t.Run(tg.Name, func(t *testing.T) {
			b := natstest.Connect(t, tg)
			topo := b.Topology()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			data, h, err := events.Marshal(&newspipev1.EnrichedArticle{RuCnTech: true, PrimaryTopic: "space", Article: &newspipev1.CleanArticle{Id: "a1", Title: "Lunar station"}})
			if err != nil {
				t.Fatal(err)
			}
			msgs := []bus.Message{
				{Subject: topo.EnrichedRuCn("space"), MsgID: "1", Header: h, Data: data},
				{Subject: topo.EnrichedRuCn("space"), MsgID: "2", Header: map[string]string{events.HeaderType: "newspipe.v1.EnrichedArticle"}, Data: []byte{0xff, 0x01}},
				{Subject: topo.EnrichedOther(), MsgID: "3", Header: h, Data: data},
			}
			if err := b.PublishAll(ctx, msgs); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := Run(ctx, b, topo.EnrichedRuCn("space"), true, 2, &out); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 2 {
				t.Fatalf("got %d lines, want 2:\n%s", len(lines), out.String())
			}
			var first, second Line
			if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(first.Event), `"title":"Lunar station"`) {
				t.Errorf("first event = %s", first.Event)
			}
			if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
				t.Fatal(err)
			}
			if second.Error == "" || second.Event != nil {
				t.Errorf("malformed payload: want an error and no event, got %+v", second)
			}
		})
	}
}
