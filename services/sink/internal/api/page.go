package api

import (
	"bytes"
	"html/template"
	"net/http"
	"time"

	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// pageStories and pageAlerts bound the HTML page and the feed.
const (
	pageStories = 50
	pageAlerts  = 20
)

const pageHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="alternate" type="application/atom+xml" title="{{.Title}}: Russia–China technology" href="/feed.atom">
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}
ul{list-style:none;padding:0}li{margin:.6rem 0}
.meta{color:#666;font-size:.85rem}.tag{background:#eef;border-radius:3px;padding:0 .3rem;margin-right:.2rem}
.alert{background:#fff6e0;border-left:3px solid #e0a000;padding:.4rem .6rem}
</style>
</head>
<body>
<h1>{{.Title}}: Russia–China technology</h1>
<p class="meta">Updated {{.Now.Format "2006-01-02 15:04 MST"}} · <a href="/feed.atom">Atom feed</a> · <a href="/api/stories?rucn=true">JSON</a></p>
<h2>Agreement alerts</h2>
{{if .Alerts}}<ul>
{{range .Alerts}}<li class="alert"><strong>{{join .PartyNames " · "}}</strong>{{if .Kind}} — {{.Kind}}{{end}}{{if .Technology}} ({{.Technology}}){{end}}<br>
<a href="{{.FirstArticle.URL}}" rel="noopener noreferrer">{{.FirstArticle.Title}}</a>
<span class="meta">{{.FirstArticle.Lang}} · raised {{.RaisedAt.Format "2006-01-02 15:04"}} · {{.ReportCount}} report(s)</span>
{{if .Evidence}}<br><q>{{.Evidence}}</q>{{end}}</li>
{{end}}</ul>{{else}}<p>No agreement alerts yet.</p>{{end}}
<h2>Recent stories</h2>
{{if .Stories}}<ul>
{{range .Stories}}<li><a href="{{.URL}}" rel="noopener noreferrer" lang="{{.Lang}}">{{or .Title .URL}}</a><br>
<span class="meta">{{.Time.Format "2006-01-02 15:04"}} · {{.SourceID}} · {{.Lang}}</span>
{{range .Topics}}<span class="tag">{{.}}</span>{{end}}{{if .Agreement}}{{if .Agreement.Detected}}<span class="tag">agreement</span>{{end}}{{end}}</li>
{{end}}</ul>{{else}}<p>No Russia–China technology stories yet.</p>{{end}}
</body>
</html>
`

// pageRenderer holds the parsed page template; it is read-only after
// construction and safe for concurrent use.
type pageRenderer struct{ t *template.Template }

func newPageRenderer() *pageRenderer {
	funcs := template.FuncMap{"join": func(s []string, sep string) string {
		var b bytes.Buffer
		for i, x := range s {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(x)
		}
		return b.String()
	}}
	// The template is a constant, covered by the tests: Must cannot fire at run time.
	return &pageRenderer{t: template.Must(template.New("page").Funcs(funcs).Parse(pageHTML))}
}

type pageData struct {
	Title   string
	Now     time.Time
	Stories []storyJSON
	Alerts  []alertJSON
}

func (a *API) home(w http.ResponseWriter, r *http.Request) {
	yes := true
	stories, err := a.store.ListStories(r.Context(), store.Filter{RuCn: &yes, Limit: pageStories})
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	alerts, err := a.store.ListAlerts(r.Context(), pageAlerts)
	if err != nil {
		a.internalError(w, r, err)
		return
	}
	d := pageData{Title: a.cfg.Title, Now: a.cfg.Now().UTC()}
	for _, s := range stories {
		d.Stories = append(d.Stories, toStory(s, false))
	}
	for _, al := range alerts {
		d.Alerts = append(d.Alerts, toAlert(al))
	}
	// Render to a buffer so that a template error is a clean 500, not half a page.
	var buf bytes.Buffer
	if err := a.page.t.Execute(&buf, d); err != nil {
		a.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, _ = w.Write(buf.Bytes())
}
