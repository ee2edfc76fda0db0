package demosite

import (
	"html"
	"strings"
	"testing"
)

// TestPagesCarryChrome checks that every page has the chrome a cleaner must
// remove, in its outlet's own words: navigation, market ticker, share
// buttons, cookie banner, newsletter box, related stories, comments and a
// copyright footer.
func TestPagesCarryChrome(t *testing.T) {
	s, base := startSite(t)
	markers := map[string][]string{
		"northwire":       {`aria-label="Sections"`, "S&P 500", "Share", "Tweet", "WhatsApp", "Telegram", "VK", "微信", "We use cookies", "Tech Wire, every weekday", "Related stories", "Read more", "Comments (", "Most read", "©"},
		"vostok-tech":     {`class="menu"`, "Индекс МосБиржи", "Поделиться", "Твитнуть", "WhatsApp", "Telegram", "ВКонтакте", "微信", "файлы cookie", "Подписаться", "Читайте также", "Новости по теме", "Комментарии (", "©"},
		"zhongguo-keji":   {`class="nav"`, "上证指数", "分享到", "微信", "Tweet", "WhatsApp", "Telegram", "VK", "Cookie", "订阅科技早报", "延伸阅读", "相关新闻", "网友评论", "©"},
		"noticias-tec":    {"menu-principal", "IBEX 35", "Compartir", "Tweet", "WhatsApp", "Telegram", "VK", "微信", "cookies", "Boletín", "Lea también", "Noticias relacionadas", "Comentarios (", "©"},
		"kabar-teknologi": {"main-navigation", "IHSG", "Bagikan", "Tweet", "WhatsApp", "Telegram", "VK", "微信", "cookie", "Langganan Newsletter", "Baca Juga", "Berita Terkait", "Komentar", "©"},
	}
	jsonLD := 0
	for i := range s.pages {
		p := &s.pages[i]
		want, ok := markers[p.Outlet]
		if !ok {
			t.Fatalf("no chrome markers for outlet %s", p.Outlet)
		}
		resp, body := fetch(t, base+p.Path, nil)
		text := html.UnescapeString(decodeHTML(t, resp.Header.Get("Content-Type"), body))
		for _, m := range want {
			if !strings.Contains(text, m) {
				t.Errorf("%s: no %q", p.Path, m)
			}
		}
		if strings.Contains(text, `"@type":"NewsArticle"`) {
			jsonLD++
		}
	}
	if jsonLD == 0 || jsonLD == len(s.pages) {
		t.Errorf("%d of %d pages carry NewsArticle JSON-LD; want some, not all", jsonLD, len(s.pages))
	}
}
