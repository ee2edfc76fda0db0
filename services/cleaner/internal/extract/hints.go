package extract

import "strings"

// Class and id hints, after Readability's: a container named like article
// content gains weight, one named like page furniture loses it. Matching is
// by substring on the lower-cased attribute, as site templates glue words
// together ("articleBody", "sharebar", "relatedPosts").
//
// Real pages carry hundreds of distinct class/id values, and testing each
// against some 150 words one strings.Contains at a time cost 7% of an
// extraction; hintWords finds every word of every list in one pass over
// the value instead (Aho–Corasick), built once per Extractor.

// Word kinds: which list a hint word belongs to. A word can be in several.
const (
	hwPositive      uint16 = 1 << iota // names article content
	hwNegative                         // names page furniture
	hwUnlikely                         // Readability's "unlikely candidates"
	hwUnlikelyExcep                    // ...unless the value also names content
	hwShare                            // share bars
	hwByline                           // author and byline elements
	hwArticleBody                      // common article-body class names
	hwComment                          // comment sections, in any language
	hwCommentOther                     // comments in languages other than English
	hwCaption                          // image captions and credits
)

// hintWordLists returns the hint words by kind. The lists are data, not
// code: a word added here is matched everywhere its kind is used.
func hintWordLists() map[uint16][]string {
	commentOther := []string{
		// Spanish and Portuguese (comentarios), Indonesian (komentar),
		// German and Russian transliterated (kommentar, kommentarii),
		// Chinese pinyin (pinglun).
		"comentari", "komentar", "kommentar", "pinglun"}
	// Class words of other languages' templates: Spanish and Portuguese
	// (relacionadas, boletín), Indonesian (langganan = subscription),
	// Chinese pinyin (dingyue = subscribe, xiangguan = related).
	otherChrome := []string{"relacionad", "boletin", "langganan", "dingyue", "xiangguan"}
	return map[uint16][]string{
		hwPositive: {"article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog", "story",
			"prose", "artikel", "statya", "zhengwen", "detail", "isi", "berita"},
		hwNegative: append(append([]string{"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr",
			"masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper",
			"sponsor", "shopping", "tags", "widget", "taboola", "newsletter", "subscribe", "cookie", "consent", "popular",
			"trending", "recommend", "social", "breadcrumb", "byline", "author-bio", "disqus", "terkait", "baca-juga", "more-news",
			"also-read"}, otherChrome...), commentOther...),
		// Comment words are not here: commentValue judges them, so that
		// state classes ("has-comments") do not count.
		hwUnlikely: append([]string{"-ad-", "ai2html", "banner", "breadcrumbs", "combx", "community", "cover-wrap", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox",
			"sidebar", "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
			"yom-remote", "cookie", "consent", "newsletter", "taboola", "outbrain", "terkait", "baca-juga"}, otherChrome...),
		hwUnlikelyExcep: {"and", "article", "body", "column", "content", "main", "shadow"},
		// Share bars besides English: Spanish and Portuguese (compartir,
		// compartilhar), Indonesian (bagikan), French (partage), pinyin
		// (fenxiang).
		hwShare:  {"share", "social", "compartir", "compartilh", "bagikan", "partage", "fenxiang"},
		hwByline: {"byline", "author", "dateline", "writtenby"},
		// "cutline" is the American newsroom word for a caption.
		hwCaption: {"caption", "credit", "cutline"},
		hwArticleBody: {"articlebody", "article-body", "article__body", "entry-content", "post-content", "story-body",
			"article-content", "post-body"},
		hwComment:      append([]string{"comment", "disqus"}, commentOther...),
		hwCommentOther: commentOther,
	}
}

// hintWords finds which kinds of hint words a lower-cased value
// contains, in one pass (an Aho–Corasick automaton over bytes). It is
// immutable once built.
type hintWords struct {
	sym   [256]uint8 // byte -> symbol; 0 for bytes in no word
	nsym  int
	next  []int32  // next[state*nsym+symbol]: the automaton, failure links resolved
	kinds []uint16 // kinds of the words that end at each state, suffixes included
}

