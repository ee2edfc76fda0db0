package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// chromeKind says why a line of text is page chrome rather than article.
type chromeKind uint8

const (
	notChrome chromeKind = iota
	// chromeWidget: share and follow buttons, audio players, log-in links,
	// comment counters and other interface labels.
	chromeWidget
	// chromeListHead: the heading of a list of links to other articles
	// ("Related posts", "Baca juga", "Читайте также"); what follows it up
	// to the next paragraph of prose is part of the list.
	chromeListHead
	// chromeTeaser: a single cross-link ("Also read: …", "Leer en español: …").
	chromeTeaser
	// chromeLegal: cookie and consent notices, copyright lines.
	chromeLegal
	// chromeTicker: market tickers and other rows of numbers.
	chromeTicker
	// chromeMenu: a navigation bar flattened into one line.
	chromeMenu
	// chromeJunk: lines with no words, template shortcodes.
	chromeJunk
)

// maxChromeLine is the longest line the phrase rules judge: past this length
// a line is prose even when it starts like a widget label.
const maxChromeLine = 400

// classifyLine decides whether one block of text is page chrome. raw is the
// line as found (runs of white space inside it matter for menus); the rules
// are generic patterns in several languages, never a site's literal lines.
func classifyLine(raw string) chromeKind {
	line := foldSpace(raw)
	if line == "" {
		return chromeJunk
	}
	if !hasLetterOrDigit(line) {
		return chromeJunk
	}
	if isTicker(line) {
		return chromeTicker
	}
	if len(line) > maxChromeLine {
		return notChrome
	}
	if isShortcode(line) {
		return chromeJunk
	}
	if len(line) > 250 {
		// Past the length of any label, teaser, menu or copyright
		// line, only a publisher's note or a cookie notice is chrome;
		// lower-casing the whole line for the rules is wasted on prose.
		if isNotice(line) || strings.Contains(line, "ookie") && isLegal(strings.ToLower(line)) {
			return chromeLegal
		}
		return notChrome
	}
	key := phraseKey(line)
	if k := phraseKind(key); k != notChrome {
		return k
	}
	if k := prefixKind(key, line); k != notChrome {
		return k
	}
	if isLegal(key) || isNotice(line) {
		return chromeLegal
	}
	if isPromo(key) {
		return chromeWidget
	}
	if isMenu(raw) {
		return chromeMenu
	}
	return notChrome
}

