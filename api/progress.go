package api

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/progress"
)

const sitesMethod = "Count derived from dated MPP sites: a site counts from the last day its date can stand for " +
	"(pdate Latest): a day from that day, a month from its last day, a year from 31 December of that year, " +
	"\"by <date>\" from that date; so no site is counted before its source says it existed. Sites without a date are " +
	"not counted (see undated). DKI Jakarta's provincial MPP counts once, as in the stated counts."

const targetMethod = "Targets are published as text; they are read as: coverage targets (all kab/kota) aim at 509 " +
	"units (508 autonomous kab/kota + DKI Jakarta once, the denominator of the stated counts); count targets " +
	"(\"~100 new MPP in 2022\") compare the stated count at the end of the year with the start; the deadline is " +
	"31 December of the last year named. Targets for MPP Digital, regional targets and targets without a year are " +
	"listed but not assessed. Met/missed is judged on the stated series at the deadline."

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
	Meta         meta          `json:"meta"`
	Scope        string        `json:"scope"` // national | province
	Province     *provinceJSON `json:"province,omitempty"`
	Denominators []share       `json:"denominators"`
	Stated       []statedJSON  `json:"stated"`
	StatedNote   string        `json:"stated_note"`
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
	s := h.src.Snapshot()
	prov := ""
	if c.Context().QueryArgs().Has("province") {
		var err error
		if prov, err = parseProvince(s, "province", c.Query("province")); err != nil {
			return err
		}
	}
	b, err := h.body(s, "progress:"+prov, func() (*data.Body, error) { return jsonBody(h.buildProgress(s, prov)) })
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

func ptr[T any](v T) *T { return &v }

func (h *Handler) buildProgress(s *data.Snapshot, prov string) progressResponse {
	d := h.derivedOf(s)
	p := progressResponse{Meta: metaOf(s), Scope: "national", Stated: []statedJSON{}, Targets: []targetJSON{},
		Method: progress.Method, TargetMethod: targetMethod, SharesMethod: sharesMethod}
	regions := s.Regions
	if prov != "" {
		p.Scope = "province"
		pv, _ := s.Province(prov)
		regions = d.byProvince[prov]
		pj := provinceStats(pv, regions)
		p.Province = &pj
	}
	a, b := shares(regions)
	p.Denominators = []share{a, b}

	// Sites-derived series.
	var days []time.Time
	p.FromSites.ByPrecision = map[string]int{}
	for _, x := range s.Sites {
		if prov != "" && x.ProvinceCode != prov {
			continue
		}
		if x.Inaugurated.IsZero() {
			p.FromSites.Undated++
			continue
		}
		p.FromSites.ByPrecision[string(x.Inaugurated.Precision)]++
		days = append(days, x.Inaugurated.Latest())
	}
	steps := progress.Cumulative(days)
	p.FromSites.Series = []pointJSON{}
	for _, pt := range steps {
		p.FromSites.Series = append(p.FromSites.Series, pointJSON{day(pt.Date), pt.Count})
	}
	p.FromSites.Method = sitesMethod
	// The step series as a line for pace: the value just before each step too.
	var sitesLine []progress.Point
	for i, pt := range steps {
		prev := 0.0
		if i > 0 {
			prev = steps[i-1].Count
		}
		sitesLine = append(sitesLine, progress.Point{Date: pt.Date.Add(-24 * time.Hour), Count: prev}, pt)
	}
	sitesLine = progress.Merge(sitesLine)

	// Stated series (national only).
	var stated []progress.Point
	if prov == "" {
		for _, nc := range s.NationalCounts {
			p.Stated = append(p.Stated, statedJSON{Date: nc.AsOf.String(), Cumulative: nc.Cumulative, ValueType: nc.ValueType,
				YearEndBest: nc.YearEndBest, DenominatorNote: nc.DenominatorNote, Note: nc.Note, Sources: resolveSources(s, nc.SourceIDs)})
			if nc.Cumulative != nil {
				stated = append(stated, progress.Point{Date: nc.AsOf.Latest(), Count: float64(*nc.Cumulative)})
			}
		}
		p.StatedNote = "All stated figures are listed, including two different figures for nearby or equal dates from different agencies; none is silently picked."
	} else {
		p.StatedNote = "Stated counts are national only; this province's series is derived from its dated MPP sites."
	}
	stated = progress.Merge(stated)
	main, basis := stated, "stated"
	if len(main) == 0 {
		main, basis = sitesLine, "sites"
	}
	end := d.dataEnd
	p.Current.Date, p.Current.Basis = day(end), basis
	if v, ok := progress.ValueAt(main, end); ok {
		p.Current.Count = v
	}
	// Units and the count in each denominator's terms.
	count := map[string]float64{DenomBSKDN: p.Current.Count, DenomKemenPANRB: p.Current.Count}
	units := map[string]float64{DenomBSKDN: float64(a.Units), DenomKemenPANRB: float64(b.Units)}
	if prov == "" || prov == dkiProvince {
		// The counts treat DKI Jakarta as one; over 514 its six kab/kota are six.
		if dkiYes(d) {
			count[DenomBSKDN] += 5
		}
	}
	windows := []struct {
		name string
		from time.Time
	}{
		{"since_2022", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"last_12_months", end.AddDate(-1, 0, 0)},
		{"last_6_months", end.AddDate(0, -6, 0)},
	}
	paces := map[string]float64{}
	for _, w := range windows {
		pj := paceJSON{Window: w.name, From: day(w.from), To: day(end), ETA: map[string]*string{}}
		if v, ok := progress.Pace(main, w.from, end); ok {
			pj.PerMonth = ptr(round2(v))
			paces[w.name] = v
			for _, dn := range []string{DenomBSKDN, DenomKemenPANRB} {
				if t, ok := progress.ETA(end, count[dn], units[dn], v); ok {
					pj.ETA[dn] = ptr(day(t))
				} else {
					pj.ETA[dn] = nil
				}
			}
		}
		if v, ok := progress.Pace(sitesLine, w.from, end); ok {
			pj.PerMonthSites = ptr(round2(v))
		}
		p.Pace = append(p.Pace, pj)
	}
	if prov == "" {
		for _, t := range s.Targets {
			p.Targets = append(p.Targets, assessTarget(s, t, main, end, count[DenomKemenPANRB], paces))
		}
	}
	return p
}

