package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/newspipe/newspipe/services/cleaner/internal/decode"
	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func readPage(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

func TestExtractPages(t *testing.T) {
	tests := []struct {
		file      string
		title     string
		byline    string
		lang      string
		site      string
		canonical string
		image     string
		published string
		charset   string
		keep      []string
		chrome    []string
	}{
		{
			file: "news_en.html", title: "Novosibirsk lab and Shenzhen chipmaker agree to share lithography test line",
			byline: "Maren Okafor", lang: "en", site: "Harbour Ledger",
			canonical: "https://news.example.org/technology/lab-chipmaker-lithography",
			image:     "https://news.example.org/img/lab-chipmaker-lithography-lead.jpg",
			published: "2025-03-14T09:30:00+03:00", charset: "utf-8",
			keep: []string{"signed a five-year agreement on Thursday", "A modest line", "where commercial terms allow."},
			chrome: []string{"We use cookies", "Read also", "Related stories", "Port operators test automated cranes",
				"comments", "tiny.", "All rights reserved", "Advertisement", "Share", "TCK1", "Newsletter"},
		},
		{
			file: "news_ru_cp1251.html", title: "Томский университет и компания из Ханчжоу создадут общую лабораторию спутниковой связи",
			byline: "Ирина Лаптева", lang: "ru", site: "Вестник Заречья",
			canonical: "https://news.example.org/nauka/tomsk-hangzhou-lab",
			image:     "https://news.example.org/img/tomsk-hangzhou-lab-lead.jpg",
			published: "2025-05-20T14:05:00+07:00", charset: "windows-1251",
			keep:   []string{"подписали во вторник соглашение", "Небольшая команда", "сообщили в университете."},
			chrome: []string{"cookie", "Читайте также", "Новости по теме", "технопарк", "Поделиться", "Все права защищены", "Посмотрим"},
		},
		{
			file: "news_zh_gbk.html", title: "哈尔滨企业与新西伯利亚研究所签署工业机器人联合研发协议",
			byline: "林晓雯", lang: "zh", site: "江城科技报",
			canonical: "https://news.example.org/keji/harbin-robot-agreement",
			image:     "https://news.example.org/img/harbin-robot-agreement-lead.jpg",
			published: "2025-06-03T10:00:00+08:00", charset: "gbk",
			keep:   []string{"签署联合研发协议", "低温可靠性", "举行成果发布会。"},
			chrome: []string{"cookie", "延伸阅读", "相关新闻", "中欧班列", "分享", "版权所有", "希望能早日看到成果"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, err := Extract(Input{Body: readPage(t, tt.file)})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			text := a.Text()
			golden := filepath.Join("testdata", strings.TrimSuffix(tt.file, ".html")+".golden.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(text+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run with -update): %v", err)
			}
			if text+"\n" != string(want) {
				t.Errorf("text differs from %s:\n%s", golden, text)
			}
			for _, k := range tt.keep {
				if !strings.Contains(text, k) {
					t.Errorf("lost article text %q", k)
				}
			}
			for _, c := range tt.chrome {
				if strings.Contains(text, c) {
					t.Errorf("kept chrome %q", c)
				}
			}
			got := map[string]string{
				"title": a.Title, "byline": a.Byline, "lang": a.Lang, "site": a.SiteName, "canonical": a.CanonicalURL,
				"image": a.ImageURL, "published": a.Published.Format(time.RFC3339), "charset": a.Charset,
			}
			wantMeta := map[string]string{
				"title": tt.title, "byline": tt.byline, "lang": tt.lang, "site": tt.site, "canonical": tt.canonical,
				"image": tt.image, "published": tt.published, "charset": tt.charset,
			}
			for k, w := range wantMeta {
				if got[k] != w {
					t.Errorf("%s = %q, want %q", k, got[k], w)
				}
			}
			if a.Stats.BlocksKept != len(a.Blocks) || a.Stats.BlocksRemoved == 0 || a.Stats.CharsRemoved == 0 {
				t.Errorf("stats do not add up: %+v with %d blocks", a.Stats, len(a.Blocks))
			}
			for _, b := range a.Blocks {
				if b == "" || strings.ContainsAny(b, "\n\r") {
					t.Errorf("malformed block %q", b)
				}
			}
		})
	}
}

