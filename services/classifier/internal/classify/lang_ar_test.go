package classify

import (
	"strings"
	"testing"
	"time"
)

// TestArabic checks the Arabic pack on short texts written for the test in
// the shape Arabic news takes: attached clitics (وروسيا، بالصين، للتعاون),
// signing verbs in the perfect (وقعت، وقّعت، تم توقيع، أبرمت), futures,
// negations and intent (ستوقعان، لم يوقع، تعتزمان توقيع), and the hard
// negatives of the labelling policy.
func TestArabic(t *testing.T) {
	c := newClassifier(t)
	pub := time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		doc       Document
		ruCnTech  bool
		agreement bool
	}{
		// --- Positives ---
		{"signed nuclear contract", Document{Lang: "ar", Published: pub,
			Title: "روساتوم والمؤسسة النووية الوطنية الصينية توقعان عقدا لبناء وحدتين جديدتين",
			Text: "وقعت مؤسسة روساتوم الروسية والمؤسسة النووية الوطنية الصينية يوم الأربعاء في بكين عقدا لتوريد معدات ووقود نووي لوحدتي الطاقة الجديدتين في محطة تيانوان للطاقة النووية.\n" +
				"وقال مسؤول في روساتوم إن أعمال التركيب ستبدأ مطلع العام المقبل."},
			true, true},
		{"signed contract, passive with shadda", Document{Lang: "ar", Published: pub,
			Title: "وقّعت روسيا والصين اتفاقية لتطوير مروحية ثقيلة مشتركة",
			Text: "وقّعت الشركة الروسية للمروحيات ومؤسسة صناعة الطيران الصينية اتفاقية لتطوير وإنتاج مروحية ثقيلة، على أن يتولى الجانب الروسي تصميم ناقل الحركة.\n" +
				"وتأمل الشركتان في إجراء أول تحليق تجريبي خلال خمس سنوات."},
			true, true},
		{"contract via tamm tawqi", Document{Lang: "ar", Published: pub,
			Title: "عقد روسي صيني جديد في مجال الطيران العسكري",
			Text: "تم توقيع عقد بين روسوبورون إكسبورت والجانب الصيني لتوريد 24 مقاتلة من طراز سو-35 إلى الصين، وفق ما أعلنه مصدر في الشركة الروسية.\n" +
				"وتعد الصين أول مشتر أجنبي لهذه الطائرة."},
			true, true},
		{"Huawei 5G deal with a Russian operator", Document{Lang: "ar", Published: pub,
			Title: "هواوي وإم تي إس الروسية توقعان اتفاقية لتطوير شبكات الجيل الخامس",
			Text:  "وقعت شركة هواوي الصينية ومشغل الاتصالات الروسي إم تي إس اتفاقية لتطوير شبكات الجيل الخامس في روسيا، وذلك على هامش زيارة الرئيس الصيني شي جين بينغ إلى موسكو."},
			true, true},
		{"Huawei research centre, no signing", Document{Lang: "ar", Published: pub,
			Title: "هواوي تفتتح مركزا للبحث والتطوير في موسكو",
			Text: "افتتحت شركة هواوي الصينية مركزا جديدا للبحث والتطوير في موسكو، يعمل فيه مهندسون روس على تطوير تقنيات الجيل الخامس والذكاء الاصطناعي.\n" +
				"وتتعاون الشركة كذلك مع جامعات روسية في مجال الخوارزميات والحوسبة السحابية."},
			true, false},
		{"Roscosmos lunar cooperation, no signing", Document{Lang: "ar", Published: pub,
			Title: "روسكوسموس: التعاون مع الصين في استكشاف القمر يسير وفق الخطة",
			Text: "قال المدير العام لمؤسسة روسكوسموس إن العمل المشترك مع إدارة الفضاء الوطنية الصينية على المحطة القمرية الدولية يسير وفق الجدول الزمني.\n" +
				"وأضاف أن الجانبين يبحثان إرسال أجهزة علمية روسية على متن المركبة الصينية تشانغ إي-7."},
			true, false},
		{"chip supplies despite sanctions", Document{Lang: "ar", Published: pub,
			Title: "شركات صينية تزيد توريد الرقائق الإلكترونية إلى روسيا",
			Text: "ارتفعت صادرات الرقائق الإلكترونية وأشباه الموصلات من الصين إلى روسيا بشكل كبير هذا العام رغم العقوبات الغربية.\n" +
				"وتعتمد مصانع روسية على المعالجات الدقيقة الصينية في إنتاج معدات الاتصالات."},
			true, false},
		{"technology transfer talks, dyad", Document{Lang: "ar", Published: pub,
			Title: "موسكو وبكين تبحثان نقل تكنولوجيا محركات الطائرات",
			Text:  "بحث وفد روسي في بكين مع مسؤولين صينيين إمكانية نقل تكنولوجيا محركات الطائرات المدنية وتوطين إنتاجها في الصين."},
			true, false},

		// --- Hard negatives ---
		{"Russia-India deal, China recalled", Document{Lang: "ar", Published: pub,
			Title: "روسيا والهند توقعان عقدا لتوريد منظومات إس-400",
			Text: "وقعت روسيا والهند عقدا بقيمة خمسة مليارات دولار لتوريد منظومات الدفاع الجوي إس-400، وفق ما أعلنته شركة روسوبورون إكسبورت.\n" +
				"وكانت الصين أول مشتر أجنبي لهذه المنظومات."},
			false, false},
		{"summit readout listing science and technology", Document{Lang: "ar", Published: pub,
			Title: "بوتين وشي يبحثان تعزيز التعاون في مجالات الاقتصاد والطاقة والثقافة",
			Text: "بحث الرئيس الروسي فلاديمير بوتين ونظيره الصيني شي جين بينغ في موسكو تعزيز التعاون الثنائي في مجالات التجارة والاستثمار والطاقة والزراعة والعلوم والتكنولوجيا والتعليم والسياحة.\n" +
				"ووقع الجانبان في ختام المحادثات بيانا مشتركا حول تعميق الشراكة الشاملة."},
			false, false},
		{"gas contract", Document{Lang: "ar", Published: pub,
			Title: "غازبروم وشركة صينية توقعان عقدا جديدا لتوريد الغاز",
			Text:  "وقعت شركة غازبروم الروسية ومؤسسة البترول الوطنية الصينية عقدا طويل الأجل لتوريد الغاز الطبيعي عبر خط أنابيب قوة سيبيريا، بحضور الرئيسين بوتين وشي."},
			false, false},
		{"grain contract", Document{Lang: "ar", Published: pub,
			Title: "روسيا والصين توقعان اتفاقية لزيادة صادرات الحبوب",
			Text:  "وقعت روسيا والصين اتفاقية لزيادة صادرات الحبوب الروسية إلى السوق الصينية، تشمل القمح والشعير وفول الصويا."},
			false, false},
		{"Chinese hackers attack Russian firms", Document{Lang: "ar", Published: pub,
			Title: "قراصنة صينيون يهاجمون شركات دفاع روسية",
			Text:  "كشفت شركة كاسبرسكي أن مجموعة من القراصنة المرتبطين بالصين شنت هجمات إلكترونية على شركات روسية تعمل في مجال الصناعات العسكرية والأقمار الصناعية وسرقت وثائق تصميم."},
			false, false},
		{"US sanctions on both", Document{Lang: "ar", Published: pub,
			Title: "واشنطن تفرض عقوبات على شركات صينية وروسية بسبب الرقائق",
			Text:  "أعلنت وزارة التجارة الأمريكية فرض عقوبات وقيود على تصدير أشباه الموصلات إلى شركات في الصين وروسيا، متهمة إياها بدعم الصناعات العسكرية الروسية."},
			false, false},
		{"to be signed next year", Document{Lang: "ar", Published: pub,
			Title: "روسيا والصين تعتزمان توقيع اتفاقية حول محطة طاقة على القمر",
			Text:  "أعلن رئيس روسكوسموس أن روسيا والصين ستوقعان العام المقبل اتفاقية لبناء محطة طاقة نووية على سطح القمر، مشيرا إلى أن المفاوضات بين الجانبين في مراحلها الأخيرة."},
			true, false},
		{"not yet signed", Document{Lang: "ar", Published: pub,
			Title: "روستيخ: عقد المقاتلات مع الصين لم يوقع بعد",
			Text: "قال مسؤول في روستيخ إن روسيا والصين لم توقعا بعد العقد الخاص بتوريد مقاتلات سو-35، وإن المفاوضات لا تزال جارية.\n" +
				"ولم يوقع أي من الطرفين على الوثائق النهائية حتى الآن."},
			true, false},
		{"future and modal signings", Document{Lang: "ar", Published: pub,
			Title: "روسيا والصين قد توقعان اتفاقية للملاحة عبر الأقمار الصناعية",
			Text: "من المقرر أن يوقع الجانبان اتفاقية للتعاون بين نظامي غلوناس وبيدو للملاحة عبر الأقمار الصناعية خلال القمة المقبلة.\n" +
				"وسيتم توقيع الاتفاقية في بكين."},
			true, false},
		{"old signing recalled in a story about something else", Document{Lang: "ar", Published: pub,
			Title: "الصين تطلق قمرا صناعيا جديدا لرصد الطقس",
			Text: "أطلقت الصين صباح الثلاثاء قمرا صناعيا جديدا لرصد الطقس من قاعدة جيوتشيوان.\n" +
				"ويأتي الإطلاق ضمن برنامج وطني لتحديث شبكة الرصد الجوي وتحسين دقة التنبؤات.\n" +
				"ويعمل في البرنامج آلاف المهندسين والعلماء في عدة مدن صينية.\n" +
				"وكانت روسيا والصين قد وقعتا في عام 2018 اتفاقية للتعاون في مجال الملاحة عبر الأقمار الصناعية."},
			false, false},
		{"Huawei in Europe", Document{Lang: "ar", Published: pub,
			Title: "هواوي تفوز بعقد لبناء شبكة الجيل الخامس في المجر",
			Text: "وقعت شركة هواوي الصينية عقدا مع مشغل اتصالات مجري لبناء شبكة الجيل الخامس، رغم الضغوط الأمريكية على الدول الأوروبية لاستبعاد الموردين الصينيين.\n" +
				"وكانت هواوي قد وقعت اتفاقا مماثلا مع إم تي إس الروسية عام 2019."},
			false, false},
		{"third country weighs offers from both sides", Document{Lang: "ar", Published: pub,
			Title: "مصر تدرس عروضا من روساتوم والمؤسسة النووية الوطنية الصينية",
			Text:  "تدرس الحكومة المصرية عروضا مقدمة من روساتوم الروسية والمؤسسة النووية الوطنية الصينية لبناء محطة ثانية للطاقة النووية."},
			false, false},
		{"each side on its own", Document{Lang: "ar", Published: pub,
			Title: "روسيا والصين تطوران نظامي ملاحة بشكل مستقل",
			Text:  "تطور روسيا والصين نظامي الملاحة عبر الأقمار الصناعية غلوناس وبيدو بشكل مستقل، دون أي تنسيق بين البلدين."},
			false, false},
		{"joint condemnation", Document{Lang: "ar", Published: pub,
			Title: "روسيا والصين تدينان الخطط الأمريكية لنشر أسلحة في الفضاء",
			Text:  "أدانت روسيا والصين في بيان مشترك الخطط الأمريكية لنشر أنظمة دفاع صاروخي في الفضاء الخارجي."},
			false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.doc)
			if got.RuCnTech != tt.ruCnTech || got.Agreement.Detected != tt.agreement {
				var b strings.Builder
				c.Explain(tt.doc, &b)
				t.Errorf("ru_cn_tech %v agreement %v, want %v %v\n%s", got.RuCnTech, got.Agreement.Detected, tt.ruCnTech, tt.agreement, b.String())
			}
		})
	}
}

