package api

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newspipe/newspipe/services/sink/internal/search"
	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// maxSinceDays bounds since=Nd; a bigger value is surely a typo.
const maxSinceDays = 36500

// Parameters each route accepts; any other is rejected (ErrBadParam), so
// that a typo such as topics=space answers 400 instead of an unfiltered
// list that looks like an answer.
var (
	storiesParams = []string{"q", "rucn", "topic", "entity", "lang", "source", "agreement", "stage", "deal", "group", "grouped",
		"since", "until", "stored_since", "stored_until", "limit", "cursor", "before"}
	alertsParams = []string{"limit"}
)

// checkParams rejects a parameter that is not in known.
func checkParams(q url.Values, known []string) error {
	for name := range q {
		if !slices.Contains(known, name) {
			if len(known) == 0 {
				return fmt.Errorf("%w: unknown parameter %q (this route takes none)", ErrBadParam, name)
			}
			return fmt.Errorf("%w: unknown parameter %q (this route accepts: %s)", ErrBadParam, name, strings.Join(known, ", "))
		}
	}
	return nil
}

// parseStoriesQuery turns the query of /api/stories into a store filter.
// Every error wraps ErrBadParam and names the parameter.
func parseStoriesQuery(q url.Values, now time.Time) (store.Filter, error) {
	var f store.Filter
	if err := checkParams(q, storiesParams); err != nil {
		return store.Filter{}, err
	}
	var err error
	if f.RuCn, err = boolParam(q, "rucn"); err != nil {
		return store.Filter{}, err
	}
	if f.Agreement, err = boolParam(q, "agreement"); err != nil {
		return store.Filter{}, err
	}
	if g, err := boolParam(q, "grouped"); err != nil {
		return store.Filter{}, err
	} else if g != nil {
		f.Grouped = *g
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
	if v, ok, err := single(q, "q"); err != nil {
		return store.Filter{}, err
	} else if ok && strings.TrimSpace(v) != "" {
		if f.Query, err = search.Parse(v); err != nil {
			return store.Filter{}, fmt.Errorf("%w: q: %w", ErrBadParam, err)
		}
	}
	for _, p := range []struct {
		name string
		dst  *string
		max  int
	}{{"entity", &f.Entity, 128}, {"lang", &f.Lang, 16}, {"source", &f.Source, 128}, {"stage", &f.Stage, 32}, {"group", &f.Group, 256}} {
		v, ok, err := single(q, p.name)
		if err != nil {
			return store.Filter{}, err
		}
		if !ok {
			continue
		}
		if !isID(v, p.max) {
			return store.Filter{}, fmt.Errorf("%w: %s: want an id (a-z, 0-9, '_', '-', '.', ':'), at most %d characters", ErrBadParam, p.name, p.max)
		}
		*p.dst = strings.ToLower(v)
	}
	if v, ok, err := single(q, "deal"); err != nil {
		return store.Filter{}, err
	} else if ok {
		if v == "" || len(v) > 512 || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return store.Filter{}, fmt.Errorf("%w: deal: want an alert key (the key of /api/alerts)", ErrBadParam)
		}
		f.AlertKey = v
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}, {"stored_since", &f.StoredSince}, {"stored_until", &f.StoredUntil}} {
		if *p.dst, err = timeParam(q, p.name, now); err != nil {
			return store.Filter{}, err
		}
	}
	if f.Before, err = cursorParam(q); err != nil {
		return store.Filter{}, err
	}
	return f, nil
}

// cursorParam reads cursor, or before, its older name: the next_cursor of
// the previous page.
func cursorParam(q url.Values) (store.Cursor, error) {
	if _, ok := q["cursor"]; ok {
		if _, both := q["before"]; both {
			return store.Cursor{}, fmt.Errorf("%w: cursor: give cursor or its old name before, not both", ErrBadParam)
		}
	}
	for _, name := range []string{"cursor", "before"} {
		v, ok, err := single(q, name)
		if err != nil {
			return store.Cursor{}, err
		}
		if !ok {
			continue
		}
		c, err := store.ParseCursor(v)
		if err != nil || c.IsZero() {
			return store.Cursor{}, fmt.Errorf("%w: %s: not a cursor this API gave out (use next_cursor)", ErrBadParam, name)
		}
		return c, nil
	}
	return store.Cursor{}, nil
}

// timeParam reads a time parameter (see parseSince); zero when absent.
func timeParam(q url.Values, name string, now time.Time) (time.Time, error) {
	v, ok, err := single(q, name)
	if err != nil || !ok {
		return time.Time{}, err
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		// A day, as the web page's date fields send it: from its start,
		// or until its end.
		if strings.HasSuffix(name, "until") {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	return parseSince(name, v, now)
}

// parseAlertsQuery reads the limit of /api/alerts.
func parseAlertsQuery(q url.Values) (int, error) {
	if err := checkParams(q, alertsParams); err != nil {
		return 0, err
	}
	return limitParam(q)
}

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

// isID reports whether s can be an id of an entity, language, source or
// stage: what the taxonomy and sources.yaml write.
func isID(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-.:", r)) {
			return false
		}
	}
	return true
}

// parseSince reads parameter name's value v: an RFC 3339 time, or a
// positive duration back from now: a Go duration (24h, 90m) or a whole
// number of days (7d).
func parseSince(name, v string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	var d time.Duration
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > maxSinceDays {
			return time.Time{}, fmt.Errorf("%w: %s: want days from 1 to %d, as in 7d", ErrBadParam, name, maxSinceDays)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		d, err = time.ParseDuration(v)
		if err != nil || d <= 0 {
			return time.Time{}, fmt.Errorf("%w: %s: want an RFC 3339 time or a positive duration such as 24h", ErrBadParam, name)
		}
	}
	return now.Add(-d), nil
}
