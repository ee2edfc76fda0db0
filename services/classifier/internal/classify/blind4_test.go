package classify

import "testing"

// TestSigningsThatAreNotDeals checks stories where a signing cue stands for
// something other than a new Russia–China technology deal: a denied claim, a
// count of procurement contracts, and a dated deal named as the basis of the
// work reported. Each story stays a Russia–China technology story.
func TestSigningsThatAreNotDeals(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		name, lang, title, text string
	}{
		{"en denied signing", "en",
			"Rosatom denies signing reactor software deal with Huawei",
			"Rosatom on Tuesday denied a newspaper report that it had signed a contract with China's Huawei for reactor control software and servers.\n" +
				"The newspaper said Rosatom and Huawei had signed a framework agreement covering servers and control software for two nuclear plants.\n" +
				"Talks between Rosatom and Huawei on the supply of servers continue, the company said."},
		{"ru counted procurement contracts", "ru",
			"Российские больницы закупают китайские томографы",
			"Российские больницы продолжают закупать китайские серверы и программное обеспечение для томографов Huawei.\n" +
				"Из 2,3 тыс. контрактов на поставку серверов, заключённых больницами в 2026 году, большинство предусматривали оборудование Huawei.\n" +
				"Российские интеграторы закупают серверы Huawei в Китае и устанавливают своё программное обеспечение."},
		{"id basis of the work", "id",
			"Rusia pasok bahan bakar nuklir untuk reaktor di Tiongkok",
			"Rosatom memasok bahan bakar nuklir untuk reaktor PLTN Tianwan di Tiongkok, kata CNNC.\n" +
				"Unit itu dibangun berdasarkan paket kesepakatan yang ditandatangani Rusia dan Tiongkok pada 2018.\n" +
				"Kerja sama nuklir Rosatom dan CNNC berjalan sesuai jadwal."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(Document{Title: tt.title, Text: tt.text, Lang: tt.lang})
			if !r.RuCnTech {
				t.Errorf("ru_cn_tech = false (score %.3f), want true", r.Score)
			}
			if r.Agreement.Detected {
				t.Errorf("agreement detected from %q, want none", r.Agreement.Evidence)
			}
		})
	}
}
