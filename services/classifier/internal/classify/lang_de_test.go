package classify

import (
	"testing"
	"time"
)

// TestGerman checks the German pack on short texts written for the test in
// the shape German reports take: signed deals, cooperation and supplies
// without a signing, and the hard negatives of the beat (third-country
// deals, summit agendas, commodities, hacking, sanctions on both, deals
// still to be signed, old signings recalled, Huawei in Europe).
func TestGerman(t *testing.T) {
	c := newClassifier(t)
	y2024 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		doc       Document
		ruCnTech  bool
		agreement bool
	}{
		// --- Signed Russian–Chinese technology deals.
		{"nuclear contract signed", Document{
			Title: "Rosatom und CNNC unterzeichnen Vertrag über zwei neue Reaktorblöcke",
			Text:  "Der russische Staatskonzern Rosatom und die China National Nuclear Corporation haben am Freitag in Peking einen Vertrag über den Bau von zwei Reaktorblöcken für das Kernkraftwerk Tianwan unterzeichnet.\nDie Blöcke sollen mit Reaktoren vom Typ WWER-1200 ausgestattet werden."},
			true, true},
		// "am 5. Juni": a day's ordinal period does not end the sentence.
		{"5G agreement, ordinal date mid-sentence", Document{
			Title: "Mobilfunk: Russischer Netzbetreiber setzt auf chinesische Technik",
			Text:  "Der chinesische Netzwerkausrüster Huawei und der russische Mobilfunkbetreiber MTS haben am 5. Juni in Moskau ein Abkommen über den Aufbau eines 5G-Netzes unterzeichnet.\nErste Basisstationen sollen noch in diesem Jahr in Betrieb gehen."},
			true, true},
		{"fighter contract, headline present", Document{
			Title: "Russland und China schließen Vertrag über Su-35-Kampfjets",
			Text:  "Russland liefert der chinesischen Luftwaffe 24 Kampfflugzeuge vom Typ Su-35, wie der Rüstungskonzern Rostec am Donnerstag mitteilte.\nEs ist der erste Verkauf des Modells ins Ausland."},
			true, true},
		{"vaccine licence signed", Document{
			Title: "Chinesische Firma soll russischen Impfstoff herstellen",
			Text:  "Der Russische Direktinvestitionsfonds und das chinesische Biotechunternehmen Shenzhen Yuanxing haben eine Vereinbarung über die Produktion von 60 Millionen Dosen des Impfstoffs Sputnik V in China unterzeichnet.\nDie Herstellung soll im Mai beginnen."},
			true, true},

		// --- Cooperation and supplies without a signing.
		{"lunar station planned, deal to be signed next year", Document{
			Title: "Roskosmos und China planen gemeinsame Mondstation",
			Text:  "Die russische Raumfahrtbehörde Roskosmos und die chinesische Raumfahrtbehörde CNSA arbeiten an einer gemeinsamen Forschungsstation auf dem Mond.\nEin entsprechendes Abkommen soll im kommenden Jahr unterzeichnet werden, sagte ein Sprecher von Roskosmos."},
			true, false},
		{"Huawei research centre in Russia", Document{
			Title: "Huawei eröffnet Forschungszentrum in Nowosibirsk",
			Text:  "Der chinesische Konzern Huawei eröffnet in Nowosibirsk ein Forschungszentrum für künstliche Intelligenz und arbeitet dort mit russischen Universitäten zusammen.\nRund hundert Ingenieure sollen dort Algorithmen für Bilderkennung entwickeln."},
			true, false},
		{"chip supplies despite sanctions", Document{
			Title: "Chinesische Händler liefern Mikrochips an Russland",
			Text:  "Chinesische Händler haben im vergangenen Jahr Halbleiter und elektronische Bauteile im Wert von mehreren Hundert Millionen Dollar nach Russland geliefert, wie Zolldaten zeigen.\nDie Lieferungen umgehen damit die westlichen Sanktionen."},
			true, false},
		{"fuel supplies for a fast reactor", Document{
			Title: "Russland und China vertiefen Zusammenarbeit bei schnellen Reaktoren",
			Text:  "Die Rosatom-Tochter TWEL liefert Brennstoff für den chinesischen Schnellen Brüter CFR-600 in der Provinz Fujian.\nDie erste Ladung traf im Dezember ein."},
			true, false},
		{"not yet signed", Document{
			Title: "Triebwerke für russisch-chinesisches Langstreckenflugzeug: Vertrag lässt auf sich warten",
			Text:  "Russland und China haben den Vertrag über die Lieferung von Flugzeugtriebwerken für das gemeinsame Großraumflugzeug CR929 noch nicht unterzeichnet, berichtet die Zeitung.\nDie Verhandlungen dauern an."},
			true, false},

		// The verb bracket: a participle closing its clause after "wird"
		// is a plan; after "haben" it is done, whatever modal came before.
		{"future passive far from its auxiliary", Document{
			Title: "Russland und China: 5G-Abkommen beim Gipfel",
			Text:  "Das Abkommen zwischen Huawei und MTS über den Aufbau eines 5G-Netzes wird am Rande des Gipfels in Moskau unterzeichnet.\nBeide Seiten verhandeln seit Monaten."},
			true, false},
		{"modal, then a perfect", Document{
			Title: "Huawei und MTS unterzeichnen 5G-Vertrag",
			Text:  "Huawei und MTS wollen in Russland 5G-Netze aufbauen und haben deshalb am Mittwoch ein Abkommen unterzeichnet."},
			true, true},
		// A dated signing named as the frame of the work is a recall.
		{"reactor built under a package signed years ago", Document{
			Title:     "Vierter Reaktorblock in Tianwan ans Netz gegangen",
			Text:      "Der Block wurde im Rahmen des 2018 unterzeichneten Pakets von Abkommen zwischen Rosatom und CNNC gebaut.\nRosatom lieferte den Reaktor und den Brennstoff für das chinesische Kraftwerk.",
			Published: time.Date(2021, 5, 20, 0, 0, 0, 0, time.UTC)},
			true, false},

		// --- Hard negatives.
		{"Russia–India deal", Document{
			Title: "Russland und Indien unterzeichnen Vertrag über S-400-Systeme",
			Text:  "Russland und Indien haben am Freitag in Neu-Delhi einen Vertrag über die Lieferung von fünf Luftabwehrsystemen vom Typ S-400 unterzeichnet.\nChina beobachtet das Geschäft mit Sorge."},
			false, false},
		{"Rosatom in a third country", Document{
			Title: "Rosatom schließt Vertrag über Kernkraftwerk in Usbekistan",
			Text:  "Rosatom hat mit Usbekistan einen Vertrag über den Bau eines kleinen Kernkraftwerks unterzeichnet.\nDie Turbinen sollen nach Angaben des Unternehmens aus China kommen."},
			false, false},
		{"summit readout listing science and technology", Document{
			Title: "Putin und Xi vereinbaren engere Zusammenarbeit",
			Text:  "Russland und China wollen ihre Zusammenarbeit in den Bereichen Wirtschaft, Handel, Energie, Kultur sowie Wissenschaft und Technik ausbauen, erklärten Präsident Putin und Staatschef Xi Jinping nach ihrem Treffen in Moskau.\nDie beiden Staatschefs unterzeichneten eine gemeinsame Erklärung über die Vertiefung der strategischen Partnerschaft."},
			false, false},
		{"gas contract", Document{
			Title: "Gazprom und CNPC unterzeichnen Vertrag über Gaslieferungen",
			Text:  "Der russische Energiekonzern Gazprom und der chinesische Ölkonzern CNPC haben in Peking einen langfristigen Vertrag über Gaslieferungen durch die Pipeline Kraft Sibiriens unterzeichnet.\nDer Vertrag läuft über 30 Jahre."},
			false, false},
		{"grain contract", Document{
			Title: "Russland und China unterzeichnen Getreideabkommen",
			Text:  "Russland und China haben einen Vertrag über die Lieferung von Weizen und anderem Getreide im Wert von 25 Milliarden Dollar unterzeichnet.\nDie Ware soll über einen neuen Landkorridor transportiert werden."},
			false, false},
		{"Chinese hackers attack Russian firms", Document{
			Title: "Chinesische Hacker greifen russische Rüstungsfirmen an",
			Text:  "Eine chinesische Hackergruppe hat nach Angaben von Sicherheitsforschern russische Rüstungsunternehmen angegriffen und Konstruktionsunterlagen für Radarsysteme gestohlen.\nDie Angriffe begannen im Frühjahr."},
			false, false},
		{"US sanctions on both", Document{
			Title: "USA verhängen Sanktionen gegen chinesische und russische Chipfirmen",
			Text:  "Das US-Handelsministerium hat Exportbeschränkungen gegen Dutzende Unternehmen aus China und Russland verhängt, die Halbleiter für das russische Militär geliefert haben sollen.\nDie Firmen kommen auf eine schwarze Liste."},
			false, false},
		{"signing recalled in a story about something else", Document{
			Title:     "Russischer Mobilfunkmarkt wächst langsamer",
			Text:      "Die Zahl der Mobilfunkverträge in Russland ist im vergangenen Jahr nur um ein Prozent gestiegen.\nDie Netzbetreiber klagen über hohe Kosten und fehlende Frequenzen.\nBereits im Jahr 2019 hatten MTS und Huawei ein Abkommen über 5G-Tests unterzeichnet.\nIm Jahr 2023 investierten die Betreiber rund zwei Milliarden Euro in ihre Netze.",
			Published: y2024},
			false, false},
		{"Huawei in Europe", Document{
			Title: "Huawei liefert Technik für deutsches 5G-Netz",
			Text:  "Der chinesische Netzwerkausrüster Huawei liefert Antennen und Basisstationen für den Ausbau des 5G-Netzes in Deutschland.\nDie Bundesregierung prüft, ob Huawei-Komponenten aus dem Kernnetz ausgeschlossen werden sollen."},
			false, false},
		{"each side on its own", Document{
			Title: "Sowohl Russland als auch China bauen eigene Raumstationen",
			Text:  "Sowohl Russland als auch China arbeiten an eigenen Raumstationen für die Zeit nach der ISS.\nExperten sehen in den Programmen eine Konkurrenz zur NASA."},
			false, false},
		{"denied signing", Document{
			Title: "Rostelecom dementiert Vertrag mit Huawei über Rechenzentren",
			Text:  "Der russische Staatskonzern Rostelecom hat Berichte zurückgewiesen, wonach er mit Huawei einen Vertrag über den Bau von Rechenzentren unterzeichnet habe."},
			false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.doc
			d.Lang = "de"
			r := c.Classify(d)
			if r.RuCnTech != tt.ruCnTech || r.Agreement.Detected != tt.agreement {
				t.Errorf("ru_cn_tech %v (score %.3f) agreement %v (stage %q); want %v %v",
					r.RuCnTech, r.Score, r.Agreement.Detected, r.Agreement.Stage, tt.ruCnTech, tt.agreement)
			}
		})
	}
}

// TestGermanSigningDate checks that a day written as an ordinal ("am 5.
// Juni 2019") keeps its sentence whole and dates the signing.
func TestGermanSigningDate(t *testing.T) {
	c := newClassifier(t)
	r := c.Classify(Document{Lang: "de",
		Title: "Mobilfunk: Russischer Netzbetreiber setzt auf chinesische Technik",
		Text:  "Der chinesische Netzwerkausrüster Huawei und der russische Mobilfunkbetreiber MTS haben am 5. Juni 2019 in Moskau ein Abkommen über den Aufbau eines 5G-Netzes unterzeichnet.\nErste Basisstationen sollen noch in diesem Jahr in Betrieb gehen."})
	if !r.Agreement.Detected || r.Agreement.Date != "2019-06-05" || r.Agreement.Key != "rucn:huawei+mts/telecom/mobile" {
		t.Fatalf("agreement %v date %q key %q; want a signing of 2019-06-05 keyed rucn:huawei+mts/telecom/mobile",
			r.Agreement.Detected, r.Agreement.Date, r.Agreement.Key)
	}
}
