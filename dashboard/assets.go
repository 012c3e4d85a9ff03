package dashboard

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// assetFiles are the files pages link to. Each is served under a name carrying a hash of its
// content (app.3f9c0a1b.js), so browsers may cache it forever and a deploy changes the URL.
// The ECharts bundles are built by web/; without them no chart can draw.
var assetFiles = [...]string{"app.js", "app.css", "favicon.svg", bundleMap, bundleProgress, bundleCharts}

// asset is one static file, read and compressed once at start-up.
type asset struct {
	contentType string
	raw         []byte
	gzip        []byte // nil when compression does not pay
	brotli      []byte // only when the build wrote a .br copy
	etag        string
}

// assets maps hashed URL paths (relative to /static/) to files, and source names to URLs.
type assets struct {
	byURL  map[string]*asset
	byName map[string]string
}

func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byURL: map[string]*asset{}, byName: map[string]string{}}
	for _, name := range assetFiles {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			if strings.HasPrefix(name, "dist/") && errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("ECharts bundle static/%s is missing: run `npm ci --prefix web && npm run --prefix web build` before `go build`: %w", name, err)
			}
			return nil, fmt.Errorf("read static/%s: %w", name, err)
		}
		sum := sha256.Sum256(raw)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		f := &asset{contentType: mime.TypeByExtension(ext), raw: raw, etag: `"` + hash + `"`}
		if f.contentType == "" {
			f.contentType = "application/octet-stream"
		}
		// Prefer the build's precompressed copies; they were made at the highest levels.
		if gz, err := fs.ReadFile(fsys, name+".gz"); err == nil {
			f.gzip = gz
		} else if f.gzip, err = gzipBytes(raw); err != nil {
			return nil, fmt.Errorf("gzip static/%s: %w", name, err)
		}
		if br, err := fs.ReadFile(fsys, name+".br"); err == nil {
			f.brotli = br
		}
		if len(f.gzip) >= len(raw) {
			f.gzip = nil
		}
		a.byURL[hashed] = f
		a.byName[name] = "/static/" + hashed
	}
	return a, nil
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// favicon answers browsers that ask for /favicon.ico whatever the page links, so the request
// neither fails nor logs an error; pages link the hashed SVG icon.
func (h *Handler) favicon(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Redirect(h.assets.byName["favicon.svg"], fiber.StatusMovedPermanently)
}

// accepts reports whether the client's Accept-Encoding allows enc. Fiber's AcceptsEncodings
// answers with the first offer when the header is absent, which would send brotli to curl.
func accepts(c *fiber.Ctx, enc string) bool {
	return c.Get(fiber.HeaderAcceptEncoding) != "" && c.AcceptsEncodings(enc) == enc
}

// url returns the hashed URL of a static file; templates call it as {{asset "app.js"}}.
func (a *assets) url(name string) (string, error) {
	u, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("unknown asset %q", name)
	}
	return u, nil
}

// static serves a hashed asset with a year-long immutable cache, in the best encoding the
// client accepts. Unhashed or stale names are 404: a page always links the current hash.
func (h *Handler) static(c *fiber.Ctx) error {
	f, ok := h.assets.byURL[c.Params("*")]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, f.etag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentType, f.contentType)
	if c.Get(fiber.HeaderIfNoneMatch) == f.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	body := f.raw
	switch {
	case f.brotli != nil && accepts(c, "br"):
		c.Set(fiber.HeaderContentEncoding, "br")
		body = f.brotli
	case f.gzip != nil && accepts(c, "gzip"):
		c.Set(fiber.HeaderContentEncoding, "gzip")
		body = f.gzip
	}
	return c.Send(body)
}
