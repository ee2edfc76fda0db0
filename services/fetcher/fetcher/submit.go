package fetcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/articleid"
	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/stage"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/fetcher/internal/sources"
)

// SubmittedSource is the source id of submitted URLs that name none: their
// RawArticles go to news.raw.submitted.
const SubmittedSource = "submitted"

// maxSubmission bounds a submission's body.
const maxSubmission = 64 << 10

// submission is a URL submitted at run time, over HTTP (POST /api/submit)
// or NATS (news.jobs.submit): a JSON object, or the bare URL.
type submission struct {
	URL      string `json:"url"`
	SourceID string `json:"source_id,omitempty"`
	Lang     string `json:"lang,omitempty"`
}

func parseSubmission(data []byte) (submission, error) {
	var s submission
	data = []byte(strings.TrimSpace(string(data)))
	if len(data) > 0 && data[0] == '{' {
		if err := json.Unmarshal(data, &s); err != nil {
			return s, fmt.Errorf("%w: not the JSON object {\"url\": …}: %v", errBadSubmission, err)
		}
	} else {
		s.URL = string(data)
	}
	return s, nil
}

// submitJob checks a submission and returns the ArticleJob that fetches it,
// and the article id. An address the guard refuses is refused here when the
// URL names it literally; a name that resolves to one is refused when the
// page is fetched.
func (f *Fetcher) submitJob(s submission) (bus.Message, string, error) {
	s.URL = strings.TrimSpace(s.URL)
	u, err := url.Parse(s.URL)
	switch {
	case s.URL == "" || len(s.URL) > 4096:
		return bus.Message{}, "", fmt.Errorf("%w: url missing or longer than 4,096 bytes", errBadSubmission)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return bus.Message{}, "", fmt.Errorf("%w: %q is not an absolute http(s) URL", errBadSubmission, s.URL)
	case u.User != nil:
		return bus.Message{}, "", fmt.Errorf("%w: the URL carries credentials", errBadSubmission)
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if err := f.guard.Check(ip); err != nil {
			return bus.Message{}, "", fmt.Errorf("%w: %w", errBadSubmission, err)
		}
	}
	if s.SourceID == "" {
		s.SourceID = SubmittedSource
	}
	src := Source{ID: s.SourceID, URL: s.URL, Lang: strings.ToLower(s.Lang)}
	if err := sources.Validate([]Source{src}); err != nil {
		return bus.Message{}, "", fmt.Errorf("%w: %w", errBadSubmission, err)
	}
	if known, ok := f.sources[s.SourceID]; ok && src.Lang == "" {
		src.Lang = known.Lang
	}
	id, canonicalURL, err := articleid.ID(s.URL)
	if err != nil {
		return bus.Message{}, "", fmt.Errorf("%w: %w", errBadSubmission, err)
	}
	data, h, err := events.Marshal(&newspipev1.ArticleJob{
		Id: id, Url: s.URL, CanonicalUrl: canonicalURL, SourceId: src.ID, SourceLang: src.Lang,
		DiscoveredAt: timestamppb.New(f.now()),
	})
	if err != nil {
		return bus.Message{}, "", err
	}
	h[events.HeaderArticleID] = id
	return bus.Message{Subject: f.topo.ArticleJobs(), MsgID: "job:" + id, Header: h, Data: data}, id, nil
}

// handleSubmit turns a submission from news.jobs.submit into an
// ArticleJob; a bad one is dead-lettered with the reason.
func (f *Fetcher) handleSubmit(_ context.Context, m *stage.Message) ([]bus.Message, error) {
	s, err := parseSubmission(m.Data)
	if err != nil {
		return nil, stage.Permanent(err)
	}
	msg, id, err := f.submitJob(s)
	if err != nil {
		return nil, stage.Permanent(err)
	}
	f.metrics.submitted.WithLabelValues("nats").Inc()
	f.log.Info("url submitted", "article_id", id, "url", s.URL, "via", "nats")
	return []bus.Message{msg}, nil
}

// submitHTTP is POST /api/submit: a JSON submission, a form with url=, or
// the bare URL as the body. It answers 202 with the article id once the
// job is queued, 200 if the article is already published, 400 with the
// reason for a bad URL.
func (f *Fetcher) submitHTTP(w http.ResponseWriter, r *http.Request) {
	if !f.ready(w) {
		return
	}
	var s submission
	var err error
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(w, r.Body, maxSubmission)
	if mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data" {
		if err = r.ParseForm(); err == nil {
			s = submission{URL: r.PostFormValue("url"), SourceID: r.PostFormValue("source_id"), Lang: r.PostFormValue("lang")}
		}
	} else {
		var body []byte
		if body, err = io.ReadAll(r.Body); err == nil {
			s, err = parseSubmission(body)
		}
	}
	var msg bus.Message
	var id string
	if err == nil {
		msg, id, err = f.submitJob(s)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	switch _, err := f.seen.Get(r.Context(), id); {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]string{"id": id, "url": s.URL, "status": "seen"})
		return
	case !errors.Is(err, bus.ErrKeyNotFound):
		f.log.Error("submit: check seen", "article_id", id, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "could not reach NATS"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := f.bus.Publish(ctx, msg); err != nil {
		f.log.Error("submit: queue", "article_id", id, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "could not queue the job"})
		return
	}
	f.metrics.submitted.WithLabelValues("http").Inc()
	f.log.Info("url submitted", "article_id", id, "url", s.URL, "via", "http")
	writeJSON(w, http.StatusAccepted, map[string]string{"id": id, "url": s.URL, "status": "queued"})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
