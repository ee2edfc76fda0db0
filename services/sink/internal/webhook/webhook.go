// Package webhook POSTs agreement alerts, as JSON, to the URLs an operator
// configured, with retries.
package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Header names sent with every POST. Receivers should deduplicate on
// HeaderID: delivery is at least once, and when one of several URLs fails,
// the retry POSTs to all of them again.
const (
	HeaderID    = "Idempotency-Key"
	HeaderEvent = "X-Newspipe-Event"
)

// EventAgreementAlert is the HeaderEvent value of an alert.
const EventAgreementAlert = "agreement_alert"

// Poster sends one payload to every configured URL. Safe for concurrent use.
type Poster struct {
	client  *http.Client
	urls    []string
	tries   int
	backoff time.Duration
}

// Config configures a Poster.
type Config struct {
	// URLs receive every alert.
	URLs []string
	// Timeout bounds one request; default 10s.
	Timeout time.Duration
	// Tries is how often one URL is tried within one Post; default 3.
	Tries int
	// Backoff is the wait after the first failed try, doubled after each
	// further one; default 1s.
	Backoff time.Duration
}

// New returns a Poster for cfg.URLs.
func New(cfg Config) *Poster {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Tries <= 0 {
		cfg.Tries = 3
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	return &Poster{
		client:  &http.Client{Timeout: cfg.Timeout},
		urls:    append([]string(nil), cfg.URLs...),
		tries:   cfg.Tries,
		backoff: cfg.Backoff,
	}
}

// Post sends body (JSON) to every URL, retrying a URL that fails with a
// network error, a 5xx or a 429. It returns nil when every URL answered 2xx,
// else the errors of the URLs that did not.
func (p *Poster) Post(ctx context.Context, id string, body []byte) error {
	var errs []error
	for _, u := range p.urls {
		if err := p.postOne(ctx, u, id, body); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (p *Poster) postOne(ctx context.Context, u, id string, body []byte) error {
	wait := p.backoff
	var err error
	for try := 1; ; try++ {
		var retry bool
		retry, err = p.try(ctx, u, id, body)
		if err == nil {
			return nil
		}
		if !retry || try >= p.tries {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (gave up: %w)", err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// try POSTs once and says whether a failure is worth another try.
func (p *Poster) try(ctx context.Context, u, id string, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("webhook %s: %w", redact(u), err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "newspipe-sink")
	req.Header.Set(HeaderID, id)
	req.Header.Set(HeaderEvent, EventAgreementAlert)
	resp, err := p.client.Do(req)
	if err != nil {
		return ctx.Err() == nil, fmt.Errorf("webhook %s: %w", redact(u), err)
	}
	// Drain a little so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusRequestTimeout:
		return true, fmt.Errorf("webhook %s: status %d", redact(u), resp.StatusCode)
	default:
		return false, fmt.Errorf("webhook %s: status %d", redact(u), resp.StatusCode)
	}
}

// redact keeps credentials and query tokens out of errors and logs: many
// webhook URLs carry a secret.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable webhook URL)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}
