// Package dashboard serves mppmap's public HTML pages: server-rendered html/template pages whose
// ECharts options are built in Go (go-echarts), plus the embedded static assets (our app.js and
// app.css, and the ECharts bundle that web/ builds into static/dist).
//
// Pages format the figures of the current Model (package figures) with the words of the
// catalogs (package locale); nothing on the request path touches the database or computes a
// figure. go-echarts' own page renderer is not used: it calls setOption before any code of ours
// could register our GeoJSON map, and loads its assets from another host. Options are rendered
// as JSON into our templates instead, and static/app.js fetches the geometry, registers it and
// draws.
package dashboard

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/figures"
	"mppmap/locale"
	"mppmap/respond"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Handler serves the dashboard pages and their static assets.
type Handler struct {
	src    figures.Source
	log    *slog.Logger
	tmpl   *template.Template
	assets *assets
	langs  []*lang // the default language first
	cards  *cards
	// pages and svgs keep the most recent pages and server-drawn maps of one region or province
	// (the long tail a crawler walks); the national pages stay in the Model's memo.
	pages *figures.LRU[renderedPage]
	svgs  *figures.LRU[template.HTML]
	comp  *respond.Compressor // every page and file built per Model is compressed within its budget
	// submissions takes readers' sources from the region pages' form (nil: no form);
	// clientOf is the client address behind trusted proxies, for its rate limits.
	submissions Submissions
	clientOf    func(*fiber.Ctx) string
	// publicURL is the site's address as readers reach it ("https://mpp.example.go.id", no
	// trailing slash), for the absolute URLs share tags need; "" gives site-absolute ones.
	publicURL string
	apiRef    *apiReference // the API's OpenAPI document as /api shows it; nil: not given
}

// pageCacheSize bounds the per-region and per-province pages kept encoded (each ~60–100 KB
// with its gzip and brotli copies): the pages readers arrive at from a story stay warm, a crawl
// of all 1,100 does not stay in memory.
const pageCacheSize = 256

// Config is what the dashboard needs from the deployment.
type Config struct {
	// PublicURL is the site's public address (scheme and host, no trailing slash). Share tags
	// (og:image, og:url) need absolute URLs; it is configured rather than taken from the Host
	// header, which a client chooses and which would end up in cached pages.
	PublicURL string
	// APIReference is the API's OpenAPI document (JSON), rendered at /api; nil: the page only
	// links to /api/v1/openapi.json. (dashboard does not import api: cmd/mppmap hands it over.)
	APIReference []byte
}

// lang is a catalog language as the pages use it: its words and formats, and its URL prefix
// ("" for the default language, "/en" for English).
type lang struct {
	*locale.Lang
	Prefix string
	Name   string // the language's own name, for the switch ("English", "Bahasa Indonesia")
}

// path prefixes a site path with the language's prefix, so every link keeps the language.
func (l *lang) path(p string) string {
	if l.Prefix == "" {
		return p
	}
	if p == "/" {
		return l.Prefix
	}
	return l.Prefix + p
}

