package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/fiscal"
	"mppmap/peers"
	"mppmap/progress"
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
	s := h.src.Snapshot()
	b, err := h.body(s, "fiscal", func() (*data.Body, error) {
		d := h.derivedOf(s)
		fg := d.peers.Fiscal
		resp := fiscalResponse{Meta: metaOf(s), Label: fiscal.Source, Indicator: fiscal.Indicator,
			Period: fiscal.Period, Periods: d.peers.ComparedPeriods(), Method: fiscal.Method}
		for _, g := range fiscal.Keys {
			gj := fiscalGroupJSON{Group: g, Label: fiscal.Label("en", g), Counts: map[data.Status]int{}, Regions: []fiscalRegionJSON{}}
			for _, st := range data.Statuses {
				gj.Counts[st] = 0
			}
			if lo, hi, ok := fg.Range(g); ok {
				gj.Min, gj.Max = ptr(progress.Round2(lo)), ptr(progress.Round2(hi))
			}
			regs := fg.Members(s, g)
			for _, r := range regs {
				gj.Counts[r.Status]++
				fr := fiscalRegionJSON{Code: r.Code, Name: r.Name, Status: r.Status, Indicators: map[string]*float64{}}
				if v, ok := fg.Value(r.Code); ok {
					fr.PADSharePct = ptr(v)
				}
				vals := d.peers.Member(r.Code).Values
				for _, id := range peers.Indicators {
					if v, ok := vals[id]; ok {
						fr.Indicators[id] = ptr(v)
					} else {
						fr.Indicators[id] = nil
					}
				}
				gj.Regions = append(gj.Regions, fr)
			}
			a, b := progress.Shares(regs)
			gj.Shares = []progress.Share{a, b}
			resp.Groups = append(resp.Groups, gj)
		}
		return jsonBody(resp)
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
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
	s := h.src.Snapshot()
	b, err := h.body(s, "inhibitors", func() (*data.Body, error) {
		by := map[string]*inhibitorCategoryJSON{}
		var order []string
		var cited [][]string
		for _, x := range s.Inhibitors {
			cat := by[x.Category]
			if cat == nil {
				cat = &inhibitorCategoryJSON{Category: x.Category, Regions: []string{}}
				by[x.Category] = cat
				order = append(order, x.Category)
			}
			cat.Count++
			cat.Findings = append(cat.Findings, toInhibitorJSON(x))
			for _, rc := range x.RegionCodes {
				if !contains(cat.Regions, rc) {
					cat.Regions = append(cat.Regions, rc)
				}
			}
			cited = append(cited, x.SourceIDs)
		}
		resp := inhibitorsResponse{Meta: metaOf(s), Categories: []inhibitorCategoryJSON{}, Sources: resolveSources(s, cited...),
			Note: "Factors as cited by officials and the press; a region without a recorded factor is not known to have none."}
		sort.SliceStable(order, func(i, j int) bool { return by[order[i]].Count > by[order[j]].Count })
		for _, k := range order {
			sort.Strings(by[k].Regions)
			resp.Categories = append(resp.Categories, *by[k])
		}
		return jsonBody(resp)
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
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
	s := h.src.Snapshot()
	b, err := h.body(s, "sources", func() (*data.Body, error) {
		ids := make([]string, 0, len(s.Sources))
		for id := range s.Sources {
			ids = append(ids, id)
		}
		resp := sourcesResponse{Meta: metaOf(s), Sources: resolveSources(s, ids), Datasets: []datasetJSON{}}
		for _, d := range s.Datasets {
			resp.Datasets = append(resp.Datasets, datasetJSON{d.Path, d.Title, d.Publisher, d.Licence, d.Attribution, d.Upstream, d.AsOf, d.SHA256})
		}
		return jsonBody(resp)
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
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
	s := h.src.Snapshot()
	id := c.Params("id")
	if !sourceIDRE.MatchString(id) {
		return badParam("id", id, "a source id such as S12")
	}
	if _, ok := s.Sources[id]; !ok {
		return problem(fiber.StatusNotFound, "not found", fmt.Sprintf("no source with id %q", id))
	}
	b, err := h.body(s, "source:"+id, func() (*data.Body, error) {
		resp := sourceResponse{Meta: metaOf(s), Source: resolveSources(s, []string{id})[0]}
		cb := &resp.CitedBy
		cb.Regions, cb.Sites, cb.NationalCounts, cb.Targets = []string{}, []string{}, []string{}, []string{}
		for _, r := range s.Regions {
			if contains(r.SourceIDs, id) {
				cb.Regions = append(cb.Regions, r.Code)
			}
		}
		for _, x := range s.Sites {
			if contains(x.SourceIDs, id) {
				cb.Sites = append(cb.Sites, x.Name)
			}
		}
		for _, n := range s.NationalCounts {
			if contains(n.SourceIDs, id) {
				cb.NationalCounts = append(cb.NationalCounts, n.AsOf.String())
			}
		}
		for _, t := range s.Targets {
			if contains(t.SourceIDs, id) {
				cb.Targets = append(cb.Targets, t.ID)
			}
		}
		for _, x := range s.Inhibitors {
			if contains(x.SourceIDs, id) {
				cb.Inhibitors++
			}
		}
		return jsonBody(resp)
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

// ---- exports ----

const attribution = "mppmap open data. " + licenceNote

// exportIndicators are the CSV's indicator columns: every indicator at its latest period.
func exportIndicators(s *data.Snapshot, d *derived) []string {
	ids := make([]string, 0, len(s.Indicators))
	for _, def := range s.Indicators {
		if _, ok := d.peers.LatestPeriod(def.ID); ok {
			ids = append(ids, def.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func (h *Handler) exportCSV(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	s := h.src.Snapshot()
	b, err := h.body(s, "export.csv", func() (*data.Body, error) {
		d := h.derivedOf(s)
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		w := csv.NewWriter(&buf)
		inds := exportIndicators(s, d)
		head := []string{"code", "name", "province_code", "province_name", "kind", "status", "status_as_of", "status_as_of_precision",
			"first_known", "first_known_precision", "mpp_inaugurated", "mpp_inaugurated_precision", "evidence", "source_ids", "fiscal_group"}
		for _, id := range inds {
			head = append(head, id+"_"+d.period(id))
		}
		head = append(head, "data_as_of", "attribution")
		_ = w.Write(head)
		for _, r := range s.Regions {
			site := d.siteDates[r.Code]
			row := []string{r.Code, r.Name, r.ProvinceCode, r.ProvinceName, r.Kind, string(r.Status), r.StatusAsOf.String(), string(r.StatusAsOf.Precision),
				r.FirstKnown.String(), string(r.FirstKnown.Precision), site.String(), string(site.Precision), r.Evidence,
				strings.Join(r.SourceIDs, ";"), d.peers.Fiscal.Of(r.Code)}
			for _, id := range inds {
				if v, ok := s.Value(r.Code, id, d.period(id)); ok {
					row = append(row, strconv.FormatFloat(v, 'f', -1, 64))
				} else {
					row = append(row, "") // no data, never 0
				}
			}
			row = append(row, day(s.DataAsOf), attribution)
			_ = w.Write(row)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, err
		}
		return data.NewBody("text/csv; charset=utf-8", buf.Bytes())
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

func (h *Handler) exportCollection(s *data.Snapshot, geoms map[string][]byte) ([]byte, error) {
	d := h.derivedOf(s)
	extra := map[string]any{"attribution": attribution, "data_as_of": day(s.DataAsOf), "licence": licenceNote}
	return data.FeatureCollection(s, geoms, "", extra, func(r data.Region) any {
		site := d.siteDates[r.Code]
		p := exportProp{regionJSON: toRegionJSON(r, d), MPPInaugurated: dateOrNil(site), MPPPrecision: precisionOrNil(site),
			Indicators: map[string]*float64{}}
		for _, id := range exportIndicators(s, d) {
			if v, ok := s.Value(r.Code, id, d.period(id)); ok {
				p.Indicators[id+"_"+d.period(id)] = ptr(v)
			} else {
				p.Indicators[id+"_"+d.period(id)] = nil
			}
		}
		return p
	})
}

func (h *Handler) exportGeoJSON(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	s := h.src.Snapshot()
	geoms := s.Geometry[data.LevelFull]
	if len(geoms) == 0 {
		return problem(fiber.StatusServiceUnavailable, "layer not loaded", "the full layer is not in the read model")
	}
	b, err := h.body(s, "export.geojson", func() (*data.Body, error) {
		fc, err := h.exportCollection(s, geoms)
		if err != nil {
			return nil, err
		}
		return data.NewBody("application/geo+json", fc)
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mppmap-regions.geojson"`)
	return serveBody(c, b)
}
