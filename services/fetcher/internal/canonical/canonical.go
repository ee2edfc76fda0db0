// Package canonical finds the URL a page says is its own: the
// <link rel="canonical"> of its head, else its og:url. The fetcher derives
// an article's id from it, so that the AMP copy, the mobile copy and the
// tracking-tagged link of one story are one article.
//
// A page only speaks for its own site: a canonical URL on another
// registrable domain is not taken (a page could otherwise claim another
// site's article), nor is one that points at a site's home page (a common
// misconfiguration that would make every article of the site one).
//
// It is plain Go: bytes in, a URL out.
package canonical

import (
	"bytes"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/publicsuffix"
)

// scanLimit bounds how much of a page is read looking for its head's links.
const scanLimit = 512 << 10

// Find returns the canonical URL page declares, resolved against base (the
// URL it was served from, after redirects) and the page's own <base>, or
// "" when it declares none that Acceptable allows.
func Find(page []byte, base *url.URL) string {
	link, og := scan(page, base)
	for _, c := range []string{link, og} {
		if c == "" {
			continue
		}
		u, err := url.Parse(c)
		if err == nil && Acceptable(u, base) {
			return u.String()
		}
	}
	return ""
}

// Acceptable reports whether u may stand as the canonical URL of a page
// served from base: http(s), on the same site, and not the site's home page.
func Acceptable(u, base *url.URL) bool {
	if u == nil || base == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	if p := strings.Trim(u.EscapedPath(), "/"); p == "" || p == "index.html" || p == "index.php" {
		return false
	}
	return SameSite(u, base)
}

// SameSite reports whether a and b are on one site: the same registrable
// domain (eTLD+1: www.example.co.uk and m.example.co.uk are; example.co.uk
// and other.co.uk are not), or the same IP address.
func SameSite(a, b *url.URL) bool {
	ha, hb := strings.ToLower(a.Hostname()), strings.ToLower(b.Hostname())
	if ha == hb {
		return true
	}
	if net.ParseIP(ha) != nil || net.ParseIP(hb) != nil {
		return false
	}
	ra, erra := publicsuffix.EffectiveTLDPlusOne(ha)
	rb, errb := publicsuffix.EffectiveTLDPlusOne(hb)
	return erra == nil && errb == nil && ra == rb
}

// scan reads the page's head for <link rel=canonical>, og:url and <base>,
// and returns the first two resolved.
func scan(page []byte, base *url.URL) (link, og string) {
	if len(page) > scanLimit {
		page = page[:scanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	ref := base
	resolve := func(v string) string {
		v = strings.TrimSpace(v)
		if v == "" || ref == nil {
			return ""
		}
		u, err := ref.Parse(v)
		if err != nil {
			return ""
		}
		u.Fragment = ""
		return u.String()
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return link, og
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return link, og // the head is over
			case atom.Base, atom.Link, atom.Meta:
			default:
				continue
			}
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			switch atom.Lookup(name) {
			case atom.Base:
				if u, err := url.Parse(strings.TrimSpace(attrs["href"])); err == nil && base != nil && attrs["href"] != "" {
					ref = base.ResolveReference(u)
				}
			case atom.Link:
				if link == "" && hasToken(attrs["rel"], "canonical") {
					link = resolve(attrs["href"])
				}
			case atom.Meta:
				if og == "" && strings.EqualFold(strings.TrimSpace(attrs["property"]), "og:url") {
					og = resolve(attrs["content"])
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Head {
				return link, og
			}
		}
	}
}

// hasToken reports whether a space-separated attribute holds tok.
func hasToken(attr, tok string) bool {
	for _, f := range strings.Fields(attr) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
