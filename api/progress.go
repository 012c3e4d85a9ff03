package api

import (
	"github.com/gofiber/fiber/v2"

	"mppmap/figures"
	"mppmap/progress"
)

type statedJSON struct {
	Date            string       `json:"date" vocab:"pdate" description:"The date the count is for, at its source's precision."`
	Cumulative      *int         `json:"cumulative" description:"Number of MPPs the source states (cumulative); null when it gives no figure."`
	ValueType       string       `json:"value_type" vocab:"value_type" description:"stated (as published), stated_approx (a rounded or approximate figure), derived, unknown."`
	YearEndBest     bool         `json:"year_end_best" description:"true for the figure used as the year's end count when several conflict."`
	DenominatorNote string       `json:"denominator_note" description:"What the source counts against, as published."`
	Note            string       `json:"note"`
	Sources         []sourceJSON `json:"sources"`
}

type pointJSON struct {
	Date  string  `json:"date" vocab:"day" description:"Day (YYYY-MM-DD) from which the count holds."`
	Count float64 `json:"count" description:"Number of MPPs (dated sites) on and after date."`
}

type paceJSON struct {
	Window        string             `json:"window" vocab:"window" description:"since_2022 (from 1 January 2022), last_12_months (the headline pace targets are categorised on), last_6_months."`
	From          string             `json:"from" vocab:"day"`
	To            string             `json:"to" vocab:"day" description:"The data's last date."`
	PerMonth      *float64           `json:"per_month" description:"New MPPs per month over the window on the main series (stated counts nationally, dated sites for a province); null when the window starts before the series."`
	PerMonthSites *float64           `json:"per_month_from_sites" description:"New MPPs per month over the window from dated sites; null as per_month."`
	ETA           map[string]*string `json:"eta" keys:"denominator" vocab:"day" description:"Per denominator: the day every unit would be covered at per_month; null = never at this pace. Empty when per_month is null."`
}

type targetJSON struct {
	ID               string            `json:"id" description:"Target id (targets.csv)."`
	SetBy            string            `json:"set_by" description:"Who set it, as published."`
	StatedOn         *string           `json:"stated_on" vocab:"pdate" description:"When it was stated, at its source's precision; null when unknown."`
	TargetYear       string            `json:"target_year" description:"The year(s) the target names, as published."`
	Target           string            `json:"target" description:"The target as published."`
	Scope            string            `json:"scope" description:"What it counts, as published (e.g. 508 kab/kota)."`
	OutcomeNote      string            `json:"outcome_note"`
	Sources          []sourceJSON      `json:"sources"`
	Kind             string            `json:"kind" vocab:"target_kind" description:"coverage (all kab/kota by the deadline), count_in_year (N new MPPs in the year), not_assessed (not measurable from the data)."`
	Goal             *float64          `json:"goal" description:"Number it aims at (MPPs, or new MPPs in the year); null when not assessed."`
	Deadline         *string           `json:"deadline" vocab:"day" description:"31 December of the last year named; null when not assessed."`
	Status           string            `json:"status" vocab:"target_status"`
	Achieved         *float64          `json:"achieved" description:"Number reached by the deadline or the data's end, whichever is first (MPPs, or new MPPs in the year); null when not assessed."`
	RequiredPerMonth *float64          `json:"required_per_month" description:"Open targets: MPPs per month needed from the data's end to the deadline; null otherwise."`
	Category         *string           `json:"category" vocab:"sdg_category" description:"Open targets: Open SDG progress category on the last-12-months pace; null otherwise."`
	Ratio            *float64          `json:"ratio" description:"Open targets: last-12-months pace over the required pace (no unit); null otherwise or when infinite."`
	CategoryByWindow map[string]string `json:"category_by_window" keys:"window" vocab:"sdg_category" description:"Open targets: the category on each window's pace; empty otherwise."`
}

