package mend

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// Texts written for these tests.
const (
	ruText = "Российские и китайские инженеры подписали соглашение о совместной разработке спутниковой связи. Проект рассчитан на пять лет."
	zhText = "中俄两国工程师签署了卫星通信联合研发协议。该项目为期五年，预计明年启动。"
	frText = "Les ingénieurs ont signé un accord à Genève : coopération spatiale et télécommunications, prévue dès l'été."
	deText = "Die Ingenieure unterzeichneten in München ein Abkommen über Satellitenkommunikation für fünf Jahre."
)

func encode(t testing.TB, label, s string) []byte {
	t.Helper()
	enc, err := htmlindex.Get(label)
	if err != nil {
		t.Fatal(err)
	}
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %s: %v", label, err)
	}
	return b
}

func rss(t testing.TB, declared, label, title string) []byte {
	t.Helper()
	decl := `<?xml version="1.0"?>`
	if declared != "" {
		decl = `<?xml version="1.0" encoding="` + declared + `"?>`
	}
	return append([]byte(decl+"\n<rss version=\"2.0\"><channel><title>"), append(encode(t, label, title), "</title></channel></rss>"...)...)
}

func title(t *testing.T, doc []byte) string {
	t.Helper()
	var v struct {
		Title string `xml:"channel>title"`
	}
	d := xml.NewDecoder(bytes.NewReader(doc)) // strict, no charset reader: mended output must not need one
	if err := d.Decode(&v); err != nil {
		t.Fatalf("mended document does not parse strictly: %v\n%s", err, doc)
	}
	return v.Title
}

func TestXMLCharsets(t *testing.T) {
	tests := []struct {
		name         string
		doc          []byte
		hint         Hint
		wantTitle    string
		wantCharset  string
		wantDetected bool
	}{
		{"utf-8 as declared", rss(t, "UTF-8", "utf-8", ruText), Hint{}, ruText, "utf-8", false},
		{"windows-1251 declaring utf-8", rss(t, "UTF-8", "windows-1251", ruText), Hint{Lang: "ru"}, ruText, "windows-1251", true},
		{"windows-1251 declaring utf-8, no language", rss(t, "utf-8", "windows-1251", ruText), Hint{}, ruText, "windows-1251", true},
		{"windows-1251 declaring nothing", rss(t, "", "windows-1251", ruText), Hint{Lang: "ru"}, ruText, "windows-1251", true},
		{"windows-1251 with a utf-8 header", rss(t, "", "windows-1251", ruText), Hint{Header: "utf-8"}, ruText, "windows-1251", true},
		{"koi8-r declaring utf-8", rss(t, "UTF-8", "koi8-r", ruText), Hint{Lang: "ru"}, ruText, "koi8-r", true},
		{"windows-1251 declared right", rss(t, "windows-1251", "windows-1251", ruText), Hint{}, ruText, "windows-1251", false},
		{"gb2312 declared", rss(t, "gb2312", "gbk", zhText), Hint{}, zhText, "gbk", false},
		{"gb2312 declaring utf-8", rss(t, "UTF-8", "gbk", zhText), Hint{Lang: "zh"}, zhText, "gb18030", true},
		{"gb2312 declaring utf-8, no language", rss(t, "UTF-8", "gbk", zhText), Hint{}, zhText, "gb18030", true},
		{"windows-1252 declaring utf-8", rss(t, "UTF-8", "windows-1252", frText), Hint{}, frText, "windows-1252", true},
		{"windows-1252 german, no declaration", rss(t, "", "windows-1252", deText), Hint{Lang: "de"}, deText, "windows-1252", true},
		{"utf-8 declaring iso-8859-1", rss(t, "iso-8859-1", "utf-8", frText), Hint{}, frText, "utf-8", true},
		{"the source's override wins", rss(t, "UTF-8", "windows-1251", ruText), Hint{Override: "windows-1251", Header: "utf-8"}, ruText, "windows-1251", false},
		{"utf-8 with a byte-order mark", append([]byte("\xef\xbb\xbf"), rss(t, "UTF-8", "utf-8", zhText)...), Hint{}, zhText, "utf-8", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, rep := XML(tt.doc, tt.hint)
			if !utf8.Valid(out) {
				t.Fatal("output is not UTF-8")
			}
			if got := title(t, out); got != tt.wantTitle {
				t.Errorf("title = %q\nwant    %q", got, tt.wantTitle)
			}
			if rep.Charset != tt.wantCharset || rep.Detected != tt.wantDetected {
				t.Errorf("report %+v, want charset %s detected %v", rep, tt.wantCharset, tt.wantDetected)
			}
			if bytes.Contains(out, []byte(`encoding="`)) && !bytes.Contains(out, []byte(`encoding="UTF-8"`)) {
				t.Errorf("declaration not rewritten: %s", out[:60])
			}
		})
	}
}

