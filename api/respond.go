package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
)

// Problem is an RFC 9457 problem detail; handlers return it as an error and ErrorHandler
// writes it.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

func problem(status int, title, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: title, Status: status, Detail: detail}
}

// badParam names the parameter, the value received and what is allowed.
func badParam(name, got, allowed string) *Problem {
	p := problem(fiber.StatusBadRequest, "invalid query parameter",
		fmt.Sprintf("parameter %q: got %q, allowed: %s", name, got, allowed))
	p.Parameter = name
	return p
}

// ErrorHandler is the single place where errors become HTTP responses for the whole app:
// problems keep their status, Fiber's errors (404 route, 405) become problems, data.ErrNotFound
// is a 404, everything else a 500 whose detail is not leaked.
func ErrorHandler(log interface {
	Error(msg string, args ...any)
}) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		var p *Problem
		var fe *fiber.Error
		switch {
		case errors.As(err, &p):
		case errors.As(err, &fe):
			p = problem(fe.Code, httpTitle(fe.Code), fe.Message)
		case errors.Is(err, data.ErrNotFound):
			p = problem(fiber.StatusNotFound, "not found", err.Error())
		default:
			log.Error("request failed", "path", c.Path(), "err", err)
			p = problem(fiber.StatusInternalServerError, "internal error", "")
		}
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.Status(p.Status).JSON(p, "application/problem+json")
	}
}

func httpTitle(code int) string {
	if t := utils.StatusMessage(code); t != "" {
		return strings.ToLower(t)
	}
	return "error"
}

// serveBody writes a pre-encoded body: 304 when the client has it, else the brotli or gzip copy
// when Accept-Encoding allows it (see negotiateEncoding), else the raw bytes.
func serveBody(c *fiber.Ctx, b *data.Body) error {
	c.Set(fiber.HeaderETag, b.ETag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderCacheControl, cacheControl)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), b.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, b.ContentType)
	switch negotiateEncoding(c.Get(fiber.HeaderAcceptEncoding), b.Brotli != nil, b.Gzip != nil) {
	case "br":
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(b.Brotli)
	case "gzip":
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(b.Gzip)
	}
	return c.Send(b.Raw)
}

func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether a gzip response is acceptable and preferred to identity.
func acceptsGzip(header string) bool { return negotiateEncoding(header, false, true) == "gzip" }

// negotiateEncoding picks the content coding for an Accept-Encoding header (RFC 9110 §12.5.3):
// "br", "gzip" or "" for the raw bytes. A coding is acceptable when its q-value (its own entry,
// else "*") is above 0; the highest q wins, br on a tie. Identity is used when nothing is
// acceptable, and also when the client rates identity explicitly above every coding. No header,
// or an empty one, means the raw bytes. A malformed q-value counts as 0.
func negotiateEncoding(header string, haveBr, haveGzip bool) string {
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

// cacheControl is what every successful read says: the read model changes at most a few times a
// day, and a reload changes the ETag, so a short max-age with revalidation is safe.
const cacheControl = "public, max-age=300"

// sendJSON encodes v for this request and serves it with an ETag (304 when matched) and gzip
// when accepted.
func (h *Handler) sendJSON(c *fiber.Ctx, v any) error {
	raw, err := marshal(v)
	if err != nil {
		return err
	}
	return h.sendRaw(c, "application/json", raw)
}

// sendRaw serves a body encoded for this request like a pre-encoded one.
func (h *Handler) sendRaw(c *fiber.Ctx, contentType string, raw []byte) error {
	sum := sha256.Sum256(raw)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderCacheControl, cacheControl)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, contentType)
	if len(raw) > 512 && acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		var buf bytes.Buffer
		// A gzip.Writer holds ~800 KB of state: reuse them across requests.
		w := h.gzipWriters.Get().(*gzip.Writer)
		defer h.gzipWriters.Put(w)
		w.Reset(&buf)
		if _, err := w.Write(raw); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(buf.Bytes())
	}
	return c.Send(raw)
}

// marshal encodes v as JSON. encoding/json escapes <, > and & so a name like
// "<img src=x onerror=alert(1)>" stays data wherever the JSON is embedded.
func marshal(v any) ([]byte, error) {
	return json.Marshal(v)
}

// jsonBody pre-encodes v for a snapshot.
func jsonBody(v any) (*data.Body, error) {
	raw, err := marshal(v)
	if err != nil {
		return nil, err
	}
	return data.NewBody("application/json", raw)
}
