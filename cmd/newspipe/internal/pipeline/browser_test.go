package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

// phoneWidth is the viewport width the browser test reads the pages at: a
// common phone's, in CSS pixels.
const phoneWidth, phoneHeight = 390, 844

// chromium returns the path of the Chromium (or Chrome) executable. Where
// there is none the test skips, except on CI (CI set), whose .ci/run
// installs Debian's chromium: there a missing browser is a failure, not a
// skip that would pass for a test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on CI: .ci/run should have installed Debian's chromium")
	}
	t.Skip("no chromium here (apt-get install chromium); the browser test needs one")
	return ""
}

// screenshotDir is where the browser test writes its screenshots:
// $NEWSPIPE_SCREENSHOTS, else newspipe-screenshots in the temp dir. They
// are kept after the test, for people to look at.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NEWSPIPE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "newspipe-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowser drives the web page of the demo pipeline in headless
// Chromium at a phone's width, as an analyst would: searching in Russian
// and Chinese, filtering and reloading, reading a story's evidence and a
// deal's reports. Every page it visits must fit the width without a
// horizontal scroll. It writes a screenshot of each step.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
	exe := chromium(t)
	shots := screenshotDir(t)
	expected, err := demosite.Expected()
	if err != nil {
		t.Fatal(err)
	}
	base := serveDemo(t, "127.0.0.1:0")
	info := startPipeline(t, fetcher.Config{Sources: demoSources(t, base), PollInterval: 2 * time.Second, PerHostDelay: time.Millisecond})
	stories := waitStories(t, info.HTTPAddr, len(expected), 90*time.Second)
	alerts := waitAlerts(t, info.HTTPAddr, 1, 20*time.Second)
	site := "http://" + info.HTTPAddr

	actx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first call starts the browser, which lives as long as the context
	// of that call: it gets no timeout, every later step does (b.step).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{t: t, ctx: ctx, shots: shots}
	// A phone: its width, and its handling of the page's viewport meta tag
	// (a desktop window cannot be made this narrow in headless mode).
	b.do("emulate a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile))

	t.Run("search in Russian", func(t *testing.T) {
		b.t = t
		b.do("open", chromedp.Navigate(site+"/"), chromedp.WaitVisible(chromedp.CSS(`#stories`)))
		b.fits("01-front-page")
		b.search("транзит")
		titles, langs := b.listed()
		if len(titles) != 1 || !strings.Contains(titles[0], "China Telecom") || langs[0] != "ru" {
			t.Errorf("транзит found %q (%v), want the Russian Rostelecom–China Telecom transit story alone", titles, langs)
		}
		b.fits("02-search-russian")
	})
	t.Run("search in Chinese", func(t *testing.T) {
		b.t = t
		b.search("月球")
		titles, langs := b.listed()
		if len(titles) != 1 || !strings.Contains(titles[0], "月球科研站") || langs[0] != "zh" {
			t.Errorf("月球 found %q (%v), want the Chinese lunar station story alone", titles, langs)
		}
		b.fits("03-search-chinese")
	})
	t.Run("a filter narrows the list and survives a reload", func(t *testing.T) {
		b.t = t
		b.do("open", chromedp.Navigate(site+"/?rucn="), chromedp.WaitVisible(chromedp.CSS(`#stories`)))
		all, _ := b.listed()
		b.do("choose Russian", chromedp.SetValue(chromedp.CSS(`select[name=lang]`), "ru"),
			chromedp.Submit(chromedp.CSS(`select[name=lang]`)))
		b.waitParam("lang", "ru")
		check := func(when string) {
			t.Helper()
			titles, langs := b.listed()
			lang := eval[string](b, `document.querySelector('select[name=lang]').value`)
			loc := eval[string](b, `location.href`)
			if len(titles) == 0 || len(titles) >= len(all) {
				t.Errorf("%s: %d stories in Russian of %d, want fewer but some", when, len(titles), len(all))
			}
			if slices.ContainsFunc(langs, func(l string) bool { return l != "ru" }) {
				t.Errorf("%s: languages %v, want only ru", when, langs)
			}
			if lang != "ru" || !strings.Contains(loc, "lang=ru") {
				t.Errorf("%s: the form shows %q and the URL is %s, want ru in both", when, lang, loc)
			}
		}
		check("after filtering")
		b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#stories`)))
		check("after a reload")
		b.fits("04-filter-russian")
	})
	t.Run("a story page highlights its evidence", func(t *testing.T) {
		b.t = t
		id := ""
		for _, s := range stories {
			if s.Agreement.Detected && s.Lang == "en" {
				id = s.ID
			}
		}
		if id == "" {
			t.Fatal("the demo stored no English story reporting a deal")
		}
		b.do("open", chromedp.Navigate(site+"/stories/"+id), chromedp.WaitVisible(chromedp.CSS(`article`)))
		marks := eval[int](b, `document.querySelectorAll('.text mark.ev').length`)
		tags := eval[[]string](b, `[...document.querySelectorAll('.text .evtag')].map(e => e.textContent)`)
		if marks == 0 || !slices.ContainsFunc(tags, func(s string) bool { return strings.Contains(s, "agreement") }) {
			t.Errorf("story %s: %d highlighted sentences, tags %q; want the agreement's evidence marked in the text", id, marks, tags)
		}
		b.fits("05-story-evidence")
	})
	t.Run("a deal page lists every report across languages", func(t *testing.T) {
		b.t = t
		key := ""
		var want []string // the deal's reports' languages
		for _, al := range alerts {
			var langs []string
			for _, s := range stories {
				if s.AgreementAlertKey == al.Key && !slices.Contains(langs, s.Lang) {
					langs = append(langs, s.Lang)
				}
			}
			if len(langs) > len(want) {
				key, want = al.Key, langs
			}
		}
		if len(want) < 2 {
			t.Fatalf("no alert of the demo has reports in two languages: %v", alerts)
		}
		slices.Sort(want)
		b.do("open the front page", chromedp.Navigate(site+"/"), chromedp.WaitVisible(chromedp.CSS(`#deals`)))
		clicked := eval[bool](b, fmt.Sprintf(`(() => {
			const a = [...document.querySelectorAll('#deals a')].find(a => decodeURIComponent(a.pathname) === '/deals/' + %q);
			if (a) a.click();
			return !!a;
		})()`, key))
		if !clicked {
			t.Fatalf("the front page lists no link to deal %s", key)
		}
		b.do("wait for the deal page", chromedp.WaitVisible(chromedp.CSS(`#reports`)))
		langs := eval[[]string](b, `[...document.querySelectorAll('#reports li .lang')].map(e => e.textContent)`)
		summary := eval[string](b, `document.querySelector('#summary').textContent`)
		slices.Sort(langs)
		if !slices.Equal(slices.Compact(langs), want) {
			t.Errorf("deal %s lists reports in %v, want %v", key, langs, want)
		}
		if wantSummary := fmt.Sprintf("in %d languages", len(want)); !strings.Contains(summary, wantSummary) {
			t.Errorf("summary %q lacks %q", summary, wantSummary)
		}
		b.fits("06-deal-reports")
	})
	t.Run("sources page", func(t *testing.T) {
		b.t = t
		b.do("open", chromedp.Navigate(site+"/sources"), chromedp.WaitVisible(chromedp.CSS(`#sources`)))
		b.fits("07-sources")
	})
	t.Logf("screenshots in %s", shots)
}

