package robots

import (
	"strings"
	"testing"
)

func TestAllowed(t *testing.T) {
	const site = `# a robots.txt written for these tests
User-agent: *
Disallow: /private/
Disallow: /search
Allow: /private/press/
Disallow: /*.pdf$
Disallow: /tmp*/cache

User-agent: NewsPipe
User-agent: otherbot
Disallow: /no-newspipe/
Allow: /search/ok

User-agent: greedybot
Disallow: /

Sitemap: https://example.test/sitemap.xml
`
	r := Parse([]byte(site))
	tests := []struct {
		name  string
		agent string
		path  string
		want  bool
	}{
		{"star: unlisted path", "somebot", "/news/1.html", true},
		{"star: disallowed dir", "somebot", "/private/x", false},
		{"star: longer allow wins", "somebot", "/private/press/release", true},
		{"star: prefix without slash", "somebot", "/search?q=x", false},
		{"star: anchored extension", "somebot", "/docs/a.pdf", false},
		{"star: anchored extension, not at end", "somebot", "/docs/a.pdf?x=1", true},
		{"star: wildcard in the middle", "somebot", "/tmp42/cache/x", false},
		{"star: wildcard, no match", "somebot", "/tmp42/data", true},
		{"named group replaces star group", "newspipe", "/private/x", true},
		{"named group rules", "newspipe", "/no-newspipe/a", false},
		{"agent match ignores case", "NEWSPIPE", "/no-newspipe/a", false},
		{"second agent of a group", "otherbot", "/no-newspipe/a", false},
		{"disallow all for one bot", "greedybot", "/anything", false},
		{"robots.txt itself is always allowed", "greedybot", "/robots.txt", true},
		{"empty path is the root", "greedybot", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Allowed(tt.agent, tt.path); got != tt.want {
				t.Errorf("Allowed(%q, %q) = %v, want %v", tt.agent, tt.path, got, tt.want)
			}
		})
	}
}

func TestEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		txt   string
		path  string
		agent string
		want  bool
	}{
		{"empty file allows", "", "/a", "newspipe", true},
		{"empty disallow allows", "User-agent: *\nDisallow:\n", "/a", "newspipe", true},
		{"rules before any agent are ignored", "Disallow: /\n", "/a", "newspipe", true},
		{"comment after rule", "User-agent: * # all\nDisallow: /a # not a\n", "/a/b", "newspipe", false},
		{"BOM is skipped", "\xef\xbb\xbfUser-agent: *\nDisallow: /a\n", "/a", "newspipe", false},
		{"CRLF line ends", "User-agent: *\r\nDisallow: /a\r\n", "/a", "newspipe", false},
		{"equal length: allow wins", "User-agent: *\nDisallow: /a\nAllow: /a\n", "/a", "newspipe", true},
		{"anchored root", "User-agent: *\nDisallow: /$\n", "/", "newspipe", false},
		{"anchored root, other path", "User-agent: *\nDisallow: /$\n", "/x", "newspipe", true},
		{"star group split in two", "User-agent: *\nDisallow: /a\n\nUser-agent: *\nDisallow: /b\n", "/b", "newspipe", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse([]byte(tt.txt)).Allowed(tt.agent, tt.path); got != tt.want {
				t.Errorf("Allowed(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestFixedAnswers(t *testing.T) {
	if !AllowAll.Allowed("newspipe", "/a") {
		t.Error("AllowAll refused")
	}
	if DisallowAll.Allowed("newspipe", "/a") {
		t.Error("DisallowAll allowed")
	}
	var nilRules *Rules
	if !nilRules.Allowed("newspipe", "/a") {
		t.Error("nil rules refused")
	}
}

func TestHugeFileIsCut(t *testing.T) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for b.Len() < MaxSize {
		b.WriteString("Disallow: /padding-padding-padding\n")
	}
	b.WriteString("Disallow: /late\n") // beyond MaxSize: ignored
	r := Parse([]byte(b.String()))
	if !r.Allowed("newspipe", "/late") {
		t.Error("a rule after MaxSize was applied")
	}
	if r.Allowed("newspipe", "/padding-padding-padding") {
		t.Error("a rule before MaxSize was not applied")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /a*b$\nAllow: /a\n"), "/axb")
	f.Add([]byte("User-agent: newspipe\nDisallow: /\n"), "/")
	f.Add([]byte("user-agent:*\ndisallow:*$\n"), "")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		r := Parse(data)
		_ = r.Allowed("newspipe", path)
		if !r.Allowed("newspipe", "/robots.txt") {
			t.Fatal("robots.txt refused")
		}
	})
}
