package sink

import "errors"

// ErrNoArticleID is the (permanent) failure for an enriched event whose
// article has no id: it cannot be stored idempotently.
var ErrNoArticleID = errors.New("sink: enriched article has no id")
