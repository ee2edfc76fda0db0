// Package robots parses robots.txt files and answers whether a crawler may
// fetch a path, following RFC 9309: the group of the most specific matching
// user agent applies (else the "*" group, else everything is allowed), the
// longest matching rule wins, and Allow wins a tie. "*" in a rule matches any
// run of characters and a trailing "$" anchors the rule at the end of the path.
//
// It is plain Go: bytes in, answers out. Fetching and caching the file per
// host is the caller's business.
package robots

import (
	"bufio"
	"bytes"
	"strings"
)

// MaxSize is how much of a robots.txt is read; RFC 9309 asks crawlers to
// parse at least 500 KiB and allows ignoring the rest.
const MaxSize = 500 << 10

// Rules is a parsed robots.txt. The zero value, and a nil *Rules, allow
// everything.
type Rules struct {
	groups []group
}

type group struct {
	agents []string // lower case product tokens, or "*"
	rules  []rule
}

type rule struct {
	allow   bool
	pattern string
	// parts are the pattern's pieces between "*"s, split once at parse
	// time; anchored is a trailing "$".
	parts    []string
	anchored bool
}

func newRule(allow bool, pattern string) rule {
	anchored := strings.HasSuffix(pattern, "$")
	return rule{allow: allow, pattern: pattern, anchored: anchored, parts: strings.Split(strings.TrimSuffix(pattern, "$"), "*")}
}

// AllowAll is the answer for a site without a robots.txt (HTTP 4xx).
var AllowAll = &Rules{}

// DisallowAll is the answer RFC 9309 prescribes while robots.txt is
// unreachable (HTTP 5xx, network failure).
var DisallowAll = &Rules{groups: []group{{agents: []string{"*"}, rules: []rule{newRule(false, "/")}}}}

// Parse reads a robots.txt. It never fails: lines it does not understand are
// skipped, as the RFC asks, and input beyond MaxSize is ignored.
func Parse(data []byte) *Rules {
	if len(data) > MaxSize {
		data = data[:MaxSize]
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	r := &Rules{}
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxSize+1)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent":
			if !lastWasAgent || cur == nil {
				r.groups = append(r.groups, group{})
				cur = &r.groups[len(r.groups)-1]
			}
			cur.agents = append(cur.agents, strings.ToLower(value))
			lastWasAgent = true
		case "allow", "disallow":
			lastWasAgent = false
			if cur == nil || value == "" { // rules before any user-agent; empty Disallow means nothing
				continue
			}
			cur.rules = append(cur.rules, newRule(key == "allow", value))
		default:
			// Sitemap, Crawl-delay and unknown lines neither end a group
			// nor start one.
		}
	}
	return r
}

// Allowed reports whether the crawler whose product token is agent (such as
// "newspipe") may fetch path, which is the URL's escaped path plus, where
// present, "?" and the query.
func (r *Rules) Allowed(agent, path string) bool {
	if r == nil {
		return true
	}
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" {
		return true // RFC 9309 §2.2.2: always allowed
	}
	rules := r.rulesFor(strings.ToLower(agent))
	best, allow := -1, true
	for _, ru := range rules {
		if !ru.match(path) {
			continue
		}
		n := len(ru.pattern)
		if n > best || n == best && ru.allow {
			best, allow = n, ru.allow
		}
	}
	return allow
}

// rulesFor merges the groups naming agent, or else those naming "*".
func (r *Rules) rulesFor(agent string) []rule {
	var named, star []rule
	foundNamed := false
	for _, g := range r.groups {
		isNamed, isStar := false, false
		for _, a := range g.agents {
			isStar = isStar || a == "*"
			isNamed = isNamed || agent != "" && a == agent
		}
		if isNamed {
			named, foundNamed = append(named, g.rules...), true
		}
		if isStar {
			star = append(star, g.rules...)
		}
	}
	if foundNamed {
		return named
	}
	return star
}

// match reports whether the rule's pattern matches path from its start.
func (ru *rule) match(path string) bool {
	rest := path
	for i, part := range ru.parts {
		last := i == len(ru.parts)-1
		switch {
		case i == 0:
			if !strings.HasPrefix(rest, part) {
				return false
			}
			rest = rest[len(part):]
			if last && ru.anchored && rest != "" {
				return false
			}
		case last && ru.anchored:
			// The final part must end the path; everything before it was
			// matched leftmost, which leaves it the most room.
			return strings.HasSuffix(rest, part)
		default:
			j := strings.Index(rest, part)
			if j < 0 {
				return false
			}
			rest = rest[j+len(part):]
		}
	}
	return true
}
