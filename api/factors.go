package api

import (
	"encoding/csv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/factors"
)

type factorGroupJSON struct {
	Key         string   `json:"key" description:"Group key: q1 … q5 for fifths, a PMK category (spaces as _), kabupaten/kota, no_data …"`
	Label       string   `json:"label"`
	Min         *float64 `json:"min" description:"A fifth's lowest value, in the factor's unit; null for other groups."`
	Max         *float64 `json:"max" description:"A fifth's highest value, in the factor's unit; null for other groups."`
	N           int      `json:"n" description:"Number of kab/kota in the group."`
	Yes         int      `json:"yes" description:"Number with an MPP."`
	InProgress  int      `json:"in_progress" description:"Number with an MPP in preparation."`
	No          int      `json:"no" description:"Number without an MPP, according to a source."`
	Unknown     int      `json:"unknown" description:"Number with no source yet (not counted as no)."`
	Share       *float64 `json:"share" description:"yes of n in percent; null for an empty group."`
	CILow       *float64 `json:"ci_low" description:"Lower bound of share's Wilson 95% interval, percent; null with share."`
	CIHigh      *float64 `json:"ci_high" description:"Upper bound of share's Wilson 95% interval, percent; null with share."`
	KnownShare  *float64 `json:"known_share" description:"yes of the kab/kota with a known status (unknown left out), percent; null when none is known."`
	KnownCILow  *float64 `json:"known_ci_low" description:"Lower bound of known_share's Wilson 95% interval, percent."`
	KnownCIHigh *float64 `json:"known_ci_high" description:"Upper bound of known_share's Wilson 95% interval, percent."`
}

type factorJSON struct {
	ID        string            `json:"id" description:"Factor id: what ?factor= takes."`
	Label     string            `json:"label"`
	Kind      string            `json:"kind" vocab:"factor_kind" description:"category (the PMK categories), quintile (fifths of a measured value, by rank), group (named groups)."`
	Source    string            `json:"source" description:"Where the factor's values come from."`
	Indicator string            `json:"indicator,omitempty" description:"The indicator a quintile factor ranks."`
	Period    string            `json:"period,omitempty" description:"Its period."`
	Dataset   string            `json:"dataset,omitempty" description:"Its reference-data file."`
	Groups    []factorGroupJSON `json:"groups"`
}

type termJSON struct {
	Name      string  `json:"name" description:"Term of the model (intercept first): a standardised predictor (_z), kota, lagging_province."`
	OddsRatio float64 `json:"odds_ratio" description:"exp(coef): the odds of having an MPP multiply by this per unit of the term (one standard deviation for _z terms)."`
	CILow     float64 `json:"ci_low" description:"Lower bound of the odds ratio's Wald 95% interval."`
	CIHigh    float64 `json:"ci_high" description:"Upper bound of the odds ratio's Wald 95% interval."`
	Coef      float64 `json:"coef" description:"Coefficient on the log-odds scale."`
	SE        float64 `json:"se" description:"Standard error of coef."`
	P         float64 `json:"p" description:"Two-sided Wald p-value."`
}

type modelJSON struct {
	Variant         string     `json:"variant" vocab:"variant" description:"main leaves unknown status out; unknown_as_no and unknown_as_yes are the sensitivity variants."`
	Outcome         string     `json:"outcome" description:"What the outcome 1 means in this variant."`
	Spec            string     `json:"spec" description:"The model in words."`
	Terms           []termJSON `json:"terms" description:"Fitted terms, intercept first; empty when the fit failed (see error)."`
	N               int        `json:"n" description:"Number of kab/kota fitted."`
	Events          int        `json:"events" description:"Number of those with an MPP (outcome 1)."`
	ExcludedUnknown int        `json:"excluded_unknown" description:"Number left out for unknown status (main variant)."`
	ExcludedMissing int        `json:"excluded_missing" description:"Number left out for a missing predictor."`
	DataURL         string     `json:"data_url" description:"The design matrix as fitted (CSV), to refit it."`
	Error           string     `json:"error,omitempty" vocab:"model_error" description:"Why it could not be fitted; absent when it was."`
}

type claimJSON struct {
	Factor    string   `json:"factor" description:"The factor the claim is about (its id)."`
	No        int      `json:"no" description:"Number of kab/kota without an MPP (sourced) that have a value."`
	NoLow     int      `json:"no_low" description:"Number of those in the factor's two lowest groups."`
	NoLowPct  *float64 `json:"no_low_pct" description:"no_low of no, percent; null when no is 0."`
	Yes       int      `json:"yes" description:"Number of kab/kota with an MPP that have a value."`
	YesLow    int      `json:"yes_low" description:"Number of those in the two lowest groups."`
	YesLowPct *float64 `json:"yes_low_pct" description:"yes_low of yes, percent; null when yes is 0."`
	Text      string   `json:"text" description:"The claim as the agency made it."`
	Reading   string   `json:"reading" description:"What the data says about it."`
}

