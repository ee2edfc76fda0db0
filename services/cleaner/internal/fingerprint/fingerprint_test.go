package fingerprint

import "testing"

func TestSimHash(t *testing.T) {
	base := []string{"The operator signed a contract with the vendor to build a fifth-generation network in four cities.", "Work starts next spring, the companies said on Tuesday."}
	tests := []struct {
		name    string
		other   []string
		maxDist int
		minDist int
	}{
		{name: "identical", other: base, maxDist: 0},
		{name: "one word changed", other: []string{"The operator signed a contract with the vendor to build a fifth-generation network in five cities.", "Work starts next spring, the companies said on Tuesday."}, maxDist: 12},
		{name: "unrelated", other: []string{"The home side won the derby two goals to one after a late penalty.", "Fans filled the stadium despite the rain."}, minDist: 16, maxDist: 64},
	}
	h := SimHash(base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Distance(h, SimHash(tt.other))
			if d > tt.maxDist || d < tt.minDist {
				t.Errorf("distance %d, want %d..%d", d, tt.minDist, tt.maxDist)
			}
		})
	}
}

func TestSimHashCJK(t *testing.T) {
	a := SimHash([]string{"双方签署了关于第五代移动通信网络建设的合同。"})
	if a == 0 {
		t.Fatal("SimHash of Chinese text is 0: characters were not tokenised")
	}
	if d := Distance(a, SimHash([]string{"双方签署了关于第五代移动通信网络建设的合同。"})); d != 0 {
		t.Errorf("distance %d for identical text", d)
	}
}

func TestContentHash(t *testing.T) {
	if ContentHash([]string{"a", "b"}) == ContentHash([]string{"a\nb"}) {
		// Same joined text, same hash: that is the definition.
	} else {
		t.Error("hash must be of the blocks joined by newline")
	}
	if ContentHash([]string{"a"}) == ContentHash([]string{"b"}) {
		t.Error("different texts, same hash")
	}
}
