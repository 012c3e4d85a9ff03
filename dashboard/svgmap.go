package dashboard

import (
	"html/template"
	"strings"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/geo"
	"mppmap/mapsvg"
)

// svgSpec is a choropleth drawn by the server (package mapsvg): inline in the page, it is the map
// of the first paint and the map of readers without JavaScript — every region a link to its
// page, with its name and status as its title. ECharts replaces it in the same box once its
// bundle has loaded (app.js), so nothing moves.
type svgSpec struct {
	ID      string // the container's id; the SVG's ids derive from it
	Key     string // memo key: what distinguishes this map from another of the same page kind
	Title   string
	Regions []*figures.Region
	Detail  geo.Detail
	Fill    func(*figures.Region) (fill, class string)
	Focus   string // a region to outline (locator maps)
	Legend  []legendItem
}

// legendItem is one swatch of a map's HTML legend, shown with the server-drawn map.
type legendItem struct{ Color, Label string }

// svgOut is a server-drawn map as a page shows it: the inline <svg>, and the address of the
// same map as a print-ready file (/unduh/{lang}/{key}.svg).
type svgOut struct {
	HTML     template.HTML
	Legend   []legendItem
	Download string
}

// svgMap renders spec once per Model and language, and records the spec so that the map's
// download (serveMapSVG) draws exactly what the page drew. A failure is logged and gives no
// map: the table twin below every map still holds its data.
func (h *Handler) svgMap(m *figures.Model, l *lang, spec svgSpec) svgOut {
	_, _ = figures.Memo(m, "svgspec:"+l.Tag+":"+spec.Key, func() (svgSpec, error) { return spec, nil })
	memo := func(key string, build func() (template.HTML, error)) (template.HTML, error) {
		return figures.Memo(m, key, build)
	}
	if strings.HasPrefix(spec.Key, "locator:") || strings.HasPrefix(spec.Key, "province:") {
		memo = func(key string, build func() (template.HTML, error)) (template.HTML, error) {
			return h.svgs.Get(m, key, build)
		}
	}
	svg, err := memo("svg:"+l.Tag+":"+spec.Key, func() (template.HTML, error) {
		feats := svgFeatures(m, l, spec)
		if len(feats) == 0 {
			return "", nil
		}
		out, err := mapsvg.Render(feats, svgOptions(spec))
		if err != nil {
			return "", err
		}
		// mapsvg escapes every text and attribute it writes and validates links and colours.
		return template.HTML(out), nil //nolint:gosec // see above
	})
	if err != nil {
		h.log.Error("server-drawn map", "map", spec.Key, "err", err)
		return svgOut{}
	}
	if svg == "" {
		return svgOut{}
	}
	return svgOut{HTML: svg, Legend: spec.Legend, Download: "/unduh/" + l.Tag + "/" + downloadName(spec.Key) + ".svg"}
}

// svgFeatures are spec's regions as mapsvg features (mapsvg frames the map on their bounds).
func svgFeatures(m *figures.Model, l *lang, spec svgSpec) []mapsvg.Feature {
	geoms := m.Snap.Geometry[spec.Detail]
	var feats []mapsvg.Feature
	for _, r := range spec.Regions {
		g, ok := geoms[r.Code]
		if !ok {
			continue
		}
		fill, class := spec.Fill(r)
		feats = append(feats, mapsvg.Feature{Code: r.Code, Geom: g, Fill: fill, Class: class, Href: l.path("/wilayah/" + r.Code),
			Title: r.Name + " — " + l.Msg(figures.StatusLabel(r.Status)), Outline: r.Code == spec.Focus})
	}
	return feats
}

func svgOptions(spec svgSpec) mapsvg.Options {
	lvl, _ := geo.LevelOf(spec.Detail)
	dec := 0
	if lvl.Name != geo.DetailNational {
		dec = 1 // a province fills the box: a pixel of it is less than 0.05°
	}
	return mapsvg.Options{Width: 1000, Padding: 8, Decimals: dec, MinArea: 0.5,
		ID: spec.ID + "-svg", Title: spec.Title, Stroke: colorBorder, StrokeWidth: 0.6}
}

// downloadName is a map key as a file name: "province:32" → "province-32".
func downloadName(key string) string { return strings.ReplaceAll(key, ":", "-") }

// statusFill colours a region by its status, as every status map does.
func statusFill(r *figures.Region) (string, string) {
	st, ok := statusStyles()[r.Status]
	if !ok {
		st = statusStyles()[data.StatusUnknown]
	}
	return st.Color, st.Class
}

// statusLegend is the four statuses' legend.
func statusLegend(l *lang) []legendItem {
	var out []legendItem
	for _, st := range data.Statuses {
		out = append(out, legendItem{Color: statusStyles()[st].Color, Label: l.Msg(figures.StatusLabel(st))})
	}
	return out
}

// piecesLegend is the legend of a map's ECharts pieces (value, label, colour), in their order.
func piecesLegend(pieces []map[string]any) []legendItem {
	var out []legendItem
	for _, p := range pieces {
		c, _ := p["color"].(string)
		lbl, _ := p["label"].(string)
		out = append(out, legendItem{Color: c, Label: lbl})
	}
	return out
}
