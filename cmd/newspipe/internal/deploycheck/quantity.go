package deploycheck

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// quantitySuffixes are Kubernetes' resource quantity suffixes and their
// multipliers, binary first so "Mi" is not read as "M".
var quantitySuffixes = []struct {
	suffix string
	mult   float64
}{
	{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40}, {"Pi", 1 << 50}, {"Ei", 1 << 60},
	{"n", 1e-9}, {"u", 1e-6}, {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"E", 1e18},
}

// parseQuantity reads a resource quantity ("500m", "1.5", "256Mi", "1e3")
// as a number of base units, precise enough to compare requests with limits.
func parseQuantity(s string) (float64, error) {
	num, mult := s, 1.0
	for _, q := range quantitySuffixes {
		if strings.HasSuffix(s, q.suffix) {
			num, mult = strings.TrimSuffix(s, q.suffix), q.mult
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
