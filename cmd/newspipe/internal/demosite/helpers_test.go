package demosite

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"golang.org/x/text/encoding/htmlindex"
)

// startSite serves the site on a loopback httptest server, with the base URL
// derived from the request, and returns the site and the server's URL.
func startSite(t *testing.T) (*Site, string) {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h, err := s.Handler("")
	if err != nil {
		t.Fatalf("Handler: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// fetch GETs url and returns the response (body read and closed) and body.
func fetch(t *testing.T, url string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, body
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset=["']?([a-z0-9_-]+)`)

// declaredCharset is the charset a browser would pick: the Content-Type
// parameter, else a <meta> in the first 1024 bytes, else utf-8.
func declaredCharset(contentType string, body []byte) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		return params["charset"]
	}
	head := body[:min(len(body), 1024)]
	if m := metaCharset.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return "utf-8"
}

// decodeHTML decodes body from its declared charset with golang.org/x/text.
func decodeHTML(t *testing.T, contentType string, body []byte) string {
	t.Helper()
	label := declaredCharset(contentType, body)
	enc, err := htmlindex.Get(label)
	if err != nil {
		t.Fatalf("charset %q: %v", label, err)
	}
	out, err := io.ReadAll(enc.NewDecoder().Reader(bytes.NewReader(body)))
	if err != nil {
		t.Fatalf("decode %s: %v", label, err)
	}
	return string(out)
}
