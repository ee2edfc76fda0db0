package deal

import "errors"

// ErrBadDate is returned by ParseDate for text that is not YYYY, YYYY-MM or
// YYYY-MM-DD.
var ErrBadDate = errors.New("not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
