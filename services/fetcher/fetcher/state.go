package fetcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/topology"
	"github.com/newspipe/newspipe/services/fetcher/internal/poll"
)

// sourceState is what the fetcher remembers of a source between polls, in
// the NEWS_FEED_STATE bucket under the source's id. Every poll writes it,
// as an output of the poll (stored with the poll's ArticleJobs), so every
// replica and GET /api/sources see the same thing.
type sourceState struct {
	// Validators are the conditional-GET state of the source's document.
	Validators poll.State `json:"validators"`
	// Pending are the articles queued and not yet done (fetched, or refused
	// for good), by id, with when they were queued: a source's backlog. An
	// item in Pending is not queued again; its job is remembered.
	Pending map[string]int64 `json:"pending,omitempty"`
	// Deferred counts the items the last poll left for later because
	// Pending was full.
	Deferred int `json:"deferred,omitempty"`

	// FirstPoll is when the fetcher first polled the source.
	FirstPoll         time.Time `json:"first_poll,omitzero"`
	LastPoll          time.Time `json:"last_poll"`
	LastSuccess       time.Time `json:"last_success,omitzero"`
	LastError         string    `json:"last_error,omitempty"`
	LastErrorKind     string    `json:"last_error_kind,omitempty"`
	LastErrorAt       time.Time `json:"last_error_at,omitzero"`
	ConsecutiveErrors int       `json:"consecutive_errors,omitempty"`
	// LastNewItem is when a poll last found an item not seen before.
	LastNewItem time.Time `json:"last_new_item,omitzero"`
	// ItemsSeen counts the distinct items the source has listed and the
	// fetcher queued, over its life.
	ItemsSeen int64 `json:"items_seen"`
	// MeanGap is the running mean of the time between polls that found
	// new items: how often the source publishes, as seen from here.
	MeanGap time.Duration `json:"mean_gap,omitempty"`
	// Interval is the wait the last poll chose (package cadence), and
	// NextPoll when it ends; scheduled polls before it are skipped.
	Interval time.Duration `json:"interval,omitempty"`
	NextPoll time.Time     `json:"next_poll,omitzero"`
}

// loadState returns a source's stored state; a missing or unreadable value
// is the empty state (a full poll).
func (f *Fetcher) loadState(ctx context.Context, source string) (sourceState, error) {
	var st sourceState
	if !f.opened.Load() {
		return st, fmt.Errorf("source %s: load state: %w", source, errNotOpen)
	}
	v, err := f.state.Get(ctx, source)
	if errors.Is(err, bus.ErrKeyNotFound) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("source %s: load state: %w", source, err)
	}
	if json.Unmarshal(v, &st) != nil {
		return sourceState{}, nil
	}
	return st, nil
}

// stateMessage is the write of a source's state as an output.
func (f *Fetcher) stateMessage(source string, st sourceState) (bus.Message, error) {
	v, err := json.Marshal(st)
	if err != nil {
		return bus.Message{}, fmt.Errorf("source %s: encode state: %w", source, err)
	}
	m := bus.KVPutMessage(f.topo, topology.BucketFeedState, source, v, "feedstate:"+source+":"+shortHash(v))
	// The state lists the jobs this poll queued as Pending: it is stored
	// only after they are (or the poll is retried from the old state).
	m.Last = true
	return m, nil
}
