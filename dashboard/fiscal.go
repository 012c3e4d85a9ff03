package dashboard

import (
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/factors"
	"mppmap/figures"
	"mppmap/fiscal"
	"mppmap/geo"
)

// fiscalColors: q1 … q5 on the viridis ramp (ordered, colour-blind safe), no data a neutral grey
// outside the ramp, so it never reads as the lowest group. app.css repeats them (fg-*).
var fiscalColors = map[string]string{
	"q1": "#FDE725", "q2": "#5EC962", "q3": "#21918C", "q4": "#3B528B", "q5": "#440154", fiscal.NoData: "#BBBBBB",
}

// fiscalGroupRow is one line of the bar chart's table twin.
type fiscalGroupRow struct {
	Key, Label, Range, Class string
	N                        int
	Counts                   []int      // per status, in data.Statuses order
	Pct                      []*float64 // per status: the group's share in percent (figures)
	ShareYes                 string
}

// fiscalRegionRow is one line of the map's table twin.
type fiscalRegionRow struct {
	Name, URL, Province, Group, Class, PAD, StatusLabel, StatusClass string
}

// pmkSection is the coverage by the Finance Ministry's category of one PMK period.
type pmkSection struct {
	ID, Title, Source, Aria string
	Bar                     chartConfig
	Groups                  []factorRow
}

type fiscalView struct {
	page
	PMK        []pmkSection
	Statuses   []string
	Groups     []fiscalGroupRow
	Regions    []fiscalRegionRow
	Bar        chartConfig
	Scatter    chartConfig
	ScatterTab []padStatusRow
	MapConfig  mapConfig
}

// padStatusRow is one status of the scatter's table twin: the spread of PAD shares of its regions.
type padStatusRow struct {
	Label, Class     string
	N, Total         int
	Median, Min, Max string
}

func (h *Handler) fiscalView(m *figures.Model, l *lang, _ request, base page) (string, any, int) {
	base = withMap(titled(base, l.T("fiscal.title")))
	base.Bundle = bundleCharts
	v := fiscalView{page: base}
	styles := statusStyles()
	for _, st := range data.Statuses {
		v.Statuses = append(v.Statuses, l.Msg(figures.StatusLabel(st)))
	}
	for _, g := range m.FiscalGroups {
		row := fiscalGroupRow{Key: g.Key, Label: l.Msg(fiscal.ShortLabel(g.Key)), Range: l.T("format.no_value"), Class: "fg-" + g.Key,
			N: len(g.Regions), ShareYes: l.sharePct(g.StatusPct[data.StatusYes])}
		if g.Lo != nil && g.Hi != nil {
			row.Range = l.T("format.range", "Lo", l.Number(*g.Lo), "Hi", l.Number(*g.Hi)) + "%"
		}
		for _, st := range data.Statuses {
			row.Counts = append(row.Counts, g.Counts[st])
			row.Pct = append(row.Pct, g.StatusPct[st])
		}
		v.Groups = append(v.Groups, row)
	}
	for _, r := range m.Regions {
		st, ok := styles[r.Status]
		if !ok {
			st = styles[data.StatusUnknown]
		}
		row := fiscalRegionRow{Name: r.Name, URL: l.path("/wilayah/" + r.Code), Province: r.ProvinceName,
			Group: l.Msg(fiscal.ShortLabel(r.FiscalGroup)), Class: "fg-" + r.FiscalGroup, PAD: l.T("format.no_value"),
			StatusLabel: l.Msg(figures.StatusLabel(r.Status)), StatusClass: st.Class}
		if x, ok := r.PADShare(m); ok {
			row.PAD = l.Number(x) + "%"
		}
		v.Regions = append(v.Regions, row)
	}
	v.Bar = chartConfig{Locale: l.T("meta.echarts_locale"), Option: fiscalBarOption(l, v.Groups)}
	for _, f := range m.Factors.Factors {
		if f.Kind != factors.KindCategory {
			continue
		}
		sec := pmkSection{ID: f.ID, Title: l.Msg(f.Label), Source: l.Msg(f.Source)}
		sec.Aria = l.T("fiscal.pmk_aria", "Factor", sec.Title)
		var bars []statusBar
		for _, g := range f.Groups {
			sec.Groups = append(sec.Groups, factorRow{Key: g.Key, Label: l.Msg(g.Label), N: g.N, Yes: g.Yes, InProgress: g.InProgress,
				No: g.No, Unk: g.Unk, Share: l.interval(g.Share), KnownShare: l.interval(g.KnownShare)})
			if g.N > 0 {
				bars = append(bars, statusBar{Label: l.T("fiscal.group_n", "Label", l.Msg(g.Label), "N", g.N), Pct: g.StatusPct})
			}
		}
		sec.Bar = chartConfig{Locale: l.T("meta.echarts_locale"), Option: statusBarOption(l, bars, sec.Aria)}
		v.PMK = append(v.PMK, sec)
	}
	v.Scatter, v.ScatterTab = fiscalScatter(m, l)
	var legend []legendItem
	for _, k := range fiscal.Keys {
		legend = append(legend, legendItem{Color: fiscalColors[k], Label: l.Msg(fiscal.ShortLabel(k))})
	}
	v.MapConfig = mapConfig{
		Option:    fiscalMapOption(m, l),
		GeoURL:    nationalGeoURL,
		MapName:   nationalMapName,
		Locale:    l.T("meta.echarts_locale"),
		RegionURL: l.path("/wilayah/"),
		Labels:    fiscalMapLabels(l),
		SVG: h.svgMap(m, l, svgSpec{ID: "fiscal-map", Key: "fiscal", Title: l.T("fiscal.map_title"), Regions: m.Regions, Detail: geo.DetailNational,
			Fill: func(r *figures.Region) (string, string) {
				return fiscalColors[r.FiscalGroup], "fg-" + strings.ReplaceAll(r.FiscalGroup, "_", "-")
			}, Legend: legend}),
		Controls: nationalControls(m),
	}
	return "fiscal.html", v, fiber.StatusOK
}

