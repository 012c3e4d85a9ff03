package dashboard

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/progress"
)

// progressView is what templates/progress.html renders: the cumulative national count as
// stated by its sources, against both denominators, with the paces, ETAs and target
// assessments of progress.Build — the same report /api/v1/progress publishes.
type progressView struct {
	page
	Rows      []countRow
	Targets   []targetRow
	Pace12    string
	ETA       string // at the last 12 months' pace, all 514
	ETA509    string // at the last 12 months' pace, 509 units
	Paces     []paceRow
	Current   string
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
	Assessment                                  string
}

// paceRow is one pace window of the report.
type paceRow struct {
	Window, From, Pace, PaceSites, ETA514, ETA509 string
}

// chartConfig is the JSON app.js draws a non-map chart from.
type chartConfig struct {
	Option map[string]any `json:"option"`
	Locale string         `json:"locale"`
}

func (h *Handler) progressPage(c *fiber.Ctx) error {
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		return "progress.html", progressViewOf(snap, m, base), fiber.StatusOK
	})
}

// embedProgressView is the progress chart alone, for iframes on other sites.
type embedProgressView struct {
	progressView
	FullURL string
}

func (h *Handler) embedProgressPage(c *fiber.Ctx) error {
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		v := progressViewOf(snap, m, base)
		v.Embed = true
		return "embedprogress.html", embedProgressView{progressView: v, FullURL: m.path("/progres")}, fiber.StatusOK
	})
}

