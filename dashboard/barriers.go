package dashboard

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/factors"
	"mppmap/figures"
	"mppmap/geo"
)

// barriersView is what templates/barriers.html renders: why regions lag (/hambatan).
type barriersView struct {
	page
	Factors    []factorOption // the factor selector
	Factor     *factors.Factor
	FactorName string
	Groups     []factorRow
	Bar        chartConfig
	ChartAria  string
	Claims     []claimRow
	Models     []modelView
	Terms      []termRow // one row per term, one cell per model
	Categories []categoryOption
	Category   string // the selected inhibitor category's slug; "" for all
	Findings   []findingRow
	Counts     []categoryCount
	MapConfig  mapConfig
	Costs      []costRow
	FormAction string
}

type factorOption struct {
	ID, Label string
	Selected  bool
}

// factorRow is one group of the selected factor in the table twin.
type factorRow struct {
	Key, Label, Range           string
	N, Yes, InProgress, No, Unk int
	Share, KnownShare           string
}

type claimRow struct{ Text, Reading string }

type modelView struct {
	Variant, Short, Outcome, N, Error, CSV string
}

type termRow struct {
	Name  string
	Cells []string // odds ratio (interval) per model; "—" where a model failed
}

type categoryOption struct {
	Slug, Label string
	Selected    bool
}

type categoryCount struct {
	Label, Slug, URL             string
	Findings, Regions, Provinces int
	National                     int
}

type findingRow struct {
	Category, Finding, Where, Date string
	Sources                        []sourceView
}

type costRow struct {
	Region, URL, Amount, What, Year string
	Sources                         []sourceView
	Address                         string
}

// costRowOf is a reported cost as every table of costs shows it (URL: set where the region is
// linked).
func costRowOf(m *figures.Model, l *lang, c data.Cost) costRow {
	return costRow{Region: c.RegionName, Amount: c.Amount, What: c.What, Year: c.YearText, Sources: sourceViews(m, l, c.SourceIDs), Address: c.Address}
}