func fiscalMapLabels(l *lang) map[string]string {
	ls := mapLabels(l)
	ls["group"] = l.T("fiscal.tooltip_group")
	ls["pad"] = l.T("fiscal.tooltip_pad")
	return ls
}

// statusBar is one bar of a stacked status chart: a group's label (with its n) and each
// status' share of its regions in percent (figures), in data.Statuses order.
type statusBar struct {
	Label string
	Pct   []*float64
}

// statusBarOption is a horizontal 100% stacked bar, built with go-echarts: per group, the share
// of its regions in each status, in the status colours, unknown as a bar segment of its own.
// /fiskal's fiscal groups and /hambatan's factor groups share it.
func statusBarOption(l *lang, bars []statusBar, aria string) map[string]any {
	styles := statusStyles()
	cats := make([]string, len(bars))
	for i, b := range bars {
		cats[i] = b.Label
	}
	c := charts.NewBar()
	c.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: aria}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", AxisPointer: &opts.AxisPointer{Type: "shadow"}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "28", Bottom: "84", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true)}),
	)
	for si, st := range data.Statuses {
		vals := make([]opts.BarData, len(bars))
		for i, b := range bars {
			vals[i].Value = 0.0
			if p := b.Pct[si]; p != nil {
				vals[i].Value = *p
			}
		}
		c.AddSeries(l.Msg(figures.StatusLabel(st)), vals,
			charts.WithBarChartOpts(opts.BarChart{Stack: "share"}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "28" }),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: styles[st].Color}),
		)
	}
	c.Validate()
	return withoutUnused(c.JSON())
}

// fiscalBarOption is the fiscal groups' stacked status bar.
func fiscalBarOption(l *lang, groups []fiscalGroupRow) map[string]any {
	bars := make([]statusBar, len(groups))
	for i, g := range groups {
		bars[i] = statusBar{Label: l.T("fiscal.group_n", "Label", g.Label, "N", g.N), Pct: g.Pct}
	}
	return statusBarOption(l, bars, l.T("fiscal.bar_aria"))
}

