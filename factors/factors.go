// Package factors is the barrier analysis: what goes with having no MPP. For each structural
// factor — the Finance Ministry's fiscal-capacity category per PMK period, the PAD share, the
// dependence on central transfers, the personnel-spending share, IPM, poverty, population, area,
// density, kind, the lagging eastern provinces, provinces created in 2022 — it counts the
// regions of each group by status (unknown kept apart, never folded into no) and gives the share
// with an MPP with a Wilson 95% interval. A multivariable logistic regression (package stats,
// gonum) fits having an MPP on standardised predictors, with two sensitivity variants for the
// unknowns; the agency's claim that most regions without an MPP have low fiscal capacity is
// tested in numbers; and every region gets its most similar regions that already have an MPP.
//
// It is pure: it reads a *data.Snapshot and returns numbers and catalog keys (locale.Msg).
// Association, not cause: every surface says so.
package factors

import (
	"math"
	"sort"

	"mppmap/data"
	"mppmap/fiscal"
	"mppmap/locale"
	"mppmap/round"
	"mppmap/stats"
)

// Confidence is the level of every interval published here.
const Confidence = 0.95

// NoData is the group of regions without a value: shown apart, never as a low group.
const NoData = "no_data"

// Factor ids (the ?factor= parameter and the API's ids).
const (
	PADShare       = "pad_share"
	TransferShare  = "transfer_share"
	PersonnelShare = "personnel_share"
	IPM            = "ipm"
	Poverty        = "poverty"
	Population     = "population"
	Area           = "area"
	Density        = "density"
	Kind           = "kind"
	Lagging        = "lagging_provinces"
	NewProvince    = "new_province"
)

// Kinds of factor.
const (
	KindCategory = "category" // the PMK categories
	KindQuintile = "quintile" // fifths of a measured value, by rank
	KindGroup    = "group"    // named groups (kind, province groups)
)

// LaggingProvinces are the province groups the agency names as lagging: the six Papua provinces
// (Papua, Papua Barat, Papua Selatan, Papua Tengah, Papua Pegunungan, Papua Barat Daya) and
// Maluku, Maluku Utara and Nusa Tenggara Timur (Kemendagri codes).
var LaggingProvinces = map[string]string{
	"91": "papua", "92": "papua", "93": "papua", "94": "papua", "95": "papua", "96": "papua",
	"81": "maluku_ntt", "82": "maluku_ntt", "53": "maluku_ntt",
}

// NewProvinces2022 are the provinces created in 2022: Papua Selatan, Papua Tengah and Papua
// Pegunungan (UU 14, 15, 16/2022) and Papua Barat Daya (UU 29/2022).
var NewProvinces2022 = map[string]bool{"93": true, "94": true, "95": true, "96": true}

// Group is one group of a factor with its regions by status.
type Group struct {
	Key   string // "q1".."q5", a PMK category with spaces as "_", "kota", NoData…
	Label locale.Msg
	// Lo and Hi bound a quintile's values (round.Figure); nil otherwise.
	Lo, Hi                      *float64
	N, Yes, InProgress, No, Unk int
	// Share is Yes of N with its Wilson interval, in percent (round.Pct); nil for an empty group.
	// KnownShare is the same over the regions whose status is known (unknown left out).
	Share, KnownShare *Interval
	// StatusPct is each status' share of the group in percent (round.Pct), in data.Statuses order
	// (yes, in_progress, no, unknown); nil entries for an empty group.
	StatusPct []*float64
	Codes     []string // the group's regions, in code order
}

// Interval is a share in percent with its 95% interval, rounded as published.
type Interval struct{ Share, Low, High float64 }

// Factor is one structural factor and how the regions fall into its groups.
type Factor struct {
	ID     string
	Kind   string // KindCategory | KindQuintile | KindGroup
	Label  locale.Msg
	Source locale.Msg // where the values come from, with their period
	// Indicator and Period are the indicator values the groups rest on ("" for kind and
	// province groups); Dataset the file they came from.
	Indicator, Period, Dataset string
	Groups                     []*Group
	of                         map[string]string // region code → group key
	values                     map[string]float64
	median                     float64 // of values, found once (every region's position reads it)
	hasMedian                  bool
}

// GroupOf is the key of the group a region falls in (NoData when it has no value).
func (f *Factor) GroupOf(code string) string {
	if k, ok := f.of[code]; ok {
		return k
	}
	return NoData
}

// Value is the region's value the factor rests on; ok is false for no data or a non-measured
// factor.
func (f *Factor) Value(code string) (float64, bool) {
	v, ok := f.values[code]
	return v, ok
}

// Group returns a group by key.
func (f *Factor) Group(key string) (*Group, bool) {
	for _, g := range f.Groups {
		if g.Key == key {
			return g, true
		}
	}
	return nil, false
}

// Median is the national median of the factor's values; ok is false for a non-measured factor.
func (f *Factor) Median() (float64, bool) { return f.median, f.hasMedian }

