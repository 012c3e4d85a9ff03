package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/fiscal"
	"mppmap/geo"
	"mppmap/peers"
	"mppmap/progress"
	"mppmap/respond"
)

type fiscalGroupJSON struct {
	Group   string              `json:"group"`
	Label   string              `json:"label"`
	Min     *float64            `json:"min_pct"`
	Max     *float64            `json:"max_pct"`
	Counts  map[data.Status]int `json:"counts"`
	Shares  []progress.Share    `json:"shares"`
	Regions []fiscalRegionJSON  `json:"regions"`
}

type fiscalRegionJSON struct {
	Code        string              `json:"code"`
	Name        string              `json:"name"`
	Status      data.Status         `json:"status"`
	PADSharePct *float64            `json:"pad_share_pct"`
	Indicators  map[string]*float64 `json:"indicators"` // peer indicators at their latest period; null = no data
}

type fiscalResponse struct {
	Meta      meta              `json:"meta"`
	Label     string            `json:"label"`
	Indicator string            `json:"indicator"`
	Period    string            `json:"period"`
	Periods   map[string]string `json:"indicator_periods"`
	Groups    []fiscalGroupJSON `json:"groups"`
	Method    string            `json:"method"`
}

func (h *Handler) fiscal(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	return serveJSON(c, m, "fiscal", func() any {
		resp := fiscalResponse{Meta: h.metaOf(m), Label: h.en.T("fiscal.source"), Indicator: fiscal.Indicator,
			Period: fiscal.Period, Periods: m.Peers.ComparedPeriods(), Method: h.en.T("fiscal.method")}
		for _, g := range m.FiscalGroups {
			gj := fiscalGroupJSON{Group: g.Key, Label: h.en.Msg(fiscal.Label(g.Key)), Min: g.Lo, Max: g.Hi, Counts: g.Counts,
				Shares: g.Shares[:], Regions: []fiscalRegionJSON{}}
			for _, r := range g.Regions {
				fr := fiscalRegionJSON{Code: r.Code, Name: r.Name, Status: r.Status, Indicators: map[string]*float64{}}
				if v, ok := r.PADShare(m); ok {
					fr.PADSharePct = ptr(v)
				}
				vals := m.Peers.Member(r.Code).Values
				for _, id := range peers.Indicators {
					if v, ok := vals[id]; ok {
						fr.Indicators[id] = ptr(v)
					} else {
						fr.Indicators[id] = nil
					}
				}
				gj.Regions = append(gj.Regions, fr)
			}
			resp.Groups = append(resp.Groups, gj)
		}
		return resp
	})
}

type inhibitorCategoryJSON struct {
	Category string          `json:"category"`
	Count    int             `json:"count"`
	Regions  []string        `json:"region_codes"`
	Findings []inhibitorJSON `json:"findings"`
}

type inhibitorsResponse struct {
	Meta       meta                    `json:"meta"`
	Categories []inhibitorCategoryJSON `json:"categories"`
	Sources    []sourceJSON            `json:"sources"`
	Note       string                  `json:"note"`
}

func (h *Handler) inhibitors(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	return serveJSON(c, m, "inhibitors", func() any {
		by := map[string]*inhibitorCategoryJSON{}
		var order []string
		var cited [][]string
		for _, x := range m.Snap.Inhibitors {
			cat := by[x.Category]
			if cat == nil {
				cat = &inhibitorCategoryJSON{Category: x.Category, Regions: []string{}}
				by[x.Category] = cat
				order = append(order, x.Category)
			}
			cat.Count++
			cat.Findings = append(cat.Findings, toInhibitorJSON(x))
			for _, rc := range x.RegionCodes {
				if !slices.Contains(cat.Regions, rc) {
					cat.Regions = append(cat.Regions, rc)
				}
			}
			cited = append(cited, x.SourceIDs)
		}
		resp := inhibitorsResponse{Meta: h.metaOf(m), Categories: []inhibitorCategoryJSON{}, Sources: resolveSources(m, cited...),
			Note: h.en.T("api.inhibitors_note")}
		sort.SliceStable(order, func(i, j int) bool { return by[order[i]].Count > by[order[j]].Count })
		for _, k := range order {
			sort.Strings(by[k].Regions)
			resp.Categories = append(resp.Categories, *by[k])
		}
		return resp
	})
}

type costsResponse struct {
	Meta  meta       `json:"meta"`
	Costs []costJSON `json:"costs"`
	Note  string     `json:"note"`
}

// costs serves the reported MPP building and fit-out costs, as published.
func (h *Handler) costs(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	return serveJSON(c, m, "costs", func() any {
		resp := costsResponse{Meta: h.metaOf(m), Costs: []costJSON{}, Note: h.en.T("factors.costs_lead")}
		for _, x := range m.Snap.Costs {
			resp.Costs = append(resp.Costs, toCostJSON(m, x))
		}
		return resp
	})
}

type sourcesResponse struct {
	Meta     meta          `json:"meta"`
	Sources  []sourceJSON  `json:"sources"`
	Datasets []datasetJSON `json:"datasets"`
}

type datasetJSON struct {
	Path        string `json:"path"`
	Title       string `json:"title"`
	Publisher   string `json:"publisher"`
	Licence     string `json:"licence"`
	Attribution string `json:"attribution"`
	Upstream    string `json:"upstream"`
	AsOf        string `json:"as_of"`
	SHA256      string `json:"sha256"`
}

