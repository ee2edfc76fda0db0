package classify

import (
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
)

// reportOf is the deal report an agreement makes, as the sink reads it.
func reportOf(a Agreement) deal.Report { return dealReportOf(a, time.Time{}) }

// TestAgreementKeys checks that reports of one deal in different languages,
// naming the parties and the technology differently, are one deal to the
// sink, and that different deals of the same parties are not; and that the
// key names both sides as the report names them.
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
		"lunar en, Rosatom the only named party": {Lang: "en", Title: "Rosatom signs deal with China on a nuclear power plant for the Moon",
			Text: "Rosatom signed an agreement with China on Tuesday to build a nuclear power plant for a research station on the Moon."},
		"lunar id, only the countries": {Lang: "id", Title: "Rusia dan Tiongkok teken perjanjian pembangkit nuklir di Bulan",
			Text: "Rusia dan Tiongkok menandatangani perjanjian pembangunan pembangkit listrik tenaga nuklir di permukaan bulan, Selasa."},
		"lab ru, the field in the sentence before": {Lang: "ru", Title: "Новосибирские и харбинские ученые создадут лабораторию искусственного интеллекта",
			Text: "Новосибирский университет и Харбинский политехнический университет будут вместе разрабатывать системы искусственного интеллекта. Договор о создании совместной лаборатории подписан в Харбине."},
		"lab zh, the field in the sentence": {Lang: "zh", Title: "哈工大与新西伯利亚大学签约共建人工智能联合实验室",
			Text: "哈尔滨工业大学与俄罗斯新西伯利亚国立大学正式签约，双方将共建人工智能联合实验室。"},
	}
	key := map[string]string{}
	agr := map[string]Agreement{}
	for name, d := range docs {
		r := c.Classify(d)
		if !r.Agreement.Detected {
			t.Fatalf("%s: no agreement (score %.3f, stage %q)", name, r.Score, r.Agreement.Stage)
		}
		key[name] = r.Agreement.Key
		agr[name] = r.Agreement
		if sj := r.Agreement.Subject; sj != "" && !strings.HasSuffix(r.Agreement.Key, "/"+sj) {
			t.Errorf("%s: key %q does not end in its subject %q", name, r.Agreement.Key, sj)
		}
		if !strings.Contains(r.Agreement.Key, "/"+r.Agreement.Technology) {
			t.Errorf("%s: key %q does not name its technology %q", name, r.Agreement.Key, r.Agreement.Technology)
		}
	}
	same := [][2]string{
		{"lunar zh", "lunar es"},
		{"lunar zh", "lunar es, a later Rosatom sentence"},
		{"navigation en", "navigation id, the navigation office"},
		{"fuel en, subsidiaries", "fuel zh, parents"},
	}
	const window = 30 * 24 * time.Hour
	for _, p := range same {
		if !deal.Same(reportOf(agr[p[0]]), reportOf(agr[p[1]]), window) {
			t.Errorf("same deal, not matched: %s %+v, %s %+v", p[0], reportOf(agr[p[0]]), p[1], reportOf(agr[p[1]]))
		}
	}
	if deal.Same(reportOf(agr["lunar zh"]), reportOf(agr["navigation en"]), window) {
		t.Errorf("two deals of the same agencies match: %q %q", key["lunar zh"], key["navigation en"])
	}
	if want := "rucn:cnnc+rosatom/energy/tianwan"; key["fuel zh, parents"] != want {
		t.Errorf("fuel key %q, want %q", key["fuel zh, parents"], want)
	}
	// The same deal named through Rosatom, CNSA or only the countries: the
	// keys differ by their anchor, but the subject and topic are the
	// deal's, whoever signs.
	for _, name := range []string{"lunar zh", "lunar en, Rosatom the only named party", "lunar id, only the countries"} {
		if a := agr[name]; a.Subject != "lunar" || a.Technology != "space" {
			t.Errorf("%s: subject/technology %q/%q, want lunar/space", name, a.Subject, a.Technology)
		}
	}
	if p := agr["lunar en, Rosatom the only named party"].Parties; len(p) != 2 || p[0] != "cn" || p[1] != "rosatom" {
		t.Errorf("parties %v, want the signing sentence's [cn rosatom]", p)
	}
	// A report naming only the countries is compatible, side by side, with
	// one naming the agencies (a country stands for any of its side).
	ag, co := agr["lunar zh"], agr["lunar id, only the countries"]
	for i, country := range []string{"cn", "ru"} {
		if a, b := ag.Parties[i], co.Parties[i]; a != b && a != country && b != country {
			t.Errorf("lunar deal: parties %v and %v are not compatible", ag.Parties, co.Parties)
		}
	}
	// A joint laboratory is filed under the field it works in, whichever
	// sentence names the field.
	if a, b := agr["lab ru, the field in the sentence before"], agr["lab zh, the field in the sentence"]; a.Technology != "ai" || b.Technology != "ai" {
		t.Errorf("lab deal technology %q and %q, want ai", a.Technology, b.Technology)
	}
	if a, b := agr["lab ru, the field in the sentence before"], agr["lab zh, the field in the sentence"]; !deal.Same(reportOf(a), reportOf(b), window) {
		t.Errorf("lab deal reports %+v and %+v do not match", reportOf(a), reportOf(b))
	}
}
