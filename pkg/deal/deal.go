// Package deal says when two reports of a signed agreement are the same deal.
// It is the one definition of that, shared by the sink (which raises one
// alert per deal) and the classifier's evaluation (which checks that reports
// of one deal would raise one alert and that two deals never share one).
//
// A report is what one article says of its deal (Report, built from the
// event's Deal by FromProto): the party groups it names on each side, the
// subject and technology, the signing date where it states one, and when
// it was published. Two reports are one deal (Same) when:
//
//   - on each side they name a party group in common, or either names only
//     the country ("Huawei signed with Russia" and "Huawei signed with MTS");
//     two different named organisations are two deals;
//   - they have the same subject, or, where either names none, the same
//     technology (unless both name their parties on each side: then the
//     parties say which deal it is, whatever technology each report files
//     it under);
//   - their dates agree: two stated signing dates agree at the precision
//     both have (the same year; the same month where both give one; days at
//     most DayTolerance apart), whatever their publication times; a stated
//     date and a report that states none agree when that report was
//     published from the signing day (DayTolerance before it) to window
//     after it; two reports that state none agree when they were published
//     within window of each other.
//
// So a deal signed in 2018 and another of the same parties and subject
// signed in 2019 are two deals however the reports arrive, and a report
// recalled years later cannot join a fresh deal.
package deal

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// DefaultWindow is how long after a deal's first report an undated report
// of the same parties and subject is still taken for the same deal: news of
// a signing and its follow-ups come within days to weeks, and the same
// parties signing again on the same subject is rarely that close.
const DefaultWindow = 30 * 24 * time.Hour

// DayTolerance is how far apart two stated signing days of one deal may
// be: reports in different time zones, or a report dated the day it was
// published rather than the day of the ceremony.
const DayTolerance = 3 * 24 * time.Hour

// Date is a calendar date known to the year, the month or the day; a zero
// Year is no date. Month and Day are 0 where unknown.
type Date struct {
	Year, Month, Day int
}

// ParseDate reads "YYYY", "YYYY-MM" or "YYYY-MM-DD"; "" is the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return Date{}, fmt.Errorf("deal: parse date %q: %w", s, ErrBadDate)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || (i > 0 && len(p) != 2) {
			return Date{}, fmt.Errorf("deal: parse date %q: %w", s, ErrBadDate)
		}
		n[i] = v
	}
	d := Date{Year: n[0], Month: n[1], Day: n[2]}
	if d.Year < 1 || (len(parts) > 1 && (d.Month < 1 || d.Month > 12)) || (len(parts) > 2 && (d.Day < 1 || d.Day > daysIn(d.Year, d.Month))) {
		return Date{}, fmt.Errorf("deal: parse date %q: %w", s, ErrBadDate)
	}
	return d, nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.Year == 0 }

// String returns d as YYYY, YYYY-MM or YYYY-MM-DD ("" for no date).
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Span returns the first instant of d and the first instant after it, in
// UTC.
func (d Date) Span() (lo, hi time.Time) {
	switch {
	case d.Month == 0:
		lo = time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC)
		return lo, lo.AddDate(1, 0, 0)
	case d.Day == 0:
		lo = time.Date(d.Year, time.Month(d.Month), 1, 0, 0, 0, 0, time.UTC)
		return lo, lo.AddDate(0, 1, 0)
	}
	lo = time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	return lo, lo.AddDate(0, 0, 1)
}

// Agrees reports whether d and e can be the same date: equal at the
// precision both have, and days at most DayTolerance apart. A zero date
// agrees with nothing.
func (d Date) Agrees(e Date) bool {
	if d.IsZero() || e.IsZero() {
		return false
	}
	if d.Month == 0 || e.Month == 0 {
		return d.Year == e.Year
	}
	if d.Day == 0 || e.Day == 0 {
		return d.Year == e.Year && d.Month == e.Month
	}
	a, _ := d.Span()
	b, _ := e.Span()
	return absDur(a.Sub(b)) <= DayTolerance
}

// Finer reports whether d is known more precisely than e.
func (d Date) Finer(e Date) bool { return d.precision() > e.precision() }

func (d Date) precision() int {
	switch {
	case d.Year == 0:
		return 0
	case d.Month == 0:
		return 1
	case d.Day == 0:
		return 2
	}
	return 3
}

// Report is what one report says of its deal, as far as telling deals
// apart goes.
type Report struct {
	// CN and RU are the party groups named on each side, sorted; empty
	// where the report names only the country.
	CN, RU []string
	// Topic is the deal's technology; Subject is finer ("lunar", "xudapu")
	// or "" when the report names nothing that fine.
	Topic, Subject string
	// Signed is the signing date the report states (zero: none).
	Signed Date
	// Reported is when the report was published (else fetched): it dates
	// the deal where the report states no signing date.
	Reported time.Time
}

