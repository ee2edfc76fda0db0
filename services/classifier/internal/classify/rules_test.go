package classify

import (
	"testing"
	"time"
)

// TestRules checks one general rule per case, on texts written for the
// test in the shape real reports take. Each case names the rule it keeps.
func TestRules(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		name      string
		doc       Document
		ruCnTech  bool
		agreement bool
	}{
		// A number ending the sentence before counts nothing in this one
		// ("…Су-35" then "Контракт…" is no "35 contracts").
		{"ru a headline ending in a number", Document{Lang: "ru",
			Title: "Россия поставит Китаю первые Су-35",
			Text:  "Контракт на поставку Китаю 24 истребителей Су-35 «Рособоронэкспорт» подписал в ноябре."},
			true, true},
		// Sanctions as a supply story's backdrop do not void the tie.
		{"en sanctions bypassed", Document{Lang: "en",
			Title: "Chinese suppliers keep shipping chips to Russia",
			Text:  "Chinese firms have been selling microchips and radar parts to Russia, bypassing US sanctions, customs records show.\nThe shipments doubled this year."},
			true, false},
		{"es a pesar de las sanciones", Document{Lang: "es",
			Title: "Empresas chinas suministran drones a Rusia a pesar de las sanciones occidentales",
			Text:  "Varias compañías chinas suministran componentes de drones y microchips a Rusia, a pesar de las sanciones de Estados Unidos."},
			true, false},
		{"ru в обход санкций", Document{Lang: "ru",
			Title: "Китайские компании поставляют в Россию микросхемы в обход санкций",
			Text:  "По данным таможни, китайские компании поставляют российским заводам микросхемы и станки в обход санкций США."},
			true, false},
		// A restriction that is the news still voids the tie.
		{"en a ban is the news", Document{Lang: "en",
			Title: "US bans exports of chips to Chinese and Russian military users",
			Text:  "The Commerce Department banned exports of advanced chips to China and Russia on Tuesday."},
			false, false},
		// Hostility beside a third country is that country's quarrel.
		{"en threat seen by the US", Document{Lang: "en",
			Title: "Huawei signs 5G deal with Russia's MTS",
			Text:  "Huawei, seen as a security threat by the United States, signed an agreement with MTS on Wednesday to build a 5G network in Russia."},
			true, true},
		{"zh 美国安全威胁", Document{Lang: "zh",
			Title: "华为与俄罗斯MTS签署5G协议",
			Text:  "被视为美国安全威胁的华为周三与俄罗斯MTS公司签署协议，将在俄罗斯建设5G网络。"},
			true, true},
		// Hostility between the sides voids the tie.
		{"en hackers between the sides", Document{Lang: "en",
			Title: "Chinese hackers attacked Russian defence firms",
			Text:  "Chinese hackers attacked Russian defence contractors and stole designs of radar systems, researchers said."},
			false, false},
		// A joint stand against a third country is politics.
		{"en joint condemnation", Document{Lang: "en",
			Title: "Russia and China jointly condemn US missile defence plans",
			Text:  "Russia and China jointly condemned US plans for missile defence in space."},
			false, false},
		// A year-on-year statistic is no comparison of the sides.
		{"en compared with a year earlier", Document{Lang: "en",
			Title: "China's chip exports to Russia double",
			Text:  "Chip shipments from China to Russia more than doubled compared with a year earlier, customs data show."},
			true, false},
		// A negated comparison, or one with a third country, is no parallel.
		{"zh 不会效仿美国", Document{Lang: "zh",
			Title: "俄外长称准备与中国开展5G合作 不会效仿美国打压华为",
			Text:  "俄罗斯外长表示，俄方准备与中国在5G领域开展合作。"},
			true, false},
		// A denial in the headline voids the signing the story reports.
		{"en denial", Document{Lang: "en",
			Title: "Rostelecom denies signing cloud deal with Huawei",
			Text:  "Rostelecom denied reports that it had signed a contract with Huawei to build cloud data centres."},
			false, false},
		// A recall in the headline still says what the story is about.
		{"en anniversary headline", Document{Lang: "en",
			Title: "Five years ago Russia and China signed the documents for their joint wide-body airliner",
			Text:  "The aircraft project has moved slowly since then.\nEngineers in Moscow and Shanghai still work on the design."},
			true, false},
		// A lead signing that names one side takes the other from the headline.
		{"en lead signing, side in the headline", Document{Lang: "en",
			Title: "Rosatom to build two more reactors in China",
			Text:  "Framework contracts for two new power units with VVER-1200 reactors were signed in Beijing on Friday.\nConstruction starts next year."},
			true, true},
		// A year before a deal kind is no count of deals.
		{"en the 1992 agreement", Document{Lang: "en",
			Title: "Russia and China sign protocol to extend the 1992 nuclear agreement",
			Text:  "Rosatom and CNNC signed a protocol on Tuesday extending the 1992 agreement on nuclear power plant construction."},
			true, true},
		// A count separated from its kind by adjectives is a statistic.
		{"ru counted with adjectives", Document{Lang: "ru",
			Title: "Российско-китайский самолет получил 200 заказов",
			Text:  "На проект российско-китайского широкофюзеляжного самолета уже приходится 200 заключённых предварительных контрактов с авиакомпаниями."},
			true, false},
		// An item of a list of signed documents is signed by its lead-in.
		{"ru list of signed documents", Document{Lang: "ru",
			Title: "Итоги визита премьер-министра в Пекин",
			Text:  "По итогам переговоров подписаны следующие документы:\nсоглашение о торговле зерном;\nсоглашение между Роскосмосом и Китайским национальным космическим управлением о сотрудничестве в исследовании Луны;\nмеморандум о туризме.\nВизит продлится два дня."},
			true, true},
		// Hard-wrapped lines are one sentence.
		{"en hard-wrapped wire copy", Document{Lang: "en",
			Title: "China Railway unit wins Russian rail design contract",
			Text:  "A unit of China Railway Group said it signed a\ncontract worth 2.4 billion yuan to design a\nhigh-speed railway in Russia between Moscow and\nKazan, the company said in a filing on Tuesday.\nThe line is part of a planned network."},
			true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(tt.doc)
			if r.RuCnTech != tt.ruCnTech || r.Agreement.Detected != tt.agreement {
				t.Errorf("ru_cn_tech %v (score %.3f) agreement %v (stage %q); want %v %v",
					r.RuCnTech, r.Score, r.Agreement.Detected, r.Agreement.Stage, tt.ruCnTech, tt.agreement)
			}
		})
	}
}

