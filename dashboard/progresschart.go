package dashboard

import (
	"strconv"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"mppmap/data"
	"mppmap/progress"
	"mppmap/round"
)

// Colours of the progress chart: the stated series in the "has an MPP" blue of the map, goal
// lines and projection in greys that print, coverage targets in the palette's orange.
const (
	colorStated     = "#0072b2"
	colorApprox     = "#56b4e9"
	colorSites      = "#009e73"
	colorGoal       = "#333333"
	colorGoal2      = "#999999"
	colorProjection = "#888888"
	colorTarget     = "#d55e00"
)

// lineItem is one point of a line series on a time axis, with an optional label of its own
// (go-echarts' LineData has no label field).
type lineItem struct {
	Value [2]any         `json:"value"` // [YYYY-MM-DD, count]
	Name  string         `json:"name,omitempty"`
	Label map[string]any `json:"label,omitempty"`
}

func point(t time.Time, n float64) lineItem {
	return lineItem{Value: [2]any{t.Format("2006-01-02"), round.Figure(n)}}
}

// progressChart builds the ECharts option of the progress line chart of rep, nationally or for
// one province, with go-echarts: the cumulative count as stated (national only; approximate
// figures dashed), the count derived from dated sites, a goal line per distinct denominator,
// the coverage targets at their deadlines, and the projection at the last 12 months' pace to
// its ETA. The page names the series in an HTML key (progressPart.Key), not a legend
// component, and goal lines are series rather than markLines: both keep
// dist/echarts-progress.js under 200 KB gzip.
func progressChart(l *lang, rep progress.Report, aria string) (map[string]any, []keyItem) {
	type series struct {
		name  string
		items []lineItem
		color string
		dash  string // "" solid
		step  bool
		sym   string // "" none
		width float32
	}
	var all []series

	var stated, approx []lineItem
	for _, nc := range rep.Stated {
		if nc.Cumulative == nil || nc.AsOf.IsZero() {
			continue
		}
		it := point(nc.AsOf.Latest(), float64(*nc.Cumulative))
		if nc.ValueType == data.ValueStated {
			stated = append(stated, it)
		} else {
			approx = append(approx, it)
		}
	}
	if len(stated) > 0 {
		all = append(all, series{name: l.T("progress.series.stated"), items: stated, color: colorStated, sym: "circle", width: 2})
	}
	if len(approx) > 0 {
		all = append(all, series{name: l.T("progress.series.approx"), items: approx, color: colorApprox, dash: "dashed", sym: "circle", width: 1.5})
	}
	var sites []lineItem
	for _, p := range rep.Sites.Series {
		sites = append(sites, point(p.Date, p.Count))
	}
	if n := len(rep.Sites.Series); n > 0 && rep.End.After(rep.Sites.Series[n-1].Date) {
		sites = append(sites, point(rep.End, rep.Sites.Series[n-1].Count))
	}
	if len(sites) > 0 {
		w := float32(1.5)
		if len(stated) == 0 {
			w = 2 // the province chart's only count
		}
		all = append(all, series{name: l.T("progress.series.sites"), items: sites, color: colorSites, step: true, width: w})
	}

	// The projection at the last 12 months' pace, from the data end to the day all units of the
	// stated counts' denominator are covered; none when the pace is nil, zero or negative.
	end := rep.End
	units := rep.Denominators[1].Units
	if w, ok := rep.Pace(progress.WindowLast12Months); ok && w.PerMonth != nil {
		if eta := w.ETA[progress.DenomKemenPANRB]; eta != nil && eta.After(rep.End) {
			name := l.T("progress.series.projection", "Pace", l.Number(*w.PerMonth))
			all = append(all, series{name: name, color: colorProjection, dash: "dotted", width: 1.5, items: []lineItem{
				point(rep.End, rep.Current.Count), point(*eta, float64(units))}})
			end = *eta
		}
	}

	// Coverage targets at their deadlines (national only), once per deadline and goal.
	var targets []lineItem
	seen := map[[2]any]bool{}
	for _, a := range rep.Targets {
		if a.Kind != progress.KindCoverage || a.Deadline == nil || a.Goal == nil {
			continue
		}
		it := point(*a.Deadline, *a.Goal)
		if seen[it.Value] {
			continue
		}
		seen[it.Value] = true
		it.Name = strconv.Itoa(a.Deadline.Year())
		// Deadlines a year apart sit close on a phone: alternate the labels above and below.
		pos := "top"
		if len(targets)%2 == 1 {
			pos = "bottom"
		}
		it.Label = map[string]any{"show": true, "formatter": "{b}", "position": pos, "color": colorTarget}
		targets = append(targets, it)
		if a.Deadline.After(end) {
			end = *a.Deadline
		}
	}
	if len(targets) > 0 {
		all = append(all, series{name: l.T("progress.series.targets"), items: targets, color: colorTarget, sym: "diamond"})
	}

	// Goal lines: one per distinct denominator (514 and 509 nationally, 5 apart: two greys).
	goals := []struct {
		units int
		name  string
		color string
	}{{rep.Denominators[0].Units, l.T("progress.target_all", "N", rep.Denominators[0].Units), colorGoal},
		{rep.Denominators[1].Units, l.T("progress.target_autonomous", "N", rep.Autonomous), colorGoal2}}
	if rep.Province != "" { // a province's own unit counts (DKI Jakarta: 6 kab/kota, 1 MPP unit)
		goals[0].name, goals[1].name = l.T("progress.goal_regions", "N", goals[0].units), l.T("progress.goal_units", "N", goals[1].units)
		if goals[0].units == goals[1].units {
			goals = goals[:1]
		}
	}
	start := time.Date(sliderStartYear, 1, 1, 0, 0, 0, 0, time.UTC) // the year of the first MPP
	for _, g := range goals {
		all = append(all, series{name: g.name, color: g.color, dash: "dashed", width: 1.2,
			items: []lineItem{point(start, float64(g.units)), point(end, float64(g.units))}})
	}

	c := charts.NewLine()
	c.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: aria}}),
		charts.WithGridOpts(opts.Grid{Left: "44", Right: "16", Top: "24", Bottom: "28"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0}),
		charts.WithAnimation(false),
	)
	var key []keyItem
	for _, s := range all {
		key = append(key, keyItem{Label: s.name, Color: s.color, Dash: s.dash, Marker: s.width == 0})
		lc := opts.LineChart{Symbol: "none", Step: s.step}
		if s.sym != "" {
			lc.Symbol, lc.SymbolSize, lc.ShowSymbol = s.sym, 7, opts.Bool(true)
		}
		ls := opts.LineStyle{Color: s.color, Width: s.width, Type: s.dash}
		if s.width == 0 {
			ls.Opacity = opts.Float(0) // markers only
		}
		c.AddSeries(s.name, nil,
			charts.WithLineChartOpts(lc),
			charts.WithLineStyleOpts(ls),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color}),
		)
		c.MultiSeries[len(c.MultiSeries)-1].Data = s.items
	}
	c.Validate()
	out := withoutUnused(c.JSON())
	delete(out, "legend") // the page names the series (progressPart.Key); the bundle has no legend
	return out, key
}
