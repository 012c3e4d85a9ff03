package dashboard

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/fiscal"
	"mppmap/peers"
)

// fiscalMsgs are the words of the /fiskal page and of the fiscal peer group.
type fiscalMsgs struct {
	Title, Lead                string
	BarTitle, BarAria          string
	MapTitle, MapAria          string
	BarTable, MapTable         string
	ColGroup, ColRange, ColPAD string
	ColRegions, ColShareYes    string
	CaveatsTitle               string
	Caveats                    []string
	MethodTitle, Method        string
	Groups                     map[string]string // short group labels: q1 … q5, no_data
	TooltipGroup, TooltipPAD   string
	SeriesAxis                 string
	MapHint                    string
	// The scatter of PAD share against status and its table twin.
	ScatterTitle, ScatterAria, ScatterTable, ScatterNote string
	ColWithPAD, ColMedianPAD, ColMinMax                  string
}

func fiscalMsgsID() fiscalMsgs {
	return fiscalMsgs{
		Title:        "Kapasitas fiskal dan cakupan MPP",
		Lead:         "Apakah daerah dengan porsi pendapatan asli daerah (PAD) lebih besar lebih sering memiliki MPP? Wilayah dikelompokkan menjadi lima kuintil porsi PAD dalam APBD 2024 (perhitungan sendiri); wilayah tanpa data ditampilkan sebagai \"tidak ada data\", bukan sebagai kelompok terendah.",
		BarTitle:     "Status MPP per kelompok fiskal",
		BarAria:      "Diagram batang bertumpuk: untuk setiap kelompok fiskal (q1 porsi PAD terendah sampai q5 tertinggi, dan tidak ada data), persentase wilayah menurut status MPP. Tabel di bawah memuat angka yang sama.",
		MapTitle:     "Peta kelompok fiskal",
		ScatterTitle: "Porsi PAD menurut status MPP",
		ScatterAria:  "Diagram pencar: setiap titik satu kabupaten/kota, posisi mendatar porsi PAD dalam APBD 2024, baris menurut status MPP. Wilayah tanpa data tidak digambar. Tabel di bawah meringkas sebaran per status.",
		ScatterTable: "Tabel data grafik: porsi PAD per status MPP",
		ScatterNote:  "Setiap titik satu wilayah; titik yang bertumpuk berarti porsi PAD yang hampir sama. Wilayah tanpa data APBD 2024 tidak digambar.",
		ColWithPAD:   "Wilayah dengan data",
		ColMedianPAD: "Median porsi PAD",
		ColMinMax:    "Terendah–tertinggi",
		MapAria:      "Peta kabupaten/kota menurut kelompok fiskal (kuintil porsi PAD dalam APBD 2024, perhitungan sendiri); wilayah tanpa data berwarna abu-abu netral. Tabel di bawah memuat setiap wilayah.",
		BarTable:     "Tabel data grafik: status MPP per kelompok fiskal",
		MapTable:     "Tabel data peta: kelompok fiskal setiap wilayah",
		ColGroup:     "Kelompok fiskal",
		ColRange:     "Rentang porsi PAD",
		ColPAD:       "Porsi PAD 2024",
		ColRegions:   "Wilayah",
		ColShareYes:  "Porsi dengan MPP",
		CaveatsTitle: "Catatan",
		Caveats: []string{
			"Ini perhitungan kami sendiri dari APBD 2024, bukan kategori kapasitas fiskal Kementerian Keuangan (PMK).",
			"Porsi PAD hanya satu sisi kapasitas fiskal; hubungan dengan status MPP bukan bukti sebab-akibat.",
			"Wilayah tanpa data APBD 2024 (termasuk kota/kabupaten administrasi DKI Jakarta) ditampilkan sebagai \"tidak ada data\" dengan warna netral, tidak pernah sebagai kelompok terendah.",
		},
		MethodTitle: "Metode",
		Method:      fiscal.MethodID,
		Groups: map[string]string{"q1": "q1 (PAD terendah)", "q2": "q2", "q3": "q3", "q4": "q4", "q5": "q5 (PAD tertinggi)",
			fiscal.NoData: "Tidak ada data"},
		TooltipGroup: "Kelompok fiskal",
		TooltipPAD:   "Porsi PAD 2024",
		SeriesAxis:   "Persentase wilayah",
		MapHint:      "Klik wilayah untuk membuka halamannya. Klik legenda untuk menyembunyikan atau menampilkan satu kelompok.",
	}
}

