package api

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/fiscal"
	"mppmap/geo"
	"mppmap/peers"
	"mppmap/respond"
)

type fiscalGroupJSON struct {
	Group   string              `json:"group" vocab:"fiscal_group" description:"q1 (lowest PAD share) … q5 (highest), or no_data (no budget in the data, kept apart)."`
	Label   string              `json:"label"`
	Min     *float64            `json:"min_pct" description:"Lowest PAD share in the group, % of total revenue; null for no_data."`
	Max     *float64            `json:"max_pct" description:"Highest PAD share in the group, % of total revenue; null for no_data."`
	Counts  map[data.Status]int `json:"counts" description:"Number of the group's kab/kota per status."`
	Shares  []shareJSON         `json:"shares" description:"Share with an MPP over both denominators, within the group."`
	Regions []fiscalRegionJSON  `json:"regions" description:"The group's kab/kota, in code order."`
}

type fiscalRegionJSON struct {
	Code        string              `json:"code" vocab:"region_code"`
	Name        string              `json:"name"`
	Status      data.Status         `json:"status"`
	PADSharePct *float64            `json:"pad_share_pct" description:"PAD (own-source revenue) share of total revenue, %, APBD 2024; null without a budget in the data."`
	Indicators  map[string]*float64 `json:"indicators" keys:"peer_indicator" description:"Peer indicators at their latest period (indicator_periods), in their units; null = no data, never 0."`
}

type fiscalResponse struct {
	Meta      meta              `json:"meta"`
	Label     string            `json:"label" description:"What the grouping is (and is not): our own calculation, not the PMK category."`
	Indicator string            `json:"indicator" description:"The indicator the groups are fifths of."`
	Period    string            `json:"period" description:"Its period (budget year)."`
	Periods   map[string]string `json:"indicator_periods" keys:"peer_indicator" description:"Indicator → the period of the values in regions[].indicators."`
	Groups    []fiscalGroupJSON `json:"groups" description:"q1 … q5, then no_data."`
	Method    string            `json:"method"`
}

