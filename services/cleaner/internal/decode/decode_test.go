package decode

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// Sentences written for these tests, one per script the decoder must handle.
const (
	ruText = "Правительство объявило, что новый завод по выпуску микросхем откроется в следующем году, а переговоры с партнёрами продолжаются."
	zhText = "两国代表在会议上签署了关于人工智能和卫星导航合作的协议，双方同意明年在北京建立联合实验室，并加强技术人员的交流。"
	twText = "兩國代表在會議上簽署了關於人工智慧和衛星導航合作的協議，雙方同意明年在台北建立聯合實驗室，並加強技術人員的交流。"
	jaText = "両国の代表は会議で人工知能と衛星航法の協力に関する協定に署名し、来年には東京に共同研究所を設立することで合意した。"
	koText = "양국 대표는 회의에서 인공지능과 위성 항법 협력에 관한 협정에 서명했으며 내년에 서울에 공동 연구소를 설립하기로 합의했다."
	frText = "Le gouvernement a annoncé qu'une nouvelle usine à Besançon ouvrira l'année prochaine, malgré les réticences des élus régionaux."
)

func encode(t *testing.T, label, s string) []byte {
	t.Helper()
	enc, _ := charset.Lookup(label)
	if enc == nil {
		t.Fatalf("no encoder for %s", label)
	}
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %s: %v", label, err)
	}
	return b
}

func page(head string, body []byte) []byte {
	var b bytes.Buffer
	b.WriteString("<!doctype html><html><head>" + head + "<title>t</title></head><body><p>")
	b.Write(body)
	b.WriteString("</p></body></html>")
	return b.Bytes()
}

func TestDecode(t *testing.T) {
	longHead := "<script>" + strings.Repeat("var x = 1; ", 400) + "</script>"
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantText    string
		wantCharset string
		wantSource  Source
	}{
		{"utf-8 plain", page("", []byte(ruText)), "", ruText, "utf-8", SourceUTF8},
		{"ascii only", page("", []byte("plain words")), "", "plain words", "utf-8", SourceASCII},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, page("", []byte(zhText))...), "text/html; charset=windows-1251", zhText, "utf-8", SourceBOM},
		{"utf-16le bom", append([]byte{0xFF, 0xFE}, encode(t, "utf-16le", string(page("", []byte(koText))))...), "", koText, "utf-16le", SourceBOM},
		{"header windows-1251", page("", encode(t, "windows-1251", ruText)), "text/html; charset=windows-1251", ruText, "windows-1251", SourceHeader},
		{"header quoted koi8-r", page("", encode(t, "koi8-r", ruText)), `text/html; charset="KOI8-R"`, ruText, "koi8-r", SourceHeader},
		{"header latin-1 but utf-8 body", page("", []byte(frText)), "text/html; charset=iso-8859-1", frText, "utf-8", SourceUTF8},
		{"meta charset gbk", page(`<meta charset="gb2312">`, encode(t, "gbk", zhText)), "", zhText, "gbk", SourceMeta},
		{"meta http-equiv big5 after long script", page(longHead+`<meta http-equiv="Content-Type" content="text/html; charset=big5">`, encode(t, "big5", twText)), "", twText, "big5", SourceMeta},
		{"meta shift_jis unquoted", page(`<META CHARSET=Shift_JIS>`, encode(t, "shift_jis", jaText)), "", jaText, "shift_jis", SourceMeta},
		{"meta euc-kr in comment is ignored then detected", page(`<!-- <meta charset="koi8-r"> --><meta charset="euc-kr">`, encode(t, "euc-kr", koText)), "", koText, "euc-kr", SourceMeta},
		{"meta utf-8 lies about windows-1251", page(`<meta charset="utf-8">`, encode(t, "windows-1251", ruText)), "", ruText, "windows-1251", SourceDetected},
		{"detect windows-1251", page("", encode(t, "windows-1251", ruText)), "", ruText, "windows-1251", SourceDetected},
		{"detect koi8-r", page("", encode(t, "koi8-r", ruText)), "", ruText, "koi8-r", SourceDetected},
		{"detect gbk", page("", encode(t, "gbk", zhText)), "", zhText, "gbk", SourceDetected},
		{"detect gb18030", page("", encode(t, "gb18030", zhText)), "", zhText, "gbk", SourceDetected},
		{"detect big5", page("", encode(t, "big5", twText)), "", twText, "big5", SourceDetected},
		{"detect shift_jis", page("", encode(t, "shift_jis", jaText)), "", jaText, "shift_jis", SourceDetected},
		{"detect euc-kr", page("", encode(t, "euc-kr", koText)), "", koText, "euc-kr", SourceDetected},
		{"detect windows-1252", page("", encode(t, "windows-1252", frText)), "", frText, "windows-1252", SourceDetected},
		{"unknown header label falls through", page("", []byte(ruText)), "text/html; charset=x-nonsense", ruText, "utf-8", SourceUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Decode(tt.body, tt.contentType)
			if !utf8.Valid(got.Text) {
				t.Fatalf("output is not valid UTF-8")
			}
			if !strings.Contains(string(got.Text), tt.wantText) {
				t.Fatalf("text garbled: %.120q", got.Text)
			}
			if got.Charset != tt.wantCharset || got.Source != tt.wantSource {
				t.Fatalf("charset %q from %q, want %q from %q", got.Charset, got.Source, tt.wantCharset, tt.wantSource)
			}
		})
	}
}

