package deal

import (
	"errors"
	"testing"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func date(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"", Date{}, false},
		{"2019", Date{2019, 0, 0}, false},
		{"2019-06", Date{2019, 6, 0}, false},
		{"2019-06-05", Date{2019, 6, 5}, false},
		{"2019-13", Date{}, true},
		{"2019-02-30", Date{}, true},
		{"19-06", Date{}, true},
		{"2019-6-5", Date{}, true},
		{"June 2019", Date{}, true},
		{"2019-06-05-01", Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDate(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrBadDate) {
				t.Errorf("error %v is not ErrBadDate", err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateAgrees(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"2019-06-05", "2019-06-05", true},
		{"2019-06-05", "2019-06-07", true},  // within DayTolerance
		{"2019-06-05", "2019-06-10", false}, // five days apart
		{"2019-06-30", "2019-07-01", true},  // across a month end
		{"2019-06", "2019-06-05", true},
		{"2019-05", "2019-06-05", false},
		{"2019", "2019-06-05", true},
		{"2018", "2019-06", false},
		{"", "2019", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"~"+tt.b, func(t *testing.T) {
			a, b := date(tt.a), date(tt.b)
			if got := a.Agrees(b); got != tt.want {
				t.Errorf("%s.Agrees(%s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := b.Agrees(a); got != tt.want {
				t.Errorf("not symmetric: %s.Agrees(%s) = %v", tt.b, tt.a, got)
			}
		})
	}
}

func TestSame(t *testing.T) {
	const window = 30 * 24 * time.Hour
	huaweiMTS := Report{CN: []string{"huawei"}, RU: []string{"mts"}, Topic: "telecom", Subject: "mobile",
		Signed: date("2019-06-05"), Reported: day("2019-06-05")}
	tests := []struct {
		name string
		a, b Report
		want bool
	}{
		{"same report", huaweiMTS, huaweiMTS, true},
		{"country side matches a named organisation",
			huaweiMTS, Report{CN: []string{"huawei"}, Topic: "telecom", Subject: "mobile", Reported: day("2019-06-06")}, true},
		{"other named organisation is another deal",
			huaweiMTS, Report{CN: []string{"huawei"}, RU: []string{"megafon"}, Topic: "telecom", Subject: "mobile", Signed: date("2019-06-05")}, false},
		{"a shared joint-venture partner is enough",
			Report{CN: []string{"alibaba"}, RU: []string{"megafon", "rdif"}, Topic: "digital"},
			Report{CN: []string{"alibaba"}, RU: []string{"mailru", "rdif"}, Topic: "digital"}, true},
		{"other subject is another deal",
			huaweiMTS, Report{CN: []string{"huawei"}, RU: []string{"mts"}, Topic: "telecom", Subject: "optical", Signed: date("2019-06-05")}, false},
		{"a report without subject matches by technology",
			huaweiMTS, Report{CN: []string{"huawei"}, Topic: "telecom", Reported: day("2019-06-08")}, true},
		{"named parties on both sides outweigh the technology a report files the deal under",
			Report{CN: []string{"alibaba"}, RU: []string{"megafon"}, Topic: "telecom", Reported: day("2018-09-11")},
			Report{CN: []string{"alibaba"}, RU: []string{"megafon", "rdif"}, Topic: "digital", Reported: day("2018-09-12")}, true},
		{"other technology with a side named only as its country is another deal",
			Report{CN: []string{"huawei"}, Topic: "telecom", Reported: day("2019-06-05")},
			Report{CN: []string{"huawei"}, RU: []string{"sber"}, Topic: "ai", Reported: day("2019-06-05")}, false},
		{"other technology without subjects is another deal",
			Report{Topic: "space", Reported: day("2019-06-05")}, Report{Topic: "energy", Reported: day("2019-06-05")}, false},
		{"signing dates a year apart are two deals, however close the reports",
			Report{CN: []string{"cnsa"}, Topic: "space", Subject: "navigation", Signed: date("2018-11"), Reported: day("2021-03-01")},
			Report{CN: []string{"cnsa"}, Topic: "space", Subject: "navigation", Signed: date("2021-02"), Reported: day("2021-03-01")}, false},
		{"a stated year agrees with a stated day of that year",
			Report{Topic: "defense", Signed: date("2015"), Reported: day("2016-02-01")},
			Report{Topic: "defense", Signed: date("2015-11-19"), Reported: day("2015-11-19")}, true},
		{"an undated report published in the window after the signing",
			huaweiMTS, Report{Topic: "telecom", Reported: day("2019-06-25")}, true},
		{"an undated report published after the window",
			huaweiMTS, Report{Topic: "telecom", Reported: day("2019-08-25")}, false},
		{"an undated report published well before the signing",
			huaweiMTS, Report{Topic: "telecom", Reported: day("2019-05-20")}, false},
		{"two undated reports in the window",
			Report{Topic: "energy", Reported: day("2018-06-08")}, Report{Topic: "energy", Reported: day("2018-06-26")}, true},
		{"two undated reports months apart",
			Report{Topic: "energy", Reported: day("2019-03-11")}, Report{Topic: "energy", Reported: day("2019-06-08")}, false},
		{"unknown publication times cannot tell reports apart",
			Report{Topic: "energy"}, Report{Topic: "energy", Reported: day("2019-06-08")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Same(tt.a, tt.b, window); got != tt.want {
				t.Errorf("Same = %v, want %v", got, tt.want)
			}
			if got := Same(tt.b, tt.a, window); got != tt.want {
				t.Errorf("not symmetric: Same(b, a) = %v", got)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	first := Report{CN: []string{"alibaba"}, RU: nil, Topic: "digital", Reported: day("2018-09-11")}
	later := Report{CN: []string{"alibaba"}, RU: []string{"megafon", "rdif"}, Topic: "digital", Subject: "ecommerce",
		Signed: date("2018-09"), Reported: day("2018-09-12")}
	got := Merge(first, later)
	if len(got.RU) != 2 || got.RU[0] != "megafon" || got.RU[1] != "rdif" {
		t.Errorf("RU = %v, want [megafon rdif]", got.RU)
	}
	if got.Subject != "ecommerce" || got.Signed != date("2018-09") {
		t.Errorf("subject %q signed %v, want ecommerce 2018-09", got.Subject, got.Signed)
	}
	if !got.Reported.Equal(first.Reported) {
		t.Errorf("Reported = %v, want the first report's %v", got.Reported, first.Reported)
	}
	finer := Merge(got, Report{Signed: date("2018-09-11")})
	if finer.Signed != date("2018-09-11") {
		t.Errorf("a finer date is taken: got %v", finer.Signed)
	}
	if coarser := Merge(finer, Report{Signed: date("2018")}); coarser.Signed != date("2018-09-11") {
		t.Errorf("a coarser date is not taken: got %v", coarser.Signed)
	}
}

func TestFromProto(t *testing.T) {
	reported := day("2019-06-05")
	tests := []struct {
		name string
		in   *newspipev1.Agreement
		want Report
	}{
		{"deal field", &newspipev1.Agreement{Deal: &newspipev1.Deal{
			Cn:         []*newspipev1.Party{{Id: "huawei", Group: "huawei"}},
			Ru:         []*newspipev1.Party{{Id: "uac", Group: "Rostec"}, {Id: "rostec"}},
			Technology: "Telecom", Subject: "mobile", SignedOn: "2019-06-05",
		}}, Report{CN: []string{"huawei"}, RU: []string{"rostec"}, Topic: "telecom", Subject: "mobile", Signed: date("2019-06-05"), Reported: reported}},
		{"an event from before the deal field", &newspipev1.Agreement{
			Parties: []string{"cnsa", "ru"}, Key: "rucn:cnsa+ru/space/lunar", Date: "2021-03",
		}, Report{CN: []string{"cnsa"}, Topic: "space", Subject: "lunar", Signed: date("2021-03"), Reported: reported}},
		{"an authority signing for its state names only the country", &newspipev1.Agreement{Deal: &newspipev1.Deal{
			Cn:         []*newspipev1.Party{{Id: "caea", Group: "cn"}},
			Ru:         []*newspipev1.Party{{Id: "rosatom", Group: "rosatom"}},
			Technology: "energy",
		}}, Report{RU: []string{"rosatom"}, Topic: "energy", Reported: reported}},
		{"an unreadable date counts as none", &newspipev1.Agreement{Deal: &newspipev1.Deal{Technology: "space", SignedOn: "last June"}},
			Report{Topic: "space", Reported: reported}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromProto(tt.in, reported)
			if !Same(got, tt.want, 0) || got.Signed != tt.want.Signed || got.Subject != tt.want.Subject || got.Topic != tt.want.Topic ||
				len(got.CN) != len(tt.want.CN) || len(got.RU) != len(tt.want.RU) {
				t.Errorf("FromProto = %+v, want %+v", got, tt.want)
			}
		})
	}
}
