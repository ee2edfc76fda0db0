package sink

import (
	"net/url"
	"strings"

	"github.com/newspipe/newspipe/pkg/service"
)

// Declare declares the sink's settings into ss, for bin/sink and the
// all-in-one alike. The store and the HTTP address are the server's, not the
// stage's: bin/sink and the all-in-one each declare their own (DeclareServer),
// under the same environment variables.
func (c *Config) Declare(ss *service.Settings) {
	ss.Duration(&c.AgreementWindow, "agreement-window", "AGREEMENT_WINDOW", DefaultAgreementWindow,
		"how far apart undated reports of one deal may be, and how long after a stated signing an undated report is news of it")
	ss.Int(&c.Workers, "workers", "SINK_WORKERS", 0, "concurrent writes; 0 = one per CPU")
	ss.Var((*urlList)(&c.Webhooks.URLs), "webhooks", "WEBHOOK_URLS",
		"comma-separated URLs to POST each new agreement alert to, as JSON; prefix one with slack: for Slack's payload (signed with env WEBHOOK_SECRET)").
		Redact(RedactWebhooks)
	// The secret comes from the environment only: a flag would show it in
	// the process list.
	ss.SecretEnv(&c.Webhooks.Secret, "WEBHOOK_SECRET", "key of the HMAC-SHA256 signature of every webhook delivery; required with webhooks")
}

// DeclareServer declares the store and the API's address with bin/sink's
// defaults.
func DeclareServer(ss *service.Settings, store, httpAddr *string) {
	ss.String(store, "store", "STORE_DSN", "./data/newspipe.db", "SQLite file path, or a postgres:// DSN").Redact(RedactDSN)
	ss.String(httpAddr, "http-addr", "HTTP_ADDR", "127.0.0.1:8080", "address of the story API, page and feed; loopback unless set (Kubernetes sets :8080)")
}

// urlList is a comma-separated list of URLs as a flag value.
type urlList []string

func (l *urlList) Set(s string) error {
	*l = nil
	for _, u := range strings.Split(s, ",") {
		if u = strings.TrimSpace(u); u != "" {
			*l = append(*l, u)
		}
	}
	return nil
}

func (l *urlList) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(*l, ",")
}

// RedactWebhooks shows only the scheme and host of each webhook URL: the
// path of a Slack webhook is its secret, and other URLs carry tokens in
// their queries.
func RedactWebhooks(list string) string {
	var out []string
	for _, raw := range strings.Split(list, ",") {
		prefix := ""
		if rest, ok := strings.CutPrefix(raw, "slack:"); ok {
			prefix, raw = "slack:", rest
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			out = append(out, prefix+"<redacted>")
			continue
		}
		out = append(out, prefix+u.Scheme+"://"+u.Host+"/<redacted>")
	}
	return strings.Join(out, ",")
}

// RedactDSN hides the password of a postgres:// DSN (and of a key=value
// one); a SQLite path is shown as it is.
func RedactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "redacted")
		}
		return u.String()
	}
	var parts []string
	for _, f := range strings.Fields(dsn) {
		if k, _, ok := strings.Cut(f, "="); ok && strings.EqualFold(k, "password") {
			f = k + "=redacted"
		}
		parts = append(parts, f)
	}
	if len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	return dsn
}