// progressViewOf builds the progress page's view from progress.Build.
func progressViewOf(snap *data.Snapshot, m *messages, base page) progressView {
	base = titled(base, m.ProgressTitle)
	base.Bundle = bundleCharts
	rep := progress.Build(snap, "")
	v := progressView{page: base, Method: m.P.Method}
	var stated, approx [][2]any
	var last time.Time
	for _, nc := range rep.Stated {
		row := countRow{Date: formatDate(nc.AsOf, m), Count: m.NoDate, Kind: m.ValueTypes[nc.ValueType], Note: nc.Note,
			Sources: sourceViews(snap, m, nc.SourceIDs)}
		if nc.Cumulative != nil && !nc.AsOf.IsZero() {
			row.Count = sprintf("%d", *nc.Cumulative)
			day := nc.AsOf.Latest()
			if !day.Before(last) {
				last, v.LatestCnt = day, *nc.Cumulative
			}
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
	if !last.IsZero() {
		v.Latest = formatDay(last, m)
	}
	for _, a := range rep.Targets {
		t := a.Target
		v.Targets = append(v.Targets, targetRow{SetBy: t.SetBy, Stated: formatDate(t.StatedOn, m), Year: t.TargetYear,
			Target: t.Target, Scope: t.Scope, Outcome: t.OutcomeNote, Assessment: assessmentText(m, a)})
	}
	eta := func(t *time.Time, ok bool) string {
		if !ok {
			return m.NoDate
		}
		if t == nil {
			return m.P.Never
		}
		return formatMonth(*t, m)
	}
	num := func(x *float64) string {
		if x == nil {
			return m.NoDate
		}
		return m.number(*x)
	}
	for _, w := range rep.Paces {
		e514, ok514 := w.ETA[progress.DenomBSKDN]
		e509, ok509 := w.ETA[progress.DenomKemenPANRB]
		row := paceRow{Window: m.P.Windows[w.Window], From: formatDay(w.From, m), Pace: num(w.PerMonth),
			PaceSites: num(w.PerMonthSites), ETA514: eta(e514, ok514), ETA509: eta(e509, ok509)}
		v.Paces = append(v.Paces, row)
		if w.Window == progress.WindowLast12Months {
			v.Pace12, v.ETA, v.ETA509 = row.Pace, row.ETA514, row.ETA509
		}
	}
	v.Current = sprintf(m.P.Current, m.number(progress.Round2(rep.Current.Count)), formatDay(rep.Current.Date, m))
	v.Chart = chartConfig{Locale: m.EChartsLocale, Option: progressOption(m, stated, approx, len(snap.Regions))}
	return v
}

// assessmentText says how a published target stands (progress.Assess).
func assessmentText(m *messages, a progress.Assessment) string {
	s := m.P.TargetStatus[a.Status]
	if a.Category != nil {
		s += " — " + m.P.Categories[*a.Category]
	}
	if a.RequiredPerMonth != nil {
		s += "; " + sprintf(m.P.Required, m.number(*a.RequiredPerMonth))
	}
	return s
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
		"toolbox": map[string]any{"show": true, "right": 8, "top": 0, "feature": map[string]any{
			"saveAsImage": map[string]any{"show": true, "type": "png", "name": "mppmap-progres"}}},
		"legend": map[string]any{"bottom": 0},
		"grid":   map[string]any{"left": 40, "right": 12, "top": 28, "bottom": 40},
		"xAxis":  map[string]any{"type": "time"},
		"yAxis":  map[string]any{"type": "value", "max": 520},
		"series": []map[string]any{s1, line(m.SeriesApprox, approx, true)},
	}
}

// progressMsgs are the words of the progress report on /progres.
type progressMsgs struct {
	Windows      map[string]string
	TargetStatus map[string]string
	Categories   map[progress.Category]string
	Never        string
	Required     string // fmt: pace
	Current      string // fmt: count, date
	ColWindow    string
	ColFrom      string
	ColPace      string
	ColPaceSites string
	ColETA514    string
	ColETA509    string
	ColAssess    string
	ETA509Label  string
	EmbedLink    string
	Method       string
}

func progressMsgsID() progressMsgs {
	return progressMsgs{
		Windows: map[string]string{progress.WindowSince2022: "Sejak 1 Januari 2022", progress.WindowLast12Months: "12 bulan terakhir",
			progress.WindowLast6Months: "6 bulan terakhir"},
		TargetStatus: map[string]string{progress.TargetMet: "Tercapai", progress.TargetMissed: "Tidak tercapai",
			progress.TargetOpen: "Berjalan", progress.TargetNotAssessed: "Tidak dinilai"},
		Categories: map[progress.Category]string{progress.Achieved: "sudah tercapai", progress.OnTrack: "sesuai jalur",
			progress.AccelerationNeeded: "perlu percepatan", progress.LimitedProgress: "kemajuan terbatas", progress.Deterioration: "kemunduran"},
		Never:        "tidak tercapai pada laju ini",
		Required:     "laju yang diperlukan %s MPP/bulan",
		Current:      "Perkiraan jumlah saat ini: %s MPP per %s (interpolasi dari angka yang dinyatakan).",
		ColWindow:    "Rentang waktu",
		ColFrom:      "Mulai",
		ColPace:      "Laju (MPP/bulan)",
		ColPaceSites: "Laju dari lokasi bertanggal",
		ColETA514:    "Perkiraan 514 kab/kota",
		ColETA509:    "Perkiraan 509 unit",
		ColAssess:    "Penilaian",
		ETA509Label:  "509 unit (508 otonom + DKI) tercapai pada laju yang sama sekitar",
		EmbedLink:    "Buka laporan kemajuan lengkap di Peta MPP",
		Method:       progress.MethodID,
	}
}

func progressMsgsEN() progressMsgs {
	return progressMsgs{
		Windows: map[string]string{progress.WindowSince2022: "Since 1 January 2022", progress.WindowLast12Months: "Last 12 months",
			progress.WindowLast6Months: "Last 6 months"},
		TargetStatus: map[string]string{progress.TargetMet: "Met", progress.TargetMissed: "Missed",
			progress.TargetOpen: "Open", progress.TargetNotAssessed: "Not assessed"},
		Categories: map[progress.Category]string{progress.Achieved: "achieved", progress.OnTrack: "on track",
			progress.AccelerationNeeded: "acceleration needed", progress.LimitedProgress: "limited progress", progress.Deterioration: "deterioration"},
		Never:        "never at this pace",
		Required:     "required pace %s MPPs/month",
		Current:      "Estimated count now: %s MPPs as of %s (interpolated from the stated figures).",
		ColWindow:    "Window",
		ColFrom:      "From",
		ColPace:      "Pace (MPPs/month)",
		ColPaceSites: "Pace from dated sites",
		ColETA514:    "ETA, 514 kab/kota",
		ColETA509:    "ETA, 509 units",
		ColAssess:    "Assessment",
		ETA509Label:  "509 units (508 autonomous + DKI) covered at the same pace around",
		EmbedLink:    "Open the full progress report on MPP Map",
		Method:       progress.Method,
	}
}
