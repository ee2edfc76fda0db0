// Package classify decides whether a news article is about Russia–China
// technology cooperation, which technology topics it covers, and whether it
// reports a signed Russia–China technology agreement, with the sentences that
// decided each tag.
//
// # How a document is read
//
// The language is the document's (Document.Lang) or, when it gives none,
// detected from the title and lead. The title and body are then scanned once
// by a multi-pattern matcher compiled from the taxonomy's terms (country and
// entity aliases, topic cues, relation, hostility, restriction, comparison,
// commodity, operation, summit-list and recall cues, agreement stages, kinds
// and subjects) of that language and of every language ("any"): another
// language's terms never count in a document, so each language has an
// automaton of its own, a fraction of the whole, and adding a language costs
// the others nothing. A language that writes its clitics onto the word
// (Arabic "و", "ال", "بال") names them as proclitics, after which any
// word-initial term matches. A match lying inside a longer match is dropped
// ("South China Sea" names no Chinese actor; "will be signed" is intent, not
// a signature). Lines hard-wrapped at a fixed width are joined, and the text
// is cut into sentences by the marks of its script (。！？ in Chinese, ؟ ؛ in
// Arabic, where a period before any letter of a caseless script ends a
// sentence; a period after a day's number before a month's name ends none
// where days are written so: "am 5. Juni 2019").
//
// Before scoring, a pass reads the scope of the words that can void a tie.
// Backdrop words ("despite", "a pesar de", "в обход", "bypassing") make the
// sanctions, comparison or hostility that follow them the backdrop of the
// story, not its news: "Chinese firms keep supplying chips to Russia despite
// US sanctions" is a supply story. A comparison that is negated ("не будет
// следовать примеру США") or made with a third country, and hostility standing
// beside a third country ("Huawei, seen as a threat by the US, signed…"), are
// that third party's, not the sides'; hostility voids a tie only between the
// two sides, and opposition ("oppose", "condemn") always does.
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
// agenda of three fields or more voids them like any other technology). Phones are electronics: Chinese phone makers' share of the Russian
// market is Russia–China technology trade (classify-real's readers label it
// so). Cars are consumer goods: their sales in Russia are trade, and count as
// technology only beside a technology cue (chipsets supplied to Russian
// assemblers, 5G networks).
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
// # Topics and evidence
//
// Topics are scored over the title and, in a Russia–China technology story,
// the paragraphs that tie the sides and the ones right after them: an
// analysis piece runs through much other prose, and what it says of energy or
// space away from the tie is not what the story is about. A topic needs more
// than one incidental word: a specific strong term ("5G", "lunar station"),
// or mentions in two sentences ("clean-room space" once is not space). The
// topic that weighs most in the relational sentences comes first.
//
// Every tag carries the body sentences that decided it (Result.Evidence):
// ru_cn_tech its strongest relational sentences, each topic ("topic:<id>")
// the sentence that weighs most for it, an agreement its signing sentence.
// Never the title, which the reader has: a tag the headline decided is shown
// by the lead sentence that carries it on.
//
// # Dates
//
// An agreement's date is the one its signing sentence states nearest the
// signing cue (a headline's, in the lead's signing sentence): a full date or a
// month where one is stated, else a year stated as a time, never a deadline
// ("до 2022 года"), and never a date after the story's publication ("signed
// an agreement to launch 5G in 2020" in a 2019 story signed nothing in 2020).
// A date given by the story's own year ("in November last year", "去年11月",
// "в ноябре прошлого года") is dated by the publication. Month names are read
// in the document's language and in English (datelines), not in every
// language: French "mars" is the planet in English.
//
// # Deals and the agreement key
//
// An agreement names its deal as fields (Agreement.CN, RU, Technology,
// Subject, Date), which the sink compares with pkg/deal to raise one alert
// per deal; the key is a readable summary of them, never parsed back:
//
//	rucn:<cn>+<ru>/<topic>[/<subject>]
//
// where each side is the first organisation the report names for it (its
// group: CNEIC, CNNP and Jiangsu Nuclear Power are CNNC; TVEL and
// Atomstroyexport are Rosatom; Rosoboronexport and UAC answer to Rostec), or
// its country ("cn", "ru") when the report names none. The parties of each
// side, up to three, come from the signing sentence (in a list of signed
// documents, from its item), else from its neighbours, else from a headline
// that reports the deal; never guessed from a lead that does not (an
// organisation named further down may be a past partner). So "Huawei signed
// with MTS" is rucn:huawei+mts/telecom/mobile and "Huawei signed agreements
// with Russia" rucn:huawei+ru/telecom/mobile: two keys, one deal to the sink,
// which takes a side named only by its country for any organisation of it.
//
// The topic is the deal's technology, never an organisation's sector: a
// deal's subject decides it when the signing sentence names one (each
// taxonomy subject has a topic: a nuclear plant on the Moon is space whether
// the report names Rosatom or CNSA), else the strongest specific topic of the
// signing sentence, then of its neighbours, the story's own ties breaking a
// tie, before the generic field of research. The subject is the first
// taxonomy subject (by the taxonomy's priority: the Moon, satellite
// navigation, remote sensing, launches, satellite communications, a named
// nuclear plant, fast reactors, mobile networks…) the signing sentence names
// outside an organisation's name, so that CNSA's lunar and navigation deals,
// or ZTE's 4G base stations and optical backbone, are told apart. The deal
// kind is left out of the key: reports word it differently ("contract",
// "commercial agreements", "kontrak").
//
// # Languages
//
// What is language-specific is data: each language's pack in the taxonomy
// (taxonomy/languages/<code>.yaml) holds its terms and its grammar — the
// conjunctions, object markers, articles, clause openers, locatives, year
// words, basis phrases, multipliers and counters, agenda closers, perfective
// markers, bracket governors, abbreviations, month names, date fillers and
// ordinal endings, the words of "last year" and "this year", attached
// conjunctions and proclitics — that the rules above read. The rules are the
// same in every language; adding a language is adding its pack and tests.
package classify
