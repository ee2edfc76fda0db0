package classify

import "testing"

// TestAgreementKeys checks that reports of one deal in different languages,
// naming the parties and the technology differently, share a key, and that
// different deals of the same parties do not.
func TestAgreementKeys(t *testing.T) {
	c := newClassifier(t)
	docs := map[string]Document{
		"lunar zh": {Lang: "zh", Title: "中俄签署月球核电站合作协议",
			Text: "中国国家航天局与俄罗斯国家航天集团在莫斯科签署协议，双方将共同为国际月球科研站建设核动力装置。"},
		"lunar es": {Lang: "es", Title: "Rusia y China firman un acuerdo para una central nuclear en la Luna",
			Text: "Roscosmos y la Administración Nacional del Espacio de China firmaron en Moscú un acuerdo para construir una central nuclear para la Estación Internacional de Investigación Lunar."},
		"lunar es, a later Rosatom sentence": {Lang: "es", Title: "Rusia y China construirán una central nuclear en la Luna",
			Text: "Roscosmos y la agencia espacial china firmaron el martes un acuerdo para construir una central nuclear en la Luna.\nLa central abastecerá la estación lunar que ambos países planean.\nEl reactor será desarrollado por Rosatom, según el acuerdo firmado con China, y llegará a la Luna en un cohete chino."},
		"navigation en": {Lang: "en", Title: "Russia and China sign satellite navigation agreement",
			Text: "Roscosmos and the China National Space Administration signed an agreement on the joint use of the GLONASS and BeiDou satellite navigation systems."},
		"navigation id, the navigation office": {Lang: "id", Title: "Rusia dan Tiongkok teken perjanjian navigasi satelit",
			Text: "Roscosmos dan Kantor Navigasi Satelit Tiongkok menandatangani perjanjian pembangunan stasiun pemantau GLONASS dan BeiDou."},
		"fuel en, subsidiaries": {Lang: "en", Title: "TVEL to supply fuel for Tianwan under contract with CNEIC",
			Text: "TVEL, Rosatom's fuel company, signed a contract with CNEIC to supply fuel assemblies for the Tianwan nuclear power plant."},
		"fuel zh, parents": {Lang: "zh", Title: "中核与俄罗斯国家原子能公司签署田湾核电站燃料合同",
			Text: "中核集团与俄罗斯国家原子能公司在北京签署合同，由俄方为田湾核电站供应核燃料组件。"},
	}
	key := map[string]string{}
	for name, d := range docs {
		r := c.Classify(d)
		if !r.Agreement.Detected {
			t.Fatalf("%s: no agreement (score %.3f, stage %q)", name, r.Score, r.Agreement.Stage)
		}
		key[name] = r.Agreement.Key
	}
	same := [][2]string{
		{"lunar zh", "lunar es"},
		{"lunar zh", "lunar es, a later Rosatom sentence"},
		{"navigation en", "navigation id, the navigation office"},
		{"fuel en, subsidiaries", "fuel zh, parents"},
	}
	for _, p := range same {
		if key[p[0]] != key[p[1]] {
			t.Errorf("same deal, different keys: %s %q, %s %q", p[0], key[p[0]], p[1], key[p[1]])
		}
	}
	if key["lunar zh"] == key["navigation en"] {
		t.Errorf("two deals of the same agencies share key %q", key["lunar zh"])
	}
	if want := "rucn:cnnc+ru/energy/tianwan"; key["fuel zh, parents"] != want {
		t.Errorf("fuel key %q, want %q", key["fuel zh, parents"], want)
	}
}