func dkiYes(d *derived) bool {
	for _, r := range d.byProvince[dkiProvince] {
		if r.Status == data.StatusYes {
			return true
		}
	}
	return false
}

var (
	yearRE   = regexp.MustCompile(`(19|20)[0-9]{2}`)
	numberRE = regexp.MustCompile(`[0-9]+`)
)

// assessTarget reads a published target (see targetMethod) and measures it against the series.
func assessTarget(s *data.Snapshot, t data.Target, series []progress.Point, end time.Time, count float64, paces map[string]float64) targetJSON {
	tj := targetJSON{ID: t.ID, SetBy: t.SetBy, StatedOn: dateOrNil(t.StatedOn), TargetYear: t.TargetYear, Target: t.Target,
		Scope: t.Scope, OutcomeNote: t.OutcomeNote, Sources: resolveSources(s, t.SourceIDs), Kind: "not_assessed", Status: "not_assessed",
		CategoryByWindow: map[string]string{}}
	years := yearRE.FindAllString(t.TargetYear, -1)
	text := strings.ToLower(t.Target + " " + t.Scope)
	if len(years) == 0 || strings.Contains(text, "digital") {
		return tj
	}
	y, _ := strconv.Atoi(years[len(years)-1])
	deadline := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	scope := strings.ToLower(t.Scope)
	var goal, achieved float64
	switch {
	case scope == "count":
		n := numberRE.FindString(t.Target)
		if n == "" {
			return tj
		}
		goal, _ = strconv.ParseFloat(n, 64)
		tj.Kind = "count_in_year"
		startV, ok1 := progress.ValueAt(series, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Add(-24*time.Hour))
		endV, ok2 := progress.ValueAt(series, minTime(deadline, end))
		if !ok1 || !ok2 {
			tj.Kind = "not_assessed"
			return tj
		}
		achieved = endV - startV
	case strings.Contains(scope, "kab/kota"):
		n, _ := strconv.Atoi(numberRE.FindString(scope))
		if !strings.HasPrefix(scope, "all") && n < 500 {
			return tj // a regional target
		}
		goal = 509
		tj.Kind = "coverage"
		v, ok := progress.ValueAt(series, minTime(deadline, end))
		if !ok {
			tj.Kind = "not_assessed"
			return tj
		}
		achieved = v
	default:
		return tj
	}
	tj.Goal, tj.Deadline, tj.Achieved = ptr(goal), ptr(day(deadline)), ptr(round2(achieved))
	switch {
	case achieved >= goal:
		tj.Status = "met"
	case !deadline.After(end):
		tj.Status = "missed"
	default:
		tj.Status = "open"
		remaining := goal - achieved
		req, ok := progress.Required(0, remaining, end, deadline)
		if !ok {
			break
		}
		tj.RequiredPerMonth = ptr(round2(req))
		for w, v := range paces {
			tj.CategoryByWindow[w] = string(progress.Categorize(v, req, false))
		}
		if v, ok := paces["last_12_months"]; ok {
			tj.Category = ptr(string(progress.Categorize(v, req, false)))
			r := progress.Ratio(v, req)
			if !math.IsInf(r, 0) {
				tj.Ratio = ptr(round2(r))
			}
		}
	}
	_ = count
	return tj
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
