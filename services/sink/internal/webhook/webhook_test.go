package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	secret = []byte("a shared secret written for the tests")
	t0     = time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)
)

func TestVerify(t *testing.T) {
	body := []byte(`{"key":"rucn:zte+rostelecom/telecom@2026-11"}`)
	good := Sign(secret, t0, body)
	cases := []struct {
		name   string
		secret []byte
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"valid", secret, good, body, t0.Add(time.Minute), nil},
		{"tampered body", secret, good, []byte(`{"key":"rucn:zte+mts/telecom@2026-11"}`), t0, ErrBadSignature},
		{"wrong secret", []byte("another"), good, body, t0, ErrBadSignature},
		{"replayed later", secret, good, body, t0.Add(DefaultTolerance + time.Second), ErrStale},
		{"from the future", secret, good, body, t0.Add(-DefaultTolerance - time.Second), ErrStale},
		{"time changed", secret, strings.Replace(good, "t=", "t=1", 1), body, t0, ErrBadSignature},
		{"no header", secret, "", body, t0, ErrBadSignature},
		{"no v1", secret, "t=1", body, t0, ErrBadSignature},
		{"a second, rotated v1 is accepted", secret, Sign([]byte("old"), t0, body) + "," + strings.Split(good, ",")[1], body, t0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Verify(tc.secret, tc.header, tc.body, tc.now, DefaultTolerance)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

// receiver answers with status and records what it got.
type receiver struct {
	mu      sync.Mutex
	status  int
	bodies  []string
	headers []http.Header
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodies = append(r.bodies, string(b))
	r.headers = append(r.headers, req.Header.Clone())
	w.WriteHeader(r.status)
}

func TestSend(t *testing.T) {
	d := Delivery{ID: "k@2026-11:a1", JSON: []byte(`{"key":"k@2026-11"}`), Text: "New deal: ZTE · Rostelecom"}
	cases := []struct {
		name     string
		status   int
		slack    bool
		want     error // nil, ErrRejected, or errRetry
		wantBody string
	}{
		{"delivered", 200, false, nil, `{"key":"k@2026-11"}`},
		{"accepted", 202, false, nil, `{"key":"k@2026-11"}`},
		{"slack payload", 200, true, nil, `{"text":"New deal: ZTE · Rostelecom"}`},
		{"server error: retry", 503, false, errRetry, ""},
		{"too many requests: retry", 429, false, errRetry, ""},
		{"bad signature answer: rejected", 401, false, ErrRejected, ""},
		{"gone: rejected", 410, false, ErrRejected, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rcv := &receiver{status: tc.status}
			srv := httptest.NewServer(rcv)
			defer srv.Close()
			e := Endpoint{URL: srv.URL + "/hook?token=s3cret", Slack: tc.slack}
			err := NewClient(secret, 5*time.Second, func() time.Time { return t0 }).Send(context.Background(), e, d)
			switch {
			case tc.want == nil && err != nil, tc.want == ErrRejected && !errors.Is(err, ErrRejected),
				tc.want == errRetry && (err == nil || errors.Is(err, ErrRejected)):
				t.Fatalf("Send = %v, want %v", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the URL's secret", err)
			}
			if tc.wantBody == "" {
				return
			}
			h := rcv.headers[0]
			if rcv.bodies[0] != tc.wantBody || h.Get(HeaderID) != d.ID || h.Get(HeaderEvent) != EventAgreementAlert {
				t.Errorf("got body %s, headers %v", rcv.bodies[0], h)
			}
			if _, err := Verify(secret, h.Get(HeaderSignature), []byte(rcv.bodies[0]), t0, DefaultTolerance); err != nil {
				t.Errorf("the receiver cannot verify the delivery: %v", err)
			}
		})
	}
	t.Run("unreachable: retry, URL secret hidden", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		u := srv.URL
		srv.Close()
		err := NewClient(secret, time.Second, nil).Send(context.Background(), Endpoint{URL: u + "/?token=s3cret"}, d)
		if err == nil || errors.Is(err, ErrRejected) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Send = %v, want a retryable error without the token", err)
		}
	})
}

var errRetry = errors.New("retryable")

func TestParseEndpoint(t *testing.T) {
	cases := []struct {
		in    string
		slack bool
		ok    bool
	}{
		{"https://hooks.example/x", false, true},
		{"slack:https://hooks.example/services/T/B/X", true, true},
		{" http://127.0.0.1:9/h ", false, true},
		{"ftp://x/y", false, false},
		{"slack:", false, false},
		{"not a url", false, false},
	}
	for _, tc := range cases {
		e, err := ParseEndpoint(tc.in)
		if (err == nil) != tc.ok || (tc.ok && e.Slack != tc.slack) {
			t.Errorf("ParseEndpoint(%q) = %+v, %v", tc.in, e, err)
		}
		if err != nil && !errors.Is(err, ErrBadEndpoint) {
			t.Errorf("ParseEndpoint(%q): %v does not wrap ErrBadEndpoint", tc.in, err)
		}
	}
	a, _ := ParseEndpoint("https://hooks.example/x")
	b, _ := ParseEndpoint("slack:https://hooks.example/x")
	if a.ID() == b.ID() || len(a.ID()) != 16 {
		t.Errorf("ids %q %q: want distinct 16-character ids", a.ID(), b.ID())
	}
}