// New returns the dashboard handler reading from src. It fails when the ECharts bundle was not
// built (dashboard/static/dist/echarts-*.js, made by `npm ci --prefix web && npm run --prefix
// web build`), since every page needs it.
func New(src figures.Source, cat *locale.Catalog, log *slog.Logger, cfg Config) (*Handler, error) {
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("dashboard: static assets: %w", err)
	}
	h, err := newHandler(src, cat, log, static)
	if err != nil {
		return nil, err
	}
	h.publicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.APIReference != nil {
		if err := h.setAPIReference(cfg.APIReference); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// newHandler is New with the static file system passed in, so tests need no npm build.
func newHandler(src figures.Source, cat *locale.Catalog, log *slog.Logger, static fs.FS) (*Handler, error) {
	if src == nil || cat == nil {
		return nil, fmt.Errorf("dashboard: nil model source or catalog")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a, err := loadAssets(static)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	h := &Handler{src: src, log: log, assets: a, cards: newCards(), pages: figures.NewLRU[renderedPage](pageCacheSize),
		svgs: figures.NewLRU[template.HTML](pageCacheSize), comp: respond.NewCompressor(respond.CompressBudget)}
	for _, tag := range cat.Tags() {
		l := cat.MustLang(tag)
		prefix := ""
		if tag != locale.Default {
			prefix = "/" + tag
		}
		h.langs = append(h.langs, &lang{Lang: l, Prefix: prefix, Name: l.T("meta.name")})
	}
	h.tmpl, err = template.New("").Funcs(template.FuncMap{
		"asset":        a.url,
		"mapArgs":      mapArgs,
		"submitArgs":   func(m *lang, f *submitForm) submitArgs { return submitArgs{M: m, Form: f} },
		"rows":         func(m *lang, rows []tableRow) tableArgs { return tableArgs{M: m, Rows: rows} },
		"progressArgs": func(m *lang, p progressPart) progressArgs { return progressArgs{M: m, P: p} },
		"downloads": func(m *lang, table, name string, chart ...string) downloadArgs {
			a := downloadArgs{M: m, Table: table, Name: name}
			if len(chart) > 0 {
				a.Chart = chart[0]
			}
			if len(chart) > 1 {
				a.SVG = chart[1]
			}
			return a
		},
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: parse templates: %w", err)
	}
	return h, nil
}

// route is one page: its path under each language prefix, the query parameters it reads (the
// page cache's key; every other parameter is ignored) and its renderer.
type route struct {
	path   string            // in the default language, e.g. /hambatan
	local  map[string]string // the path in another language where it has its own word (en: /barriers)
	params []param
	render renderFunc
}

// pathIn is the route's path in a language (without the language prefix).
func (rt route) pathIn(tag string) string {
	if p, ok := rt.local[tag]; ok {
		return p
	}
	return rt.path
}

func (h *Handler) routes() []route {
	return []route{
		{path: "/", render: h.homeView},
		{path: "/wilayah/:code", render: h.regionView},
		{path: "/provinsi/:code", render: h.provinceView},
		{path: "/metodologi", render: h.methodView},
		{path: "/progres", params: []param{provinceParam}, render: h.progressView},
		{path: "/fiskal", render: h.fiscalView},
		{path: "/hambatan", local: map[string]string{"en": "/barriers"}, params: []param{factorParam, categoryParam}, render: h.barriersView},
		{path: "/digital", render: h.digitalView},
		{path: "/api", render: h.apiView},
		{path: "/embed/peta", params: []param{asOfParam}, render: h.embedMapView},
		{path: "/embed/progres", params: []param{provinceParam}, render: h.embedProgressView},
	}
}

// Register mounts the pages in every catalog language (the default at the root, the others under
// /<tag>), GET /static/* and GET /favicon.ico.
func (h *Handler) Register(r fiber.Router) {
	for _, l := range h.langs {
		for _, rt := range h.routes() {
			r.Get(l.path(rt.pathIn(l.Tag)), h.page(l, rt))
			if local := rt.pathIn(l.Tag); local != rt.path {
				// /en/hambatan is /en/barriers: a reader who swaps the prefix by hand gets there.
				r.Get(l.path(rt.path), func(c *fiber.Ctx) error {
					return c.Redirect(l.path(local), fiber.StatusMovedPermanently)
				})
			}
		}
	}
	for _, l := range h.langs {
		r.Post(l.path("/wilayah/:code/kirim"), h.postSubmission(l))
	}
	r.Get("/share/:lang/:file", h.serveCard)
	r.Get("/unduh/:lang/:file", h.serveMapSVG)
	r.Get("/favicon.ico", h.favicon)
	r.Get("/static/*", h.static)
}

// Warm renders the pages a story's readers hit first — the national page in every language —
// before m becomes current (a figures.Holder warm-up): compressing a page at the best levels
// takes longer than a reader should wait.
func (h *Handler) Warm(m *figures.Model) error {
	// One language after the other (see figures.Holder.Load: memory, not time, is what a
	// reload is short of).
	for _, l := range h.langs {
		for _, rt := range h.routes() {
			if rt.path == "/" {
				if _, err := h.cached(m, l, rt, request{Query: map[string]string{}}, ""); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// langOf is the language of a request path: the one whose prefix it carries, else the default.
func (h *Handler) langOf(path string) *lang {
	for _, l := range h.langs[1:] {
		if path == l.Prefix || strings.HasPrefix(path, l.Prefix+"/") {
			return l
		}
	}
	return h.langs[0]
}

// submitArgs are the arguments of the "submitform" template.
type submitArgs struct {
	M    *lang
	Form *submitForm
}

// mapArgsT are the arguments of the "map" template: a chart container and its JSON config.
type mapArgsT struct {
	M      *lang
	ID     string
	Label  string
	Config mapConfig
	Small  bool
}

func mapArgs(m *lang, id, label string, cfg mapConfig, small bool) mapArgsT {
	return mapArgsT{M: m, ID: id, Label: label, Config: cfg, Small: small}
}

// downloadArgs are the arguments of the "downloads" template: the CSS selector of the table
// whose CSV app.js builds ("" for none), the file name without extension, and the element id of
// the chart offered as PNG ("" for none; app.js draws it with chart.getDataURL).
type downloadArgs struct {
	M                  *lang
	Table, Name, Chart string
	SVG                string // a print-ready SVG of the map, from svgOut.Download
}

// progressArgs are the arguments of the progress templates (templates/progresspart.html).
type progressArgs struct {
	M *lang
	P progressPart
}

// tableArgs are the arguments of the "regiontable" template.
type tableArgs struct {
	M    *lang
	Rows []tableRow
}