// medianOf is the median of vals, by the published rounding rule; ok is false for none.
func medianOf(vals map[string]float64) (float64, bool) {
	sorted := make([]float64, 0, len(vals))
	for _, v := range vals {
		sorted = append(sorted, v)
	}
	if len(sorted) == 0 {
		return 0, false
	}
	sort.Float64s(sorted)
	n := len(sorted)
	if n%2 == 1 {
		return round.Figure(sorted[n/2]), true
	}
	return round.Figure((sorted[n/2-1] + sorted[n/2]) / 2), true
}

// Analysis is the whole barrier analysis of one snapshot.
type Analysis struct {
	Factors []*Factor
	Models  []*Model // VariantMain first, then the sensitivity variants
	Claims  []Claim
	// Similar are, per region, its most similar regions that have an MPP (see SimilarMethod).
	Similar map[string][]Similar
}

// Factor returns a factor by id.
func (a *Analysis) Factor(id string) (*Factor, bool) {
	for _, f := range a.Factors {
		if f.ID == id {
			return f, true
		}
	}
	return nil, false
}

// FactorIDs lists the ids of the factors, in order.
func (a *Analysis) FactorIDs() []string {
	out := make([]string, len(a.Factors))
	for i, f := range a.Factors {
		out[i] = f.ID
	}
	return out
}

// Model returns a model by variant.
func (a *Analysis) Model(variant string) (*Model, bool) {
	for _, m := range a.Models {
		if m.Variant == variant {
			return m, true
		}
	}
	return nil, false
}

// LatestPeriod says which period of an indicator is compared (peers.Index.LatestPeriod).
type LatestPeriod func(indicator string) (string, bool)

// The indicators measured factors rest on.
const (
	indPAD        = fiscal.Indicator // pad_share_budget_pct, 2024 (the fiscal groups' period)
	indTransfer   = "transfer_central_share_budget_pct"
	indPersonnel  = "personnel_share_budget_pct"
	indIPM        = "ipm"
	indPoverty    = "poverty_pct"
	indPopulation = "population_dukcapil"
	indArea       = "area_km2"
)

// Analyse computes the analysis of s; latest gives the period compared of each indicator (the
// APBD shares are read for fiscal.Period, as the fiscal groups are).
func Analyse(s *data.Snapshot, latest LatestPeriod) *Analysis {
	a := &Analysis{}
	for _, p := range s.FiscalPeriods {
		a.Factors = append(a.Factors, pmkFactor(s, p))
	}
	measured := []struct {
		id, indicator string
		apbd          bool
	}{
		{PADShare, indPAD, true}, {TransferShare, indTransfer, true}, {PersonnelShare, indPersonnel, true},
		{IPM, indIPM, false}, {Poverty, indPoverty, false}, {Population, indPopulation, false}, {Area, indArea, false},
	}
	for _, mf := range measured {
		period := fiscal.Period
		if !mf.apbd {
			p, ok := latest(mf.indicator)
			if !ok {
				continue
			}
			period = p
		}
		vals := map[string]float64{}
		for _, r := range s.Regions {
			if v, ok := s.Value(r.Code, mf.indicator, period); ok {
				vals[r.Code] = v
			}
		}
		if len(vals) == 0 {
			continue
		}
		def, _ := s.Indicator(mf.indicator)
		f := quintileFactor(s, mf.id, vals)
		f.Indicator, f.Period, f.Dataset = mf.indicator, period, def.Dataset
		f.Source = locale.M("factors.source.indicator", "Dataset", def.Dataset, "Period", period)
		a.Factors = append(a.Factors, f)
	}
	if d := densityFactor(s, latest); d != nil {
		a.Factors = append(a.Factors, d)
	}
	a.Factors = append(a.Factors, groupFactor(s, Kind, func(r data.Region) string { return r.Kind }, []string{"kabupaten", "kota"}),
		groupFactor(s, Lagging, func(r data.Region) string {
			if g, ok := LaggingProvinces[r.ProvinceCode]; ok {
				return g
			}
			return "rest"
		}, []string{"papua", "maluku_ntt", "rest"}),
		groupFactor(s, NewProvince, func(r data.Region) string {
			if NewProvinces2022[r.ProvinceCode] {
				return "new_2022"
			}
			return "older"
		}, []string{"new_2022", "older"}))
	a.Models = models(s, a)
	a.Claims = claims(s, a)
	a.Similar = similar(s, a)
	return a
}

// pmkKey is a PMK category as a group key ("sangat rendah" → "sangat_rendah").
func pmkKey(c data.FiscalCategory) string {
	out := []byte(c)
	for i, b := range out {
		if b == ' ' {
			out[i] = '_'
		}
	}
	return string(out)
}

// PMKFactorID is the factor id of a PMK period ("pmk_65_2024").
func PMKFactorID(period string) string { return period }

