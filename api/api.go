// Package api serves mppmap's open-data API under /api/v1: JSON, GeoJSON and CSV built from the
// in-memory read model (no SQL on the request path), with RFC 9457 problem+json errors.
//
// Handlers follow one shape: parse and validate the request, call the read model, respond.
// Bodies that do not depend on the query are encoded once per snapshot and served with a strong
// ETag and a precompressed gzip copy.
package api

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

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
}

// New returns the API handler reading from src.
func New(src SnapshotSource, log *slog.Logger) *Handler {
	return &Handler{src: src, log: log}
}

// Register mounts the API routes on r (the app root); every path starts with /api/v1.
func (h *Handler) Register(r fiber.Router) {
	v1 := r.Group("/api/v1")
	v1.Get("/regions.geojson", h.regionsGeoJSON)
}

// regionsGeoJSON serves every region's boundary at one detail level with its current status.
func (h *Handler) regionsGeoJSON(c *fiber.Ctx) error {
	level, err := parseLevel(c.Query("detail"))
	if err != nil {
		return err
	}
	snap := h.src.Snapshot()
	body, ok := snap.Layers[level]
	if !ok {
		return problem(fiber.StatusServiceUnavailable, "layer not loaded", "the "+string(level)+" layer is not in the read model")
	}
	return serveBody(c, body)
}

func parseLevel(s string) (data.Level, error) {
	if s == "" {
		return data.LevelNational, nil
	}
	for _, l := range data.Levels {
		if s == string(l) {
			return l, nil
		}
	}
	return "", badParam("detail", s, "national, province or full")
}
