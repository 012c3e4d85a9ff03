// Package dashboard serves mppmap's public HTML pages: server-rendered html/template pages whose
// ECharts options are built in Go (go-echarts), plus the embedded static assets (our app.js and
// app.css, and the ECharts bundle that web/ builds into static/dist).
//
// Pages read only the in-memory read model; nothing on the request path touches the database.
// go-echarts' own page renderer is not used: it calls setOption before any code of ours could
// register our GeoJSON map, and loads its assets from another host. Options are rendered as JSON
// into our templates instead, and static/app.js fetches the geometry, registers it and draws.
package dashboard

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
)

// SnapshotSource is what the dashboard reads: the current read model.
type SnapshotSource interface {
	Snapshot() *data.Snapshot
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Handler serves the dashboard pages and their static assets.
type Handler struct {
	src    SnapshotSource
	log    *slog.Logger
	tmpl   *template.Template
	assets *assets
	msgs   *messages // Bahasa Indonesia, the default
	msgsEN *messages

	// cache keeps rendered pages for one snapshot: traffic is spiky and a page only changes
	// when the read model does.
	mu    sync.Mutex
	cache pageCache
}

// New returns the dashboard handler reading from src. It fails when the ECharts bundle was not
// built (dashboard/static/dist/echarts.js, made by `npm ci --prefix web && npm run --prefix web
// build`), since every page needs it.
func New(src SnapshotSource, log *slog.Logger) (*Handler, error) {
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("dashboard: static assets: %w", err)
	}
	return newHandler(src, log, static)
}

// newHandler is New with the static file system passed in, so tests need no npm build.
func newHandler(src SnapshotSource, log *slog.Logger, static fs.FS) (*Handler, error) {
	if src == nil {
		return nil, fmt.Errorf("dashboard: nil snapshot source")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a, err := loadAssets(static)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	h := &Handler{src: src, log: log, assets: a, msgs: messagesID(), msgsEN: messagesEN()}
	h.tmpl, err = template.New("").Funcs(template.FuncMap{
		"asset":        a.url,
		"mapArgs":      mapArgs,
		"rows":         func(m *messages, rows []tableRow) tableArgs { return tableArgs{M: m, Rows: rows} },
		"progressArgs": func(m *messages, p progressPart) progressArgs { return progressArgs{M: m, P: p} },
		"importDay":    func(m *messages, t time.Time) string { return formatDay(t, m) },
		"downloads": func(m *messages, table, name string, chart ...string) downloadArgs {
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

// Register mounts the dashboard routes on r (the app root): the pages in Bahasa Indonesia and
// the same pages under /en, GET /static/* and GET /favicon.ico.
func (h *Handler) Register(r fiber.Router) {
	for _, prefix := range []string{"", "/en"} {
		home := prefix
		if home == "" {
			home = "/"
		}
		r.Get(home, h.homePage)
		r.Get(prefix+"/wilayah/:code", h.regionPage)
		r.Get(prefix+"/provinsi/:code", h.provincePage)
		r.Get(prefix+"/metodologi", h.methodPage)
		r.Get(prefix+"/progres", h.progressPage)
		r.Get(prefix+"/fiskal", h.fiscalPage)
		r.Get(prefix+"/embed/peta", h.embedMapPage)
		r.Get(prefix+"/embed/progres", h.embedProgressPage)
	}
	r.Get("/favicon.ico", h.favicon)
	r.Get("/static/*", h.static)
}

// mapArgs are the arguments of the "map" template: a chart container and its JSON config.
type mapArgsT struct {
	M      *messages
	ID     string
	Label  string
	Config mapConfig
	Small  bool
}

func mapArgs(m *messages, id, label string, cfg mapConfig, small bool) mapArgsT {
	return mapArgsT{M: m, ID: id, Label: label, Config: cfg, Small: small}
}

// downloadArgs are the arguments of the "downloads" template: the CSS selector of the table
// whose CSV app.js builds ("" for none), the file name without extension, and the element id of
// the chart offered as PNG ("" for none; app.js draws it with chart.getDataURL).
type downloadArgs struct {
	M                  *messages
	Table, Name, Chart string
}

// progressArgs are the arguments of the progress templates (templates/progresspart.html).
type progressArgs struct {
	M *messages
	P progressPart
}

// tableArgs are the arguments of the "regiontable" template.
type tableArgs struct {
	M    *messages
	Rows []tableRow
}
