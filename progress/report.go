package progress

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"mppmap/data"
	"mppmap/round"
)

// The pace windows, in the order a Report lists them. Each ends on the report's data end.
const (
	WindowSince2022    = "since_2022"     // from 1 January 2022
	WindowLast12Months = "last_12_months" // the headline pace: targets are categorised on it
	WindowLast6Months  = "last_6_months"
)

// Bases of the current count.
const (
	BasisStated = "stated" // the national stated series
	BasisSites  = "sites"  // derived from dated sites (provinces; or no stated figure)
)

// Report is the progress toward full coverage, nationally or for one province: every figure the
// API's /api/v1/progress publishes and the dashboard's progress page shows. Paces, counts and
// ratios are rounded as published (round.Figure); dates are days (UTC midnight). The method is
// described in the catalogs (progress.method.pace, .targets, .sites, .shares).
type Report struct {
	Scope        string               // "national" | "province"
	Province     string               // province code; "" for national
	Regions      []data.Region        // the regions in scope, in s.Regions order
	Denominators [2]Share             // bskdn, kemenpanrb (current statuses)
	Stated       []data.NationalCount // national only: every stated figure, as stored (none picked)
	Sites        SitesSeries
	End          time.Time // the data end (DataEnd): "now" of every window and ETA
	Current      Current
	Paces        []WindowPace // WindowSince2022, WindowLast12Months, WindowLast6Months
	Targets      []Assessment // national only: every target of s, assessed or not
	// Goal is what a coverage target aims at: the kemenpanrb units of the whole country (509 in
	// the reference data: 508 autonomous kab/kota + DKI Jakarta once), the denominator of the
	// stated counts. Autonomous is its autonomous kab/kota (508).
	Goal, Autonomous int
}

// SitesSeries is the cumulative count of dated MPP sites (see progress.method.sites).
type SitesSeries struct {
	Series      []Point        // step series: the count on and after each date
	Undated     int            // sites without a date, not counted
	ByPrecision map[string]int // dated sites per date precision (day, month, year, before)
}

// Current is the count on the report's data end.
type Current struct {
	Date  time.Time
	Count float64 // interpolated on Date, round.Figure
	Basis string  // BasisStated | BasisSites
}

// WindowPace is the pace over one window and the ETA it gives.
type WindowPace struct {
	Window        string    // WindowSince2022 | WindowLast12Months | WindowLast6Months
	From, To      time.Time // To is the data end
	PerMonth      *float64  // MPPs per month on the main series (stated, or sites); nil when the window starts before the series
	PerMonthSites *float64  // MPPs per month on the sites series; nil as above
	// ETA per denominator (DenomBSKDN, DenomKemenPANRB): the day all units are covered at PerMonth;
	// a nil value = never at this pace; the map is empty when PerMonth is nil.
	ETA map[string]*time.Time
}

// Pace returns the window's pace by name.
func (r Report) Pace(window string) (WindowPace, bool) {
	for _, p := range r.Paces {
		if p.Window == window {
			return p, true
		}
	}
	return WindowPace{}, false
}

// Target kinds and statuses of an Assessment.
const (
	KindCoverage    = "coverage"      // all kab/kota by the deadline; goal Report.Goal
	KindCountInYear = "count_in_year" // N new MPPs within the target year
	KindNotAssessed = "not_assessed"

	TargetMet         = "met"
	TargetMissed      = "missed"
	TargetOpen        = "open"
	TargetNotAssessed = "not_assessed"
)

// Assessment is one published target measured against the main series (see
// progress.method.targets).
type Assessment struct {
	Target           data.Target
	Kind             string              // KindCoverage | KindCountInYear | KindNotAssessed
	Status           string              // TargetMet | TargetMissed | TargetOpen | TargetNotAssessed
	Goal             *float64            // nil when not assessed
	Deadline         *time.Time          // 31 December of the last year named; nil when not assessed
	Achieved         *float64            // count (coverage) or new MPPs (count_in_year) at min(deadline, end), rounded
	RequiredPerMonth *float64            // open targets: pace needed from the end to the deadline, rounded
	Category         *Category           // open targets: Open SDG category on the last-12-months pace
	Ratio            *float64            // open targets: last-12-months pace / required, rounded; nil when infinite
	CategoryByWindow map[string]Category // open targets: the category on each window's pace; empty otherwise
}

