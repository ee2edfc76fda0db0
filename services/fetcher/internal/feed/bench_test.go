package feed

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse parses a 100-item RSS feed, the size of a busy agency feed.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench wire</title>`)
	for i := range 100 {
		fmt.Fprintf(&sb, `<item><title>Invented headline number %d</title><link>https://bench.example/news/%d.html?utm_source=rss</link><description><![CDATA[<p>An invented summary of item %d, with <b>markup</b> as feeds have it.</p>]]></description><pubDate>Thu, 19 Nov 2026 08:30:00 +0300</pubDate><author>desk@bench.example (Desk)</author></item>`, i, i, i)
	}
	sb.WriteString(`</channel></rss>`)
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse(data, "https://bench.example/rss.xml", "")
		if err != nil || len(f.Items) != 100 {
			b.Fatalf("Parse: %d items, %v", len(f.Items), err)
		}
	}
}
