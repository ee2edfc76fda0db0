package fetcher

import (
	"testing"
	"time"
)

func TestSlots(t *testing.T) {
	base := time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		id       string
		interval time.Duration
	}{
		{"ten minutes", "tass-en", 10 * time.Minute},
		{"two seconds", "demo", 2 * time.Second},
		{"a day", "slow-source", 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSlots(tt.id, tt.interval)
			if s.phase < 0 || s.phase >= tt.interval {
				t.Fatalf("phase %v outside [0, %v)", s.phase, tt.interval)
			}
			if again := newSlots(tt.id, tt.interval); again != s {
				t.Fatalf("slots differ between calls: every replica must compute the same ones")
			}
			for _, at := range []time.Time{base, base.Add(tt.interval / 3), base.Add(-7 * tt.interval), time.Unix(0, 0), time.Unix(0, -1)} {
				n := s.at(at)
				start, next := s.start(n), s.start(n+1)
				if at.Before(start) || !at.Before(next) {
					t.Errorf("time %v is in slot %d, which runs from %v to %v", at, n, start, next)
				}
				if next.Sub(start) != tt.interval {
					t.Errorf("slot %d lasts %v, want %v", n, next.Sub(start), tt.interval)
				}
				if s.at(start) != n || s.at(next.Add(-time.Nanosecond)) != n || s.at(next) != n+1 {
					t.Errorf("slot %d boundaries are not consistent", n)
				}
			}
		})
	}
}

func TestSlotPhasesSpread(t *testing.T) {
	// Sources with the same interval should not all poll at one instant.
	phases := map[time.Duration]bool{}
	for _, id := range []string{"tass-en", "tass-ru", "ria", "interfax", "ithome", "36kr", "xataka", "antara-tekno"} {
		phases[newSlots(id, 15*time.Minute).phase] = true
	}
	if len(phases) < 6 {
		t.Fatalf("8 sources share %d phases, want them spread", len(phases))
	}
}

func TestFeedJobID(t *testing.T) {
	tests := []struct {
		source string
		slot   int64
		want   string
	}{
		{"tass-en", 2961234, "feed:tass-en:2961234"},
		{"demo", -3, "feed:demo:-3"},
	}
	for _, tt := range tests {
		if got := feedJobID(tt.source, tt.slot); got != tt.want {
			t.Errorf("feedJobID(%q, %d) = %q, want %q", tt.source, tt.slot, got, tt.want)
		}
	}
}

func TestNextAfter(t *testing.T) {
	s := slots{interval: 10 * time.Minute, phase: 0}
	base := time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC) // a slot boundary
	n := s.at(base)
	tests := []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"published at the slot's start", base, base.Add(10 * time.Minute)},
		{"published early in the slot", base.Add(4 * time.Minute), base.Add(10 * time.Minute)},
		{"published late in the slot: skip one", base.Add(6 * time.Minute), base.Add(20 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.nextAfter(n, tt.now)
			if !got.Equal(tt.want) {
				t.Fatalf("nextAfter = %v, want %v", got, tt.want)
			}
			if got.Sub(tt.now) < s.interval/2 {
				t.Fatalf("next poll %v after this one, under half an interval", got.Sub(tt.now))
			}
		})
	}
}
