package score

import (
	"math"
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"punctuation splits", "Hello, world! it's", []string{"Hello", "world", "it", "s"}},
		{"case kept", "ABC abc", []string{"ABC", "abc"}},
		{"digits and underscore join letters", "a_b 2026-05 x1", []string{"a_b", "2026", "05", "x1"}},
		{"cyrillic and han", "Москва — 北京。", []string{"Москва", "北京"}},
		{"trailing token", "  end", []string{"end"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tokens(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestPage(t *testing.T) {
	const truth = "one two three four five six" // 3 shingles
	tests := []struct {
		name   string
		out    string
		truth  string
		p, r   float64
		wantOK bool
	}{
		{"identical", truth, truth, 1, 1, true},
		{"whitespace and punctuation ignored", "one\ntwo, three; four five. six", truth, 1, 1, true},
		{"prefix", "one two three four five", truth, 1, 2.0 / 3, true},
		{"extra chrome", "Menu Home News one two three four five six", truth, 3.0 / 6, 1, true},
		{"empty output", "", truth, 0, 0, false},
		{"short texts are one shingle", "a b", "a b", 1, 1, true},
		{"short text mismatch", "a b", "a c", 0, 0, true},
		{"repeats count as a multiset", "one two three four one two three four", "one two three four", 1.0 / 5, 1, true},
		{"both empty", "", "", 0, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, r, ok := Page(tc.out, tc.truth)
			if ok != tc.wantOK || math.Abs(p-tc.p) > 1e-12 || math.Abs(r-tc.r) > 1e-12 {
				t.Errorf("Page = (%.4f, %.4f, %v), want (%.4f, %.4f, %v)", p, r, ok, tc.p, tc.r, tc.wantOK)
			}
		})
	}
}

func TestSumAveragesPrecisionOverNonEmptyOutputs(t *testing.T) {
	var s Sum
	s.Add("a b c d e", "a b c d e")     // P 1, R 1
	s.Add("", "f g h i j")              // no output: R 0, P not counted
	s.Add("k l m n x y", "k l m n o p") // P 1/3, R 1/3
	p, r, f1 := s.PRF()
	wantP, wantR := (1+1.0/3)/2, (1+0+1.0/3)/3
	wantF1 := 2 * wantP * wantR / (wantP + wantR)
	if s.Pages != 3 || s.NonEmpty != 2 {
		t.Fatalf("pages %d non-empty %d, want 3 and 2", s.Pages, s.NonEmpty)
	}
	if math.Abs(p-wantP) > 1e-12 || math.Abs(r-wantR) > 1e-12 || math.Abs(f1-wantF1) > 1e-12 {
		t.Errorf("PRF = %.4f %.4f %.4f, want %.4f %.4f %.4f", p, r, f1, wantP, wantR, wantF1)
	}
}

func TestSumEmpty(t *testing.T) {
	var s Sum
	if p, r, f1 := s.PRF(); p != 0 || r != 0 || f1 != 0 {
		t.Errorf("empty sum PRF = %v %v %v, want zeros", p, r, f1)
	}
}
