package dashboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/peers"
)

// Bundles (web/src): a page loads exactly one, the smallest that draws its charts — each carries
// ECharts' core. Maps only; maps and the progress line chart; everything (bar, scatter, legend).
const (
	bundleMap      = "dist/echarts-map.js"
	bundleProgress = "dist/echarts-progress.js"
	bundleCharts   = "dist/echarts-charts.js"
)

// contentSecurityPolicy allows only our own host. ECharts sets inline style attributes, hence
// 'unsafe-inline' for styles (not scripts); the PNG download is a data: URL. Pages may be framed
// by our own pages only; /embed/* pages send embedCSP instead.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// embedCSP is the same policy except that any site may frame the page: that is what embeds are for.
const embedCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors *"

// page is what the shared layout (templates/layout.html) reads; every page view embeds it.
type page struct {
	M           *messages
	Title       string
	AsOf        string
	ImportedAt  string
	Datasets    []data.DatasetFile
	Bundle      string // which ECharts bundle the page loads; "" for none
	Preload     string // a map layer the page fetches: <link rel=preload>d so it loads with the bundle
	SwitchURL   string // the same view in the other language
	HomeURL     string
	MethodURL   string
	ProgressURL string
	FiscalURL   string
	Embed       bool
}

// renderedPage is a page rendered for one snapshot, served until the snapshot changes.
type renderedPage struct {
	status int
	body   []byte
	gzip   []byte // the national page is ~190 KB with its table twin; a phone should get ~20 KB
	etag   string
}

// pageCache keeps rendered pages of one snapshot, keyed by language and path. Only URLs
// without a query string are cached, so the cache is bounded by the number of pages.
type pageCache struct {
	snap  *data.Snapshot
	pages map[string]renderedPage
	peers *peers.Index // built on first use (peersOf)
}

// renderFunc builds a page's template name, view and HTTP status from a snapshot.
type renderFunc func(snap *data.Snapshot, m *messages, base page) (tmpl string, view any, status int)

// isEN reports whether the request is under the /en prefix.
func isEN(c *fiber.Ctx) bool {
	p := c.Path()
	return p == "/en" || strings.HasPrefix(p, "/en/")
}

// basePage fills the layout fields for the request's language and path.
func (h *Handler) basePage(c *fiber.Ctx, snap *data.Snapshot, m *messages) page {
	p := c.Path()
	rest := strings.TrimPrefix(p, "/en")
	if rest == "" {
		rest = "/"
	}
	sw := "/en" + rest
	if m.Prefix != "" {
		sw = rest
	} else if rest == "/" {
		sw = "/en"
	}
	if q := string(c.Request().URI().QueryString()); q != "" {
		sw += "?" + q
	}
	return page{
		M:           m,
		AsOf:        formatDay(snap.DataAsOf, m),
		ImportedAt:  formatDay(snap.ImportedAt, m),
		Datasets:    snap.Datasets,
		Bundle:      bundleMap,
		SwitchURL:   sw,
		HomeURL:     m.path("/"),
		MethodURL:   m.path("/metodologi"),
		ProgressURL: m.path("/progres"),
		FiscalURL:   m.path("/fiskal"),
	}
}

// serve renders (or takes from the cache) a page and sends it with its security headers,
// ETag and, when accepted, the gzip copy.
func (h *Handler) serve(c *fiber.Ctx, fn renderFunc) error {
	snap := h.src.Snapshot()
	if snap == nil {
		h.log.Error("render page: no snapshot loaded")
		return fiber.ErrServiceUnavailable
	}
	m := h.lang(isEN(c))
	key := ""
	if len(c.Request().URI().QueryString()) == 0 {
		// A copy: Fiber's Path aliases the request buffer, which the next request overwrites —
		// kept as a map key it would change under the cache and serve one page for another.
		key = utils.CopyString(c.Path())
	}
	p, ok := h.cached(snap, key)
	if !ok {
		tmpl, view, status := fn(snap, m, h.basePage(c, snap, m))
		var buf bytes.Buffer
		if err := h.tmpl.ExecuteTemplate(&buf, tmpl, view); err != nil {
			h.log.Error("render page", "template", tmpl, "err", err)
			return fiber.ErrInternalServerError
		}
		gz, err := gzipBytes(buf.Bytes())
		if err != nil {
			h.log.Error("gzip page", "err", err)
			return fiber.ErrInternalServerError
		}
		sum := sha256.Sum256(buf.Bytes())
		p = renderedPage{status: status, body: buf.Bytes(), gzip: gz, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		if status == fiber.StatusOK {
			h.store(snap, key, p)
		}
	}
	if strings.Contains(c.Path(), "/embed/") {
		c.Set(fiber.HeaderContentSecurityPolicy, embedCSP)
	} else {
		c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
		c.Set(fiber.HeaderXFrameOptions, "SAMEORIGIN")
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderContentLanguage, m.Lang)
	c.Set(fiber.HeaderETag, p.etag)
	if p.status == fiber.StatusOK && c.Get(fiber.HeaderIfNoneMatch) == p.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Status(p.status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if accepts(c, "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(p.gzip)
	}
	return c.Send(p.body)
}

func (h *Handler) cached(snap *data.Snapshot, key string) (renderedPage, bool) {
	if key == "" {
		return renderedPage{}, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cache.snap != snap {
		return renderedPage{}, false
	}
	p, ok := h.cache.pages[key]
	return p, ok
}

func (h *Handler) store(snap *data.Snapshot, key string, p renderedPage) {
	if key == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cacheFor(snap).pages[key] = p
}

// cacheFor is the cache of snap, emptied when the snapshot changed. h.mu must be held.
func (h *Handler) cacheFor(snap *data.Snapshot) *pageCache {
	if h.cache.snap != snap {
		h.cache = pageCache{snap: snap, pages: map[string]renderedPage{}}
	}
	return &h.cache
}

// peersOf is snap's peer index (peer values, latest periods, fiscal groups), built once per
// snapshot: building it reads every indicator value (~1.8 ms for 514 regions), which every one
// of the 1,028 region pages and /fiskal would otherwise repeat. Built outside the lock; two
// first requests racing may both build it, and the first stored wins.
func (h *Handler) peersOf(snap *data.Snapshot) *peers.Index {
	h.mu.Lock()
	ix := h.cacheFor(snap).peers
	h.mu.Unlock()
	if ix != nil {
		return ix
	}
	ix = peers.NewIndex(snap)
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.cacheFor(snap)
	if c.peers == nil {
		c.peers = ix
	}
	return c.peers
}

// notFoundView is the HTML 404 page of an unknown region or province code.
type notFoundView struct {
	page
	Code string
}

func notFound(base page, code string) (string, any, int) {
	base.Title = base.M.NotFoundTitle + " · " + base.M.SiteName
	base.Bundle = ""
	return "notfound.html", notFoundView{page: base, Code: code}, fiber.StatusNotFound
}

// nationalGeoURL is the GeoJSON layer every map draws (a province map filters it), so one
// download serves every page.
const nationalGeoURL = "/api/v1/regions.geojson?detail=" + string(data.LevelNational)

// withMap marks a page as drawing a map: the layout preloads the layer, which app.js fetches
// with the same URL and mode so the browser reuses the preloaded response.
func withMap(base page) page {
	base.Preload = nationalGeoURL
	return base
}

// titled sets a page's title with the site name.
func titled(base page, title string) page {
	base.Title = title + " · " + base.M.SiteName
	return base
}
