package decode

import (
	"unicode"
	"unicode/utf8"
)

// detectSample bounds the bytes Detect decodes per candidate charset.
const detectSample = 64 << 10

// Common characters of each script, used to tell a right decoding from a
// wrong one that happens to be valid: bytes of Chinese text read as Big5 or
// EUC-KR decode to real but rare characters. The lists are the most frequent
// characters of ordinary news prose.
const (
	commonSimplified  = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始存未远台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功包片史委乎查轻易早曾除农找装广显阿李标谈图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害双境客纪采举杀攻苏密低朝友诉止细愿千值仍钱破网热助育属坐限船职速刻乐否刚威状率独球般普弹校创假久错承印晚兰试股预谁益阳若微尼继送急血伤素药适波省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲射略范竟句室异激汉村策演简卡罪判担州静退既衣您宗积余痛检差富协角占配征修皮挥胜降阶审沉坚善读超免压银买皇养执副乱抗犯追帮宣佛岁航优怪香田铁控税左右份艺背阵草概块顿敢守酒岛托央户烈洋索款靠评版宝座释景顾登货互付慢欧换闻危核暗介讨良序升监临亮露永呼味野架域沙括舰鱼杂误湾吉减编测败梦散温困渐封救贵缺楼县尚移画班智亦短掌恐遗固席松秘谢遇康虑幸均销钟藏赶剧票损忽巨旧端探湖录叶春乡附吸予礼港雨板庭归含顺输招补谓督油疗旅泽材灭莫笔亡鲜词择寻厂博烟授诺岸奥卖俄载洛健堂旁宫借君禁园谋避抓荣逃束跳顶玉镇练迫篇遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟访弱蒙歌店典欲萨遭盘扩盖雄稳亿刺拥徒杨齐赛趣迎冰虚析透购替塞努休扬途侵刑兄迅套贸毕唯谷轮库迹竞街促延震弃伟川申缓潜售针哲络抵朱埃抱植纯夏页杰筑折郑贝尊吴秀混振染盛舞圆措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末丁赵抢柱丰挑纷秒逼佳宜牌碰淡旦违泰菜洗荒贴夺庆熊凯彼诞殊铜奋翼冒惯朗纵贯泛闭沟卢肖燃忧嘉冠扶葛宏侧纲恢耐碎尾幅俗妙柔栏辑跃苗燕抽梁亏寿劝辛仪绘"
	commonTraditional = "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重並物手應戰向頭文體政美相見被利什二等產或新己制身果加西斯月話合回特代內信表化老給世位次度門任常先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活爾更別打女變四神總何電數安少報才結反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬科司五基眼書非則聽白卻界達光放強即像難且權思王象完設式色路記南品住告類求據程北邊死張該交規萬取拉格望覺術領共確傳師觀清今切院讓識候帶導爭運笑飛風步改收根幹造言聯持組每濟車親極林服快辦議往元英士證近失轉夫令準布始存未遠台臺單影具羅字愛擊流備兵連調深商算質團集百需價花黨華城石級整府離況亞請技際約示復病息究線似官火斷精滿支視消越器容照須九增研寫稱企八功包片史委乎查輕易早曾除農找裝廣顯阿李標談圖念六引歷首醫局突專費號盡另周較注語僅考落青隨選列武紅響雖推勢參希古眾構房半節土投某案黑維革劃敵致陳律足態護七興派驗責營星夠章音跟志底站嚴巴例防族供效續施留講型料終答緊黃絕奇察母京段依批群項故按河米圍江織害雙境客紀採舉殺攻蘇密低朝友訴止細願千值仍錢破網熱助育屬坐限船職速刻樂否剛威狀率獨球般普彈校創假久錯承印晚蘭試股預誰益陽若微尼繼送急血傷素藥適波省初喜衛源食險待述陸習置居勞財環排福納歡雷警獲模充負雲停木遊龍樹疑層冷洲射略範竟句室異激漢村策演簡卡罪判擔州靜退既衣您宗積餘痛檢差富協角佔配徵修皮揮勝降階審沉堅善讀超免壓銀買皇養執副亂抗犯追幫宣佛歲航優怪香田鐵控稅左右份藝背陣草概塊頓敢守酒島托央戶烈洋索款靠評版寶座釋景顧登貨互付慢歐換聞危核暗介討良序升監臨亮露永呼味野架域沙括艦魚雜誤灣吉減編測敗夢散溫困漸封救貴缺樓縣尚移畫班智亦短掌恐遺固席松秘謝遇康慮幸均銷鐘藏趕劇票損忽巨舊端探湖錄葉春鄉附吸予禮港雨板庭歸含順輸招補謂督油療旅澤材滅莫筆亡鮮詞擇尋廠博煙授諾岸奧賣俄載洛健堂旁宮借君禁園謀避抓榮逃束跳頂玉鎮練迫篇遍凡礎洞卷坦牛寧紙諸訓私莊祖絲翻暴森塔默握戲隱熟訪弱蒙歌店典欲薩遭盤擴蓋雄穩億刺擁徒楊齊賽趣迎冰虛析透購替塞努休揚途侵刑兄迅套貿畢唯谷輪庫跡競街促延震棄偉川申緩潛售針哲絡抵朱埃抱植純夏頁傑築折鄭貝尊吳秀混振染盛舞圓措姓殘秋培迷誠寬宇猛擺梅毀伸摩盟末丁趙搶柱豐挑紛秒逼佳宜牌碰淡旦違泰菜洗荒貼奪慶熊凱彼誕殊銅奮翼冒慣朗縱貫泛閉溝盧肖燃憂嘉冠扶葛宏側綱恢耐碎尾幅俗妙柔欄輯躍苗燕抽梁虧壽勸辛儀繪"
	commonHangul      = "이다는의에을하고가한로지서기사도를대수인아시있자국정리어나일부그해전으니것상들적보과주면게만원여동대회내연분경성제라와관계세우요장위할중미발데화되문구개소비선된무유공신거민금결실방고업행학생사법년때"
)

