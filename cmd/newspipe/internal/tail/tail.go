// Package tail prints the events on a subject as JSON lines, for people:
// `newspipe tail 'news.enriched.rucn.>'`.
package tail

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
)

// Line is one printed event.
type Line struct {
	Subject   string            `json:"subject"`
	Seq       uint64            `json:"seq"`
	Published time.Time         `json:"published"`
	Headers   map[string]string `json:"headers,omitempty"`
	Event     json.RawMessage   `json:"event,omitempty"`
	// Error says why Event is missing (an undecodable payload is shown, not skipped).
	Error string `json:"error,omitempty"`
}

// Run prints every event on subject from b to w until ctx is done, or until
// limit events (limit > 0) were printed. With fromStart it begins with the
// oldest stored event, else with the next new one.
func Run(ctx context.Context, b *bus.Bus, subject string, fromStart bool, limit int, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	var werr error
	err := b.Tail(ctx, subject, fromStart, func(d *bus.Delivery) bool {
		l := Line{Subject: d.Subject, Seq: d.StreamSeq, Published: d.Published, Headers: d.Headers()}
		if js, err := events.JSON(d.Data, d.Header(events.HeaderType)); err != nil {
			l.Error = err.Error()
		} else {
			l.Event = js
		}
		if werr = enc.Encode(l); werr != nil {
			return false
		}
		n++
		return limit <= 0 || n < limit
	})
	if werr != nil {
		return fmt.Errorf("tail: write: %w", werr)
	}
	return err
}
