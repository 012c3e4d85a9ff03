// Package api serves mppmap's open-data API under /api/v1: JSON, GeoJSON and CSV formatted from
// the figures of the current Model (package figures; no SQL on the request path), with RFC 9457
// problem+json errors.
//
// Handlers follow one shape: parse and validate the request, read the Model, respond through
// package respond. Bodies that do not depend on the query are encoded once per Model (in its
// memo) and served with a strong ETag and gzip/brotli copies; query-dependent bodies (a status
// on any day, changes in any range) are encoded per request.
package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"mppmap/clientip"
	"mppmap/figures"
	"mppmap/geo"
	"mppmap/locale"
	"mppmap/respond"
)

// Handler serves /api/v1.
type Handler struct {
	src figures.Source
	log *slog.Logger
	// en is the language of the API's texts (methods, notes, changes); summaries are also given
	// in Indonesian (id).
	en, id *locale.Lang
	// exportLimit is the number of export requests one client (by IP) may make per minute.
	exportLimit int
	enc         *respond.Encoder
	clients     *clientip.Resolver // the client behind trusted proxies: the export limit is per client
	writes      Writes             // nil: the write routes answer 503
	tokens      Tokens
	submissions Submissions // nil: the submission routes answer 503
	// tail keeps the most recent bodies of the long tail — a profile per region, a layer per
	// province and detail — instead of the Model's memo (see figures.LRU).
	tail *figures.LRU[*respond.Body]
	comp *respond.Compressor // every body built per Model is compressed within its budget
}

// tailCacheSize bounds the per-region and per-province bodies kept encoded.
const tailCacheSize = 192

// ExportsPerMinute is the per-client limit on the export endpoints, per exportWindow.
const ExportsPerMinute = 30

// exportWindow is the period the export limit counts over.
const exportWindow = time.Minute

// New returns the API handler reading from src, with its texts from cat; clients says who a
// request comes from (nil: the TCP peer).
func New(src figures.Source, cat *locale.Catalog, clients *clientip.Resolver, log *slog.Logger) *Handler {
	if clients == nil {
		clients = &clientip.Resolver{}
	}
	return &Handler{src: src, log: log, en: cat.MustLang("en"), id: cat.MustLang(locale.Default),
		exportLimit: ExportsPerMinute, enc: respond.NewEncoder(), clients: clients, tail: figures.NewLRU[*respond.Body](tailCacheSize),
		comp: respond.NewCompressor(respond.CompressBudget)}
}

// Prefix is where every API path starts.
const Prefix = "/api/v1"

// Register mounts the API routes on r (the app root), one per operation; every path starts
// with Prefix. Each route first rejects the query parameters its operation does not declare.
func (h *Handler) Register(r fiber.Router) {
	v1 := r.Group(Prefix, cors, h.needModel)
	lim := limiter.New(limiter.Config{
		Max:        h.exportLimit,
		Expiration: exportWindow,
		// The client behind the trusted proxies, read from the right of X-Forwarded-For (a value,
		// not a view into the request's buffers, so the limiter may keep it).
		KeyGenerator: h.clients.String,
		LimitReached: func(c *fiber.Ctx) error {
			return problem(fiber.StatusTooManyRequests, "too many requests",
				fmt.Sprintf("exports are limited to %d requests per minute per client; try again in a minute", h.exportLimit))
		},
	})
	for _, op := range h.operations() {
		chain := []fiber.Handler{onlyParams(queryNames(op.params))}
		if op.limited {
			chain = append(chain, lim)
		}
		v1.Add(op.method, fiberPath(op.path), append(chain, op.handle)...)
	}
}

// Warm encodes the bodies the public reads hit first (the national layer every map fetches),
// before m becomes current: a figures.Holder warm-up.
func (h *Handler) Warm(m *figures.Model) error {
	_, err := h.layer(m, geo.DetailNational, "")
	return err
}

// cors opens every GET to other origins: this is open data. Writes stay same-origin for
// browsers (no Access-Control-* on them, and no preflight answered): API clients send tokens
// from servers and scripts, not from other sites' pages.
func cors(c *fiber.Ctx) error {
	if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		c.Set(fiber.HeaderAccessControlExposeHeaders, exposedHeaders)
	}
	return c.Next()
}

// needModel answers 503 before the first read model is loaded.
func (h *Handler) needModel(c *fiber.Ctx) error {
	if h.src.Model() == nil {
		return problem(fiber.StatusServiceUnavailable, "not ready", "the read model is not loaded yet")
	}
	return c.Next()
}

// body returns the pre-encoded body under key for m, building it once per Model.
func body(m *figures.Model, key string, build func() (*respond.Body, error)) (*respond.Body, error) {
	return figures.Memo(m, "api:"+key, build)
}

// serveCSV serves a CSV download, written once per Model under key by rows (which adds the
// header and every row; a write error surfaces through the writer's Error), as the file name.
// bom starts it with a UTF-8 byte order mark, for spreadsheets that need one to read UTF-8.
func (h *Handler) serveCSV(c *fiber.Ctx, m *figures.Model, key, name string, bom bool, rows func(w *csv.Writer)) error {
	b, err := body(m, key, func() (*respond.Body, error) {
		var buf bytes.Buffer
		if bom {
			buf.WriteString("\ufeff")
		}
		w := csv.NewWriter(&buf)
		rows(w)
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, err
		}
		return h.comp.New("text/csv; charset=utf-8", buf.Bytes())
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return serveBody(c, b)
}

// serveJSON serves v, encoded once per Model under key.
func (h *Handler) serveJSON(c *fiber.Ctx, m *figures.Model, key string, v func() any) error {
	b, err := body(m, key, func() (*respond.Body, error) { return h.jsonBody(v()) })
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

// sendJSON encodes v for this request only.
func (h *Handler) sendJSON(c *fiber.Ctx, v any) error {
	raw, err := marshal(v)
	if err != nil {
		return err
	}
	b, err := h.enc.Encode("application/json", raw)
	if err != nil {
		return err
	}
	return serveBody(c, b)
}