func fiscalMsgsEN() fiscalMsgs {
	return fiscalMsgs{
		Title:        "Fiscal capacity and MPP coverage",
		Lead:         "Do regions that raise a larger share of their own revenue (PAD) more often have an MPP? Regions are grouped into five quintiles of the PAD share of the 2024 regional budget (APBD, our own calculation); regions without data are shown as \"no data\", never as the lowest group.",
		BarTitle:     "MPP status by fiscal group",
		BarAria:      "Stacked bar chart: for each fiscal group (q1 lowest PAD share to q5 highest, and no data), the percentage of regions by MPP status. The table below holds the same figures.",
		MapTitle:     "Map of fiscal groups",
		ScatterTitle: "PAD share by MPP status",
		ScatterAria:  "Scatter chart: each dot is one regency or city, placed horizontally by the PAD share of its 2024 APBD, in a row by MPP status. Regions without data are not drawn. The table below summarises the spread per status.",
		ScatterTable: "Chart data table: PAD share by MPP status",
		ScatterNote:  "Each dot is one region; overlapping dots have nearly the same PAD share. Regions without 2024 APBD data are not drawn.",
		ColWithPAD:   "Regions with data",
		ColMedianPAD: "Median PAD share",
		ColMinMax:    "Lowest–highest",
		MapAria:      "Map of regencies and cities by fiscal group (quintile of the PAD share of the 2024 APBD, own calculation); regions without data are neutral grey. The table below lists every region.",
		BarTable:     "Chart data table: MPP status by fiscal group",
		MapTable:     "Map data table: every region's fiscal group",
		ColGroup:     "Fiscal group",
		ColRange:     "PAD share range",
		ColPAD:       "PAD share 2024",
		ColRegions:   "Regions",
		ColShareYes:  "Share with an MPP",
		CaveatsTitle: "Caveats",
		Caveats: []string{
			"This is our own calculation from the 2024 APBD, not the Finance Ministry's (PMK) fiscal-capacity category.",
			"The PAD share is one side of fiscal capacity only; an association with MPP status is not evidence of cause.",
			"Regions without 2024 APBD data (including DKI Jakarta's administrative cities and regency) are shown as \"no data\" in a neutral colour, never as the lowest group.",
		},
		MethodTitle: "Method",
		Method:      fiscal.Method,
		Groups: map[string]string{"q1": "q1 (lowest PAD)", "q2": "q2", "q3": "q3", "q4": "q4", "q5": "q5 (highest PAD)",
			fiscal.NoData: "No data"},
		TooltipGroup: "Fiscal group",
		TooltipPAD:   "PAD share 2024",
		SeriesAxis:   "Share of regions",
		MapHint:      "Click a region to open its page. Click the legend to hide or show one group.",
	}
}

// fiscalColors: q1 … q5 on the viridis ramp (ordered, colour-blind safe), no data a neutral grey
// outside the ramp, so it never reads as the lowest group. app.css repeats them (fg-*).
var fiscalColors = map[string]string{
	"q1": "#FDE725", "q2": "#5EC962", "q3": "#21918C", "q4": "#3B528B", "q5": "#440154", fiscal.NoData: "#BBBBBB",
}

// fiscalGroupRow is one line of the bar chart's table twin.
type fiscalGroupRow struct {
	Key, Label, Range, Class string
	N                        int
	Counts                   []int // per status, in data.Statuses order
	ShareYes                 string
}

// fiscalRegionRow is one line of the map's table twin.
type fiscalRegionRow struct {
	Name, URL, Province, Group, Class, PAD, StatusLabel, StatusClass string
}

type fiscalView struct {
	page
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

func (h *Handler) fiscalPage(c *fiber.Ctx) error {
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		base = withMap(titled(base, m.F.Title))
		base.Bundle = bundleCharts
		g := h.peersOf(snap).Fiscal
		v := fiscalView{page: base}
		styles := statusStyles()
		for _, st := range data.Statuses {
			v.Statuses = append(v.Statuses, m.Statuses[st])
		}
		for _, key := range fiscal.Keys {
			row := fiscalGroupRow{Key: key, Label: m.F.Groups[key], Range: m.NoDate, Class: "fg-" + key}
			if lo, hi, ok := g.Range(key); ok {
				row.Range = m.number(lo) + "–" + m.number(hi) + "%"
			}
			counts := map[data.Status]int{}
			for _, r := range g.Members(snap, key) {
				counts[r.Status]++
				row.N++
			}
			for _, st := range data.Statuses {
				row.Counts = append(row.Counts, counts[st])
			}
			row.ShareYes = m.percent(counts[data.StatusYes], row.N)
			v.Groups = append(v.Groups, row)
		}
		for _, r := range snap.Regions {
			key := g.Of(r.Code)
			st, ok := styles[r.Status]
			if !ok {
				st = styles[data.StatusUnknown]
			}
			row := fiscalRegionRow{Name: r.Name, URL: m.path("/wilayah/" + r.Code), Province: r.ProvinceName,
				Group: m.F.Groups[key], Class: "fg-" + key, PAD: m.NoDate, StatusLabel: m.Statuses[r.Status], StatusClass: st.Class}
			if x, ok := g.Value(r.Code); ok {
				row.PAD = m.number(x) + "%"
			}
			v.Regions = append(v.Regions, row)
		}
		v.Bar = chartConfig{Locale: m.EChartsLocale, Option: fiscalBarOption(m, v.Groups)}
		v.Scatter, v.ScatterTab = fiscalScatter(snap, g, m)
		v.MapConfig = mapConfig{
			Option:    fiscalMapOption(snap, g, m),
			GeoURL:    nationalGeoURL,
			MapName:   nationalMapName,
			Locale:    m.EChartsLocale,
			RegionURL: m.path("/wilayah/"),
			Labels:    fiscalMapLabels(m),
		}
		return "fiscal.html", v, fiber.StatusOK
	})
}

