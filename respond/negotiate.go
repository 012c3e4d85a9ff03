package respond

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// Negotiate picks the content coding for an Accept-Encoding header (RFC 9110 §12.5.3): "br",
// "gzip" or "" for the raw bytes. A coding is acceptable when its q-value (its own entry, else
// "*") is above 0; the highest q wins, br on a tie. Identity is used when nothing is acceptable,
// and also when the client rates identity explicitly above every coding. No header, or an empty
// one, means the raw bytes (Fiber's AcceptsEncodings would answer with the first offer, and
// send brotli to curl). A malformed q-value counts as 0.
func Negotiate(header string, haveBr, haveGzip bool) string {
	if strings.TrimSpace(header) == "" {
		return ""
	}
	qBr, qGzip, qIdentity, qStar := -1.0, -1.0, -1.0, -1.0 // -1: not mentioned
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		q := parseQ(params)
		switch name {
		case "br":
			qBr = max(qBr, q)
		case "gzip", "x-gzip":
			qGzip = max(qGzip, q)
		case "identity":
			qIdentity = max(qIdentity, q)
		case "*":
			qStar = max(qStar, q)
		}
	}
	if qBr < 0 {
		qBr = qStar
	}
	if qGzip < 0 {
		qGzip = qStar
	}
	if !haveBr {
		qBr = -1
	}
	if !haveGzip {
		qGzip = -1
	}
	best, q := "", 0.0
	if qBr > 0 {
		best, q = "br", qBr
	}
	if qGzip > q {
		best, q = "gzip", qGzip
	}
	if best != "" && qIdentity > q {
		return ""
	}
	return best
}

// parseQ reads the q parameter of one Accept-Encoding entry: 1 when absent, 0 when malformed
// or out of range.
func parseQ(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 || math.IsNaN(q) {
			return 0
		}
		return q
	}
	return 1
}

// NoneMatch reports whether an If-None-Match header matches etag (RFC 9110 §13.1.2): "*"
// matches any current representation; otherwise the header is a comma-separated list of entity
// tags compared weakly (W/"x" matches "x"). Entity tags are quoted strings that may themselves
// contain commas, so the list is scanned, not split. A malformed member ends the scan: what was
// read so far still counts, nothing after it does.
func NoneMatch(header, etag string) bool {
	h := strings.TrimSpace(header)
	if h == "" {
		return false
	}
	if h == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	for h != "" {
		h = strings.TrimLeft(h, " \t,")
		if h == "" {
			break
		}
		h = strings.TrimPrefix(h, "W/")
		if !strings.HasPrefix(h, `"`) {
			return false
		}
		end := strings.IndexByte(h[1:], '"')
		if end < 0 {
			return false
		}
		tag := h[:end+2]
		if tag == want {
			return true
		}
		h = h[end+2:]
	}
	return false
}

// Decode undoes a Content-Encoding this package sends ("" for identity, "gzip", "br"): what a
// client does with a body, for the tests of every surface that serves through here.
func Decode(encoding string, body []byte) ([]byte, error) {
	var r io.Reader
	switch encoding {
	case "":
		return body, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		return nil, fmt.Errorf("content encoding %q is not one of ours", encoding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", encoding, err)
	}
	return out, nil
}