type factorsResponse struct {
	Meta        meta         `json:"meta"`
	Factors     []factorJSON `json:"factors" description:"Coverage per group of each factor (only ?factor= when given)."`
	Model       modelJSON    `json:"model" description:"The main logistic regression: has an MPP on the structural factors."`
	Sensitivity []modelJSON  `json:"sensitivity" description:"The same model with unknown counted as no, and as yes."`
	Claims      []claimJSON  `json:"claims" description:"The agency's claim (regions without an MPP are fiscally weak) tested against the data."`
	Caveat      string       `json:"caveat" description:"Associations, not causes: how to read these tables."`
}

func ivl(i *factors.Interval) (share, lo, hi *float64) {
	if i == nil {
		return nil, nil, nil
	}
	return ptr(i.Share), ptr(i.Low), ptr(i.High)
}

func (h *Handler) toFactorJSON(f *factors.Factor) factorJSON {
	fj := factorJSON{ID: f.ID, Label: h.en.Msg(f.Label), Kind: f.Kind, Source: h.en.Msg(f.Source), Indicator: f.Indicator,
		Period: f.Period, Dataset: f.Dataset, Groups: []factorGroupJSON{}}
	for _, g := range f.Groups {
		gj := factorGroupJSON{Key: g.Key, Label: h.en.Msg(g.Label), Min: g.Lo, Max: g.Hi, N: g.N, Yes: g.Yes, InProgress: g.InProgress,
			No: g.No, Unknown: g.Unk}
		gj.Share, gj.CILow, gj.CIHigh = ivl(g.Share)
		gj.KnownShare, gj.KnownCILow, gj.KnownCIHigh = ivl(g.KnownShare)
		fj.Groups = append(fj.Groups, gj)
	}
	return fj
}

func (h *Handler) toModelJSON(m *factors.Model) modelJSON {
	mj := modelJSON{Variant: m.Variant, Outcome: h.en.T("factors.model.outcome." + m.Variant), Spec: h.en.Msg(factors.Spec(m.Variant)),
		Terms: []termJSON{}, N: m.N, Events: m.Events, ExcludedUnknown: m.ExcludedUnknown, ExcludedMissing: m.ExcludedMissing,
		DataURL: Prefix + "/factors/model.csv?variant=" + m.Variant, Error: m.Err}
	for _, t := range m.Terms {
		mj.Terms = append(mj.Terms, termJSON{t.Name, t.OddsRatio, t.CILow, t.CIHigh, t.Coef, t.SE, t.P})
	}
	return mj
}

// factors serves the barrier analysis; ?factor= narrows the factor tables to one.
func (h *Handler) factors(c *fiber.Ctx) error {
	m := h.src.Model()
	a := m.Factors
	id := ""
	if c.Context().QueryArgs().Has("factor") {
		v := c.Query("factor")
		if _, ok := a.Factor(v); !ok {
			return badParam("factor", v, strings.Join(a.FactorIDs(), ", "))
		}
		id = utils.CopyString(v)
	}
	return h.serveJSON(c, m, "factors:"+id, func() any {
		resp := factorsResponse{Meta: h.metaOf(m), Factors: []factorJSON{}, Sensitivity: []modelJSON{}, Claims: []claimJSON{},
			Caveat: h.en.T("factors.caveat")}
		for _, f := range a.Factors {
			if id == "" || f.ID == id {
				resp.Factors = append(resp.Factors, h.toFactorJSON(f))
			}
		}
		for _, md := range a.Models {
			if md.Variant == factors.VariantMain {
				resp.Model = h.toModelJSON(md)
			} else {
				resp.Sensitivity = append(resp.Sensitivity, h.toModelJSON(md))
			}
		}
		for _, cl := range a.Claims {
			resp.Claims = append(resp.Claims, claimJSON{Factor: cl.Factor, No: cl.No, NoLow: cl.NoLow, NoLowPct: cl.NoPct, Yes: cl.Yes,
				YesLow: cl.YesLow, YesLowPct: cl.YesPct, Text: h.en.Msg(cl.Text), Reading: h.en.Msg(cl.Reading)})
		}
		return resp
	})
}