// Build computes the progress report of s, nationally (province "") or for one province code.
// It does not validate the code: an unknown province gives a report over no regions.
func Build(s *data.Snapshot, province string) Report {
	p := Report{Scope: "national", Province: province}
	dki := false
	for _, r := range s.Regions {
		dki = dki || r.ProvinceCode == data.DKIProvince
		if province == "" || r.ProvinceCode == province {
			p.Regions = append(p.Regions, r)
		}
	}
	if province != "" {
		p.Scope = "province"
	}
	a, b := Shares(p.Regions)
	p.Denominators = [2]Share{a, b}
	_, nat := Shares(s.Regions)
	p.Goal, p.Autonomous = nat.Units, nat.Autonomous(dki)

	// Sites-derived series.
	var days []time.Time
	p.Sites = SitesSeries{ByPrecision: map[string]int{}}
	for _, x := range s.Sites {
		if province != "" && x.ProvinceCode != province {
			continue
		}
		if x.Inaugurated.IsZero() {
			p.Sites.Undated++
			continue
		}
		p.Sites.ByPrecision[string(x.Inaugurated.Precision)]++
		days = append(days, x.Inaugurated.Latest())
	}
	steps := Cumulative(days)
	p.Sites.Series = steps
	// The step series as a line for pace: the value just before each step too.
	var sitesLine []Point
	for i, pt := range steps {
		prev := 0.0
		if i > 0 {
			prev = steps[i-1].Count
		}
		sitesLine = append(sitesLine, Point{Date: pt.Date.Add(-24 * time.Hour), Count: prev}, pt)
	}
	sitesLine = Merge(sitesLine)

	// Stated series (national only).
	var stated []Point
	if province == "" {
		p.Stated = s.NationalCounts
		for _, nc := range s.NationalCounts {
			if nc.Cumulative != nil {
				stated = append(stated, Point{Date: nc.AsOf.Latest(), Count: float64(*nc.Cumulative)})
			}
		}
	}
	stated = Merge(stated)
	main, basis := stated, BasisStated
	if len(main) == 0 {
		main, basis = sitesLine, BasisSites
	}
	end := DataEnd(s)
	p.End = end
	p.Current = Current{Date: end, Basis: basis}
	raw := 0.0
	if v, ok := ValueAt(main, end); ok {
		raw = v
	}
	p.Current.Count = round.Figure(raw) // published; ETAs below use the unrounded count
	// Units and the count in each denominator's terms.
	count := map[string]float64{DenomBSKDN: raw, DenomKemenPANRB: raw}
	units := map[string]float64{DenomBSKDN: float64(a.Units), DenomKemenPANRB: float64(b.Units)}
	// The counts treat DKI Jakarta as one unit; over all kab/kota its administrative kab/kota
	// are as many as the data has (six), so once it has its MPP the others count too.
	dkiRegions, dkiYes := 0, false
	for _, r := range p.Regions {
		if r.ProvinceCode == data.DKIProvince {
			dkiRegions++
			dkiYes = dkiYes || r.Status == data.StatusYes
		}
	}
	if dkiYes && dkiRegions > 1 {
		count[DenomBSKDN] += float64(dkiRegions - 1)
	}
	windows := []struct {
		name string
		from time.Time
	}{
		{WindowSince2022, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)},
		{WindowLast12Months, end.AddDate(-1, 0, 0)},
		{WindowLast6Months, end.AddDate(0, -6, 0)},
	}
	paces := map[string]float64{}
	for _, w := range windows {
		wp := WindowPace{Window: w.name, From: w.from, To: end, ETA: map[string]*time.Time{}}
		if v, ok := Pace(main, w.from, end); ok {
			wp.PerMonth = ptr(round.Figure(v))
			paces[w.name] = v
			for _, dn := range []string{DenomBSKDN, DenomKemenPANRB} {
				if t, ok := ETA(end, count[dn], units[dn], v); ok {
					wp.ETA[dn] = ptr(t)
				} else {
					wp.ETA[dn] = nil
				}
			}
		}
		if v, ok := Pace(sitesLine, w.from, end); ok {
			wp.PerMonthSites = ptr(round.Figure(v))
		}
		p.Paces = append(p.Paces, wp)
	}
	if province == "" {
		for _, t := range s.Targets {
			p.Targets = append(p.Targets, Assess(t, main, end, paces, p.Goal, p.Autonomous))
		}
	}
	return p
}

