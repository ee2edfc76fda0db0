// Package classify decides whether a news article is about Russia–China
// technology cooperation, which technology topics it covers, and whether it
// reports a signed Russia–China technology agreement, with the sentences that
// decided each tag.
//
// # How a document is read
//
// The title and body are scanned once by a multi-pattern matcher compiled from
// the taxonomy (country and entity aliases, topic cues, relation, hostility,
// restriction, comparison, commodity, operation, summit-list and recall cues,
// agreement stages, kinds and subjects) in every language the taxonomy lists; a term whose language differs from
// the document's is ignored. A match lying inside a longer match is dropped
// ("South China Sea" names no Chinese actor; "will be signed" is intent, not a
// signature), and the text is cut into sentences (a period after a day's
// number before a month's name ends none where days are written so: "am 5.
// Juni 2019").
//
// # Relational scoring
//
// A sentence is relational when it holds a Russian actor and a Chinese actor
// (a country alias, a company, agency, product or person tied to one, a dyad
// such as "Sino-Russian", or "both countries" when the last pair of countries
// named is Russia and China — the last pair joined as one subject, "India y
// Rusia", "中俄", unless two countries named after it replace it — or, before
// any pair is named, in a document that names both), a relation cue
// (cooperation, joint work, supply, transfer, sale, market share; weakly
// talks, a market, relations, trials and use of one side's equipment by the
// other, one side's company at work in the other's country: "Huawei opens a
// 5G centre in Novosibirsk") and a technology cue, and nothing that breaks the tie: a side joined
// to a third country as one subject ("India and Russia jointly developed…"),
// the two sides as a third country's partners ("Indonesia weighs cooperation
// with Rosatom and CNNC", also no agreement) or as the object of a third
// country opening the sentence ("US tightens export rules, naming China and
// Russia"; not when the sides open a clause of their own: "Despite US
// pressure, Russia and China…"), hostile words (hackers, attacks, copying
// without a licence, competitors; condemning or opposing, as in a joint stand
// against a third country's weapons), a restriction imposed by someone else (a
// ban, sanctions), a comparison or a parallel (benchmarks, "like the Chinese
// model", each developing its own, independently of each other), or three or
// more third countries or groupings (a multilateral list; any one for a weak
// tie such as talks or a market, or for a tie whose only technology is the
// organisations' sectors). Cities and regions name their side ("a factory in
// Ryazan", 哈尔滨). Weapons and other hardware (helicopters, ships) named
// beside a military operation (a joint patrol, drills, an exercise) are not
// technology, and excluding or
// phasing out both sides' suppliers is a restriction. A generic technology
// word named among other fields of a summit agenda (economy, culture, energy),
// or next to oil, gas, grain, payments or cars (commodities, not technology),
// does not count, nor does any technology in an agenda of three or more
// fields, nor generic words alone ("technology", "innovation": "deeper
// cooperation in science, technology and innovation" names no technology;
// fields with no topic token of their own — rail signalling, vaccines, port
// cranes — are specific and count, filed under "other"; so do the frames of
// technology transfer in any field, which keep a story whose field the
// lexicon lacks from scoring nothing: "передаче технологии", "know-how", "a
// licence to produce", "localised production", "design documentation",
// "技术转让", "国产化", "transferencia de tecnología", "alih teknologi" —
// they still need both sides and a relation cue in the sentence, and a summit
// agenda of three fields or more voids them like any other technology). Phones and cars are consumer goods: their sales and market shares
// in Russia are trade, and count as technology only beside a technology cue
// (chipsets supplied to Russian assemblers, 5G networks).
//
// A document is a Russia–China technology story when its relational sentences
// carry enough weight — title and lead count three and two times — and are a
// fair share of the text: one relational sentence deep inside a long article
// about something else is a background mention. So is a single relational
// sentence in the body when the headline and lead are about something else and
// the sides are not named throughout.
//
// # Agreements
//
// An agreement is detected only at the signed stage (CAMEO 057): a sentence
// with a signing cue that nothing qualifies, no cue of rejection or recall
// ("back in 2019", an anniversary), not a mere declaration, with both sides in
// the sentence or its neighbours — but never when the sentence joins a side to
// a third country, or names a third country and only one side: the signatories
// are then that pair, and China or Russia named elsewhere is no party — about
// technology (in the sentence, or in its neighbours or the story when the
// sentence itself names none and no commodity). In a list of signed documents
// whose lead-in carries the signing verb ("Among the documents signed: a grain
// protocol; …; an agreement between Roscosmos and CNSA on remote-sensing
// data"), the item that names a Russian and a Chinese organisation within a
// few words, a deal kind, no commodity, and a technology cue or a sector both
// organisations share stands on its own: its kind, technology and parties are
// the agreement's, whatever the other items are. A signed package of documents
// listed with other fields counts only inside a technology story, and never
// when its only technology is the generic field of science and technology. A
// strong signed technology deal between named actors also makes the story
// relevant when the headline is about something else, if the sides run through
// the story or the next sentence goes on about the deal (names a deal kind or
// one of its organisations); a deal named in passing does not.
//
// A signing sentence that states a year is a recall when the year lies two or
// more years before the latest year the story states as its own time (years of
// plans and deadlines — "will start in 2027", "до 2022 года", "hasta 2030",
// "2030年前" — do not count), or when it is a bare year ("In 2019 MTS and Huawei
// signed…", "2019年，華為與MTS簽署") and the two sides are otherwise neither in the
// headline and lead nor named throughout, or the headline reports a deal still
// being prepared or planned ("Россия и Китай готовят новый документ…",
// "prepare", "筹备", "dijadwalkan") and signs nothing itself: the story is the
// coming deal and the dated one is the earlier deal recalled as background
// ("…подписали соглашение … в 2018 году" closing a story on a planned
// monitoring-station document). A dated signing named as the basis
// or frame of the work reported ("built under the package of agreements
// signed in 2018", "berdasarkan paket kesepakatan yang ditandatangani … pada
// 2018", "el marco legal … es el acuerdo firmado en", "根据…协议") is a recall
// whatever its year. A recall is neither an agreement nor a relational
// sentence. The agreement date skips deadline years for the same reason.
//
// A deal kind counted by a number of ten or more, or by a number with a
// multiplier ("1,400 contracts", "1,4 тыс. контрактов", "2.000 contratos",
// "ribuan kontrak"), is a statistic of procurement, not one deal whose
// signing is news: its sentence is no agreement. A headline denying a
// signing ("Roscosmos denies signing a satellite contract with China") voids
// the signing the story reports.
//
// A signing cue does not count when a negation governs it ("have not yet
// signed", "ninguno de los dos ha firmado", "так и не подписали", "但未签署",
// "belum menandatangani"; a Chinese negation reaches across a prepositional
// phrase: "尚未就建设此类网络签署"), when a modal or future word stands just
// before it ("could be signed", "может быть подписан", "有望于年内签署", "bisa
// diteken", "готовится к подписанию") or the cue is a present passive ("until the contract is signed"), or,
// in a language that puts participles last, closes its clause after a future
// or passive auxiliary, a modal verb or a condition with no auxiliary of the
// perfect between ("Das Abkommen wird am Rande des Gipfels in Peking
// unterzeichnet", but "wollen … und haben ein Abkommen unterzeichnet"), when
// a pending word follows it ("firmado todavía", "подписан не раньше 2027
// года", "подписание отложено"), or when an existential negation denies it
// later in its clause ("Подписанных контрактов пока нет", across an aside when
// the participle is in the genitive; before it: "there is
// no", "belum ditemukan", "no hay", "尚无"); the sentence is then at the intent
// stage. Reach is counted in words between the qualifier and the cue, within
// one clause: a few for negations and only auxiliaries and adverbs for modals
// in spaced scripts (Chinese puts time and place between, so it gets more
// characters), and phrases that only look negative ("not only", "тем не
// менее", "sin embargo", "tidak hanya") are blocked.
//
// # Agreement key
//
// The key identifies the deal across reports and languages:
//
//	rucn:<cn-org>+ru/<topic>[/<subject>]   when a Chinese organisation is a party
//	rucn:cn+<ru-org>/<topic>[/<subject>]   when only a Russian organisation is named
//	rucn:cn+ru/<topic>[/<subject>]         when only the countries are
//
// One organisation anchors the key — the Chinese one when any is named,
// because reports of a deal name the Chinese company far more consistently
// than its Russian counterpart — and the other side is reduced to its country.
// Parties come from the signing sentence (in a list of signed documents, from
// its item), else from its neighbours, else from the headline and lead (an
// organisation named further down may be a past partner); a side none of
// them names is its country, which the sink takes for any organisation of
// that side. Organisations are normalised to the party that usually signs: a
// subsidiary is its group (CNEIC, CNNP and Jiangsu Nuclear Power are CNNC;
// TVEL and Atomstroyexport are Rosatom; the China Satellite Navigation Office
// is CNSA; Khrunichev and Glavkosmos are Roscosmos), so "CNEIC … TVEL" and
// "中核集团…俄罗斯国家原子能公司" are one party pair.
//
// The topic is the deal's technology, never the anchoring organisation's
// sector: a deal's subject decides it when the signing sentence names one
// (each taxonomy subject has a topic: a nuclear plant on the Moon is space
// whether the report names Rosatom or CNSA), else the strongest specific
// topic of the signing sentence, then of its neighbours, before the generic
// field of research ("a joint laboratory" is filed under the field the
// laboratory works in, whichever sentence names it). It is also
// Agreement.Technology, which the sink matches on. The subject is the first
// taxonomy subject (by the taxonomy's priority: the Moon, satellite
// navigation, remote sensing, launches, satellite communications, a named
// nuclear plant, fast reactors, mobile networks, optical networks, data
// centres, large language models; then fields with no topic token of their
// own, whose topic is "other": lasers, tunnel boring machines, water
// treatment) the signing sentence names, and nothing when it names none — a
// word inside an organisation's name is no subject (the "Óptica" of the
// Shanghai Institute of Optics and Fine Mechanics does not make its laser
// laboratory an optical network deal) — so that CNSA's lunar and navigation deals, or ZTE's 4G
// base stations and optical backbone, get different keys; it is also
// Agreement.Subject. The deal kind ("contract", "commercial agreements",
// "kontrak") and the date are left out, because reports word them
// differently. So an English report of "Huawei's agreements with Russia" and
// an Indonesian one of "Huawei's contract with MTS" share
// rucn:huawei+ru/telecom. The trade-off: two deals of the same Chinese
// organisation on the same subject with different Russian partners share a
// key, and a report whose signing sentence omits the subject that another
// report of the deal names gets a key without it; the sink tells deals of one
// key apart by their parties, within its time window. And reports whose
// signing sentences name different organisations of one side (Rosatom in
// one, Roscosmos in another) are two deals to the sink.
package classify
