package match

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func find(t *testing.T, pats []Pattern, text string) []string {
	t.Helper()
	m, err := Compile(pats)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	var got []string
	for _, x := range m.FindAll(text, nil) {
		got = append(got, pats[x.Pattern].Text+"="+text[x.Start:x.End])
	}
	return got
}

func TestFindAll(t *testing.T) {
	tests := []struct {
		name string
		pats []Pattern
		text string
		want []string
	}{
		{"acronym not inside a word", []Pattern{{Text: "AI", CaseSensitive: true}}, "He said the AI lab is in Kazan.", []string{"AI=AI"}},
		{"acronym case-sensitive", []Pattern{{Text: "MTS", CaseSensitive: true}}, "mts.ru and MTS and Mts", []string{"MTS=MTS"}},
		{"acronym between CJK", []Pattern{{Text: "AI", CaseSensitive: true}}, "加强在AI上的合作", []string{"AI=AI"}},
		{"case-insensitive word", []Pattern{{Text: "huawei"}}, "HUAWEI, Huawei's and huaweiX", []string{"huawei=HUAWEI", "huawei=Huawei"}},
		{"stem matches endings", []Pattern{{Text: "российск", Prefix: true}}, "Российско-китайский форум и российская сторона", []string{"российск=Российск", "российск=российск"}},
		{"stem needs a left boundary", []Pattern{{Text: "росси", Prefix: true}}, "Белороссия и России", []string{"росси=Росси"}},
		{"Cyrillic whole word", []Pattern{{Text: "газ"}}, "газ, газета, газом", []string{"газ=газ"}},
		{"yo folds to ye", []Pattern{{Text: "учет"}}, "учёт", []string{"учет=учёт"}},
		{"CJK inside text", []Pattern{{Text: "中俄"}, {Text: "俄"}}, "推动中俄合作", []string{"中俄=中俄", "俄=俄"}},
		{"traditional script is its own pattern", []Pattern{{Text: "俄罗斯"}, {Text: "俄羅斯"}}, "俄羅斯與中國", []string{"俄羅斯=俄羅斯"}},
		{"overlapping patterns", []Pattern{{Text: "joint venture"}, {Text: "venture"}, {Text: "joint"}}, "a joint venture", []string{"joint=joint", "joint venture=joint venture", "venture=venture"}},
		{"digit boundary", []Pattern{{Text: "5G", CaseSensitive: true}}, "5G, 45G and 5GHz", []string{"5G=5G"}},
		{"curly apostrophe folds", []Pattern{{Text: "xi'an"}}, "Xi’an", []string{"xi'an=Xi’an"}},
		{"invalid UTF-8 is skipped", []Pattern{{Text: "chip"}}, "\xffchip\xfe", []string{"chip=chip"}},
		{"multi-byte case folding", []Pattern{{Text: "ДЕЛО"}}, "дело", []string{"ДЕЛО=дело"}},
		{"no match", []Pattern{{Text: "lunar"}}, "solar", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(t, tt.pats, tt.text)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		pats []Pattern
		want error
	}{
		{"empty", []Pattern{{Text: ""}}, ErrEmptyPattern},
		{"too long", []Pattern{{Text: strings.Repeat("x", MaxPatternRunes+1)}}, ErrPatternTooLong},
		{"invalid UTF-8", []Pattern{{Text: "a\xffb"}}, ErrInvalidUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Compile(tt.pats); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestIsWordRune(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{{'a', true}, {'Ж', true}, {'7', true}, {'中', false}, {'。', false}, {' ', false}, {'-', false}, {'ñ', true}}
	for _, tt := range tests {
		if got := IsWordRune(tt.r); got != tt.want {
			t.Errorf("IsWordRune(%q) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

func FuzzFindAll(f *testing.F) {
	pats := []Pattern{{Text: "AI", CaseSensitive: true}, {Text: "中俄"}, {Text: "росси", Prefix: true}, {Text: "huawei"}, {Text: "ё"}}
	m, err := Compile(pats)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"said AI", "中俄合作", "Россия", "\xff\xfeHuawei", "ЁЁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, x := range m.FindAll(text, nil) {
			if x.Start < 0 || x.End > len(text) || x.Start >= x.End {
				t.Fatalf("bad span %+v in %q", x, text)
			}
			got := []rune(text[x.Start:x.End])
			want := []rune(pats[x.Pattern].Text)
			if !utf8.ValidString(text[x.Start:x.End]) || len(got) != len(want) {
				t.Fatalf("match %q for pattern %q", text[x.Start:x.End], pats[x.Pattern].Text)
			}
			for i := range got {
				if Fold(got[i]) != Fold(want[i]) {
					t.Fatalf("match %q for pattern %q", text[x.Start:x.End], pats[x.Pattern].Text)
				}
			}
		}
	})
}

func TestProclitics(t *testing.T) {
	pats := []Pattern{{Text: "الصين"}, {Text: "صين"}, {Text: "روسيا"}}
	m, err := CompileOptions(pats, Options{Proclitics: []string{"و", "ب", "لل"}})
	if err != nil {
		t.Fatal(err)
	}
	text := "روسيا والصين وبروسيا للصين مروسيا"
	var got []string
	for _, x := range m.FindAll(text, nil) {
		got = append(got, text[x.Start:x.End])
	}
	// "والصين": و + الصين; "للصين": لل + صين; "مروسيا": م is no proclitic;
	// "وبروسيا": وب is not listed (و and ب are, alone). "صين" inside
	// "الصين" follows ال, which is not listed either.
	want := []string{"روسيا", "الصين", "صين"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := CompileOptions(pats, Options{Proclitics: []string{"ولل" + "ال"}}); !errors.Is(err, ErrBadProclitic) {
		t.Errorf("a six-rune proclitic: err %v, want ErrBadProclitic", err)
	}
	// Without proclitics a word-initial pattern never matches inside a word.
	plain, _ := Compile(pats)
	if n := len(plain.FindAll("والصين", nil)); n != 0 {
		t.Errorf("no proclitics: %d matches in والصين", n)
	}
}
