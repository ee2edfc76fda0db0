package main

import (
	"fmt"
	"html"
	"strings"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
)

// page renders article i of host h as a news page of real size: the mean
// of human-labelled 2019 news pages is about 170 KB, most of it chrome
// (inline styles and scripts, menus, related stories, comments, footer)
// around an article of a few kilobytes. Every page differs in its text.
func page(h, i, targetKB int) string {
	title := fmt.Sprintf("%s council approves plan %d for %s", places[(h+i)%len(places)], i, subjects[i%len(subjects)])
	var b strings.Builder
	b.Grow(targetKB << 10)
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + html.EscapeString(title) + ` | Coastal Courier</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta property="og:type" content="article">
<meta property="article:published_time" content="2026-12-01T08:00:00Z">
<style>`)
	for k := range 220 { // about 15 KB of site CSS
		fmt.Fprintf(&b, ".c%d{margin:%dpx;padding:%dpx 4px;color:#%06x;font:14px/1.4 Georgia,serif}\n", k, k%17, k%9, (k*2654435761)&0xffffff)
	}
	b.WriteString("</style>\n")
	b.WriteString(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"` + html.EscapeString(title) + `","author":{"@type":"Person","name":"Staff"}}</script>` + "\n<script>")
	for k := range 700 { // about 45 KB of inline bundle
		fmt.Fprintf(&b, "var m%d=function(a,b){return a*%d+b|0};window.q=window.q||[];q.push([%d,'ev%d']);\n", k, k, k, k)
	}
	b.WriteString("</script>\n</head><body class=\"c1\"><div id=\"cookie\">We use cookies to improve your experience. <button>Accept</button></div>\n<header><nav><ul>")
	for k := range 260 { // section menu
		fmt.Fprintf(&b, `<li class="c%d"><a href="/section/%d">Section %d</a></li>`, k%220, k, k)
	}
	b.WriteString("</ul></nav><div class=\"ticker\">")
	for k := range 40 {
		fmt.Fprintf(&b, "<span>IDX%d %d.%02d (+%d.%d%%)</span> ", k, 1000+k*37, k%100, k%3, k%10)
	}
	b.WriteString("</div></header>\n<main><article><h1>" + html.EscapeString(title) + "</h1><p class=\"byline\">By Coastal Courier staff</p>\n")
	for p := range 9 { // the article: about 5 KB
		b.WriteString("<p>")
		for s := range 3 {
			k := (i*11 + h*5 + p*3 + s*7) % len(sentences)
			fmt.Fprintf(&b, sentences[k]+" ", places[(h+i+p)%len(places)], subjects[(i+s)%len(subjects)], 40+(i*13+p*7+s)%900, 1990+(i+p)%30, 5+(i+s)%20)
		}
		b.WriteString("</p>\n")
	}
	b.WriteString("<figure><img src=\"/img/" + fmt.Sprint(i) + ".jpg\" alt=\"\"><figcaption>The harbour at dawn. Photo: Courier archive</figcaption></figure>\n")
	b.WriteString("<div class=\"share\"><a href=\"#\">Share</a> <a href=\"#\">Tweet</a> <a href=\"#\">Email</a></div></article>\n<aside><h2>More stories</h2><ul>")
	for k := range 45 {
		fmt.Fprintf(&b, `<li><a href="/a/%d.html">%s: what the %s means for %s</a><p>%s…</p></li>`,
			(i+k+1)%100000, places[k%len(places)], subjects[k%len(subjects)], places[(k+3)%len(places)], sentences[k%len(sentences)][:60])
	}
	b.WriteString("</ul></aside>\n<section id=\"comments\"><h2>Comments</h2>")
	for k := range 30 {
		fmt.Fprintf(&b, `<div class="comment"><span class="author">reader%d</span> <time>%d hours ago</time><p>I have lived in %s for %d years and %s was always a problem. Reply · Like %d</p></div>`,
			k, k+1, places[k%len(places)], 5+k, subjects[(k+i)%len(subjects)], k*3)
	}
	b.WriteString("</section></main>\n<footer><ul>")
	for b.Len() < (targetKB<<10)-600 { // footer links fill the page to its size
		n := b.Len()
		fmt.Fprintf(&b, `<li><a href="/about/%d">About us %d</a> <a href="/contact/%d">Contact</a> <a href="/terms/%d">Terms</a></li>`, n, n%97, n, n)
	}
	b.WriteString("</ul><p>© 2026 Coastal Courier. All rights reserved.</p>")
	b.WriteString(`<svg width="16" height="16" viewBox="0 0 16 16"><path d="M1 1h14v14H1z"/></svg><img src="/pixel.gif?a=` + fmt.Sprint(i) + `" width="1" height="1" alt=""></footer></body></html>`)
	return b.String()
}

// The words of the off-beat filler stories, shared with the fault suite.
var places, subjects, sentences = demosite.FillerPlaces, demosite.FillerSubjects, demosite.FillerSentences
