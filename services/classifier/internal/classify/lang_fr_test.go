package classify

import (
	"testing"
	"time"
)

// TestFrench checks the French pack on short stories written for the test in
// the shape French reports take: signed deals, cooperation without a
// signature and supplies, and the hard negatives around them (a third
// country's deal, a summit agenda, commodities, hacking, sanctions on both,
// a deal still to come, an old deal recalled, Huawei in Europe).
func TestFrench(t *testing.T) {
	c := newClassifier(t)
	pub := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		doc       Document
		ruCnTech  bool
		agreement bool
	}{
		// --- Positives ---
		{"signed nuclear contract", Document{Lang: "fr",
			Title: "Rosatom et la CNNC signent un contrat pour deux nouveaux réacteurs à Tianwan",
			Text: "Le groupe russe Rosatom et la Corporation nucléaire nationale de Chine ont signé mardi à Pékin un contrat général pour la construction des tranches 7 et 8 de la centrale nucléaire de Tianwan.\n" +
				"Les deux tranches seront équipées de réacteurs VVER-1200 de conception russe.\n" +
				"La mise en service est attendue en 2028."},
			true, true},
		{"signed lunar station agreement", Document{Lang: "fr",
			Title: "Moscou et Pékin concluent un accord sur une station de recherche lunaire",
			Text: "Roscosmos et l’Administration spatiale nationale chinoise ont signé jeudi un accord intergouvernemental sur la construction conjointe d’une station scientifique sur la Lune.\n" +
				"Le document prévoit le partage des données et la coordination des missions vers le pôle Sud lunaire."},
			true, true},
		{"Huawei research centre in Russia, no signing", Document{Lang: "fr",
			Title: "Huawei renforce sa coopération avec les universités russes dans l’intelligence artificielle",
			Text: "Le géant chinois des télécommunications Huawei a ouvert un nouveau centre de recherche à Saint-Pétersbourg, où une centaine d’ingénieurs russes travaillent sur des algorithmes d’intelligence artificielle.\n" +
				"L’entreprise collabore déjà avec plusieurs universités russes et prévoit d’embaucher d’autres chercheurs."},
			true, false},
		{"supply of chips", Document{Lang: "fr",
			Title: "Les fournisseurs chinois livrent toujours plus de puces à la Russie",
			Text: "Les entreprises chinoises ont fourni à la Russie des microprocesseurs et des composants électroniques pour plus d’un milliard de dollars l’an dernier, selon les statistiques des douanes.\n" +
				"Ces livraisons ont presque doublé en un an."},
			true, false},
		{"headline present signing on navigation", Document{Lang: "fr",
			Title: "La Russie et la Chine signent un accord sur la complémentarité de GLONASS et BeiDou",
			Text: "Les deux pays se sont engagés à rendre leurs systèmes de navigation par satellite compatibles et à construire des stations au sol sur le territoire de l’autre.\n" +
				"Le texte a été paraphé par les chefs des agences spatiales russe et chinoise."},
			true, true},
		{"vaccine production licence", Document{Lang: "fr",
			Title: "Le fonds russe RDIF et un laboratoire chinois s’associent pour produire le vaccin Spoutnik V",
			Text: "Le Fonds russe d’investissement direct et la société chinoise Shenzhen Yuanxing ont signé un accord portant sur la production en Chine de plus de 60 millions de doses du vaccin Spoutnik V.\n" +
				"La production doit démarrer au deuxième trimestre."},
			true, true},
		{"sino-russian satellite cooperation, talks", Document{Lang: "fr",
			Title: "La coopération sino-russe dans les satellites de navigation s’intensifie",
			Text: "Des experts russes et chinois ont discuté à Harbin de nouveaux projets communs de stations de surveillance pour les satellites GLONASS et BeiDou.\n" +
				"Aucun document n’a encore été signé, a précisé un responsable."},
			true, false},
		{"deal to be signed next year", Document{Lang: "fr",
			Title: "Rosatom et la CNNC signeront l’an prochain un contrat sur un réacteur à neutrons rapides",
			Text: "Rosatom et la CNNC négocient la fourniture de combustible nucléaire pour le réacteur à neutrons rapides de Xiapu.\n" +
				"Le contrat sera signé l’année prochaine, a indiqué le directeur général de Rosatom."},
			true, false},
		{"deal not yet signed", Document{Lang: "fr",
			Title: "La Russie et la Chine n’ont toujours pas signé l’accord sur la station lunaire",
			Text: "Roscosmos et l’agence spatiale chinoise préparent depuis deux ans un accord sur la station lunaire commune.\n" +
				"Le document n’a pas encore été signé, faute d’entente sur le financement, selon une source proche du dossier."},
			true, false},
		// Detection: no language given.
		{"undeclared language, signed radar deal", Document{Lang: "",
			Title: "La Chine achète à la Russie des systèmes de défense antiaérienne S-400",
			Text: "Pékin a signé avec Rosoboronexport un contrat portant sur la livraison de plusieurs bataillons de systèmes S-400, a confirmé le Kremlin.\n" +
				"Les premières livraisons sont prévues pour l’année prochaine."},
			true, true},
		{"concluded agreement", Document{Lang: "fr",
			Title: "MTS et Huawei concluent un accord sur la 5G",
			Text:  "L’opérateur russe MTS et le chinois Huawei ont conclu mercredi un accord sur le développement des réseaux 5G en Russie, en marge d’une visite de Xi Jinping à Moscou."},
			true, true},
		{"unprecedented is no negation", Document{Lang: "fr",
			Title: "Roscosmos et la CNSA signent un accord sans précédent sur l’exploration lunaire",
			Text:  "Un accord sans précédent a été signé jeudi entre Roscosmos et l’agence spatiale chinoise sur l’exploration de la Lune."},
			true, true},
		{"non-binding is no negation", Document{Lang: "fr",
			Title: "Yandex et Alibaba signent un mémorandum sur le commerce électronique",
			Text:  "Le russe Yandex et le chinois Alibaba ont signé un mémorandum non contraignant sur le développement de leurs plateformes de commerce électronique."},
			true, true},
		{"signing took place", Document{Lang: "fr",
			Title: "Coopération spatiale : Moscou et Pékin s’accordent sur la télédétection",
			Text: "Roscosmos et la CNSA ont finalisé un accord sur l’échange de données de télédétection.\n" +
				"La signature a eu lieu vendredi à Pékin, en présence des chefs des deux agences."},
			true, true},
		{"a deadline year is no recall", Document{Lang: "fr", Published: pub,
			Title: "TVEL fournira du combustible au réacteur chinois CFR-600",
			Text:  "TVEL, filiale de Rosatom, et la CNNC ont signé lundi un contrat pour livrer le combustible du réacteur à neutrons rapides CFR-600 d’ici 2030."},
			true, true},
		{"a visit's frame is news, not a basis", Document{Lang: "fr", Published: time.Date(2023, 3, 22, 0, 0, 0, 0, time.UTC),
			Title: "Rosatom et la CNNC signent un programme de coopération nucléaire à long terme",
			Text:  "Dans le cadre de la visite d’État de Xi Jinping à Moscou, Rosatom et la CNNC ont signé le 21 mars 2023 un programme de coopération sur les réacteurs à neutrons rapides et le cycle du combustible."},
			true, true},
		{"a dated deal named as the basis", Document{Lang: "fr",
			Title: "Rosatom livre le premier combustible pour la tranche 7 de Tianwan",
			Text: "TVEL a livré à la CNNC le premier chargement de combustible nucléaire pour la tranche 7 de la centrale de Tianwan.\n" +
				"Les tranches sont construites dans le cadre de l’accord signé par la Russie et la Chine en 2018.\n" +
				"La coopération nucléaire entre Rosatom et la CNNC se poursuit selon le calendrier prévu."},
			true, false},
		{"a contract among the documents signed", Document{Lang: "fr",
			Title: "Poutine et Xi assistent à la signature de plusieurs accords",
			Text:  "Vladimir Poutine et Xi Jinping ont assisté à la signature de plusieurs accords, dont un contrat entre Rosatom et la CNNC sur la construction de quatre réacteurs nucléaires."},
			true, true},
		{"joint venture", Document{Lang: "fr",
			Title: "Alibaba, MegaFon et Mail.ru créent une coentreprise",
			Text:  "Le chinois Alibaba, l’opérateur russe MegaFon et le groupe Mail.ru ont signé un accord pour créer une coentreprise dans le commerce en ligne en Russie."},
			true, true},
		{"sanctions as the backdrop of supplies", Document{Lang: "fr",
			Title: "Malgré les sanctions, la Chine fournit des machines-outils à la Russie",
			Text:  "Malgré les sanctions occidentales, les entreprises chinoises continuent de fournir des machines-outils et des composants électroniques aux usines russes."},
			true, false},
		{"to be signed during a visit", Document{Lang: "fr",
			Title: "Rosatom et la CNNC s’apprêtent à signer un accord sur le cycle du combustible",
			Text: "L’accord devrait être signé lors de la visite de Xi Jinping à Moscou, a indiqué Rosatom.\n" +
				"Les deux groupes coopèrent déjà sur la centrale de Tianwan."},
			true, false},
		{"signing ceremony planned", Document{Lang: "fr",
			Title: "Rosatom et la CNNC vont signer un contrat sur Xudapu",
			Text: "La cérémonie de signature est prévue pour la fin du mois à Pékin, selon Rosatom.\n" +
				"Le contrat porte sur deux réacteurs VVER-1200 pour la centrale de Xudapu."},
			true, false},
		{"neither side signed", Document{Lang: "fr",
			Title: "Station lunaire : ni Moscou ni Pékin n’ont signé le document final",
			Text:  "Ni Roscosmos ni l’agence spatiale chinoise n’ont signé le document final sur la station lunaire, contrairement à ce qu’affirmaient plusieurs médias."},
			true, false},

		// --- Hard negatives ---
		{"Russia–India deal", Document{Lang: "fr",
			Title: "La Russie et l’Inde signent un contrat pour la livraison de systèmes S-400",
			Text: "Moscou et New Delhi ont signé vendredi un contrat de 5 milliards de dollars pour la livraison de cinq systèmes de défense antiaérienne S-400.\n" +
				"Le contrat a été signé malgré les protestations de la Chine, qui s’inquiète du renforcement militaire indien."},
			false, false},
		{"summit readout listing science and technology", Document{Lang: "fr",
			Title: "Poutine et Xi Jinping saluent des relations « au plus haut niveau »",
			Text: "Vladimir Poutine et Xi Jinping ont passé en revue la coopération dans les domaines de l’économie, du commerce, de l’énergie, de la culture, de la science et de la technologie.\n" +
				"À l’issue des entretiens, les deux dirigeants ont signé une déclaration conjointe et assisté à la signature d’une vingtaine de documents, notamment dans l’agriculture, l’éducation et la finance."},
			false, false},
		{"gas contract", Document{Lang: "fr",
			Title: "Gazprom et CNPC signent un contrat de livraison de gaz de 30 ans",
			Text: "Le géant russe Gazprom et le groupe chinois CNPC ont signé à Shanghai un contrat de trente ans pour la livraison de gaz naturel par le gazoduc Force de Sibérie.\n" +
				"Le montant n’a pas été dévoilé."},
			false, false},
		{"grain contract", Document{Lang: "fr",
			Title: "Moscou et Pékin signent un accord sur les exportations de blé russe",
			Text: "La Russie et la Chine ont signé un accord qui ouvre le marché chinois au blé et aux céréales de Sibérie.\n" +
				"Les livraisons passeront par un nouveau terminal céréalier."},
			false, false},
		{"Chinese hackers attacking Russian firms", Document{Lang: "fr",
			Title: "Des pirates informatiques chinois ont attaqué des entreprises russes de défense",
			Text: "Un groupe de pirates lié à la Chine a visé des entreprises russes de l’industrie de défense et dérobé des plans de systèmes radar, selon une société de cybersécurité.\n" +
				"Les attaquants ont utilisé des courriels piégés."},
			false, false},
		{"US sanctions on both", Document{Lang: "fr",
			Title: "Washington sanctionne des sociétés chinoises et russes pour des livraisons de puces",
			Text: "Le département américain du Commerce a ajouté à sa liste des entités une vingtaine de sociétés chinoises et russes accusées de fournir des semi-conducteurs à l’industrie militaire russe.\n" +
				"Les entreprises visées n’ont pas réagi."},
			false, false},
		{"old signing recalled in a story about something else", Document{Lang: "fr", Published: pub,
			Title: "Rosatom lance la construction d’un quatrième réacteur en Turquie",
			Text: "Le groupe russe Rosatom a lancé mardi la construction du quatrième réacteur de la centrale d’Akkuyu, en Turquie.\n" +
				"Le chantier emploie plus de vingt mille personnes, dont de nombreux ingénieurs turcs.\n" +
				"Le groupe construit également des centrales en Égypte et en Hongrie.\n" +
				"Les ingénieurs turcs sont formés dans les universités russes.\n" +
				"Le premier béton de la tranche a été coulé au printemps.\n" +
				"En 2018, Rosatom avait signé avec la CNNC un accord sur de nouvelles tranches à Tianwan."},
			false, false},
		{"Huawei in Europe", Document{Lang: "fr",
			Title: "Huawei va construire une usine d’équipements 5G en Alsace",
			Text: "Le chinois Huawei a annoncé la construction de sa première usine européenne d’équipements de réseaux mobiles près de Strasbourg.\n" +
				"Plusieurs pays de l’Union européenne ont pourtant restreint l’usage de ses équipements 5G."},
			false, false},
		{"joint condemnation", Document{Lang: "fr",
			Title: "La Russie et la Chine condamnent le projet américain de bouclier antimissile dans l’espace",
			Text:  "Dans une déclaration commune, Moscou et Pékin ont condamné les projets des États-Unis de déployer des intercepteurs de missiles en orbite."},
			false, false},
		{"each developing its own", Document{Lang: "fr",
			Title: "La Russie et la Chine développent chacune de son côté ses satellites de navigation",
			Text:  "Moscou et Pékin construisent chacun de leur côté leurs propres constellations de satellites de navigation, sans composants communs."},
			false, false},
		{"Chinese cars in Russia", Document{Lang: "fr",
			Title: "Les constructeurs automobiles chinois détiennent 60 % du marché russe",
			Text:  "Les voitures chinoises représentent désormais six ventes sur dix en Russie, selon l’association des concessionnaires russes."},
			false, false},
		{"Roscosmos and NASA", Document{Lang: "fr",
			Title: "Roscosmos et la NASA signent un accord d’échange de places vers la station spatiale",
			Text: "L’agence spatiale russe Roscosmos et la NASA ont signé un accord permettant à des cosmonautes de voler à bord des capsules américaines.\n" +
				"La Chine, de son côté, exploite sa propre station spatiale."},
			false, false},
		{"third country weighs offers from both", Document{Lang: "fr",
			Title: "L’Indonésie envisage une coopération avec Rosatom et la CNNC",
			Text:  "L’Indonésie envisage une coopération avec Rosatom et la CNNC pour construire de petits réacteurs modulaires."},
			false, false},
		{"denied signing", Document{Lang: "fr",
			Title: "Rostelecom dément avoir signé un contrat avec Huawei",
			Text:  "Rostelecom a démenti mardi les informations selon lesquelles il aurait signé un contrat avec Huawei pour construire des centres de données."},
			false, false},
		{"a parallel, not a tie", Document{Lang: "fr",
			Title: "Comme la Chine, la Russie veut produire ses propres puces",
			Text:  "À l’instar de la Chine, la Russie veut produire ses propres puces électroniques d’ici 2030."},
			false, false},
		{"generic science and technology", Document{Lang: "fr",
			Title: "Moscou et Pékin veulent approfondir leur coopération scientifique et technique",
			Text:  "La Russie et la Chine ont convenu d’approfondir leur coopération scientifique et technique, a déclaré le vice-Premier ministre russe."},
			false, false},
		{"joint patrol", Document{Lang: "fr",
			Title: "Des bombardiers russes et chinois effectuent une patrouille conjointe",
			Text:  "Des bombardiers stratégiques russes et chinois ont effectué une patrouille aérienne conjointe au-dessus de la mer du Japon, a annoncé Moscou."},
			false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(tt.doc)
			if r.Lang != "fr" {
				t.Errorf("lang %q, want fr", r.Lang)
			}
			if r.RuCnTech != tt.ruCnTech || r.Agreement.Detected != tt.agreement {
				t.Errorf("ru_cn_tech %v (score %.3f) agreement %v (stage %q, %q); want %v %v",
					r.RuCnTech, r.Score, r.Agreement.Detected, r.Agreement.Stage, r.Agreement.Evidence, tt.ruCnTech, tt.agreement)
			}
		})
	}
}

// TestFrenchDates checks that French dates ("le 1er juin 2019", "le 8 juin
// 2018") date the signing.
func TestFrenchDates(t *testing.T) {
	c := newClassifier(t)
	tests := []struct{ title, text, want string }{
		{"Nucléaire : Rosatom et la CNNC signent un accord sur Tianwan",
			"M. Likhatchev et le président de la CNNC ont signé le 1er juin 2019 à Pékin un contrat pour deux réacteurs de la centrale de Tianwan.",
			"2019-06-01"},
		{"Rosatom et la CNNC signent un accord sur Tianwan",
			"Rosatom et la CNNC ont signé le 8 juin 2018 un accord sur la construction de deux réacteurs à Tianwan.",
			"2018-06-08"},
	}
	for _, tt := range tests {
		r := c.Classify(Document{Lang: "fr", Title: tt.title, Text: tt.text})
		if !r.Agreement.Detected || r.Agreement.Date != tt.want {
			t.Errorf("%q: agreement %v date %q, want %q", tt.title, r.Agreement.Detected, r.Agreement.Date, tt.want)
		}
	}
}
