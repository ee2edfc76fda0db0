package search

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"english words, case and punctuation", "Huawei's 5G core: signed!", "huawei s 5g core signed"},
		{"accents removed", "energía Ñandú", "energia nandu"},
		{"russian ё is е", "Объединённая авиастроительная", "объединенная авиастроительная"},
		{"chinese run as bigrams and last character", "华为公司", "华为 为公 公司 司"},
		{"one chinese character", "中", "中"},
		{"script change splits a run", "5G网络建设", "5g 网络 络建 建设 设"},
		{"chinese punctuation splits", "中俄，签署", "中俄 俄 签署 署"},
		{"full-width forms folded", "ＡＢＣ１２３", "abc123"},
		{"nothing", " — … ", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(Tokens(tc.text), " "); got != tc.want {
				t.Errorf("Tokens(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func (q Query) String() string {
	var parts []string
	for _, c := range q {
		s := strings.Join(c.Tokens, "+")
		if c.Prefix {
			s += "*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " & ")
}

func TestParse(t *testing.T) {
	cases := []struct {
		name, q, want string
	}{
		{"words are prefixes", "Huawei контракт", "huawei* & контракт*"},
		{"quoted phrase is exact", `"lunar station" roscosmos`, "lunar+station & roscosmos*"},
		{"hyphenated word is a phrase", "5G-сети", "5g+сети*"},
		{"chinese word", "华为", "华为"},
		{"chinese word in a phrase", `"华为"`, "华为"},
		{"longer chinese word", "俄罗斯电信", "俄罗+罗斯+斯电+电信"},
		{"chinese then latin keeps the run's last character", "网络5G", "网络+络+5g*"},
		{"one chinese character", "俄", "俄*"},
		{"chinese and latin", "华为 MTS", "华为 & mts*"},
		{"unclosed quote", `"signed deal`, "signed+deal"},
		{"punctuation only terms are dropped", "huawei , !", "huawei*"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.String(); got != tc.want {
				t.Errorf("Parse(%q) = %s, want %s", tc.q, got, tc.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	cases := []struct{ name, q string }{
		{"empty", ""},
		{"punctuation only", " ,.!? "},
		{"too long", strings.Repeat("a", MaxQueryBytes+1)},
		{"too many terms", strings.Repeat("word ", MaxTerms+1)},
		{"not utf-8", "\xff\xfe"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if q, err := Parse(tc.q); !errors.Is(err, ErrBadQuery) {
				t.Errorf("Parse(%q) = %v, %v; want ErrBadQuery", tc.q, q, err)
			}
		})
	}
}

// TestQueryMatchesTokens checks the contract the stores rely on: a query
// made of a text's words finds that text's tokens in sequence.
func TestQueryMatchesTokens(t *testing.T) {
	text := "МТС и Huawei подписали контракт на строительство сети 5G. 华为与俄罗斯电信运营商签署了合作协议。"
	toks := Tokens(text)
	for _, q := range []string{"подписали", "контракт", "huawei", "签署", "俄罗斯电信", "合作协议", "5g", "华为", "俄", "议", `"5G"`} {
		pq, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range pq {
			if !contains(toks, c) {
				t.Errorf("query %q: clause %v not in the text's tokens", q, c)
			}
		}
	}
}

func contains(toks []string, c Clause) bool {
	for i := range toks {
		ok := i+len(c.Tokens) <= len(toks)
		for j := 0; ok && j < len(c.Tokens); j++ {
			last := j == len(c.Tokens)-1
			ok = toks[i+j] == c.Tokens[j] || (last && c.Prefix && strings.HasPrefix(toks[i+j], c.Tokens[j]))
		}
		if ok {
			return true
		}
	}
	return false
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"huawei", `"a b" c`, "华为", "", `"`, "5G-сети"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("error %v does not wrap ErrBadQuery", err)
			}
			return
		}
		for _, c := range q {
			for _, tok := range c.Tokens {
				if tok == "" || strings.ContainsAny(tok, ` "'*:&|!()<>\`) {
					t.Fatalf("token %q of %q is empty or holds query syntax", tok, s)
				}
			}
		}
		_ = fmt.Sprint(q)
	})
}
