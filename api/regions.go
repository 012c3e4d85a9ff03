package api

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/peers"
	"mppmap/progress"
	"mppmap/respond"
)

// ---- provinces ----

type provinceJSON struct {
	Code           string              `json:"code"`
	Name           string              `json:"name"`
	KabupatenCount int                 `json:"kabupaten_count"`
	KotaCount      int                 `json:"kota_count"`
	Regions        int                 `json:"regions"`
	Counts         map[data.Status]int `json:"counts"`
	Shares         []progress.Share    `json:"shares"`
	Rank           int                 `json:"rank"` // by share with an MPP over all its kab/kota, 1 = highest; ties share a rank
}

type provincesResponse struct {
	Meta      meta           `json:"meta"`
	National  provinceJSON   `json:"national"`
	Provinces []provinceJSON `json:"provinces"`
	Method    string         `json:"method"`
}

func toProvinceJSON(p *figures.Province) provinceJSON {
	return provinceJSON{Code: p.Code, Name: p.Name, KabupatenCount: p.KabupatenCount, KotaCount: p.KotaCount,
		Regions: len(p.Regions), Counts: p.Counts, Shares: p.Shares[:], Rank: p.Rank}
}

// sharesMethod describes the two denominators with the data's own unit counts.
func (h *Handler) sharesMethod(m *figures.Model) string {
	return h.en.T("progress.method.shares", "All", m.National.Shares[0].Units, "Autonomous", m.National.Progress.Autonomous)
}

func (h *Handler) provinces(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	return serveJSON(c, m, "provinces", func() any {
		out := make([]provinceJSON, 0, len(m.Provinces))
		for _, p := range m.Provinces {
			out = append(out, toProvinceJSON(p))
		}
		return provincesResponse{Meta: h.metaOf(m), National: toProvinceJSON(m.National), Provinces: out, Method: h.sharesMethod(m)}
	})
}

type provinceResponse struct {
	Meta     meta         `json:"meta"`
	Province provinceJSON `json:"province"`
	Regions  []regionJSON `json:"regions"`
	Method   string       `json:"method"`
}

func (h *Handler) province(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	p, err := parseProvince(m, "code", c.Params("code"))
	if err != nil {
		return err
	}
	return serveJSON(c, m, "province:"+p.Code, func() any {
		regs := make([]regionJSON, 0, len(p.Regions))
		for _, r := range p.Regions {
			regs = append(regs, toRegionJSON(r))
		}
		return provinceResponse{Meta: h.metaOf(m), Province: toProvinceJSON(p), Regions: regs, Method: h.sharesMethod(m)}
	})
}

// parseProvince validates a province code: malformed → 400 naming the parameter, unknown → 404.
func parseProvince(m *figures.Model, param, v string) (*figures.Province, error) {
	if !provinceCodeRE.MatchString(v) {
		return nil, badParam(param, v, "a two-digit Kemendagri province code such as 32")
	}
	p, ok := m.Province(v)
	if !ok {
		return nil, notFound("province", v)
	}
	return p, nil
}

func parseRegion(m *figures.Model, param, v string) (*figures.Region, error) {
	if !regionCodeRE.MatchString(v) {
		return nil, badParam(param, v, "a Kemendagri kab/kota code such as 32.73")
	}
	r, ok := m.Region(v)
	if !ok {
		return nil, notFound("kab/kota", v)
	}
	return r, nil
}

// checkParams rejects query parameters the endpoint does not know, naming them.
func checkParams(c *fiber.Ctx, allowed ...string) error {
	var bad error
	c.Context().QueryArgs().VisitAll(func(k, _ []byte) {
		if bad != nil {
			return
		}
		for _, a := range allowed {
			if string(k) == a {
				return
			}
		}
		what := "no query parameters"
		if len(allowed) > 0 {
			what = strings.Join(allowed, ", ")
		}
		name := string(k)
		label := fmt.Sprintf("parameter %q", name)
		if name == "" {
			label = `an argument without a name ("=…")` // named "" all the same: see Problem.Parameter
		}
		p := problem(fiber.StatusBadRequest, "unknown query parameter", fmt.Sprintf("%s is not known here; allowed: %s", label, what))
		p.Parameter = &name
		bad = p
	})
	return bad
}

// ---- regions ----

type regionsResponse struct {
	Meta    meta         `json:"meta"`
	Filters regionFilter `json:"filters"`
	Count   int          `json:"count"`
	Regions []regionJSON `json:"regions"`
}

type regionFilter struct {
	Province string `json:"province,omitempty"`
	Status   string `json:"status,omitempty"`
	Kind     string `json:"kind,omitempty"`
}