// modelCSV serves a model's design matrix as fitted: code, outcome and one column per term.
func (h *Handler) modelCSV(c *fiber.Ctx) error {
	m := h.src.Model()
	variant := factors.VariantMain
	if c.Context().QueryArgs().Has("variant") {
		variant = c.Query("variant")
	}
	md, ok := m.Factors.Model(variant)
	if !ok {
		return badParam("variant", variant, strings.Join(factors.Variants, ", "))
	}
	return h.serveCSV(c, m, "model.csv:"+md.Variant, "mppmap-model-"+md.Variant+".csv", false, func(w *csv.Writer) {
		_ = w.Write(append([]string{"code", "outcome"}, factors.Terms...))
		for _, r := range md.Rows {
			row := []string{r.Code, factors.FormatX(r.Outcome)}
			for _, x := range r.X {
				row = append(row, factors.FormatX(x))
			}
			_ = w.Write(row)
		}
	})
}

// ---- digital ----

type digitalModelJSON struct {
	Model     string       `json:"model" description:"The digital model as recorded (e.g. MPP Digital Nasional, an own app)."`
	AsOf      *string      `json:"as_of" vocab:"pdate" description:"Date of the record, at its source's precision; null when none."`
	Note      string       `json:"note"`
	Sources   []sourceJSON `json:"sources"`
	SourceIDs []string     `json:"source_ids" vocab:"source_id"`
}

type digitalRegionJSON struct {
	Code         string             `json:"code" vocab:"region_code"`
	Name         string             `json:"name"`
	ProvinceCode string             `json:"province_code" vocab:"province_code"`
	Status       data.Status        `json:"status" description:"Its physical MPP status."`
	Cell         string             `json:"cell" vocab:"digital_cell" description:"Its cell of the physical × digital table."`
	Models       []digitalModelJSON `json:"models"`
}

type digitalFactJSON struct {
	Date    string       `json:"date" description:"Date as published."`
	Metric  string       `json:"metric" description:"What the value counts (e.g. pilot_count, adoption_count)."`
	Value   string       `json:"value" description:"The value as published, with its own words and unit."`
	Sources []sourceJSON `json:"sources"`
}

type digitalResponse struct {
	Meta    meta                `json:"meta"`
	Regions []digitalRegionJSON `json:"regions" description:"Kab/kota with a recorded digital model, in code order."`
	// Cells counts every region in the physical × digital table: both, physical_only,
	// digital_only (no MPP or in preparation, with a digital model), neither, unknown_digital,
	// unknown. "No digital model recorded" is not "none": the list is partial.
	Cells                map[string]int    `json:"cells" keys:"digital_cell" description:"Number of kab/kota per cell of the physical × digital table. The digital list is partial: no digital model recorded is not none."`
	Models               map[string]int    `json:"models" description:"Digital model → number of kab/kota recorded with it."`
	WithoutPhysical      int               `json:"without_physical_with_digital" description:"Number of kab/kota without an MPP or with one in preparation that have a digital model recorded."`
	WithoutPhysicalTotal int               `json:"without_physical" description:"Number of kab/kota without an MPP or with one in preparation."`
	Facts                []digitalFactJSON `json:"facts" description:"Published MPP Digital facts."`
	Targets              []targetJSON      `json:"targets" description:"Digital targets, as published; not assessed."`
	Note                 string            `json:"note"`
}

func (h *Handler) digital(c *fiber.Ctx) error {
	m := h.src.Model()
	return h.serveJSON(c, m, "digital", func() any {
		d := m.Digital
		resp := digitalResponse{Meta: h.metaOf(m), Regions: []digitalRegionJSON{}, Cells: nonNilMap(d.Cells), Models: nonNilMap(d.Models),
			WithoutPhysical: d.WithoutPhysical, WithoutPhysicalTotal: d.WithoutPhysicalTotal, Facts: []digitalFactJSON{},
			Targets: []targetJSON{}, Note: h.en.T("digital.note")}
		for _, r := range d.Regions {
			rj := digitalRegionJSON{Code: r.Code, Name: r.Name, ProvinceCode: r.ProvinceCode, Status: r.Status, Cell: d.CellOf[r.Code],
				Models: []digitalModelJSON{}}
			for _, x := range r.Digital {
				rj.Models = append(rj.Models, digitalModelJSON{Model: x.Model, AsOf: dateOrNil(x.AsOf), Note: x.Note,
					Sources: resolveSources(m, x.SourceIDs), SourceIDs: nonNil(x.SourceIDs)})
			}
			resp.Regions = append(resp.Regions, rj)
		}
		for _, f := range m.Snap.DigitalFacts {
			resp.Facts = append(resp.Facts, digitalFactJSON{Date: f.DateText, Metric: f.Metric, Value: f.Value, Sources: resolveSources(m, f.SourceIDs)})
		}
		for _, a := range m.Digital.Targets {
			resp.Targets = append(resp.Targets, toTargetJSON(m, a))
		}
		return resp
	})
}
