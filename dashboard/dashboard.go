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
	langs  []*lang       // the default language first
	apiRef *apiReference // the API's OpenAPI document as /api shows it; nil: not given
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

// New returns the dashboard handler reading from src, configured by opts (WithAPIReference). It
// fails when the ECharts bundle was not built (dashboard/static/dist/echarts-*.js, made by `npm
// ci --prefix web && npm run --prefix web build`), since every page needs it.
func New(src figures.Source, cat *locale.Catalog, log *slog.Logger, opts ...Option) (*Handler, error) {
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("dashboard: static assets: %w", err)
	}
	return newHandler(src, cat, log, static, opts...)
}

// newHandler is New with the static file system passed in, so tests need no npm build.
func newHandler(src figures.Source, cat *locale.Catalog, log *slog.Logger, static fs.FS, opts ...Option) (*Handler, error) {
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
	h := &Handler{src: src, log: log, assets: a}
	for _, o := range opts {
		if err := o(h); err != nil {
			return nil, err
		}
	}
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
		"rows":         func(m *lang, rows []tableRow) tableArgs { return tableArgs{M: m, Rows: rows} },
		"progressArgs": func(m *lang, p progressPart) progressArgs { return progressArgs{M: m, P: p} },
		"downloads": func(m *lang, table, name string, chart ...string) downloadArgs {
			a := downloadArgs{M: m, Table: table, Name: name}
			if len(chart) > 0 {
				a.Chart = chart[0]
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
	r.Get("/favicon.ico", h.favicon)
	r.Get("/static/*", h.static)
}

// Warm renders the pages a story's readers hit first — the national page in every language —
// before m becomes current (a figures.Holder warm-up): compressing a page at the best levels
// takes longer than a reader should wait.
func (h *Handler) Warm(m *figures.Model) error {
	for _, l := range h.langs {
		for _, rt := range h.routes() {
			if rt.path != "/" {
				continue
			}
			if _, err := h.cached(m, l, rt, request{Query: map[string]string{}}, ""); err != nil {
				return err
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