func (h *Handler) regions(c *fiber.Ctx) error {
	if err := checkParams(c, "province", "status", "kind"); err != nil {
		return err
	}
	m := h.src.Model()
	f := regionFilter{}
	if c.Context().QueryArgs().Has("province") {
		p, err := parseProvince(m, "province", c.Query("province"))
		if err != nil {
			return err
		}
		f.Province = p.Code
	}
	if c.Context().QueryArgs().Has("status") {
		v := c.Query("status")
		if !data.Status(v).Valid() {
			return badParam("status", v, statusList())
		}
		f.Status = utils.CopyString(v)
	}
	if c.Context().QueryArgs().Has("kind") {
		v := c.Query("kind")
		if v != "kabupaten" && v != "kota" {
			return badParam("kind", v, "kabupaten or kota")
		}
		f.Kind = utils.CopyString(v)
	}
	// The filters are validated, so the key space is small (provinces × statuses × kinds).
	return serveJSON(c, m, "regions:"+f.Province+":"+f.Status+":"+f.Kind, func() any {
		out := []regionJSON{}
		for _, r := range m.Regions {
			if (f.Province == "" || r.ProvinceCode == f.Province) && (f.Status == "" || string(r.Status) == f.Status) && (f.Kind == "" || r.Kind == f.Kind) {
				out = append(out, toRegionJSON(r))
			}
		}
		return regionsResponse{Meta: h.metaOf(m), Filters: f, Count: len(out), Regions: out}
	})
}

