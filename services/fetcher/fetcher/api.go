package fetcher

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"sort"
	"time"
)

// Routes are the paths Handler serves, for a caller that mounts it on a
// mux of its own beside other handlers.
func Routes() []string { return []string{"/api/sources", "/fetcher/sources", "/api/submit"} }

// Handler serves the fetcher's HTTP routes: GET /api/sources (each source's
// configuration and state, as JSON), GET /fetcher/sources (the same as a
// web page; /sources is the sink's page of stored stories by source)
// and POST /api/submit (a URL to fetch now; see submitHTTP). The standalone fetcher mounts it on its admin port; the all-in-one
// on its HTTP server. Until Run has opened the buckets it answers 503.
func (f *Fetcher) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/sources", f.listSources)
	mux.HandleFunc("GET /fetcher/sources", f.sourcesPage)
	mux.HandleFunc("POST /api/submit", f.submitHTTP)
	return mux
}

// sourceJSON is one entry of GET /api/sources. Times are RFC 3339 UTC, or
// null where the event has not happened yet.
type sourceJSON struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	URL      string   `json:"url"`
	Lang     string   `json:"lang,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Enabled  bool     `json:"enabled"`
	Interval string   `json:"interval"`

	LastPoll          *time.Time `json:"last_poll"`
	LastSuccess       *time.Time `json:"last_success"`
	LastError         string     `json:"last_error,omitempty"`
	LastErrorKind     string     `json:"last_error_kind,omitempty"`
	LastErrorAt       *time.Time `json:"last_error_at"`
	ConsecutiveErrors int        `json:"consecutive_errors"`
	LastNewItem       *time.Time `json:"last_new_item"`
	ItemsSeen         int64      `json:"items_seen"`
	Backlog           int        `json:"backlog"`
	Deferred          int        `json:"deferred"`
	// NextPoll and PollInterval are the cadence the last poll chose.
	NextPoll     *time.Time `json:"next_poll"`
	PollInterval string     `json:"poll_interval,omitempty"`
	// Stale is true when the source has published nothing new for longer
	// than it should.
	Stale bool `json:"stale"`
	// Status sums the rest up: "new" (never polled), "ok", "failing".
	Status string `json:"status"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// sourceList reads every configured source's state.
func (f *Fetcher) sourceList(ctx context.Context) ([]sourceJSON, error) {
	list := make([]sourceJSON, 0, len(f.cfg.Sources))
	for _, s := range f.cfg.Sources {
		st, err := f.loadState(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		j := sourceJSON{
			ID: s.ID, Name: s.Name, Kind: s.KindOrDefault(), URL: s.URL, Lang: s.Lang, Tags: s.Tags,
			Enabled: !s.Disabled, Interval: f.interval(s.ID).String(),
			LastPoll: timePtr(st.LastPoll), LastSuccess: timePtr(st.LastSuccess), LastError: st.LastError,
			LastErrorKind: st.LastErrorKind, LastErrorAt: timePtr(st.LastErrorAt), ConsecutiveErrors: st.ConsecutiveErrors,
			LastNewItem: timePtr(st.LastNewItem), ItemsSeen: st.ItemsSeen, Backlog: len(st.Pending), Deferred: st.Deferred,
			NextPoll: timePtr(st.NextPoll), Stale: !st.LastPoll.IsZero() && f.stale(&st),
		}
		if st.Interval > 0 {
			j.PollInterval = st.Interval.Round(time.Second).String()
		}
		switch {
		case st.LastPoll.IsZero():
			j.Status = "new"
		case st.ConsecutiveErrors > 0:
			j.Status = "failing"
		default:
			j.Status = "ok"
		}
		list = append(list, j)
	}
	sort.SliceStable(list, func(i, k int) bool { return list[i].ID < list[k].ID })
	return list, nil
}

func (f *Fetcher) ready(w http.ResponseWriter) bool {
	if !f.opened.Load() {
		http.Error(w, "fetcher starting", http.StatusServiceUnavailable)
		return false
	}
	return true
}

func (f *Fetcher) listSources(w http.ResponseWriter, r *http.Request) {
	if !f.ready(w) {
		return
	}
	list, err := f.sourceList(r.Context())
	if err != nil {
		f.log.Error("list sources", "err", err)
		http.Error(w, "could not read the sources' state", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(struct {
		Sources []sourceJSON `json:"sources"`
	}{list})
}

var sourcesTemplate = template.Must(template.New("sources").Funcs(template.FuncMap{
	"when": func(t *time.Time) string {
		if t == nil {
			return "—"
		}
		return t.Format("2006-01-02 15:04:05Z")
	},
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newspipe sources</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.failing{color:#a00}.new{color:#777}small{color:#555}</style></head>
<body><h1>Sources</h1><p><small>The same as <a href="/api/sources">GET /api/sources</a>.</small></p>
<table><tr><th>source</th><th>kind</th><th>status</th><th>last success</th><th>last error</th><th>items</th><th>backlog</th><th>deferred</th><th>last new item</th><th>next poll</th></tr>
{{range .}}<tr class="{{.Status}}"><td><a href="{{.URL}}" rel="nofollow noreferrer">{{.Name}}</a><br><small>{{.ID}}{{if not .Enabled}} (disabled){{end}} · every {{.Interval}}</small></td>
<td>{{.Kind}}</td><td>{{.Status}}</td><td>{{when .LastSuccess}}</td>
<td>{{if .LastErrorKind}}{{.LastErrorKind}} at {{when .LastErrorAt}}<br><small>{{.LastError}}</small>{{end}}</td>
<td>{{.ItemsSeen}}</td><td>{{.Backlog}}</td><td>{{.Deferred}}</td><td>{{when .LastNewItem}}{{if .Stale}} <strong>(stale)</strong>{{end}}</td>
<td>{{when .NextPoll}}{{if .PollInterval}}<br><small>every {{.PollInterval}}</small>{{end}}</td></tr>
{{end}}</table></body></html>
`))

func (f *Fetcher) sourcesPage(w http.ResponseWriter, r *http.Request) {
	if !f.ready(w) {
		return
	}
	list, err := f.sourceList(r.Context())
	if err != nil {
		f.log.Error("list sources", "err", err)
		http.Error(w, "could not read the sources' state", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = sourcesTemplate.Execute(w, list)
}
