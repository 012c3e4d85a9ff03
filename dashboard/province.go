package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/factors"
	"mppmap/figures"
	"mppmap/geo"
)

// provinceView is what templates/province.html renders.
type provinceView struct {
	page
	P         *figures.Province
	Lead      string
	Rank      string
	Figures   []statusFigure
	Rows      []tableRow
	MapConfig mapConfig
	Progress  progressPart
}

func (h *Handler) provinceView(m *figures.Model, l *lang, req request, base page) (string, any, int) {
	p, ok := m.Province(req.Code)
	if !ok {
		return notFound(m, base, req.Code)
	}
	base = h.withShare(withMap(titled(base, l.T("province.title", "Name", p.Name))), p.Code, provinceShareText(m, l, p))
	base.Bundle = bundleProgress
	v := provinceView{page: base, P: p, Progress: progressPartOf(m, l, p)}
	v.Lead = l.T("province.lead", "WithMPP", p.Counts[data.StatusYes], "Total", len(p.Regions), "Share", l.sharePct(p.StatusPct[data.StatusYes]))
	v.Rank = l.T("province.rank", "Rank", p.Rank, "Of", len(m.Provinces))
	v.Figures = statusFigures(l, p)
	v.Rows = regionRows(l, p.Regions)
	name := "mppmap-prov-" + p.Code
	c := p.Counts
	desc := l.T("province.map_desc", "Name", p.Name, "Date", base.AsOf, "Yes", c[data.StatusYes], "InProgress", c[data.StatusInProgress],
		"No", c[data.StatusNo], "Unknown", c[data.StatusUnknown])
	v.MapConfig = mapConfig{
		Option:    statusMapOption(m, l, p.Regions, name, desc, ""),
		GeoURL:    nationalGeoURL,
		MapName:   name,
		Province:  p.Code,
		Locale:    l.T("meta.echarts_locale"),
		RegionURL: l.path("/wilayah/"),
		Labels:    mapLabels(l),
		SVG: h.svgMap(m, l, svgSpec{ID: "province-map", Key: "province:" + p.Code, Title: l.T("map.label"), Regions: p.Regions,
			Detail: geo.DetailProvince, Fill: statusFill, Legend: statusLegend(l)}),
		Controls: &mapControls{},
	}
	return "province.html", v, fiber.StatusOK
}

// methodView is what templates/method.html renders.
type methodView struct {
	page
	Total  int
	Models []modelSpec // the barrier analysis' model variants, specified
}

type modelSpec struct{ Short, Spec string }

func (h *Handler) methodView(m *figures.Model, l *lang, _ request, base page) (string, any, int) {
	base = titled(base, l.T("method.title"))
	base.Bundle = ""
	v := methodView{page: base, Total: len(m.Regions)}
	for _, variant := range factors.Variants {
		v.Models = append(v.Models, modelSpec{Short: l.T("factors.model.short." + variant), Spec: l.Msg(factors.Spec(variant))})
	}
	return "method.html", v, fiber.StatusOK
}

// embedView is the national map alone, for iframes on other sites.
type embedView struct {
	page
	MapConfig mapConfig
	Time      timeSlider // the same slider and ?as_of= as /
	FullURL   string
}

func (h *Handler) embedMapView(m *figures.Model, l *lang, req request, base page) (string, any, int) {
	base = withMap(titled(base, l.T("map.label")))
	base.Embed = true
	// The link back opens the same view: the date (?as_of=, canonical) travels with it.
	full := l.path("/")
	if d := req.Query["as_of"]; d != "" {
		full += "?as_of=" + d
	}
	v := embedView{page: base, FullURL: full}
	v.MapConfig = h.nationalMapConfig(m, l, base.AsOf, "status-map")
	v.Time = newTimeSlider(m, l, base.AsOf)
	return "embed.html", v, fiber.StatusOK
}
