package sink

import "errors"

// ErrNoArticleID is the (permanent) failure for an enriched event whose
// article has no id: it cannot be stored idempotently.
var ErrNoArticleID = errors.New("sink: enriched article has no id")

// ErrNoWebhookSecret is returned by New for webhooks without a secret to
// sign them with.
var ErrNoWebhookSecret = errors.New("sink: webhooks need a secret to sign them (WEBHOOK_SECRET)")
