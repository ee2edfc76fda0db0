package stage

import (
	"errors"
	"fmt"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
)

// ErrPermanent marks a failure that no retry can fix: a malformed event, a
// page too large to process. The loop dead-letters the message at once.
var ErrPermanent = errors.New("permanent failure")

// Permanent wraps err so that IsPermanent reports true.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrPermanent, err)
}

// IsPermanent reports whether err should not be retried. Malformed events
// are permanent too, and so is an output larger than the server accepts.
func IsPermanent(err error) bool {
	return errors.Is(err, ErrPermanent) || errors.Is(err, events.ErrMalformed) || errors.Is(err, bus.ErrTooLarge)
}
