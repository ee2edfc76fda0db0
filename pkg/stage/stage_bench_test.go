package stage_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
)

// BenchmarkStageLoop measures messages per second through one stage on an
// embedded server: pull, hand to a trivial handler, publish one output with a
// message id, wait for the PubAck, ack the input. It is the loop's own cost,
// the floor under every stage.
func BenchmarkStageLoop(b *testing.B) {
	for _, size := range []int{1 << 10, 10 << 10} {
		b.Run(fmt.Sprintf("payload=%dKB", size>>10), func(b *testing.B) {
			tg := natstest.Targets(b)[0]
			bs := natstest.Connect(b, tg)
			topo := bs.Topology()
			var done atomic.Int64
			h := stage.HandlerFunc(func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
				done.Add(1)
				return []bus.Message{{Subject: topo.EnrichedOther(), MsgID: m.Header["Nats-Msg-Id"] + ":out", Data: m.Data}}, nil
			})
			reg := prometheus.NewRegistry()
			r, err := stage.New(bs, stage.Config{Stage: topology.StageCleaner, Workers: 16, PendingEvery: -1}, h, stage.NewMetrics(reg), slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			payload := make([]byte, size)
			msgs := make([]bus.Message, b.N)
			for i := range msgs {
				msgs[i] = bus.Message{Subject: topo.Raw("bench"), MsgID: fmt.Sprint("in-", i), Data: payload}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			b.SetBytes(int64(size))
			b.ResetTimer()
			start := time.Now()
			go func() { _ = r.Run(ctx) }()
			for i := 0; i < len(msgs); i += 500 {
				if err := bs.PublishAll(ctx, msgs[i:min(i+500, len(msgs))]); err != nil {
					b.Error(err)
					return
				}
			}
			for done.Load() < int64(b.N) {
				time.Sleep(time.Millisecond)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}
