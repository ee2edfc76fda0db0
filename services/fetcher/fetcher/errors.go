package fetcher

import "errors"

// errNotOpen is a read of the buckets before Run has opened them (an HTTP
// request that came early).
var errNotOpen = errors.New("buckets not open yet")

// errBadSubmission is a submitted URL that cannot be fetched: not absolute
// http(s), carrying credentials, naming an address the guard refuses, or a
// bad source id or language.
var errBadSubmission = errors.New("bad submission")