func fiscalMapLabels(m *messages) map[string]string {
	l := mapLabels(m)
	l["group"] = m.F.TooltipGroup
	l["pad"] = m.F.TooltipPAD
	return l
}

// fiscalBarOption is a horizontal 100% stacked bar, built with go-echarts: per fiscal group,
// the share of its regions in each status, in the status colours.
func fiscalBarOption(m *messages, groups []fiscalGroupRow) map[string]any {
	styles := statusStyles()
	cats := make([]string, len(groups))
	for i, g := range groups {
		cats[i] = g.Label + " (n=" + strconv.Itoa(g.N) + ")"
	}
	c := charts.NewBar()
	c.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: m.F.BarAria}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", AxisPointer: &opts.AxisPointer{Type: "shadow"}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "28", Bottom: "84", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true)}),
	)
	for si, st := range data.Statuses {
		vals := make([]opts.BarData, len(groups))
		for i, g := range groups {
			vals[i].Value = 0.0
			if g.N > 0 {
				vals[i].Value = float64(int(1000*float64(g.Counts[si])/float64(g.N)+0.5)) / 10
			}
		}
		c.AddSeries(m.Statuses[st], vals,
			charts.WithBarChartOpts(opts.BarChart{Stack: "share"}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "28" }),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: styles[st].Color}),
		)
	}
	c.Validate()
	return withoutUnused(c.JSON())
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
func fiscalMapOption(snap *data.Snapshot, g *fiscal.Groups, m *messages) map[string]any {
	items := make([]fiscalMapItem, 0, len(snap.Regions))
	value := map[string]int{}
	for i, k := range fiscal.Keys {
		value[k] = i + 1
	}
	for _, r := range snap.Regions {
		key := g.Of(r.Code)
		it := fiscalMapItem{mapItem: newMapItem(snap, m, r, value[key]), Group: m.F.Groups[key], PAD: m.NoDate}
		if x, ok := g.Value(r.Code); ok {
			it.PAD = m.number(x) + "%"
		}
		items = append(items, it)
	}
	pieces := make([]map[string]any, 0, len(fiscal.Keys))
	for _, k := range fiscal.Keys {
		pieces = append(pieces, map[string]any{"value": value[k], "label": m.F.Groups[k], "color": fiscalColors[k]})
	}
	return choropleth(nationalMapName, m.F.MapTitle, m.F.MapAria, items, pieces)
}

// fiscalScatter is the scatter of PAD share (x) against status (a category row each, in the
// status colours), one dot per region with data, and its table twin: per status, how many
// regions have data and the median and range of their PAD shares.
func fiscalScatter(snap *data.Snapshot, g *fiscal.Groups, m *messages) (chartConfig, []padStatusRow) {
	styles := statusStyles()
	cats := make([]string, len(data.Statuses))
	byStatus := map[data.Status][]opts.ScatterData{}
	vals := map[data.Status][]float64{}
	total := map[data.Status]int{}
	for i, st := range data.Statuses {
		cats[i] = m.Statuses[st]
	}
	for _, r := range snap.Regions {
		st := r.Status
		if _, ok := styles[st]; !ok {
			st = data.StatusUnknown
		}
		total[st]++
		x, ok := g.Value(r.Code)
		if !ok {
			continue
		}
		byStatus[st] = append(byStatus[st], opts.ScatterData{Name: r.Name, Value: []any{x, m.Statuses[st]}})
		vals[st] = append(vals[st], x)
	}
	c := charts.NewScatter()
	c.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: m.F.ScatterAria}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "28", Bottom: "28", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: m.F.ColPAD, NameLocation: "middle", NameGap: 24,
			AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true)}),
	)
	var rows []padStatusRow
	for _, st := range data.Statuses {
		c.AddSeries(m.Statuses[st], byStatus[st],
			charts.WithScatterChartOpts(opts.ScatterChart{SymbolSize: 7}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: styles[st].Color, Opacity: opts.Float(0.6), BorderColor: "#333", BorderWidth: 0.3}),
		)
		row := padStatusRow{Label: m.Statuses[st], Class: styles[st].Class, N: len(vals[st]), Total: total[st],
			Median: m.NoDate, Min: m.NoDate, Max: m.NoDate}
		if md, ok := peers.Median(vals[st]); ok {
			lo, hi := vals[st][0], vals[st][0]
			for _, x := range vals[st] {
				lo, hi = min(lo, x), max(hi, x)
			}
			row.Median, row.Min, row.Max = m.number(md)+"%", m.number(lo)+"%", m.number(hi)+"%"
		}
		rows = append(rows, row)
	}
	c.Validate()
	opt := withoutUnused(c.JSON())
	delete(opt, "legend") // the table twin and the category axis name the rows
	return chartConfig{Locale: m.EChartsLocale, Option: opt}, rows
}
