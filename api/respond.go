package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

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

// serveBody writes a pre-encoded body: 304 when the client has it, gzip when accepted.
func serveBody(c *fiber.Ctx, b *data.Body) error {
	c.Set(fiber.HeaderETag, b.ETag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderCacheControl, cacheControl)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), b.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, b.ContentType)
	if b.Gzip != nil && acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
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

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") || strings.Contains(params, "q=0.")
		}
	}
	return false
}

// cacheControl is what every successful read says: the read model changes at most a few times a
// day, and a reload changes the ETag, so a short max-age with revalidation is safe.
const cacheControl = "public, max-age=300"

// sendJSON encodes v for this request and serves it with an ETag (304 when matched) and gzip
// when accepted.
func sendJSON(c *fiber.Ctx, v any) error {
	raw, err := marshal(v)
	if err != nil {
		return err
	}
	return sendRaw(c, "application/json", raw)
}

// sendRaw serves a body encoded for this request like a pre-encoded one.
func sendRaw(c *fiber.Ctx, contentType string, raw []byte) error {
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
		w := gzipWriters.Get().(*gzip.Writer)
		defer gzipWriters.Put(w)
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

// gzipWriters pools compressors for bodies encoded per request (status at a date, changes in
// a range); it is a cache of scratch memory, not state.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

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
