package extract

import "strings"

// Class and id hints, after Readability's: a container named like article
// content gains weight, one named like page furniture loses it. Matching is
// by substring on the lower-cased attribute, as site templates glue words
// together ("articleBody", "sharebar", "relatedPosts").

// positiveHint reports whether a lower-cased class or id names article
// content.
func positiveHint(s string) bool {
	for _, p := range [...]string{"article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog", "story", "prose", "artikel", "statya", "zhengwen", "detail", "isi", "berita"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// negativeHint reports whether a lower-cased class or id names page
// furniture.
func negativeHint(s string) bool {
	for _, p := range [...]string{"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "widget", "taboola", "newsletter", "subscribe", "cookie", "consent", "popular", "trending", "recommend", "social", "breadcrumb", "byline", "author-bio", "disqus", "terkait", "baca-juga", "more-news", "also-read",
		// Class words of other languages' templates: Spanish and Portuguese
		// (relacionadas, boletín), Indonesian (langganan = subscription),
		// Chinese pinyin (dingyue = subscribe, xiangguan = related).
		"relacionad", "boletin", "langganan", "dingyue", "xiangguan"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	if otherCommentWord(s) {
		return true
	}
	return s == "hid" || strings.HasPrefix(s, "hid ") || strings.HasSuffix(s, " hid") || strings.Contains(s, " hid ")
}

// unlikelyHint reports whether a lower-cased class+id string marks an
// element that is almost never article content (Readability's "unlikely
// candidates"), unless it also names content.
func unlikelyHint(s string) bool {
	if commentHint(s) {
		return true
	}
	hit := false
	for _, p := range [...]string{"-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community", "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote", "cookie", "consent", "newsletter", "taboola", "outbrain", "terkait", "baca-juga",
		"relacionad", "boletin", "langganan", "dingyue", "xiangguan"} {
		if strings.Contains(s, p) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	for _, p := range [...]string{"and", "article", "body", "column", "content", "main", "shadow"} {
		if strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// bylineHint reports a lower-cased class+id string that names an author
// or byline element: a metadata candidate, confirmed by the byline
// selector.
func bylineHint(s string) bool {
	return strings.Contains(s, "byline") || strings.Contains(s, "author") || strings.Contains(s, "dateline") ||
		strings.Contains(s, "writtenby")
}

// shareHint marks share bars: removed from inside the article when short.
// Besides English it knows Spanish and Portuguese (compartir,
// compartilhar), Indonesian (bagikan), French (partage) and pinyin
// (fenxiang).
func shareHint(s string) bool {
	for _, w := range [...]string{"share", "social", "compartir", "compartilh", "bagikan", "partage", "fenxiang"} {
		if strings.Contains(s, w) {
			return true
		}
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

// commentHint recognises comment sections by a class or id word about
// comments ("comments-body", "commentlist", "disqus_thread"), whatever else
// the attribute says: a comment body is not the article body. State
// classes on the article itself ("has-comments", "comments-open") do not
// count.
func commentHint(s string) bool {
	for _, tok := range strings.Fields(s) {
		if !strings.Contains(tok, "comment") && !strings.Contains(tok, "disqus") && !otherCommentWord(tok) {
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

// otherCommentWord reports the word for comments in other languages'
// class names: Spanish and Portuguese (comentarios), Indonesian
// (komentar), German and Russian transliterated (kommentar, kommentarii),
// Chinese pinyin (pinglun).
func otherCommentWord(tok string) bool {
	return strings.Contains(tok, "comentari") || strings.Contains(tok, "komentar") || strings.Contains(tok, "kommentar") ||
		strings.Contains(tok, "pinglun")
}