func ptr[T any](v T) *T { return &v }

var (
	yearRE   = regexp.MustCompile(`(19|20)[0-9]{2}`)
	numberRE = regexp.MustCompile(`[0-9]+`)
)

// Assess reads a published target (see progress.method.targets) and measures it against a
// merged series on end; paces are the unrounded paces per window name (categories use them). A
// coverage target aims at goal units; a target naming fewer kab/kota than the autonomous ones
// ("199 kab/kota") is regional and not assessed.
func Assess(t data.Target, series []Point, end time.Time, paces map[string]float64, goal, autonomous int) Assessment {
	a := Assessment{Target: t, Kind: KindNotAssessed, Status: TargetNotAssessed, CategoryByWindow: map[string]Category{}}
	years := yearRE.FindAllString(t.TargetYear, -1)
	if len(years) == 0 || IsDigital(t) {
		return a
	}
	y, _ := strconv.Atoi(years[len(years)-1])
	deadline := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	scope := strings.ToLower(t.Scope)
	var target, achieved float64
	switch {
	case scope == "count":
		n := numberRE.FindString(t.Target)
		if n == "" {
			return a
		}
		target, _ = strconv.ParseFloat(n, 64)
		startV, ok1 := ValueAt(series, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Add(-24*time.Hour))
		endV, ok2 := ValueAt(series, minTime(deadline, end))
		if !ok1 || !ok2 {
			return a
		}
		a.Kind = KindCountInYear
		achieved = endV - startV
	case strings.Contains(scope, "kab/kota"):
		n, _ := strconv.Atoi(numberRE.FindString(scope))
		if !strings.HasPrefix(scope, "all") && n < autonomous {
			return a // a regional target
		}
		target = float64(goal)
		v, ok := ValueAt(series, minTime(deadline, end))
		if !ok {
			return a
		}
		a.Kind = KindCoverage
		achieved = v
	default:
		return a
	}
	a.Goal, a.Deadline, a.Achieved = ptr(target), ptr(deadline), ptr(round.Figure(achieved))
	switch {
	case achieved >= target:
		a.Status = TargetMet
	case !deadline.After(end):
		a.Status = TargetMissed
	default:
		a.Status = TargetOpen
		req, ok := Required(0, target-achieved, end, deadline)
		if !ok {
			break
		}
		a.RequiredPerMonth = ptr(round.Figure(req))
		for w, v := range paces {
			a.CategoryByWindow[w] = Categorize(v, req, false)
		}
		if v, ok := paces[WindowLast12Months]; ok {
			a.Category = ptr(Categorize(v, req, false))
			if r := Ratio(v, req); !math.IsInf(r, 0) {
				a.Ratio = ptr(round.Figure(r))
			}
		}
	}
	return a
}

// IsDigital reports whether a target is about MPP Digital, not about physical MPPs: such targets
// are listed but not assessed against the count of MPPs.
func IsDigital(t data.Target) bool {
	return strings.Contains(strings.ToLower(t.Target+" "+t.Scope), "digital")
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
