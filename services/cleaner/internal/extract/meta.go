package extract

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/newspipe/newspipe/pkg/langid"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page says about itself.
type pageMeta struct {
	pageURL   *url.URL
	htmlLang  string
	docTitle  string
	values    map[string]string // meta name/property/itemprop (lower-cased) -> content, first wins
	canonical string
	ld        ldArticle
	h1        []string
	h2        []string
	bylineDOM string
	timeDOM   string
}

// ldArticle is the article object of a page's JSON-LD.
type ldArticle struct {
	found                  bool
	headline, name         string
	author                 string
	published, modified    string
	publisher, image       string
	url, description, lang string
}

// collectMeta reads the page's metadata from cands, the page's elements
// that can carry it, in document order (see selectors). One pass over the
// candidates keeps the old walk's "first in document order wins" rules;
// the tag switch only spares the selectors that cannot match.
func collectMeta(sel *selectors, cands *goquery.Selection, pageURL string) *pageMeta {
	m := &pageMeta{values: make(map[string]string, 32)}
	if u, err := url.Parse(pageURL); err == nil && u.Host != "" {
		m.pageURL = u
	}
	cands.Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		switch n.DataAtom {
		case atom.Html:
			if m.htmlLang == "" && sel.htmlRoot(n) {
				m.htmlLang = firstNonEmpty(s.AttrOr("lang", ""), s.AttrOr("xml:lang", ""))
			}
		case atom.Title:
			if m.docTitle == "" && sel.title(n) {
				m.docTitle = foldSpace(nodeText(n))
			}
		case atom.Meta:
			if sel.meta(n) {
				m.meta(n)
			}
			return
		case atom.Link:
			if m.canonical == "" && sel.canonical(n) {
				m.canonical = strings.TrimSpace(s.AttrOr("href", ""))
			}
		case atom.Script:
			if !m.ld.found && sel.jsonLD(n) && n.FirstChild != nil {
				m.jsonLD(n.FirstChild.Data)
			}
		case atom.H1:
			if sel.headline(n) {
				if t := foldSpace(nodeText(n)); t != "" {
					m.h1 = append(m.h1, t)
				}
			}
		case atom.H2:
			if len(m.h2) < 20 && sel.subhead(n) {
				if t := foldSpace(nodeText(n)); t != "" {
					m.h2 = append(m.h2, t)
				}
			}
		case atom.Time:
			if m.timeDOM == "" && sel.timeDatetime(n) {
				m.timeDOM = s.AttrOr("datetime", "")
			}
		}
		if sel.itempropDate(n) || sel.itempropHead(n) {
			m.itemprop(n)
		}
		if m.bylineDOM == "" && sel.byline(n) {
			m.byline(sel, s)
		}
	})
	return m
}

// nodeText returns the text of a subtree, skipping scripts and styles.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node, int)
	f = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Br, atom.P, atom.Div, atom.Li:
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c, depth+1)
		}
	}
	f(n, 0)
	return b.String()
}

func (m *pageMeta) set(key, val string) {
	val = strings.TrimSpace(val)
	if key == "" || val == "" {
		return
	}
	if _, ok := m.values[key]; !ok {
		m.values[key] = val
	}
}

// meta records a <meta> tag under each of its name, property and itemprop
// keys, lower-cased, with "dc." spelled "dc:".
func (m *pageMeta) meta(n *html.Node) {
	content := attr(n, "content")
	if content == "" {
		if attr(n, "http-equiv") != "" || attr(n, "charset") != "" {
			return
		}
	}
	for _, k := range [...]string{"property", "name", "itemprop"} {
		v := attr(n, k)
		if v == "" {
			continue
		}
		for _, key := range strings.Fields(v) {
			key = lowerASCII(key)
			key = strings.Replace(key, "dc.", "dc:", 1)
			key = strings.Replace(key, "dcterms.", "dcterm:", 1)
			key = strings.Replace(key, "dcterm.", "dcterm:", 1)
			m.set(key, content)
		}
	}
	if lowerASCII(attr(n, "http-equiv")) == "content-language" {
		m.set("content-language", content)
	}
}

