package dashboard

import (
	"sort"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/geo"
)

// digitalView is what templates/digital.html renders: the digital models beside the physical
// MPPs (/digital).
type digitalView struct {
	page
	CrossLead string
	Cells     []digitalCell
	Regions   []digitalRow
	Facts     []factRow
	Targets   []targetRow
	MapConfig mapConfig
}

type digitalCell struct {
	Key, Label string
	N          int
}

type digitalRow struct {
	Name, URL, Province, StatusLabel, StatusClass, Cell string
	Models                                              []digitalModelRow
}

type digitalModelRow struct {
	Model, AsOf, Note string
	Sources           []sourceView
}

// digitalModelRowOf is a recorded digital model as /digital and the region page list it.
func digitalModelRowOf(m *figures.Model, l *lang, d data.DigitalRegion) digitalModelRow {
	return digitalModelRow{Model: d.Model, AsOf: l.Date(d.AsOf), Note: d.Note, Sources: sourceViews(m, l, d.SourceIDs)}
}

type factRow struct {
	Date, Metric, Value string
	Sources             []sourceView
}

// digitalColors are the map's colours per recorded model (Okabe–Ito, apart from the status
// colours' meanings); regions without a recorded model are the neutral grey of "not known".
var digitalColors = []string{"#009E73", "#CC79A7", "#F0E442", "#0072B2", "#D55E00", "#56B4E9"}

const digitalNone = "#DDDDDD"

func (h *Handler) digitalView(m *figures.Model, l *lang, _ request, base page) (string, any, int) {
	base = withMap(titled(base, l.T("digital.title")))
	base.Bundle = bundleMap
	d := m.Digital
	v := digitalView{page: base, CrossLead: l.T("digital.cross_lead", "With", d.WithoutPhysical, "Total", d.WithoutPhysicalTotal)}
	for _, c := range figures.DigitalCells {
		v.Cells = append(v.Cells, digitalCell{Key: c, Label: l.T("digital.cells." + c), N: d.Cells[c]})
	}
	styles := statusStyles()
	for _, r := range d.Regions {
		st, ok := styles[r.Status]
		if !ok {
			st = styles[data.StatusUnknown]
		}
		row := digitalRow{Name: r.Name, URL: l.path("/wilayah/" + r.Code), Province: r.ProvinceName, StatusLabel: l.Msg(figures.StatusLabel(r.Status)),
			StatusClass: st.Class, Cell: l.T("digital.cells." + d.CellOf[r.Code])}
		for _, x := range r.Digital {
			row.Models = append(row.Models, digitalModelRowOf(m, l, x))
		}
		v.Regions = append(v.Regions, row)
	}
	for _, f := range m.Snap.DigitalFacts {
		date := f.DateText
		if !f.Date.IsZero() {
			date = l.Date(f.Date)
		}
		v.Facts = append(v.Facts, factRow{Date: date, Metric: f.Metric, Value: f.Value, Sources: sourceViews(m, l, f.SourceIDs)})
	}
	for _, a := range m.Digital.Targets {
		t := a.Target
		v.Targets = append(v.Targets, targetRow{SetBy: t.SetBy, Stated: l.Date(t.StatedOn), Year: t.TargetYear, Target: t.Target,
			Scope: t.Scope, Outcome: t.OutcomeNote, Assessment: assessmentText(l, a)})
	}
	// One colour per model, most recorded first; a region with several models takes its first.
	models := make([]string, 0, len(d.Models))
	for k := range d.Models {
		models = append(models, k)
	}
	sort.Slice(models, func(i, j int) bool {
		if d.Models[models[i]] != d.Models[models[j]] {
			return d.Models[models[i]] > d.Models[models[j]]
		}
		return models[i] < models[j]
	})
	value := map[string]int{}
	var pieces []map[string]any
	for i, k := range models {
		value[k] = i + 1
		pieces = append(pieces, map[string]any{"value": i + 1, "label": k, "color": digitalColors[i%len(digitalColors)]})
	}
	none := len(models) + 1
	pieces = append(pieces, map[string]any{"value": none, "label": l.T("digital.none_recorded"), "color": digitalNone})
	items := make([]mapItem, 0, len(m.Regions))
	valueOf := func(r *figures.Region) int {
		if len(r.Digital) > 0 {
			return value[r.Digital[0].Model]
		}
		return none
	}
	for _, r := range m.Regions {
		items = append(items, newMapItem(m, l, r, valueOf(r)))
	}
	colorOf := func(v int) string {
		if v == none {
			return digitalNone
		}
		return digitalColors[(v-1)%len(digitalColors)]
	}
	v.MapConfig = mapConfig{
		Option:    choropleth(nationalMapName, l.T("digital.map_title"), l.T("digital.map_aria"), items, pieces),
		GeoURL:    nationalGeoURL,
		MapName:   nationalMapName,
		Locale:    l.T("meta.echarts_locale"),
		RegionURL: l.path("/wilayah/"),
		Labels:    mapLabels(l),
		SVG: h.svgMap(m, l, svgSpec{ID: "digital-map", Key: "digital", Title: l.T("digital.map_title"), Regions: m.Regions, Detail: geo.DetailNational,
			Fill: func(r *figures.Region) (string, string) { return colorOf(valueOf(r)), "" }, Legend: piecesLegend(pieces)}),
		Controls: nationalControls(m),
	}
	return "digital.html", v, fiber.StatusOK
}
