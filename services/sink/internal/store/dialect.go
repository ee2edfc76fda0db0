package store

import (
	"strconv"
	"strings"
)

// dialect holds the few places where SQLite and PostgreSQL differ. Queries
// are written once, with '?' placeholders and the SQL both engines accept
// (INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING), so the two
// backends cannot drift apart in behaviour.
type dialect struct {
	name string
	blob string // column type for the encoded event
	// rebind turns '?' placeholders into the engine's own.
	numbered bool
}

var (
	sqliteDialect   = dialect{name: "sqlite", blob: "BLOB"}
	postgresDialect = dialect{name: "postgres", blob: "BYTEA", numbered: true}
)

// rebind rewrites '?' placeholders as $1, $2, … for PostgreSQL. The store's
// queries never hold a '?' inside a literal, so a plain scan is enough.
func (d dialect) rebind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
