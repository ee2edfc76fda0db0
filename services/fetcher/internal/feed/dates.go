package feed

import (
	"regexp"
	"strings"
	"time"
)

// zones maps the zone abbreviations seen in feed dates to their UTC offset
// in minutes. Go's time.Parse knows only UTC and the host's local zone; any
// other abbreviation it parses as offset zero, which is how "10:00 MSK"
// becomes three hours wrong. The ambiguous ones take the reading of the
// feeds that use them most: CST is US Central (RFC 822), except in Chinese
// feeds (see zoneOffset); IST is India.
var zones = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330,
	"EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
	"AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180, "NST": -210, "NDT": -150,
	"CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180,
	"MSK": 180, "MSD": 240, "SAMT": 240, "YEKT": 300, "OMST": 360, "NOVT": 420, "KRAT": 420,
	"IRKT": 480, "YAKT": 540, "VLAT": 600, "MAGT": 660, "PETT": 720,
	"TRT": 180, "GST": 240, "PKT": 300, "NPT": 345, "BDT": 360, "ICT": 420, "WIB": 420, "WITA": 480, "WIT": 540,
	"HKT": 480, "SGT": 480, "PHT": 480, "MYT": 480, "AWST": 480, "BJT": 480, "JST": 540, "KST": 540,
	"ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
	"BRT": -180, "ART": -180, "CLT": -240, "COT": -300, "PET": -300, "VET": -240,
	"SAST": 120, "WAT": 60, "CAT": 120, "EAT": 180,
}

// zoneOffset returns the offset of a zone abbreviation for a feed in lang.
func zoneOffset(name, lang string) (int, bool) {
	if name == "CST" && strings.HasPrefix(lang, "zh") {
		return 480, true // China Standard Time
	}
	off, ok := zones[name]
	return off, ok
}

// namedZone finds a zone abbreviation standing as a word of its own.
var namedZone = regexp.MustCompile(`\b([A-Z]{1,4}T|[A-Z]{2,4}|Z)\b`)

// numericLayouts are the feed date layouts once a named zone has been
// replaced by its numeric offset.
var numericLayouts = []string{
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 02 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"02 Jan 2006 15:04:05 -0700",
	"Mon, 2 January 2006 15:04:05 -0700",
	"Monday, 2 January 2006 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon Jan 2 15:04:05 -0700 2006",
	"Mon Jan _2 15:04:05 -0700 2006",
	"Jan 2, 2006 15:04:05 -0700",
	"January 2, 2006 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04 -0700",
	"2006-01-02T15:04:05 -0700",
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05Z07:00",
}

// ParseDate reads a feed date, keeping its zone: the result's Location is
// the offset the feed stated, named as the feed named it ("MSK", or "" for
// a bare "+0300"). Named zones are resolved with the table above rather than
// by time.Parse, which would take an unknown one for UTC. lang, the source's
// language, settles the ambiguous CST. It reports false for a string it
// cannot read.
func ParseDate(s, lang string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, false
	}
	// Most feed dates end in a zone: a named one goes straight to the table
	// (trying every numeric layout first costs an error value each).
	last := s[strings.LastIndexByte(s, ' ')+1:]
	named := len(last) > 0 && last[0] >= 'A' && last[0] <= 'Z' && last != "Z"
	for _, layout := range numericLayouts {
		if named {
			break
		}
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	// A named zone: replace it by its offset, parse, and name the zone.
	loc := namedZone.FindAllStringSubmatchIndex(s, -1)
	for i := len(loc) - 1; i >= 0; i-- {
		name := s[loc[i][2]:loc[i][3]]
		off, ok := zoneOffset(name, lang)
		if !ok {
			continue
		}
		sign := "+"
		if off < 0 {
			sign, off = "-", -off
		}
		num := sign + twoDigits(off/60) + twoDigits(off%60)
		replaced := s[:loc[i][2]] + num + s[loc[i][3]:]
		if name == "Z" {
			replaced = s[:loc[i][2]] + " " + num + s[loc[i][3]:]
		}
		replaced = strings.Join(strings.Fields(replaced), " ")
		for _, layout := range numericLayouts {
			if t, err := time.Parse(layout, replaced); err == nil {
				_, offset := t.Zone()
				return t.In(time.FixedZone(name, offset)), true
			}
		}
		break
	}
	if named { // "… 2026 10:00:00 +0300 (MSK)"-like, or a name we do not know
		for _, layout := range numericLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}
