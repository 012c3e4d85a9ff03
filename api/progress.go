package api

import (
	"github.com/gofiber/fiber/v2"

	"mppmap/figures"
	"mppmap/progress"
)

type statedJSON struct {
	Date            string       `json:"date"` // with its precision
	Cumulative      *int         `json:"cumulative"`
	ValueType       string       `json:"value_type"`
	YearEndBest     bool         `json:"year_end_best"`
	DenominatorNote string       `json:"denominator_note"`
	Note            string       `json:"note"`
	Sources         []sourceJSON `json:"sources"`
}

type pointJSON struct {
	Date  string  `json:"date"`
	Count float64 `json:"count"`
}

type paceJSON struct {
	Window        string             `json:"window"` // since_2022 | last_12_months | last_6_months
	From          string             `json:"from"`
	To            string             `json:"to"`
	PerMonth      *float64           `json:"per_month"`            // stated series (national) or dated sites (province)
	PerMonthSites *float64           `json:"per_month_from_sites"` // dated sites
	ETA           map[string]*string `json:"eta"`                  // per denominator: date all units are covered; null = never at this pace
}

type targetJSON struct {
	ID               string            `json:"id"`
	SetBy            string            `json:"set_by"`
	StatedOn         *string           `json:"stated_on"`
	TargetYear       string            `json:"target_year"`
	Target           string            `json:"target"`
	Scope            string            `json:"scope"`
	OutcomeNote      string            `json:"outcome_note"`
	Sources          []sourceJSON      `json:"sources"`
	Kind             string            `json:"kind"` // coverage | count_in_year | not_assessed
	Goal             *float64          `json:"goal"`
	Deadline         *string           `json:"deadline"`
	Status           string            `json:"status"` // met | missed | open | not_assessed
	Achieved         *float64          `json:"achieved"`
	RequiredPerMonth *float64          `json:"required_per_month"`
	Category         *string           `json:"category"` // Open SDG category on the last-12-months pace; open targets only
	Ratio            *float64          `json:"ratio"`
	CategoryByWindow map[string]string `json:"category_by_window"`
}

type progressResponse struct {
	Meta         meta             `json:"meta"`
	Scope        string           `json:"scope"` // national | province
	Province     *provinceJSON    `json:"province,omitempty"`
	Denominators []progress.Share `json:"denominators"`
	Stated       []statedJSON     `json:"stated"`
	StatedNote   string           `json:"stated_note"`
	FromSites    struct {
		Series      []pointJSON    `json:"series"`
		Undated     int            `json:"undated"`
		ByPrecision map[string]int `json:"by_precision"`
		Method      string         `json:"method"`
	} `json:"from_sites"`
	Current struct {
		Date  string  `json:"date"`
		Count float64 `json:"count"`
		Basis string  `json:"basis"` // stated | sites
	} `json:"current"`
	Pace         []paceJSON   `json:"pace"`
	Targets      []targetJSON `json:"targets"`
	Method       string       `json:"method"`
	TargetMethod string       `json:"target_method"`
	SharesMethod string       `json:"shares_method"`
}

func (h *Handler) progress(c *fiber.Ctx) error {
	if err := checkParams(c, "province"); err != nil {
		return err
	}
	m := h.src.Model()
	scope := m.National
	if c.Context().QueryArgs().Has("province") {
		p, err := parseProvince(m, "province", c.Query("province"))
		if err != nil {
			return err
		}
		scope = p
	}
	return serveJSON(c, m, "progress:"+scope.Code, func() any { return h.buildProgress(m, scope) })
}

// buildProgress formats a scope's progress report (figures: progress.Build, once per Model).
func (h *Handler) buildProgress(m *figures.Model, scope *figures.Province) progressResponse {
	r := scope.Progress
	p := progressResponse{Meta: h.metaOf(m), Scope: r.Scope, Stated: []statedJSON{}, Targets: []targetJSON{},
		Denominators: r.Denominators[:], StatedNote: h.en.T("progress.method.stated_note_national"),
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
	p.FromSites.Undated, p.FromSites.ByPrecision, p.FromSites.Method = r.Sites.Undated, r.Sites.ByPrecision, h.en.T("progress.method.sites")
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
