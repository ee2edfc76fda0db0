package api

import "errors"

// ErrBadParam wraps every rejected query parameter.
var ErrBadParam = errors.New("bad parameter")