// itemprop records microdata dates and headlines on ordinary elements;
// <meta itemprop> is read by meta.
func (m *pageMeta) itemprop(n *html.Node) {
	if n.DataAtom == atom.Meta {
		return
	}
	for _, prop := range strings.Fields(attr(n, "itemprop")) {
		switch prop {
		case "datePublished", "dateModified", "dateCreated":
			v := attr(n, "datetime")
			if v == "" {
				v = attr(n, "content")
			}
			if v == "" {
				v = foldSpace(nodeText(n))
			}
			m.set("itemprop:"+lowerASCII(prop), v)
		case "headline":
			m.set("itemprop:headline", foldSpace(nodeText(n)))
		}
	}
}

// byline considers one author element (rel=author, itemprop=author, or a
// byline/author class): the name of a microdata author item, else the
// element's text when it is short.
func (m *pageMeta) byline(sel *selectors, s *goquery.Selection) {
	n := s.Get(0)
	if sel.notByline(n) {
		return
	}
	if sel.bylineItem(n) {
		if nm := s.FindMatcher(sel.itempropName).First(); nm.Length() > 0 {
			v := strings.TrimSpace(nm.AttrOr("content", ""))
			if v == "" {
				v = foldSpace(nodeText(nm.Get(0)))
			}
			if v != "" {
				m.bylineDOM = v
				return
			}
		}
	}
	t := foldSpace(nodeText(n))
	if t != "" && utf8.RuneCountInString(t) < 100 {
		m.bylineDOM = t
	}
}

// jsonLD reads an application/ld+json script for an article object.
func (m *pageMeta) jsonLD(src string) {
	if m.ld.found || len(src) > 1<<20 {
		return
	}
	src = strings.TrimSpace(src)
	for _, w := range [...][2]string{{"<![CDATA[", "]]>"}, {"//<![CDATA[", "//]]>"}, {"<!--", "-->"}} {
		if strings.HasPrefix(src, w[0]) {
			src = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(src, w[0])), w[1]))
		}
	}
	src = strings.TrimSuffix(src, ";")
	var v any
	if err := json.Unmarshal([]byte(src), &v); err != nil {
		return
	}
	m.findLD(v, 0)
}

func (m *pageMeta) findLD(v any, depth int) {
	if m.ld.found || depth > 6 {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			m.findLD(x, depth+1)
		}
	case map[string]any:
		if isArticleType(t["@type"]) {
			m.ld = ldArticle{
				found:       true,
				headline:    ldString(t["headline"]),
				name:        ldString(t["name"]),
				author:      ldNames(t["author"]),
				published:   ldString(t["datePublished"]),
				modified:    ldString(t["dateModified"]),
				publisher:   ldNames(t["publisher"]),
				image:       ldURL(t["image"]),
				url:         ldString(t["url"]),
				description: ldString(t["description"]),
				lang:        ldString(t["inLanguage"]),
			}
			if m.ld.url == "" {
				m.ld.url = ldURL(t["mainEntityOfPage"])
			}
			return
		}
		if g, ok := t["@graph"]; ok {
			m.findLD(g, depth+1)
		}
		if me, ok := t["mainEntity"]; ok {
			m.findLD(me, depth+1)
		}
	}
}

// isArticleType matches schema.org types of articles.
func isArticleType(v any) bool {
	switch t := v.(type) {
	case string:
		switch t {
		case "Article", "AdvertiserContentArticle", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
			"BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "Report",
			"SatiricalArticle", "ScholarlyArticle", "MedicalScholarlyArticle", "SocialMediaPosting", "BlogPosting",
			"LiveBlogPosting", "DiscussionForumPosting", "TechArticle", "APIReference":
			return true
		}
	case []any:
		for _, x := range t {
			if isArticleType(x) {
				return true
			}
		}
	}
	return false
}

func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(html.UnescapeString(t))
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	case map[string]any:
		if s := ldString(t["@value"]); s != "" {
			return s
		}
	}
	return ""
}

