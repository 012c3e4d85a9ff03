// Package api serves mppmap's open-data API under /api/v1: JSON, GeoJSON and CSV built from the
// in-memory read model (no SQL on the request path), with RFC 9457 problem+json errors.
//
// Handlers follow one shape: parse and validate the request, read the snapshot, respond.
// Bodies that do not depend on the query are encoded once per snapshot and served with a strong
// ETag and a precompressed gzip copy; query-dependent bodies are encoded per request (cheap at
// 514 regions) and get an ETag and gzip too.
package api

import (
	"compress/gzip"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
)

// SnapshotSource is what the API reads: the current read model.
type SnapshotSource interface {
	Snapshot() *data.Snapshot
}

// Handler serves /api/v1.
type Handler struct {
	src SnapshotSource
	log *slog.Logger
	// exportLimit is the number of export requests one client (by IP) may make per minute.
	exportLimit int
	cache       atomic.Pointer[snapCache]
	// gzipWriters pools compressors for bodies encoded per request (status at a date, changes
	// in a range); it is a cache of scratch memory, not state.
	gzipWriters sync.Pool
}

// ExportsPerMinute is the per-client limit on the export endpoints.
const ExportsPerMinute = 30

// New returns the API handler reading from src.
func New(src SnapshotSource, log *slog.Logger) *Handler {
	h := &Handler{src: src, log: log, exportLimit: ExportsPerMinute}
	h.gzipWriters.New = func() any { return gzip.NewWriter(io.Discard) }
	return h
}

// Register mounts the API routes on r (the app root); every path starts with /api/v1.
func (h *Handler) Register(r fiber.Router) {
	v1 := r.Group("/api/v1", cors, h.needSnapshot)
	v1.Get("/openapi.json", h.openAPI)
	v1.Get("/provinces", h.provinces)
	v1.Get("/provinces/:code", h.province)
	v1.Get("/regions.geojson", h.regionsGeoJSON)
	v1.Get("/regions", h.regions)
	v1.Get("/regions/:code", h.region)
	v1.Get("/progress", h.progress)
	v1.Get("/status", h.status)
	v1.Get("/changes.atom", h.changesAtom)
	v1.Get("/changes", h.changes)
	v1.Get("/fiscal", h.fiscal)
	v1.Get("/inhibitors", h.inhibitors)
	v1.Get("/sources", h.sources)
	v1.Get("/sources/:id", h.source)
	lim := limiter.New(limiter.Config{
		Max:        h.exportLimit,
		Expiration: time.Minute,
		// A copy: behind a trusted proxy c.IP() aliases the request's header bytes, which the
		// next request overwrites while the limiter keeps the key.
		KeyGenerator: func(c *fiber.Ctx) string { return utils.CopyString(c.IP()) },
		LimitReached: func(c *fiber.Ctx) error {
			return problem(fiber.StatusTooManyRequests, "too many requests",
				"exports are limited per client; try again in a minute")
		},
	})
	v1.Get("/export/regions.csv", lim, h.exportCSV)
	v1.Get("/export/regions.geojson", lim, h.exportGeoJSON)
}

// cors opens every GET to other origins: this is open data.
func cors(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set(fiber.HeaderAccessControlExposeHeaders, "ETag, Content-Disposition")
	return c.Next()
}

// needSnapshot answers 503 before the first read model is loaded.
func (h *Handler) needSnapshot(c *fiber.Ctx) error {
	if h.src.Snapshot() == nil {
		return problem(fiber.StatusServiceUnavailable, "not ready", "the read model is not loaded yet")
	}
	return c.Next()
}

// snapCache holds what is derived from one snapshot: pre-encoded bodies and lookups. It is
// replaced as a whole when the snapshot changes.
type snapCache struct {
	snap    *data.Snapshot
	once    sync.Once
	derived *derived
	mu      sync.RWMutex
	bodies  map[string]*data.Body
}

func (h *Handler) forSnap(s *data.Snapshot) *snapCache {
	for {
		cur := h.cache.Load()
		if cur != nil && cur.snap == s {
			return cur
		}
		next := &snapCache{snap: s, bodies: map[string]*data.Body{}}
		if h.cache.CompareAndSwap(cur, next) {
			return next
		}
	}
}

// derivedOf returns the per-snapshot lookups, computed on first use.
func (h *Handler) derivedOf(s *data.Snapshot) *derived {
	sc := h.forSnap(s)
	sc.once.Do(func() { sc.derived = derive(s) })
	return sc.derived
}

// body returns the pre-encoded body under key for s, building it once.
func (h *Handler) body(s *data.Snapshot, key string, build func() (*data.Body, error)) (*data.Body, error) {
	sc := h.forSnap(s)
	sc.mu.RLock()
	b, ok := sc.bodies[key]
	sc.mu.RUnlock()
	if ok {
		return b, nil
	}
	// Built outside the lock so one slow body never holds up the others; two requests racing
	// for the same new key build it twice and keep the first.
	b, err := build()
	if err != nil {
		return nil, err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if prev, ok := sc.bodies[key]; ok {
		return prev, nil
	}
	sc.bodies[key] = b
	return b, nil
}