// FromProto returns the report an agreement makes, published at
// reported. It reads Agreement.deal; an event from before the deal field
// gives what its parties, technology and subject say (a party that is a
// country id names only the country). A signing date that cannot be read
// counts as none.
func FromProto(a *newspipev1.Agreement, reported time.Time) Report {
	r := Report{Reported: reported}
	if d := a.GetDeal(); d != nil {
		r.CN, r.RU = groups(d.GetCn(), CountryCN), groups(d.GetRu(), CountryRU)
		r.Topic, r.Subject = Normalize(d.GetTechnology()), Normalize(d.GetSubject())
		r.Signed, _ = ParseDate(d.GetSignedOn())
		return r
	}
	if p := a.GetParties(); len(p) == 2 {
		if p[0] != CountryCN && p[0] != "" {
			r.CN = []string{p[0]}
		}
		if p[1] != CountryRU && p[1] != "" {
			r.RU = []string{p[1]}
		}
	}
	r.Topic, r.Subject = Normalize(a.GetTechnology()), Normalize(a.GetSubject())
	if r.Topic == "" || r.Subject == "" {
		t, s := keySegments(a.GetKey())
		if r.Topic == "" {
			r.Topic = t
		}
		if r.Subject == "" {
			r.Subject = s
		}
	}
	r.Signed, _ = ParseDate(a.GetDate())
	return r
}

// CountryCN and CountryRU are the sides' country ids. A party whose group
// is its side's country (an authority signing for its state) names only
// the country.
const (
	CountryCN = "cn"
	CountryRU = "ru"
)

func groups(ps []*newspipev1.Party, country string) []string {
	var out []string
	for _, p := range ps {
		g := p.GetGroup()
		if g == "" {
			g = p.GetId()
		}
		if g = Normalize(g); g != "" && g != country {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// keySegments returns the topic and subject segments of an agreement key
// rucn:<cn>+<ru>/<topic>[/<subject>], normalised.
func keySegments(key string) (topic, subject string) {
	_, path, ok := strings.Cut(key, "/")
	if !ok {
		return "", ""
	}
	topic, subject, _ = strings.Cut(path, "/")
	subject, _, _ = strings.Cut(subject, "/")
	subject, _, _ = strings.Cut(subject, "@")
	return Normalize(topic), Normalize(subject)
}

// Normalize lower-cases and trims an id, so that ids compare whatever
// their producer's spelling.
func Normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Same reports whether reports a and b can be one deal (see the package
// doc); window bounds how far apart reports that state no signing date may
// be.
func Same(a, b Report, window time.Duration) bool {
	if !sideMatches(a.CN, b.CN) || !sideMatches(a.RU, b.RU) {
		return false
	}
	switch {
	case a.Subject != "" && b.Subject != "":
		if a.Subject != b.Subject {
			return false
		}
	case a.Topic != b.Topic && !(named(a) && named(b)):
		// Where both name a party in common on each side, the technology
		// a report files the deal under (the e-commerce joint venture of
		// an operator: telecom or digital) does not tell deals apart; the
		// dates still do.
		return false
	}
	return datesAgree(a, b, window)
}

// named reports whether r names an organisation on each side.
func named(r Report) bool { return len(r.CN) > 0 && len(r.RU) > 0 }

// sideMatches reports whether two sides can be one: either names only the
// country, or they share a party group.
func sideMatches(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func datesAgree(a, b Report, window time.Duration) bool {
	switch {
	case !a.Signed.IsZero() && !b.Signed.IsZero():
		return a.Signed.Agrees(b.Signed)
	case !a.Signed.IsZero():
		return publishedAfter(a.Signed, b.Reported, window)
	case !b.Signed.IsZero():
		return publishedAfter(b.Signed, a.Reported, window)
	}
	if a.Reported.IsZero() || b.Reported.IsZero() {
		return true // nothing tells them apart
	}
	return absDur(a.Reported.Sub(b.Reported)) <= window
}

// publishedAfter reports whether a report published at p can be news of a
// signing on d: from DayTolerance before d to window after it.
func publishedAfter(d Date, p time.Time, window time.Duration) bool {
	if p.IsZero() {
		return true
	}
	lo, hi := d.Span()
	return !p.Before(lo.Add(-DayTolerance)) && p.Before(hi.Add(window))
}

// Merge returns a, the deal as known so far, with what a later report b of
// the same deal adds: b's party groups on each side (so that a report
// naming either joint-venture partner finds the deal), b's subject where a
// had none, and b's signing date where a had none or a coarser one.
// Reported stays a's: the deal is dated by its first report.
func Merge(a, b Report) Report {
	a.CN, a.RU = union(a.CN, b.CN), union(a.RU, b.RU)
	if a.Subject == "" {
		a.Subject = b.Subject
	}
	if b.Signed.Finer(a.Signed) {
		a.Signed = b.Signed
	}
	return a
}

func union(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// At returns when the deal happened as far as r tells: the first day of
// its stated signing date, else its publication time.
func (r Report) At() time.Time {
	if !r.Signed.IsZero() {
		lo, _ := r.Signed.Span()
		return lo
	}
	return r.Reported
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
