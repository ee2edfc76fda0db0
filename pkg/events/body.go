package events

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// CompressAbove is the body size from which RawArticle bodies are gzipped:
// news pages compress about 5:1, which keeps 200 KB pages small in the stream.
const CompressAbove = 16 << 10

// ErrBodyTooLarge is returned by DecodeBody for a body over the limit.
var ErrBodyTooLarge = errors.New("events: body too large")

// EncodeBody sets a RawArticle's body, gzip-compressed when large.
func EncodeBody(r *newspipev1.RawArticle, body []byte) error {
	r.BodySize = int64(len(body))
	if len(body) < CompressAbove {
		r.Body, r.BodyEncoding = body, newspipev1.BodyEncoding_BODY_ENCODING_IDENTITY
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(len(body) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer func() {
		zw.Reset(io.Discard) // let go of this body's buffer
		gzipWriters.Put(zw)
	}()
	zw.Reset(&buf)
	if _, err := zw.Write(body); err != nil {
		return fmt.Errorf("events: compress body: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("events: compress body: %w", err)
	}
	r.Body, r.BodyEncoding = buf.Bytes(), newspipev1.BodyEncoding_BODY_ENCODING_GZIP
	return nil
}

// A gzip writer holds about a megabyte of state and a reader tens of
// kilobytes: made afresh for every page, they were a tenth of the
// pipeline's allocation. They are reused.
var (
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
		return zw
	}}
	gzipReaders sync.Pool
)

// DecodeBody returns a RawArticle's body, decompressed, refusing more than
// limit bytes (a compressed body could expand without bound). Errors wrap
// ErrMalformed or ErrBodyTooLarge: both are permanent.
func DecodeBody(r *newspipev1.RawArticle, limit int64) ([]byte, error) {
	switch r.BodyEncoding {
	case newspipev1.BodyEncoding_BODY_ENCODING_IDENTITY:
		if int64(len(r.Body)) > limit {
			return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrBodyTooLarge, len(r.Body), limit)
		}
		return r.Body, nil
	case newspipev1.BodyEncoding_BODY_ENCODING_GZIP:
		var err error
		zr, _ := gzipReaders.Get().(*gzip.Reader)
		if zr == nil {
			zr, err = gzip.NewReader(bytes.NewReader(r.Body))
		} else {
			err = zr.Reset(bytes.NewReader(r.Body))
		}
		if err != nil {
			return nil, fmt.Errorf("%w: gzip body: %v", ErrMalformed, err)
		}
		defer gzipReaders.Put(zr)
		// The size the sender declared sizes the buffer (within the limit):
		// one allocation rather than a doubling series.
		// (ReadFrom wants bytes.MinRead free before each read.)
		out := bytes.NewBuffer(make([]byte, 0, min(max(r.BodySize, 0), limit)+bytes.MinRead+1))
		if _, err := out.ReadFrom(io.LimitReader(zr, limit+1)); err != nil {
			return nil, fmt.Errorf("%w: gzip body: %v", ErrMalformed, err)
		}
		if int64(out.Len()) > limit {
			return nil, fmt.Errorf("%w: over %d bytes decompressed", ErrBodyTooLarge, limit)
		}
		return out.Bytes(), nil
	}
	return nil, fmt.Errorf("%w: unknown body encoding %d", ErrMalformed, r.BodyEncoding)
}
