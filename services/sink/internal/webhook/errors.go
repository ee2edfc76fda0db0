package webhook

import "errors"

// Sentinel errors of the package, matched with errors.Is.
var (
	// ErrRejected: the endpoint refused the delivery (a 4xx other than
	// 408 and 429); retrying will not change its answer.
	ErrRejected = errors.New("webhook: delivery rejected")
	// ErrBadSignature: Verify found no valid signature of the body.
	ErrBadSignature = errors.New("webhook: bad signature")
	// ErrStale: Verify found the signed time too far from now.
	ErrStale = errors.New("webhook: signature too old or too new")
	// ErrBadEndpoint: ParseEndpoint cannot use the configured endpoint.
	ErrBadEndpoint = errors.New("webhook: bad endpoint")
)
