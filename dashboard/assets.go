package dashboard

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/respond"
)

// assetFiles are the files pages link to. Each is served under a name carrying a hash of its
// content (app.3f9c0a1b.js), so browsers may cache it forever and a deploy changes the URL.
// The ECharts bundles are built by web/; without them no chart can draw.
var assetFiles = [...]string{"app.js", "app.css", "favicon.svg", bundleMap, bundleProgress, bundleCharts, bundleSVG}

// assets maps hashed URL paths (relative to /static/) to bodies, and source names to URLs.
type assets struct {
	byURL  map[string]*respond.Body
	byName map[string]string
}

// loadAssets reads and encodes every asset once at start-up (the build's .gz and .br copies
// where it made them, at the highest levels).
func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byURL: map[string]*respond.Body{}, byName: map[string]string{}}
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
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		gz, _ := fs.ReadFile(fsys, name+".gz") // nil when absent: computed
		br, _ := fs.ReadFile(fsys, name+".br")
		b, err := respond.Precompressed(ct, raw, gz, br)
		if err != nil {
			return nil, fmt.Errorf("static/%s: %w", name, err)
		}
		a.byURL[hashed] = b
		a.byName[name] = "/static/" + hashed
	}
	return a, nil
}

// favicon answers browsers that ask for /favicon.ico whatever the page links, so the request
// neither fails nor logs an error; pages link the hashed SVG icon.
func (h *Handler) favicon(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Redirect(h.assets.byName["favicon.svg"], fiber.StatusMovedPermanently)
}

// AssetURL is the hashed URL of one of the dashboard's static files (app.css, app.js,
// favicon.svg…), for other surfaces that share its look (the /kelola pages).
func (h *Handler) AssetURL(name string) (string, error) { return h.assets.url(name) }

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
	b, ok := h.assets.byURL[c.Params("*")]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return respond.Serve(c, b, respond.CacheImmutable)
}
