package classify

import (
	"reflect"
	"testing"
	"time"
)

func TestYears(t *testing.T) {
	c := newClassifier(t)
	g := c.anyGrammar
	d := g.dates
	type ym struct {
		Year  int
		Bound bool
	}
	tests := []struct {
		name, in string
		want     []ym
	}{
		{"en in", "In 2019 Huawei and MTS signed an agreement.", []ym{{2019, false}}},
		{"en date", "signed on 3 March 2025 in Moscow", []ym{{2025, false}}},
		{"en until", "a deal that runs until 2030", []ym{{2030, true}}},
		{"en by the end of", "by the end of 2027", []ym{{2027, true}}},
		{"en a count is not a year", "a contract for 2000 base stations", nil},
		{"ru year and end", "В 2019 году «Ростелеком» и Huawei подписали соглашение до 2022 года.", []ym{{2019, false}, {2022, true}}},
		{"ru deadline", "к 2027 году", []ym{{2027, true}}},
		{"ru range", "в 2019–2022 годах", []ym{{2019, false}, {2022, true}}},
		{"zh year", "2019年，華為與MTS簽署協議", []ym{{2019, false}}},
		{"zh before", "2030年前建成", []ym{{2030, true}}},
		{"zh to", "有效期至2030年", []ym{{2030, true}}},
		{"es en", "firmado por ambos países en 2017", []ym{{2017, false}}},
		{"es hasta", "hasta 2026", []ym{{2026, true}}},
		{"id pada tahun", "pada tahun 2018 kedua negara", []ym{{2018, false}}},
		{"id hingga", "berlaku hingga 2030", []ym{{2030, true}}},
		{"out of range", "in 1812 and in 2100", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []ym
			for _, y := range d.years(tt.in, g) {
				got = append(got, ym{y.year, y.bound})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("years(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestPastSigning checks that a signing dated well before the story's time,
// or dated at all in a story about something else, is a recall that makes
// neither an agreement nor a Russia–China technology story, while a dated
// signing that is the story's news still counts.
func TestPastSigning(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		name      string
		doc       Document
		ruCnTech  bool
		agreement bool
		date      string
	}{
		{
			name: "en bare year in a story about something else",
			doc: Document{Lang: "en", Title: "Huawei opens a data centre in Kenya",
				Text: "Huawei opened a data centre in Nairobi on Monday to serve banks and government agencies.\nThe company has expanded across Africa for a decade.\nIn 2019 Huawei and the Russian operator MTS signed an agreement to develop 5G networks.\nThe Nairobi centre will employ 200 people."},
		},
		{
			name: "ru year well before the story's year",
			doc: Document{Lang: "ru", Title: "Ростелеком и Huawei расширяют сотрудничество в облачных сервисах",
				Text: "В 2025 году «Ростелеком» перевел облачную платформу на новое оборудование Huawei.\nВ 2019 году «Ростелеком» и Huawei подписали соглашение о сотрудничестве в области облачных сервисов до 2022 года.\nКомпании продолжают совместную работу над центрами обработки данных."},
			ruCnTech: true,
		},
		{
			name: "zh traditional bare year in a story about something else",
			doc: Document{Lang: "zh", Title: "中興通訊在泰國擴建5G網絡",
				Text: "中興通訊宣布在泰國擴建5G網絡。\n2020年，中興與俄羅斯營運商MegaFon簽署協議，在莫斯科測試5G網絡。\n中興表示，泰國業務增長強勁。"},
		},
		{
			name: "en dated signing that is the news, later years in plans",
			doc: Document{Lang: "en", Title: "Rostelecom signs network deal with ZTE",
				Text: "Rostelecom signed a contract with ZTE on 3 March 2025 to supply routers for its data centres.\nDeliveries are due to begin in 2026 and end in 2027."},
			ruCnTech: true, agreement: true, date: "2025-03-03",
		},
		{
			name: "en publication date two years after the dated signing",
			doc: Document{Lang: "en", Title: "Rostelecom expands ZTE network in Siberia",
				Text:      "Rostelecom signed a contract with ZTE on 3 March 2023 to supply routers for its data centres in Siberia.\nZTE also supplies Rostelecom with 5G base stations, the operator said.",
				Published: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
			ruCnTech: true,
		},
		{
			name: "en same text with no publication date",
			doc: Document{Lang: "en", Title: "Rostelecom expands ZTE network in Siberia",
				Text: "Rostelecom signed a contract with ZTE on 3 March 2023 to supply routers for its data centres in Siberia.\nZTE also supplies Rostelecom with 5G base stations, the operator said."},
			ruCnTech: true, agreement: true, date: "2023-03-03",
		},
		{
			name: "zh headline evidence takes the lead's date",
			doc: Document{Lang: "zh", Title: "中俄签署月球核电站合作协议",
				Text: "2025年5月8日，中俄双方在莫斯科签署月球核电站合作协议。\n该电站将为国际月球科研站供电。"},
			ruCnTech: true, agreement: true, date: "2025-05-08",
		},
		{
			name: "en headline plans a new deal, body recalls a bare-year one",
			doc: Document{Lang: "en", Title: "Roscosmos and CNSA prepare a new satellite navigation agreement",
				Text: "Roscosmos and CNSA discussed joint ground stations for GLONASS and BeiDou at a meeting in Harbin.\nThe new agreement on monitoring stations is expected to be signed by the end of the year.\nRussia and China signed an agreement on GLONASS and BeiDou cooperation in 2018."},
			ruCnTech: true,
		},
		{
			name: "en bare-year signing under a signing headline stays news",
			doc: Document{Lang: "en", Title: "Roscosmos and CNSA sign satellite navigation agreement",
				Text: "Roscosmos and CNSA signed an agreement on GLONASS and BeiDou monitoring stations in 2018, the agencies said.\nThe stations will be built in both countries."},
			ruCnTech: true, agreement: true, date: "2018",
		},
		{
			name: "ru deadline is not the signing date",
			doc: Document{Lang: "ru", Title: "Росатом и CNNC подписали контракт на поставку ядерного топлива",
				Text: "Росатом и китайская CNNC подписали контракт на поставку ядерного топлива для реактора на быстрых нейтронах до 2030 года."},
			ruCnTech: true, agreement: true, date: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(tt.doc)
			if r.RuCnTech != tt.ruCnTech {
				t.Errorf("RuCnTech = %v (score %.3f), want %v; evidence %v", r.RuCnTech, r.Score, tt.ruCnTech, r.Evidence)
			}
			if r.Agreement.Detected != tt.agreement {
				t.Errorf("agreement = %v (%q), want %v", r.Agreement.Detected, r.Agreement.Evidence, tt.agreement)
			}
			if tt.agreement && r.Agreement.Date != tt.date {
				t.Errorf("date = %q, want %q", r.Agreement.Date, tt.date)
			}
		})
	}
}
