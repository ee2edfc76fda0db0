package fetcher

import (
	"crypto/sha256"
	"encoding/hex"
)

// shortHash identifies a value in a message id.
func shortHash(v []byte) string {
	sum := sha256.Sum256(v)
	return hex.EncodeToString(sum[:8])
}
