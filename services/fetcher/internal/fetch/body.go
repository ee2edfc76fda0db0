package fetch

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
)

// AcceptEncoding is what the client offers. It decodes these itself, so
// that the body cap counts decoded bytes: net/http's transparent gzip would
// hand over a reader whose output nobody bounds.
const AcceptEncoding = "gzip, deflate, br"

// maxEncodings bounds a Content-Encoding list ("gzip, br"): more layers are
// a trick, not a server.
const maxEncodings = 2

// decoder returns r decoded as the Content-Encoding header says, outermost
// last as RFC 9110 lists them.
func decoder(r io.Reader, contentEncoding string) (io.Reader, error) {
	var codings []string
	for _, c := range strings.Split(contentEncoding, ",") {
		c = strings.ToLower(strings.TrimSpace(c))
		if c != "" && c != "identity" {
			codings = append(codings, c)
		}
	}
	if len(codings) > maxEncodings {
		return nil, fmt.Errorf("%w: %d layers (%s)", ErrBadEncoding, len(codings), contentEncoding)
	}
	for i := len(codings) - 1; i >= 0; i-- {
		var err error
		switch codings[i] {
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(r) // multistream: concatenated members are read too
		case "deflate":
			r, err = inflater(r)
		case "br":
			r = brotli.NewReader(r)
		default:
			return nil, fmt.Errorf("%w: %q", ErrBadEncoding, codings[i])
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrBadEncoding, codings[i], err)
		}
	}
	return r, nil
}

// inflater reads "deflate", which RFC 9110 defines as zlib but which some
// servers send as raw DEFLATE: the first two bytes tell them apart.
func inflater(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil {
		return nil, err
	}
	cmf, flg := head[0], head[1]
	if cmf&0x0f == 8 && (uint16(cmf)<<8|uint16(flg))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// readCapped reads r to the end, or to max bytes: more is ErrTooLarge (or,
// with truncate, the first max bytes). Decoding errors are ErrBadEncoding;
// other read errors are returned as they are (timeouts, resets).
func readCapped(r io.Reader, max int64, truncate bool) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		if isDecodeError(err) {
			return nil, fmt.Errorf("%w: %w", ErrBadEncoding, err)
		}
		return nil, err
	}
	if int64(len(body)) > max {
		if truncate {
			return body[:max], nil
		}
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, max)
	}
	return body, nil
}

// isDecodeError reports a corrupt compressed stream.
func isDecodeError(err error) bool {
	var ce flate.CorruptInputError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, zlib.ErrChecksum) ||
		errors.Is(err, zlib.ErrHeader) || errors.As(err, &ce) ||
		strings.HasPrefix(err.Error(), "brotli:") // its error type is unexported
}
