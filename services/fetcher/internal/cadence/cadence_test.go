package cadence

import (
	"net/http"
	"testing"
	"time"
)

func TestNext(t *testing.T) {
	const m = time.Minute
	p := Policy{Base: 10 * m}
	tests := []struct {
		name     string
		prev     time.Duration
		failures int
		o        Outcome
		want     time.Duration
	}{
		{"first poll, new items", 0, 0, Outcome{NewItems: 5}, 10 * m},
		{"new items halve the interval", 40 * m, 0, Outcome{NewItems: 1}, 20 * m},
		{"not below the configured interval", 12 * m, 0, Outcome{NewItems: 9}, 10 * m},
		{"nothing new lengthens it by half", 20 * m, 0, Outcome{}, 30 * m},
		{"up to six times the configured interval", 50 * m, 0, Outcome{}, 60 * m},
		{"max-age is a floor", 10 * m, 0, Outcome{NewItems: 1, MaxAge: 30 * m}, 30 * m},
		{"capped at the slowest", 10 * m, 0, Outcome{NewItems: 1, MaxAge: 24 * time.Hour}, 60 * m},
		{"ttl is a floor", 10 * m, 0, Outcome{NewItems: 1, TTL: 45 * m}, 45 * m},
		{"first failure: the configured interval", 30 * m, 1, Outcome{Failed: true}, 10 * m},
		{"third failure: four times", 30 * m, 3, Outcome{Failed: true}, 40 * m},
		{"backoff capped at 32 times the interval", 30 * m, 40, Outcome{Failed: true}, 320 * m},
		{"retry-after respected", 10 * m, 1, Outcome{Failed: true, RetryAfter: 2 * time.Hour}, 2 * time.Hour},
		{"retry-after capped at a day", 10 * m, 1, Outcome{Failed: true, RetryAfter: 72 * time.Hour}, 24 * time.Hour},
		{"short retry-after does not shorten backoff", 10 * m, 4, Outcome{Failed: true, RetryAfter: time.Minute}, 80 * m},
		{"hints do not apply to failures", 10 * m, 1, Outcome{Failed: true, MaxAge: time.Hour}, 10 * m},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Next(tt.prev, tt.failures, tt.o, 0.5); got != tt.want {
				t.Errorf("Next = %v, want %v", got, tt.want)
			}
		})
	}
	// Jitter: ±10%.
	if lo, hi := p.Next(0, 0, Outcome{NewItems: 1}, 0), p.Next(0, 0, Outcome{NewItems: 1}, 0.999999); lo != 9*m || hi < 10*m+59*time.Second || hi > 11*m {
		t.Errorf("jitter range %v..%v, want 9m..11m", lo, hi)
	}
	// Jitter never brings a poll before Retry-After.
	if got := p.Next(0, 1, Outcome{Failed: true, RetryAfter: time.Hour}, 0); got != time.Hour {
		t.Errorf("Retry-After 1h with the lowest jitter: %v", got)
	}
	// A slow source keeps its own interval as the floor and ceiling.
	slow := Policy{Base: 24 * time.Hour}
	if got := slow.Next(24*time.Hour, 0, Outcome{}, 0.5); got != 24*time.Hour {
		t.Errorf("daily source, nothing new: %v, want 24h", got)
	}
	if slow.MaxBackoff() != 24*time.Hour || slow.Slowest() != 24*time.Hour {
		t.Errorf("daily source bounds: slowest %v, backoff %v", slow.Slowest(), slow.MaxBackoff())
	}
}

// TestBackoffRecovers: a source that fails for a day is still polled every
// few hours, and the first success brings it back to its interval.
func TestBackoffRecovers(t *testing.T) {
	p := Policy{Base: 10 * time.Minute}
	var elapsed, d time.Duration
	polls := 0
	for failures := 1; elapsed < 24*time.Hour; failures++ {
		d = p.Next(d, failures, Outcome{Failed: true}, 0.5)
		elapsed += d
		polls++
		if d > 6*time.Hour {
			t.Fatalf("wait %v after %d failures: over six hours", d, failures)
		}
	}
	if polls < 8 {
		t.Errorf("only %d polls in a day of failures", polls)
	}
	if got := p.Next(d, 0, Outcome{NewItems: 3}, 0.5); got > 3*time.Hour {
		t.Errorf("first success after the outage: next wait %v", got)
	}
}

func TestMaxAge(t *testing.T) {
	now := time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{}, 0},
		{http.Header{"Cache-Control": {"public, max-age=600"}}, 10 * time.Minute},
		{http.Header{"Cache-Control": {"max-age=600, s-maxage=1200"}}, 20 * time.Minute},
		{http.Header{"Cache-Control": {"no-cache, max-age=600"}}, 0},
		{http.Header{"Cache-Control": {"max-age=\"300\""}}, 5 * time.Minute},
		{http.Header{"Cache-Control": {"max-age=-1"}}, 0},
		{http.Header{"Expires": {"Thu, 19 Nov 2026 12:30:00 GMT"}}, 30 * time.Minute},
		{http.Header{"Expires": {"Thu, 19 Nov 2026 12:30:00 GMT"}, "Date": {"Thu, 19 Nov 2026 12:20:00 GMT"}}, 10 * time.Minute},
		{http.Header{"Expires": {"0"}}, 0},
	}
	for _, tt := range tests {
		if got := MaxAge(tt.h, now); got != tt.want {
			t.Errorf("MaxAge(%v) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestStale(t *testing.T) {
	now := time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		lastNew time.Time
		gap     time.Duration
		want    bool
	}{
		{"never had news: not judged", time.Time{}, 0, false},
		{"busy source, quiet for an hour", now.Add(-time.Hour), 10 * time.Minute, false},
		{"busy source, quiet for three days", now.Add(-72 * time.Hour), 10 * time.Minute, true},
		{"weekly source, quiet for two weeks", now.Add(-14 * 24 * time.Hour), 7 * 24 * time.Hour, false},
		{"weekly source, quiet for five weeks", now.Add(-35 * 24 * time.Hour), 7 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		if got := Stale(tt.lastNew, now, tt.gap, 48*time.Hour); got != tt.want {
			t.Errorf("%s: Stale = %v, want %v", tt.name, got, tt.want)
		}
	}
	if g := Gap(0, time.Hour); g != time.Hour {
		t.Errorf("Gap(0, 1h) = %v", g)
	}
	if g := Gap(time.Hour, 2*time.Hour); g != 78*time.Minute {
		t.Errorf("Gap(1h, 2h) = %v, want 1h18m", g)
	}
}