func newHintWords() *hintWords {
	lists := hintWordLists()
	w := &hintWords{nsym: 1}
	for _, words := range lists {
		for _, word := range words {
			for i := 0; i < len(word); i++ {
				if w.sym[word[i]] == 0 {
					w.sym[word[i]] = uint8(w.nsym)
					w.nsym++
				}
			}
		}
	}
	// Upper-case ASCII letters are the same symbols as lower-case ones,
	// so find matches without lower-casing (no word has capitals).
	for c := byte('A'); c <= 'Z'; c++ {
		w.sym[c] = w.sym[c+'a'-'A']
	}
	// The trie.
	child := []map[uint8]int32{{}}
	w.kinds = []uint16{0}
	for kind, words := range lists {
		for _, word := range words {
			s := int32(0)
			for i := 0; i < len(word); i++ {
				c := w.sym[word[i]]
				nxt, ok := child[s][c]
				if !ok {
					nxt = int32(len(child))
					child = append(child, map[uint8]int32{})
					w.kinds = append(w.kinds, 0)
					child[s][c] = nxt
				}
				s = nxt
			}
			w.kinds[s] |= kind
		}
	}
	// Failure links breadth first, resolving every transition.
	n := len(child)
	w.next = make([]int32, n*w.nsym)
	fail := make([]int32, n)
	queue := make([]int32, 0, n)
	for c := 0; c < w.nsym; c++ {
		if t, ok := child[0][uint8(c)]; ok {
			w.next[c] = t
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		w.kinds[s] |= w.kinds[fail[s]]
		for c := 0; c < w.nsym; c++ {
			if t, ok := child[s][uint8(c)]; ok {
				fail[t] = w.next[int(fail[s])*w.nsym+c]
				w.next[int(s)*w.nsym+c] = t
				queue = append(queue, t)
			} else {
				w.next[int(s)*w.nsym+c] = w.next[int(fail[s])*w.nsym+c]
			}
		}
	}
	return w
}

// find returns the kinds of the hint words s contains, ignoring the case
// of ASCII letters.
func (w *hintWords) find(s string) uint16 {
	var k uint16
	st := int32(0)
	for i := 0; i < len(s); i++ {
		st = w.next[int(st)*w.nsym+int(w.sym[s[i]])]
		k |= w.kinds[st]
	}
	return k
}

// negativeValue reports whether a lower-cased class or id with hint
// kinds k names page furniture.
func negativeValue(s string, k uint16) bool {
	if k&hwNegative != 0 {
		return true
	}
	return s == "hid" || strings.HasPrefix(s, "hid ") || strings.HasSuffix(s, " hid") || strings.Contains(s, " hid ")
}

// unlikely reports whether an element whose lower-cased class and id
// have hint kinds k is almost never article content (Readability's
// "unlikely candidates"), unless it also names content.
func (w *hintWords) unlikely(class, id string, k uint16) bool {
	if k&hwComment != 0 && (w.commentValue(class) || w.commentValue(id)) {
		return true
	}
	return k&hwUnlikely != 0 && k&hwUnlikelyExcep == 0
}

// commentValue recognises comment sections by a class or id word about
// comments ("comments-body", "commentlist", "disqus_thread"), whatever else
// the attribute says: a comment body is not the article body. State
// classes on the article itself ("has-comments", "comments-open") do not
// count.
func (w *hintWords) commentValue(s string) bool {
	for _, tok := range strings.Fields(s) {
		if w.find(tok)&hwComment == 0 {
			continue
		}
		if strings.HasPrefix(tok, "has") || strings.HasPrefix(tok, "no-") || strings.HasPrefix(tok, "no_") ||
			strings.HasSuffix(tok, "open") || strings.HasSuffix(tok, "closed") || strings.HasSuffix(tok, "count") ||
			strings.HasSuffix(tok, "link") || strings.HasSuffix(tok, "number") || strings.HasSuffix(tok, "num") {
			continue
		}
		return true
	}
	return false
}

// lowerASCII lower-cases ASCII letters, allocating only when needed.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
