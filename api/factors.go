package api

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/factors"
	"mppmap/progress"
	"mppmap/respond"
)

type factorGroupJSON struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Min         *float64 `json:"min"` // a fifth's lowest and highest value; null for other groups
	Max         *float64 `json:"max"`
	N           int      `json:"n"`
	Yes         int      `json:"yes"`
	InProgress  int      `json:"in_progress"`
	No          int      `json:"no"`
	Unknown     int      `json:"unknown"`
	Share       *float64 `json:"share"` // yes of n in percent; null for an empty group
	CILow       *float64 `json:"ci_low"`
	CIHigh      *float64 `json:"ci_high"`
	KnownShare  *float64 `json:"known_share"` // yes of the regions with a known status
	KnownCILow  *float64 `json:"known_ci_low"`
	KnownCIHigh *float64 `json:"known_ci_high"`
}

type factorJSON struct {
	ID        string            `json:"id"`
	Label     string            `json:"label"`
	Kind      string            `json:"kind"` // category | quintile | group
	Source    string            `json:"source"`
	Indicator string            `json:"indicator,omitempty"`
	Period    string            `json:"period,omitempty"`
	Dataset   string            `json:"dataset,omitempty"`
	Groups    []factorGroupJSON `json:"groups"`
}

type termJSON struct {
	Name      string  `json:"name"`
	OddsRatio float64 `json:"odds_ratio"`
	CILow     float64 `json:"ci_low"`
	CIHigh    float64 `json:"ci_high"`
	Coef      float64 `json:"coef"`
	SE        float64 `json:"se"`
	P         float64 `json:"p"`
}

type modelJSON struct {
	Variant         string     `json:"variant"`
	Outcome         string     `json:"outcome"`
	Spec            string     `json:"spec"`
	Terms           []termJSON `json:"terms"`
	N               int        `json:"n"`
	Events          int        `json:"events"`
	ExcludedUnknown int        `json:"excluded_unknown"`
	ExcludedMissing int        `json:"excluded_missing"`
	DataURL         string     `json:"data_url"`
	Error           string     `json:"error,omitempty"` // why it could not be fitted: no_data | no_variance | separation | collinear | failed
}

type claimJSON struct {
	Factor    string   `json:"factor"`
	No        int      `json:"no"`
	NoLow     int      `json:"no_low"`
	NoLowPct  *float64 `json:"no_low_pct"`
	Yes       int      `json:"yes"`
	YesLow    int      `json:"yes_low"`
	YesLowPct *float64 `json:"yes_low_pct"`
	Text      string   `json:"text"`
	Reading   string   `json:"reading"`
}

type factorsResponse struct {
	Meta        meta         `json:"meta"`
	Factors     []factorJSON `json:"factors"`
	Model       modelJSON    `json:"model"`
	Sensitivity []modelJSON  `json:"sensitivity"`
	Claims      []claimJSON  `json:"claims"`
	Caveat      string       `json:"caveat"`
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
	if err := checkParams(c, "factor"); err != nil {
		return err
	}
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
	return serveJSON(c, m, "factors:"+id, func() any {
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
	if err := checkParams(c, "variant"); err != nil {
		return err
	}
	m := h.src.Model()
	variant := factors.VariantMain
	if c.Context().QueryArgs().Has("variant") {
		variant = c.Query("variant")
	}
	md, ok := m.Factors.Model(variant)
	if !ok {
		return badParam("variant", variant, strings.Join(factors.Variants, ", "))
	}
	b, err := body(m, "model.csv:"+md.Variant, func() (*respond.Body, error) {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(append([]string{"code", "outcome"}, factors.Terms...))
		for _, r := range md.Rows {
			row := []string{r.Code, factors.FormatX(r.Outcome)}
			for _, x := range r.X {
				row = append(row, factors.FormatX(x))
			}
			_ = w.Write(row)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, err
		}
		return respond.New("text/csv; charset=utf-8", buf.Bytes())
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mppmap-model-`+md.Variant+`.csv"`)
	return serveBody(c, b)
}

// ---- digital ----

type digitalModelJSON struct {
	Model     string       `json:"model"`
	AsOf      *string      `json:"as_of"`
	Note      string       `json:"note"`
	Sources   []sourceJSON `json:"sources"`
	SourceIDs []string     `json:"source_ids"`
}

type digitalRegionJSON struct {
	Code         string             `json:"code"`
	Name         string             `json:"name"`
	ProvinceCode string             `json:"province_code"`
	Status       data.Status        `json:"status"`
	Cell         string             `json:"cell"`
	Models       []digitalModelJSON `json:"models"`
}

type digitalFactJSON struct {
	Date    string       `json:"date"` // as published
	Metric  string       `json:"metric"`
	Value   string       `json:"value"`
	Sources []sourceJSON `json:"sources"`
}

type digitalResponse struct {
	Meta    meta                `json:"meta"`
	Regions []digitalRegionJSON `json:"regions"`
	// Cells counts every region in the physical × digital table: both, physical_only,
	// digital_only (no MPP or in preparation, with a digital model), neither, unknown_digital,
	// unknown. "No digital model recorded" is not "none": the list is partial.
	Cells                map[string]int    `json:"cells"`
	Models               map[string]int    `json:"models"`
	WithoutPhysical      int               `json:"without_physical_with_digital"`
	WithoutPhysicalTotal int               `json:"without_physical"`
	Facts                []digitalFactJSON `json:"facts"`
	Targets              []targetJSON      `json:"targets"` // digital targets, as published; not assessed
	Note                 string            `json:"note"`
}

func (h *Handler) digital(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	return serveJSON(c, m, "digital", func() any {
		d := m.Digital
		resp := digitalResponse{Meta: h.metaOf(m), Regions: []digitalRegionJSON{}, Cells: d.Cells, Models: d.Models,
			WithoutPhysical: d.WithoutPhysical, WithoutPhysicalTotal: d.WithoutPhysicalTotal, Facts: []digitalFactJSON{},
			Targets: []targetJSON{}, Note: h.en.T("digital.note")}
		for _, r := range d.Regions {
			rj := digitalRegionJSON{Code: r.Code, Name: r.Name, ProvinceCode: r.ProvinceCode, Status: r.Status, Cell: d.CellOf[r.Code]}
			for _, x := range r.Digital {
				rj.Models = append(rj.Models, digitalModelJSON{Model: x.Model, AsOf: dateOrNil(x.AsOf), Note: x.Note,
					Sources: resolveSources(m, x.SourceIDs), SourceIDs: nonNil(x.SourceIDs)})
			}
			resp.Regions = append(resp.Regions, rj)
		}
		for _, f := range m.Snap.DigitalFacts {
			resp.Facts = append(resp.Facts, digitalFactJSON{Date: f.DateText, Metric: f.Metric, Value: f.Value, Sources: resolveSources(m, f.SourceIDs)})
		}
		for _, a := range m.National.Progress.Targets {
			if progress.IsDigital(a.Target) {
				resp.Targets = append(resp.Targets, toTargetJSON(m, a))
			}
		}
		return resp
	})
}