func (h *Handler) fiscal(c *fiber.Ctx) error {
	m := h.src.Model()
	return h.serveJSON(c, m, "fiscal", func() any {
		resp := fiscalResponse{Meta: h.metaOf(m), Label: h.en.T("fiscal.source"), Indicator: fiscal.Indicator,
			Period: fiscal.Period, Periods: m.Peers.ComparedPeriods(), Groups: []fiscalGroupJSON{}, Method: h.en.T("fiscal.method")}
		for _, g := range m.FiscalGroups {
			gj := fiscalGroupJSON{Group: g.Key, Label: h.en.Msg(fiscal.Label(g.Key)), Min: g.Lo, Max: g.Hi, Counts: nonNilMap(g.Counts),
				Shares: toShares(g.Shares[:]), Regions: []fiscalRegionJSON{}}
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
	Count    int             `json:"count" description:"Number of findings in the category."`
	Regions  []string        `json:"region_codes" vocab:"region_code" description:"The kab/kota the findings name, in code order."`
	Findings []inhibitorJSON `json:"findings"`
}

type inhibitorsResponse struct {
	Meta       meta                    `json:"meta"`
	Categories []inhibitorCategoryJSON `json:"categories" description:"Categories, most findings first."`
	Sources    []sourceJSON            `json:"sources" description:"Every source the findings cite."`
	Note       string                  `json:"note" description:"How to read the list: a region without a recorded factor is not known to have none."`
}

func (h *Handler) inhibitors(c *fiber.Ctx) error {
	m := h.src.Model()
	return h.serveJSON(c, m, "inhibitors", func() any {
		var cited [][]string
		resp := inhibitorsResponse{Meta: h.metaOf(m), Categories: []inhibitorCategoryJSON{}, Note: h.en.T("api.inhibitors_note")}
		for _, cat := range m.Inhibitors {
			cj := inhibitorCategoryJSON{Category: cat.Category, Count: len(cat.Findings), Regions: cat.Regions}
			for _, x := range cat.Findings {
				cj.Findings = append(cj.Findings, toInhibitorJSON(x))
				cited = append(cited, x.SourceIDs)
			}
			resp.Categories = append(resp.Categories, cj)
		}
		resp.Sources = resolveSources(m, cited...)
		return resp
	})
}

type costsResponse struct {
	Meta  meta       `json:"meta"`
	Costs []costJSON `json:"costs" description:"Every reported cost, as published (amounts are not converted or compared)."`
	Note  string     `json:"note"`
}

// costs serves the reported MPP building and fit-out costs, as published.
func (h *Handler) costs(c *fiber.Ctx) error {
	m := h.src.Model()
	return h.serveJSON(c, m, "costs", func() any {
		resp := costsResponse{Meta: h.metaOf(m), Costs: []costJSON{}, Note: h.en.T("factors.costs_lead")}
		for _, x := range m.Snap.Costs {
			resp.Costs = append(resp.Costs, toCostJSON(m, x))
		}
		return resp
	})
}

type sourcesResponse struct {
	Meta     meta          `json:"meta"`
	Sources  []sourceJSON  `json:"sources" description:"Every source in the source list, in id order."`
	Datasets []datasetJSON `json:"datasets" description:"Every imported reference-data file with its provenance."`
}

type datasetJSON struct {
	Path        string `json:"path" description:"Path in the reference-data folder."`
	Title       string `json:"title"`
	Publisher   string `json:"publisher"`
	Licence     string `json:"licence"`
	Attribution string `json:"attribution" description:"Who to credit when republishing it."`
	Upstream    string `json:"upstream" description:"Where the file comes from."`
	AsOf        string `json:"as_of" description:"The file's own as-of date, as given."`
	SHA256      string `json:"sha256" description:"sha256 of the file as imported (hex); empty when not recorded."`
}

func (h *Handler) sources(c *fiber.Ctx) error {
	m := h.src.Model()
	return h.serveJSON(c, m, "sources", func() any {
		ids := make([]string, 0, len(m.Snap.Sources))
		for id := range m.Snap.Sources {
			ids = append(ids, id)
		}
		resp := sourcesResponse{Meta: h.metaOf(m), Sources: resolveSources(m, ids), Datasets: []datasetJSON{}}
		for _, d := range m.Snap.Datasets {
			resp.Datasets = append(resp.Datasets, datasetJSON{Path: d.Path, Title: d.Title, Publisher: d.Publisher, Licence: d.Licence,
				Attribution: d.Attribution, Upstream: d.Upstream, AsOf: d.AsOf, SHA256: d.SHA256})
		}
		return resp
	})
}

type sourceResponse struct {
	Meta    meta       `json:"meta"`
	Source  sourceJSON `json:"source"`
	CitedBy struct {
		Regions        []string `json:"regions" vocab:"region_code" description:"Kab/kota whose status cites it."`
		Sites          []string `json:"sites" description:"Names of the MPP sites citing it."`
		NationalCounts []string `json:"national_counts" vocab:"pdate" description:"Dates of the stated national counts citing it."`
		Targets        []string `json:"targets" description:"Ids of the targets citing it."`
		Inhibitors     int      `json:"inhibitors" description:"Number of inhibiting-factor findings citing it."`
	} `json:"cited_by" description:"What in the data cites this source."`
}

func (h *Handler) source(c *fiber.Ctx) error {
	m := h.src.Model()
	id := c.Params("id")
	if !sourceIDRE.MatchString(id) {
		return badParam("id", id, "a source id such as S12")
	}
	if _, ok := m.Source(id); !ok {
		return fmt.Errorf("no source with id %q: %w", id, data.ErrNotFound)
	}
	id = strings.Clone(id) // kept in the memo: not the request's buffer
	return h.serveJSON(c, m, "source:"+id, func() any {
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
	m := h.src.Model()
	return h.serveCSV(c, m, "export.csv", "mppmap-regions.csv", true, func(w *csv.Writer) {
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
	})
}

type exportProp struct {
	regionJSON
	MPPInaugurated *string             `json:"mpp_inaugurated" vocab:"pdate" description:"Earliest dated MPP site serving it, at its source's precision; null without one."`
	MPPPrecision   *string             `json:"mpp_inaugurated_precision" vocab:"precision" description:"Precision of mpp_inaugurated; null without it."`
	Indicators     map[string]*float64 `json:"indicators" description:"<indicator>_<period> → value in the indicator's unit; null = no data, never 0."`
}

func (h *Handler) exportGeoJSON(c *fiber.Ctx) error {
	m := h.src.Model()
	if len(m.Snap.Geometry[geo.DetailFull]) == 0 {
		return problem(fiber.StatusServiceUnavailable, "layer not loaded", "the full layer is not in the read model")
	}
	b, err := body(m, "export.geojson", func() (*respond.Body, error) {
		extra := exportMembers{Attribution: h.attribution(), DataAsOf: day(m.Snap.DataAsOf), Licence: h.en.T("api.licence_note")}
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
		return h.comp.New("application/geo+json", fc)
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mppmap-regions.geojson"`)
	return serveBody(c, b)
}