func TestDecodeAs(t *testing.T) {
	got, err := DecodeAs(encode(t, "koi8-r", ruText), "koi8-r")
	if err != nil || string(got.Text) != ruText {
		t.Fatalf("DecodeAs koi8-r = %q, %v", got.Text, err)
	}
	if _, err := DecodeAs([]byte("x"), "no-such-charset"); err == nil {
		t.Fatal("DecodeAs accepted an unknown label")
	}
}

func TestMetaCharset(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"charset attr", `<meta charset="windows-1251">`, "windows-1251"},
		{"single quotes", `<meta charset='koi8-r'/>`, "koi8-r"},
		{"http-equiv any order", `<meta content="text/html;charset=gbk" http-equiv="content-type">`, "gbk"},
		{"data-charset is not charset", `<meta data-charset="big5" name="x">`, ""},
		{"after body is ignored", `</head><body><meta charset="big5">`, ""},
		{"truncated tag", `<meta charset="euc-kr`, "euc-kr"},
		{"none", `<title>x</title>`, ""},
		{"self-closing unquoted", `<meta charset=koi8-r/>`, "koi8-r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := metaCharset([]byte(tt.in)); got != tt.want {
				t.Fatalf("metaCharset(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`<meta charset="gbk"><p>`+"\xc4\xe3\xba\xc3"), "")
	f.Add([]byte("\xff\xfe<\x00p\x00"), "text/html")
	f.Add([]byte("\xd0\xd2\xc9"), "text/html; charset=koi8-r")
	f.Add([]byte("<meta http-equiv=content-type content='text/html; charset=shift_jis'>\x82\xa0"), "")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		got := Decode(body, ct)
		if !utf8.Valid(got.Text) {
			t.Fatalf("invalid UTF-8 out of %q", body)
		}
		if got.Charset == "" {
			t.Fatal("empty charset")
		}
	})
}

func BenchmarkDecodeUTF8(b *testing.B) {
	body := page("", []byte(strings.Repeat(ruText, 800)))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Decode(body, "")
	}
}

func BenchmarkDetect(b *testing.B) {
	enc, _ := charset.Lookup("windows-1251")
	raw, _ := enc.NewEncoder().Bytes([]byte(strings.Repeat(ruText, 800)))
	body := page("", raw)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Decode(body, "")
	}
}