// statusList names the four statuses for an error message, from the one Status type.
func statusList() string {
	names := make([]string, len(data.Statuses))
	for i, s := range data.Statuses {
		names[i] = string(s)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// ---- region profile ----

type historyJSON struct {
	RecordedAt string      `json:"recorded_at"` // when the ledger recorded the change, not when it happened
	Old        *string     `json:"old_status"`
	New        data.Status `json:"new_status"`
	AsOf       *string     `json:"as_of"` // the source's date for the new status
	Evidence   string      `json:"evidence"`
	SourceIDs  []string    `json:"source_ids"`
	Note       string      `json:"note"`
	ChangedBy  string      `json:"changed_by"`
}

type siteJSON struct {
	Name           string   `json:"name"`
	ProvinceCode   string   `json:"province_code"`
	RegionCode     *string  `json:"region_code"` // null: a province-level MPP (DKI Jakarta)
	Inaugurated    *string  `json:"inaugurated"` // with its precision; null when no date is known
	Precision      *string  `json:"precision"`   // day | month | year | before
	ServesProvince bool     `json:"serves_province"`
	EventID        string   `json:"event_id"`
	Evidence       string   `json:"evidence"`
	SourceIDs      []string `json:"source_ids"`
	Note           string   `json:"note"`
}

func toSiteJSON(x data.Site) siteJSON {
	sj := siteJSON{Name: x.Name, ProvinceCode: x.ProvinceCode, Inaugurated: dateOrNil(x.Inaugurated),
		Precision: precisionOrNil(x.Inaugurated), ServesProvince: x.RegionCode == "", EventID: x.EventID,
		Evidence: x.Evidence, SourceIDs: nonNil(x.SourceIDs), Note: x.Note}
	if x.RegionCode != "" {
		rc := x.RegionCode
		sj.RegionCode = &rc
	}
	return sj
}

type indicatorJSON struct {
	ID      string  `json:"id"`
	LabelID string  `json:"label_id"`
	LabelEN string  `json:"label_en"`
	Unit    string  `json:"unit"`
	Period  string  `json:"period"`
	Value   float64 `json:"value"`
	Dataset string  `json:"dataset"`
}

type inhibitorJSON struct {
	Category      string   `json:"category"`
	Finding       string   `json:"finding"`
	Area          string   `json:"area"`
	Scope         string   `json:"scope"` // region | province | national | unresolved
	RegionCodes   []string `json:"region_codes"`
	ProvinceCodes []string `json:"province_codes"`
	Date          string   `json:"date"` // as published
	SourceIDs     []string `json:"source_ids"`
}

func toInhibitorJSON(x data.Inhibitor) inhibitorJSON {
	return inhibitorJSON{x.Category, x.Finding, x.Area, x.Scope, nonNil(x.RegionCodes), nonNil(x.ProvinceCodes), x.DateText, nonNil(x.SourceIDs)}
}

// fiscalCapacityJSON is a region's Finance Ministry fiscal capacity for one PMK period.
type fiscalCapacityJSON struct {
	Ratio      *float64 `json:"ratio"`
	Category   *string  `json:"category"`
	Regulation string   `json:"regulation"`
	SourceIDs  []string `json:"source_ids"`
	Note       string   `json:"note,omitempty"`
}

type positionJSON struct {
	Factor     string   `json:"factor"`
	Group      string   `json:"group"`
	GroupLabel string   `json:"group_label"`
	Value      *float64 `json:"value"`           // the value it rests on; null for no data or a grouping factor
	Median     *float64 `json:"national_median"` // null for a grouping factor
}

type similarJSON struct {
	Code           string     `json:"code"`
	Name           string     `json:"name"`
	ProvinceName   string     `json:"province_name"`
	Distance       float64    `json:"distance"`
	Shared         int        `json:"shared_variables"`
	MPPInaugurated *string    `json:"mpp_inaugurated"`
	Costs          []costJSON `json:"costs"`
}

type costJSON struct {
	Region     string       `json:"region"`
	RegionCode *string      `json:"region_code"`
	Amount     string       `json:"amount"` // as published
	What       string       `json:"what"`
	Year       string       `json:"year"`
	Sources    []sourceJSON `json:"sources"`
	Address    string       `json:"address,omitempty"` // when the file gives an address, not a source id
}

func toCostJSON(m *figures.Model, c data.Cost) costJSON {
	cj := costJSON{Region: c.RegionName, Amount: c.Amount, What: c.What, Year: c.YearText, Sources: resolveSources(m, c.SourceIDs), Address: c.Address}
	if c.RegionCode != "" {
		cj.RegionCode = ptr(c.RegionCode)
	}
	return cj
}

type neighbourJSON struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Status     data.Status `json:"status"`
	Relation   string      `json:"relation"` // border | nearest
	BorderKm   *float64    `json:"border_km"`
	DistanceKm *float64    `json:"distance_km"`
}

type peerGroupJSON struct {
	Group        string                 `json:"group"` // neighbours | province | kind | fiscal
	Label        string                 `json:"label"`
	N            int                    `json:"n"`
	WithMPP      int                    `json:"with_mpp"`
	InProgress   int                    `json:"in_progress"`
	Unknown      int                    `json:"unknown"`
	WithMPPPct   *float64               `json:"with_mpp_pct"` // with_mpp of n in percent; null when n is 0
	TextID       string                 `json:"text_id"`
	TextEN       string                 `json:"text_en"`
	Medians      map[string]*float64    `json:"medians"`
	Ranks        map[string]*peers.Rank `json:"ranks"`
	WithMPPCodes []string               `json:"with_mpp_codes"` // peers that did it, to learn from
}

type profileResponse struct {
	Meta              meta              `json:"meta"`
	Region            regionJSON        `json:"region"`
	AreaKm2           *float64          `json:"area_km2"` // of the cleaned boundary; null when not computed
	Note              string            `json:"note"`
	Sources           []sourceJSON      `json:"sources"`
	History           []historyJSON     `json:"history"`
	Sites             []siteJSON        `json:"sites"`
	Indicators        []indicatorJSON   `json:"indicators"`
	Inhibitors        []inhibitorJSON   `json:"inhibitors"`
	Neighbours        []neighbourJSON   `json:"neighbours"`
	PeerIndicators    map[string]string `json:"peer_indicators"` // indicator → period compared
	PeerGroups        []peerGroupJSON   `json:"peer_groups"`
	LearnFrom         []string          `json:"learn_from"` // peers with an MPP: neighbours first, then the province
	Summary           map[string]string `json:"summary"`
	FiscalGroupMethod string            `json:"fiscal_group_method"`
	// FiscalCapacity is the Finance Ministry's ratio and category per PMK period (null where
	// the region has none: the table covers 175 eastern kab/kota).
	FiscalCapacity     map[string]*fiscalCapacityJSON `json:"fiscal_capacity"`
	Factors            []positionJSON                 `json:"factors"`
	Similar            []similarJSON                  `json:"similar"`
	Costs              []costJSON                     `json:"costs"`
	Digital            []digitalModelJSON             `json:"digital"`
	ProvinceInhibitors []inhibitorJSON                `json:"province_inhibitors"`
}

func (h *Handler) region(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	m := h.src.Model()
	r, err := parseRegion(m, "code", c.Params("code"))
	if err != nil {
		return err
	}
	b, err := h.profileBody(m, r)
	if err != nil {
		return err
	}
	return respond.Serve(c, b, respond.CacheData)
}

func (h *Handler) profile(m *figures.Model, r *figures.Region) profileResponse {
	p := profileResponse{Meta: h.metaOf(m), Region: toRegionJSON(r), AreaKm2: r.AreaKm2, Note: r.Note,
		Sources: resolveSources(m, r.CitedSourceIDs), History: []historyJSON{}, Sites: []siteJSON{},
		Indicators: []indicatorJSON{}, Inhibitors: []inhibitorJSON{}, Neighbours: []neighbourJSON{},
		PeerIndicators: r.Peers.Periods, PeerGroups: []peerGroupJSON{}, LearnFrom: []string{},
		FiscalGroupMethod: h.en.T("fiscal.method")}
	for _, hc := range r.History {
		hj := historyJSON{RecordedAt: hc.ChangedAt.Format("2006-01-02T15:04:05Z07:00"), New: hc.New, AsOf: dateOrNil(hc.AsOf),
			Evidence: hc.Evidence, SourceIDs: nonNil(hc.SourceIDs), Note: hc.Note, ChangedBy: hc.ChangedBy}
		if hc.Old != "" {
			hj.Old = ptr(string(hc.Old))
		}
		p.History = append(p.History, hj)
	}
	for _, x := range r.Sites {
		p.Sites = append(p.Sites, toSiteJSON(x))
	}
	for _, v := range r.Indicators {
		p.Indicators = append(p.Indicators, indicatorJSON{ID: v.Def.ID, LabelID: v.Def.LabelID, LabelEN: v.Def.LabelEN,
			Unit: v.Def.Unit, Period: v.Period, Value: v.Value, Dataset: v.Def.Dataset})
	}
	for _, x := range r.Inhibitors {
		p.Inhibitors = append(p.Inhibitors, toInhibitorJSON(x))
	}
	for _, n := range r.Neighbours {
		p.Neighbours = append(p.Neighbours, neighbourJSON{Code: n.Code, Name: n.Name, Status: n.Status, Relation: n.Relation,
			BorderKm: n.BorderKm, DistanceKm: n.DistanceKm})
	}
	for _, g := range r.Peers.Groups {
		p.PeerGroups = append(p.PeerGroups, peerGroupJSON{Group: g.Key, Label: h.en.Msg(g.Label), N: g.N, WithMPP: g.WithMPP,
			InProgress: g.InProgress, Unknown: g.Unknown, WithMPPPct: g.WithMPPPct, TextID: h.id.Msg(g.Text), TextEN: h.en.Msg(g.Text), Medians: g.Medians,
			Ranks: g.Ranks, WithMPPCodes: g.WithMPPCodes})
	}
	for _, o := range r.LearnFrom {
		p.LearnFrom = append(p.LearnFrom, o.Code)
	}
	p.Summary = map[string]string{"id": h.id.Msg(r.Peers.Summary), "en": h.en.Msg(r.Peers.Summary)}
	p.FiscalCapacity = map[string]*fiscalCapacityJSON{}
	for _, per := range m.Snap.FiscalPeriods {
		p.FiscalCapacity[per.ID] = nil
		for _, v := range r.Fiscal {
			if v.Period == per.ID {
				fc := &fiscalCapacityJSON{Ratio: v.Ratio, Regulation: per.Regulation, SourceIDs: nonNil(v.SourceIDs), Note: v.Note}
				if v.Category != "" {
					fc.Category = ptr(string(v.Category))
				}
				p.FiscalCapacity[per.ID] = fc
			}
		}
	}
	p.Factors, p.Similar, p.Costs, p.Digital, p.ProvinceInhibitors = []positionJSON{}, []similarJSON{}, []costJSON{}, []digitalModelJSON{}, []inhibitorJSON{}
	for _, pos := range r.Positions {
		pj := positionJSON{Factor: pos.Factor.ID, Value: pos.Value, Median: pos.Median}
		if pos.Group != nil {
			pj.Group, pj.GroupLabel = pos.Group.Key, h.en.Msg(pos.Group.Label)
		}
		p.Factors = append(p.Factors, pj)
	}
	for _, sim := range r.Similar {
		sj := similarJSON{Code: sim.Code, Name: sim.Name, ProvinceName: sim.ProvinceName, Distance: sim.Distance, Shared: sim.Shared, Costs: []costJSON{}}
		if sim.HasSiteDate {
			sj.MPPInaugurated = dateOrNil(sim.SiteDate)
		}
		for _, c := range sim.Costs {
			sj.Costs = append(sj.Costs, toCostJSON(m, c))
		}
		p.Similar = append(p.Similar, sj)
	}
	for _, c := range r.Costs {
		p.Costs = append(p.Costs, toCostJSON(m, c))
	}
	for _, d := range r.Digital {
		p.Digital = append(p.Digital, digitalModelJSON{Model: d.Model, AsOf: dateOrNil(d.AsOf), Note: d.Note, Sources: resolveSources(m, d.SourceIDs), SourceIDs: nonNil(d.SourceIDs)})
	}
	for _, x := range r.ProvinceInhibitors {
		p.ProvinceInhibitors = append(p.ProvinceInhibitors, toInhibitorJSON(x))
	}
	return p
}

// serveBody is respond.Serve with the API's cache policy.
func serveBody(c *fiber.Ctx, b *respond.Body) error { return respond.Serve(c, b, respond.CacheData) }