func TestExtractHTMLStructure(t *testing.T) {
	para := func(s string) string {
		return "<p>" + s + " It was the longest sentence of the day, with clauses, commas, and a full stop.</p>"
	}
	// comments returns n reader comments with class names that say
	// nothing: avatar, name, date, text.
	comments := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<div class="r-i"><img src="/u%d.png"> <b>reader%d</b> <span>12.03.2019 11:%02d</span><p>I have read this story %d times, `+
				`and I think the council should have asked the people of the harbour first, before it spent the money, as it promised, `+
				`and as everyone in the town expected it would.</p></div>`, i, i, i, i+2)
		}
		return b.String()
	}
	tests := []struct {
		name     string
		html     string
		keep     []string
		chrome   []string
		captions []string       // want exactly these captions
		title    string         // want this title when not empty
		counts   map[string]int // want each substring this many times
	}{
		{
			name: "article beside a link sidebar",
			html: `<html><body><div class="sidebar"><ul><li><a href="/a">Home</a></li><li><a href="/b">World</a></li></ul></div>` +
				`<div class="story">` + para("First point.") + para("Second point.") + para("Third point.") + `</div></body></html>`,
			keep:   []string{"First point.", "Third point."},
			chrome: []string{"Home", "World"},
		},
		{
			name: "related list and share bar inside the article container",
			html: `<html><body><article><h1>Harbour cranes</h1><div class="social-share"><a>Share</a><a>Tweet</a></div>` +
				para("The port said.") + para("Officials added.") + para("Workers replied.") +
				`<div class="related-posts"><h3>Related posts</h3><ul><li><a href="/1">Another story about cranes and ships</a></li>` +
				`<li><a href="/2">Yet another story about ports</a></li></ul></div></article></body></html>`,
			keep:   []string{"The port said.", "Workers replied."},
			chrome: []string{"Harbour cranes", "Share", "Tweet", "Related posts", "Another story"},
			title:  "Harbour cranes",
		},
		{
			name: "comments after the article",
			html: `<html><body><div id="main">` + para("Body one.") + para("Body two.") + para("Body three.") + `</div>` +
				`<div id="comments"><div class="comment-body"><p>I disagree with this article, and here is a long reason, with commas, why.</p></div></div></body></html>`,
			keep:   []string{"Body one.", "Body three."},
			chrome: []string{"I disagree"},
		},
		{
			name: "inline markup does not split or glue words",
			html: `<html><body><div class="entry-content"><p>Chip<b>makers</b> in <a href="/x">Shenzhen</a> and<br>Novosibirsk signed, it said, a deal on lithography, metrology and training.</p>` +
				para("More.") + para("Even more.") + `</div></body></html>`,
			keep: []string{"Chipmakers in Shenzhen and", "Novosibirsk signed"},
		},
		{
			name: "a list of points inside the article, one with a captioned image",
			html: `<html><body><div class="entry-content"><h3>Highlights</h3><ul>` +
				`<li><a href="/r">Here is our review of the year in one page</a></li>` +
				`<li>We have just landed <a href="/b">Bug 12</a>, which stops two copies updating at once.<ul><li>` +
				`<div class="wp-caption"><img src="/i.png"><p class="wp-caption-text">Users of several profiles will see this less often!</p></div></li></ul></li>` +
				`<li>Printing now takes page ranges with gaps in them.</li></ul>` +
				para("Later news.") + para("More news.") + para("Last news.") + `</div></body></html>`,
			keep:     []string{"review of the year", "which stops two copies", "page ranges with gaps", "Last news."},
			chrome:   []string{"Users of several profiles"},
			captions: []string{"Users of several profiles will see this less often!"},
		},
		{
			name: "an article split into sibling sections around a figure",
			html: `<html><body><div class="sidebar"><a href="/x">Home</a></div><div id="wrap">` +
				`<div class="block-a"><div><div><div><div><div class="inner">` + para("Opening part one.") + para("Opening part two.") + para("Opening part three.") + para("Opening part four.") + para("Opening part five.") +
				`</div></div></div></div></div></div>` +
				`<figure><img src="/f.jpg"><figcaption>A caption.</figcaption></figure>` +
				`<div class="block-b"><div class="inner">` + para("Middle part one.") + para("Middle part two.") + para("Middle part three.") + para("Middle part four.") + para("Middle part five.") + para("Middle part six.") + para("Middle part seven.") + `</div></div>` +
				`</div></body></html>`,
			keep:   []string{"Opening part one.", "Opening part four.", "Middle part one.", "Middle part five."},
			chrome: []string{"Home", "A caption."},
		},
		{
			name: "headline, kicker, byline, date line and captions go to fields",
			html: `<html><head><title>Port deal signed | Harbour News</title></head><body><div class="article">` +
				`<div class="kicker">Business</div><h1>Port deal signed</h1><p class="byline">By Anna Lee</p><p>July 8, 2019 at 6:01 am</p>` +
				`<figure><img src="/c.jpg"><figcaption>Cranes at the port. Photo: John Doe/Reuters</figcaption></figure>` +
				para("The port said.") + `<p>Cranes at the port. Photo: John Doe/Reuters</p>` + para("Officials added.") +
				`<p>Photo: Harbour Authority</p>` + para("Workers replied.") +
				`<figure><img src="/c.jpg"><figcaption>Cranes at the port. Photo: John Doe/Reuters</figcaption></figure>` +
				`</div></body></html>`,
			keep:     []string{"The port said.", "Officials added.", "Workers replied."},
			chrome:   []string{"Business", "Port deal signed", "Anna Lee", "July 8", "Cranes at the port", "Harbour Authority"},
			captions: []string{"Cranes at the port. Photo: John Doe/Reuters", "Photo: Harbour Authority"},
			title:    "Port deal signed",
		},
		{
			name: "a page of captions alone keeps them as its text",
			html: `<html><body><div class="gallery"><h1>Velvet and shine</h1>` +
				`<img src="/1.jpg"><div class="photo-caption"><p>A long caption of the first photo, taken in Paris in the summer, with the light of the evening.</p></div>` +
				`<img src="/2.jpg"><div class="photo-caption"><p>A long caption of the second photo, taken the next day, with the river, the bridges.</p></div>` +
				`</div></body></html>`,
			keep:   []string{"A long caption of the first photo", "A long caption of the second photo"},
			chrome: []string{"Velvet and shine"},
		},
		{
			name: "a line the article repeats stays; a pull quote copy and a repeated run go",
			html: `<html><body><div class="story">` + para("Chorus.") + para("Verse one.") + para("Chorus.") +
				`<blockquote>Verse one. It was the longest sentence of the day, with clauses, commas, and a full stop.</blockquote>` +
				para("Copy one.") + para("Copy two.") + para("Copy one.") + para("Copy two.") + `</div></body></html>`,
			keep:   []string{"Chorus.", "Verse one.", "Copy one.", "Copy two."},
			counts: map[string]int{"Chorus.": 2, "Verse one.": 1, "Copy one.": 1, "Copy two.": 1},
		},
		{
			name: "teasers of other stories cut short with an ellipsis",
			html: `<html><body><div class="story">` + para("First point.") + para("Second point.") + para("Third point.") +
				`<div class="box"><h3><a href="/a">Harbour wall repairs start</a></h3><p>Work on the old harbour wall began on Monday and will last until the spring, the council said…</p>` +
				`<h3><a href="/b">School play sells out</a></h3><p>All four nights of the school's winter play were sold out within a day of the tickets going on sale...</p></div>` +
				`</div></body></html>`,
			keep:   []string{"First point.", "Third point."},
			chrome: []string{"Harbour wall", "Work on the old harbour", "School play", "All four nights"},
		},
		{
			name: "embedded posts stay, in a figure or a social wrapper",
			html: `<html><body><div class="entry-content">` + para("First point.") + para("Second point.") +
				`<blockquote class="twitter-tweet"><p lang="en">The new bridge opens on Monday, and the first crossing is free. <a href="https://t.co/a">pic.twitter.com/a</a></p>` +
				`&mdash; City Hall (@cityhall) <a href="https://twitter.com/cityhall/status/1">March 3, 2019</a></blockquote>` +
				para("Third point.") + `<figure class="embed-twitter"><div class="social-embed"><blockquote class="twitter-tweet"><p lang="en">` +
				`Second post about the ferry timetable and the winter sailings.</p>&mdash; Port (@port) <a href="https://twitter.com/port/status/2">March 4, 2019</a></blockquote></div></figure>` +
				para("Fourth point.") + `<div class="social-share"><a href="/s">Share</a><a href="/t">Tweet</a></div></div></body></html>`,
			keep:     []string{"First point.", "The new bridge opens on Monday", "Second post about the ferry", "Fourth point."},
			chrome:   []string{"Share"},
			captions: []string{},
		},
		{
			name: "a trailing list of story links and one-link promos go; a list inside the text stays",
			html: `<html><body><div class="story">` + para("First point.") +
				`<p><strong><a href="/photos">Photos: see how the harbour changed over the years</a></strong></p>` + para("Second point.") +
				`<ul><li><a href="/bug/1">Bug 1 – the crane stops in the rain</a></li><li><a href="/bug/2">Bug 2 – the gate opens late</a></li></ul>` +
				para("Third point.") + `<p><em>More stories from the coast:</em></p>` +
				`<ul><li><a href="/a">Ferry timetable changes for winter</a></li><li><a href="/b">School play sells out</a></li></ul>` +
				`</div></body></html>`,
			keep:   []string{"First point.", "Bug 1 – the crane stops", "Bug 2", "Third point."},
			chrome: []string{"Photos: see how", "More stories from the coast", "Ferry timetable", "School play"},
		},
		{
			name: "credits, notes, a trailing date line and the author box after the article go",
			html: `<html><body><div class="story">` + para("First point.") + `<p>Jim Wilson/The New York Times</p>` + para("Second point.") +
				para("Third point.") + `<p>This story originally appeared on Harbour Weekly under another headline.</p>` +
				`<p>© 2019 Harbour News. All rights reserved.</p><p>Posted by Pukie at November 11, 2012 5:00 PM</p>` +
				`<div class="author-box"><img src="/a.jpg"><h4>About Anna Lee</h4><p>Anna Lee covers the port and the river for Harbour News, ` +
				`and before that wrote about schools and the council for ten years, with a book on ferries.</p></div></div></body></html>`,
			keep:     []string{"First point.", "Second point.", "Third point."},
			chrome:   []string{"Jim Wilson", "originally appeared", "All rights reserved", "Posted by", "covers the port", "About Anna Lee"},
			captions: []string{"Jim Wilson/The New York Times"},
		},
		{
			// The first pass strips "community" containers; the article
			// is found by a relaxed view of the same walk.
			name: "an article in a container with an unlikely class name",
			html: `<html><body><div class="nav"><a href="/">Home</a></div><div class="community-post">` + para("First point.") +
				para("Second point.") + para("Third point.") + para("Fourth point.") + para("Fifth point.") + para("Sixth point.") +
				`</div></body></html>`,
			keep:   []string{"First point.", "Sixth point."},
			chrome: []string{"Home"},
		},
		{
			name: "a page of short lines between <br>s is not empty",
			html: `<html><body><div class="top"><a href="/">Home</a> | <a href="/poems">Poems</a></div><div id="text">` +
				`The tide is in,<br>the gulls are out,<br>the boats asleep<br>and none about.<br>` +
				`The lamp is lit,<br>the kettle sings,<br>the harbour dark<br>with folded wings.</div></body></html>`,
			keep:   []string{"The tide is in,", "with folded wings."},
			chrome: []string{"Home", "Poems"},
		},
		{
			name: "an author box written as text: a label and a bio naming the author",
			html: `<html><body><div class="story">` + para("First point.") + para("Second point.") + para("Third point.") +
				`<h4>ABOUT ANNA LEE</h4><p>Anna Lee is a reporter in Harbourtown. She writes about ports, ferries and the people who work on them, ` +
				`and she has a dog.</p></div></body></html>`,
			keep:   []string{"First point.", "Third point."},
			chrome: []string{"ABOUT ANNA LEE", "Anna Lee is a reporter"},
		},
		{
			name: "a date line after the standfirst and the author's bio at the end go",
			html: `<html><head><meta name="author" content="Anna Lee"></head><body><div class="story">` +
				para("Standfirst.") + `<p>On 6/13/2018 by Anna Lee</p>` + para("First point.") + para("Second point.") +
				`<p>Anna Lee covers the port for the Harbour News. She previously wrote about ferries and fishing for ten years.</p>` +
				`</div></body></html>`,
			keep:   []string{"Standfirst.", "First point.", "Second point."},
			chrome: []string{"6/13/2018", "covers the port"},
		},
		{
			name: "a comment thread longer than the article is not the article",
			html: `<html><body><div class="a1">` + para("First point.") + para("Second point.") + para("Third point.") + `</div><div class="r">` +
				comments(20) + `</div></body></html>`,
			keep:   []string{"First point.", "Third point."},
			chrome: []string{"I have read this story", "reader", "12.03.2019"},
		},
		{
			name: "a page written as a list is not empty",
			html: `<html><body><ul class="nav"><li><a href="/">Home</a></li></ul><ol id="steps">` +
				`<li>Fill the kettle with fresh water and set it to boil on the stove.</li>` +
				`<li>Warm the pot with a little of the hot water, then pour it away.</li>` +
				`<li>Add one spoon of leaves for each cup and one more for the pot.</li></ol></body></html>`,
			keep:   []string{"Fill the kettle", "one more for the pot."},
			chrome: []string{"Home"},
		},
		{
			name: "a live blog's dated entries with headlines are the article",
			html: `<html><body><div class="live">` + para("Intro.") + para("More intro.") + para("Last intro.") + `<div class="entries">` +
				strings.Repeat(`<div class="entry"><img src="/e.jpg"> <time datetime="2019-03-12T10:32:00Z">10:32</time>`+
					`<h3>Ferry service resumes after the morning storm</h3><p>The first boat left the pier at half past ten, `+
					`with forty passengers and two cars on board, the operator said.</p></div>`, 4) + `</div></div></body></html>`,
			keep:   []string{"Intro.", "Ferry service resumes", "The first boat left the pier"},
			counts: map[string]int{"The first boat left the pier": 4},
		},
		{
			name: "a thread under its own heading, inside the article's container",
			html: `<html><body><div class="main">` + para("First point.") + para("Second point.") + para("Third point.") +
				`<div class="r"><h3>Four replies so far</h3>` + comments(4) + `</div></div></body></html>`,
			keep:   []string{"First point.", "Third point."},
			chrome: []string{"I have read this story", "reader1"},
		},
		{
			// Every rule drops the only paragraph (it is all one link):
			// the page is read as flat text rather than left empty.
			name: "a page whose only paragraph is a link is not empty",
			html: `<html><body><div class="nav"><a href="/">Home</a> <a href="/news">News</a></div><div class="note">` +
				`<p><a href="/s">The harbour will reopen on Monday after the storm, the council said in a statement.</a></p>` +
				`</div></body></html>`,
			keep:   []string{"The harbour will reopen on Monday"},
			chrome: []string{"Home", "News"},
		},
		{
			name:   "scripts, styles and hidden elements are not text",
			html:   `<html><head><style>p{color:red}</style></head><body><div>` + para("Visible.") + para("Also visible.") + `<script>var hiddenScript=1;</script><p style="display: none">Invisible words here</p><p hidden>Hidden attribute</p></div></body></html>`,
			keep:   []string{"Visible.", "Also visible."},
			chrome: []string{"hiddenScript", "color:red", "Invisible words", "Hidden attribute"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(Input{Body: []byte(tt.html)})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			text := a.Text()
			for _, k := range tt.keep {
				if !strings.Contains(text, k) {
					t.Errorf("lost %q in:\n%s", k, text)
				}
			}
			for _, c := range tt.chrome {
				if strings.Contains(text, c) {
					t.Errorf("kept %q in:\n%s", c, text)
				}
			}
			for sub, n := range tt.counts {
				if got := strings.Count(text, sub); got != n {
					t.Errorf("%q appears %d times, want %d, in:\n%s", sub, got, n, text)
				}
			}
			if tt.captions != nil && !slices.Equal(a.Captions, tt.captions) {
				t.Errorf("captions = %q, want %q", a.Captions, tt.captions)
			}
			if tt.title != "" && a.Title != tt.title {
				t.Errorf("title = %q, want %q", a.Title, tt.title)
			}
		})
	}
}

