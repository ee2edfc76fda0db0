package store

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cursor marks a position in a story listing: the Time and id of the last
// story of a page. Its string form is opaque to API clients.
type Cursor struct {
	Time time.Time
	ID   string
}

// CursorOf returns the cursor that continues a listing after st.
func CursorOf(st Story) Cursor { return Cursor{Time: st.Time, ID: st.ID()} }

// IsZero reports whether c is the start of a listing.
func (c Cursor) IsZero() bool { return c.Time.IsZero() && c.ID == "" }

// String encodes c for a URL; the empty cursor encodes as "".
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(nanos(c.Time), 10) + ":" + c.ID))
}

// ParseCursor decodes a cursor made by Cursor.String. It returns an error
// wrapping ErrBadCursor for anything else.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, fmt.Errorf("%w: %v", ErrBadCursor, err)
	}
	ts, id, ok := strings.Cut(string(b), ":")
	if !ok || id == "" {
		return Cursor{}, fmt.Errorf("%w: no id", ErrBadCursor)
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n <= 0 {
		return Cursor{}, fmt.Errorf("%w: bad time", ErrBadCursor)
	}
	return Cursor{Time: time.Unix(0, n).UTC(), ID: id}, nil
}
