package floor

import (
	"os"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"blocks become lines", "<p>one</p><p>two</p>", "one\ntwo"},
		{"inline joins", "<p>a<b>b</b> c</p>", "ab c"},
		{"white space collapses", "<p>  a \n\t b  </p>", "a b"},
		{"br breaks", "<p>a<br>b</p>", "a\nb"},
		{"head is not text", "<title>t</title><p>x</p>", "x"},
		{"scripts and styles dropped", "<script>s()</script><style>p{}</style><p>x</p>", "x"},
		{"hidden attribute", "<div hidden>h</div><p>x</p>", "x"},
		{"inline display none", `<div style="DISPLAY: none">h</div><p>x</p>`, "x"},
		{"comments dropped", "<p>x<!-- c --></p>", "x"},
		{"empty page", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Text([]byte(tc.body), "")
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}

func TestTextDecodesMetaCharset(t *testing.T) {
	body, err := os.ReadFile("testdata/page-cp1251.html")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Text(body, "")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"Home World",
		"Harbour cranes arrive",
		"The first two cranes",
		"reached the quay on Monday.",
		"one",
		"two",
		"Цена: 5 рублей",
	}, "\n")
	if got != want {
		t.Errorf("Text = %q\nwant %q", got, want)
	}
}

func FuzzText(f *testing.F) {
	f.Add([]byte("<p>a<b>b</b></p>"))
	f.Add([]byte("<div hidden><p>x</div>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := Text(body, "")
		if err != nil {
			return
		}
		for _, line := range strings.Split(got, "\n") {
			if got != "" && strings.TrimSpace(line) != line {
				t.Fatalf("line %q not trimmed", line)
			}
		}
	})
}
