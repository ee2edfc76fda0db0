package classify

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

func newClassifier(t testing.TB) *Classifier {
	t.Helper()
	tx, err := taxonomy.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	c, err := New(tx)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestClassify(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		name      string
		doc       Document
		ruCnTech  bool
		agreement bool
		topic     string   // expected primary topic when ruCnTech
		parties   []string // expected agreement parties
		kind      string
		key       string
		date      string
		entities  []string // canonical names that must be listed
	}{
		{
			name: "signed 5G contract, English",
			doc: Document{Lang: "en", Title: "Huawei wins 5G contract from Russian operator MTS",
				Text: "Huawei signed a contract with MTS on 5 June 2019 to build a 5G network in Russia.\nThe deal was signed in Moscow in the presence of Vladimir Putin and Xi Jinping."},
			ruCnTech: true, agreement: true, topic: "telecom", parties: []string{"huawei", "mts"}, kind: "contract",
			key: "rucn:huawei+mts/telecom/mobile", date: "2019-06-05", entities: []string{"Huawei", "MTS", "Vladimir Putin", "Xi Jinping", "Russia"},
		},
		{
			name: "same deal, Indonesian, Russian partner named differently",
			doc: Document{Title: "Huawei dapat kontrak jaringan 5G di Rusia",
				Text: "Perusahaan asal China itu menandatangani kontrak dengan Rusia untuk membangun jaringan 5G.\nKontrak tersebut ditandatangani di Moskow."},
			ruCnTech: true, agreement: true, topic: "telecom", key: "rucn:huawei+ru/telecom/mobile", entities: []string{"Huawei", "China", "Russia"},
		},
		{
			name: "Chinese, traditional script, space agreement",
			doc: Document{Lang: "zh", Title: "中俄簽署月球科研站合作協議",
				Text: "中國國家航天局與俄羅斯國家航天集團在莫斯科簽署合作協議，雙方將共同建設國際月球科研站。"},
			ruCnTech: true, agreement: true, topic: "space", kind: "agreement", entities: []string{"China", "Russia", "CNSA", "Roscosmos"},
		},
		{
			name: "Russian inflections, nuclear fuel contract",
			doc: Document{Lang: "ru", Title: "Росатом и китайская CNNC заключили контракт на поставку ядерного топлива",
				Text: "Российская госкорпорация поставит топливо для китайского реактора на быстрых нейтронах.\nКонтракт подписан в Пекине."},
			ruCnTech: true, agreement: true, topic: "energy", parties: []string{"cnnc", "rosatom"}, kind: "contract", key: "rucn:cnnc+rosatom/energy",
		},
		{
			name: "rail signalling contract, Russian, the Chinese side described, not named",
			doc: Document{Lang: "ru", Title: "НИИАС закупит у китайского партнёра систему интервального регулирования",
				Text: "Институт НИИАС и китайская госкомпания, производитель железнодорожной автоматики, подписали контракт на поставку системы управления движением поездов для новой магистрали.\nПо контракту китайская сторона адаптирует радиоблок к российским стандартам."},
			ruCnTech: true, agreement: true, topic: "telecom", kind: "contract", entities: []string{"Russian Railways"},
		},
		{
			name: "joint biotech research with no topic token of its own",
			doc: Document{Lang: "en", Title: "Russian and Chinese virologists jointly develop a vaccine against a tick-borne virus",
				Text: "Researchers in Novosibirsk and Wuhan developed the vaccine together and will run its trials jointly next year."},
			ruCnTech: true, agreement: false, topic: "other",
		},
		{
			name: "technology transfer in a field the lexicon lacks, Russian",
			doc: Document{Lang: "ru", Title: "Российский завод получит китайскую технологию производства стеклянных изоляторов",
				Text: "Российский завод из Екатеринбурга и китайская компания подписали соглашение о передаче технологии производства стеклянных изоляторов.\nКитайская сторона передаст конструкторскую документацию и обучит российских инженеров."},
			ruCnTech: true, agreement: true, topic: "other", kind: "agreement",
		},
		{
			name: "technology transfer in a field the lexicon lacks, Chinese",
			doc: Document{Lang: "zh", Title: "中国企业向俄罗斯工厂转让玻璃绝缘子技术",
				Text: "中国一家企业与俄罗斯乌拉尔工厂签署合同，向俄方转让玻璃绝缘子生产技术，并实现本地化。"},
			ruCnTech: true, agreement: true, topic: "other", kind: "contract",
		},
		{
			name: "a summit list naming technology transfer among fields is no tie",
			doc: Document{Lang: "en", Title: "Putin and Xi discuss trade, energy and culture",
				Text: "Russia and China agreed to deepen cooperation in trade, energy, culture, education and technology transfer, the Kremlin said."},
			ruCnTech: false, agreement: false,
		},
		{
			name: "a denied tie is no tie",
			doc: Document{Lang: "en", Title: "Sber denies Huawei will supply servers for its AI cloud",
				Text: "Sber denied on Friday a report that Huawei would supply servers for its artificial intelligence cloud.\nThe bank said it builds its computing capacity on Russian hardware."},
			ruCnTech: false, agreement: false,
		},
		{
			name: "intent only: expected to be signed",
			doc: Document{Lang: "en", Title: "Russia and China plan a joint AI research centre",
				Text: "Russia and China will cooperate on artificial intelligence research at a new centre in Kazan.\nAn agreement is expected to be signed next year."},
			ruCnTech: true, agreement: false, topic: "ai",
		},
		{
			name: "acronym AI is not the ai in said",
			doc: Document{Lang: "en", Title: "Officials said trade grew",
				Text: "Officials in Moscow and Beijing said trade between Russia and China grew again."},
		},
		{
			name: "summit list with technology among many fields",
			doc: Document{Lang: "en", Title: "Putin and Xi hold talks",
				Text: "The leaders agreed to expand cooperation in trade, energy, culture, education and technology.\nThey also discussed the situation in the Middle East."},
		},
		{
			name: "signed gas deal is not technology",
			doc: Document{Lang: "en", Title: "Russia and China sign gas supply contract",
				Text: "Gazprom and CNPC signed a contract for gas deliveries through a new pipeline."},
		},
		{
			name: "hackers are not cooperation",
			doc: Document{Lang: "en", Title: "Chinese hackers attack Russian satellite makers",
				Text: "A Chinese hacking group attacked Russian satellite makers with phishing emails and malware, researchers said."},
		},
		{
			name: "background recall of an old deal",
			doc: Document{Lang: "en", Title: "Huawei launches a new laptop in Europe",
				Text: "Huawei launched a new laptop in Paris on Monday.\nThe laptop runs its own operating system and goes on sale in France next month.\nBack in 2019 Huawei signed a deal with MTS to build 5G networks in Russia.\nPrices start at 1,200 euros."},
		},
		{
			// Phones sold are trade; chipsets supplied to Russian
			// assemblers are a technology input.
			name: "phone market with chipsets supplied to local assemblers, Indonesian",
			doc: Document{Lang: "id", Title: "Merek ponsel China rebut pasar Rusia",
				Text: "Lebih dari separuh smartphone yang terjual di Rusia tahun ini dibuat oleh produsen China.\nPabrikan China juga memasok chipset dan layar untuk perakit lokal di Rusia."},
			ruCnTech: true, topic: "telecom",
		},
		{
			name: "market share of Chinese cars is not technology",
			doc: Document{Lang: "en", Title: "Chinese car brands lead Russian sales",
				Text: "Chinese brands took 55 percent of the Russian car market in October.\nHaval and Chery sold the most cars, ahead of Lada."},
		},
		{
			name: "forum without a signature, Chinese",
			doc: Document{Lang: "zh", Title: "中俄量子通信研讨会在北京举行",
				Text: "来自中俄两国的专家就量子通信合作进行了交流。\n双方尚未签署合作协议，有关文件有望明年签署。"},
			ruCnTech: true, topic: "quantum",
		},
		{
			name: "Russian headline, inflected sides joined by и",
			doc: Document{Lang: "ru", Title: "Россия и Китай обсуждают единые стандарты искусственного интеллекта",
				Text: "Министерства провели первую встречу рабочей группы.\nРешения пока не приняты."},
			ruCnTech: true, topic: "ai",
		},
		{
			name: "reached an agreement",
			doc: Document{Lang: "en", Title: "Rosatom and CNNC reach agreement on fast-reactor fuel",
				Text: "Rosatom and China National Nuclear Corporation reached an agreement on Tuesday to supply fuel for a fast-neutron reactor in China."},
			ruCnTech: true, agreement: true, topic: "energy", key: "rucn:cnnc+rosatom/energy/fast_reactor",
		},
		{
			name: "agreed to cooperate is not a signature",
			doc: Document{Lang: "en", Title: "Russia and China agree to cooperate on quantum computing",
				Text: "Russian and Chinese research institutes agreed to cooperate on quantum computing and will draft an agreement next year."},
			ruCnTech: true, topic: "quantum",
		},
		{
			name: "deal could be signed, Spanish",
			doc: Document{Lang: "es", Title: "Rusia y China preparan un acuerdo sobre satélites de navegación",
				Text: "Roscosmos y la agencia espacial china trabajan juntos en la compatibilidad de GLONASS y BeiDou.\nEl acuerdo podría ser firmado en la próxima cumbre, pero ninguna de las partes ha firmado nada todavía."},
			ruCnTech: true, topic: "space",
		},
		{
			name: "multilateral talks with third countries are not a bilateral tie",
			doc: Document{Lang: "en", Title: "Geneva talks on military AI end without a text",
				Text: "Delegations from Russia, China, the United States and the European Union discussed rules for military artificial intelligence in Geneva.\nNo common text was agreed."},
		},
		{
			name: "summit agenda naming science and technology among many fields",
			doc: Document{Lang: "en", Title: "Leaders pledge closer ties",
				Text: "The Russian and Chinese presidents pledged to expand cooperation in trade, finance, culture, tourism and science and technology.\nThey met for three hours."},
		},
		{
			name: "summit package signed on trade, energy and science and technology",
			doc: Document{Lang: "en", Title: "Putin and Xi sign a package of agreements",
				Text: "Putin and Xi signed agreements on trade, energy, education and science and technology in the Kremlin.\nThe leaders also discussed regional security."},
		},
		{
			name: "summit package in which one document is on satellite navigation",
			doc: Document{Lang: "en", Title: "Putin and Xi sign 12 documents",
				Text: "Putin and Xi signed 12 documents, among them agreements on trade, energy and satellite navigation.\nThe navigation agreement makes the GLONASS and BeiDou systems work together."},
			ruCnTech: true, agreement: true, topic: "space", key: "rucn:cn+ru/space/navigation",
		},
		{
			name: "accusation of copying a design is not cooperation",
			doc: Document{Lang: "en", Title: "Moscow says Beijing copied a Russian fighter jet engine",
				Text: "Russian officials said Chinese engineers had reverse-engineered jet engines delivered two decades ago and built them without a licence.\nBeijing denies the claim."},
		},
		{
			name: "deal that was signed in a city is not a recall",
			doc: Document{Lang: "en", Title: "ZTE to supply Rostelecom with 5G routers",
				Text: "A supply contract between ZTE and Rostelecom for 5G routers was signed in Moscow on Monday."},
			ruCnTech: true, agreement: true, topic: "telecom", key: "rucn:zte+rostelecom/telecom/mobile", kind: "contract",
		},
		{
			name: "signed by both countries, which are Russia and a third country",
			doc: Document{Lang: "es", Title: "Rusia inaugura una estación GLONASS en Nicaragua",
				Text: "Nicaragua inauguró una estación del sistema ruso GLONASS construida con tecnología de Roscosmos.\nLa estación forma parte de un acuerdo de cooperación espacial firmado por ambos países.\nChina, por su parte, opera una estación espacial en Argentina."},
		},
		{
			name: "signed India-Russia contract, China only as India's rival",
			doc: Document{Lang: "en", Title: "India and Russia sign missile production contract",
				Text: "India and Russia signed a contract on Tuesday to produce cruise missiles jointly in India, a project both countries have pursued for years.\nNew Delhi sees its defence ties with Moscow as a hedge against China, its main rival."},
		},
		{
			name: "joint bomber patrol is an operation, not defence technology",
			doc: Document{Lang: "en", Title: "Russian and Chinese bombers fly joint patrol over the Sea of Japan",
				Text: "Russian and Chinese strategic bombers flew a joint patrol over the Sea of Japan, prompting Japanese fighter jets to scramble.\nThe missile-carrying aircraft stayed in international airspace, the two defence ministries said."},
		},
		{
			name: "joint naval drills with missiles, Chinese",
			doc: Document{Lang: "zh", Title: "中俄海军举行联合演习",
				Text: "中俄两国海军在日本海举行联合演习，双方舰艇进行了导弹实射和反潜演练。"},
		},
		{
			name: "proposal to exclude both sides' suppliers is a restriction, not a tie",
			doc: Document{Lang: "en", Title: "EU weighs excluding Chinese and Russian suppliers from telecom networks",
				Text: "The European Commission is preparing rules that would exclude Chinese and Russian suppliers of network equipment and software from 5G networks.\nOperators would have five years to phase out the equipment."},
		},
		{
			name: "one background sentence on Russia in an Indonesia-China story",
			doc: Document{Lang: "id", Title: "Indonesia dan China luncurkan program beasiswa teknologi nuklir",
				Text: "BRIN dan badan energi atom China meluncurkan program beasiswa untuk 40 peneliti muda Indonesia.\nPara peserta akan belajar teknologi reaktor di Beijing selama dua tahun.\nProgram ini bagian dari kerja sama energi nuklir kedua negara.\nChina membangun puluhan reaktor dalam sepuluh tahun terakhir.\nChina juga mengembangkan reaktor cepat bersama Rusia, yang memasok bahan bakar nuklir untuk proyek itu.\nBRIN berharap program ini mendukung rencana PLTN pertama Indonesia."},
		},
		{
			name: "Russian instrument aboard a Chinese lunar probe, Indonesian",
			doc: Document{Lang: "id", Title: "Rusia siapkan instrumen untuk misi bulan Tiongkok",
				Text: "Ilmuwan Rusia menyelesaikan instrumen yang akan dibawa wahana pendarat Tiongkok ke kutub selatan bulan.\nInstrumen itu mengukur debu di permukaan bulan."},
			ruCnTech: true, topic: "space",
		},
		{
			name: "grid connection of a Russian-designed reactor in China, no signing",
			doc: Document{Lang: "en", Title: "Tianwan 8 connected to the grid",
				Text: "Unit 8 of the Tianwan nuclear power plant has been connected to the grid, the second Russian-designed VVER-1200 reactor in China to do so.\nRosatom supplied the reactor vessel and steam generators.\nCommercial operation is expected later this year."},
			ruCnTech: true, topic: "energy", entities: []string{"Tianwan NPP", "VVER", "Rosatom"},
		},
		{
			name: "Spacesail contract with RSCC, Indonesian, under another headline",
			doc: Document{Lang: "id", Title: "Tiongkok luncurkan satelit internet Qianfan",
				Text: "Tiongkok meluncurkan 18 satelit internet orbit rendah, Selasa.\nKonstelasi itu dikelola Shanghai Spacesail Technologies.\nPerusahaan itu menargetkan layanan komersial tahun depan.\nPada hari yang sama, Spacesail menandatangani kontrak dengan operator satelit Rusia RSCC untuk membangun stasiun bumi di Rusia.\nBerdasarkan kontrak itu, RSCC menjadi mitra layanan Qianfan di Rusia."},
			ruCnTech: true, agreement: true, topic: "space", parties: []string{"spacesail", "rscc"}, kind: "contract",
		},
		{
			name: "summit list: the signing verb in the lead-in, one item a space deal between named agencies",
			doc: Document{Lang: "es", Title: "Putin y Xi cierran su cumbre con una veintena de documentos",
				Text: "Los presidentes de Rusia y China concluyeron la cumbre en Pekín.\nEntre los documentos firmados figuran un protocolo sobre exportaciones de trigo, un memorando sobre turismo, un acuerdo aduanero y un acuerdo entre Roscosmos y la Administración Espacial Nacional de China sobre el intercambio de datos de teledetección."},
			ruCnTech: true, agreement: true, topic: "space", parties: []string{"cnsa", "roscosmos"}, kind: "agreement",
		},
		{
			name: "summit list in Chinese, the item names the agencies before its kind",
			doc: Document{Lang: "zh", Title: "中俄元首会谈后签署多份合作文件",
				Text: "两国元首见证签署了多份合作文件，包括粮食贸易议定书、旅游合作备忘录、俄罗斯国家航天集团与中国国家航天局关于月球科研站合作的协议。"},
			ruCnTech: true, agreement: true, topic: "space", parties: []string{"cnsa", "roscosmos"}, kind: "agreement",
		},
		{
			name: "signed list whose org pair is two banks on payments is not technology",
			doc: Document{Lang: "en", Title: "Putin and Xi oversee the signing of 15 documents",
				Text: "The documents signed include a grain protocol, a tourism memorandum and an agreement between Sberbank and the Bank of China on payments in national currencies."},
		},
		{
			name: "deal reported deep inside a trade-fair story, with a paragraph of detail",
			doc: Document{Lang: "en", Title: "Shanghai import fair closes with record purchase deals",
				Text: "The China International Import Expo closed on Sunday with purchase deals worth $80 billion, organisers said.\nFood and farm companies signed most of the contracts.\nMachinery makers from Germany and Japan reported strong interest.\nOn the sidelines, Russia's Yandex signed a contract with Chinese lidar maker Hesai to supply lidar sensors for its self-driving cars.\nUnder the contract, Hesai will deliver several thousand sensors over two years.\nThe next fair opens in November."},
			ruCnTech: true, agreement: true, topic: "ai", parties: []string{"hesai", "yandex"},
		},
		{
			name: "deal named in passing inside a trade-fair story, without detail",
			doc: Document{Lang: "en", Title: "Shanghai import fair closes with record purchase deals",
				Text: "The China International Import Expo closed on Sunday with purchase deals worth $80 billion, organisers said.\nFood and farm companies signed most of the contracts.\nMachinery makers from Germany and Japan reported strong interest.\nOn the sidelines, Russia's Yandex signed a contract with Chinese lidar maker Hesai to supply lidar sensors for its self-driving cars.\nThe next fair opens in November, organisers said.\nMore than 3,000 companies took part this year."},
		},
		{
			name: "banks linking payment systems is finance, not technology",
			doc: Document{Lang: "en", Title: "Russian and Chinese banks sign deal to link payment systems",
				Text: "Sberbank and the Bank of China signed an agreement on Tuesday to connect their payment systems for settlements in roubles and yuan.\nThe banks expect the link to cut transfer times for exporters."},
		},
		{
			name: "digital rouble settlement, Russian",
			doc: Document{Lang: "ru", Title: "Россия и Китай договорились о расчетах в цифровых валютах",
				Text: "Центробанки России и Китая подписали соглашение о расчетах в цифровом рубле и цифровом юане."},
		},
		{
			name: "list item with a price in yuan is still a technology deal",
			doc: Document{Lang: "en", Title: "Putin and Xi oversee signing of documents",
				Text: "The documents signed include a wheat protocol, a tourism memorandum and a contract between Rosatom and CNNC worth 2 billion yuan for fast-reactor fuel.\nRosatom said deliveries would start next year."},
			ruCnTech: true, agreement: true, topic: "energy", parties: []string{"cnnc", "rosatom"}, kind: "contract",
		},
		{
			name: "financing arrangements are not information security, Chinese",
			doc: Document{Lang: "zh", Title: "中俄签署天然气补充协议",
				Text: "中俄双方签署天然气供应补充协议。\n对于新管道的价格和融资安排，双方均未公布细节。"},
		},
		{
			name: "car engines shipped to Russia are a car market, not defence technology",
			doc: Document{Lang: "en", Title: "Chinese carmakers ship engines to Russian assembly plants",
				Text: "Chinese carmakers exported 200,000 car engines to Russian assembly plants this year, customs data show.\nChinese cars now hold most of the Russian market."},
		},
		{
			name: "a cooperation model and amounts that exceed are not comparisons, Chinese",
			doc: Document{Lang: "zh", Title: "中俄企业探索芯片合作新模式",
				Text: "中俄两国企业在芯片设计领域开展合作，探索联合研发的新模式，合作项目投资超过五亿元。\n双方工程师将共同开发工业控制芯片。"},
			ruCnTech: true, topic: "semiconductors",
		},
		{
			name: "tensions with the West are not hostility between the sides",
			doc: Document{Lang: "en", Title: "Amid tensions with the West, Russia and China deepen chip cooperation",
				Text: "Ahead of the summit, Russian and Chinese chipmakers agreed to cooperate on processor design amid the conflict in Ukraine and tensions with the West.\nChinese foundries will produce chips designed in Russia."},
			ruCnTech: true, topic: "semiconductors",
		},
		{
			name: "confrontation with the West and competitiveness are not hostility, Russian",
			doc: Document{Lang: "ru", Title: "Россия и Китай расширяют сотрудничество в области искусственного интеллекта",
				Text: "На фоне противостояния с Западом российские и китайские компании развивают совместные проекты в области искусственного интеллекта, чтобы повысить конкурентоспособность своих разработок.\nСтороны создадут совместную лабораторию."},
			ruCnTech: true, topic: "ai",
		},
		{
			name: "Russian-made weapons bought by India beside China are not a tie",
			doc: Document{Lang: "en", Title: "India inducts more Russian-made air defence systems",
				Text: "India inducted more Russian-made S-400 air defence systems, which China also operates.\nThe systems will be deployed along the northern border."},
		},
		{
			name: "a third country weighing cooperation with both sides, Indonesian",
			doc: Document{Lang: "id", Title: "Indonesia jajaki kerja sama PLTN dengan Rusia dan China",
				Text: "Pemerintah Indonesia menjajaki kerja sama pembangunan PLTN dengan Rosatom dan CNNC, kata Kepala BRIN.\nKedua perusahaan telah menyampaikan proposal reaktor modular kecil."},
		},
		{
			name: "a third country signing with both sides is not their agreement",
			doc: Document{Lang: "en", Title: "Vietnam signs nuclear memorandums with Rosatom and CNNC",
				Text: "Vietnam signed memorandums on nuclear power plant construction with Rosatom and China's CNNC on Monday, the ministry said.\nA tender will follow next year."},
		},
		{
			name: "cooperation between the sides watched by a third country stays a tie, Spanish",
			doc: Document{Lang: "es", Title: "La cooperación en chips entre Rusia y China preocupa a Estados Unidos",
				Text: "La cooperación en semiconductores entre Rusia y China preocupa a Estados Unidos, según un informe.\nFábricas chinas producen chips diseñados por empresas rusas."},
			ruCnTech: true, topic: "semiconductors",
		},
		{
			name: "both sides developing weapons each on its own is a parallel",
			doc: Document{Lang: "en", Title: "Both Russia and China have developed anti-satellite missiles",
				Text: "Both Russia and China have developed anti-satellite missiles and are testing them, the report says.\nThe report was published on Monday."},
		},
		{
			name: "both sides developing weapons each on its own, Russian",
			doc: Document{Lang: "ru", Title: "Гиперзвуковые ракеты есть как у России, так и у Китая",
				Text: "Гиперзвуковые ракеты разрабатывают как Россия, так и Китай, говорится в докладе.\nДоклад опубликован в понедельник."},
		},
		{
			name: "a third country's cooperation with the Russia-China pair, Chinese",
			doc: Document{Lang: "zh", Title: "印尼寻求与中俄两国开展核电合作",
				Text: "印尼能源部表示，印尼正寻求与中俄两国开展核电站建设合作。\n印尼计划在2032年前建成首座核电站。"},
		},
		{
			// Chinese phone makers' share of the Russian market is
			// technology trade, as classify-real's readers label it.
			name: "phone market share is technology trade, Russian",
			doc: Document{Lang: "ru", Title: "Китайские смартфоны заняли две трети российского рынка",
				Text: "Доля китайских брендов в продажах смартфонов в России выросла до 66%.\nЛидирует Xiaomi, далее следуют Tecno и Honor."},
			ruCnTech: true, topic: "telecom",
		},
		{
			name: "phone market share is technology trade, Chinese",
			doc: Document{Lang: "zh", Title: "中国品牌智能手机在俄销量份额升至六成",
				Text: "中国品牌智能手机在俄罗斯市场的销量份额升至六成。\n小米位居第一。"},
			ruCnTech: true, topic: "telecom",
		},
		{
			name: "phones beside a technology cue still count, Spanish",
			doc: Document{Lang: "es", Title: "Los teléfonos chinos vendidos en Rusia ya funcionan con redes 5G de MTS",
				Text: "Huawei suministra a MTS estaciones base 5G y los teléfonos chinos vendidos en Rusia ya se conectan a esa red.\nLa cooperación entre Huawei y MTS se amplía este año."},
			ruCnTech: true, topic: "telecom",
		},
		{
			name: "a third country's rule naming both sides is not their tie",
			doc: Document{Lang: "en", Title: "Japan widens chip tool licensing, naming Russia and China among importers",
				Text: "Japan will require licences for chip tools bought by importers in Russia and China, the ministry said.\nThe rule takes effect next month."},
		},
		{
			name: "a third country's proposal against both sides' suppliers, Spanish",
			doc: Document{Lang: "es", Title: "Canadá propone retirar los equipos 5G de fabricantes chinos y rusos",
				Text: "Canadá propone retirar los equipos 5G de fabricantes chinos y rusos de sus redes.\nLa medida se debatirá en otoño."},
		},
		{
			name: "the sides after a clause opened by a third country stay a tie",
			doc: Document{Lang: "en", Title: "Despite US pressure, Russia and China expand chip cooperation",
				Text: "Despite US pressure, Russia and China expanded their cooperation on semiconductors this year.\nChinese foundries now make chips designed in Russia."},
			ruCnTech: true, topic: "semiconductors",
		},
		{
			name: "each side developing its own satellite internet is a parallel, Russian",
			doc: Document{Lang: "ru", Title: "Россия и Китай строят спутниковый интернет независимо друг от друга",
				Text: "Россия и Китай развивают системы спутникового интернета независимо друг от друга.\nСовместных проектов у них нет."},
		},
		{
			name: "each side developing its own, Chinese",
			doc: Document{Lang: "zh", Title: "中俄各自推进人工智能大模型研发",
				Text: "中俄两国各自推进人工智能大模型研发，目前没有合作计划。"},
		},
		{
			name: "a competitor is a rival, Indonesian",
			doc: Document{Lang: "id", Title: "China luncurkan satelit internet, Rusia siapkan pesaing",
				Text: "China meluncurkan satelit internet baru, sementara Rusia menyiapkan pesaing dengan satelitnya sendiri."},
		},
		{
			name: "one side's equipment on trial in the other's networks, Russian",
			doc: Document{Lang: "ru", Title: "Китайские базовые станции 5G прошли испытания в сетях российских операторов",
				Text: "Российские операторы завершили испытания китайского оборудования 5G в Москве.\nКонтракты пока не заключены."},
			ruCnTech: true, topic: "telecom",
		},
		{
			name: "a joint university opening an AI programme, Indonesian",
			doc: Document{Lang: "id", Title: "Universitas Gabungan Rusia-Tiongkok Buka Program Kecerdasan Buatan",
				Text: "Kampus gabungan universitas Rusia dan Tiongkok di Shenzhen membuka program magister kecerdasan buatan.\nProgram itu diajar dosen kedua negara."},
			ruCnTech: true, topic: "ai",
		},
		{
			name: "a side named by its city",
			doc: Document{Lang: "en", Title: "Novosibirsk lab licenses Chinese chip design tools",
				Text: "A laboratory in Novosibirsk has licensed chip design software from a Shenzhen company and will train its engineers there.\nThe licence runs for three years."},
			ruCnTech: true, topic: "semiconductors",
		},
		{
			name: "a third country's contracts with each side, tied only by the organisations' sectors, Spanish",
			doc: Document{Lang: "es", Title: "Rusos y chinos se disputan los reactores de Bolivia",
				Text: "Bolivia aprobó los contratos firmados con la rusa Rosatom y con un consorcio chino encabezado por CNNC.\nLas obras empezarán el año próximo."},
		},
		{
			name: "a summit statement on science, technology and innovation names no technology",
			doc: Document{Lang: "en", Title: "Putin and Xi oversee signing of documents on trade and tourism",
				Text: "The two leaders adopted a joint statement calling for deeper cooperation in science, technology and innovation.\nDocuments on pork exports and tourism were signed."},
		},
		{
			name: "one side's company at work in the other's country, Russian",
			doc: Document{Lang: "ru", Title: "Huawei откроет в Новосибирске центр подготовки инженеров 5G",
				Text: "Huawei откроет в Новосибирске учебный центр для специалистов по сетям 5G.\nЦентр рассчитан на 500 слушателей в год."},
			ruCnTech: true, topic: "telecom",
		},
		{
			name: "one side's company at home is not a tie",
			doc: Document{Lang: "en", Title: "Huawei opens a 5G lab in Shenzhen as Russia looks on",
				Text: "Huawei opened a 5G laboratory in Shenzhen on Monday.\nRussia's operators were not mentioned."},
		},
		{
			name: "a joint stand against a third country's weapons is politics, Chinese",
			doc: Document{Lang: "zh", Title: "中俄联合谴责美国太空导弹防御计划",
				Text: "中俄两国外交部发表联合声明，共同反对美国在太空部署导弹拦截系统。"},
		},
		{
			name: "one-sided Russian IT story",
			doc: Document{Lang: "ru", Title: "Госкомпании переходят на российские операционные системы",
				Text: "Правительство обязало госкомпании перейти на отечественное программное обеспечение до конца года."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(tt.doc)
			if r.RuCnTech != tt.ruCnTech {
				t.Fatalf("RuCnTech = %v (score %.3f), want %v; evidence %+v", r.RuCnTech, r.Score, tt.ruCnTech, r.Evidence)
			}
			if r.Agreement.Detected != tt.agreement {
				t.Fatalf("agreement = %v (stage %q), want %v", r.Agreement.Detected, r.Agreement.Stage, tt.agreement)
			}
			if r.TaxonomyVersion == "" {
				t.Error("no taxonomy version")
			}
			if tt.ruCnTech {
				if r.PrimaryTopic() != tt.topic {
					t.Errorf("primary topic %q, want %q (topics %v)", r.PrimaryTopic(), tt.topic, r.Topics)
				}
				if len(r.Evidence) == 0 || r.Evidence[0].Tag != "ru_cn_tech" {
					t.Errorf("no ru_cn_tech evidence: %+v", r.Evidence)
				}
			}
			for _, e := range r.Evidence {
				switch {
				case !tt.ruCnTech && (e.Tag == "ru_cn_tech" || e.Tag == "agreement"):
					t.Errorf("%s evidence on a negative: %q", e.Tag, e.Sentence)
				case strings.TrimSpace(e.Sentence) == strings.TrimSpace(tt.doc.Title):
					t.Errorf("%s evidence repeats the title", e.Tag)
				case strings.HasPrefix(e.Tag, "topic:") && !slices.Contains(r.Topics, strings.TrimPrefix(e.Tag, "topic:")):
					t.Errorf("evidence for %s, a topic not given (topics %v)", e.Tag, r.Topics)
				}
			}
			a := r.Agreement
			if tt.agreement {
				if a.Stage != taxonomy.StageSigned || a.Evidence == "" || a.Key == "" {
					t.Errorf("incomplete agreement %+v", a)
				}
				if !strings.Contains(tt.doc.Title+"\n"+tt.doc.Text, a.Evidence) {
					t.Errorf("evidence %q is not a sentence of the document", a.Evidence)
				}
			}
			if tt.parties != nil && !slices.Equal(a.Parties, tt.parties) {
				t.Errorf("parties %v, want %v", a.Parties, tt.parties)
			}
			if tt.kind != "" && a.Kind != tt.kind {
				t.Errorf("kind %q, want %q", a.Kind, tt.kind)
			}
			if tt.key != "" && a.Key != tt.key {
				t.Errorf("key %q, want %q", a.Key, tt.key)
			}
			if tt.date != "" && a.Date != tt.date {
				t.Errorf("date %q, want %q", a.Date, tt.date)
			}
			for _, name := range tt.entities {
				if !slices.ContainsFunc(r.Entities, func(e Entity) bool { return e.Name == name }) {
					t.Errorf("entity %q missing from %+v", name, r.Entities)
				}
			}
			if tt.name == "acronym AI is not the ai in said" && slices.Contains(r.Topics, "ai") {
				t.Errorf("topic ai from 'said': %v", r.Topics)
			}
		})
	}
}