// withoutUnused drops what go-echarts always writes but these charts do not use: a title (the
// page's heading is one), a toolbox (PNG is app.js' button) and the default palette (every
// series has its colour). The bundles carry neither a title nor a toolbox component.
func withoutUnused(o map[string]any) map[string]any {
	delete(o, "title")
	delete(o, "toolbox")
	delete(o, "color")
	return o
}

// fiscalMapItem is one region of the fiscal map: a status map's item (its value is the fiscal
// group's) plus the group and PAD share for the tooltip, which escapes every field.
type fiscalMapItem struct {
	mapItem
	Group string `json:"group"`
	PAD   string `json:"pad"`
}

// fiscalMapOption is the national map coloured by fiscal group, a piecewise legend of the six
// groups (no data last, in its own neutral colour).
func fiscalMapOption(m *figures.Model, l *lang) map[string]any {
	items := make([]fiscalMapItem, 0, len(m.Regions))
	value := map[string]int{}
	for i, k := range fiscal.Keys {
		value[k] = i + 1
	}
	for _, r := range m.Regions {
		it := fiscalMapItem{mapItem: newMapItem(m, l, r, value[r.FiscalGroup]), Group: l.Msg(fiscal.ShortLabel(r.FiscalGroup)), PAD: l.T("format.no_value")}
		if x, ok := r.PADShare(m); ok {
			it.PAD = l.Number(x) + "%"
		}
		items = append(items, it)
	}
	pieces := make([]map[string]any, 0, len(fiscal.Keys))
	for _, k := range fiscal.Keys {
		pieces = append(pieces, map[string]any{"value": value[k], "label": l.Msg(fiscal.ShortLabel(k)), "color": fiscalColors[k]})
	}
	return choropleth(nationalMapName, l.T("fiscal.map_title"), l.T("fiscal.map_aria"), items, pieces)
}

// fiscalScatter is the scatter of PAD share (x) against status (a category row each, in the
// status colours), one dot per region with data, and its table twin: per status, how many
// regions have data and the median and range of their PAD shares.
func fiscalScatter(m *figures.Model, l *lang) (chartConfig, []padStatusRow) {
	styles := statusStyles()
	cats := make([]string, len(data.Statuses))
	byStatus := map[data.Status][]opts.ScatterData{}
	for i, st := range data.Statuses {
		cats[i] = l.Msg(figures.StatusLabel(st))
	}
	for _, r := range m.Regions {
		st := r.Status
		if _, ok := styles[st]; !ok {
			st = data.StatusUnknown
		}
		x, ok := r.PADShare(m)
		if !ok {
			continue
		}
		byStatus[st] = append(byStatus[st], opts.ScatterData{Name: r.Name, Value: []any{x, l.Msg(figures.StatusLabel(st))}})
	}
	c := charts.NewScatter()
	c.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: l.T("fiscal.scatter_aria")}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "28", Bottom: "28", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: l.T("fiscal.col_pad"), NameLocation: "middle", NameGap: 24,
			AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true)}),
	)
	var rows []padStatusRow
	for _, st := range data.Statuses {
		c.AddSeries(l.Msg(figures.StatusLabel(st)), byStatus[st],
			charts.WithScatterChartOpts(opts.ScatterChart{SymbolSize: 7}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: styles[st].Color, Opacity: opts.Float(0.6), BorderColor: "#333", BorderWidth: 0.3}),
		)
		sp := m.PADSpread[st]
		row := padStatusRow{Label: l.Msg(figures.StatusLabel(st)), Class: styles[st].Class, N: sp.N, Total: sp.Total,
			Median: l.T("format.no_value"), Min: l.T("format.no_value"), Max: l.T("format.no_value")}
		if sp.N > 0 {
			row.Median, row.Min, row.Max = l.Number(sp.Median)+"%", l.Number(sp.Min)+"%", l.Number(sp.Max)+"%"
		}
		rows = append(rows, row)
	}
	c.Validate()
	opt := withoutUnused(c.JSON())
	delete(opt, "legend") // the table twin and the category axis name the rows
	return chartConfig{Locale: l.T("meta.echarts_locale"), Option: opt}, rows
}
