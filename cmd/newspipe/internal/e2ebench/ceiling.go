package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/natsembed"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
)

func numCPU() int { return runtime.GOMAXPROCS(0) }

// busCeiling measures what the bus alone carries: n messages of pageBytes
// published on the raw subject, passed on by a stage to the clean subject
// (8 KB, a clean article's size), by another to the enriched subject (9 KB),
// and taken by a third, each stage acking its input after its output's
// PubAck, as the real stages do. It returns messages/s end to end.
func busCeiling(ctx context.Context, pageBytes, n int) (float64, error) {
	dir, err := os.MkdirTemp("", "newspipe-ceiling-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	srv, err := natsembed.Start(natsembed.Config{StoreDir: dir})
	if err != nil {
		return 0, err
	}
	defer srv.Shutdown()
	topo := topology.Default()
	b, err := bus.Connect(ctx, srv.ClientURL(), topo, bus.Options{Name: "ceiling"})
	if err != nil {
		return 0, err
	}
	defer b.Close()
	if err := b.EnsureStreams(ctx); err != nil {
		return 0, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	metrics := stage.NewMetrics(prometheus.NewRegistry())
	clean, enriched := make([]byte, 8<<10), make([]byte, 9<<10)
	done := make(chan struct{}, n)
	hops := []struct {
		stage string
		h     stage.HandlerFunc
	}{
		{topology.StageCleaner, func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
			return []bus.Message{{Subject: topo.Clean("en"), MsgID: "c:" + m.Header["Id"], Header: map[string]string{"Id": m.Header["Id"]}, Data: clean}}, nil
		}},
		{topology.StageClassifier, func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
			return []bus.Message{{Subject: topo.EnrichedOther(), MsgID: "e:" + m.Header["Id"], Header: map[string]string{"Id": m.Header["Id"]}, Data: enriched}}, nil
		}},
		{topology.StageSink, func(_ context.Context, m *stage.Message) ([]bus.Message, error) {
			done <- struct{}{}
			return nil, nil
		}},
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	for _, hop := range hops {
		r, err := stage.New(b, stage.Config{Stage: hop.stage, PendingEvery: -1, Consume: bus.ConsumeOptions{MaxBytes: 16 << 20}}, hop.h, metrics, log)
		if err != nil {
			return 0, err
		}
		go func() { _ = r.Run(sctx) }()
	}
	page := make([]byte, pageBytes)
	start := time.Now()
	for i := range n {
		id := strconv.Itoa(i)
		p := b.PublishAsync(bus.Message{Subject: topo.Raw("bench"), MsgID: "r:" + id, Header: map[string]string{"Id": id}, Data: page})
		if i%256 == 255 {
			if err := p.Wait(ctx); err != nil {
				return 0, err
			}
		}
	}
	for range n {
		select {
		case <-done:
		case <-time.After(2 * time.Minute):
			return 0, fmt.Errorf("ceiling: messages stopped arriving")
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
