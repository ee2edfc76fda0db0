package fetch

import (
	"bytes"
	"net/http"
	"strings"
)

// sniffWall is how much of a suspicious body is read to recognise a bot
// wall; challenge pages are small.
const sniffWall = 64 << 10

// wallStatus reports whether a status is one bot walls answer with: their
// challenge comes as 403, 429 or 503, never as the 404 of a missing page.
func wallStatus(code int) bool {
	return code == http.StatusForbidden || code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable
}

// botWall recognises a bot-protection challenge served instead of the
// content, and names it. It looks at headers the vendors document
// (Cloudflare's cf-mitigated) and at markers of their challenge pages.
func botWall(h http.Header, status int, body []byte) (string, bool) {
	if strings.EqualFold(h.Get("Cf-Mitigated"), "challenge") {
		return "cloudflare challenge", true
	}
	server := strings.ToLower(h.Get("Server"))
	lower := bytes.ToLower(body[:min(len(body), sniffWall)])
	has := func(markers ...string) bool {
		for _, m := range markers {
			if bytes.Contains(lower, []byte(m)) {
				return true
			}
		}
		return false
	}
	// The challenge's options object appears on challenge pages only, even
	// served as 200. (Not /cdn-cgi/challenge-platform/ alone: Cloudflare
	// injects a script from there into ordinary pages too.)
	if has("window._cf_chl_opt") {
		return "cloudflare challenge", true
	}
	if !wallStatus(status) {
		return "", false
	}
	switch {
	case strings.Contains(server, "cloudflare") && has("just a moment", "attention required! | cloudflare", "cf-browser-verification", "/cdn-cgi/challenge-platform/"):
		return "cloudflare challenge", true
	case strings.Contains(server, "ddos-guard") || has("ddos-guard"):
		return "ddos-guard", true
	case h.Get("X-Sucuri-Id") != "" || has("sucuri website firewall"):
		return "sucuri firewall", true
	case strings.Contains(server, "akamaighost") && has("access denied"):
		return "akamai bot manager", true
	}
	return "", false
}