// Detect guesses the charset of body, which is not valid UTF-8, by decoding
// a sample with each candidate charset and scoring how much the result looks
// like ordinary prose. It returns a WHATWG charset name.
func Detect(body []byte) string {
	sample := nonASCIISample(body)
	if len(sample) == 0 {
		return "windows-1252"
	}
	sets := charSets{
		simplified:  runeSet(commonSimplified),
		traditional: runeSet(commonTraditional),
		hangul:      runeSet(commonHangul),
	}
	best, bestScore := "windows-1252", -1e18
	for _, name := range []string{"windows-1252", "windows-1251", "koi8-r", "gbk", "big5", "shift_jis", "euc-kr", "euc-jp", "iso-8859-2", "windows-1256"} {
		enc, canon := lookup(name)
		if enc == nil {
			continue
		}
		out, _ := enc.NewDecoder().Bytes(sample)
		s := score(out, canon, &sets)
		if s > bestScore {
			best, bestScore = canon, s
		}
	}
	return best
}

type charSets struct {
	simplified, traditional, hangul map[rune]bool
}

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool, utf8.RuneCountInString(s))
	for _, r := range s {
		m[r] = true
	}
	return m
}

// nonASCIISample returns up to detectSample bytes of body around its
// non-ASCII bytes, skipping the leading markup that carries no signal.
func nonASCIISample(body []byte) []byte {
	start := -1
	for i, c := range body {
		if c >= 0x80 {
			start = i
			break
		}
	}
	if start < 0 {
		return nil
	}
	// Back up to a line start so a multi-byte character is not cut.
	for start > 0 && body[start-1] != '\n' && body[start-1] != '>' && start > len(body)-detectSample {
		start--
		if body[start] < 0x80 && (body[start] == ' ' || body[start] == '>') {
			break
		}
	}
	end := min(start+detectSample, len(body))
	return body[start:end]
}

// score rates decoded text: letters of the script the charset is for, in
// plausible places, score up; replacement characters, control codes and
// symbol soup score down.
func score(text []byte, charset string, sets *charSets) float64 {
	var total float64
	var prev rune
	run := 0 // length of the current run of non-ASCII letters
	for _, r := range string(text) {
		w := 0.0
		switch {
		case r < 0x80:
			run = 0
			prev = r
			continue
		case r == utf8.RuneError:
			w = -5
		case r < 0xA0:
			w = -5
		case r >= 0xE000 && r <= 0xF8FF:
			w = -3
		case r >= 0x400 && r <= 0x45F:
			run++
			if prev < 0x80 && unicode.IsLetter(prev) {
				// Cyrillic glued to Latin letters is a Latin text
				// read with the wrong code page.
				w = -1
			} else if unicode.IsLower(r) {
				w = 1
			} else if !unicode.IsLetter(prev) {
				w = 0.25
			} else {
				w = -0.5
			}
			if run > 15 {
				w = -1
			}
		case r >= 0xC0 && r <= 0x24F && unicode.IsLetter(r):
			run++
			switch {
			case prev < 0x80 && unicode.IsLetter(prev):
				w = 0.5
			case run > 2:
				w = -0.6
			default:
				w = 0.1
			}
		case r >= 0x600 && r <= 0x6FF:
			run++
			w = 0.8
			if run > 15 {
				w = -1
			}
		case r >= 0xAC00 && r <= 0xD7A3:
			if sets.hangul[r] {
				w = 2
			} else {
				w = 0.3
			}
		case r >= 0x3040 && r <= 0x30FF:
			w = 1.5
		case r >= 0x4E00 && r <= 0x9FFF:
			simp, trad := sets.simplified[r], sets.traditional[r]
			switch {
			case charset == "gbk" || charset == "gb18030":
				if simp {
					w = 2
				} else {
					w = 0.2
				}
			case charset == "big5":
				if trad {
					w = 2
				} else {
					w = 0.2
				}
			case simp || trad:
				w = 1.6
			default:
				w = 0.3
			}
		case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF:
			w = 0.5
		case r >= 0x2500 && r <= 0x25FF:
			w = -1
		case unicode.IsLetter(r):
			w = 0.1
		case unicode.IsPunct(r) || unicode.IsSpace(r):
			w = 0
		default:
			w = -0.5
		}
		if !unicode.IsLetter(r) {
			run = 0
		}
		total += w
		prev = r
	}
	return total
}
