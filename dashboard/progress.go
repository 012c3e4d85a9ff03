package dashboard

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
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

func (h *Handler) progressPage(c *fiber.Ctx) error {
	code := utils.CopyString(c.Query("province"))
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		heading, ok := progressHeading(snap, m, code)
		if !ok {
			return notFound(base, code)
		}
		base = titled(base, heading)
		base.Bundle = bundleProgress
		v := progressView{page: base, Heading: heading, Progress: progressPartOf(snap, m, code), Method: m.P.Method,
			FormAction: m.path("/progres")}
		if v.Progress.Latest != "" {
			v.Lead = sprintf(m.ProgressLead, v.Progress.LatestCnt, v.Progress.Latest)
			if code != "" {
				v.Lead = sprintf(m.ProvinceProgressLead, v.Progress.LatestCnt, v.Progress.Latest)
			}
		}
		for _, p := range snap.Provinces {
			v.Provinces = append(v.Provinces, provinceOption{Code: p.Code, Name: p.Name, Selected: p.Code == code})
		}
		return "progress.html", v, fiber.StatusOK
	})
}

// progressHeading is the progress pages' heading for ?province=code ("" = the country); ok is
// false when the code names no province.
func progressHeading(snap *data.Snapshot, m *messages, code string) (string, bool) {
	if code == "" {
		return m.ProgressTitle, true
	}
	p, ok := snap.Province(code)
	if !ok {
		return "", false
	}
	return sprintf(m.ProvinceProgressHeading, p.Name), true
}

// embedProgressView is the progress chart alone, for iframes on other sites.
type embedProgressView struct {
	page
	Heading  string
	Progress progressPart
	FullURL  string
}

func (h *Handler) embedProgressPage(c *fiber.Ctx) error {
	code := utils.CopyString(c.Query("province"))
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		heading, ok := progressHeading(snap, m, code)
		if !ok {
			return notFound(base, code)
		}
		base = titled(base, heading)
		base.Bundle, base.Embed = bundleProgress, true
		part := progressPartOf(snap, m, code)
		v := embedProgressView{page: base, Heading: heading, Progress: part, FullURL: part.ReportURL}
		return "embedprogress.html", v, fiber.StatusOK
	})
}