// foldSpace collapses every run of Unicode white space to one space and
// trims the ends.
func foldSpace(s string) string {
	// Most lines are folded already (the walk folds as it goes): check
	// before building a copy.
	clean := true
	prevSpace := true
	for i := 0; i < len(s); {
		c := s[i]
		sp := false
		if c < utf8.RuneSelf {
			sp = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			if isSpaceRune(r) {
				clean = false
				break
			}
			i += size
		}
		if sp && (prevSpace || c != ' ') {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// phraseKey lower-cases a short line and strips what varies around widget
// labels: counts, brackets, arrows, trailing colons and ellipses.
func phraseKey(line string) string {
	if len(line) > 120 {
		return strings.ToLower(line)
	}
	var b strings.Builder
	b.Grow(len(line))
	space := false
	for _, r := range line {
		switch {
		case unicode.IsLetter(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		case r == '-' || r == '\'' || r == '’' || r == '&':
			if b.Len() > 0 && !space {
				b.WriteRune(r)
			}
		default:
			// Digits, punctuation, symbols and spaces all separate
			// words: "Comments (12)" and "12 Comments" key alike.
			space = true
		}
	}
	return strings.Trim(b.String(), "-'’& ")
}

// phraseKind knows interface labels that are chrome whenever they stand
// alone on a line.
func phraseKind(key string) chromeKind {
	switch key {
	case "share", "shares", "share this", "share this article", "share this story", "share this post", "share article",
		"tweet", "tweet this", "whatsapp", "facebook", "twitter", "linkedin", "pinterest", "telegram", "reddit", "email", "e-mail",
		"print", "copy link", "copy url", "link copied", "save", "save article", "bookmark", "gift this article",
		"listen to this article", "listen to article", "listen", "play audio", "audio", "text size", "font size", "a a",
		"follow us", "follow", "subscribe", "subscribe now", "sign up", "sign in", "log in", "login", "register", "log out",
		"get alerts", "get the app", "download the app", "newsletter", "sign up for our newsletter",
		"menu", "search", "close", "open", "home", "skip to content", "skip to main content", "main menu", "toggle navigation",
		"advertisement", "advertising", "sponsored", "sponsored content", "ad", "ads", "scroll to continue", "continue reading",
		"comments", "comment", "leave a comment", "leave a reply", "post a comment", "add a comment", "add comment",
		"show comments", "view comments", "no comments", "no comments yet", "jump to comments", "skip to comments", "print this", "be the first to comment", "comments are closed",
		"join the conversation",
		"load more", "show more", "view more", "see more", "back to top", "top", "next", "previous", "prev",
		"next article", "previous article", "next post", "previous post", "newer post", "older post", "newer posts",
		"older posts", "newer post older post", "home newer post older post",
		"tags", "topics", "categories", "filed under", "posted in", "photo", "photos", "video", "videos", "image", "gallery",
		"loading", "please wait",
		// Indonesian / Malay
		"bagikan", "komentar", "posting komentar", "tulis komentar", "kirim komentar", "lebih baru", "lebih lama",
		"lebih baru lebih lama", "beranda", "iklan", "tag", "topik", "populer", "terpopuler",
		// Russian / Ukrainian
		"поделиться", "подписаться", "комментарии", "комментарий", "комментировать", "реклама", "теги", "метки",
		"главная", "поиск", "меню", "войти", "коментарі", "поділитися",
		// Chinese / Japanese / Korean
		"分享", "分享到", "评论", "評論", "打印", "收藏", "返回顶部", "广告", "廣告", "责任编辑", "シェア", "コメント", "공유", "댓글",
		// Spanish / Portuguese / French / German / Italian
		"compartir", "comentarios", "comentar", "publicidad", "compartilhe", "compartilhar", "comentários", "publicidade",
		"partager", "commentaires", "publicité", "teilen", "kommentare", "werbung", "anzeige", "condividi", "commenti", "pubblicità":
		return chromeWidget
	case "related", "related posts", "related articles", "related stories", "related news", "related content", "related topics",
		"related coverage", "related reading", "more articles", "more stories", "more news", "more from", "more on this",
		"more on this story", "more in", "read more", "read next", "up next", "you may also like", "you might also like",
		"recommended", "recommended for you", "recommended stories", "recommended articles", "trending", "trending now",
		"trending stories", "most popular", "most read", "most viewed", "popular posts", "popular stories", "latest",
		"latest news", "latest stories", "latest posts", "latest articles", "recent posts", "recent articles", "top stories",
		"editor's picks", "editors' picks", "don't miss", "must read", "also read", "read also", "see also", "further reading",
		"from around the web", "around the web", "what to read next", "in other news", "more from our network",
		"berita terkait", "berita terkini", "berita lainnya", "berita populer", "berita terbaru", "artikel terkait",
		"baca juga", "lihat juga", "simak juga", "baca selengkapnya", "terkini", "pilihan redaksi",
		"читайте также", "читать также", "смотрите также", "по теме", "новости по теме", "похожие новости", "похожие статьи",
		"последние новости", "главные новости", "самое читаемое", "популярное", "ещё по теме", "еще по теме",
		"читайте також", "новини по темі",
		"相关新闻", "相關新聞", "相关阅读", "相關閱讀", "相关文章", "相關文章", "推荐阅读", "推薦閱讀", "延伸阅读", "延伸閱讀",
		"热门文章", "热门新闻", "最新新闻", "更多新闻", "猜你喜欢", "関連記事", "관련기사", "관련 기사",
		"noticias relacionadas", "lea también", "lee también", "leer más", "te puede interesar", "también te puede interesar",
		"más noticias", "lo más leído", "últimas noticias", "notícias relacionadas", "leia também", "leia mais", "veja também",
		"mais lidas", "à lire aussi", "lire aussi", "sur le même sujet", "les plus lus", "lesen sie auch", "mehr zum thema",
		"weitere artikel", "das könnte sie auch interessieren", "meistgelesen", "leggi anche", "articoli correlati", "potrebbe interessarti":
		return chromeListHead
	}
	return notChrome
}

// prefixKind recognises lines that start like a cross-link or a widget and
// are short enough to be one.
func prefixKind(key, line string) chromeKind {
	if len(line) > 240 {
		return notChrome
	}
	for _, p := range [...]string{
		"also read", "read also", "read more", "see also", "it may interest you", "you may also like", "you might also like",
		"you may be interested", "related", "recommended", "more from", "more on", "watch", "listen", "read next", "read the full",
		"click here", "tap here", "leer en", "read in", "lea también", "lee también", "te puede interesar", "ver también",
		"también te puede interesar", "leia também", "leia mais", "veja também", "lire aussi", "à lire aussi", "lire en",
		"lesen sie auch", "auch interessant", "leggi anche", "baca juga", "baca", "lihat juga", "simak juga", "simak",
		"читайте также", "читайте", "смотрите также", "смотрите", "читать также", "по теме", "читайте також",
		"相关", "相關", "延伸阅读", "延伸閱讀", "推荐", "阅读更多", "関連", "관련",
	} {
		if !strings.HasPrefix(key, p) {
			continue
		}
		rest := key[len(p):]
		if rest != "" && rest[0] != ' ' && !isCJKPrefix(p) {
			continue
		}
		// "Read also: …", "Leer en español: …" – the label ends with a colon
		// or the line is only the label plus a title.
		if hasColonAfterPrefix(line, letterCount(p)) || len(line) < 100 {
			return chromeTeaser
		}
	}
	// Labelled metadata rows: "Tags: …", "Posted in: …", "Filed under: …".
	for _, p := range [...]string{"tags", "tagged", "tagged with", "posted in", "filed under", "categories", "category",
		"related topics", "explore related topics", "more on",
		"topics", "labels", "keywords", "теги", "метки", "рубрика", "标签", "关键词", "etiquetas", "schlagworte", "schlagwörter"} {
		if strings.HasPrefix(key, p) && (len(key) == len(p) || key[len(p)] == ' ') && hasColonAfterPrefix(line, letterCount(p)) {
			return chromeWidget
		}
	}
	if strings.Contains(line, "| ") {
		if l := strings.ToLower(line); strings.Contains(l, "| tags:") || strings.Contains(l, "| filed under:") ||
			strings.Contains(l, "| published in ") || strings.Contains(l, "| posted in ") {
			return chromeWidget
		}
	}
	for _, p := range [...]string{"share on ", "share via ", "share to ", "share with ", "follow us", "follow on ", "subscribe to ",
		"sign up for ", "sign up to ", "join our ", "download our ", "get our ", "поделиться в ", "подписывайтесь на ",
		"ikuti kami", "follow ", "like us on ", "find us on "} {
		if strings.HasPrefix(key, p) && len(line) < 120 {
			return chromeWidget
		}
	}
	return notChrome
}

func isCJKPrefix(p string) bool {
	r, _ := utf8.DecodeRuneInString(p)
	return r >= 0x3000
}

// letterCount counts the letters of s: a multi-word label ("filed
// under") has its spaces between the letters.
func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// hasColonAfterPrefix reports whether a colon (or a CJK colon or a dash
// separator) follows within a few characters of the first n letters.
func hasColonAfterPrefix(line string, n int) bool {
	letters := 0
	for i, r := range line {
		if unicode.IsLetter(r) {
			letters++
			continue
		}
		if letters >= n {
			switch r {
			case ':', '：', '|', '»', '›', '→':
				return true
			case '-', '–', '—':
				return i+1 < len(line) && line[i+1] == ' '
			}
			if letters > n+20 {
				return false
			}
		}
	}
	return false
}

// isLegal recognises cookie and consent notices and copyright lines.
func isLegal(key string) bool {
	if strings.Contains(key, "cookie") {
		for _, w := range [...]string{"use", "consent", "accept", "continu", "agree", "policy", "privacy", "settings", "experience"} {
			if strings.Contains(key, w) {
				return true
			}
		}
	}
	if strings.HasPrefix(key, "copyright") || strings.Contains(key, "all rights reserved") ||
		strings.Contains(key, "derechos reservados") || strings.Contains(key, "все права защищены") ||
		strings.Contains(key, "hak cipta") || strings.Contains(key, "版权所有") || strings.Contains(key, "版權所有") ||
		strings.Contains(key, "tous droits réservés") || strings.Contains(key, "alle rechte vorbehalten") ||
		strings.Contains(key, "direitos reservados") || strings.Contains(key, "tutti i diritti riservati") {
		return len(key) < 250
	}
	return false
}

// isPromo recognises the publisher's own calls inside an article: a
// newsletter sign-up ("Get the best stories delivered to your inbox:
// sign up for our daily newsletter") and the advertising seams ("Story
// continues below advertisement").
func isPromo(key string) bool {
	if len(key) > 250 {
		return false
	}
	for _, p := range [...]string{"story continues below", "article continues below", "continue reading below",
		"the story continues after", "article continues after",
		// The rules above a comment form.
		"comments may be", "comments are moderated", "comments must be", "comment policy", "please keep comments",
		"please read our comment", "you must be logged in to", "log in to comment", "sign in to comment", "login to comment"} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	if !strings.Contains(key, "newsletter") && !strings.Contains(key, "inbox") && !strings.Contains(key, "рассылк") &&
		!strings.Contains(key, "boletín") {
		return false
	}
	for _, w := range [...]string{"sign up", "subscribe", "delivered", "get the", "get our", "register", "подпиш", "suscr",
		"inscr", "assine", "abonn", "anmeld"} {
		if strings.Contains(key, w) {
			return true
		}
	}
	return false
}

// noticePrefixes start the notes publishers append to an article:
// copyright and reprint notices, citation help.
var noticePrefixes = [...]string{
	"©", "(c) ", "copyright ", "cite this", "how to cite", "citation:", "to cite this", "this article was originally published",
	"this story was originally published", "this article originally appeared", "this story originally appeared",
	"originally published", "this article is republished", "reprinted with permission", "this material may not be published",
	"powered by wordpress", "proudly powered by",
}

// isNotice recognises a copyright, reprint or citation note: a line that
// starts like one and is not long enough to be a paragraph of the text.
func isNotice(line string) bool {
	if len(line) > 300 {
		return false
	}
	for _, p := range noticePrefixes {
		if len(line) >= len(p) && strings.EqualFold(line[:len(p)], p) {
			return true
		}
	}
	return false
}

// isTicker recognises rows of quotes: up/down arrows between numbers, or a
// line that is mostly digits with few words.
func isTicker(line string) bool {
	if strings.IndexAny(line, "0123456789") < 0 {
		return false
	}
	arrows, digits, letters, spaces := 0, 0, 0, 0
	for _, r := range line {
		switch {
		case r == '▲' || r == '▼' || r == '△' || r == '▽' || r == '↑' || r == '↓' || r == '⬆' || r == '⬇':
			arrows++
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsLetter(r):
			letters++
		case r == ' ':
			spaces++
		}
	}
	if arrows >= 2 && digits > letters/2 {
		return true
	}
	return len(line) > 60 && digits*2 > letters+digits && digits > 20 && spaces*12 < len(line)
}

// isShortcode recognises template tags that leaked into text, like
// "[some_widget]" or "{{ share }}".
func isShortcode(line string) bool {
	if len(line) < 3 || len(line) > 80 {
		return false
	}
	if (line[0] == '[' && line[len(line)-1] == ']') || (strings.HasPrefix(line, "{{") && strings.HasSuffix(line, "}}")) {
		for _, r := range line {
			if r == ' ' && line[0] == '[' {
				return false
			}
		}
		return true
	}
	return false
}

// isMenu recognises a navigation bar flattened to one line: two or more
// short labels separated by wide gaps of white space or by bullets and pipes.
func isMenu(raw string) bool {
	if len(raw) > 200 {
		return false
	}
	segs, words, maxWords := 0, 0, 0
	gap := 0
	inWord, inSeg := false, false
	for _, r := range raw {
		switch {
		case r == ' ' || r == '\t' || r == '\u00a0' || r == '\u2003':
			gap++
			inWord = false
		case r == '|' || r == '•' || r == '·':
			gap = 2
			inWord = false
		default:
			if !inSeg || gap >= 2 {
				segs++
				maxWords = max(maxWords, words)
				words = 0
				inSeg = true
			}
			if !inWord {
				words++
				inWord = true
			}
			gap = 0
		}
	}
	maxWords = max(maxWords, words)
	return segs >= 2 && maxWords <= 3
}
