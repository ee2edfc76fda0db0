// Package cadence decides when a source is next polled, and whether it has
// gone quiet for too long. It is a pure function of the poll's outcome and
// what came before: no clock, no randomness of its own.
//
// The rules:
//
//   - The configured interval is the fastest a source is polled (Base).
//   - A poll that finds new items halves the interval, down to Base; one
//     that finds none (or gets a 304) lengthens it by half, up to Slowest:
//     six times Base, at most six hours (never below Base).
//   - The publisher's own hints are honoured: Cache-Control max-age (or
//     Expires) and the RSS <ttl> are floors, capped at Slowest.
//   - A failure backs off exponentially from Base (Base, 2×, 4×…) up to
//     MaxBackoff (32 × Base, at most six hours), so a dead source is still
//     tried a few times a day and a recovered one is noticed; a success
//     resets it. 429 and 503 with Retry-After wait at least that long (at
//     most a day).
//   - Jitter of ±10% spreads sources that would otherwise poll in step; it
//     never brings a poll before a Retry-After.
package cadence

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Outcome is what one poll found.
type Outcome struct {
	// Failed is a poll that got no usable document.
	Failed bool
	// NewItems counts the items not seen before.
	NewItems int
	// RetryAfter is the server's Retry-After, zero if none.
	RetryAfter time.Duration
	// MaxAge is how long the response says it may be cached (Cache-Control
	// max-age, else Expires), zero if it says nothing.
	MaxAge time.Duration
	// TTL is the feed's RSS <ttl>, zero if none.
	TTL time.Duration
}

// Policy holds a source's bounds.
type Policy struct {
	// Base is the configured interval: the fastest the source is polled.
	Base time.Duration
}

const (
	slowestFactor = 6
	slowestCap    = 6 * time.Hour
	backoffFactor = 32
	backoffCap    = 6 * time.Hour
	retryAfterCap = 24 * time.Hour
	jitterShare   = 0.1
)

// Slowest is the longest interval between two polls of a source that works.
func (p Policy) Slowest() time.Duration {
	return max(p.Base, min(slowestFactor*p.Base, slowestCap))
}

// MaxBackoff is the longest wait after failures.
func (p Policy) MaxBackoff() time.Duration {
	return max(p.Base, min(backoffFactor*p.Base, backoffCap))
}

// Next returns the interval to wait after a poll: prev is the interval that
// led to it (zero for a first poll), failures the consecutive failed polls
// including this one, jitter a number in [0, 1) the caller draws.
func (p Policy) Next(prev time.Duration, failures int, o Outcome, jitter float64) time.Duration {
	var d time.Duration
	switch {
	case o.Failed:
		d = p.Base
		for i := 1; i < failures && d < p.MaxBackoff(); i++ {
			d *= 2
		}
		d = min(d, p.MaxBackoff())
		if o.RetryAfter > 0 {
			d = max(d, min(o.RetryAfter, retryAfterCap))
		}
	case o.NewItems > 0:
		d = max(p.Base, prev/2)
	default:
		d = min(max(prev, p.Base)*3/2, p.Slowest())
	}
	if !o.Failed {
		for _, hint := range []time.Duration{o.MaxAge, o.TTL} {
			d = max(d, min(hint, p.Slowest()))
		}
	}
	d = time.Duration(float64(d) * (1 + (2*jitter-1)*jitterShare))
	if o.Failed && o.RetryAfter > 0 {
		d = max(d, min(o.RetryAfter, retryAfterCap)) // jitter never brings a retry forward
	}
	return d
}

// MaxAge reads how long a response may be cached: Cache-Control's
// s-maxage or max-age, else Expires less Date; zero for no-store, no-cache
// or nothing.
func MaxAge(h http.Header, now time.Time) time.Duration {
	if cc := strings.ToLower(h.Get("Cache-Control")); cc != "" {
		var age time.Duration
		found := false
		for _, d := range strings.Split(cc, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch k {
			case "no-store", "no-cache":
				return 0
			case "max-age", "s-maxage":
				if n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64); err == nil && n > 0 {
					if s := time.Duration(min(n, int64(365*24*3600))) * time.Second; !found || k == "s-maxage" {
						age, found = s, true
					}
				}
			}
		}
		if found {
			return age
		}
	}
	if exp, err := http.ParseTime(h.Get("Expires")); err == nil {
		ref := now
		if date, err := http.ParseTime(h.Get("Date")); err == nil {
			ref = date
		}
		if exp.After(ref) {
			return exp.Sub(ref)
		}
	}
	return 0
}

// Gap folds the time between two polls that found new items into a
// running mean (exponentially weighted, recent gaps weigh 30%).
func Gap(mean, gap time.Duration) time.Duration {
	if mean <= 0 {
		return gap
	}
	return time.Duration(0.7*float64(mean) + 0.3*float64(gap))
}

// Stale reports whether a source has been silent longer than it should:
// no new item since lastNew for more than four of its usual gaps between
// new items, and never less than floor (a source that publishes every ten
// minutes is not stale after forty on a Sunday night).
func Stale(lastNew, now time.Time, meanGap, floor time.Duration) bool {
	if lastNew.IsZero() {
		return false
	}
	return now.Sub(lastNew) > max(floor, 4*meanGap)
}