// ldNames joins the names of a person, organisation, or list of them.
func ldNames(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		return ldString(t["name"])
	case []any:
		var names []string
		for _, x := range t {
			if s := ldNames(x); s != "" {
				names = append(names, s)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func ldURL(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		if s := ldString(t["url"]); s != "" {
			return s
		}
		return ldString(t["@id"])
	case []any:
		if len(t) > 0 {
			return ldURL(t[0])
		}
	}
	return ""
}

// first returns the first non-empty value among keys.
func (m *pageMeta) first(keys ...string) string {
	for _, k := range keys {
		if v := m.values[k]; v != "" {
			return v
		}
	}
	return ""
}

// apply fills the Article's metadata.
func (m *pageMeta) apply(a *Article) {
	a.Title = m.title()
	a.SiteName = firstNonEmpty(m.ld.publisher, m.first("og:site_name", "application-name", "twitter:site"))
	if a.SiteName == m.ld.publisher && m.first("og:site_name") != "" {
		a.SiteName = m.first("og:site_name")
	}
	if a.SiteName == "" {
		a.SiteName = m.siteFromTitle(a.Title)
	}
	if a.SiteName == "" {
		// <meta name=author> naming what the <title> appends to the
		// headline is the site ("Headline_Channel_Site").
		if au := cleanByline(m.first("author")); au != "" && m.titleTail(au) {
			a.SiteName = au
		}
	}
	a.Title = m.trimSiteName(a.Title, a.SiteName)
	a.Byline = m.bylineValue(a.SiteName)
	a.Description = firstNonEmpty(m.ld.description, m.first("og:description", "description", "twitter:description", "dc:description"))
	a.CanonicalURL = m.resolve(firstNonEmpty(m.canonical, m.first("og:url"), m.ld.url))
	if a.CanonicalURL == "" && m.pageURL != nil {
		a.CanonicalURL = m.pageURL.String()
	}
	if m.pageURL == nil && a.CanonicalURL != "" {
		// Without the fetch URL, relative links resolve against the
		// page's own absolute canonical URL.
		if u, err := url.Parse(a.CanonicalURL); err == nil && u.IsAbs() {
			m.pageURL = u
		}
	}
	a.ImageURL = m.resolve(firstNonEmpty(m.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"), m.ld.image))
	a.Published = m.published(a.CanonicalURL)
	a.Modified = parseTime(firstNonEmpty(m.ld.modified, m.first("article:modified_time", "og:updated_time", "itemprop:datemodified", "dateModified", "datemodified", "dcterm:modified", "last-modified")))
	a.Lang = m.language(a)
}

// trimSiteName cuts the site's name, and the section names before it,
// off a title that ends with them ("Headline_Section_Site",
// "Headline :: Site") when the page's <h1> is the rest: meta titles
// often carry the <title>'s suffix.
func (m *pageMeta) trimSiteName(title, site string) string {
	if site == "" || len(title) <= len(site) {
		return title
	}
	parts := splitTitleParts(title)
	if len(parts) < 2 || !strings.EqualFold(parts[len(parts)-1], site) {
		return title
	}
	for _, h := range m.h1 {
		if strings.EqualFold(foldSpace(h), parts[0]) {
			return parts[0]
		}
	}
	return title
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func (m *pageMeta) resolve(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if m.pageURL != nil {
		u = m.pageURL.ResolveReference(u)
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

// title picks the article title: structured metadata first (JSON-LD
// headline, Dublin Core, OpenGraph, Twitter), then the document <title>
// with the site name cut off, checked against the page's <h1>.
func (m *pageMeta) title() string {
	t := firstNonEmpty(m.ldTitle(), m.first("dc:title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title", "title", "twitter:title", "parsely-title"))
	if t == "" {
		t = m.stripSiteSuffix(foldSpace(html.UnescapeString(m.docTitleClean())))
	}
	if t == "" {
		// No <title> either: the microdata headline, or the page's only
		// <h1>.
		t = m.values["itemprop:headline"]
		if t == "" && len(m.h1) == 1 {
			t = m.h1[0]
		}
	}
	return foldSpace(html.UnescapeString(t))
}

// isHardTitleSep reports characters that separate a title from the
// site's name and section in a <title> wherever they stand:
// "Headline | Site", "Headline_Section_Site" (Chinese portals),
// "Headline :: Site", "Site » Headline".
func isHardTitleSep(r rune) bool {
	return strings.ContainsRune("|_·•»«~>\\", r)
}

// isSoftTitleSep reports characters that separate title parts only with
// spaces around them: "Headline - Site", not "Covid-19".
func isSoftTitleSep(r rune) bool {
	return strings.ContainsRune("-–—:/", r)
}

// leadsWithTitleSep reports whether s, the rest of a <title> after the
// headline, starts with a separator; tail is the rest before the headline,
// read from its end.
func leadsWithTitleSep(s string, tail bool) bool {
	t := strings.TrimSpace(s)
	if t == "" {
		return false
	}
	r, edge, spaced := firstRune(t), s[0] == ' ', len(t) > 1 && t[len(string(firstRune(t)))] == ' '
	if tail {
		r, edge = lastRune(t), s[len(s)-1] == ' '
		_, size := utf8.DecodeLastRuneInString(t)
		spaced = len(t) > size && t[len(t)-size-1] == ' '
	}
	return isHardTitleSep(r) || isSoftTitleSep(r) && edge && (spaced || len(t) == 1) ||
		r == ':' && !tail // "Headline: Site" and "Headline:: Site"
}

// siteFromTitle returns the site's name from a <title> that is the
// article title plus separators and names ("Headline_Section_Site"): the
// last name, or the first when the title comes last. It returns "" when
// the <title> is not built that way.
func (m *pageMeta) siteFromTitle(title string) string {
	dt := foldSpace(html.UnescapeString(m.docTitle))
	if title == "" || len(title) >= len(dt) {
		return ""
	}
	var rest string
	first := false
	switch {
	case strings.HasPrefix(dt, title) && leadsWithTitleSep(dt[len(title):], false):
		rest = dt[len(title):]
	case strings.HasSuffix(dt, title) && leadsWithTitleSep(dt[:len(dt)-len(title)], true):
		rest, first = dt[:len(dt)-len(title)], true
	default:
		return ""
	}
	clean := splitTitleParts(rest)
	if len(clean) == 0 {
		return ""
	}
	site := clean[len(clean)-1]
	if first {
		site = clean[0]
	}
	if utf8.RuneCountInString(site) > 40 || len(strings.Fields(site)) > 5 {
		return ""
	}
	return site
}

// titleTail reports whether name is one of the parts the <title> has
// after its first (the headline's): a channel or the site's name.
func (m *pageMeta) titleTail(name string) bool {
	parts := splitTitleParts(foldSpace(html.UnescapeString(m.docTitle)))
	for _, p := range parts[min(1, len(parts)):] {
		if strings.EqualFold(p, name) {
			return true
		}
	}
	return false
}

// splitTitleParts splits what a <title> has besides the headline into its
// names: hard separators split anywhere, soft ones only as words of their
// own ("Сибирь-Тех" stays one name).
func splitTitleParts(s string) []string {
	var (
		parts []string
		cur   strings.Builder
	)
	flush := func() {
		if t := strings.Trim(cur.String(), " -–—:/"); t != "" {
			parts = append(parts, t)
		}
		cur.Reset()
	}
	for _, w := range strings.Fields(s) {
		if strings.IndexFunc(w, func(r rune) bool { return !isHardTitleSep(r) && !isSoftTitleSep(r) }) < 0 {
			flush()
			continue
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		for _, r := range w {
			if isHardTitleSep(r) {
				flush()
				continue
			}
			cur.WriteRune(r)
		}
	}
	flush()
	return parts
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// stripSiteSuffix cuts a " | Site" or " - Site" tail off a title when the
// part before it is, word for word, the title another source gives (the
// <h1>, another meta title): the sources agree on the title and the tail is
// the site's name.
func (m *pageMeta) stripSiteSuffix(t string) string {
	last := -1
	for i := 0; i < len(t); i++ {
		if ok, _ := isTitleSep(t, i); ok {
			last = i
		}
	}
	if last <= 0 {
		return t
	}
	prefix := strings.TrimSpace(t[:last-1])
	if len(strings.Fields(prefix)) < 2 {
		return t
	}
	others := append([]string{m.ld.headline, m.ld.name, m.values["og:title"], m.values["twitter:title"],
		m.values["itemprop:headline"], m.values["parsely-title"]}, m.h1...)
	for _, o := range others {
		if strings.EqualFold(foldSpace(html.UnescapeString(o)), prefix) {
			return prefix
		}
	}
	return t
}

// ldTitle returns the JSON-LD headline or name; when both are given and
// differ, the one that matches the document title.
func (m *pageMeta) ldTitle() string {
	if !m.ld.found {
		return ""
	}
	h, n := m.ld.headline, m.ld.name
	if h != "" && n != "" && h != n {
		// Both given and different: the name, unless only the headline
		// matches the document title.
		dt := m.docTitleClean()
		if similarity(h, dt) > 0.75 && similarity(n, dt) <= 0.75 {
			return h
		}
		return n
	}
	return firstNonEmpty(h, n)
}

// similarity is the share of b's words (by length) that a also has.
func similarity(a, b string) float64 {
	ta := wordsOf(strings.ToLower(a))
	tb := wordsOf(strings.ToLower(b))
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	in := map[string]bool{}
	for _, w := range ta {
		in[w] = true
	}
	total, missing := 0, 0
	for _, w := range tb {
		total += len(w) + 1
		if !in[w] {
			missing += len(w) + 1
		}
	}
	return 1 - float64(missing)/float64(total)
}

func wordsOf(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func isTitleSep(s string, i int) (bool, bool) {
	// A separator is one of | - \ / > » surrounded by spaces; the last four
	// are hierarchical (breadcrumbs).
	if i == 0 || i+2 > len(s) || s[i-1] != ' ' {
		return false, false
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if i+size >= len(s) || s[i+size] != ' ' {
		return false, false
	}
	switch r {
	case '|', '-', '–', '—':
		return true, false
	case '\\', '/', '>', '»':
		return true, true
	}
	return false, false
}

// docTitleClean cuts the site name off the document <title>.
func (m *pageMeta) docTitleClean() string {
	orig := m.docTitle
	cur := orig
	hierarchical := false
	lastSep, firstSepEnd := -1, -1
	for i := 0; i < len(orig); i++ {
		if ok, h := isTitleSep(orig, i); ok {
			if lastSep < 0 {
				_, size := utf8.DecodeRuneInString(orig[i:])
				firstSepEnd = i + size
			}
			lastSep = i
			hierarchical = hierarchical || h
		}
	}
	switch {
	case lastSep > 0:
		cur = orig[:lastSep-1]
		if len(strings.Fields(cur)) < 3 {
			cur = orig[firstSepEnd:]
		}
	case strings.Contains(cur, ": "):
		match := false
		for _, h := range append(m.h1, m.h2...) {
			if h == strings.TrimSpace(cur) {
				match = true
				break
			}
		}
		if !match {
			cur = orig[strings.LastIndex(orig, ":")+1:]
			if len(strings.Fields(cur)) < 3 {
				cur = orig[strings.Index(orig, ":")+1:]
			} else if len(strings.Fields(orig[:strings.Index(orig, ":")])) > 5 {
				cur = orig
			}
		}
	case len(cur) > 150 || len(cur) < 15:
		if len(m.h1) == 1 {
			cur = m.h1[0]
		}
	}
	cur = foldSpace(cur)
	n := len(strings.Fields(cur))
	if n <= 4 {
		stripped := strings.Map(func(r rune) rune {
			switch r {
			case '|', '-', '\\', '/', '>', '»':
				return -1
			}
			return r
		}, orig)
		if !hierarchical || n != len(strings.Fields(stripped))-1 {
			cur = orig
		}
	}
	return cur
}

// bylineValue picks the author line.
// Structured authors (JSON-LD, meta tags) come first, the page's byline
// element after them; an author that is a URL or the site's own name (as
// Chinese portals put in <meta name=author>) yields to the next source
// and is the answer only when no source names a person.
func (m *pageMeta) bylineValue(site string) string {
	fallback := ""
	for _, raw := range [...]string{m.ld.author,
		m.first("dc:creator", "dcterm:creator", "author", "parsely-author", "article:author", "byl", "sailthru.author"),
		m.bylineDOM} {
		if strings.HasPrefix(strings.TrimSpace(raw), "http") {
			continue
		}
		b := cleanByline(raw)
		if b == "" {
			continue
		}
		if site != "" && strings.EqualFold(b, site) {
			fallback = firstNonEmpty(fallback, b)
			continue
		}
		return b
	}
	return fallback
}

// published finds the publication time: JSON-LD, then meta tags, then
// microdata and <time>, then a date in the URL path.
func (m *pageMeta) published(canonical string) time.Time {
	for _, v := range [...]string{
		m.ld.published,
		m.first("article:published_time", "parsely-pub-date", "og:article:published_time", "og:published_time",
			"itemprop:datepublished", "datepublished", "pubdate", "publishdate", "publish-date", "publication_date",
			"sailthru.date", "dc:date", "dc:date.issued", "dcterm:created", "dcterm:issued", "date", "citation_publication_date",
			"article.published", "published_time", "weibo:article:create_at"),
		m.timeDOM,
	} {
		if t := parseTime(v); !t.IsZero() {
			return t
		}
	}
	for _, u := range [...]string{canonical, urlString(m.pageURL)} {
		if t := dateFromURL(u); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

// parseTime parses the date formats found in page metadata, keeping the
// stated zone; a time without zone is taken as UTC.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	for _, layout := range [...]string{
		time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z07:00",
		"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -07:00", "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05",
		"2006-01-02 15:04", "2006-01-02", "2006/01/02 15:04:05", "2006/01/02", "20060102", "20060102150405",
		time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
		"Mon Jan 2 2006 15:04:05 GMT-0700", "January 2, 2006", "Jan 2, 2006", "2 January 2006", "02.01.2006", "02.01.2006 15:04",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// dateFromURL finds /YYYY/MM/DD/ or /YYYY-MM-DD in a URL path.
func dateFromURL(u string) time.Time {
	if u == "" {
		return time.Time{}
	}
	p := u
	if pu, err := url.Parse(u); err == nil {
		p = pu.Path
	}
	for i := 0; i+10 <= len(p); i++ {
		if p[i] != '/' && p[i] != '-' && p[i] != '_' {
			continue
		}
		s := p[i+1:]
		if len(s) < 10 {
			break
		}
		y, ok1 := digits(s[0:4])
		sep := s[4]
		if !ok1 || (sep != '/' && sep != '-') || y < 1995 || y > 2100 {
			continue
		}
		mo, ok2 := digits(s[5:7])
		if !ok2 || s[7] != sep {
			continue
		}
		dd, ok3 := digits(s[8:10])
		if !ok3 || mo < 1 || mo > 12 || dd < 1 || dd > 31 {
			continue
		}
		return time.Date(y, time.Month(mo), dd, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// language returns the article's language: the declared one (html lang,
// Content-Language, og:locale, JSON-LD) unless the text says otherwise with
// confidence, else the detected one.
func (m *pageMeta) language(a *Article) string {
	declared := primaryLang(firstNonEmpty(m.htmlLang, m.first("content-language", "og:locale", "dc:language", "language"), m.ld.lang))
	sample := textSample(a.Blocks, 16<<10)
	if len(sample) < 200 {
		sample = a.Title + "\n" + a.Description + "\n" + sample
	}
	detected, conf := langid.Detect(sample)
	switch {
	case declared == "":
		return detected
	case detected == "" || detected == declared:
		return declared
	case conf >= 0.6 && !relatedLang(declared, detected):
		// The template declares one language and the article is in
		// another: trust the text.
		return detected
	}
	return declared
}

// textSample returns the first blocks joined with "\n", about max bytes
// of them: the language detector reads no more than that (16 KiB), and
// joining a long article whole costs a copy of it.
func textSample(blocks []string, max int) string {
	n := 0
	for i, b := range blocks {
		n += len(b) + 1
		if n > max {
			return strings.Join(blocks[:i+1], "\n")
		}
	}
	return strings.Join(blocks, "\n")
}

// relatedLang reports languages the detector confuses with each other, for
// which the declaration wins.
func relatedLang(a, b string) bool {
	pair := func(x, y string) bool { return a == x && b == y || a == y && b == x }
	return pair("id", "ms") || pair("no", "da") || pair("nb", "no") || pair("sr", "hr") || pair("bs", "hr") ||
		pair("ca", "es") || pair("gl", "pt")
}

// primaryLang lower-cases the primary subtag of a language tag ("en-US",
// "pt_BR" -> "en", "pt").
func primaryLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	tag = lowerASCII(tag)
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	for i := 0; i < len(tag); i++ {
		if tag[i] < 'a' || tag[i] > 'z' {
			return ""
		}
	}
	return tag
}
