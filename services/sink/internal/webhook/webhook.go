// Package webhook POSTs agreement alerts to the endpoints an operator
// configured, signed so that a receiver can check that a delivery comes
// from this newspipe, unchanged, and is not a replay.
//
// # Signature
//
// Every POST carries the header
//
//	Newspipe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// where the HMAC is computed with the shared secret (WEBHOOK_SECRET) over
// the bytes "<t>." followed by the request body, exactly as received. A
// receiver recomputes it and compares in constant time (Verify does all of
// this), rejects a t more than five minutes from its own clock (a replay of
// an old delivery), and remembers the Idempotency-Key of the deliveries it
// accepted within that window (a replay of a recent one, and a retry of a
// delivery it already took). Each try is signed anew, with its own t.
//
// Delivery itself (retries, outcomes, at most once per endpoint) is the
// sink's: see package sink.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Header names sent with every POST. Receivers should deduplicate on
// HeaderID: delivery is at least once.
const (
	HeaderID        = "Idempotency-Key"
	HeaderEvent     = "X-Newspipe-Event"
	HeaderSignature = "Newspipe-Signature"
)

// EventAgreementAlert is the HeaderEvent value of an alert.
const EventAgreementAlert = "agreement_alert"

// DefaultTolerance is how far a delivery's signed time may be from the
// receiver's clock before Verify refuses it as a replay.
const DefaultTolerance = 5 * time.Minute

// slackPrefix marks an endpoint that takes Slack's incoming-webhook
// payload, {"text": "..."}, instead of the alert's JSON.
const slackPrefix = "slack:"

// Endpoint is one receiver of the webhooks.
type Endpoint struct {
	URL string
	// Slack sends Slack's payload ({"text": …}) instead of the alert JSON.
	Slack bool
}

// ParseEndpoint reads one configured endpoint: an http or https URL,
// prefixed with "slack:" for a Slack-compatible receiver.
func ParseEndpoint(s string) (Endpoint, error) {
	var e Endpoint
	raw, slack := strings.CutPrefix(strings.TrimSpace(s), slackPrefix)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return e, fmt.Errorf("%w: %q: want an http(s) URL, optionally prefixed with %q", ErrBadEndpoint, redact(raw), slackPrefix)
	}
	return Endpoint{URL: raw, Slack: slack}, nil
}

// ID names the endpoint in the store and in logs without its URL, which
// often holds a secret: a hash of the URL and format.
func (e Endpoint) ID() string {
	h := sha256.Sum256([]byte(fmt.Sprint(e.Slack, " ", e.URL)))
	return hex.EncodeToString(h[:8])
}

// String returns the endpoint's URL without credentials or query.
func (e Endpoint) String() string { return redact(e.URL) }

// Delivery is one alert to send.
type Delivery struct {
	// ID is the idempotency key, the same on every try.
	ID string
	// JSON is the alert as one item of /api/alerts.
	JSON []byte
	// Text is the alert in a line or two, for Slack.
	Text string
}

// Client sends deliveries. Safe for concurrent use.
type Client struct {
	http   *http.Client
	secret []byte
	now    func() time.Time
}

// NewClient returns a client that signs with secret and gives up on one
// request after timeout; now is its clock (nil: time.Now).
func NewClient(secret []byte, timeout time.Duration, now func() time.Time) *Client {
	if now == nil {
		now = time.Now
	}
	return &Client{http: &http.Client{Timeout: timeout}, secret: append([]byte(nil), secret...), now: now}
}

// Send POSTs d to e once. It returns nil when e answered 2xx, an error
// wrapping ErrRejected when e refused the delivery in a way a retry will
// not change (a 4xx other than 408 and 429), and any other error for a
// failure worth retrying.
func (c *Client) Send(ctx context.Context, e Endpoint, d Delivery) error {
	body := d.JSON
	if e.Slack {
		var err error
		if body, err = json.Marshal(struct {
			Text string `json:"text"`
		}{d.Text}); err != nil {
			return fmt.Errorf("webhook %s: %w", e, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", e, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "newspipe-sink")
	req.Header.Set(HeaderID, d.ID)
	req.Header.Set(HeaderEvent, EventAgreementAlert)
	req.Header.Set(HeaderSignature, Sign(c.secret, c.now(), body))
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", e, redactErr(err))
	}
	// Drain a little so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusRequestTimeout:
		return fmt.Errorf("webhook %s: status %d", e, resp.StatusCode)
	default:
		return fmt.Errorf("webhook %s: status %d: %w", e, resp.StatusCode, ErrRejected)
	}
}

// Sign returns the HeaderSignature value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a delivery as a receiver should: header is its
// HeaderSignature, body the request body as received. It returns the
// signed time, or an error wrapping ErrBadSignature (malformed, or not
// made with secret over this body) or ErrStale (signed more than tolerance
// from now, before or after: a replay, or a clock far off). A receiver
// must also refuse an Idempotency-Key it accepted within tolerance.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) (time.Time, error) {
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return time.Time{}, fmt.Errorf("%w: malformed %s header", ErrBadSignature, HeaderSignature)
	}
	want := mac(secret, ts, body)
	ok := false
	for _, s := range sigs {
		ok = hmac.Equal(s, want) || ok
	}
	if !ok {
		return time.Time{}, ErrBadSignature
	}
	t := time.Unix(sec, 0)
	if d := now.Sub(t); d > tolerance || d < -tolerance {
		return t, fmt.Errorf("%w: signed at %s, %s from now", ErrStale, t.UTC().Format(time.RFC3339), d.Round(time.Second))
	}
	return t, nil
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

// redactErr drops the URL a *url.Error quotes, which may hold a secret.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
