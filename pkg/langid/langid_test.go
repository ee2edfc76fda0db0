package langid

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"english", "The committee said on Tuesday that the new rail link would be finished by the end of next year, although several contractors have not yet been paid.", "en"},
		{"russian", "Министр сообщил, что новый завод по выпуску микросхем будет построен в следующем году, хотя финансирование ещё не согласовано.", "ru"},
		{"ukrainian", "Міністр повідомив, що новий завод буде збудовано наступного року, але фінансування ще не погоджено і це викликає питання.", "uk"},
		{"bulgarian", "Министърът каза, че новият завод ще бъде построен след две години, но още няма съгласие за парите, които са нужни.", "bg"},
		{"chinese", "两国代表在会议上签署了关于人工智能和卫星导航合作的协议，双方同意在明年建立联合实验室。", "zh"},
		{"japanese", "両国の代表は会議で人工知能に関する協定に署名し、来年には共同研究所を設立することで合意した。", "ja"},
		{"korean", "양국 대표는 회의에서 인공지능 협력에 관한 협정에 서명했으며 내년에 공동 연구소를 설립하기로 합의했다.", "ko"},
		{"arabic", "وقع ممثلو البلدين في الاجتماع على اتفاقية للتعاون في مجال الذكاء الاصطناعي واتفقوا على إنشاء مختبر مشترك في العام المقبل.", "ar"},
		{"spanish", "El gobierno anunció que la nueva planta de baterías estará lista para el próximo año, aunque los sindicatos todavía no han firmado el acuerdo.", "es"},
		{"portuguese", "O governo anunciou que a nova fábrica de baterias estará pronta no próximo ano, mas os sindicatos ainda não assinaram o acordo com a empresa.", "pt"},
		{"french", "Le gouvernement a annoncé que la nouvelle usine de batteries sera prête l'année prochaine, mais les syndicats n'ont pas encore signé l'accord.", "fr"},
		{"german", "Die Regierung hat angekündigt, dass die neue Batteriefabrik im nächsten Jahr fertig sein wird, aber die Gewerkschaften haben den Vertrag noch nicht unterschrieben.", "de"},
		{"italian", "Il governo ha annunciato che la nuova fabbrica di batterie sarà pronta il prossimo anno, ma i sindacati non hanno ancora firmato l'accordo con la società.", "it"},
		{"dutch", "De regering heeft aangekondigd dat de nieuwe batterijfabriek volgend jaar klaar zal zijn, maar de vakbonden hebben het akkoord nog niet getekend.", "nl"},
		{"indonesian", "Pemerintah mengumumkan bahwa pabrik baterai yang baru akan selesai pada tahun depan, namun serikat pekerja belum menandatangani perjanjian tersebut.", "id"},
		{"turkish", "Hükümet yeni batarya fabrikasının gelecek yıl hazır olacağını açıkladı, ancak sendikalar henüz anlaşmayı imzalamadı ve bu durum tartışma yarattı.", "tr"},
		{"polish", "Rząd ogłosił, że nowa fabryka baterii będzie gotowa w przyszłym roku, ale związki zawodowe jeszcze nie podpisały porozumienia z firmą.", "pl"},
		{"vietnamese", "Chính phủ đã thông báo rằng nhà máy pin mới sẽ hoàn thành vào năm tới, nhưng các công đoàn vẫn chưa ký thỏa thuận với công ty.", "vi"},
		{"swedish", "Regeringen meddelade att den nya batterifabriken ska vara klar nästa år, men facken har ännu inte skrivit under avtalet med företaget.", "sv"},
		{"romanian", "Guvernul a anunțat că noua fabrică de baterii va fi gata anul viitor, dar sindicatele nu au semnat încă acordul cu compania.", "ro"},
		{"czech", "Vláda oznámila, že nová továrna na baterie bude hotová příští rok, ale odbory zatím dohodu s firmou nepodepsaly a jednání pokračují.", "cs"},
		{"slovak", "Vláda oznámila, že nová továreň na batérie bude hotová budúci rok, ale odbory zatiaľ dohodu s firmou nepodpísali a rokovania pokračujú.", "sk"},
		{"hungarian", "A kormány bejelentette, hogy az új akkumulátorgyár jövőre elkészül, de a szakszervezetek még nem írták alá a megállapodást a céggel.", "hu"},
		{"finnish", "Hallitus ilmoitti, että uusi akkutehdas valmistuu ensi vuonna, mutta ammattiliitot eivät ole vielä allekirjoittaneet sopimusta yhtiön kanssa.", "fi"},
		{"danish", "Regeringen meddelte, at den nye batterifabrik skal være færdig næste år, men fagforeningerne har endnu ikke underskrevet aftalen med virksomheden.", "da"},
		{"norwegian", "Regjeringen opplyste at den nye batterifabrikken skal være ferdig neste år, men fagforeningene har ennå ikke skrevet under avtalen med selskapet.", "no"},
		{"greek", "Η κυβέρνηση ανακοίνωσε ότι το νέο εργοστάσιο μπαταριών θα είναι έτοιμο τον επόμενο χρόνο.", "el"},
		{"hebrew", "הממשלה הודיעה כי המפעל החדש לסוללות יהיה מוכן בשנה הבאה, אך האיגודים טרם חתמו על ההסכם.", "he"},
		{"thai", "รัฐบาลประกาศว่าโรงงานแบตเตอรี่แห่งใหม่จะแล้วเสร็จในปีหน้า แต่สหภาพแรงงานยังไม่ได้ลงนามในข้อตกลง", "th"},
		{"hindi", "सरकार ने घोषणा की कि नई बैटरी फैक्टरी अगले साल तक तैयार हो जाएगी, लेकिन यूनियनों ने अभी तक समझौते पर हस्ताक्षर नहीं किए हैं।", "hi"},
		{"persian", "دولت اعلام کرد که کارخانه جدید باتری سال آینده آماده می‌شود، اما اتحادیه‌ها هنوز توافق‌نامه را امضا نکرده‌اند.", "fa"},
		{"empty", "", ""},
		{"too short", "ok", ""},
		{"digits and punctuation", "12:45 — 3,14 % / 2024-05-01 !!!", ""},
		{"english with markup noise", "<p>The company said it would open two new offices in the region this year.</p>", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conf := Detect(tt.text)
			if got != tt.want {
				t.Fatalf("Detect() = %q (%.2f), want %q", got, conf, tt.want)
			}
			if tt.want != "" && (conf <= 0 || conf > 1) {
				t.Fatalf("confidence %.2f out of (0,1]", conf)
			}
		})
	}
}

