package robots

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkAllowed answers against a robots.txt of 200 rules, larger than
// most news sites'.
func BenchmarkAllowed(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("User-agent: *\n")
	for i := range 200 {
		fmt.Fprintf(&sb, "Disallow: /section-%d/*.pdf$\nAllow: /section-%d/public/\n", i, i)
	}
	r := Parse([]byte(sb.String()))
	b.ReportAllocs()
	for b.Loop() {
		if !r.Allowed("newspipe", "/section-150/2026/11/19/story.html") {
			b.Fatal("refused")
		}
	}
}
