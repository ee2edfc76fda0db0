//go:build race

package fetch

// raceEnabled: the race detector multiplies memory use, so RSS bounds are
// reported, not enforced, under it.
const raceEnabled = true
