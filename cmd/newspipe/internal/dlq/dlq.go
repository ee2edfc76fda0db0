// Package dlq lets a person look at what the stages dead-lettered and, once
// the cause is fixed, send it back through the pipeline.
package dlq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
)

// Entry is one dead-lettered message.
type Entry struct {
	Seq             uint64            `json:"seq"`
	Stage           string            `json:"stage"`
	Error           string            `json:"error"`
	Deliveries      int               `json:"deliveries"`
	Time            string            `json:"time"`
	OriginalSubject string            `json:"original_subject"`
	Headers         map[string]string `json:"headers,omitempty"`
	// Event is the payload as JSON when it decodes; undecodable payloads
	// (often the very reason they are here) are shown by size only.
	Event json.RawMessage `json:"event,omitempty"`
	Bytes int             `json:"bytes"`
}

// ErrNoOriginalSubject is returned for an entry that does not say where it
// came from, and so cannot be replayed.
var ErrNoOriginalSubject = errors.New("dlq: entry has no original subject")

// subject is the DLQ subject for stage, or all stages.
func subject(b *bus.Bus, stage string) string {
	if stage == "" {
		return strings.TrimSuffix(b.Topology().DLQ("x"), "x") + ">"
	}
	return b.Topology().DLQ(stage)
}

// each calls fn for every entry stored for stage ("" for all), oldest first,
// and returns once it has seen them all.
func each(ctx context.Context, b *bus.Bus, stage string, fn func(*bus.Delivery) error) error {
	subj := subject(b, stage)
	n, err := b.Count(ctx, subj)
	if err != nil || n == 0 {
		return err
	}
	var ferr error
	err = b.Tail(ctx, subj, true, func(d *bus.Delivery) bool {
		if ferr = fn(d); ferr != nil {
			return false
		}
		return d.Pending > 0
	})
	if ferr != nil {
		return ferr
	}
	return err
}

func toEntry(d *bus.Delivery) Entry {
	h := d.Headers()
	e := Entry{
		Seq: d.StreamSeq, Stage: h[events.HeaderDLQStage], Error: h[events.HeaderDLQError],
		Time: h[events.HeaderDLQTime], OriginalSubject: h[events.HeaderDLQSubject], Headers: h, Bytes: len(d.Data),
	}
	e.Deliveries, _ = strconv.Atoi(h[events.HeaderDLQDelivered])
	if js, err := events.JSON(d.Data, h[events.HeaderType]); err == nil && len(js) <= 64<<10 {
		e.Event = js
	}
	return e
}

// List calls fn for every entry of stage ("" for all stages).
func List(ctx context.Context, b *bus.Bus, stage string, fn func(Entry) error) error {
	return each(ctx, b, stage, func(d *bus.Delivery) error { return fn(toEntry(d)) })
}

// Replay publishes up to limit entries of stage (limit <= 0: all) back on
// their original subjects, each with a new message id, and deletes each
// entry only after its republication was stored. It returns how many were
// replayed. An entry that fails again comes back to the DLQ.
func Replay(ctx context.Context, b *bus.Bus, stage string, limit int) (int, error) {
	done := 0
	errStop := errors.New("limit reached")
	err := each(ctx, b, stage, func(d *bus.Delivery) error {
		if limit > 0 && done >= limit {
			return errStop
		}
		h := d.Headers()
		orig := h[events.HeaderDLQSubject]
		if orig == "" {
			return fmt.Errorf("%w: #%d", ErrNoOriginalSubject, d.StreamSeq)
		}
		out := map[string]string{"Newspipe-Replayed-From": strconv.FormatUint(d.StreamSeq, 10)}
		for k, v := range h {
			if !strings.HasPrefix(k, "Newspipe-Dlq-") && !strings.HasPrefix(k, "Nats-") {
				out[k] = v
			}
		}
		// A fresh id: the original one is remembered by the server's
		// duplicate window and would swallow the replay.
		msgID := "replay:" + d.Subject + ":" + strconv.FormatUint(d.StreamSeq, 10)
		if err := b.Publish(ctx, bus.Message{Subject: orig, MsgID: msgID, Header: out, Data: d.Data}); err != nil {
			return fmt.Errorf("dlq: replay #%d to %s: %w", d.StreamSeq, orig, err)
		}
		if err := b.DeleteMsg(ctx, d.Subject, d.StreamSeq); err != nil {
			return fmt.Errorf("dlq: replayed #%d but could not delete it: %w", d.StreamSeq, err)
		}
		done++
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return done, err
}