// browser drives one tab for a test.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

// stepTimeout bounds one browser step.
const stepTimeout = 20 * time.Second

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// fits checks that the page needs no horizontal scroll at phone width,
// and writes its screenshot.
func (b *browser) fits(name string) {
	b.t.Helper()
	width := eval[int](b, `window.innerWidth`)
	scroll := eval[int](b, `Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)`)
	if width != phoneWidth {
		b.t.Errorf("%s: viewport is %d px wide, want %d", name, width, phoneWidth)
	}
	if scroll > width {
		b.t.Errorf("%s: page is %d px wide at a %d px viewport: it scrolls sideways", name, scroll, width)
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("%s: screenshot: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// listed returns the titles and languages of the listed stories.
func (b *browser) listed() (titles, langs []string) {
	b.t.Helper()
	titles = eval[[]string](b, `[...document.querySelectorAll('#stories li.story > a.title')].map(a => a.textContent)`)
	langs = eval[[]string](b, `[...document.querySelectorAll('#stories li.story > a.title')].map(a => a.lang)`)
	return titles, langs
}

// search types q into the search box of the page at hand and submits the
// form, as a person would.
func (b *browser) search(q string) {
	b.t.Helper()
	eval[string](b, `document.querySelector('input[name=q]').value = ''`)
	b.do("search "+q,
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), q),
		chromedp.Submit(chromedp.CSS(`input[name=q]`)))
	b.waitParam("q", q)
}

// waitParam waits until the page's URL has parameter name set to value,
// that is until a submitted form's page has come (the page before it may
// have had the parameter too, with another value), and the page is loaded.
func (b *browser) waitParam(name, value string) {
	b.t.Helper()
	js := fmt.Sprintf(`document.readyState === 'complete' && new URLSearchParams(location.search).get(%q) === %q`, name, value)
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("the page did not go to a URL with %s=%s (at %s)", name, value, eval[string](b, `location.href`))
}
