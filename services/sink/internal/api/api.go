package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// Store is what the API reads. Implementations must be safe for concurrent
// use; the API never writes.
type Store interface {
	// GetStory returns a story or an error wrapping store.ErrNotFound.
	GetStory(ctx context.Context, id string) (store.Story, error)
	// ListStories returns the stories a filter selects, newest first.
	ListStories(ctx context.Context, f store.Filter) ([]store.Story, error)
	// ListAlerts returns up to limit alerts, newest first.
	ListAlerts(ctx context.Context, limit int) ([]store.Alert, error)
	// GetAlert returns an alert or an error wrapping store.ErrNotFound.
	GetAlert(ctx context.Context, key string) (store.Alert, error)
	// ListSources returns what the store holds of each source.
	ListSources(ctx context.Context) ([]store.SourceStats, error)
}

// Config configures the API.
type Config struct {
	// Now is the clock that since=24h counts back from; default time.Now.
	Now func() time.Time
	// Title heads the HTML page and the Atom feed; default "newspipe".
	Title string
}

// API serves the routes listed in the package doc.
type API struct {
	store Store
	log   *slog.Logger
	cfg   Config
	mux   *http.ServeMux
	web   *webPages
}

// New returns the API over st. Store errors are logged on log and answered
// with a bare 500.
func New(st Store, log *slog.Logger, cfg Config) *API {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Title == "" {
		cfg.Title = "newspipe"
	}
	a := &API{store: st, log: log, cfg: cfg, mux: http.NewServeMux(), web: newWebPages()}
	a.mux.HandleFunc("GET /api/stories", a.listStories)
	a.mux.HandleFunc("GET /api/stories/{id}", a.getStory)
	a.mux.HandleFunc("GET /api/alerts", a.listAlerts)
	a.mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint")
	})
	a.mux.HandleFunc("GET /{$}", a.home)
	a.mux.HandleFunc("GET /stories/{id}", a.storyPage)
	a.mux.HandleFunc("GET /deals/{key...}", a.dealPage)
	a.mux.HandleFunc("GET /sources", a.sourcesPage)
	a.mux.HandleFunc("GET /feed.atom", a.feed)
	return a
}

// ServeHTTP serves the API. A path or query that holds a NUL byte or is
// not UTF-8 is a bad request, answered 400 before any handler: no id,
// search or filter is such text, and PostgreSQL refuses it in a parameter,
// which would otherwise surface as a 500.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !cleanText(r.URL.Path) || !cleanText(r.URL.RawQuery) || !cleanQuery(r.URL.Query()) {
		writeError(w, http.StatusBadRequest, "the path or the query holds a NUL byte or text that is not UTF-8")
		return
	}
	a.mux.ServeHTTP(w, r)
}

// cleanText reports whether s is UTF-8 without NUL bytes.
func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func cleanQuery(q url.Values) bool {
	for k, vs := range q {
		if !cleanText(k) {
			return false
		}
		for _, v := range vs {
			if !cleanText(v) {
				return false
			}
		}
	}
	return true
}

func (a *API) listStories(w http.ResponseWriter, r *http.Request) {
	f, err := parseStoriesQuery(r.URL.Query(), a.cfg.Now())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	stories, next, err := a.listPage(r.Context(), f)
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	out := storyListJSON{Stories: make([]storyJSON, 0, len(stories)), NextCursor: next.String()}
	for _, s := range stories {
		out.Stories = append(out.Stories, toStory(s, false))
	}
	writeJSON(w, http.StatusOK, out)
}

// listPage returns the page of stories f selects and the cursor of the next
// page, zero on the last one. It asks the store for one story more than
// the page to know whether another page follows.
func (a *API) listPage(ctx context.Context, f store.Filter) ([]store.Story, store.Cursor, error) {
	n := f.Limit
	f.Limit++
	stories, err := a.store.ListStories(ctx, f)
	if err != nil {
		return nil, store.Cursor{}, err
	}
	if len(stories) <= n {
		return stories, store.Cursor{}, nil
	}
	stories = stories[:n]
	return stories, store.CursorOf(stories[n-1]), nil
}

func (a *API) getStory(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query(), nil); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s, err := a.store.GetStory(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "story not found")
		return
	}
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toStory(s, true))
}

func (a *API) listAlerts(w http.ResponseWriter, r *http.Request) {
	n, err := parseAlertsQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	alerts, err := a.store.ListAlerts(r.Context(), n)
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	out := alertsListJSON{Alerts: make([]alertJSON, 0, len(alerts))}
	for _, al := range alerts {
		out.Alerts = append(out.Alerts, toAlert(al))
	}
	writeJSON(w, http.StatusOK, out)
}

// internalError logs err and answers 500 without its text, which may name
// the database.
func (a *API) internalError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the client went away; nobody to answer
	}
	a.log.Error("api request failed", "path", r.URL.Path, "err", err)
	if isAPI(r) {
		writeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func isAPI(r *http.Request) bool { return len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/" }

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own types reach here, and they always marshal.
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorJSON{Error: msg})
}
