// Package section reads the article links off an HTML section page (a
// site's "Technology" page, say) with a CSS selector, for sites without a
// feed. It is plain Go: a UTF-8 page in (package mend makes it so), links
// out.
package section

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/newspipe/newspipe/services/fetcher/internal/canonical"
)

// Sentinel errors, matched with errors.Is on what Links returns.
var (
	// ErrSelector is a selector that does not parse.
	ErrSelector = errors.New("bad selector")
	// ErrNoLinks is a page on which the selector finds no article link:
	// usually a redesign of the site, which is a failure to report, not a
	// quiet day.
	ErrNoLinks = errors.New("selector matches no article link")
)

// Link is one article link found on the page.
type Link struct {
	// URL is absolute http(s), on the page's site.
	URL string
	// Text is the link's text, white space collapsed.
	Text string
}

// Links returns the links the selector picks on page, in page order, each
// once. An element the selector picks that is not a link stands for the
// first link inside it (or the link around it): "article h2" works as well
// as "article h2 a". Links are resolved against the page's <base> or base,
// and only http(s) links on the page's own site are kept (the rest are
// ads, social buttons, other sites).
func Links(page []byte, base *url.URL, selector string) ([]Link, error) {
	if _, err := cascadia.ParseGroup(selector); err != nil {
		return nil, fmt.Errorf("%w: %q: %v", ErrSelector, selector, err)
	}
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("parse section page: %w", err)
	}
	doc := goquery.NewDocumentFromNode(root)
	ref := base
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok && base != nil {
		if u, err := base.Parse(strings.TrimSpace(href)); err == nil {
			ref = u
		}
	}
	var out []Link
	seen := map[string]bool{}
	matched := 0
	doc.Find(selector).Each(func(_ int, s *goquery.Selection) {
		matched++
		a := s
		if goquery.NodeName(s) != "a" {
			if inner := s.Find("a[href]").First(); inner.Length() > 0 {
				a = inner
			} else {
				a = s.Closest("a[href]")
			}
		}
		href, ok := a.Attr("href")
		if !ok || ref == nil {
			return
		}
		u, err := ref.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !canonical.SameSite(u, base) {
			return
		}
		u.Fragment = ""
		if seen[u.String()] {
			return
		}
		seen[u.String()] = true
		out = append(out, Link{URL: u.String(), Text: strings.Join(strings.Fields(a.Text()), " ")})
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %q matched %d elements, none a usable link", ErrNoLinks, selector, matched)
	}
	return out, nil
}
