package decode

import "errors"

// ErrUnknownCharset is returned by Decode when a caller-forced label names no
// encoding known to the WHATWG encoding standard.
var ErrUnknownCharset = errors.New("unknown charset")