// TestArabicClitics checks that the pack finds Arabic words under their
// attached prefixes and suffixes, and that short terms stay inside their
// words.
func TestArabicClitics(t *testing.T) {
	c := newClassifier(t)
	ent := func(text string) map[string]bool {
		out := map[string]bool{}
		for _, e := range c.Classify(Document{Lang: "ar", Text: text}).Entities {
			out[e.ID] = true
		}
		return out
	}
	for _, tt := range []struct {
		text string
		want []string
		not  []string
	}{
		{"وقال إن وروسيا تعمل", []string{"ru"}, nil},
		{"جاء ذلك في بالصين وللصين", []string{"cn"}, nil},
		{"وأكدت الشركات الصينية", []string{"cn"}, nil},
		{"ولهواوي حصة كبيرة", []string{"huawei"}, nil},
		{"وقال لبوتين", []string{"putin"}, nil},
		{"بحسب الأمريكيين", []string{"us"}, nil},
		// Words that only start like a name.
		{"زيادة التركيز على الهندسة", nil, []string{"misc", "in"}},
		{"في بيتين قديمين", nil, []string{"putin"}},
	} {
		got := ent(tt.text)
		for _, w := range tt.want {
			if !got[w] {
				t.Errorf("%q: no %s in %v", tt.text, w, got)
			}
		}
		for _, n := range tt.not {
			if got[n] {
				t.Errorf("%q: %s found", tt.text, n)
			}
		}
	}
}

