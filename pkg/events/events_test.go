package events

import (
	"bytes"
	"errors"
	"fmt"
	"google.golang.org/protobuf/proto"
	"strings"
	"testing"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

func TestBodyRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		body     []byte
		wantGzip bool
	}{
		{name: "small stays as is", body: []byte("<p>short</p>")},
		{name: "large is gzipped", body: bytes.Repeat([]byte("<p>paragraph of a news page</p>\n"), 2000), wantGzip: true},
		{name: "empty", body: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r newspipev1.RawArticle
			if err := EncodeBody(&r, tt.body); err != nil {
				t.Fatal(err)
			}
			if gz := r.BodyEncoding == newspipev1.BodyEncoding_BODY_ENCODING_GZIP; gz != tt.wantGzip {
				t.Errorf("gzip = %v, want %v", gz, tt.wantGzip)
			}
			if r.BodySize != int64(len(tt.body)) {
				t.Errorf("BodySize %d, want %d", r.BodySize, len(tt.body))
			}
			got, err := DecodeBody(&r, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.body) {
				t.Error("body changed in the round trip")
			}
		})
	}
}

func TestDecodeBodyLimits(t *testing.T) {
	var r newspipev1.RawArticle
	if err := EncodeBody(&r, bytes.Repeat([]byte("a"), 1<<20)); err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeBody(&r, 1000); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("gzip bomb: err = %v, want ErrBodyTooLarge", err)
	}
	bad := &newspipev1.RawArticle{Body: []byte("not gzip"), BodyEncoding: newspipev1.BodyEncoding_BODY_ENCODING_GZIP}
	if _, err := DecodeBody(bad, 1000); !errors.Is(err, ErrMalformed) {
		t.Errorf("corrupt gzip: err = %v, want ErrMalformed", err)
	}
}

func TestUnmarshal(t *testing.T) {
	data, h, err := Marshal(&newspipev1.CleanArticle{Id: "x", Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	var c newspipev1.CleanArticle
	if err := Unmarshal(data, h[HeaderType], &c); err != nil || c.Title != "T" {
		t.Fatalf("round trip: %v %q", err, c.Title)
	}
	var r newspipev1.RawArticle
	if err := Unmarshal(data, h[HeaderType], &r); !errors.Is(err, ErrMalformed) {
		t.Errorf("wrong type header: err = %v, want ErrMalformed", err)
	}
	if err := Unmarshal([]byte{0xff, 0xff, 0xff}, "", &c); !errors.Is(err, ErrMalformed) {
		t.Errorf("garbage: err = %v, want ErrMalformed", err)
	}
	js, err := JSON(data, h[HeaderType])
	if err != nil || !strings.Contains(string(js), `"title":"T"`) {
		t.Errorf("JSON = %s, %v", js, err)
	}
}

func FuzzUnmarshal(f *testing.F) {
	data, _, _ := Marshal(&newspipev1.RawArticle{Id: "a", Body: []byte("b")})
	f.Add(data)
	f.Fuzz(func(t *testing.T, b []byte) {
		var r newspipev1.RawArticle
		if err := Unmarshal(b, "", &r); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error not wrapping ErrMalformed: %v", err)
		}
		_, _ = DecodeBody(&r, 1<<16)
	})
}

// An event without its identity is malformed: outputs are deduplicated by
// an id made from the input's, so id-less inputs would collapse into one
// output and the rest be acked and lost.
func TestUnmarshalNeedsIdentity(t *testing.T) {
	for _, tt := range []struct {
		name       string
		with, wout proto.Message
	}{
		{"feed job", &newspipev1.FeedJob{SourceId: "s", FeedUrl: "u"}, &newspipev1.FeedJob{FeedUrl: "u"}},
		{"article job", &newspipev1.ArticleJob{Id: "a", Url: "u"}, &newspipev1.ArticleJob{Url: "u"}},
		{"raw article", &newspipev1.RawArticle{Id: "a", Url: "u"}, &newspipev1.RawArticle{Url: "u"}},
		{"clean article", &newspipev1.CleanArticle{Id: "a", Title: "T"}, &newspipev1.CleanArticle{Title: "T"}},
		{"enriched article", &newspipev1.EnrichedArticle{Article: &newspipev1.CleanArticle{Id: "a"}, Score: 1},
			&newspipev1.EnrichedArticle{Article: &newspipev1.CleanArticle{Title: "T"}, Score: 1}},
		{"alert", &newspipev1.AgreementAlert{Key: "k", Kind: "mou"}, &newspipev1.AgreementAlert{Kind: "mou"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				m    proto.Message
				want bool
			}{{tt.with, true}, {tt.wout, false}} {
				data, h, err := Marshal(c.m)
				if err != nil {
					t.Fatal(err)
				}
				out := c.m.ProtoReflect().New().Interface()
				err = Unmarshal(data, h[HeaderType], out)
				if c.want && err != nil {
					t.Errorf("with its identity: %v", err)
				}
				if !c.want && !errors.Is(err, ErrMalformed) {
					t.Errorf("without its identity: err %v, want ErrMalformed", err)
				}
			}
		})
	}
}

// BenchmarkBodyRoundTrip measures compressing and decompressing a page of
// real size (170 KB of markup) as the fetcher and the cleaner do.
func BenchmarkBodyRoundTrip(b *testing.B) {
	var page []byte
	for i := 0; len(page) < 170<<10; i++ {
		page = append(page, fmt.Sprintf(`<li class="c%d"><a href="/section/%d">Section %d</a> <span>story %d of the day</span></li>`+"\n", i%50, i, i, i*7)...)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		var r newspipev1.RawArticle
		if err := EncodeBody(&r, page); err != nil {
			b.Fatal(err)
		}
		if _, err := DecodeBody(&r, 8<<20); err != nil {
			b.Fatal(err)
		}
	}
}
