package api

import (
	"encoding/json"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/alert"
	"github.com/newspipe/newspipe/services/sink/internal/store"
)

// The JSON shapes of the API; see the package doc for what each field means.
// They are separate from the protobuf events on purpose: the API's names
// are a promise of their own, kept when the events grow.

type storyJSON struct {
	ID                      string         `json:"id"`
	URL                     string         `json:"url"`
	CanonicalURL            string         `json:"canonical_url"`
	SourceID                string         `json:"source_id"`
	Title                   string         `json:"title"`
	Byline                  string         `json:"byline"`
	Lang                    string         `json:"lang"`
	SiteName                string         `json:"site_name"`
	PublishedAt             *time.Time     `json:"published_at"`
	Time                    time.Time      `json:"time"`
	StoredAt                time.Time      `json:"stored_at"`
	UpdatedAt               time.Time      `json:"updated_at"`
	RuCnTech                bool           `json:"ru_cn_tech"`
	Score                   float64        `json:"score"`
	PrimaryTopic            string         `json:"primary_topic"`
	Topics                  []string       `json:"topics"`
	Entities                []entityJSON   `json:"entities"`
	Agreement               *agreementJSON `json:"agreement"`
	AgreementFirstArticleID string         `json:"agreement_first_article_id"`
	AgreementAlertKey       string         `json:"agreement_alert_key"`
	Evidence                []evidenceJSON `json:"evidence"`
	TaxonomyVersion         string         `json:"taxonomy_version"`
	GroupID                 string         `json:"group_id"`
	GroupSize               int            `json:"group_size"`
	GroupSources            int            `json:"group_sources"`
	Paragraphs              *[]string      `json:"paragraphs,omitempty"`
}

type entityJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Country string `json:"country"`
	Count   int32  `json:"count"`
}

type agreementJSON struct {
	Detected   bool     `json:"detected"`
	Stage      string   `json:"stage"`
	Kind       string   `json:"kind"`
	Parties    []string `json:"parties"`
	Technology string   `json:"technology"`
	Subject    string   `json:"subject"`
	Date       string   `json:"date"`
	Evidence   string   `json:"evidence"`
	Key        string   `json:"key"`
	// Deal is the deal's identity, field by field (see proto Deal); absent
	// from events made before it existed.
	Deal *dealJSON `json:"deal,omitempty"`
}

type partyJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Group string `json:"group"`
}

type dealJSON struct {
	CN         []partyJSON `json:"cn"`
	RU         []partyJSON `json:"ru"`
	Kind       string      `json:"kind"`
	Technology string      `json:"technology"`
	Subject    string      `json:"subject"`
	SignedOn   string      `json:"signed_on"`
}

func toDeal(d *newspipev1.Deal) *dealJSON {
	if d == nil {
		return nil
	}
	side := func(ps []*newspipev1.Party) []partyJSON {
		out := []partyJSON{}
		for _, p := range ps {
			out = append(out, partyJSON{ID: p.GetId(), Name: p.GetName(), Group: p.GetGroup()})
		}
		return out
	}
	return &dealJSON{CN: side(d.GetCn()), RU: side(d.GetRu()), Kind: d.GetKind(), Technology: d.GetTechnology(),
		Subject: d.GetSubject(), SignedOn: d.GetSignedOn()}
}

type evidenceJSON struct {
	Tag      string `json:"tag"`
	Sentence string `json:"sentence"`
}

type storyListJSON struct {
	Stories    []storyJSON `json:"stories"`
	NextCursor string      `json:"next_cursor"`
}

type articleRefJSON struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Title    string `json:"title"`
	Lang     string `json:"lang"`
	SourceID string `json:"source_id"`
}

type alertJSON struct {
	Key          string         `json:"key"`
	RaisedAt     time.Time      `json:"raised_at"`
	FirstArticle articleRefJSON `json:"first_article"`
	Parties      []string       `json:"parties"`
	PartyNames   []string       `json:"party_names"`
	Kind         string         `json:"kind"`
	Technology   string         `json:"technology"`
	// Date is the signing date: the finest any report of the deal stated
	// so far, "" while none did.
	Date        string    `json:"date"`
	Evidence    string    `json:"evidence"`
	ReportCount int       `json:"report_count"`
	Deal        *dealJSON `json:"deal,omitempty"`
}

type alertsListJSON struct {
	Alerts []alertJSON `json:"alerts"`
}

type errorJSON struct {
	Error string `json:"error"`
}