func (h *Handler) sources(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	return serveJSON(c, m, "sources", func() any {
		ids := make([]string, 0, len(m.Snap.Sources))
		for id := range m.Snap.Sources {
			ids = append(ids, id)
		}
		resp := sourcesResponse{Meta: h.metaOf(m), Sources: resolveSources(m, ids), Datasets: []datasetJSON{}}
		for _, d := range m.Snap.Datasets {
			resp.Datasets = append(resp.Datasets, datasetJSON{d.Path, d.Title, d.Publisher, d.Licence, d.Attribution, d.Upstream, d.AsOf, d.SHA256})
		}
		return resp
	})
}

type sourceResponse struct {
	Meta    meta       `json:"meta"`
	Source  sourceJSON `json:"source"`
	CitedBy struct {
		Regions        []string `json:"regions"`
		Sites          []string `json:"sites"`
		NationalCounts []string `json:"national_counts"`
		Targets        []string `json:"targets"`
		Inhibitors     int      `json:"inhibitors"`
	} `json:"cited_by"`
}

func (h *Handler) source(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	id := c.Params("id")
	if !sourceIDRE.MatchString(id) {
		return badParam("id", id, "a source id such as S12")
	}
	if _, ok := m.Source(id); !ok {
		return fmt.Errorf("no source with id %q: %w", id, data.ErrNotFound)
	}
	id = strings.Clone(id) // kept in the memo: not the request's buffer
	return serveJSON(c, m, "source:"+id, func() any {
		s := m.Snap
		resp := sourceResponse{Meta: h.metaOf(m), Source: resolveSources(m, []string{id})[0]}
		cb := &resp.CitedBy
		cb.Regions, cb.Sites, cb.NationalCounts, cb.Targets = []string{}, []string{}, []string{}, []string{}
		for _, r := range s.Regions {
			if slices.Contains(r.SourceIDs, id) {
				cb.Regions = append(cb.Regions, r.Code)
			}
		}
		for _, x := range s.Sites {
			if slices.Contains(x.SourceIDs, id) {
				cb.Sites = append(cb.Sites, x.Name)
			}
		}
		for _, n := range s.NationalCounts {
			if slices.Contains(n.SourceIDs, id) {
				cb.NationalCounts = append(cb.NationalCounts, n.AsOf.String())
			}
		}
		for _, t := range s.Targets {
			if slices.Contains(t.SourceIDs, id) {
				cb.Targets = append(cb.Targets, t.ID)
			}
		}
		for _, x := range s.Inhibitors {
			if slices.Contains(x.SourceIDs, id) {
				cb.Inhibitors++
			}
		}
		return resp
	})
}

// ---- exports ----

func (h *Handler) attribution() string {
	return h.en.T("api.attribution", "Licence", h.en.T("api.licence_note"))
}

func (h *Handler) exportCSV(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	b, err := body(m, "export.csv", func() (*respond.Body, error) {
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		w := csv.NewWriter(&buf)
		head := []string{"code", "name", "province_code", "province_name", "kind", "status", "status_as_of", "status_as_of_precision",
			"first_known", "first_known_precision", "mpp_inaugurated", "mpp_inaugurated_precision", "evidence", "source_ids", "fiscal_group"}
		for _, col := range m.ExportIndicators {
			head = append(head, col.ID+"_"+col.Period)
		}
		head = append(head, "data_as_of", "attribution")
		_ = w.Write(head)
		attr := h.attribution()
		for _, r := range m.Regions {
			site := r.SiteDate
			row := []string{r.Code, r.Name, r.ProvinceCode, r.ProvinceName, r.Kind, string(r.Status), r.StatusAsOf.String(), string(r.StatusAsOf.Precision),
				r.FirstKnown.String(), string(r.FirstKnown.Precision), site.String(), string(site.Precision), r.Evidence,
				strings.Join(r.SourceIDs, ";"), r.FiscalGroup}
			for _, col := range m.ExportIndicators {
				if v, ok := m.Value(r.Code, col); ok {
					row = append(row, strconv.FormatFloat(v, 'f', -1, 64))
				} else {
					row = append(row, "") // no data, never 0
				}
			}
			row = append(row, day(m.Snap.DataAsOf), attr)
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
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mppmap-regions.csv"`)
	return serveBody(c, b)
}

type exportProp struct {
	regionJSON
	MPPInaugurated *string             `json:"mpp_inaugurated"`
	MPPPrecision   *string             `json:"mpp_inaugurated_precision"`
	Indicators     map[string]*float64 `json:"indicators"`
}

func (h *Handler) exportGeoJSON(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	if len(m.Snap.Geometry[geo.DetailFull]) == 0 {
		return problem(fiber.StatusServiceUnavailable, "layer not loaded", "the full layer is not in the read model")
	}
	b, err := body(m, "export.geojson", func() (*respond.Body, error) {
		extra := map[string]any{"attribution": h.attribution(), "data_as_of": day(m.Snap.DataAsOf), "licence": h.en.T("api.licence_note")}
		fc, err := featureCollection(m, geo.DetailFull, "", extra, func(r *figures.Region) any {
			p := exportProp{regionJSON: toRegionJSON(r), Indicators: map[string]*float64{}}
			if r.HasSiteDate {
				p.MPPInaugurated, p.MPPPrecision = dateOrNil(r.SiteDate), precisionOrNil(r.SiteDate)
			}
			for _, col := range m.ExportIndicators {
				if v, ok := m.Value(r.Code, col); ok {
					p.Indicators[col.ID+"_"+col.Period] = ptr(v)
				} else {
					p.Indicators[col.ID+"_"+col.Period] = nil
				}
			}
			return p
		})
		if err != nil {
			return nil, err
		}
		return respond.New("application/geo+json", fc)
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mppmap-regions.geojson"`)
	return serveBody(c, b)
}
