package dashboard

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/figures"
	"mppmap/progress"
)

// progressPart is the progress chart with its figures and table twin, as /, /progres,
// /provinsi/{code} and /embed/progres show it — one builder over progress.Build, the report
// /api/v1/progress publishes, so every page states the same numbers as the API.
type progressPart struct {
	ChartID   string // the chart's element id
	Chart     chartConfig
	Aria      string
	Key       []keyItem // names the chart's series (the chart has no legend component)
	Rows      []countRow
	Targets   []targetRow
	Paces     []paceRow
	ETAHeads  []string // the pace table's ETA columns: one per distinct denominator
	Pace12    string
	ETAs      []etaLine // at the last 12 months' pace: one per distinct denominator
	Current   string
	Verdict   string // where the targets stand, one sentence
	Latest    string
	LatestCnt int
	Province  bool
	// Title, TableTitle, SaveName and ReportURL head the section on / and province pages.
	Title, TableTitle, SaveName, ReportURL string
}

// etaLine is when all units of one denominator are covered at the last 12 months' pace.
type etaLine struct{ Label, Value string }

// keyItem is one series of the progress chart in its HTML key.
type keyItem struct {
	Label, Color string
	Dash         string // "", "dashed", "dotted"
	Marker       bool   // a point marker (targets), not a line
}

// progressView is what templates/progress.html renders: the country's progress, or with
// ?province= one province's.
type progressView struct {
	page
	Heading    string
	Lead       string
	Progress   progressPart
	Method     string
	FormAction string
	Provinces  []provinceOption // the scope selector
}

// provinceOption is one province in the progress page's scope selector.
type provinceOption struct {
	Code, Name string
	Selected   bool
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
	Window, From, Pace, PaceSites string
	ETAs                          []string // one per progressPart.ETAHeads
}

// chartConfig is the JSON app.js draws a non-map chart from.
type chartConfig struct {
	Option map[string]any `json:"option"`
	Locale string         `json:"locale"`
}

// progressScope is the progress pages' scope for ?province=code: the country or a province;
// ok is false when the code names no province.
func progressScope(m *figures.Model, code string) (*figures.Province, bool) {
	if code == "" {
		return m.National, true
	}
	return m.Province(code)
}

func progressHeading(l *lang, p *figures.Province) string {
	if p.Code == "" {
		return l.T("progress.title")
	}
	return l.T("progress.province_heading", "Name", p.Name)
}

func (h *Handler) progressView(m *figures.Model, l *lang, req request, base page) (string, any, int) {
	code := req.Query["province"]
	scope, ok := progressScope(m, code)
	if !ok {
		return notFound(m, base, code)
	}
	heading := progressHeading(l, scope)
	base = titled(base, heading)
	if p, ok := m.Province(code); ok {
		base = h.withShare(base, p.Code, provinceShareText(m, l, p))
	}
	base.Bundle = bundleProgress
	v := progressView{page: base, Heading: heading, Progress: progressPartOf(m, l, scope), Method: l.T("progress.method.pace"),
		FormAction: l.path("/progres")}
	if v.Progress.Latest != "" {
		v.Lead = l.T("progress.lead", "Count", v.Progress.LatestCnt, "Date", v.Progress.Latest)
		if code != "" {
			v.Lead = l.T("progress.province_lead", "Count", v.Progress.LatestCnt, "Date", v.Progress.Latest)
		}
	}
	for _, p := range m.Provinces {
		v.Provinces = append(v.Provinces, provinceOption{Code: p.Code, Name: p.Name, Selected: p.Code == code})
	}
	return "progress.html", v, fiber.StatusOK
}

// embedProgressView is the progress chart alone, for iframes on other sites.
type embedProgressView struct {
	page
	Heading  string
	Progress progressPart
	FullURL  string
}

func (h *Handler) embedProgressView(m *figures.Model, l *lang, req request, base page) (string, any, int) {
	code := req.Query["province"]
	scope, ok := progressScope(m, code)
	if !ok {
		return notFound(m, base, code)
	}
	heading := progressHeading(l, scope)
	base = titled(base, heading)
	base.Bundle, base.Embed = bundleProgress, true
	part := progressPartOf(m, l, scope)
	return "embedprogress.html", embedProgressView{page: base, Heading: heading, Progress: part, FullURL: part.ReportURL}, fiber.StatusOK
}

