package main

// The articles below were written for newspipe's tests; the companies,
// people and events in them are invented.

func english() page {
	return page{
		file: "news_en.html", lang: "en-GB", charset: "utf-8",
		site: "Harbour Ledger", title: "Novosibirsk lab and Shenzhen chipmaker agree to share lithography test line",
		byline: "Maren Okafor", published: "2025-03-14T09:30:00+03:00", section: "technology", slug: "lab-chipmaker-lithography",
		paras: []string{
			"A state-backed research institute in Novosibirsk and a mid-sized chipmaker from Shenzhen signed a five-year agreement on Thursday to run a shared test line for deep-ultraviolet lithography, according to statements released by both sides.",
			"Under the deal, engineers from the Siberian institute will spend rotations of up to six months at the Chinese company's pilot fab, while the company supplies photoresist samples and metrology tools that the institute has struggled to buy since 2022.",
			"Neither party disclosed the value of the agreement. A spokeswoman for the institute said the arrangement covered equipment, training and joint publications, but not the transfer of any production licences.",
			"Analysts who follow the semiconductor supply chain said the test line would be modest by industry standards, able to process a few hundred wafers a month, and aimed at research rather than volume manufacturing.",
			"\u201cThis is about keeping a team of process engineers busy and current,\u201d said one analyst at a consultancy in Almaty, who asked not to be named because the firm advises clients in both countries. \u201cIt will not change who makes the world's chips.\u201d",
			"The agreement follows a series of smaller memoranda between Russian universities and Chinese manufacturers over the past two years, most of them in materials science and power electronics rather than in leading-edge logic.",
			"Officials in Moscow have presented such partnerships as a way to rebuild capacity lost when Western suppliers withdrew. Chinese companies, for their part, have been cautious about arrangements that could expose them to secondary sanctions.",
			"The Shenzhen company said in its filing that all tools used on the shared line were of domestic origin and that the cooperation complied with the export rules of every jurisdiction in which it operates.",
			"The first group of twelve engineers is expected to travel in May. The institute said results from the line would be published in open journals where commercial terms allow.",
		},
		heads:    map[int]string{3: "A modest line", 6: "Sanctions caution"},
		teaser:   "Inside the race to build a domestic photoresist industry",
		readAlso: "Read also:", share: "Share", relHead: "Related stories", more: "Most read",
		related: []string{
			"Port operators test automated cranes in the Far East",
			"Battery recyclers look for partners abroad",
			"Satellite startup raises new funding round",
			"Universities expand exchange programmes in engineering",
			"Rail freight volumes hit a record in February",
		},
		comments: []string{
			"Interesting, but a few hundred wafers a month is tiny.",
			"I wonder whether the photoresist samples are really domestic.",
			"Good reporting, thanks for the context on earlier memoranda.",
			"This will be forgotten in a year.",
			"The analyst quote says it all.",
			"Any word on which tools exactly?",
			"Six-month rotations sound like a lot of paperwork.",
			"Let us see what gets published.",
		},
		cookie:    "We use cookies to personalise content and ads and to analyse our traffic. By continuing to browse, you accept our use of cookies.",
		copyright: "© 2025 Harbour Ledger. All rights reserved.",
		caption:   "The pilot fab's clean room, shown during a press visit last year.",
	}
}

