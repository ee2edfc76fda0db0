package demosite

import (
	"bytes"
	"mime"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNonUTF8PagesDecode(t *testing.T) {
	_, base := startSite(t)
	pages, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]Page{}
	for _, p := range pages {
		byPath[p.Path] = p
	}
	tests := []struct {
		name        string
		path        string
		headerLabel string // charset parameter of Content-Type; "" for none
		metaLabel   string
	}{
		{name: "windows-1251 in header and meta", path: "/vostok-tech/news/2026/11/05/18207.shtml", headerLabel: "windows-1251", metaLabel: "windows-1251"},
		{name: "GBK in header, gb2312 in meta", path: "/zhongguo-keji/keji/20261106/c_1130245.htm", headerLabel: "GBK", metaLabel: "gb2312"},
		{name: "GBK declared only by meta", path: "/zhongguo-keji/keji/20261115/c_1130391.htm", headerLabel: "", metaLabel: "gb2312"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := byPath[tt.path]
			if !ok {
				t.Fatalf("no labels for %s", tt.path)
			}
			resp, body := fetch(t, base+tt.path, nil)
			_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
			if err != nil {
				t.Fatal(err)
			}
			if params["charset"] != tt.headerLabel {
				t.Errorf("Content-Type charset %q, want %q", params["charset"], tt.headerLabel)
			}
			if got := declaredCharset("text/html", body); got != tt.metaLabel {
				t.Errorf("meta charset in first 1024 bytes %q, want %q", got, tt.metaLabel)
			}
			if utf8.Valid(body) {
				t.Fatalf("body is valid UTF-8; it should be stored in %s", p.Charset)
			}
			if bytes.Contains(body, []byte(p.Headline)) {
				t.Errorf("raw body contains the UTF-8 headline; it is not encoded")
			}
			text := decodeHTML(t, resp.Header.Get("Content-Type"), body)
			if !utf8.ValidString(text) || !strings.Contains(text, p.Headline) {
				t.Errorf("decoded page lacks the headline %q", p.Headline)
			}
			if strings.ContainsRune(text, utf8.RuneError) {
				t.Errorf("decoded page contains U+FFFD")
			}
		})
	}
}

func TestEveryPageDecodes(t *testing.T) {
	_, base := startSite(t)
	pages, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		resp, body := fetch(t, base+p.Path, nil)
		if p.Charset == "utf-8" && !utf8.Valid(body) {
			t.Errorf("%s: declared utf-8 but invalid", p.Path)
		}
		text := decodeHTML(t, resp.Header.Get("Content-Type"), body)
		if strings.ContainsRune(text, utf8.RuneError) || !strings.Contains(text, p.Headline) {
			t.Errorf("%s: decoding from %s loses text", p.Path, declaredCharset(resp.Header.Get("Content-Type"), body))
		}
	}
}
