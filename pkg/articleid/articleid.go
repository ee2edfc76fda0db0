// Package articleid derives an article's identity from its URL. The same id
// follows the article through every stage (DESIGN.md, "Identity").
package articleid

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that never change what page is served.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true, "mc_cid": true, "mc_eid": true,
	"igshid": true, "ref": true, "ref_src": true, "cmpid": true, "ito": true, "spm": true, "from": true,
	"_ga": true, "_gl": true, "ocid": true, "smid": true, "sr_share": true, "share": true,
}

// Canonical returns the canonical form of raw: scheme and host lower-cased,
// default port, fragment and tracking parameters (utm_*, fbclid, …) removed,
// remaining parameters sorted, and an empty path written as "/".
func Canonical(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("articleid: parse %q: %w", raw, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("articleid: %q is not an absolute URL", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("articleid: %q: scheme %s is not http(s)", raw, u.Scheme)
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", fmt.Errorf("articleid: %q has no host", raw)
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6 literal
	}
	u.Host = host
	if port != "" {
		u.Host = host + ":" + port
	}
	u.Fragment, u.RawFragment, u.User = "", "", nil
	if u.Path == "" {
		u.Path = "/"
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	u.RawQuery = b.String()
	u.ForceQuery = false
	return u.String(), nil
}

// FromCanonical returns the id of an already canonical URL: the first 16 bytes
// of its SHA-256, in hex. Ids are fixed-length and safe in subjects and keys.
func FromCanonical(canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return hex.EncodeToString(sum[:16])
}

// ID canonicalises raw and returns the canonical URL and its id.
func ID(raw string) (id, canonical string, err error) {
	c, err := Canonical(raw)
	if err != nil {
		return "", "", err
	}
	return FromCanonical(c), c, nil
}