// TestRelativeSigningDates checks that a signing dated by the story's own
// year ("in November last year", "去年11月") is dated by the publication,
// and that a phrase naming no such year leaves the date unstated.
func TestRelativeSigningDates(t *testing.T) {
	c := newClassifier(t)
	pub := time.Date(2016, 1, 20, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		doc  Document
		want string
	}{
		{"en month last year", Document{Lang: "en", Published: pub,
			Title: "Russia to deliver first Su-35 fighters to China",
			Text:  "Rosoboronexport and China signed a contract in November last year for the supply of 24 Su-35 fighter jets, the company said."},
			"2015-11"},
		{"zh 去年11月", Document{Lang: "zh", Published: pub,
			Title: "俄罗斯将向中国交付首批苏-35战机",
			Text:  "俄罗斯国防出口公司与中国去年11月签署了供应24架苏-35战斗机的合同。"},
			"2015-11"},
		{"ru в ноябре прошлого года", Document{Lang: "ru", Published: pub,
			Title: "Россия поставит Китаю первые Су-35",
			Text:  "«Рособоронэкспорт» и Китай подписали в ноябре прошлого года контракт на поставку истребителей Су-35."},
			"2015-11"},
		{"es este año, no month", Document{Lang: "es", Published: pub,
			Title: "Rusia y China firman un contrato de cazas Su-35",
			Text:  "Rosoboronexport y China firmaron este año un contrato para el suministro de 24 cazas Su-35."},
			"2016"},
		{"a headline's date a few signing sentences down", Document{Lang: "en", Published: pub,
			Title: "Su-35 fighter contract signed between Russia and China awaits ratification",
			Text: "\"We have signed, but it has not come into effect yet,\" Rostec chief Sergei Chemezov said.\n" +
				"Ratification by both sides is a long procedure, he added.\n" +
				"Moscow and Beijing signed a contract in November last year for 24 Su-35 jets worth $2 billion."},
			"2015-11"},
		{"no relative year", Document{Lang: "en", Published: pub,
			Title: "Russia and China sign Su-35 fighter contract",
			Text:  "Rosoboronexport and China signed a contract for the supply of 24 Su-35 fighter jets, the company said."},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(tt.doc)
			if !r.Agreement.Detected {
				t.Fatalf("no agreement detected (stage %q, score %.3f)", r.Agreement.Stage, r.Score)
			}
			if r.Agreement.Date != tt.want {
				t.Errorf("date %q, want %q (evidence %q)", r.Agreement.Date, tt.want, r.Agreement.Evidence)
			}
		})
	}
}
