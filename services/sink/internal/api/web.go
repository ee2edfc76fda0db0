package api

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
	"github.com/newspipe/newspipe/pkg/topology"
	"github.com/newspipe/newspipe/services/sink/internal/alert"
	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// The web pages are server-rendered HTML that works without JavaScript:
// every filter is a query parameter (the same as /api/stories), so a page
// can be reloaded, bookmarked and shared as it is.

//go:embed templates/*.html
var templateFS embed.FS

// pageAlerts bounds the deals listed on the front page.
const pageAlerts = 20

// webPages holds the parsed templates; read-only after construction and
// safe for concurrent use.
type webPages struct{ t map[string]*template.Template }

func newWebPages() *webPages {
	funcs := template.FuncMap{"join": strings.Join}
	p := &webPages{t: map[string]*template.Template{}}
	for _, name := range []string{"home", "story", "deal", "sources", "error"} {
		// The templates are embedded and covered by the tests: Must
		// cannot fire at run time.
		p.t[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return p
}

// pageBase is what every page's layout reads.
type pageBase struct {
	Site, PageTitle string
}

// langOption is a language of the filter form.
type langOption struct{ Code, Name string }

// pageLangs are the languages the classifier reads.
var pageLangs = []langOption{{"en", "English"}, {"ru", "Русский"}, {"zh", "中文"}, {"es", "Español"},
	{"id", "Bahasa Indonesia"}, {"pt", "Português"}, {"fr", "Français"}, {"de", "Deutsch"}, {"it", "Italiano"}, {"ar", "العربية"}}

// pageStages are the agreement stages of the filter form.
var pageStages = []string{"intent", "negotiation", "signed", "implemented", "rejected"}

// formState is the filter form as the URL sets it.
type formState struct {
	Q, RuCn, Topic, Lang, Stage, Since, Until, Entity, Source, Agreement string
}

// storyItem is a story in a list.
type storyItem struct {
	ID, Title, Lang, Time, Source string
	Topics                        []string
	Stage                         string
	Agreement                     bool
	// Copies counts the stories of its group of copies, Sources their
	// sources; GroupLink lists them.
	Copies, Sources int
	GroupLink       string
}

// dealItem is a deal in a list.
type dealItem struct {
	Link, Parties, Kind, Technology, Date, Reports string
}

type homeData struct {
	pageBase
	Heading        string
	Form           formState
	Topics, Stages []string
	Langs          []langOption
	Error          string
	Alerts         []dealItem
	Stories        []storyItem
	Next           string
	// Feed is the Atom feed of the list as filtered.
	Feed string
}

// pageQuery drops the empty parameters a GET form sends for fields left
// blank, and gives a bare / its default: Russia–China stories.
func pageQuery(raw url.Values) url.Values {
	q := url.Values{}
	for k, vs := range raw {
		for _, v := range vs {
			if strings.TrimSpace(v) != "" {
				q[k] = append(q[k], v)
			}
		}
	}
	if len(raw) == 0 {
		q.Set("rucn", "true")
	}
	return q
}

func (a *API) home(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query()
	q := pageQuery(raw)
	d := homeData{
		pageBase: pageBase{Site: a.cfg.Title, PageTitle: "Stories"},
		Heading:  "Russia–China technology: stories and deals",
		Topics:   topology.Topics, Langs: pageLangs, Stages: pageStages,
		Form: formState{Q: q.Get("q"), RuCn: q.Get("rucn"), Topic: q.Get("topic"), Lang: q.Get("lang"),
			Stage: q.Get("stage"), Since: q.Get("since"), Until: q.Get("until"), Entity: q.Get("entity"),
			Source: q.Get("source"), Agreement: q.Get("agreement")},
	}
	f, err := parseStoriesQuery(q, a.cfg.Now())
	if err != nil {
		d.Error = err.Error()
		a.renderPage(w, r, http.StatusBadRequest, "home", d)
		return
	}
	if !q.Has("grouped") {
		f.Grouped = true // copies of one story show once, "N sources"
	}
	if d.Form.Q != "" {
		d.PageTitle = d.Form.Q
	}
	stories, next, err := a.listPage(r.Context(), f)
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	for _, s := range stories {
		d.Stories = append(d.Stories, toStoryItem(s))
	}
	fq := url.Values{}
	for k, vs := range q {
		if k != "cursor" && k != "before" && k != "limit" {
			fq[k] = vs
		}
	}
	d.Feed = "/feed.atom?" + fq.Encode()
	if !next.IsZero() {
		nq := url.Values{}
		for k, vs := range raw {
			if k != "cursor" && k != "before" {
				nq[k] = vs
			}
		}
		nq.Set("cursor", next.String())
		d.Next = "/?" + nq.Encode()
	}
	// The deals head the page while nothing narrows the list.
	if f.Before.IsZero() && (len(q) == 0 || len(q) == 1 && q.Has("rucn")) {
		alerts, err := a.store.ListAlerts(r.Context(), pageAlerts)
		if err != nil {
			a.internalError(w, r, err)
			return
		}
		for _, al := range alerts {
			d.Alerts = append(d.Alerts, toDealItem(al))
		}
	}
	a.renderPage(w, r, http.StatusOK, "home", d)
}

func toStoryItem(s store.Story) storyItem {
	c := s.Article.GetArticle()
	it := storyItem{
		ID: s.ID(), Title: cmp.Or(c.GetTitle(), c.GetUrl()), Lang: c.GetLang(), Time: pageTime(s.Time),
		Source: c.GetSourceId(), Topics: s.Article.GetTopics(), Stage: s.Article.GetAgreement().GetStage(),
		Agreement: s.Article.GetAgreement().GetDetected(), Copies: s.Group.Stories, Sources: s.Group.Sources,
	}
	if s.Group.Stories > 1 {
		it.GroupLink = "/?" + url.Values{"group": {s.Group.ID}, "grouped": {"false"}, "rucn": {""}}.Encode()
	}
	return it
}

func toDealItem(al store.Alert) dealItem {
	j := toAlert(al)
	return dealItem{
		Link: dealLink(al.Key), Parties: cmp.Or(strings.Join(j.PartyNames, " · "), al.Key), Kind: j.Kind,
		Technology: j.Technology, Date: j.Date, Reports: plural(j.ReportCount, "report"),
	}
}

// dealLink is the path of an alert's deal page.
func dealLink(key string) string { return "/deals/" + url.PathEscape(key) }

// pageTime formats a time for people: in UTC, and saying so.
func pageTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04 MST")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// storyView is the story page.
type storyView struct {
	ID, Title, Lang, Source, Site, Link, Published, Stored, Score string
	RuCn, Agreement                                               bool
	Topics                                                        []string
	Stage                                                         string
	Entities                                                      []entityJSON
	Deal, DealLink                                                string
	Paragraphs                                                    [][]segment
	Unplaced                                                      []evidenceJSON
	// Copies are the other stories of its group: the same story
	// published elsewhere.
	Copies []reportItem
}

type storyData struct {
	pageBase
	Story storyView
}

func (a *API) storyPage(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query(), nil); err != nil {
		a.renderError(w, r, http.StatusBadRequest, "Bad request", err.Error())
		return
	}
	s, err := a.store.GetStory(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		a.renderError(w, r, http.StatusNotFound, "No such story", "newspipe holds no story with this id.")
		return
	}
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	c := s.Article.GetArticle()
	v := storyView{
		ID: s.ID(), Title: cmp.Or(c.GetTitle(), c.GetUrl()), Lang: c.GetLang(), Source: c.GetSourceId(),
		Site: c.GetSiteName(), Link: articleLink(c.GetCanonicalUrl(), c.GetUrl()),
		Stored: pageTime(s.StoredAt), Score: strconv.FormatFloat(s.Article.GetScore(), 'f', 2, 64),
		RuCn: s.Article.GetRuCnTech(), Agreement: s.Article.GetAgreement().GetDetected(),
		Topics: s.Article.GetTopics(), Stage: s.Article.GetAgreement().GetStage(),
		Entities: toStory(s, false).Entities,
	}
	if p := c.GetPublishedAt(); p != nil {
		v.Published = pageTime(p.AsTime())
	} else {
		v.Published = "not stated (listed at " + pageTime(s.Time) + ")"
	}
	if ag := s.Article.GetAgreement(); ag.GetDetected() {
		v.Deal = strings.Join(nonEmpty(strings.Join(alert.PartyNames(s.Article), " · "), ag.GetKind(), ag.GetTechnology(), ag.GetDate()), ", ")
		if s.AgreementAlertKey != "" {
			v.DealLink = dealLink(s.AgreementAlertKey)
		}
	}
	if s.Group.Stories > 1 {
		copies, err := a.store.ListStories(r.Context(), store.Filter{Group: s.Group.ID, Limit: store.MaxLimit})
		if err != nil {
			a.internalError(w, r, err)
			return
		}
		for _, o := range copies {
			if o.ID() == s.ID() {
				continue
			}
			oc := o.Article.GetArticle()
			v.Copies = append(v.Copies, reportItem{ID: o.ID(), Title: cmp.Or(oc.GetTitle(), oc.GetUrl()), Lang: oc.GetLang(),
				Source: oc.GetSourceId(), Time: pageTime(o.Time), Link: articleLink(oc.GetCanonicalUrl(), oc.GetUrl())})
		}
	}
	paras, unplaced := highlight(c.GetParagraphs(), s.Article.GetEvidence())
	v.Paragraphs = paras
	for _, e := range unplaced {
		v.Unplaced = append(v.Unplaced, evidenceJSON{Tag: e.GetTag(), Sentence: e.GetSentence()})
	}
	a.renderPage(w, r, http.StatusOK, "story", storyData{pageBase: pageBase{Site: a.cfg.Title, PageTitle: v.Title}, Story: v})
}

func nonEmpty(ss ...string) []string {
	return slices.DeleteFunc(ss, func(s string) bool { return s == "" })
}

// articleLink is the link to the original article: its canonical URL,
// which the fetcher cleaned of tracking parameters, where it is a web
// address.
func articleLink(canonical, fetched string) string {
	for _, u := range []string{canonical, fetched} {
		if p, err := url.Parse(u); err == nil && (p.Scheme == "http" || p.Scheme == "https") {
			return u
		}
	}
	return ""
}

// dealView is the deal page.
type dealView struct {
	Feed                                                          string
	Key, Parties, CN, RU, Kind, Technology, Subject, Date, Raised string
	Evidence, EvidenceLang                                        string
	Sources, Langs                                                string
	Reports                                                       []reportItem
	// Timeline is the deal's stages as the stories tell them, oldest
	// first: intent and negotiation before the signing, implementation
	// after; the signed reports among them.
	Timeline []reportItem
}

type reportItem struct {
	ID, Title, Lang, Source, Time, Link string
	// Stage is the deal's stage the report tells of (timeline only).
	Stage string
	at    time.Time
}

type dealData struct {
	pageBase
	Deal dealView
}

func (a *API) dealPage(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query(), nil); err != nil {
		a.renderError(w, r, http.StatusBadRequest, "Bad request", err.Error())
		return
	}
	key := r.PathValue("key")
	al, err := a.store.GetAlert(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) {
		a.renderError(w, r, http.StatusNotFound, "No such deal", "newspipe raised no alert with this key.")
		return
	}
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	reports, err := a.store.ListStories(r.Context(), store.Filter{AlertKey: key, Limit: store.MaxLimit})
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	j := toAlert(al)
	v := dealView{
		Key: al.Key, Parties: cmp.Or(strings.Join(j.PartyNames, " · "), al.Key), Kind: j.Kind, Technology: j.Technology,
		Date: j.Date, Raised: pageTime(al.RaisedAt), Evidence: j.Evidence, EvidenceLang: al.FirstArticle.Lang,
		Feed: "/feed.atom?" + url.Values{"deal": {al.Key}}.Encode(),
	}
	if j.Deal != nil {
		v.Subject = j.Deal.Subject
		v.CN, v.RU = partyNames(j.Deal.CN), partyNames(j.Deal.RU)
	}
	sources, langs := map[string]bool{}, []string{}
	slices.Reverse(reports) // oldest first: the order the news came out
	for _, s := range reports {
		c := s.Article.GetArticle()
		sources[c.GetSourceId()] = true
		if !slices.Contains(langs, c.GetLang()) {
			langs = append(langs, c.GetLang())
		}
		v.Reports = append(v.Reports, reportItem{ID: s.ID(), Title: cmp.Or(c.GetTitle(), c.GetUrl()), Lang: c.GetLang(),
			Source: c.GetSourceId(), Time: pageTime(s.Time), Link: articleLink(c.GetCanonicalUrl(), c.GetUrl())})
	}
	if v.Timeline, err = a.timeline(r.Context(), al, reports); err != nil {
		a.internalError(w, r, err)
		return
	}
	v.Sources = plural(len(sources), "source")
	v.Langs = plural(len(langs), "language")
	if len(langs) > 0 {
		v.Langs += " (" + strings.Join(langs, ", ") + ")"
	}
	a.renderPage(w, r, http.StatusOK, "deal", dealData{pageBase: pageBase{Site: a.cfg.Title, PageTitle: v.Parties}, Deal: v})
}