// progressPartOf builds the progress part of the country (province "") or of one province.
func progressPartOf(snap *data.Snapshot, m *messages, province string) progressPart {
	rep := progress.Build(snap, province)
	v := progressPart{ChartID: "progress-chart", Aria: m.ProgressAria, Province: province != "",
		Title: m.ProgressTitle, TableTitle: m.CountsTable, SaveName: "mppmap-progres", ReportURL: m.path("/progres")}
	var last time.Time
	for _, nc := range rep.Stated {
		row := countRow{Date: formatDate(nc.AsOf, m), Count: m.NoDate, Kind: m.ValueTypes[nc.ValueType], Note: nc.Note,
			Sources: sourceViews(snap, m, nc.SourceIDs)}
		if nc.Cumulative != nil && !nc.AsOf.IsZero() {
			row.Count = sprintf("%d", *nc.Cumulative)
			if day := nc.AsOf.Latest(); !day.Before(last) {
				last, v.LatestCnt = day, *nc.Cumulative
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if province != "" {
		// No stated counts per province: the table twin is the series derived from dated sites.
		for _, p := range rep.Sites.Series {
			v.Rows = append(v.Rows, countRow{Date: formatDay(p.Date, m), Count: m.number(p.Count), Kind: m.SeriesSites})
		}
		if n := len(rep.Sites.Series); n > 0 {
			last, v.LatestCnt = rep.Sites.Series[n-1].Date, int(rep.Sites.Series[n-1].Count)
		}
		name := province
		if p, ok := snap.Province(province); ok {
			name = p.Name
		}
		v.Aria = sprintf(m.ProvinceProgressAria, name, rep.Denominators[0].Units)
		v.Verdict = m.P.VerdictProvince
		v.Title, v.TableTitle, v.SaveName = m.ProvinceProgressTitle, m.ProvinceCountsTable, "mppmap-progres-"+province
		v.ReportURL += "?province=" + province
	}
	if !last.IsZero() {
		v.Latest = formatDay(last, m)
	}
	var lastDone *progress.Assessment
	var open []string
	for i, a := range rep.Targets {
		t := a.Target
		v.Targets = append(v.Targets, targetRow{SetBy: t.SetBy, Stated: formatDate(t.StatedOn, m), Year: t.TargetYear,
			Target: t.Target, Scope: t.Scope, Outcome: t.OutcomeNote, Assessment: assessmentText(m, a)})
		switch {
		case a.Status == progress.TargetOpen:
			open = append(open, sprintf(m.P.VerdictOpen, t.TargetYear, assessmentText(m, a)))
		case a.Kind == progress.KindCoverage && a.Deadline != nil && a.Achieved != nil && a.Goal != nil &&
			(lastDone == nil || a.Deadline.After(*lastDone.Deadline)):
			lastDone = &rep.Targets[i]
		}
	}
	switch {
	case len(open) > 0:
		v.Verdict = strings.Join(open, " ")
	case lastDone != nil:
		v.Verdict = sprintf(m.P.VerdictLast, formatDay(*lastDone.Deadline, m), m.P.TargetStatus[lastDone.Status],
			m.number(*lastDone.Achieved), m.number(*lastDone.Goal))
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
	bskdn, kpan := rep.Denominators[0].Units, rep.Denominators[1].Units
	v.ETAHeads = []string{sprintf(m.P.ColETA514, bskdn), sprintf(m.P.ColETA509, kpan)}
	if bskdn == kpan { // a province's kab/kota are the same units in both counts (DKI aside)
		v.ETAHeads = []string{sprintf(m.P.ColETAAll, bskdn)}
	}
	for _, w := range rep.Paces {
		e514, ok514 := w.ETA[progress.DenomBSKDN]
		e509, ok509 := w.ETA[progress.DenomKemenPANRB]
		row := paceRow{Window: m.P.Windows[w.Window], From: formatDay(w.From, m), Pace: num(w.PerMonth),
			PaceSites: num(w.PerMonthSites), ETAs: []string{eta(e514, ok514), eta(e509, ok509)}[:len(v.ETAHeads)]}
		v.Paces = append(v.Paces, row)
		if w.Window == progress.WindowLast12Months {
			v.Pace12 = row.Pace
			v.ETAs = []etaLine{{sprintf(m.ETALabel, bskdn), eta(e514, ok514)}, {sprintf(m.P.ETA509Label, kpan), eta(e509, ok509)}}[:len(v.ETAHeads)]
		}
	}
	v.Current = sprintf(m.P.Current, m.number(progress.Round2(rep.Current.Count)), formatDay(rep.Current.Date, m))
	if rep.Current.Basis == progress.BasisSites {
		v.Current = sprintf(m.P.CurrentSites, m.number(progress.Round2(rep.Current.Count)), formatDay(rep.Current.Date, m))
	}
	opt, key := progressChart(m, rep, v.Aria)
	v.Chart, v.Key = chartConfig{Locale: m.EChartsLocale, Option: opt}, key
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

// progressMsgs are the words of the progress report on /progres.
type progressMsgs struct {
	Windows         map[string]string
	TargetStatus    map[string]string
	Categories      map[progress.Category]string
	Never           string
	Required        string // fmt: pace
	Current         string // fmt: count, date
	ColWindow       string
	ColFrom         string
	ColPace         string
	ColPaceSites    string
	ColETA514       string
	ColETA509       string
	ColETAAll       string
	ColAssess       string
	ETA509Label     string
	EmbedLink       string
	Method          string
	CurrentSites    string // fmt: count, date
	VerdictOpen     string // fmt: target year, assessment
	VerdictLast     string // fmt: deadline, status, achieved, goal
	VerdictProvince string
	KeyTitle        string
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
		ColETA514:    "Perkiraan %d kab/kota (BSKDN)",
		ColETA509:    "Perkiraan %d unit (KemenPANRB)",
		ColETAAll:    "Perkiraan semua %d kab/kota",
		ColAssess:    "Penilaian",
		ETA509Label:  "%d unit (hitungan KemenPANRB) tercakup (pada laju yang sama)",
		EmbedLink:    "Buka laporan kemajuan lengkap di Peta MPP",
		Method:       progress.MethodID,
		CurrentSites: "Jumlah saat ini: %s MPP per %s (dari lokasi MPP bertanggal).",
		VerdictOpen:  "Target %s: %s.",
		VerdictLast: "Tidak ada target nasional yang masih berjalan. Target cakupan penuh terakhir (batas waktu %s): " +
			"%s — %s dari %s pada batas waktu.",
		VerdictProvince: "Target nasional tidak dirinci per provinsi; laju dan perkiraan di sini dihitung dari lokasi MPP " +
			"bertanggal di provinsi ini.",
		KeyTitle: "Keterangan grafik",
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
		ColETA514:    "ETA, %d regencies/cities (BSKDN)",
		ColETA509:    "ETA, %d units (KemenPANRB)",
		ColETAAll:    "ETA, all %d regencies/cities",
		ColAssess:    "Assessment",
		ETA509Label:  "%d units (KemenPANRB count) covered (at the same pace)",
		EmbedLink:    "Open the full progress report on MPP Map",
		Method:       progress.Method,
		CurrentSites: "Count now: %s MPPs as of %s (from dated MPP sites).",
		VerdictOpen:  "Target %s: %s.",
		VerdictLast: "No national target is still open. The last full-coverage target (deadline %s) was " +
			"%s — %s of %s by the deadline.",
		VerdictProvince: "National targets are not broken down by province; the pace and estimates here come from the " +
			"province's dated MPP sites.",
		KeyTitle: "Chart key",
	}
}