// categorySlug is an inhibitor category as a URL parameter ("budget / fiscal capacity" →
// "budget-fiscal-capacity").
func categorySlug(c string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(c) {
		switch {
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// defaultFactor is the factor /hambatan opens on: the PAD share, which every region with a
// budget has (the PMK categories cover 175 regions).
const defaultFactor = factors.PADShare

// factorParam is ?factor=ID, one of the analysis' factors; anything else is a 400 page naming
// the ids.
var factorParam = param{name: "factor", canon: func(m *figures.Model, v string) (string, bool) {
	if v == "" || v == defaultFactor {
		return "", false
	}
	_, ok := m.Factors.Factor(v)
	return v, !ok
}, allowed: func(m *figures.Model) []string { return m.Factors.FactorIDs() }}

// categoryParam is ?category=SLUG of a recorded inhibitor category.
var categoryParam = param{name: "category", canon: func(m *figures.Model, v string) (string, bool) {
	if v == "" {
		return "", false
	}
	for _, c := range m.Inhibitors {
		if categorySlug(c.Category) == v {
			return v, false
		}
	}
	return v, true
}, allowed: func(m *figures.Model) []string {
	var out []string
	for _, c := range m.Inhibitors {
		out = append(out, categorySlug(c.Category))
	}
	return out
}}

func (h *Handler) barriersView(m *figures.Model, l *lang, req request, base page) (string, any, int) {
	base = withMap(titled(base, l.T("factors.title")))
	base.Bundle = bundleCharts
	a := m.Factors
	id := req.Query["factor"]
	if id == "" {
		id = defaultFactor
	}
	f, ok := a.Factor(id)
	if !ok && len(a.Factors) > 0 {
		f = a.Factors[0]
	}
	v := barriersView{page: base, Factor: f, Category: req.Query["category"], FormAction: base.Canonical}
	if i := strings.IndexByte(v.FormAction, '?'); i >= 0 {
		v.FormAction = v.FormAction[:i]
	}
	for _, x := range a.Factors {
		v.Factors = append(v.Factors, factorOption{ID: x.ID, Label: l.Msg(x.Label), Selected: f != nil && x.ID == f.ID})
	}
	if f != nil {
		v.FactorName = l.Msg(f.Label)
		var bars []statusBar
		for _, g := range f.Groups {
			row := factorRow{Key: g.Key, Label: l.Msg(g.Label), Range: l.T("format.no_value"), N: g.N, Yes: g.Yes, InProgress: g.InProgress,
				No: g.No, Unk: g.Unk, Share: l.interval(g.Share), KnownShare: l.interval(g.KnownShare)}
			if g.Lo != nil && g.Hi != nil {
				row.Range = l.T("format.range", "Lo", l.Number(*g.Lo), "Hi", l.Number(*g.Hi))
			}
			v.Groups = append(v.Groups, row)
			if g.N > 0 {
				bars = append(bars, statusBar{Label: l.T("fiscal.group_n", "Label", row.Label, "N", g.N), Pct: g.StatusPct})
			}
		}
		v.ChartAria = l.T("factors.chart_aria", "Factor", v.FactorName)
		v.Bar = chartConfig{Locale: l.T("meta.echarts_locale"), Option: statusBarOption(l, bars, v.ChartAria)}
	}
	for _, c := range a.Claims {
		v.Claims = append(v.Claims, claimRow{Text: l.Msg(c.Text), Reading: l.Msg(c.Reading)})
	}
	for _, md := range a.Models {
		mv := modelView{Variant: md.Variant, Short: l.T("factors.model.short." + md.Variant), Outcome: l.T("factors.model.outcome." + md.Variant),
			CSV: "/api/v1/factors/model.csv?variant=" + md.Variant}
		key := "factors.model_n"
		if md.Variant != factors.VariantMain {
			key = "factors.model_n_sensitivity"
		}
		mv.N = l.T(key, "N", md.N, "Events", md.Events, "Unknown", md.ExcludedUnknown, "Missing", md.ExcludedMissing)
		if md.Err != "" {
			mv.Error = l.T("factors.model_failed", "Reason", l.T("factors.model_error."+md.Err))
		}
		v.Models = append(v.Models, mv)
	}
	for i, name := range append([]string{"(intercept)"}, factors.Terms...) {
		row := termRow{Name: name}
		for _, md := range a.Models {
			cell := l.T("format.no_value")
			if i < len(md.Terms) {
				t := md.Terms[i]
				cell = l.T("factors.or_ci", "OR", l.Number(t.OddsRatio), "Low", l.Number(t.CILow), "High", l.Number(t.CIHigh))
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Terms = append(v.Terms, row)
	}
	h.inhibitorSection(m, l, &v)
	for _, c := range m.Snap.Costs {
		row := costRowOf(m, l, c)
		if c.RegionCode != "" {
			row.URL = l.path("/wilayah/" + c.RegionCode)
		}
		v.Costs = append(v.Costs, row)
	}
	return "barriers.html", v, fiber.StatusOK
}

// interval writes a share with its 95% interval, "62,5% (45,1%–77,3%)"; no value for an empty
// group.
func (l *lang) interval(i *factors.Interval) string {
	if i == nil {
		return l.T("format.no_value")
	}
	return l.T("factors.share_ci", "Share", l.Percent(i.Share), "Low", l.Percent(i.Low), "High", l.Percent(i.High))
}

// Values of the inhibitor map: a finding about the kab/kota itself, about its province as a
// whole, none recorded.
const (
	findingRegion   = 1
	findingProvince = 2
	findingNone     = 3
)

// Colours of the inhibitor map: Okabe–Ito vermillion for a finding about the region, its light
// orange for one about the province, the neutral grey of "unknown" for none recorded (which is
// not "none").
var findingColors = map[int]string{findingRegion: "#D55E00", findingProvince: "#F0C08A", findingNone: "#DDDDDD"}

func (h *Handler) inhibitorSection(m *figures.Model, l *lang, v *barriersView) {
	v.Categories = append(v.Categories, categoryOption{Slug: "", Label: l.T("factors.inhibitors_all"), Selected: v.Category == ""})
	regionHit, provinceHit := map[string]bool{}, map[string]bool{}
	for _, c := range m.Inhibitors {
		slug := categorySlug(c.Category)
		v.Categories = append(v.Categories, categoryOption{Slug: slug, Label: c.Category, Selected: slug == v.Category})
		v.Counts = append(v.Counts, categoryCount{Label: c.Category, Slug: slug, URL: v.FormAction + "?category=" + slug + "#inhibitors",
			Findings: len(c.Findings), Regions: len(c.Regions), Provinces: len(c.Provinces), National: c.National})
		if v.Category != "" && slug != v.Category {
			continue
		}
		for _, x := range c.Findings {
			where := x.Area
			switch x.Scope {
			case data.ScopeNational:
				where += " (" + l.T("factors.scope_national") + ")"
			case data.ScopeUnresolved:
				where += " (" + l.T("factors.scope_unresolved") + ")"
			}
			v.Findings = append(v.Findings, findingRow{Category: c.Category, Finding: x.Finding, Where: where, Date: x.DateText,
				Sources: sourceViews(m, l, x.SourceIDs)})
			for _, code := range x.RegionCodes {
				regionHit[code] = true
			}
			for _, code := range x.ProvinceCodes {
				provinceHit[code] = true
			}
		}
	}
	items := make([]mapItem, 0, len(m.Regions))
	valueOf := func(r *figures.Region) int {
		switch {
		case regionHit[r.Code]:
			return findingRegion
		case provinceHit[r.ProvinceCode]:
			return findingProvince
		}
		return findingNone
	}
	for _, r := range m.Regions {
		items = append(items, newMapItem(m, l, r, valueOf(r)))
	}
	pieces := []map[string]any{
		{"value": findingRegion, "label": l.T("factors.map_region"), "color": findingColors[findingRegion]},
		{"value": findingProvince, "label": l.T("factors.map_province"), "color": findingColors[findingProvince]},
		{"value": findingNone, "label": l.T("factors.map_none"), "color": findingColors[findingNone]},
	}
	catLabel := l.T("factors.inhibitors_all")
	if i := slices.IndexFunc(v.Categories, func(c categoryOption) bool { return c.Selected }); i >= 0 {
		catLabel = v.Categories[i].Label
	}
	v.MapConfig = mapConfig{
		Option:    choropleth(nationalMapName, l.T("factors.inhibitors_title"), l.T("factors.inhibitors_map_aria", "Category", catLabel), items, pieces),
		GeoURL:    nationalGeoURL,
		MapName:   nationalMapName,
		Locale:    l.T("meta.echarts_locale"),
		RegionURL: l.path("/wilayah/"),
		Labels:    mapLabels(l),
		SVG: h.svgMap(m, l, svgSpec{ID: "inhibitor-map", Key: strings.TrimSuffix("inhibitors:"+v.Category, ":"), Title: l.T("factors.inhibitors_title"), Regions: m.Regions,
			Detail: geo.DetailNational, Fill: func(r *figures.Region) (string, string) { return findingColors[valueOf(r)], "" },
			Legend: piecesLegend(pieces)}),
		Controls: nationalControls(m),
	}
}