// timelineSpan is how far before or after a deal's date the stories of its
// other stages are looked for: talks and deliveries take months.
const timelineSpan = 365 * 24 * time.Hour

// timelineStages are the stages a deal's timeline shows beside its signing.
var timelineStages = []string{"intent", "negotiation", "implemented", "rejected"}

// timeline returns the deal's stages as the stories tell them: its signed
// reports, and the stories of its topic reporting another stage of a deal
// that is the same as this one by its parties and subject (deal.Same, with
// the dates left out: a deal's talks come before its signing).
func (a *API) timeline(ctx context.Context, al store.Alert, reports []store.Story) ([]reportItem, error) {
	item := func(s store.Story, stage string) reportItem {
		c := s.Article.GetArticle()
		return reportItem{ID: s.ID(), Title: cmp.Or(c.GetTitle(), c.GetUrl()), Lang: c.GetLang(), Source: c.GetSourceId(),
			Time: pageTime(s.Time), Link: articleLink(c.GetCanonicalUrl(), c.GetUrl()), Stage: stage, at: s.Time}
	}
	var out []reportItem
	var this deal.Report
	for i, s := range reports {
		out = append(out, item(s, "signed"))
		r := store.DealOf(s.Article, s.Time).Report
		if i == 0 {
			this = r
		} else {
			this = deal.Merge(this, r)
		}
	}
	if len(reports) == 0 {
		return nil, nil
	}
	at := this.At()
	this.Signed = deal.Date{}
	for _, stage := range timelineStages {
		stories, err := a.store.ListStories(ctx, store.Filter{Stage: stage, Topic: this.Topic,
			Since: at.Add(-timelineSpan), Until: at.Add(timelineSpan), Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, s := range stories {
			r := store.DealOf(s.Article, s.Time).Report
			r.Signed, r.Reported = deal.Date{}, this.Reported // compare who and what, not when
			if deal.Same(this, r, deal.DefaultWindow) {
				out = append(out, item(s, stage))
			}
		}
	}
	slices.SortStableFunc(out, func(x, y reportItem) int { return x.at.Compare(y.at) })
	return out, nil
}

func partyNames(ps []partyJSON) string {
	var names []string
	for _, p := range ps {
		names = append(names, cmp.Or(p.Name, p.ID))
	}
	return strings.Join(names, ", ")
}

type sourceRow struct {
	ID                        string
	Stories, RuCn             int
	Latest, LastStored, Quiet string
}

type sourcesData struct {
	pageBase
	Sources []sourceRow
}

// quietAfter is how long a source may go without a new story before the
// sources page points it out.
const quietAfter = 48 * time.Hour

func (a *API) sourcesPage(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query(), nil); err != nil {
		a.renderError(w, r, http.StatusBadRequest, "Bad request", err.Error())
		return
	}
	stats, err := a.store.ListSources(r.Context())
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	now := a.cfg.Now()
	d := sourcesData{pageBase: pageBase{Site: a.cfg.Title, PageTitle: "Sources"}}
	for _, s := range stats {
		row := sourceRow{ID: s.ID, Stories: s.Stories, RuCn: s.RuCn, Latest: pageTime(s.Latest), LastStored: pageTime(s.LastStored)}
		if age := now.Sub(s.LastStored); age > quietAfter {
			row.Quiet = fmt.Sprintf("%d days", int(age.Hours()/24))
		}
		d.Sources = append(d.Sources, row)
	}
	a.renderPage(w, r, http.StatusOK, "sources", d)
}

func (a *API) renderError(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	a.renderPage(w, r, status, "error", struct {
		pageBase
		Heading, Error string
	}{pageBase{Site: a.cfg.Title, PageTitle: heading}, heading, msg})
}

// renderPage renders to a buffer first, so that a template error is a
// clean 500, not half a page.
func (a *API) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := a.web.t[name].ExecuteTemplate(&buf, name+".html", data); err != nil {
		a.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