func TestXMLRepairs(t *testing.T) {
	tests := []struct {
		name, in, want string
		removed, esc   int
	}{
		{"control characters", "<r><t>Sig\x01ned\x0b in\x1f Moscow\x00</t></r>", "<r><t>Signed in Moscow</t></r>", 4, 0},
		{"tab, newline and return stay", "<r><t>a\tb\nc\rd</t></r>", "<r><t>a\tb\nc\rd</t></r>", 0, 0},
		{"U+FFFE and U+FFFF", "<r><t>a\uFFFEb\uFFFF</t></r>", "<r><t>ab</t></r>", 2, 0},
		{"bare ampersand", "<r><t>AT&T & Rostelecom</t></r>", "<r><t>AT&amp;T &amp; Rostelecom</t></r>", 0, 2},
		{"references stay", "<r><t>a &amp; b &#169; &#xA9; &nbsp; &mdash;</t></r>", "<r><t>a &amp; b &#169; &#xA9; &nbsp; &mdash;</t></r>", 0, 0},
		{"half references", "<r><t>&#; &#x; &; &amp</t></r>", "<r><t>&amp;#; &amp;#x; &amp;; &amp;amp</t></r>", 0, 4},
		{"query string in a link", "<r><l>https://a.example/?x=1&y=2</l></r>", "<r><l>https://a.example/?x=1&amp;y=2</l></r>", 0, 1},
		{"cdata untouched", "<r><l><![CDATA[https://a.example/?x=1&y=2]]></l></r>", "<r><l><![CDATA[https://a.example/?x=1&y=2]]></l></r>", 0, 0},
		{"comment untouched", "<r><!-- a & b --><t>c</t></r>", "<r><!-- a & b --><t>c</t></r>", 0, 0},
		{"unclosed cdata", "<r><![CDATA[a & b", "<r><![CDATA[a & b", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, rep := XML([]byte(tt.in), Hint{})
			if string(out) != tt.want || rep.Removed != tt.removed || rep.Escaped != tt.esc {
				t.Errorf("XML(%q) = %q (removed %d, escaped %d)\nwant %q (removed %d, escaped %d)", tt.in, out, rep.Removed, rep.Escaped, tt.want, tt.removed, tt.esc)
			}
		})
	}
}

func TestJSONIsOnlyDecoded(t *testing.T) {
	in := append([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"`), append(encode(t, "windows-1251", ruText), `","note":"a & b"}`...)...)
	out, rep := XML(in, Hint{Lang: "ru"})
	if !strings.Contains(string(out), ruText) || !strings.Contains(string(out), `"a & b"`) || rep.Escaped != 0 || rep.Charset != "windows-1251" {
		t.Fatalf("JSON mended to %q (%+v)", out, rep)
	}
}

func TestHTML(t *testing.T) {
	page := append([]byte(`<html><head><meta charset="windows-1251"><title>`), append(encode(t, "windows-1251", ruText), "</title></head></html>"...)...)
	out, rep := HTML(page, Hint{Header: ""})
	if !strings.Contains(string(out), ruText) || rep.Charset != "windows-1251" || rep.Detected {
		t.Fatalf("HTML with a meta charset: %+v", rep)
	}
	// The page says UTF-8 and is not.
	page = bytes.Replace(page, []byte("windows-1251"), []byte("utf-8"), 1)
	out, rep = HTML(page, Hint{Lang: "ru"})
	if !strings.Contains(string(out), ruText) || rep.Charset != "windows-1251" || !rep.Detected {
		t.Fatalf("HTML misdeclared: %+v", rep)
	}
}

func FuzzXML(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="koi8-r"?><r>&x; <![CDATA[&]]></r>`), "ru")
	f.Add(rss(f, "UTF-8", "windows-1251", ruText), "")
	f.Add(rss(f, "gb2312", "gbk", zhText), "zh")
	f.Add([]byte("\xff\xfe<\x00r\x00>\x00"), "")
	f.Fuzz(func(t *testing.T, data []byte, lang string) {
		out, rep := XML(data, Hint{Lang: lang})
		if !utf8.Valid(out) {
			t.Fatalf("output is not UTF-8 (%+v)", rep)
		}
		for _, r := range string(out) {
			if trimmed := bytes.TrimLeft(out, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '<' && forbidden(r) {
				t.Fatalf("forbidden %U left in XML output", r)
			}
		}
	})
}