// progressPartOf formats the progress report of the country (m.National) or of one province:
// figures' report, what /api/v1/progress publishes.
func progressPartOf(m *figures.Model, l *lang, scope *figures.Province) progressPart {
	rep := scope.Progress
	province := scope.Code
	v := progressPart{ChartID: "progress-chart", Province: province != "",
		Aria:  l.T("progress.aria", "All", rep.Denominators[0].Units, "Units", rep.Denominators[1].Units, "Autonomous", rep.Autonomous),
		Title: l.T("progress.title"), TableTitle: l.T("progress.counts_table"), SaveName: "mppmap-progres", ReportURL: l.path("/progres")}
	var last time.Time
	for _, nc := range rep.Stated {
		row := countRow{Date: l.Date(nc.AsOf), Count: l.T("format.no_value"), Kind: l.T("value_type." + nc.ValueType), Note: nc.Note,
			Sources: sourceViews(m, l, nc.SourceIDs)}
		if nc.Cumulative != nil && !nc.AsOf.IsZero() {
			row.Count = l.Int(*nc.Cumulative)
			if day := nc.AsOf.Latest(); !day.Before(last) {
				last, v.LatestCnt = day, *nc.Cumulative
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if province != "" {
		// No stated counts per province: the table twin is the series derived from dated sites.
		for _, p := range rep.Sites.Series {
			v.Rows = append(v.Rows, countRow{Date: l.Day(p.Date), Count: l.Number(p.Count), Kind: l.T("progress.series.sites")})
		}
		if n := len(rep.Sites.Series); n > 0 {
			last, v.LatestCnt = rep.Sites.Series[n-1].Date, int(rep.Sites.Series[n-1].Count)
		}
		v.Aria = l.T("progress.province_aria", "Name", scope.Name, "N", rep.Denominators[0].Units)
		v.Verdict = l.T("progress.verdict_province")
		v.Title, v.TableTitle, v.SaveName = l.T("progress.province_title"), l.T("progress.province_counts_table"), "mppmap-progres-"+province
		v.ReportURL += "?province=" + province
	}
	if !last.IsZero() {
		v.Latest = l.Day(last)
	}
	var lastDone *progress.Assessment
	var open []string
	for i, a := range rep.Targets {
		t := a.Target
		v.Targets = append(v.Targets, targetRow{SetBy: t.SetBy, Stated: l.Date(t.StatedOn), Year: t.TargetYear,
			Target: t.Target, Scope: t.Scope, Outcome: t.OutcomeNote, Assessment: assessmentText(l, a)})
		switch {
		case a.Status == progress.TargetOpen:
			open = append(open, l.T("progress.verdict_open", "Year", t.TargetYear, "Assessment", assessmentText(l, a)))
		case a.Kind == progress.KindCoverage && a.Deadline != nil && a.Achieved != nil && a.Goal != nil &&
			(lastDone == nil || a.Deadline.After(*lastDone.Deadline)):
			lastDone = &rep.Targets[i]
		}
	}
	switch {
	case len(open) > 0:
		v.Verdict = strings.Join(open, " ")
	case lastDone != nil:
		v.Verdict = l.T("progress.verdict_last", "Deadline", l.Day(*lastDone.Deadline), "Status", l.T("progress.target_status."+lastDone.Status),
			"Achieved", l.Number(*lastDone.Achieved), "Goal", l.Number(*lastDone.Goal))
	}
	eta := func(t *time.Time, ok bool) string {
		if !ok {
			return l.T("format.no_value")
		}
		if t == nil {
			return l.T("progress.never")
		}
		return l.Month(*t)
	}
	num := func(x *float64) string {
		if x == nil {
			return l.T("format.no_value")
		}
		return l.Number(*x)
	}
	bskdn, kpan := rep.Denominators[0].Units, rep.Denominators[1].Units
	v.ETAHeads = []string{l.T("progress.col_eta514", "N", bskdn), l.T("progress.col_eta509", "N", kpan)}
	if bskdn == kpan { // a province's kab/kota are the same units in both counts (DKI aside)
		v.ETAHeads = []string{l.T("progress.col_eta_all", "N", bskdn)}
	}
	for _, w := range rep.Paces {
		e514, ok514 := w.ETA[progress.DenomBSKDN]
		e509, ok509 := w.ETA[progress.DenomKemenPANRB]
		row := paceRow{Window: l.T("progress.windows." + w.Window), From: l.Day(w.From), Pace: num(w.PerMonth),
			PaceSites: num(w.PerMonthSites), ETAs: []string{eta(e514, ok514), eta(e509, ok509)}[:len(v.ETAHeads)]}
		v.Paces = append(v.Paces, row)
		if w.Window == progress.WindowLast12Months {
			v.Pace12 = row.Pace
			v.ETAs = []etaLine{{l.T("progress.eta_label", "N", bskdn), eta(e514, ok514)}, {l.T("progress.eta509_label", "N", kpan), eta(e509, ok509)}}[:len(v.ETAHeads)]
		}
	}
	current := rep.Current.Count
	v.Current = l.T("progress.current", "Count", l.Number(current), "Date", l.Day(rep.Current.Date))
	if rep.Current.Basis == progress.BasisSites {
		v.Current = l.T("progress.current_sites", "Count", l.Number(current), "Date", l.Day(rep.Current.Date))
	}
	opt, key := progressChart(l, rep, v.Aria)
	v.Chart, v.Key = chartConfig{Locale: l.T("meta.echarts_locale"), Option: opt}, key
	return v
}

// assessmentText says how a published target stands (progress.Assess).
func assessmentText(l *lang, a progress.Assessment) string {
	status := l.T("progress.target_status." + a.Status)
	s := l.T("progress.assessment", "Status", status)
	if a.Category != nil {
		s = l.T("progress.assessment_category", "Status", status, "Category", l.T("progress.category."+string(*a.Category)))
	}
	if a.RequiredPerMonth != nil {
		s = l.T("progress.assessment_required", "Assessment", s, "Required", l.T("progress.required", "Pace", l.Number(*a.RequiredPerMonth)))
	}
	return s
}
