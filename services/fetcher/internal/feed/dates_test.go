package feed

import (
	"fmt"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	utc := func(h, m int) time.Time { return time.Date(2026, 11, 19, h, m, 0, 0, time.UTC) }
	tests := []struct {
		in, lang string
		want     time.Time // the instant
		zone     string    // the zone's name as kept
		offset   int       // seconds east of UTC, as kept
		ok       bool
	}{
		{"Thu, 19 Nov 2026 10:00:00 MSK", "", utc(7, 0), "MSK", 3 * 3600, true},
		{"Thu, 19 Nov 2026 10:00:00 +0300", "", utc(7, 0), "", 3 * 3600, true},
		{"Thu, 19 Nov 2026 10:00:00 -0500", "", utc(15, 0), "", -5 * 3600, true},
		{"2026-11-19T10:00:00+08:00", "", utc(2, 0), "", 8 * 3600, true},
		{"2026-11-19T10:00:00.250Z", "", utc(10, 0).Add(250 * time.Millisecond), "UTC", 0, true},
		{"Thu, 19 Nov 2026 10:00:00 GMT", "", utc(10, 0), "GMT", 0, true},
		{"Thu, 19 Nov 2026 10:00:00 EST", "", utc(15, 0), "EST", -5 * 3600, true},
		{"Thu, 19 Nov 2026 10:00:00 CST", "en", utc(16, 0), "CST", -6 * 3600, true},
		{"Thu, 19 Nov 2026 10:00:00 CST", "zh", utc(2, 0), "CST", 8 * 3600, true},
		{"Thu, 19 Nov 2026 10:00 JST", "", utc(1, 0), "JST", 9 * 3600, true},
		{"19 Nov 2026 10:00:00 EEST", "", utc(7, 0), "EEST", 3 * 3600, true},
		{"Thu Nov 19 10:00:00 MSK 2026", "", utc(7, 0), "MSK", 3 * 3600, true},
		{"2026-11-19 10:00:00 IST", "", utc(4, 30), "IST", 5*3600 + 1800, true},
		{"Thu, 19 Nov 2026 10:00:00 WIB", "id", utc(3, 0), "WIB", 7 * 3600, true},
		{"  Thu,  19 Nov 2026\n10:00:00   MSK ", "", utc(7, 0), "MSK", 3 * 3600, true},
		{"Thu, 19 Nov 2026 10:00:00 XYZ", "", time.Time{}, "", 0, false},
		{"yesterday", "", time.Time{}, "", 0, false},
		{"", "", time.Time{}, "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in+"/"+tt.lang, func(t *testing.T) {
			got, ok := ParseDate(tt.in, tt.lang)
			if ok != tt.ok {
				t.Fatalf("ParseDate ok = %v, want %v (%v)", ok, tt.ok, got)
			}
			if !ok {
				return
			}
			name, off := got.Zone()
			if !got.Equal(tt.want) || name != tt.zone || off != tt.offset {
				t.Errorf("ParseDate = %v (zone %q %d), want %v (zone %q %d)", got, name, off, tt.want.UTC(), tt.zone, tt.offset)
			}
		})
	}
}

// TestItemDatesKeepTheirZone: an RSS date in Moscow time and an Atom date
// with an offset are the right instants, with the feed's zone kept; a zone
// Go does not know is not taken for UTC.
func TestItemDatesKeepTheirZone(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>
<item><link>https://a.example/1</link><pubDate>Thu, 19 Nov 2026 10:00:00 MSK</pubDate></item>
<item><link>https://a.example/2</link><pubDate>Thu, 19 Nov 2026 10:00:00 +0800</pubDate></item>
<item><link>https://a.example/3</link><pubDate>Thu, 19 Nov 2026 10:00:00 CST</pubDate></item>
</channel></rss>`
	f, err := Parse([]byte(doc), "https://a.example/rss", "zh")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2026-11-19T10:00:00+03:00 MSK", "2026-11-19T10:00:00+08:00 ", "2026-11-19T10:00:00+08:00 CST"}
	for i, it := range f.Items {
		name, _ := it.Published.Zone()
		if got := fmt.Sprintf("%s %s", it.Published.Format(time.RFC3339), name); got != want[i] {
			t.Errorf("item %d published %s, want %s", i, got, want[i])
		}
	}
}