func TestExtractTextMode(t *testing.T) {
	prose := func(s string) string {
		return s + " The delegation met on Monday and agreed to continue talks about the new port terminal next spring."
	}
	tests := []struct {
		name   string
		lines  []string
		keep   []string
		chrome []string
		title  string // want this title when not empty
	}{
		{
			name: "head labels, teasers, list after a related heading",
			lines: []string{"Weather     Markets     Sport", "photo credit", "Harbour talks continue into the spring",
				prose("First."), "Also read: Ten things about cranes", prose("Second."), "Related Posts", "Crane operators win award",
				"Port expands night shifts", "0 Comments"},
			keep:   []string{"First.", "Second."},
			title:  "Harbour talks continue into the spring",
			chrome: []string{"Harbour talks continue into the spring", "Weather     Markets     Sport", "photo credit", "Also read: Ten things about cranes", "Related Posts", "Crane operators win award", "Port expands night shifts", "0 Comments"},
		},
		{
			name: "share labels and shortcodes, byline to metadata",
			lines: []string{"Share", "Tweet", "Share on Facebook", "[audio_player_btn]", "Anna Petrova", prose("Only paragraph."),
				"© 2025 Harbour Post. All Rights Reserved."},
			keep:   []string{"Only paragraph."},
			chrome: []string{"Share", "Tweet", "Share on Facebook", "[audio_player_btn]", "Anna Petrova", "© 2025 Harbour Post. All Rights Reserved."},
		},
		{
			name: "ticker and cookie notice",
			lines: []string{"ABC12.5▲ 0.3 (0.01%)DEF7.25▼ -0.1 (-0.02%)GHI3.1▲ 0.02 (0.00%)", prose("Markets."),
				"This site uses cookies to improve your experience. By continuing you accept our cookie policy."},
			keep:   []string{"Markets."},
			chrome: []string{"ABC12.5▲ 0.3 (0.01%)DEF7.25▼ -0.1 (-0.02%)GHI3.1▲ 0.02 (0.00%)", "This site uses cookies to improve your experience. By continuing you accept our cookie policy."},
		},
		{
			name: "Indonesian and Russian list headings",
			lines: []string{prose("Satu."), "Baca Juga:", "Pelabuhan baru dibuka di Surabaya", "Berita Terkait", "-",
				"Operator derek mendapat penghargaan", prose("Два."), "Читайте также", "Порт продлил ночные смены"},
			keep:   []string{"Satu.", "Два."},
			chrome: []string{"Baca Juga:", "Pelabuhan baru dibuka di Surabaya", "Berita Terkait", "-", "Operator derek mendapat penghargaan", "Читайте также", "Порт продлил ночные смены"},
		},
		{
			name:  "subheadings between paragraphs stay",
			lines: []string{prose("Intro."), "Port Capacity", prose("Capacity."), "What Comes Next", prose("Next.")},
			keep:  []string{"Port Capacity", "What Comes Next", "Capacity.", "Next."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(Input{Body: []byte(strings.Join(tt.lines, "\n")), Text: true})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			kept := map[string]bool{}
			for _, b := range a.Blocks {
				kept[b] = true
			}
			text := a.Text()
			for _, k := range tt.keep {
				if !strings.Contains(text, k) {
					t.Errorf("lost %q", k)
				}
			}
			for _, c := range tt.chrome {
				if kept[foldSpace(c)] {
					t.Errorf("kept chrome line %q", c)
				}
			}
			if tt.title != "" && a.Title != tt.title {
				t.Errorf("title = %q, want %q", a.Title, tt.title)
			}
		})
	}
}

