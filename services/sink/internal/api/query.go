package api

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// maxSinceDays bounds since=Nd; a bigger value is surely a typo.
const maxSinceDays = 36500

// parseStoriesQuery turns the query of /api/stories into a store filter.
// Every error wraps ErrBadParam and names the parameter.
func parseStoriesQuery(q url.Values, now time.Time) (store.Filter, error) {
	var f store.Filter
	var err error
	if f.RuCn, err = boolParam(q, "rucn"); err != nil {
		return store.Filter{}, err
	}
	if f.Agreement, err = boolParam(q, "agreement"); err != nil {
		return store.Filter{}, err
	}
	if f.Limit, err = limitParam(q); err != nil {
		return store.Filter{}, err
	}
	if v, ok, err := single(q, "topic"); err != nil {
		return store.Filter{}, err
	} else if ok {
		if !isTopic(v) {
			return store.Filter{}, fmt.Errorf("%w: topic: want a topic token (a-z, 0-9, '_', '-')", ErrBadParam)
		}
		f.Topic = strings.ToLower(v)
	}
	if v, ok, err := single(q, "since"); err != nil {
		return store.Filter{}, err
	} else if ok {
		if f.Since, err = parseSince(v, now); err != nil {
			return store.Filter{}, err
		}
	}
	if v, ok, err := single(q, "before"); err != nil {
		return store.Filter{}, err
	} else if ok {
		if f.Before, err = store.ParseCursor(v); err != nil || f.Before.IsZero() {
			return store.Filter{}, fmt.Errorf("%w: before: not a cursor this API gave out", ErrBadParam)
		}
	}
	return f, nil
}

// parseAlertsQuery reads the limit of /api/alerts.
func parseAlertsQuery(q url.Values) (int, error) { return limitParam(q) }

// single returns the one value of parameter name. A parameter given twice
// is an error rather than a silent choice between the two.
func single(q url.Values, name string) (string, bool, error) {
	vs, ok := q[name]
	switch {
	case !ok:
		return "", false, nil
	case len(vs) > 1:
		return "", false, fmt.Errorf("%w: %s: given %d times", ErrBadParam, name, len(vs))
	}
	return vs[0], true, nil
}

func boolParam(q url.Values, name string) (*bool, error) {
	v, ok, err := single(q, name)
	if err != nil || !ok {
		return nil, err
	}
	var b bool
	switch v {
	case "true":
		b = true
	case "false":
	default:
		return nil, fmt.Errorf("%w: %s: want true or false", ErrBadParam, name)
	}
	return &b, nil
}

func limitParam(q url.Values) (int, error) {
	v, ok, err := single(q, "limit")
	if err != nil || !ok {
		return store.DefaultLimit, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > store.MaxLimit {
		return 0, fmt.Errorf("%w: limit: want an integer from 1 to %d", ErrBadParam, store.MaxLimit)
	}
	return n, nil
}

func isTopic(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// parseSince reads an RFC 3339 time, or a positive duration back from now:
// a Go duration (24h, 90m) or a whole number of days (7d).
func parseSince(v string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	var d time.Duration
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > maxSinceDays {
			return time.Time{}, fmt.Errorf("%w: since: want days from 1 to %d, as in 7d", ErrBadParam, maxSinceDays)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		d, err = time.ParseDuration(v)
		if err != nil || d <= 0 {
			return time.Time{}, fmt.Errorf("%w: since: want an RFC 3339 time or a positive duration such as 24h", ErrBadParam)
		}
	}
	return now.Add(-d), nil
}
