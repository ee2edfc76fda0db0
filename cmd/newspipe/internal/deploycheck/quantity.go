package deploycheck

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// quantitySuffix returns the multiplier of a Kubernetes resource quantity
// suffix, binary ("Ki") or decimal ("m", "k").
func quantitySuffix(suffix string) (float64, bool) {
	switch suffix {
	case "Ki":
		return 1 << 10, true
	case "Mi":
		return 1 << 20, true
	case "Gi":
		return 1 << 30, true
	case "Ti":
		return 1 << 40, true
	case "Pi":
		return 1 << 50, true
	case "Ei":
		return 1 << 60, true
	case "n":
		return 1e-9, true
	case "u":
		return 1e-6, true
	case "m":
		return 1e-3, true
	case "k":
		return 1e3, true
	case "M":
		return 1e6, true
	case "G":
		return 1e9, true
	case "T":
		return 1e12, true
	case "P":
		return 1e15, true
	case "E":
		return 1e18, true
	}
	return 0, false
}

// parseQuantity reads a resource quantity ("500m", "1.5", "256Mi", "1e3")
// as a number of base units, precise enough to compare requests with limits.
func parseQuantity(s string) (float64, error) {
	num, mult := s, 1.0
	// Two-letter suffixes first, so "Mi" is not read as "M" after "i".
	for _, n := range []int{2, 1} {
		if len(s) < n {
			continue
		}
		if m, ok := quantitySuffix(s[len(s)-n:]); ok {
			num, mult = s[:len(s)-n], m
			break
		}
	}
	if num == "" || strings.ContainsAny(num, " _xX") || strings.HasPrefix(num, "-") {
		return 0, fmt.Errorf("%q is not a resource quantity", s)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a resource quantity", s)
	}
	return f * mult, nil
}