// TestArabicAttachedConjunction checks that an attached "و" joins two
// actors as "and" does ("الهند وروسيا", "روساتوم ومصر"; grammar
// attached_conjunctions): the gap between them is only a space, so without
// the rule a side joined to a third country, or both sides as a third
// country's partners, read as a Russia–China tie. (A Russia–China pair is a
// dyad in the Arabic pack and needs no rule.)
func TestArabicAttachedConjunction(t *testing.T) {
	c := newClassifier(t)
	for _, d := range []Document{
		{Lang: "ar", Title: "الهند وروسيا طورتا بشكل مشترك صواريخ براهموس",
			Text: "طورت الهند وروسيا بشكل مشترك صواريخ براهموس الأسرع من الصوت، بينما تراقب الصين هذا التعاون بقلق."},
		{Lang: "ar", Title: "مصر تبحث التعاون مع روساتوم والمؤسسة النووية الوطنية الصينية",
			Text: "تدرس مصر التعاون مع روساتوم والمؤسسة النووية الوطنية الصينية لبناء محطة للطاقة النووية."},
		{Lang: "ar", Title: "روساتوم توقع مع مصر عقدا لبناء محطة الضبعة",
			Text: "وقعت روساتوم الروسية ومصر عقدا لبناء محطة الضبعة للطاقة النووية، فيما تسعى الصين إلى الفوز بعقود مماثلة في المنطقة."},
	} {
		if r := c.Classify(d); r.RuCnTech || r.Agreement.Detected {
			t.Errorf("%s: ru_cn_tech %v agreement %v, want false false", d.Title, r.RuCnTech, r.Agreement.Detected)
		}
	}
}

