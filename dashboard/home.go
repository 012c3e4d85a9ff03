package dashboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
)

// contentSecurityPolicy lets pages load and fetch from their own origin only: nothing may come
// from another host at run time. ECharts' tooltip writes inline style attributes, hence
// 'unsafe-inline' for styles (not scripts); saveAsImage downloads a data: URL.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// renderedPage is a page rendered for one snapshot, served until the snapshot changes.
type renderedPage struct {
	snap *data.Snapshot
	body []byte
	gzip []byte // the page is ~190 KB with its table twin; a phone should get ~20 KB
	etag string
}

// homeView is what templates/home.html renders.
type homeView struct {
	M          *messages
	Title      string
	AsOf       string
	ImportedAt string
	Total      int
	Figures    []statusFigure
	Rows       []tableRow
	Datasets   []data.DatasetFile
	MapConfig  mapConfig
	RegionBase string
}

// statusFigure is one headline number: regions with a status and their share of the total.
type statusFigure struct {
	Label string
	Count int
	Share string
	Class string
}

// tableRow is one region of the map's HTML table twin.
type tableRow struct {
	Code        string
	Name        string
	URL         string
	Province    string
	StatusLabel string
	Class       string
	AsOf        string
}

// mapConfig is the JSON app.js reads from the page: the option built in Go plus what it needs
// to fetch and register the geometry. html/template escapes it for its <script> element.
type mapConfig struct {
	Option    map[string]any    `json:"option"`
	GeoURL    string            `json:"geoURL"`
	MapName   string            `json:"mapName"`
	Locale    string            `json:"locale"`
	RegionURL string            `json:"regionURL"`
	Labels    map[string]string `json:"labels"`
}

// homePage serves the national status map.
func (h *Handler) homePage(c *fiber.Ctx) error {
	p, err := h.renderHome()
	if err != nil {
		h.log.Error("render home page", "err", err)
		return fiber.ErrInternalServerError
	}
	c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderETag, p.etag)
	if c.Get(fiber.HeaderIfNoneMatch) == p.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if accepts(c, "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(p.gzip)
	}
	return c.Send(p.body)
}

// renderHome returns the national page for the current snapshot, rendering it at most once per
// snapshot.
func (h *Handler) renderHome() (renderedPage, error) {
	snap := h.src.Snapshot()
	if snap == nil {
		return renderedPage{}, fmt.Errorf("no snapshot loaded")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.home.snap == snap {
		return h.home, nil
	}
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, "home.html", h.homeView(snap)); err != nil {
		return renderedPage{}, fmt.Errorf("execute home.html: %w", err)
	}
	gz, err := gzipBytes(buf.Bytes())
	if err != nil {
		return renderedPage{}, fmt.Errorf("gzip home page: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	h.home = renderedPage{snap: snap, body: buf.Bytes(), gzip: gz, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	return h.home, nil
}

func (h *Handler) homeView(snap *data.Snapshot) homeView {
	m := h.msgs
	styles := statusStyles()
	counts := snap.StatusCounts()
	total := len(snap.Regions)
	asOf := formatDay(snap.DataAsOf, m)

	v := homeView{
		M:          m,
		Title:      m.HomeTitle + " · " + m.SiteName,
		AsOf:       asOf,
		ImportedAt: formatDay(snap.ImportedAt, m),
		Total:      total,
		Datasets:   snap.Datasets,
		RegionBase: "/wilayah/",
	}
	for _, st := range data.Statuses {
		v.Figures = append(v.Figures, statusFigure{
			Label: m.Statuses[st], Count: counts[st], Share: m.percent(counts[st], total), Class: styles[st].Class,
		})
	}
	v.Rows = make([]tableRow, 0, total)
	for _, r := range snap.Regions {
		st, ok := styles[r.Status]
		if !ok {
			st = styles[data.StatusUnknown]
		}
		v.Rows = append(v.Rows, tableRow{
			Code: r.Code, Name: r.Name, URL: v.RegionBase + r.Code, Province: r.ProvinceName,
			StatusLabel: m.Statuses[r.Status], Class: st.Class, AsOf: formatDate(r.StatusAsOf, m),
		})
	}
	v.MapConfig = mapConfig{
		Option:    statusMapOption(snap, m, counts, asOf),
		GeoURL:    "/api/v1/regions.geojson?detail=" + string(data.LevelNational),
		MapName:   nationalMapName,
		Locale:    m.EChartsLocale,
		RegionURL: v.RegionBase,
		Labels: map[string]string{
			"province": m.TooltipProvince,
			"status":   m.TooltipStatus,
			"asOf":     m.TooltipAsOf,
			"error":    m.MapError,
		},
	}
	return v
}