type progressResponse struct {
	Meta         meta          `json:"meta"`
	Scope        string        `json:"scope" vocab:"progress_scope"`
	Province     *provinceJSON `json:"province,omitempty" description:"The province, when scope is province."`
	Denominators []shareJSON   `json:"denominators" description:"Share with an MPP over both denominators, for the scope."`
	Stated       []statedJSON  `json:"stated" description:"National only: every stated count, conflicting figures side by side (none picked); empty for a province."`
	StatedNote   string        `json:"stated_note"`
	FromSites    struct {
		Series      []pointJSON    `json:"series" description:"Cumulative count of dated MPP sites, a step at each date."`
		Undated     int            `json:"undated" description:"Number of sites without a date, not counted in series."`
		ByPrecision map[string]int `json:"by_precision" keys:"precision" description:"Number of dated sites per date precision."`
		Method      string         `json:"method"`
	} `json:"from_sites" description:"The count derived from dated MPP sites."`
	Current struct {
		Date  string  `json:"date" vocab:"day"`
		Count float64 `json:"count" description:"Number of MPPs on date (interpolated on the main series)."`
		Basis string  `json:"basis" vocab:"basis" description:"stated: the national stated series; sites: dated sites."`
	} `json:"current" description:"The count on the data's last date."`
	Pace         []paceJSON   `json:"pace" description:"The pace over three windows, and the ETA each gives."`
	Targets      []targetJSON `json:"targets" description:"National only: every published target, assessed where measurable."`
	Method       string       `json:"method"`
	TargetMethod string       `json:"target_method"`
	SharesMethod string       `json:"shares_method"`
}

func (h *Handler) progress(c *fiber.Ctx) error {
	m := h.src.Model()
	scope := m.National
	if c.Context().QueryArgs().Has("province") {
		p, err := parseProvince(m, "province", c.Query("province"))
		if err != nil {
			return err
		}
		scope = p
	}
	return h.serveJSON(c, m, "progress:"+scope.Code, func() any { return h.buildProgress(m, scope) })
}

// buildProgress formats a scope's progress report (figures: progress.Build, once per Model).
func (h *Handler) buildProgress(m *figures.Model, scope *figures.Province) progressResponse {
	r := scope.Progress
	p := progressResponse{Meta: h.metaOf(m), Scope: r.Scope, Stated: []statedJSON{}, Targets: []targetJSON{}, Pace: []paceJSON{},
		Denominators: toShares(r.Denominators[:]), StatedNote: h.en.T("progress.method.stated_note_national"),
		Method: h.en.T("progress.method.pace"), TargetMethod: h.en.T("progress.method.targets", "Units", r.Goal),
		SharesMethod: h.sharesMethod(m)}
	if scope.Code != "" {
		pj := toProvinceJSON(scope)
		p.Province = &pj
		p.StatedNote = h.en.T("progress.method.stated_note_province")
	}
	for _, nc := range r.Stated {
		p.Stated = append(p.Stated, statedJSON{Date: nc.AsOf.String(), Cumulative: nc.Cumulative, ValueType: nc.ValueType,
			YearEndBest: nc.YearEndBest, DenominatorNote: nc.DenominatorNote, Note: nc.Note, Sources: resolveSources(m, nc.SourceIDs)})
	}
	p.FromSites.Series = []pointJSON{}
	for _, pt := range r.Sites.Series {
		p.FromSites.Series = append(p.FromSites.Series, pointJSON{day(pt.Date), pt.Count})
	}
	p.FromSites.Undated, p.FromSites.ByPrecision, p.FromSites.Method = r.Sites.Undated, nonNilMap(r.Sites.ByPrecision), h.en.T("progress.method.sites")
	p.Current.Date, p.Current.Count, p.Current.Basis = day(r.Current.Date), r.Current.Count, r.Current.Basis
	for _, w := range r.Paces {
		pj := paceJSON{Window: w.Window, From: day(w.From), To: day(w.To), PerMonth: w.PerMonth, PerMonthSites: w.PerMonthSites,
			ETA: map[string]*string{}}
		for dn, t := range w.ETA {
			if t == nil {
				pj.ETA[dn] = nil
			} else {
				pj.ETA[dn] = ptr(day(*t))
			}
		}
		p.Pace = append(p.Pace, pj)
	}
	for _, a := range r.Targets {
		p.Targets = append(p.Targets, toTargetJSON(m, a))
	}
	return p
}

func toTargetJSON(m *figures.Model, a progress.Assessment) targetJSON {
	t := a.Target
	tj := targetJSON{ID: t.ID, SetBy: t.SetBy, StatedOn: dateOrNil(t.StatedOn), TargetYear: t.TargetYear, Target: t.Target,
		Scope: t.Scope, OutcomeNote: t.OutcomeNote, Sources: resolveSources(m, t.SourceIDs), Kind: a.Kind, Status: a.Status,
		Goal: a.Goal, Achieved: a.Achieved, RequiredPerMonth: a.RequiredPerMonth, Ratio: a.Ratio, CategoryByWindow: map[string]string{}}
	if a.Deadline != nil {
		tj.Deadline = ptr(day(*a.Deadline))
	}
	if a.Category != nil {
		tj.Category = ptr(string(*a.Category))
	}
	for w, c := range a.CategoryByWindow {
		tj.CategoryByWindow[w] = string(c)
	}
	return tj
}
