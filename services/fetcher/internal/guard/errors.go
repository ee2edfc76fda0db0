package guard

import (
	"errors"
	"fmt"
	"net/netip"
)

// ErrRefused matches every *RefusedError.
var ErrRefused = errors.New("address refused")

// RefusedError is a connection the Policy refused.
type RefusedError struct {
	// Addr is the address refused (invalid when it could not be parsed).
	Addr netip.Addr
	// Reason names the range: "loopback", "private", "cloud metadata"…
	Reason string
}

// Error says which address was refused and why, and how to allow it.
func (e *RefusedError) Error() string {
	if !e.Addr.IsValid() {
		return fmt.Sprintf("address refused: %s", e.Reason)
	}
	return fmt.Sprintf("address %s refused: %s range (allow it with FETCH_ALLOW_CIDRS / -allow-cidrs)", e.Addr, e.Reason)
}

// Is makes errors.Is(err, ErrRefused) true.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }
