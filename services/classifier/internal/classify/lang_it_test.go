package classify

import "testing"

// TestItalian checks the Italian pack on texts written for the test in the
// shape Italian wire copy takes: the positives the beat needs (a signed
// technology contract, cooperation without a signing, supplies) and the hard
// negatives that only look like them (a deal with a third country, a summit
// agenda, a commodity contract, hostility, sanctions on both, a signing
// still to come, a signing recalled in passing, Huawei in Europe).
func TestItalian(t *testing.T) {
	c := newClassifier(t)
	for _, tt := range italianCases() {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(tt.doc)
			if r.RuCnTech != tt.ruCnTech || r.Agreement.Detected != tt.agreement {
				t.Errorf("ru_cn_tech %v (score %.3f) agreement %v (stage %q); want %v %v",
					r.RuCnTech, r.Score, r.Agreement.Detected, r.Agreement.Stage, tt.ruCnTech, tt.agreement)
			}
		})
	}
}

type langCase struct {
	name      string
	doc       Document
	ruCnTech  bool
	agreement bool
}

func italianCases() []langCase {
	return []langCase{
		// --- Positives ---
		{"signed nuclear contract", Document{Lang: "it",
			Title: "Rosatom e CNNC firmano il contratto per due nuovi reattori a Tianwan",
			Text:  "La russa Rosatom e la China National Nuclear Corporation hanno firmato ieri a Pechino un contratto per la costruzione di due unità con reattori VVER-1200 nella centrale nucleare di Tianwan.\nI lavori inizieranno entro la fine dell'anno prossimo."},
			true, true},
		{"signed space agreement, elided article", Document{Lang: "it",
			Title: "Spazio, Mosca e Pechino insieme sulla Luna",
			Text:  "L'accordo tra Roscosmos e l'agenzia spaziale cinese sulla stazione lunare internazionale è stato firmato martedì a Mosca.\nLe due agenzie svilupperanno congiuntamente i moduli della base e i sistemi di comunicazione."},
			true, true},
		{"headline present tense signing", Document{Lang: "it",
			Title: "Huawei firma un accordo con Mts per la rete 5G in Russia",
			Text:  "Il colosso cinese delle telecomunicazioni fornirà stazioni radio base e apparecchiature di rete all'operatore mobile russo.\nI primi test sono previsti a Mosca in autunno."},
			true, true},
		{"licensed vaccine production signed", Document{Lang: "it",
			Title: "Sputnik V, intesa per la produzione in Cina",
			Text:  "Il Fondo russo per gli investimenti diretti ha siglato un'intesa con un'azienda farmaceutica cinese per produrre su licenza il vaccino Sputnik V nello stabilimento di Shenzhen.\nLa produzione dovrebbe partire in estate."},
			true, true},
		{"headline signs with", Document{Lang: "it",
			Title: "Zte firma con Rostelecom un contratto per la rete in fibra ottica",
			Text:  "Il produttore cinese fornirà all'operatore russo apparecchiature di trasporto ottico per la dorsale tra Mosca e Vladivostok."},
			true, true},
		{"cooperation without a signing", Document{Lang: "it",
			Title: "Huawei rafforza la collaborazione con le università russe sull'intelligenza artificiale",
			Text:  "Il gruppo cinese ha aperto a Novosibirsk un nuovo centro di ricerca e collabora con tre atenei russi su algoritmi di visione artificiale e reti neurali.\nSecondo l'azienda, gli ingegneri russi lavorano anche ai modelli linguistici del gruppo."},
			true, false},
		{"nuclear cooperation continues", Document{Lang: "it",
			Title: "Rosatom e la Cina proseguono la cooperazione sui reattori a neutroni veloci",
			Text:  "La russa TVEL continuerà a fornire il combustibile nucleare per il reattore veloce di Xiapu, ha detto il direttore generale di Rosatom durante la visita a Pechino."},
			true, false},
		{"chip supplies despite sanctions", Document{Lang: "it",
			Title: "Le aziende cinesi forniscono microchip alla Russia nonostante le sanzioni",
			Text:  "Secondo i dati doganali, società cinesi hanno venduto alla Russia semiconduttori e componenti elettronici per droni, aggirando le sanzioni occidentali.\nLe spedizioni sono raddoppiate nell'ultimo anno."},
			true, false},
		{"deal to be signed next year", Document{Lang: "it",
			Title: "Roscosmos e Cnsa firmeranno l'accordo sulla base lunare il prossimo anno",
			Text:  "Il documento sulla stazione lunare congiunta sarà firmato nel corso del prossimo anno, ha detto il capo dell'agenzia spaziale russa.\nLe due parti stanno ancora discutendo la divisione dei compiti."},
			true, false},
		{"contract not yet signed", Document{Lang: "it",
			Title: "Huawei e Mts trattano sulla rete 5G",
			Text:  "Le trattative tra l'operatore russo e il fornitore cinese sulle stazioni base 5G proseguono, ma il contratto non è ancora stato firmato.\nNessun documento è stato sottoscritto durante il forum."},
			true, false},

		{"summit package of signed documents", Document{Lang: "it",
			Title: "Putin a Pechino, firmati venti accordi",
			Text:  "Durante la visita sono stati firmati venti documenti di cooperazione in economia, commercio, energia, agricoltura e scienza e tecnologia.\nI due leader hanno anche discusso della situazione internazionale."},
			false, false},
		{"sides have not signed", Document{Lang: "it",
			Title: "Mosca e Pechino non hanno ancora firmato l'accordo sulla stazione lunare",
			Text:  "Roscosmos e l'agenzia spaziale cinese non hanno ancora firmato l'accordo sulla costruzione congiunta della base lunare, ha detto una fonte del settore."},
			true, false},
		{"present passive is still to come", Document{Lang: "it",
			Title: "Rosatom e CNNC, la cooperazione sul combustibile nucleare attende il contratto",
			Text:  "Finché il contratto non viene firmato, la russa TVEL fornirà il combustibile nucleare alla centrale cinese di Tianwan solo in base agli accordi esistenti."},
			true, false},
		{"not yet officially signed", Document{Lang: "it",
			Title: "Huawei e Mts, la rete 5G attende ancora il contratto",
			Text:  "L'accordo tra Huawei e Mts sulla rete 5G in Russia non è ancora stato ufficialmente firmato, ha detto una fonte vicina all'operatore."},
			true, false},
		// --- Hard negatives ---
		{"Russia–India nuclear deal", Document{Lang: "it",
			Title: "Rosatom firma un accordo con l'India per due nuovi reattori",
			Text:  "La Russia e l'India hanno firmato un contratto per la costruzione di due reattori nella centrale nucleare di Kudankulam.\nNuova Delhi conta di avviare i lavori entro il 2027."},
			false, false},
		{"a side joined to a third country", Document{Lang: "it",
			Title: "BrahMos, nuovo test del missile indo-russo",
			Text:  "L'India e la Russia hanno sviluppato congiuntamente il missile da crociera, più veloce dei modelli in dotazione alla Cina.\nIl missile sarà esportato nelle Filippine."},
			false, false},
		{"both sides as a third country's partners", Document{Lang: "it",
			Title: "Nucleare, l'Indonesia valuta la cooperazione con Rosatom e CNNC",
			Text:  "L'Indonesia valuta la cooperazione con Rosatom e CNNC per la sua prima centrale nucleare, ha detto il ministro dell'Energia."},
			false, false},
		{"summit readout listing science and technology", Document{Lang: "it",
			Title: "Putin e Xi a colloquio a Pechino",
			Text:  "I due leader hanno discusso di economia, commercio, energia, cultura e cooperazione in scienza e tecnologia.\nAl termine dell'incontro è stata firmata una dichiarazione congiunta sul partenariato strategico."},
			false, false},
		{"gas contract", Document{Lang: "it",
			Title: "Gazprom e CNPC firmano un contratto per nuove forniture di gas",
			Text:  "Il contratto prevede forniture di gas naturale alla Cina attraverso il gasdotto Forza della Siberia per trent'anni.\nIl prezzo non è stato reso noto."},
			false, false},
		{"grain contract", Document{Lang: "it",
			Title: "Russia e Cina firmano un contratto per la fornitura di grano",
			Text:  "Mosca esporterà in Cina milioni di tonnellate di grano e soia attraverso un nuovo corridoio agricolo, secondo il contratto firmato ieri."},
			false, false},
		{"Chinese hackers attack Russian firms", Document{Lang: "it",
			Title: "Hacker cinesi hanno attaccato aziende russe della difesa",
			Text:  "Un gruppo di pirati informatici legato alla Cina ha rubato progetti di sistemi radar e missili a imprese russe, secondo i ricercatori di una società di cybersicurezza."},
			false, false},
		{"US sanctions on both", Document{Lang: "it",
			Title: "Gli Stati Uniti sanzionano aziende cinesi e russe per i semiconduttori",
			Text:  "Il dipartimento del Commercio ha inserito nella lista nera dodici società cinesi e russe accusate di fornire chip all'industria militare."},
			false, false},
		{"signing recalled in a story about something else", Document{Lang: "it",
			Title: "Aeroflot rinnova la flotta con nuovi aerei di linea russi",
			Text:  "La compagnia aerea russa riceverà entro dicembre i primi dieci velivoli.\nIl piano prevede anche nuovi simulatori per i piloti.\nGli aerei saranno impiegati sulle rotte interne.\nNel 2015 Mosca aveva firmato con Pechino un contratto per la vendita di 24 aerei da combattimento Su-35 con i relativi motori.\nLa compagnia prevede di assumere duecento nuovi piloti nel corso dell'anno."},
			false, false},
		{"Huawei in Europe", Document{Lang: "it",
			Title: "Huawei apre a Milano un centro di ricerca sul 5G",
			Text:  "Huawei, che negli ultimi anni ha ridotto le attività in Russia, punta ora sull'Europa e investirà trenta milioni di euro nel centro.\nIl laboratorio collaborerà con università italiane sulle reti di nuova generazione."},
			false, false},
		{"a comparison, not a tie", Document{Lang: "it",
			Title: "Sia la Russia che la Cina sviluppano i propri sistemi di navigazione satellitare",
			Text:  "Il GLONASS e il BeiDou sono stati sviluppati separatamente, ciascuno per conto proprio, come alternative al GPS."},
			false, false},
		{"joint condemnation", Document{Lang: "it",
			Title: "Russia e Cina condannano i piani degli Stati Uniti sulla difesa missilistica",
			Text:  "In una dichiarazione congiunta, Mosca e Pechino hanno condannato il dispiegamento di missili americani in Asia."},
			false, false},
		{"bombers on a joint patrol", Document{Lang: "it",
			Title: "Bombardieri russi e cinesi in pattugliamento congiunto sul Pacifico",
			Text:  "Due bombardieri strategici cinesi e due russi armati di missili da crociera hanno sorvolato il mar del Giappone durante una esercitazione congiunta.\nI velivoli erano scortati da caccia e da aerei radar."},
			false, false},
		{"signing denied", Document{Lang: "it",
			Title: "Rostelecom smentisce di aver firmato un accordo con Huawei sul cloud",
			Text:  "Rostelecom ha negato di aver firmato un contratto con Huawei per la costruzione di centri dati in Russia."},
			false, false},
		{"a modal signing", Document{Lang: "it",
			Title: "Russia e Cina verso un accordo sui satelliti di navigazione",
			Text:  "L'accordo tra Roscosmos e la Cnsa sull'integrazione dei sistemi di navigazione satellitare potrebbe essere firmato durante la visita di Putin a Pechino."},
			true, false},
	}
}
