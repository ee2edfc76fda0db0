package extract

import "testing"

func TestCleanByline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Anna Lee", "Anna Lee"},
		{"By Anna Lee", "Anna Lee"},
		{"BY ANNA LEE", "ANNA LEE"},
		{"by: Anna Lee", "Anna Lee"},
		{"Byron Hale", "Byron Hale"},
		{"Oleh Putri Anggraini", "Putri Anggraini"},
		{"Por Lucía Ferrer 3 nov 2025 - 09:05", "Lucía Ferrer"},
		{"Par Sébastien Morel", "Sébastien Morel"},
		{"Автор: Ирина Лаптева", "Ирина Лаптева"},
		{"作者：赵雪梅", "赵雪梅"},
		{"记者 王静", "王静"},
		{"Tech Industry by Steven Hale January 18, 2017 11:00 PM PST @shale", "Steven Hale"},
		{"Written by Rob Ewan", "Rob Ewan"},
		{"Anna Lee · 3 Comments", "Anna Lee"},
		{"Anna Lee|Staff", "Anna Lee"},
		{"Alexandre Roux, Jérémy Piet", "Alexandre Roux, Jérémy Piet"},
		{"Bruno (Henrique) Rodrigues", "Bruno (Henrique) Rodrigues"},
		{"Sign In | Sign Up | Subscribe", ""},
		{"Last Updated: January 7, 2025", ""},
		{"12 March 2025", ""},
		{"By", ""},
		{"This author writes about ports, shipping, cranes, customs and the people who work at the docks every night", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := cleanByline(tt.in); got != tt.want {
				t.Fatalf("cleanByline(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSiteAndBylineFromTitle(t *testing.T) {
	tests := []struct {
		name, docTitle, author, bylineDOM string
		site, byline                      string
	}{
		{name: "site after a pipe", docTitle: "Cranes ready at the port | Harbour Post",
			site: "Harbour Post"},
		{name: "site first", docTitle: "Harbour Post » Cranes ready at the port",
			site: "Harbour Post"},
		{name: "hyphenated site name stays whole", docTitle: "Омский завод начал выпуск тепловых насосов - Сибирь-Тех",
			site: "Сибирь-Тех"},
		{name: "portal author is the site, the page names the reporter", docTitle: "标题在这里_科技频道_北方科技网",
			author: "北方科技网", bylineDOM: "作者：赵雪梅", site: "北方科技网", byline: "赵雪梅"},
		{name: "site-named author is kept when nothing else names a person", docTitle: "标题在这里_北方科技网",
			author: "北方科技网", site: "北方科技网", byline: "北方科技网"},
		{name: "title without a site", docTitle: "Cranes ready at the port", author: "By Ada Byrne",
			byline: "Ada Byrne"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &pageMeta{docTitle: tt.docTitle, values: map[string]string{}, bylineDOM: tt.bylineDOM}
			if tt.author != "" {
				m.values["author"] = tt.author
			}
			a := &Article{}
			m.apply(a)
			if a.SiteName != tt.site {
				t.Errorf("site = %q, want %q", a.SiteName, tt.site)
			}
			if a.Byline != tt.byline {
				t.Errorf("byline = %q, want %q", a.Byline, tt.byline)
			}
		})
	}
}