// TestArabicSentenceMarks checks that Arabic punctuation is read as such: a
// period before an Arabic letter ends a sentence (Arabic letters have no
// case, so no capital marks the start; read as one sentence, the paragraph's
// hostility would void the tie of its other sentences), and the Arabic
// comma "،" ends a clause for the reach of a negation ("لم" before it does
// not govern the signing after it).
func TestArabicSentenceMarks(t *testing.T) {
	c := newClassifier(t)
	for _, d := range []Document{
		{Lang: "ar", Title: "اتفاقية جديدة في قطاع الاتصالات",
			Text: "وقعت روسيا والصين اتفاقية لتطوير شبكات الجيل الخامس. وفي سياق آخر اتهمت موسكو قراصنة صينيين بمهاجمة مواقع حكومية."},
		{Lang: "ar", Title: "عقد جديد لمحركات الطائرات",
			Text: "قالت روستيخ إن الشركتين لم تعلنا القيمة، لكنهما وقعتا العقد الخاص بتوريد محركات الطائرات إلى الصين."},
	} {
		if r := c.Classify(d); !r.RuCnTech || !r.Agreement.Detected {
			t.Errorf("%s: ru_cn_tech %v agreement %v, want true true", d.Title, r.RuCnTech, r.Agreement.Detected)
		}
	}
}
