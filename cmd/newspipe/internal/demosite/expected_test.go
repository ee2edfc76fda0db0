package demosite

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	sourceIDRe = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)
	h1Re       = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)
	tagRe      = regexp.MustCompile(`<[^>]+>`)
)

// taxonomyTopics are the topic tokens of DESIGN.md.
var taxonomyTopics = []string{"telecom", "semiconductors", "ai", "space", "cyber", "defense", "energy", "quantum", "research", "digital"}

func TestExpectedCoversSite(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	want, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	for _, p := range want {
		if paths[p.Path] {
			t.Errorf("%s listed twice", p.Path)
		}
		paths[p.Path] = true
		meta := s.byPath[p.Path]
		if meta == nil {
			t.Errorf("%s: labelled but not served", p.Path)
			continue
		}
		if p.Source != meta.Outlet || p.Charset != meta.outlet.Charset || p.Lang != meta.outlet.Lang {
			t.Errorf("%s: source/charset/lang %s/%s/%s disagree with the catalog", p.Path, p.Source, p.Charset, p.Lang)
		}
		if p.Headline != meta.Headline || !p.Published.Equal(meta.Published) {
			t.Errorf("%s: headline or date disagree with the catalog", p.Path)
		}
	}
	for _, meta := range s.pages {
		if !paths[meta.Path] {
			t.Errorf("%s: served but not labelled", meta.Path)
		}
	}
}

func TestExpectedLabelsConsistent(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	sourceIDs := map[string]bool{}
	for _, src := range s.Sources("http://x.test") {
		sourceIDs[src.ID] = true
	}
	for _, p := range pages {
		t.Run(p.Path, func(t *testing.T) {
			switch p.Category {
			case "agreement":
				if !p.RuCnTech || !p.Agreement || p.AgreementEvent == "" || p.AgreementKind == "" || len(p.AgreementParties) < 2 {
					t.Errorf("agreement page needs ru_cn_tech, agreement, an event, a kind and two parties: %+v", p)
				}
			case "rucn-tech":
				if !p.RuCnTech || p.Agreement || p.AgreementEvent != "" {
					t.Errorf("rucn-tech page must be ru_cn_tech without agreement: %+v", p)
				}
			case "negative":
				if p.RuCnTech || p.Agreement || p.AgreementEvent != "" {
					t.Errorf("negative page must be neither ru_cn_tech nor agreement: %+v", p)
				}
				if p.Note == "" {
					t.Errorf("negative page needs a note saying why it is hard")
				}
			default:
				t.Errorf("unknown category %q", p.Category)
			}
			if p.RuCnTech && len(p.Topics) == 0 {
				t.Errorf("Russia–China technology page without topics")
			}
			for _, topic := range p.Topics {
				if !slices.Contains(taxonomyTopics, topic) {
					t.Errorf("topic %q is not a taxonomy token", topic)
				}
			}
			if len(p.SourceIDs) == 0 {
				t.Errorf("page is in no source feed")
			}
			for _, id := range p.SourceIDs {
				if !sourceIDs[id] {
					t.Errorf("source id %q is not among Sources", id)
				}
			}
		})
	}
}

func TestExpectedCorpusShape(t *testing.T) {
	pages, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	byLang := map[string]int{}
	byCategory := map[string]int{}
	outlets := map[string]bool{}
	charsets := map[string]bool{}
	events := map[string][]Page{}
	for _, p := range pages {
		byLang[p.Lang]++
		byCategory[p.Category]++
		outlets[p.Source] = true
		charsets[p.Charset] = true
		if p.AgreementEvent != "" {
			events[p.AgreementEvent] = append(events[p.AgreementEvent], p)
		}
	}
	if len(pages) < 24 {
		t.Errorf("%d pages, want at least 24", len(pages))
	}
	for _, lang := range []string{"en", "ru", "zh", "es", "id"} {
		if byLang[lang] < 3 {
			t.Errorf("%d %s pages, want at least 3", byLang[lang], lang)
		}
	}
	if len(outlets) < 4 {
		t.Errorf("%d outlets, want at least 4", len(outlets))
	}
	for _, cs := range []string{"windows-1251", "gbk", "utf-8"} {
		if !charsets[cs] {
			t.Errorf("no page in %s", cs)
		}
	}
	if byCategory["rucn-tech"] < 5 || byCategory["negative"] < 8 {
		t.Errorf("%d rucn-tech and %d negative pages, want at least 5 and 8", byCategory["rucn-tech"], byCategory["negative"])
	}
	if len(events) < 5 {
		t.Errorf("%d distinct agreements, want at least 5", len(events))
	}
	twice := 0
	for id, ps := range events {
		switch len(ps) {
		case 1:
		case 2:
			twice++
			a, b := ps[0], ps[1]
			if a.Lang == b.Lang || a.Source == b.Source {
				t.Errorf("event %s: both reports in %s from %s/%s; want two languages and two outlets", id, a.Lang, a.Source, b.Source)
			}
			if strings.EqualFold(a.AgreementKind, b.AgreementKind) {
				t.Errorf("event %s: both reports call the deal %q; want different wording", id, a.AgreementKind)
			}
			if !slices.Equal(sortedCopy(a.AgreementParties), sortedCopy(b.AgreementParties)) {
				t.Errorf("event %s: parties %v vs %v", id, a.AgreementParties, b.AgreementParties)
			}
		default:
			t.Errorf("event %s reported %d times", id, len(ps))
		}
	}
	if twice != 1 {
		t.Errorf("%d agreements reported twice, want exactly 1", twice)
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// TestHeadlineOnPage checks that the labelled headline is what the page's
// <h1> says, after decoding the page from its charset.
func TestHeadlineOnPage(t *testing.T) {
	_, base := startSite(t)
	pages, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		resp, body := fetch(t, base+p.Path, nil)
		text := decodeHTML(t, resp.Header.Get("Content-Type"), body)
		// Cut to the <h1> first: an unanchored submatch search over a whole
		// page is slow in RE2.
		at := strings.Index(text, "<h1")
		if at < 0 {
			t.Errorf("%s: no <h1>", p.Path)
			continue
		}
		m := h1Re.FindStringSubmatch(text[at:])
		if m == nil {
			t.Errorf("%s: no <h1>", p.Path)
			continue
		}
		if got := strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(m[1], ""))); got != p.Headline {
			t.Errorf("%s: <h1> %q, want %q", p.Path, got, p.Headline)
		}
	}
}
