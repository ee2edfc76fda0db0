package classify

import (
	"testing"

	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// TestSigningQualifiers checks, sentence by sentence, that a signing cue
// counts only when nothing negates it, makes it a plan or says it is still
// to come, in each of the five languages.
func TestSigningQualifiers(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		name, lang, text string
		signed           bool
	}{
		{"en past", "en", "Huawei and MTS signed a 5G contract on Monday.", true},
		{"en negated perfect", "en", "Huawei and MTS have not yet signed the 5G contract.", false},
		{"en contraction", "en", "The two agencies haven't signed any document on the station.", false},
		{"en no deal", "en", "No contract was signed during the visit.", false},
		{"en no agreement with a party", "en", "No agreement with the Chinese vendor has been signed, the operator said.", false},
		{"en neither", "en", "Neither company has formally signed the memorandum.", false},
		{"en could be", "en", "The contract could be signed next spring, officials said.", false},
		{"en may eventually", "en", "A licence may eventually be signed in Beijing.", false},
		{"en not only", "en", "The two firms not only signed a contract but also opened a lab.", true},
		{"en month May", "en", "In May the operator signed a contract with the vendor.", true},
		{"en modal out of reach", "en", "ZTE will supply base stations under the contract signed in March.", true},
		{"en yet another", "en", "Huawei signed yet another contract with the operator.", true},
		{"en negation out of reach", "en", "Officials did not disclose the value of the contract signed on Tuesday.", true},
		{"en modal in another clause", "en", "The agreement, which could be worth $2 billion, was signed on Tuesday.", true},
		{"en signed in a city", "en", "The contract was signed in Beijing on Tuesday.", true},
		{"en second cue unqualified", "en", "The ministry has not commented; the operator signed the deal in June.", true},
		{"en until present passive", "en", "Until the supply contract is signed, the partners fund only the prototype.", false},
		{"en once present passive", "en", "Once it is signed, assembly would move to Harbin.", false},
		{"en has been signed", "en", "The supply contract has been signed in Harbin.", true},
		{"en witnessed the signing", "en", "The two leaders witnessed the signing of 20 documents.", true},
		{"en ahead of the signing", "en", "Officials met ahead of the signing of the documents.", false},

		{"ru planned to sign", "ru", "Подписать документ планируется до конца года.", false},
		{"ru planned signing passive", "ru", "Соглашение планируется подписать в декабре.", false},
		{"ru preparing for signing", "ru", "Меморандум готовится к подписанию.", false},
		{"ru will be signed after aside", "ru", "Документ, по словам министра, будет подписан в ноябре.", false},
		{"en set to be signed", "en", "The agreement is set to be signed in Beijing next month.", false},
		{"en preparing to sign", "en", "Roscosmos and CNSA are preparing to sign a lunar station deal.", false},
		{"zh plan to sign", "zh", "双方计划签署卫星导航合作协议。", false},
		{"zh proposed to sign", "zh", "双方拟于下月在北京签署合作协议。", false},
		{"es expected to sign", "es", "Se prevé firmar el acuerdo en diciembre.", false},
		{"id scheduled to be signed", "id", "Perjanjian itu dijadwalkan ditandatangani bulan depan.", false},
		{"ru past", "ru", "Роскосмос и CNSA подписали соглашение о лунной станции.", true},
		{"ru not yet", "ru", "Соглашение пока не подписано.", false},
		{"ru never did", "ru", "Стороны так и не подписали контракт.", false},
		{"ru not before", "ru", "Документ может быть подписан не раньше следующего года.", false},
		{"ru negation after", "ru", "Меморандум подписан не будет, сообщили в министерстве.", false},
		{"ru postponed", "ru", "Подписание меморандума отложено.", false},
		{"ru none of", "ru", "Ни одна из компаний не подписала меморандум.", false},
		{"ru negation in another clause", "ru", "Это не первое соглашение, подписанное компаниями.", true},
		{"ru nevertheless", "ru", "Тем не менее стороны подписали контракт на поставку.", true},
		{"ru scheduled", "ru", "Подписание соглашения запланировано на декабрь.", false},
		{"ru forum ended with signing", "ru", "Форум завершился подписанием соглашений.", true},
		{"ru none exist", "ru", "Подписанных контрактов на серийные поставки пока нет.", false},
		{"ru absence in another clause", "ru", "Контракт подписан в понедельник, других подробностей нет.", true},
		{"ru not found", "ru", "Не обнаружено подписанных соглашений между компаниями.", false},
		{"ru none exist across an aside", "ru", "Заключенных контрактов на сборку, по словам источника, пока нет.", false},
		{"ru signed, then no questions", "ru", "Контракт подписан, и вопросов у сторон нет.", true},

		{"zh past", "zh", "华为与俄罗斯电信签署了合同。", true},
		{"zh not yet", "zh", "双方尚未签署任何协议。", false},
		{"zh but not", "zh", "双方进行了磋商，但未签署合作文件。", false},
		{"zh expected", "zh", "双方有望于年内签署合作协议。", false},
		{"zh will", "zh", "两国将于明年在莫斯科签署协议。", false},
		{"zh plan", "zh", "双方拟签署谅解备忘录。", false},
		{"zh signed then will", "zh", "中方与俄方于5月签署协议，并将共同建设空间站。", true},
		{"zh will after the signing", "zh", "双方签署的协议将于明年生效。", true},
		{"zh hope governs the clause", "zh", "双方希望在年内就实验室章程达成一致并正式签署合作协议。", false},
		{"zh hope in another clause", "zh", "双方希望扩大合作，并于周一签署了合作协议。", true},
		{"zh virtual is not a plan", "zh", "双方在虚拟现实领域签署了合作协议。", true},
		{"zh reception is not pending", "zh", "在接待俄方代表团期间双方签署了协议。", true},
		{"zh not yet through a 就-phrase", "zh", "双方尚未就建设此类量子网络签署正式协议。", false},
		{"zh not yet through a 与-phrase", "zh", "该公司至今未与俄罗斯运营商签署供货合同。", false},
		{"zh negation far without a phrase", "zh", "未透露金额的这份卫星导航合作协议已于周五签署。", true},

		{"es past", "es", "Rostelecom y ZTE firmaron un contrato de equipos.", true},
		{"es not yet, adverb after", "es", "Las agencias no han firmado todavía un acuerdo.", false},
		{"es nobody", "es", "Ninguna de las dos empresas ha firmado el contrato.", false},
		{"es still, adverb after only", "es", "Ninguno de los organismos lo ha confirmado y el acuerdo está firmado aún en borrador.", false},
		{"es could", "es", "El memorando podría ser firmado en la próxima cumbre.", false},
		{"es even more", "es", "Las dos empresas firmaron aún más contratos este año.", true},
		{"es negation out of reach", "es", "No es el primer acuerdo de este tipo firmado entre ambas empresas.", true},
		{"es however", "es", "Sin embargo, ambas partes firmaron un memorando.", true},
		{"es there is none", "es", "No hay ningún acuerdo firmado entre las dos empresas.", false},

		{"id past", "id", "Huawei dan MTS menandatangani kontrak 5G.", true},
		{"id not yet", "id", "Kedua pihak belum menandatangani perjanjian.", false},
		{"id will soon", "id", "Perjanjian itu segera ditandatangani di Moskow.", false},
		{"id could", "id", "Nota kesepahaman bisa diteken tahun depan.", false},
		{"id none", "id", "Tidak ada perjanjian yang ditandatangani dalam kunjungan itu.", false},
		{"id none found", "id", "Hingga kini belum ditemukan kontrak lisensi yang ditandatangani kedua pihak.", false},
		{"en there is none", "en", "There is no agreement signed between the two companies.", false},
		{"id negation and modal after", "id", "Kontrak yang ditandatangani Senin itu akan berlaku lima tahun dan tidak mencakup layanan.", true},
		{"id not only", "id", "Tidak hanya menandatangani kontrak, kedua perusahaan juga membuka laboratorium.", true},
	}
	signed := c.stageBit(taxonomy.StageSigned)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := c.hits(tt.text, tt.lang)
			g := c.grammarFor(tt.lang)
			sents := c.sentences(tt.text, segment(tt.text, nil, g), hs, 0, g)
			got := false
			for i := range sents {
				if sents[i].stages&signed != 0 {
					got = true
				}
			}
			if got != tt.signed {
				t.Errorf("signed = %v, want %v", got, tt.signed)
			}
		})
	}
}
