package extract

import (
	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// selectors are the compiled CSS selectors of the metadata lookups and of
// the chrome rules that are naturally selectors. New compiles them once;
// they are never changed afterwards, so one set serves every page and
// goroutine.
//
// Selectors never walk the whole page: matching the metadata selector
// group against every node of a 200 KB page costs about 100 µs, 6–8% of
// the page's extraction (BenchmarkMetadata/document-selectors), while the
// content walk already visits every element. The walk hands over the few
// dozen elements that can carry metadata (by tag, and by the presence of
// itemprop, rel or an author-like class or id; about 10 µs) and the
// selectors decide among those (about 15 µs with the JSON-LD decoding).
// The role selectors are matched once per distinct class/id/role
// combination through the walk's hint cache. Rules that need every
// element's own attributes (hidden, aria-hidden, inline display:none)
// stay a loop over the attributes the walk reads anyway: as selectors
// they would be matched per element.
type selectors struct {
	// Metadata lookups, in the page's <head> and in microdata and
	// markup in its body.
	htmlRoot     cascadia.Selector // <html> (its lang attribute)
	title        cascadia.Selector // <title>
	meta         cascadia.Selector // <meta> with a name, property, itemprop or http-equiv
	canonical    cascadia.Selector // <link rel=canonical>
	jsonLD       cascadia.Selector // <script type="application/ld+json">
	headline     cascadia.Selector // <h1>
	subhead      cascadia.Selector // <h2>
	timeDatetime cascadia.Selector // <time datetime>
	itempropDate cascadia.Selector // microdata dates on ordinary elements
	itempropHead cascadia.Selector // microdata headline on ordinary elements
	itempropName cascadia.Selector // itemprop=name inside an author item
	byline       cascadia.Selector // author elements: rel/itemprop author, byline and author classes
	bylineItem   cascadia.Selector // microdata author items
	notByline    cascadia.Selector // elements never taken as the byline

	// chromeRole marks page furniture by its ARIA role. It reads the role
	// attribute only, so one match per distinct class/id/role key (the
	// walk's hint cache) decides for every element with that key.
	chromeRole cascadia.Selector

	// hints finds the class/id hint words (not selectors, but compiled
	// with them: an automaton built once).
	hints *hintWords

	// textByte classifies bytes for the walk's text runs (tb* classes).
	textByte [256]uint8
}

// compileSelectors compiles the fixed selector set; cascadia.MustCompile
// panics only on a typo in this file, which every test would hit.
func compileSelectors() *selectors {
	return &selectors{
		htmlRoot:     cascadia.MustCompile("html"),
		title:        cascadia.MustCompile("title"),
		meta:         cascadia.MustCompile("meta[property], meta[name], meta[itemprop], meta[http-equiv]"),
		canonical:    cascadia.MustCompile("link[rel=canonical i][href]"),
		jsonLD:       cascadia.MustCompile(`script[type*="ld+json" i]`),
		headline:     cascadia.MustCompile("h1"),
		subhead:      cascadia.MustCompile("h2"),
		timeDatetime: cascadia.MustCompile("time[datetime]"),
		itempropDate: cascadia.MustCompile("[itemprop~=datePublished], [itemprop~=dateModified], [itemprop~=dateCreated]"),
		itempropHead: cascadia.MustCompile("[itemprop~=headline]"),
		itempropName: cascadia.MustCompile("[itemprop=name]"),
		byline: cascadia.MustCompile("[rel=author], [itemprop*=author], " +
			"[class*=byline i], [class*=author i], [class*=dateline i], [class*=writtenby i], " +
			"[id*=byline i], [id*=author i], [id*=dateline i], [id*=writtenby i]"),
		bylineItem: cascadia.MustCompile("[itemprop*=author]"),
		notByline:  cascadia.MustCompile("html, body, meta"),
		hints:      newHintWords(),
		textByte:   newTextBytes(),
		chromeRole: cascadia.MustCompile("[role=menu i], [role=menubar i], [role=complementary i], [role=navigation i], " +
			"[role=alert i], [role=alertdialog i], [role=dialog i]"),
	}
}

// metaSelection returns the metadata candidates as a goquery selection of
// the page: nodes is what the content walk collected, in document order.
func metaSelection(root *html.Node, nodes []*html.Node) *goquery.Selection {
	return goquery.NewDocumentFromNode(root).FindNodes(nodes...)
}
