package fetcher

import (
	"context"
	"hash/fnv"
	"strconv"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// publishRetry is how soon a FeedJob whose publish failed is tried again.
const publishRetry = 10 * time.Second

// headerPoll, set to pollScheduled on the scheduler's FeedJobs, lets the
// feed stage skip a slot the source's cadence says is too early; a FeedJob
// without it (a person's, a test's) is always polled.
const (
	headerPoll    = "Newspipe-Poll"
	pollScheduled = "scheduled"
)

// slots cuts time into a source's poll slots. Every replica computes the
// same slots, which is what lets the server's message-id deduplication
// turn N schedulers into one poll per slot.
type slots struct {
	interval time.Duration
	// phase offsets the slots so that sources with the same interval do
	// not all poll at the same instant.
	phase time.Duration
}

func newSlots(id string, interval time.Duration) slots {
	h := fnv.New64a()
	h.Write([]byte(id))
	return slots{interval: interval, phase: time.Duration(h.Sum64() % uint64(interval))}
}

// at returns the number of the slot that contains t.
func (s slots) at(t time.Time) int64 {
	d := t.UnixNano() - int64(s.phase)
	n := d / int64(s.interval)
	if d < 0 && d%int64(s.interval) != 0 {
		n-- // floor, not truncation, before the epoch
	}
	return n
}

// start returns when slot n begins.
func (s slots) start(n int64) time.Time {
	return time.Unix(0, n*int64(s.interval)+int64(s.phase))
}

// nextAfter returns when to schedule the slot after n, published at now:
// the start of slot n+1, unless that is less than half an interval away (at
// start-up, slot n is published late), in which case slot n+2's, so that
// two polls of a feed are never closer than half an interval.
func (s slots) nextAfter(n int64, now time.Time) time.Time {
	next := s.start(n + 1)
	if next.Sub(now) < s.interval/2 {
		next = s.start(n + 2)
	}
	return next
}

// feedJobID is the message id of source's poll in slot n.
func feedJobID(source string, n int64) string {
	return "feed:" + source + ":" + strconv.FormatInt(n, 10)
}

type scheduled struct {
	src   Source
	slots slots
	due   time.Time
}

// schedule publishes a FeedJob for each source at once (its current slot),
// then at the start of each following slot, until ctx is done. A failed
// publish is tried again shortly for the same slot.
func (f *Fetcher) schedule(ctx context.Context, list []Source) error {
	now := f.now()
	jobs := make([]*scheduled, 0, len(list))
	for _, s := range list {
		jobs = append(jobs, &scheduled{src: s, slots: newSlots(s.ID, f.interval(s.ID)), due: now})
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		now = f.now()
		next := now.Add(time.Hour)
		for _, j := range jobs {
			if !j.due.After(now) {
				n := j.slots.at(now)
				if err := f.publishFeedJob(ctx, j.src, j.slots, n); err != nil {
					if ctx.Err() != nil {
						return nil
					}
					f.log.Warn("schedule feed poll failed, will retry", "source_id", j.src.ID, "err", err, "retry_in", publishRetry.String())
					j.due = now.Add(publishRetry)
				} else {
					f.metrics.scheduled.WithLabelValues(j.src.ID).Inc()
					j.due = j.slots.nextAfter(n, now)
				}
			}
			if j.due.Before(next) {
				next = j.due
			}
		}
		timer.Reset(max(next.Sub(f.now()), 0))
	}
}

func (f *Fetcher) publishFeedJob(ctx context.Context, s Source, sl slots, n int64) error {
	data, h, err := events.Marshal(&newspipev1.FeedJob{
		SourceId: s.ID, FeedUrl: s.URL, ScheduledAt: timestamppb.New(sl.start(n)),
	})
	if err != nil {
		return err
	}
	h[headerPoll] = pollScheduled
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return f.bus.Publish(ctx, bus.Message{Subject: f.topo.FeedJobs(), MsgID: feedJobID(s.ID, n), Header: h, Data: data})
}