func TestDetectLongTextIsBounded(t *testing.T) {
	// A long text whose language changes after maxScan: only the head counts.
	head := strings.Repeat("Die Regierung hat das neue Gesetz nicht unterschrieben und es wird noch diskutiert. ", maxScan/80+1)
	tail := strings.Repeat("The government has not signed the new law and it is still being discussed. ", 4*maxScan/70)
	if got, _ := Detect(head + tail); got != "de" {
		t.Fatalf("Detect() = %q, want de from the first %d bytes", got, maxScan)
	}
}

func TestConfidenceOrdersEvidence(t *testing.T) {
	_, short := Detect("the new law and the")
	_, long := Detect("The government said that the new law would be signed in the spring, and that it was not yet clear how the courts would respond to it.")
	if !(long > short) {
		t.Fatalf("confidence for a long sentence %.2f not above a short one %.2f", long, short)
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("The committee said on Tuesday that it would meet again.")
	f.Add("Министр сообщил, что завод будет построен.")
	f.Add("两国代表签署了协议。")
	f.Add("\xff\xfe\x00broken \xc3")
	f.Fuzz(func(t *testing.T, s string) {
		lang, conf := Detect(s)
		if conf < 0 || conf > 1 {
			t.Fatalf("confidence %v out of [0,1]", conf)
		}
		if lang == "" && conf != 0 {
			t.Fatalf("no language but confidence %v", conf)
		}
		if lang != "" && !utf8.ValidString(lang) {
			t.Fatalf("invalid code %q", lang)
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	text := strings.Repeat("The government said that the new law would be signed in the spring, and that it was not yet clear how the courts would respond. ", 40)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Detect(text)
	}
}