func pmkFactor(s *data.Snapshot, p data.FiscalPeriod) *Factor {
	f := &Factor{ID: PMKFactorID(p.ID), Kind: KindCategory, Label: locale.M("factors.label.pmk", "Regulation", p.Regulation),
		Source: locale.M("factors.source.pmk", "Regulation", p.Regulation), Period: p.ID, of: map[string]string{}}
	for code, vs := range s.RegionFiscal {
		for _, v := range vs {
			if v.Period == p.ID && v.Category != "" {
				f.of[code] = pmkKey(v.Category)
			}
		}
	}
	var keys []string
	for _, c := range data.FiscalCategories {
		keys = append(keys, pmkKey(c))
	}
	f.Groups = groups(s, f.of, append(keys, NoData), func(k string) locale.Msg { return locale.M("factors.group.pmk." + k) })
	return f
}

// quintileFactor groups regions into fifths of vals by rank (fiscal.Quintiles, the rule of the
// fiscal groups), with no data apart.
func quintileFactor(s *data.Snapshot, id string, vals map[string]float64) *Factor {
	f := &Factor{ID: id, Kind: KindQuintile, Label: locale.M("factors.label." + id), of: map[string]string{}, values: vals}
	f.median, f.hasMedian = medianOf(vals)
	q := fiscal.Quintiles(vals)
	for code, n := range q {
		f.of[code] = quintileKey(n)
	}
	f.Groups = groups(s, f.of, []string{"q1", "q2", "q3", "q4", "q5", NoData}, func(k string) locale.Msg { return locale.M("factors.group." + k) })
	bounds := fiscal.Bounds(vals, q)
	for _, g := range f.Groups {
		if i := quintileIndex(g.Key); i > 0 && g.N > 0 {
			g.Lo, g.Hi = ptr(round.Figure(bounds[i-1][0])), ptr(round.Figure(bounds[i-1][1]))
		}
	}
	return f
}

func quintileKey(n int) string { return "q" + string(rune('0'+n)) }

func quintileIndex(key string) int {
	if len(key) == 2 && key[0] == 'q' && key[1] >= '1' && key[1] <= '5' {
		return int(key[1] - '0')
	}
	return 0
}

// densityFactor is population (Dukcapil) per km² (BIG), both at their latest period.
func densityFactor(s *data.Snapshot, latest LatestPeriod) *Factor {
	pp, ok1 := latest(indPopulation)
	ap, ok2 := latest(indArea)
	if !ok1 || !ok2 {
		return nil
	}
	vals := map[string]float64{}
	for _, r := range s.Regions {
		pop, ok1 := s.Value(r.Code, indPopulation, pp)
		area, ok2 := s.Value(r.Code, indArea, ap)
		if ok1 && ok2 && area > 0 {
			vals[r.Code] = pop / area
		}
	}
	if len(vals) == 0 {
		return nil
	}
	f := quintileFactor(s, Density, vals)
	f.Indicator, f.Period = indPopulation+"/"+indArea, pp+"/"+ap
	f.Source = locale.M("factors.source.density", "PopulationPeriod", pp, "AreaPeriod", ap)
	return f
}

func groupFactor(s *data.Snapshot, id string, of func(data.Region) string, keys []string) *Factor {
	f := &Factor{ID: id, Kind: KindGroup, Label: locale.M("factors.label." + id), Source: locale.M("factors.source." + id), of: map[string]string{}}
	for _, r := range s.Regions {
		f.of[r.Code] = of(r)
	}
	f.Groups = groups(s, f.of, keys, func(k string) locale.Msg { return locale.M("factors.group." + id + "." + k) })
	return f
}

// groups counts the regions of each key by status, with the Wilson intervals of the share with
// an MPP; a region without a key is NoData.
func groups(s *data.Snapshot, of map[string]string, keys []string, label func(string) locale.Msg) []*Group {
	by := map[string]*Group{}
	var out []*Group
	for _, k := range keys {
		g := &Group{Key: k, Label: label(k)}
		by[k] = g
		out = append(out, g)
	}
	for _, r := range s.Regions {
		k, ok := of[r.Code]
		if !ok {
			k = NoData
		}
		g := by[k]
		if g == nil {
			continue // a key the factor does not list (cannot happen for our factors)
		}
		g.N++
		g.Codes = append(g.Codes, r.Code)
		switch r.Status {
		case data.StatusYes:
			g.Yes++
		case data.StatusInProgress:
			g.InProgress++
		case data.StatusNo:
			g.No++
		default:
			g.Unk++ // unknown, and any stray value, is never a no
		}
	}
	for _, g := range out {
		g.Share = interval(g.Yes, g.N)
		g.KnownShare = interval(g.Yes, g.N-g.Unk)
		counts := map[data.Status]int{data.StatusYes: g.Yes, data.StatusInProgress: g.InProgress, data.StatusNo: g.No, data.StatusUnknown: g.Unk}
		for _, st := range data.Statuses {
			g.StatusPct = append(g.StatusPct, pctOf(counts[st], g.N))
		}
	}
	return out
}

func interval(k, n int) *Interval {
	w, ok := stats.Wilson(k, n, Confidence)
	if !ok {
		return nil
	}
	return &Interval{Share: round.Pct(100 * w.Share), Low: round.Pct(100 * w.Low), High: round.Pct(100 * w.High)}
}

func ptr[T any](v T) *T { return &v }

// finite reports whether x is a usable number.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