// toStory maps a stored story; withText adds the paragraphs.
func toStory(s store.Story, withText bool) storyJSON {
	a := s.Article
	c := a.GetArticle()
	out := storyJSON{
		ID: c.GetId(), URL: c.GetUrl(), CanonicalURL: c.GetCanonicalUrl(), SourceID: c.GetSourceId(),
		Title: c.GetTitle(), Byline: c.GetByline(), Lang: c.GetLang(), SiteName: c.GetSiteName(),
		Time: s.Time, StoredAt: s.StoredAt, UpdatedAt: s.UpdatedAt,
		RuCnTech: a.GetRuCnTech(), Score: a.GetScore(), PrimaryTopic: a.GetPrimaryTopic(),
		Topics:                  nonNil(a.GetTopics()),
		Entities:                []entityJSON{},
		AgreementFirstArticleID: s.AgreementFirstArticleID,
		AgreementAlertKey:       s.AgreementAlertKey,
		Evidence:                []evidenceJSON{},
		TaxonomyVersion:         a.GetTaxonomyVersion(),
		GroupID:                 s.Group.ID,
		GroupSize:               s.Group.Stories,
		GroupSources:            s.Group.Sources,
	}
	if p := c.GetPublishedAt(); p != nil {
		t := p.AsTime()
		out.PublishedAt = &t
	}
	for _, e := range a.GetEntities() {
		out.Entities = append(out.Entities, entityJSON{ID: e.GetId(), Name: e.GetName(), Kind: e.GetKind(), Country: e.GetCountry(), Count: e.GetCount()})
	}
	if ag := a.GetAgreement(); ag != nil {
		out.Agreement = &agreementJSON{
			Detected: ag.GetDetected(), Stage: ag.GetStage(), Kind: ag.GetKind(), Parties: nonNil(ag.GetParties()),
			Technology: ag.GetTechnology(), Subject: ag.GetSubject(), Date: ag.GetDate(), Evidence: ag.GetEvidence(),
			Key: ag.GetKey(), Deal: toDeal(ag.GetDeal()),
		}
	}
	for _, e := range a.GetEvidence() {
		out.Evidence = append(out.Evidence, evidenceJSON{Tag: e.GetTag(), Sentence: e.GetSentence()})
	}
	if withText {
		p := nonNil(c.GetParagraphs())
		out.Paragraphs = &p
	}
	return out
}

func toAlert(al store.Alert) alertJSON {
	f := al.FirstArticle
	out := alertJSON{
		Key: al.Key, RaisedAt: al.RaisedAt,
		FirstArticle: articleRefJSON{ID: f.ID, URL: f.URL, Title: f.Title, Lang: f.Lang, SourceID: f.SourceID},
		Parties:      []string{}, PartyNames: []string{}, ReportCount: al.Reports,
	}
	if al.First == nil {
		return out
	}
	ag := al.First.Article.GetAgreement()
	out.Parties = nonNil(ag.GetParties())
	out.PartyNames = alert.PartyNames(al.First.Article)
	out.Kind, out.Technology, out.Date, out.Evidence = ag.GetKind(), ag.GetTechnology(), ag.GetDate(), ag.GetEvidence()
	out.Deal = toDeal(ag.GetDeal())
	if !al.Signed.IsZero() {
		// The finest signing date any report of the deal stated.
		out.Date = al.Signed.String()
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// AlertJSON encodes an alert as one item of /api/alerts; the sink POSTs it
// to webhooks, so receivers and API clients read the same shape.
func AlertJSON(al store.Alert) ([]byte, error) { return json.Marshal(toAlert(al)) }

// AlertEventJSON encodes an AgreementAlert event as one item of
// /api/alerts, as it stood when it was raised (report_count 1, the date its
// first report stated): the webhook payload.
func AlertEventJSON(ev *newspipev1.AgreementAlert) ([]byte, error) {
	f := ev.GetFirstArticle()
	return json.Marshal(alertJSON{
		Key: ev.GetKey(), RaisedAt: ev.GetRaisedAt().AsTime(),
		FirstArticle: articleRefJSON{ID: f.GetId(), URL: f.GetUrl(), Title: f.GetTitle(), Lang: f.GetLang(), SourceID: f.GetSourceId()},
		Parties:      nonNil(ev.GetParties()), PartyNames: nonNil(ev.GetPartyNames()),
		Kind: ev.GetKind(), Technology: ev.GetTechnology(), Date: ev.GetDate(), Evidence: ev.GetEvidence(),
		ReportCount: 1, Deal: toDeal(ev.GetDeal()),
	})
}
