package factors

import (
	"errors"
	"math"
	"strconv"

	"mppmap/data"
	"mppmap/locale"
	"mppmap/round"
	"mppmap/stats"
)

// Model variants: what the outcome makes of the regions whose status is unknown.
const (
	VariantMain         = "main"           // unknown left out
	VariantUnknownAsNo  = "unknown_as_no"  // sensitivity: unknown counted as without an MPP
	VariantUnknownAsYes = "unknown_as_yes" // sensitivity: unknown counted as with one
)

// Why a model could not be fitted.
const (
	ErrNoData     = "no_data"     // a predictor has no data at all
	ErrNoVariance = "no_variance" // a predictor does not vary over the rows, or too few rows
	ErrSeparation = "separation"  // a predictor splits the regions with and without an MPP
	ErrCollinear  = "collinear"   // predictors are collinear
	ErrFailed     = "failed"      // the fit did not converge
)

// Variants lists the model variants, the main one first.
var Variants = []string{VariantMain, VariantUnknownAsNo, VariantUnknownAsYes}

// Term names of the model, in the order of the design matrix. Continuous predictors are
// standardised over the rows fitted (odds ratios are per standard deviation); the indicators
// are 0/1. The transfer share is left out: PAD and central transfers make up most of revenue,
// so the two shares are nearly collinear (r ≈ −0.9 in APBD 2024) and one stands for both. PMK
// categories are left out because they exist for 175 eastern regions only, and provinces
// created in 2022 because none of their kab/kota has a 2024 budget in the data.
const (
	TermPAD       = "pad_share_z"
	TermPersonnel = "personnel_share_z"
	TermIPM       = "ipm_z"
	TermPoverty   = "poverty_z"
	TermDensity   = "log10_density_z"
	TermKota      = "kota"
	TermEastern   = "lagging_province"
)

// Terms lists the terms in design-matrix order.
var Terms = []string{TermPAD, TermPersonnel, TermIPM, TermPoverty, TermDensity, TermKota, TermEastern}

// Model is one fitted logistic regression: outcome "has an MPP" (status yes = 1; no and
// in_progress = 0; unknown as the variant says) on Terms, over the regions with every predictor.
type Model struct {
	Variant string
	N       int // rows fitted
	Events  int // rows with an MPP
	// Terms are the fitted coefficients as odds ratios with Wald 95% intervals, intercept first;
	// empty when the fit failed: Err names why (ErrNoData, ErrNoVariance, ErrSeparation,
	// ErrCollinear, ErrFailed; catalog keys factors.model_error.*).
	Terms []Term
	Err   string
	// Rows are the design matrix as fitted: what /api/v1/factors/model.csv serves, so anyone can
	// refit the model.
	Rows []Row
	// Excluded counts the regions left out: unknown status (main variant), or a predictor
	// missing (no 2024 budget — the 26 kab/kota of the new Papua provinces and DKI Jakarta's six
	// administrative units —, no IPM, …).
	ExcludedUnknown, ExcludedMissing int
}

// Term is one coefficient as published.
type Term struct {
	Name                     string
	OddsRatio, CILow, CIHigh float64 // round.Figure
	Coef, SE, P              float64 // log-odds scale, round to 4 decimals
}

// Row is one region of the design matrix.
type Row struct {
	Code    string
	Outcome float64
	X       []float64 // one per Terms, as fitted (standardised where the term says so)
}

func models(s *data.Snapshot, a *Analysis) []*Model {
	var out []*Model
	for _, v := range Variants {
		out = append(out, fit(s, a, v))
	}
	return out
}

func fit(s *data.Snapshot, a *Analysis, variant string) *Model {
	m := &Model{Variant: variant}
	get := func(id string) *Factor {
		f, _ := a.Factor(id)
		return f
	}
	pad, pers, ipm, pov, dens := get(PADShare), get(PersonnelShare), get(IPM), get(Poverty), get(Density)
	if pad == nil || pers == nil || ipm == nil || pov == nil || dens == nil {
		m.Err = ErrNoData
		return m
	}
	type raw struct {
		code       string
		y          float64
		x          [5]float64
		kota, east float64
	}
	var rows []raw
	for _, r := range s.Regions {
		var y float64
		switch r.Status {
		case data.StatusYes:
			y = 1
		case data.StatusNo, data.StatusInProgress:
			y = 0
		default:
			switch variant {
			case VariantUnknownAsNo:
				y = 0
			case VariantUnknownAsYes:
				y = 1
			default:
				m.ExcludedUnknown++
				continue
			}
		}
		var x [5]float64
		ok := true
		for i, f := range []*Factor{pad, pers, ipm, pov, dens} {
			v, has := f.Value(r.Code)
			if !has || !finite(v) || (f == dens && v <= 0) {
				ok = false
				break
			}
			if f == dens {
				v = math.Log10(v)
			}
			x[i] = v
		}
		if !ok {
			m.ExcludedMissing++
			continue
		}
		rw := raw{code: r.Code, y: y, x: x}
		if r.Kind == "kota" {
			rw.kota = 1
		}
		if _, ok := LaggingProvinces[r.ProvinceCode]; ok {
			rw.east = 1
		}
		rows = append(rows, rw)
	}
	// Standardise the continuous columns over the rows fitted.
	cols := make([][]float64, 5)
	for j := range cols {
		for _, r := range rows {
			cols[j] = append(cols[j], r.x[j])
		}
		z, _, _, ok := stats.Standardize(cols[j])
		if !ok {
			m.Err = ErrNoVariance
			return m
		}
		cols[j] = z
	}
	X := make([][]float64, len(rows))
	y := make([]float64, len(rows))
	for i, r := range rows {
		X[i] = []float64{cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i], r.kota, r.east}
		y[i] = r.y
		m.Rows = append(m.Rows, Row{Code: r.code, Outcome: r.y, X: X[i]})
		if r.y == 1 {
			m.Events++
		}
	}
	m.N = len(rows)
	f, err := stats.Logistic(X, y, Terms, Confidence)
	if err != nil {
		switch {
		case errors.Is(err, stats.ErrSeparation):
			m.Err = ErrSeparation
		case errors.Is(err, stats.ErrSingular):
			m.Err = ErrCollinear
		case errors.Is(err, stats.ErrNotConverged):
			m.Err = ErrFailed
		default:
			m.Err = ErrNoVariance // too few rows for the terms, no events or no non-events
		}
		return m
	}
	for _, t := range f.Terms {
		m.Terms = append(m.Terms, Term{Name: t.Name, OddsRatio: round.Figure(t.OddsRatio), CILow: round.Figure(t.CILow),
			CIHigh: round.Figure(t.CIHigh), Coef: round4(t.Coef), SE: round4(t.SE), P: round4(t.P)})
	}
	return m
}

// round4 keeps four decimals of coefficients: enough to refit and compare, no false precision.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// Spec describes a model variant in words (catalog message), for /metodologi and the API.
func Spec(variant string) locale.Msg {
	return locale.M("factors.model.spec", "Outcome", locale.M("factors.model.outcome."+variant), "Terms", len(Terms))
}

// FormatX writes a design-matrix value for the CSV: as many digits as float64 round-trips.
func FormatX(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