func TestLanguageDetectedAndFiltered(t *testing.T) {
	c := newClassifier(t)
	r := c.Classify(Document{Title: "Россия и Китай расширяют сотрудничество в области искусственного интеллекта",
		Text: "Российские и китайские компании будут совместно разрабатывать системы искусственного интеллекта."})
	if r.Lang != "ru" {
		t.Errorf("lang %q, want ru", r.Lang)
	}
	if !r.RuCnTech || r.PrimaryTopic() != "ai" {
		t.Errorf("RuCnTech %v topic %q", r.RuCnTech, r.PrimaryTopic())
	}
	// A Spanish-only cue ("IA") must not fire in English text.
	r = c.Classify(Document{Lang: "en", Title: "IA state budget", Text: "The IA budget was approved in Des Moines."})
	if slices.Contains(r.Topics, "ai") {
		t.Errorf("Spanish cue fired in English: %v", r.Topics)
	}
}

func TestSegment(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"English with abbreviation", "The U.S. Department said so. Russia agreed! Fine", []string{"The U.S. Department said so.", "Russia agreed!", "Fine"}},
		{"Chinese marks", "中俄签署协议。双方将合作！是吗？好", []string{"中俄签署协议。", "双方将合作！", "是吗？", "好"}},
		{"Russian initials", "Сказал В. Путин. Далее", []string{"Сказал В. Путин.", "Далее"}},
		{"lines are blocks", "Title\n\nBody one. Body two.", []string{"Title", "Body one.", "Body two."}},
		{"decimal point", "Growth was 2.5 percent. Next", []string{"Growth was 2.5 percent.", "Next"}},
		{"Spanish question", "¿Qué pasa? Nada.", []string{"¿Qué pasa?", "Nada."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range segment(tt.text, nil, newClassifier(t).anyGrammar) {
				got = append(got, tt.text[s.start:s.end])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDate(t *testing.T) {
	d := newClassifier(t).anyGrammar.dates
	tests := []struct{ in, want string }{
		{"signed on 19 August, 2019 in Moscow", "2019-08-19"},
		{"signed on June 5, 2019", "2019-06-05"},
		{"подписан 22 апреля 2025 года", "2025-04-22"},
		{"于2025年5月8日签署", "2025-05-08"},
		{"firmado el 8 de mayo de 2025", "2025-05-08"},
		{"ditandatangani pada 22 April 2025", "2025-04-22"},
		{"signed in March 2024", "2024-03"},
		{"подписан в июне 2019 года", "2019-06"},
		{"firmado en junio de 2019", "2019-06"},
		{"signed in 2019", "2019"},
		{"no date here", ""},
	}
	for _, tt := range tests {
		if got := d.find(tt.in); got != tt.want {
			t.Errorf("find(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTagDir(t *testing.T) {
	c := newClassifier(t)
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("b.txt", "Huawei and MTS sign 5G contract\nHuawei signed a contract with Russia's MTS to build a 5G network.\n")
	write("a.txt", "Weather\nIt rained in Paris.\n")
	write("skip.html", "<p>not a txt</p>")
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "c.txt")); err != nil { // dangling: unreadable
		t.Skipf("no symlinks here: %v", err)
	}
	var out bytes.Buffer
	if err := TagDir(context.Background(), c, dir, &out); err != nil {
		t.Fatalf("TagDir: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), out.String())
	}
	var recs []map[string]any
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
		recs = append(recs, m)
	}
	if recs[0]["file"] != "a.txt" || recs[0]["ru_cn_tech"] != false {
		t.Errorf("a.txt: %v", recs[0])
	}
	if recs[1]["file"] != "b.txt" || recs[1]["ru_cn_tech"] != true {
		t.Errorf("b.txt: %v", recs[1])
	}
	agr, _ := recs[1]["agreement"].(map[string]any)
	if agr["detected"] != true || agr["key"] != "rucn:huawei+mts/telecom/mobile" {
		t.Errorf("b.txt agreement: %v", agr)
	}
	for _, k := range []string{"lang", "score", "topics", "entities", "evidence"} {
		if _, ok := recs[1][k]; !ok {
			t.Errorf("b.txt record lacks %q", k)
		}
	}
	if recs[2]["file"] != "c.txt" || recs[2]["error"] == nil {
		t.Errorf("c.txt should carry an error: %v", recs[2])
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := TagDir(ctx, c, dir, &out); err == nil {
		t.Error("TagDir ignored a cancelled context")
	}
	if err := TagDir(context.Background(), c, filepath.Join(dir, "missing"), &out); err == nil {
		t.Error("TagDir accepted a missing directory")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := newClassifier(t)
	doc := Document{Lang: "en", Title: "Huawei signs 5G contract with MTS", Text: "Huawei signed a contract with Russia's MTS to build a 5G network."}
	want := c.Classify(doc)
	done := make(chan Result)
	for range 8 {
		go func() { done <- c.Classify(doc) }()
	}
	for range 8 {
		got := <-done
		if got.RuCnTech != want.RuCnTech || got.Agreement.Key != want.Agreement.Key || got.Score != want.Score {
			t.Fatalf("concurrent result differs: %+v vs %+v", got, want)
		}
	}
}

func FuzzClassify(f *testing.F) {
	c := newClassifier(f)
	f.Add("Huawei signs 5G contract with MTS", "Huawei signed a contract with Russia's MTS.", "")
	f.Add("中俄签署协议", "中国与俄罗斯签署合作协议。", "zh")
	f.Add("\xff\xfe", "Россия\x00и\xc0Китай подписали", "ru")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, title, text, lang string) {
		r := c.Classify(Document{Title: title, Text: text, Lang: lang})
		if r.Score < 0 || r.Score > 1 {
			t.Fatalf("score %v out of range", r.Score)
		}
		if r.Agreement.Detected && (!r.RuCnTech || r.Agreement.Key == "") {
			t.Fatalf("agreement without story or key: %+v", r)
		}
		if r.RuCnTech && len(r.Topics) == 0 {
			t.Fatalf("story without topic")
		}
	})
}