func TestTextModeByline(t *testing.T) {
	body := "Harbour talks continue into spring\nAnna Petrova\nThe delegation met on Monday and agreed to continue talks about the new port terminal next spring, officials said.\n"
	a, err := Extract(Input{Body: []byte(body), Text: true})
	if err != nil {
		t.Fatal(err)
	}
	if a.Byline != "Anna Petrova" || a.Title != "Harbour talks continue into spring" || a.Lang != "en" {
		t.Fatalf("title %q byline %q lang %q", a.Title, a.Byline, a.Lang)
	}
}

func TestClassifyLine(t *testing.T) {
	tests := []struct {
		line string
		want chromeKind
	}{
		{"Share", chromeWidget},
		{"Share on WhatsApp", chromeWidget},
		{"12 Comments", chromeWidget},
		{"Post a Comment (3)", chromeWidget},
		{"Listen to this article", chromeWidget},
		{"Related Articles", chromeListHead},
		{"Berita Terkini", chromeListHead},
		{"相关新闻", chromeListHead},
		{"Lea también: El puerto amplía su horario", chromeTeaser},
		{"Читайте также: Порт продлил смены", chromeTeaser},
		{"We use cookies to improve our website. By continuing to browse you consent to cookies.", chromeLegal},
		{"Copyright 2024 Harbour Post", chromeLegal},
		{"Home  |  World  |  Business", chromeMenu},
		{"XYZ10.5▲ 0.2 (0.01%)QRS8.1▼ -0.3 (-0.02%)", chromeTicker},
		{"[share_buttons]", chromeJunk},
		{"Tags: ports, cranes, shipping", chromeWidget},
		{"Staff writer | Tags: ports, cranes", chromeWidget},
		{"Posted in: Business |", chromeWidget},
		{"Tags are used by shipping firms to track containers across the port, officials said on Monday.", notChrome},
		{"—", chromeJunk},
		{"The port said it would share data with its partners from next year.", notChrome},
		{"Related challenges remain for the operators of the new terminal, which opened in 2023 after long delays and cost overruns in construction.", notChrome},
		{"Cookie prices rose.", notChrome},
		{"Port Capacity", notChrome},
		{"Get the best of the coast delivered to your inbox: sign up for our daily newsletter.", chromeWidget},
		{"Story continues below advertisement", chromeWidget},
		{"The newsletter the port sends to shippers every week now reaches forty firms in three countries.", notChrome},
		{"© 2019 Harbour News", chromeLegal},
		{"This story originally appeared on Harbour Weekly.", chromeLegal},
		{"Cite this article: Lee, A. (2019). Port deal signed. Harbour News.", chromeLegal},
		{"Copying the design of the old crane took the engineers two years, the port said.", notChrome},
		{"No comments yet.", chromeWidget},
		{"Comments may be no longer than 2000 characters and will post to the site shortly after submission.", chromeWidget},
		{"Explore related topics: ports, shipping", chromeWidget},
		{"Filed under: Ports", chromeWidget},
		{"1 Comment » | Published in Ports, Shipping | 1 Comment", chromeWidget},
		{"Filed under the old rules, the claim was rejected by the port authority after a long review of the case.", notChrome},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := classifyLine(tt.line); got != tt.want {
				t.Fatalf("classifyLine(%q) = %d, want %d", tt.line, got, tt.want)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	big := make([]byte, 50<<20)
	tests := []struct {
		name string
		in   Input
		opts Options
		want error
	}{
		{"50 MB page over the default cap", Input{Body: big}, Options{}, ErrTooLarge},
		{"page over a configured cap", Input{Body: []byte("<p>" + strings.Repeat("word ", 100) + "</p>")}, Options{MaxBytes: 100}, ErrTooLarge},
		{"empty html", Input{Body: nil}, Options{}, ErrEmpty},
		{"markup without text", Input{Body: []byte("<html><body><div><img src=x></div></body></html>")}, Options{}, ErrEmpty},
		{"empty text", Input{Body: []byte("\n \n"), Text: true}, Options{}, ErrEmpty},
		{"text that is all chrome", Input{Body: []byte("Share\nTweet\n"), Text: true}, Options{}, ErrNoContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ExtractWithOptions(tt.in, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestHostileInput(t *testing.T) {
	marker := "The marker sentence, with commas, survives the hostile page and is long enough to count as a paragraph."
	tests := []struct {
		name string
		body string
	}{
		{"10000-deep div nesting", strings.Repeat("<div>", 10000) + "<p>" + marker + "</p>" + strings.Repeat("</div>", 10000)},
		{"10000-deep unclosed spans", "<p>" + strings.Repeat("<span>", 10000) + marker},
		{"giant attribute", `<div class="` + strings.Repeat("x", 4<<20) + `"><p>` + marker + `</p></div>`},
		{"giant attribute count", "<div " + strings.Repeat(`a="b" `, 200000) + "><p>" + marker + "</p></div>"},
		{"100000 siblings", strings.Repeat("<p>a</p>", 100000) + "<div><p>" + marker + "</p></div>"},
		{"giant json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"` + strings.Repeat("h", 2<<20) + `"}</script><p>` + marker + "</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(Input{Body: []byte(tt.body)})
			if err != nil && !errors.Is(err, ErrNoContent) {
				t.Fatalf("Extract: %v", err)
			}
			if a == nil {
				t.Fatal("no article")
			}
			if !strings.Contains(a.Text(), marker) && tt.name != "100000 siblings" {
				t.Fatalf("marker lost; got %.200q", a.Text())
			}
		})
	}
}

func TestExtractDir(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	files := map[string]string{
		"good.html":  string(readPage(t, "news_en.html")),
		"flat.txt":   "Share\nThe delegation met on Monday and agreed to continue talks about the new port terminal next spring, officials said.\n",
		"empty.html": "",
		"skip.json":  "{}",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(in, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := ExtractDir(context.Background(), in, out, 2)
	if err != nil {
		t.Fatalf("ExtractDir: %v", err)
	}
	if sum.Pages != 3 || sum.Failed != 1 {
		t.Fatalf("summary %+v, want 3 pages, 1 failed", sum)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatalf("missing output: %v", err)
		}
		return string(b)
	}
	if txt := read("good.txt"); !strings.Contains(txt, "signed a five-year agreement") || strings.Contains(txt, "We use cookies") {
		t.Errorf("good.txt: %.200q", txt)
	}
	if txt := read("flat.txt"); strings.Contains(txt, "Share") || !strings.Contains(txt, "delegation") {
		t.Errorf("flat.txt: %q", txt)
	}
	var meta PageMeta
	if err := json.Unmarshal([]byte(read("good.json")), &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Published != "2025-03-14T09:30:00+03:00" || meta.Title == "" || meta.Error != "" {
		t.Errorf("good.json: %+v", meta)
	}
	if err := json.Unmarshal([]byte(read("empty.json")), &meta); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(meta.Error, ErrEmpty.Error()) {
		t.Errorf("empty.json error = %q", meta.Error)
	}
	if _, err := os.Stat(filepath.Join(out, "skip.txt")); !os.IsNotExist(err) {
		t.Errorf("non-page file was extracted")
	}
	if _, err := ExtractDir(context.Background(), filepath.Join(in, "missing"), out, 1); err == nil {
		t.Error("missing input dir accepted")
	}
}

// visibleRunes returns the letters and digits of all text nodes of a page,
// in order: extraction output must be a subsequence of it. ok is false when
// the parser rejects the page (Extract then reads it with the tokenizer).
func visibleRunes(body []byte) (runes []rune, ok bool) {
	dec := decode.Decode(body, "")
	root, err := html.Parse(bytes.NewReader(dec.Text))
	if err != nil {
		return nil, false
	}
	var out []rune
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if n.Type == html.TextNode {
			for _, r := range n.Data {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					out = append(out, r)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return out, true
}

func isSubsequence(sub string, of []rune) bool {
	i := 0
	for _, r := range sub {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		for i < len(of) && of[i] != r {
			i++
		}
		if i == len(of) {
			return false
		}
		i++
	}
	return true
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte("<html><body><article><h1>T</h1><p>Para, one.</p><div class=share>Share</div></article></body></html>"), false)
	f.Add([]byte("<div><div><p>nested <b>bold <i>italic</b> text</i></p></div>"), false)
	f.Add([]byte(`<meta charset="windows-1251"><p>`+"\xcf\xf0\xe8\xe2\xe5\xf2"+`</p>`), false)
	f.Add([]byte("<script type=application/ld+json>{\"@type\":[\"NewsArticle\"],\"author\":[{\"name\":1}]}</script>"), false)
	f.Add([]byte("Share\nA long paragraph of text, with commas, that goes on for a while and ends.\nRelated Posts\nx"), true)
	f.Fuzz(func(t *testing.T, body []byte, text bool) {
		a, err := ExtractWithOptions(Input{Body: body, Text: text}, Options{MaxBytes: 1 << 20})
		if err != nil && !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrNoContent) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unexpected error %v", err)
		}
		if a == nil {
			return
		}
		for _, b := range a.Blocks {
			if b == "" || strings.ContainsAny(b, "\n") {
				t.Fatalf("malformed block %q", b)
			}
		}
		if text {
			lines := strings.Split(string(decode.Decode(body, "").Text), "\n")
			set := map[string]bool{}
			for _, l := range lines {
				set[foldSpace(l)] = true
			}
			for _, b := range a.Blocks {
				if !set[b] {
					t.Fatalf("block %q is not an input line", b)
				}
			}
			return
		}
		if runes, ok := visibleRunes(body); ok && !isSubsequence(a.Text(), runes) {
			t.Fatalf("output is not a subsequence of the page text: %q", a.Text())
		}
	})
}

// benchPages runs fn on each benchmark page. Besides the wall time it
// reports cpu-ns/op, the process CPU time per page (garbage collection
// included), which the speed target is stated in and which other
// load on the machine does not inflate.
func benchPages(b *testing.B, fn func(b *testing.B, body []byte)) {
	for _, name := range []string{"news_en.html", "news_ru_cp1251.html", "news_zh_gbk.html"} {
		body := readPage(b, name)
		b.Run(strings.TrimSuffix(name, ".html"), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			cpu0 := processCPU()
			fn(b, body)
			if cpu := processCPU() - cpu0; cpu > 0 && b.N > 0 {
				b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkExtract measures a whole extraction: decoding, parsing,
// content selection and metadata.
func BenchmarkExtract(b *testing.B) {
	benchPages(b, func(b *testing.B, body []byte) {
		for b.Loop() {
			if _, err := Extract(Input{Body: body}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeParse is the floor Extract is compared with: decoding
// and parsing the page, nothing else.
func BenchmarkDecodeParse(b *testing.B) {
	benchPages(b, func(b *testing.B, body []byte) {
		for b.Loop() {
			dec := decode.Decode(body, "")
			if _, err := html.Parse(bytes.NewReader(dec.Text)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