func russian() page {
	return page{
		file: "news_ru_cp1251.html", lang: "ru", charset: "windows-1251",
		site: "Вестник Заречья", title: "Томский университет и компания из Ханчжоу создадут общую лабораторию спутниковой связи",
		byline: "Ирина Лаптева", published: "2025-05-20T14:05:00+07:00", section: "nauka", slug: "tomsk-hangzhou-lab",
		paras: []string{
			"Томский университет и частная компания из Ханчжоу подписали во вторник соглашение о создании совместной лаборатории, которая займётся антеннами и приёмниками для малых спутников.",
			"По словам проректора по науке, лаборатория разместится на территории университетского кампуса, а китайская сторона передаст туда испытательный стенд и программное обеспечение для моделирования.",
			"Сумма соглашения не раскрывается. В пресс-службе компании уточнили, что речь идёт о трёхлетней программе с возможностью продления, если первые образцы пройдут лётные испытания.",
			"Эксперты отмечают, что подобные проекты пока остаются небольшими: в лаборатории будут работать около двадцати человек, в основном аспиранты и молодые инженеры.",
			"«Нам важно, чтобы студенты видели весь цикл — от расчёта до запуска», — сказал руководитель кафедры радиотехники, добавив, что первые совместные статьи ожидаются уже в следующем году.",
			"Ранее университеты региона заключали с китайскими партнёрами в основном договоры об обмене студентами, а не о совместных исследованиях в прикладных областях.",
			"Первый запуск спутника с оборудованием лаборатории запланирован на конец следующего года, сообщили в университете.",
		},
		heads:    map[int]string{3: "Небольшая команда"},
		teaser:   "Как региональные вузы ищут партнёров за рубежом",
		readAlso: "Читайте также:", share: "Поделиться", relHead: "Новости по теме", more: "Самое читаемое",
		related: []string{
			"В области открылся новый технопарк",
			"Студенты собрали кубсат за полгода",
			"Железная дорога увеличила перевозки контейнеров",
			"Город получит новые автобусы к осени",
		},
		comments: []string{
			"Хорошая новость для студентов.",
			"Интересно, сколько это стоит на самом деле.",
			"Посмотрим, что полетит.",
			"Двадцать человек — это совсем немного.",
		},
		cookie:    "Мы используем файлы cookie, чтобы сайт работал удобнее. Продолжая пользоваться сайтом, вы соглашаетесь с их использованием.",
		copyright: "© 2025 Вестник Заречья. Все права защищены.",
		caption:   "Испытательный стенд в одной из лабораторий университета.",
	}
}

func chinese() page {
	return page{
		file: "news_zh_gbk.html", lang: "zh-CN", charset: "gbk",
		site: "江城科技报", title: "哈尔滨企业与新西伯利亚研究所签署工业机器人联合研发协议",
		byline: "林晓雯", published: "2025-06-03T10:00:00+08:00", section: "keji", slug: "harbin-robot-agreement",
		paras: []string{
			"哈尔滨一家工业机器人企业与新西伯利亚的一所研究所本周二签署联合研发协议，双方将在焊接机器人和控制软件方面开展为期四年的合作。",
			"根据协议，研究所将派出十名工程师到哈尔滨的试验车间工作，企业则提供样机和测试设备，并承担部分差旅费用。",
			"企业负责人表示，合作的重点是提高机器人在低温环境下的可靠性，这对东北和西伯利亚地区的工厂都很重要。",
			"双方没有公开协议金额。研究所的一位发言人说，合作成果将以联合论文和专利的形式发布，具体比例另行商定。",
			"业内人士认为，这类合作规模不大，但有助于两地工程师积累经验，也为今后更大的项目打下基础。",
			"第一批联合测试预计在今年秋季完成，届时双方将在哈尔滨举行成果发布会。",
		},
		heads:    map[int]string{2: "低温可靠性"},
		teaser:   "东北制造业如何寻找海外伙伴",
		readAlso: "延伸阅读：", share: "分享", relHead: "相关新闻", more: "热门文章",
		related: []string{
			"本市新建三个智能制造示范车间",
			"高校机器人大赛在哈尔滨开幕",
			"中欧班列货运量创新高",
			"新能源汽车出口持续增长",
		},
		comments: []string{
			"低温可靠性确实是个难题。",
			"希望能早日看到成果。",
			"十名工程师不算多。",
		},
		cookie:    "本网站使用cookie以改善您的浏览体验。继续使用本网站即表示您同意我们使用cookie。",
		copyright: "版权所有 © 2025 江城科技报",
		caption:   "企业试验车间里的焊接机器人样机。",
	}
}
