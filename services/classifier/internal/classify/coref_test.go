package classify

import "testing"

// TestAnaphora checks that "both countries" stands for Russia and China
// only when they are the last pair of countries named.
func TestAnaphora(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		name, lang, text string
		rucn             bool // the last sentence's anaphor counts for both sides
	}{
		{"es third country and Russia", "es", "Nicaragua inauguró una estación del sistema ruso GLONASS. La estación forma parte de un acuerdo firmado por ambos países.", false},
		{"es conjoined with a third country", "es", "India y Rusia firmaron un contrato para un misil desarrollado por ambos países.", false},
		{"en pair survives a later mention", "en", "Russia and China stepped up cooperation as US sanctions bit. The two countries signed a space agreement.", true},
		{"en leaders", "en", "Putin met Xi in Beijing on Tuesday. The two leaders signed a statement on space.", true},
		{"zh dyad then a third country", "zh", "中俄两国签署合作协议，美国对此表示关切。两国还将共建月球站。", true},
		{"en a newer pair replaces it", "en", "Russia and China held talks in May. In June Brazil and Russia met, and both countries agreed on satellites.", false},
		{"en nothing named before", "en", "Both countries signed the agreement on Monday.", true},
		{"id third country after the pair", "id", "Rusia dan China menandatangani perjanjian. Kemudian Indonesia bertemu Rusia, dan kedua negara sepakat.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := c.hits(tt.text, tt.lang)
			g := c.grammarFor(tt.lang)
			sents := c.sentences(tt.text, segment(tt.text, nil, g), hs, 0, g)
			last := sents[len(sents)-1]
			if last.anaph != tt.rucn {
				t.Errorf("anaphor resolved to Russia and China = %v, want %v", last.anaph, tt.rucn)
			}
		})
	}
}
