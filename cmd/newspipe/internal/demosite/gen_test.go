package demosite

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The generator: testdata/src (article sources and one template per outlet)
// → site/pages/**, site/pages.json and expected.json. The outputs are
// committed and embedded; TestGeneratedSite fails when they are stale and
// rewrites them with -update.

var update = flag.Bool("update", false, "rewrite site/pages, site/pages.json and expected.json from testdata/src")

const (
	srcArticles  = "testdata/src/articles"
	srcTemplates = "testdata/src/templates"
)

// srcArticle is one parsed article source file.
type srcArticle struct {
	file     string
	meta     map[string]string
	comments []srcComment
	body     string
	outlet   *outlet
	pub, upd time.Time
}

type srcComment struct {
	Author, Date, Text, Initial string
	Likes                       int
}

// parseArticle reads "key: value" lines up to a line "---", then the body.
// "comment:" may repeat: "author | date | text | likes".
func parseArticle(name string, b []byte) (*srcArticle, error) {
	a := &srcArticle{file: name, meta: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	inBody := false
	var body strings.Builder
	for sc.Scan() {
		line := sc.Text()
		if inBody {
			body.WriteString(line)
			body.WriteByte('\n')
			continue
		}
		if strings.TrimSpace(line) == "---" {
			inBody = true
			continue
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s: front matter line without colon: %q", name, line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "comment" {
			parts := strings.Split(v, "|")
			if len(parts) != 4 {
				return nil, fmt.Errorf("%s: comment needs author | date | text | likes: %q", name, v)
			}
			likes, err := strconv.Atoi(strings.TrimSpace(parts[3]))
			if err != nil {
				return nil, fmt.Errorf("%s: comment likes: %w", name, err)
			}
			author := strings.TrimSpace(parts[0])
			a.comments = append(a.comments, srcComment{
				Author:  author,
				Date:    strings.TrimSpace(parts[1]),
				Text:    strings.TrimSpace(parts[2]),
				Likes:   likes,
				Initial: string([]rune(author)[:1]),
			})
			continue
		}
		if _, dup := a.meta[k]; dup {
			return nil, fmt.Errorf("%s: duplicate key %q", name, k)
		}
		a.meta[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	a.body = body.String()
	for _, k := range []string{"path", "published", "author", "section", "headline", "description", "category", "guid"} {
		if a.meta[k] == "" {
			return nil, fmt.Errorf("%s: missing %q", name, k)
		}
	}
	var err error
	if a.pub, err = time.Parse(time.RFC3339, a.meta["published"]); err != nil {
		return nil, fmt.Errorf("%s: published: %w", name, err)
	}
	a.upd = a.pub
	if u := a.meta["updated"]; u != "" {
		if a.upd, err = time.Parse(time.RFC3339, u); err != nil {
			return nil, fmt.Errorf("%s: updated: %w", name, err)
		}
	}
	return a, nil
}

func (a *srcArticle) list(key string) []string {
	var out []string
	for _, s := range strings.Split(a.meta[key], ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (a *srcArticle) flag(key string) bool { return a.meta[key] == "true" }

// link is a related-story link as templates see it.
type link struct {
	URL, Headline, Date, Section string
}

// tplData is what an outlet template renders.
type tplData struct {
	Outlet       *outlet
	Base         string
	URL, Path    string
	Headline     string
	Title        string
	Description  string
	Standfirst   string
	Author       string
	Section      string
	Tags         []string
	Kicker       string
	PublishedISO string
	UpdatedISO   string
	Date         string
	UpdatedDate  string
	Updated      bool
	Image        string
	Caption      string
	Body         template.HTML
	JSONLD       template.JS
	BreadcrumbLD template.JS
	Related      []link
	Latest       []link
	Comments     []srcComment
	Feeds        []Source
	ArticleID    string
	WordCount    int
	ReadMinutes  int
	Year         int
}

var inlineLink = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)

// escapeText escapes s for an HTML text node. Quotes are left alone, as
// most publishing systems do; html.EscapeString would turn them into
// entities that no real article body carries.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// renderInline escapes a paragraph and turns [text](href) into links;
// hrefs starting with "/" are made absolute under Placeholder.
func renderInline(s string) string {
	var out strings.Builder
	last := 0
	for _, m := range inlineLink.FindAllStringSubmatchIndex(s, -1) {
		out.WriteString(escapeText(s[last:m[0]]))
		text, href := s[m[2]:m[3]], s[m[4]:m[5]]
		if strings.HasPrefix(href, "/") {
			href = Placeholder + href
		}
		fmt.Fprintf(&out, `<a href="%s">%s</a>`, html.EscapeString(href), escapeText(text))
		last = m[1]
	}
	out.WriteString(escapeText(s[last:]))
	return out.String()
}

// renderBody turns the body markup into HTML with the outlet's own
// paragraph, heading, quote, inline read-also and ad markup.
func renderBody(tpl *template.Template, a *srcArticle, related []link) (template.HTML, int, error) {
	var out bytes.Buffer
	words := 0
	blocks := strings.Split(strings.TrimSpace(a.body), "\n\n")
	readAlso := 0
	for _, blk := range blocks {
		blk = strings.TrimSpace(strings.ReplaceAll(blk, "\n", " "))
		if blk == "" {
			continue
		}
		var name string
		var data any
		switch {
		case blk == "[[readalso]]":
			name = "readalso"
			if len(related) == 0 {
				return "", 0, fmt.Errorf("%s: [[readalso]] with no related pages", a.file)
			}
			data = related[readAlso%len(related)]
			readAlso++
		case blk == "[[ad]]":
			name, data = "ad", a.meta["guid"]
		case strings.HasPrefix(blk, "## "):
			name, data = "h2", template.HTML(renderInline(blk[3:]))
			words += countWords(blk[3:])
		case strings.HasPrefix(blk, "> "):
			name, data = "quote", template.HTML(renderInline(blk[2:]))
			words += countWords(blk[2:])
		default:
			name, data = "p", template.HTML(renderInline(blk))
			words += countWords(inlineLink.ReplaceAllString(blk, "$1"))
		}
		if err := tpl.ExecuteTemplate(&out, name, data); err != nil {
			return "", 0, fmt.Errorf("%s: block %s: %w", a.file, name, err)
		}
		out.WriteByte('\n')
	}
	return template.HTML(out.String()), words, nil
}

// countWords counts space-separated words, and Han characters as 1/1.5
// words each (the usual rough equivalence for Chinese word counts).
func countWords(s string) int {
	han := 0
	var rest strings.Builder
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			han++
			rest.WriteRune(' ')
			continue
		}
		rest.WriteRune(r)
	}
	return len(strings.Fields(rest.String())) + han*2/3
}

var (
	monthsRU = []string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
	monthsES = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
	monthsID = []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	daysID   = []string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
)

// humanDate formats t the way the outlet's pages print dates.
func humanDate(lang string, t time.Time) string {
	switch lang {
	case "ru":
		return fmt.Sprintf("%d %s %d, %s", t.Day(), monthsRU[t.Month()-1], t.Year(), t.Format("15:04"))
	case "zh":
		return t.Format("2006年01月02日 15:04")
	case "es":
		return fmt.Sprintf("%d de %s de %d - %s CET", t.Day(), monthsES[t.Month()-1], t.Year(), t.Format("15:04"))
	case "id":
		return fmt.Sprintf("%s, %d %s %d %s WIB", daysID[t.Weekday()], t.Day(), monthsID[t.Month()-1], t.Year(), t.Format("15:04"))
	default:
		return t.Format("2 January 2006, 15:04") + " GMT"
	}
}

func encoderFor(charset string) (*encoding.Encoder, error) {
	switch charset {
	case "utf-8":
		return nil, nil
	case "windows-1251":
		return encoding.HTMLEscapeUnsupported(charmap.Windows1251.NewEncoder()), nil
	case "gbk":
		return encoding.HTMLEscapeUnsupported(simplifiedchinese.GBK.NewEncoder()), nil
	}
	return nil, fmt.Errorf("no encoder for charset %q", charset)
}

func httpCharsetLabel(charset string) string {
	if charset == "gbk" {
		return "GBK"
	}
	return charset
}

// generated is the generator's output, file name (relative to the package)
// to content.
type generated map[string][]byte

func generateSite() (generated, error) {
	var od struct {
		Outlets []outlet `json:"outlets"`
	}
	b, err := os.ReadFile("site/outlets.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &od); err != nil {
		return nil, fmt.Errorf("outlets.json: %w", err)
	}
	site := &Site{outlets: od.Outlets}
	outlets := map[string]*outlet{}
	for i := range od.Outlets {
		outlets[od.Outlets[i].ID] = &od.Outlets[i]
	}

	byOutlet := map[string][]*srcArticle{}
	err = filepath.WalkDir(srcArticles, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		a, err := parseArticle(p, b)
		if err != nil {
			return err
		}
		oid := filepath.Base(filepath.Dir(p))
		o, ok := outlets[oid]
		if !ok {
			return fmt.Errorf("%s: unknown outlet directory %q", p, oid)
		}
		if !strings.HasPrefix(a.meta["path"], o.Home) {
			return fmt.Errorf("%s: path %s not under %s", p, a.meta["path"], o.Home)
		}
		a.outlet = o
		byOutlet[oid] = append(byOutlet[oid], a)
		return nil
	})
	if err != nil {
		return nil, err
	}

	out := generated{}
	var metas []pageMeta
	var labels []Page
	for _, o := range od.Outlets {
		arts := byOutlet[o.ID]
		if len(arts) == 0 {
			continue
		}
		sort.Slice(arts, func(i, j int) bool { return arts[i].pub.Before(arts[j].pub) })
		tpl, err := template.New(o.ID + ".html").Funcs(template.FuncMap{
			"join":  strings.Join,
			"lower": strings.ToLower,
			"text":  func(s string) template.HTML { return template.HTML(escapeText(s)) },
		}).ParseFiles(filepath.Join(srcTemplates, o.ID+".html"))
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", o.ID, err)
		}
		enc, err := encoderFor(o.Charset)
		if err != nil {
			return nil, err
		}
		zone := time.FixedZone("", o.UTCOffset*3600)
		for _, a := range arts {
			page, meta, label, err := renderArticle(site, tpl, &o, zone, a, arts)
			if err != nil {
				return nil, err
			}
			if enc != nil {
				if page, err = enc.Bytes(page); err != nil {
					return nil, fmt.Errorf("%s: encode %s: %w", a.file, o.Charset, err)
				}
			}
			out[meta.File] = page
			metas = append(metas, meta)
			labels = append(labels, label)
		}
	}
	sort.Slice(metas, func(i, j int) bool { return metas[i].Path < metas[j].Path })
	sort.Slice(labels, func(i, j int) bool { return labels[i].Path < labels[j].Path })

	// Which primary feeds list each page decides its SourceIDs.
	bySetOutlet := map[[2]string][]string{}
	for _, o := range od.Outlets {
		for _, f := range o.Feeds {
			if f.Primary {
				k := [2]string{o.ID, f.Set}
				bySetOutlet[k] = append(bySetOutlet[k], f.SourceID)
			}
		}
	}
	for i := range labels {
		for _, set := range metas[i].Feeds {
			labels[i].SourceIDs = append(labels[i].SourceIDs, bySetOutlet[[2]string{metas[i].Outlet, set}]...)
		}
	}

	pj, err := json.MarshalIndent(map[string]any{
		"about": "Generated by gen_test.go from testdata/src; do not edit.",
		"pages": metas,
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	out["site/pages.json"] = append(pj, '\n')
	ej, err := json.MarshalIndent(map[string]any{
		"about": "What newspipe must make of each demo page. Generated by gen_test.go from the labels in testdata/src/articles; do not edit. " +
			"category: agreement = a signed Russia–China technology agreement, rucn-tech = Russia–China technology without a signed deal, negative = a hard negative. " +
			"topics are the taxonomy tokens a page must get at least. Pages sharing agreement_event report the same deal and must raise one alert between them.",
		"pages": labels,
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	out["expected.json"] = append(ej, '\n')
	return out, nil
}

func renderArticle(site *Site, tpl *template.Template, o *outlet, zone *time.Location, a *srcArticle, siblings []*srcArticle) ([]byte, pageMeta, Page, error) {
	path := a.meta["path"]
	// Related stories: the outlet's other pages nearest in time.
	others := make([]*srcArticle, 0, len(siblings))
	for _, s := range siblings {
		if s != a {
			others = append(others, s)
		}
	}
	sort.SliceStable(others, func(i, j int) bool {
		di, dj := a.pub.Sub(others[i].pub).Abs(), a.pub.Sub(others[j].pub).Abs()
		if di != dj {
			return di < dj
		}
		return others[i].meta["path"] < others[j].meta["path"]
	})
	toLink := func(s *srcArticle) link {
		return link{URL: Placeholder + s.meta["path"], Headline: s.meta["headline"], Date: humanDate(o.Lang, s.pub.In(zone)), Section: s.meta["section"]}
	}
	var related, latest []link
	for i, s := range others {
		if i < 4 {
			related = append(related, toLink(s))
		}
	}
	byDate := append([]*srcArticle(nil), siblings...)
	sort.SliceStable(byDate, func(i, j int) bool { return byDate[i].pub.After(byDate[j].pub) })
	for _, s := range byDate {
		if len(latest) < 5 {
			latest = append(latest, toLink(s))
		}
	}

	body, words, err := renderBody(tpl, a, related)
	if err != nil {
		return nil, pageMeta{}, Page{}, err
	}
	pub, upd := a.pub.In(zone), a.upd.In(zone)
	title := a.meta["title"]
	if title == "" {
		title = a.meta["headline"] + " | " + o.Name
	}
	d := tplData{
		Outlet:       o,
		Base:         Placeholder,
		URL:          Placeholder + path,
		Path:         path,
		Headline:     a.meta["headline"],
		Title:        title,
		Description:  a.meta["description"],
		Standfirst:   a.meta["standfirst"],
		Author:       a.meta["author"],
		Section:      a.meta["section"],
		Tags:         a.list("tags"),
		Kicker:       a.meta["kicker"],
		PublishedISO: pub.Format(time.RFC3339),
		UpdatedISO:   upd.Format(time.RFC3339),
		Date:         humanDate(o.Lang, pub),
		UpdatedDate:  humanDate(o.Lang, upd),
		Updated:      upd.After(pub),
		Caption:      a.meta["caption"],
		Body:         body,
		Related:      related,
		Latest:       latest,
		Comments:     a.comments,
		Feeds:        site.allFeedsFor(o.ID, Placeholder),
		ArticleID:    a.meta["guid"],
		WordCount:    words,
		ReadMinutes:  max(1, words/200),
		Year:         pub.Year(),
	}
	if img := a.meta["image"]; img != "" {
		d.Image = Placeholder + "/static/img/" + img + ".svg"
	}
	if a.flag("jsonld") {
		ld := map[string]any{
			"@context":         "https://schema.org",
			"@type":            "NewsArticle",
			"headline":         d.Headline,
			"description":      d.Description,
			"datePublished":    d.PublishedISO,
			"dateModified":     d.UpdatedISO,
			"inLanguage":       o.Lang,
			"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": d.URL},
			"author":           []map[string]any{{"@type": "Person", "name": d.Author}},
			"publisher": map[string]any{
				"@type": "NewsMediaOrganization", "name": o.Name,
				"logo": map[string]any{"@type": "ImageObject", "url": Placeholder + "/static/img/" + o.ID + "-logo.svg"},
			},
			"articleSection": d.Section,
			"keywords":       d.Tags,
			"wordCount":      words,
		}
		if d.Image != "" {
			ld["image"] = []string{d.Image}
		}
		j, err := json.Marshal(ld)
		if err != nil {
			return nil, pageMeta{}, Page{}, err
		}
		d.JSONLD = template.JS(j)
	}
	bc, err := json.Marshal(map[string]any{
		"@context": "https://schema.org",
		"@type":    "BreadcrumbList",
		"itemListElement": []map[string]any{
			{"@type": "ListItem", "position": 1, "name": o.Name, "item": Placeholder + o.Home},
			{"@type": "ListItem", "position": 2, "name": d.Section, "item": Placeholder + o.Home + "#" + strings.ToLower(d.Section)},
			{"@type": "ListItem", "position": 3, "name": d.Headline, "item": d.URL},
		},
	})
	if err != nil {
		return nil, pageMeta{}, Page{}, err
	}
	d.BreadcrumbLD = template.JS(bc)
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "page", d); err != nil {
		return nil, pageMeta{}, Page{}, fmt.Errorf("%s: render: %w", a.file, err)
	}

	ctype := "text/html; charset=" + httpCharsetLabel(o.Charset)
	if a.meta["http_charset"] == "none" {
		ctype = "text/html"
	}
	feeds := a.list("feeds")
	if len(feeds) == 0 {
		feeds = []string{"main"}
	}
	file := "site/pages/" + o.ID + "/" + strings.Trim(strings.NewReplacer("/", "_", ".", "_").Replace(strings.TrimPrefix(path, o.Home)), "_") + ".html"
	meta := pageMeta{
		Path: path, Outlet: o.ID, File: file, ContentType: ctype,
		Headline: d.Headline, Description: d.Description, Author: d.Author, Section: d.Section,
		Tags: d.Tags, GUID: a.meta["guid"], Published: pub, Updated: upd,
		Feeds: feeds, Tracking: a.flag("tracking"),
	}
	cat := a.meta["category"]
	label := Page{
		Path: path, Source: o.ID, Lang: o.Lang, Charset: o.Charset, Headline: d.Headline, Published: pub,
		Category: cat, RuCnTech: cat != "negative", Agreement: cat == "agreement",
		Topics: a.list("topics"), AgreementEvent: a.meta["agreement_event"], AgreementKind: a.meta["agreement_kind"],
		AgreementParties: a.list("agreement_parties"), Entities: a.list("entities"), Note: a.meta["note"],
	}
	if label.Topics == nil {
		label.Topics = []string{}
	}
	switch cat {
	case "agreement", "rucn-tech", "negative":
	default:
		return nil, pageMeta{}, Page{}, fmt.Errorf("%s: unknown category %q", a.file, cat)
	}
	if words < 250 || words > 800 {
		return nil, pageMeta{}, Page{}, fmt.Errorf("%s: article text has %d words, want 250–800", a.file, words)
	}
	return buf.Bytes(), meta, label, nil
}

// allFeedsFor is AllFeeds restricted to one outlet; the generator uses it
// before the site is fully loaded.
func (s *Site) allFeedsFor(outletID, base string) []Source {
	var out []Source
	for _, f := range s.AllFeeds(base) {
		if f.Outlet == outletID {
			out = append(out, f)
		}
	}
	return out
}

func TestGeneratedSite(t *testing.T) {
	got, err := generateSite()
	if err != nil {
		t.Fatalf("generate site: %v", err)
	}
	if *update {
		if err := os.RemoveAll("site/pages"); err != nil {
			t.Fatal(err)
		}
		for name, b := range got {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("wrote %d files", len(got))
		return
	}
	for name, want := range got {
		have, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v (run go test -run TestGeneratedSite -update)", name, err)
			continue
		}
		if !bytes.Equal(have, want) {
			t.Errorf("%s is stale (run go test -run TestGeneratedSite -update)", name)
		}
	}
	err = filepath.WalkDir("site/pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, ok := got[filepath.ToSlash(p)]; !ok {
			t.Errorf("%s is not generated any more (run go test -run TestGeneratedSite -update)", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
