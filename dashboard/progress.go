package dashboard

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/progress"
)

// progressView is what templates/progress.html renders: the cumulative national count as
// stated by its sources, against both denominators, with pace and ETA (package progress).
type progressView struct {
	page
	Rows      []countRow
	Targets   []targetRow
	Pace12    string
	PaceAll   string
	ETA       string
	Method    string
	Chart     chartConfig
	Latest    string
	LatestCnt int
}

type countRow struct {
	Date, Count, Kind, Note string
	Sources                 []sourceView
}

type targetRow struct {
	SetBy, Stated, Year, Target, Scope, Outcome string
}

// chartConfig is the JSON app.js draws a non-map chart from.
type chartConfig struct {
	Option map[string]any `json:"option"`
	Locale string         `json:"locale"`
}

func (h *Handler) progressPage(c *fiber.Ctx) error {
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		base = titled(base, m.ProgressTitle)
		base.Bundle = bundleCharts
		v := progressView{page: base, Method: progress.Method}
		var pts []progress.Point
		var stated, approx [][2]any
		for _, nc := range snap.NationalCounts {
			row := countRow{Date: formatDate(nc.AsOf, m), Count: m.NoDate, Kind: m.ValueTypes[nc.ValueType], Note: nc.Note,
				Sources: sourceViews(snap, m, nc.SourceIDs)}
			if nc.Cumulative != nil && !nc.AsOf.IsZero() {
				row.Count = sprintf("%d", *nc.Cumulative)
				day := nc.AsOf.Latest()
				pts = append(pts, progress.Point{Date: day, Count: float64(*nc.Cumulative)})
				item := [2]any{day.Format("2006-01-02"), *nc.Cumulative}
				switch nc.ValueType {
				case data.ValueStated:
					stated = append(stated, item)
				default:
					approx = append(approx, item)
				}
			}
			v.Rows = append(v.Rows, row)
		}
		for _, t := range snap.Targets {
			v.Targets = append(v.Targets, targetRow{SetBy: t.SetBy, Stated: formatDate(t.StatedOn, m), Year: t.TargetYear,
				Target: t.Target, Scope: t.Scope, Outcome: t.OutcomeNote})
		}
		series := progress.Merge(pts)
		total := float64(len(snap.Regions))
		if n := len(series); n > 0 {
			last := series[n-1]
			v.Latest, v.LatestCnt = formatDay(last.Date, m), int(last.Count)
			v.Pace12, v.PaceAll, v.ETA = m.NoDate, m.NoDate, m.NoDate
			if p, ok := progress.Pace(series, last.Date.AddDate(-1, 0, 0), last.Date); ok {
				v.Pace12 = m.number(p)
				if eta, ok := progress.ETA(last.Date, last.Count, total, p); ok {
					v.ETA = formatMonth(eta, m)
				}
			}
			if p, ok := progress.Pace(series, series[0].Date, last.Date); ok {
				v.PaceAll = m.number(p)
			}
		}
		v.Chart = chartConfig{Locale: m.EChartsLocale, Option: progressOption(m, stated, approx, len(snap.Regions))}
		return "progress.html", v, fiber.StatusOK
	})
}

func formatMonth(t time.Time, m *messages) string {
	return formatDate(monthDate(t), m)
}

// progressOption is the line chart of stated cumulative counts with the two denominators as
// target lines (markLine). Approximate figures are a separate, dashed series.
func progressOption(m *messages, stated, approx [][2]any, total int) map[string]any {
	line := func(name string, pts [][2]any, dashed bool) map[string]any {
		s := map[string]any{"type": "line", "name": name, "data": pts, "symbolSize": 6, "connectNulls": true}
		if dashed {
			s["lineStyle"] = map[string]any{"type": "dashed"}
		}
		return s
	}
	s1 := line(m.SeriesStated, stated, false)
	s1["markLine"] = map[string]any{
		"symbol": "none", "silent": true,
		"label": map[string]any{"formatter": "{b}: {c}", "fontSize": 11},
		// The two lines are 5 apart: one label above its line at the start, one below at the end.
		"data": []map[string]any{
			{"name": m.TargetAll, "yAxis": total, "label": map[string]any{"position": "insideStartTop"}},
			{"name": m.TargetAutonomous, "yAxis": 509, "label": map[string]any{"position": "insideEndBottom"}},
		},
	}
	return map[string]any{
		"animationDuration": 300,
		"aria":              map[string]any{"enabled": true, "label": map[string]any{"description": m.ProgressAria}},
		"tooltip":           map[string]any{"trigger": "axis", "confine": true},
		"legend":            map[string]any{"bottom": 0},
		"grid":              map[string]any{"left": 40, "right": 12, "top": 20, "bottom": 40},
		"xAxis":             map[string]any{"type": "time"},
		"yAxis":             map[string]any{"type": "value", "max": 520},
		"series":            []map[string]any{s1, line(m.SeriesApprox, approx, true)},
	}
}
