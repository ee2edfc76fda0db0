package classify

import (
	"strings"
	"testing"
)

// TestPortuguese checks the Portuguese pack on texts written for the test in
// the shape of Brazilian and Portuguese news reports: ties the classifier
// must find, and hard negatives it must leave alone (a third country's
// deal, a summit agenda, gas and grain, hackers, sanctions, a signing still
// to come or long past, Huawei in Europe). Each case names what it keeps.
func TestPortuguese(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		name      string
		doc       Document
		ruCnTech  bool
		agreement bool
	}{
		// --- Positives ---
		{"signed nuclear fuel contract", Document{
			Title: "Rosatom e CNNC assinam contrato de fornecimento de combustível nuclear para a central de Tianwan",
			Text: "A TVEL, empresa de combustível da corporação russa Rosatom, assinou nesta terça-feira em Pequim um contrato com a Corporação Nuclear Nacional da China (CNNC) para o fornecimento de combustível nuclear às unidades 7 e 8 da central nuclear de Tianwan.\n" +
				"Segundo o comunicado, as entregas começam em 2026 e incluem a transferência de tecnologia para a fabricação de componentes na China."},
			true, true},
		{"br headline firmam, lunar station", Document{
			Title: "Rússia e China firmam acordo para construir estação científica na Lua",
			Text: "A agência espacial russa Roscosmos e a Administração Espacial Nacional da China firmaram na quarta-feira um memorando de entendimento sobre a construção conjunta de uma estação de pesquisa lunar.\n" +
				"O projeto prevê o envio de missões robóticas a partir de 2028, informaram as duas agências."},
			true, true},
		{"contract celebrated between the parties", Document{
			Title: "Huawei e operadora russa celebram contrato para rede 5G em Moscovo",
			Text: "O contrato foi celebrado entre a Huawei e a operadora russa MegaFon e prevê a instalação de estações base de quinta geração em Moscovo até ao final do ano.\n" +
				"A tecnológica chinesa fornecerá também equipamento de rede para a região de São Petersburgo."},
			true, true},
		{"cooperation without a signing", Document{
			Title: "Roscosmos e agência espacial chinesa reforçam cooperação em navegação por satélite",
			Text: "A Roscosmos e a Administração Espacial Nacional da China vão aprofundar a cooperação entre os sistemas GLONASS e BeiDou, disseram responsáveis dos dois países durante uma conferência em Harbin.\n" +
				"As partes discutem a instalação de estações terrestres de monitorização no território de cada país."},
			true, false},
		{"chip supplies", Document{
			Title: "Empresas chinesas fornecem chips e componentes eletrónicos à Rússia apesar das sanções",
			Text: "Empresas chinesas aumentaram as vendas de semicondutores e componentes eletrônicos para a Rússia, apesar das sanções ocidentais, mostram dados alfandegários.\n" +
				"Segundo os analistas, a China tornou-se o principal fornecedor de microchips da indústria de defesa russa."},
			true, false},
		{"rosatom builds reactors in China", Document{
			Title: "Rosatom ajuda a China a construir novos reatores nucleares",
			Text: "Engenheiros da Rosatom montam dois reatores VVER-1200 na central de Xudabao, no nordeste da China, segundo o diretor-geral da corporação.\n" +
				"Técnicos russos e chineses trabalham em conjunto nos testes dos sistemas de controlo."},
			true, false},
		{"partnership signed, present headline", Document{
			Title: "Rostec e empresa chinesa firmam parceria para produção de drones",
			Text:  "A Rostec e uma empresa de Shenzhen firmaram uma parceria para a produção conjunta de drones civis na Rússia."},
			true, true},
		{"item of a set of signed documents", Document{
			Title: "Putin e Xi assistem à assinatura de acordos em Moscovo",
			Text: "Na presença dos presidentes da Rússia e da China, foram assinados nesta terça-feira 14 documentos de cooperação.\n" +
				"Entre eles, um acordo entre a Roscosmos e a Administração Espacial Nacional da China sobre navegação por satélite."},
			true, true},
		{"joint airliner", Document{
			Title: "Rússia e China desenvolvem em conjunto avião de passageiros de fuselagem larga",
			Text:  "A Rússia e a China estão a desenvolver conjuntamente o CR929, um avião de passageiros de fuselagem larga que deverá concorrer com a Boeing e a Airbus."},
			true, false},
		// "firmou-se como" is "established itself as", and "de acordo com"
		// is "according to": neither is a signing.
		{"firmou-se, de acordo com", Document{
			Title: "Huawei firmou-se como principal fornecedor das operadoras russas",
			Text:  "A chinesa Huawei firmou-se como o maior fornecedor de equipamentos de telecomunicações das operadoras russas, de acordo com a consultora."},
			true, false},
		// A dated signing named as the frame of the news is a recall.
		{"built under the 2018 package", Document{
			Title: "Unidade da central de Tianwan construída pela Rosatom é ligada à rede",
			Text: "A sétima unidade da central nuclear de Tianwan, na China, foi ligada à rede elétrica nesta sexta-feira, anunciou a Rosatom.\n" +
				"A unidade foi construída ao abrigo do pacote de acordos assinado entre a Rosatom e a CNNC em 2018, com um reator VVER-1200 russo."},
			true, false},
		// --- A deal not yet signed is intent ---
		{"to be signed next year", Document{
			Title: "Rússia e China vão assinar acordo sobre cooperação em satélites no próximo ano",
			Text: "A Roscosmos e a agência espacial chinesa deverão assinar no próximo ano um acordo sobre a cooperação em satélites de observação da Terra, disse o ministro russo.\n" +
				"O documento será assinado durante a visita do presidente chinês a Moscou."},
			true, false},
		{"not yet signed", Document{
			Title: "Contrato entre Rosatom e CNNC para novos reatores ainda não foi assinado",
			Text: "A Rosatom e a CNNC ainda não assinaram o contrato para a construção de dois novos reatores nucleares na China, informou a empresa russa.\n" +
				"As negociações sobre o preço do equipamento continuam."},
			true, false},
		{"signing noun, ceremony to come", Document{
			Title: "Assinatura do acordo entre Huawei e MTS sobre 5G prevista para outubro",
			Text:  "A assinatura do acordo entre a Huawei e a operadora russa MTS para o desenvolvimento de redes 5G na Rússia está prevista para outubro, segundo fontes da empresa."},
			true, false},
		{"could be signed during a visit", Document{
			Title: "Acordo entre Rosatom e CNNC poderá ser assinado durante visita de Xi",
			Text:  "O acordo para a construção de reatores rápidos na China poderá ser assinado durante a visita de Xi Jinping a Moscou, disse a Rosatom."},
			true, false},
		{"talks ended without signing", Document{
			Title: "Rosatom e CNNC terminam conversações sem assinar contrato",
			Text:  "A Rosatom e a CNNC terminaram as conversações em Pequim sem assinar o contrato para novos reatores nucleares."},
			true, false},
		// --- Hard negatives ---
		{"russia and india deal", Document{
			Title: "Rússia e Índia assinam contrato para produção conjunta de mísseis",
			Text: "A Rússia e a Índia assinaram nesta segunda-feira um contrato para a produção conjunta de mísseis de cruzeiro, informou o Ministério da Defesa indiano.\n" +
				"A China acompanha com atenção o reforço da cooperação militar entre os dois países."},
			false, false},
		{"third country weighs offers", Document{
			Title: "Indonésia avalia propostas da Rosatom e da CNNC para a sua primeira central nuclear",
			Text:  "O governo da Indonésia está a avaliar propostas da Rosatom e da CNNC para a construção da primeira central nuclear do país, disse o ministro da Energia."},
			false, false},
		{"summit readout", Document{
			Title: "Putin e Xi Jinping reúnem-se em Pequim e assinam declaração conjunta",
			Text: "Os presidentes da Rússia e da China assinaram em Pequim uma declaração conjunta sobre o aprofundamento da parceria estratégica.\n" +
				"Os dois líderes concordaram em reforçar a cooperação na economia, no comércio, na energia, na cultura, na educação e na ciência e tecnologia."},
			false, false},
		{"gas contract", Document{
			Title: "Gazprom e CNPC assinam contrato de fornecimento de gás",
			Text:  "A russa Gazprom e a chinesa CNPC assinaram um contrato de longo prazo para o fornecimento de gás natural à China pelo gasoduto Força da Sibéria 2, anunciou o Kremlin."},
			false, false},
		{"grain contract", Document{
			Title: "Rússia e China assinam contrato de cereais de 25 mil milhões de dólares",
			Text:  "A Rússia assinou com a China o maior contrato de exportação de cereais da sua história, para o fornecimento de trigo e soja ao longo de doze anos."},
			false, false},
		{"chinese hackers", Document{
			Title: "Hackers chineses atacaram empresas de defesa russas, diz empresa de cibersegurança",
			Text: "Um grupo de hackers ligados à China atacou empresas russas do setor de defesa e roubou documentação de radares, disse a empresa russa de cibersegurança.\n" +
				"Os ataques usaram e-mails falsos com documentos infectados."},
			false, false},
		{"us sanctions on both", Document{
			Title: "EUA impõem sanções a empresas chinesas e russas por venda de tecnologia militar",
			Text:  "O Departamento do Tesouro dos Estados Unidos impôs sanções a dez empresas da China e da Rússia acusadas de fornecer componentes para drones."},
			false, false},
		{"signing recalled years ago", Document{
			Title: "Turismo entre Rússia e China bate recorde",
			Text: "O número de turistas chineses que visitaram a Rússia cresceu 40% no primeiro semestre, segundo a agência de turismo russa.\n" +
				"Os voos diretos entre Moscou e Pequim voltaram a níveis anteriores à pandemia e os hotéis de São Petersburgo contratam guias que falam mandarim.\n" +
				"As agências de viagens esperam novo crescimento no verão, quando começam os cruzeiros no rio Volga.\n" +
				"Há cinco anos, a Rosatom e a CNNC assinaram um acordo sobre reatores rápidos, lembrou o embaixador."},
			false, false},
		{"huawei in europe", Document{
			Title: "Huawei assina contrato para rede 5G na Hungria",
			Text: "A chinesa Huawei assinou um contrato com uma operadora húngara para construir a rede 5G do país, apesar das críticas da União Europeia.\n" +
				"A empresa fornece equipamentos de telecomunicações a várias operadoras europeias."},
			false, false},
		{"joint naval drills", Document{
			Title: "Rússia e China realizam exercícios navais conjuntos no Mar do Japão",
			Text:  "Navios de guerra e helicópteros da Rússia e da China participam em exercícios navais conjuntos no Mar do Japão, informou o Ministério da Defesa russo."},
			false, false},
		{"each its own system", Document{
			Title: "Rússia e China desenvolvem separadamente os seus sistemas de navegação por satélite",
			Text:  "Tanto a Rússia como a China desenvolvem os seus próprios sistemas de navegação por satélite, independentemente um do outro."},
			false, false},
		{"joint condemnation", Document{
			Title: "Rússia e China condenam planos dos EUA de defesa antimíssil no espaço",
			Text:  "Os ministros dos Negócios Estrangeiros da Rússia e da China condenaram em conjunto os planos de Washington de instalar sistemas de defesa antimíssil no espaço."},
			false, false},
		{"india and russia jointly", Document{
			Title: "Índia e Rússia desenvolveram em conjunto o míssil BrahMos",
			Text:  "A Índia e a Rússia desenvolveram em conjunto o míssil BrahMos, que agora interessa à China."},
			false, false},
		{"entity list", Document{
			Title: "EUA incluem empresas chinesas e russas na lista de entidades",
			Text:  "O Departamento de Comércio dos EUA incluiu empresas da China e da Rússia na lista de entidades por fornecerem chips às forças armadas russas."},
			false, false},
		{"russia bans chinese cameras", Document{
			Title: "Rússia proíbe importação de câmaras de videovigilância chinesas",
			Text:  "O governo russo proibiu a importação de câmaras de videovigilância fabricadas na China por razões de segurança."},
			false, false},
		{"copied without a licence", Document{
			Title: "Yandex acusa empresa chinesa de copiar o seu software",
			Text:  "A russa Yandex acusou uma empresa chinesa de copiar sem licença o código do seu navegador."},
			false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(tt.doc)
			if r.Lang != "pt" {
				t.Errorf("language %q, want pt", r.Lang)
			}
			if r.RuCnTech != tt.ruCnTech || r.Agreement.Detected != tt.agreement {
				var b strings.Builder
				c.Explain(tt.doc, &b)
				t.Errorf("ru_cn_tech %v (score %.3f) agreement %v (stage %q); want %v %v\n%s",
					r.RuCnTech, r.Score, r.Agreement.Detected, r.Agreement.Stage, tt.ruCnTech, tt.agreement, b.String())
			}
		})
	}
}
