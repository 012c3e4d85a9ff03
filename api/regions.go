package api

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/peers"
	"mppmap/respond"
)

// ---- provinces ----

type provinceJSON struct {
	Code           string              `json:"code" vocab:"province_code_or_empty" description:"Kemendagri province code; empty for the country (national)."`
	Name           string              `json:"name"`
	KabupatenCount int                 `json:"kabupaten_count" description:"Number of kabupaten (regencies) by Kemendagri's code list."`
	KotaCount      int                 `json:"kota_count" description:"Number of kota (cities) by Kemendagri's code list."`
	Regions        int                 `json:"regions" description:"Number of kab/kota in the data."`
	Counts         map[data.Status]int `json:"counts" description:"Number of kab/kota per status, every status present (0 included). unknown is counted apart, never as no."`
	Shares         []shareJSON         `json:"shares" description:"Share with an MPP over each denominator: bskdn first, then kemenpanrb."`
	Rank           int                 `json:"rank" description:"Rank by share of kab/kota with an MPP (bskdn, exact fractions), 1 = highest; equal shares share a rank; 0 for the country."`
}

type provincesResponse struct {
	Meta      meta           `json:"meta"`
	National  provinceJSON   `json:"national" description:"The country as a whole (code empty, rank 0)."`
	Provinces []provinceJSON `json:"provinces" description:"Every province, in code order."`
	Method    string         `json:"method" description:"How the shares are computed: the two denominators with their unit counts."`
}

func toProvinceJSON(p *figures.Province) provinceJSON {
	return provinceJSON{Code: p.Code, Name: p.Name, KabupatenCount: p.KabupatenCount, KotaCount: p.KotaCount,
		Regions: len(p.Regions), Counts: p.Counts, Shares: toShares(p.Shares[:]), Rank: p.Rank}
}

// sharesMethod describes the two denominators with the data's own unit counts.
func (h *Handler) sharesMethod(m *figures.Model) string {
	return h.en.T("progress.method.shares", "All", m.National.Shares[0].Units, "Autonomous", m.National.Progress.Autonomous)
}

func (h *Handler) provinces(c *fiber.Ctx) error {
	m := h.src.Model()
	return h.serveJSON(c, m, "provinces", func() any {
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
	Regions  []regionJSON `json:"regions" description:"Its kab/kota, in code order."`
	Method   string       `json:"method" description:"How the shares are computed: the two denominators with their unit counts."`
}

func (h *Handler) province(c *fiber.Ctx) error {
	m := h.src.Model()
	p, err := parseProvince(m, "code", c.Params("code"))
	if err != nil {
		return err
	}
	return h.serveJSON(c, m, "province:"+p.Code, func() any {
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

// checkParams rejects query parameters the endpoint does not know, naming them (onlyParams runs
// it with the names an operation declares).
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
	Filters regionFilter `json:"filters" description:"The filters applied, as given; absent members filter nothing."`
	Count   int          `json:"count" description:"Number of kab/kota listed."`
	Regions []regionJSON `json:"regions" description:"The kab/kota that pass every filter, in code order."`
}

type regionFilter struct {
	Province string `json:"province,omitempty" vocab:"province_code"`
	Status   string `json:"status,omitempty" vocab:"status"`
	Kind     string `json:"kind,omitempty" vocab:"kind"`
}

func (h *Handler) regions(c *fiber.Ctx) error {
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
		if !slices.Contains(regionKinds(), v) {
			return badParam("kind", v, strings.Join(regionKinds(), " or "))
		}
		f.Kind = utils.CopyString(v)
	}
	// The filters are validated, so the key space is small (provinces × statuses × kinds).
	return h.serveJSON(c, m, "regions:"+f.Province+":"+f.Status+":"+f.Kind, func() any {
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
	RecordedAt string      `json:"recorded_at" vocab:"timestamp" description:"When the ledger recorded the change (RFC 3339), not when it happened: see as_of."`
	Old        *string     `json:"old_status" vocab:"status" description:"Status before; null for the first record of the region."`
	New        data.Status `json:"new_status"`
	AsOf       *string     `json:"as_of" vocab:"pdate" description:"The source's date for the new status, at its precision; null when the source gives none."`
	Evidence   string      `json:"evidence" description:"How the new status is established (confirmation level)."`
	SourceIDs  []string    `json:"source_ids" vocab:"source_id"`
	Note       string      `json:"note"`
	ChangedBy  string      `json:"changed_by" description:"Who recorded it: import:<n> for the n-th import, or a steward's account."`
}

type siteJSON struct {
	Name           string   `json:"name" description:"The MPP's name as published."`
	ProvinceCode   string   `json:"province_code" vocab:"province_code"`
	RegionCode     *string  `json:"region_code" vocab:"region_code" description:"The kab/kota it serves; null for a province-level MPP (DKI Jakarta's)."`
	Inaugurated    *string  `json:"inaugurated" vocab:"pdate" description:"Inauguration date at its source's precision; null when no date is known (planned, or undated)."`
	Precision      *string  `json:"precision" vocab:"precision" description:"Precision of inaugurated: day, month, year, or before (it existed by that date); null without a date."`
	ServesProvince bool     `json:"serves_province" description:"true for a province-level MPP serving every kab/kota of its province."`
	EventID        string   `json:"event_id" description:"Id of the inauguration event when several sites opened together; empty otherwise."`
	Evidence       string   `json:"evidence"`
	SourceIDs      []string `json:"source_ids" vocab:"source_id"`
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
	ID      string  `json:"id" description:"Indicator id (column of the reference data)."`
	LabelID string  `json:"label_id" description:"Label in Indonesian."`
	LabelEN string  `json:"label_en" description:"Label in English."`
	Unit    string  `json:"unit" description:"Unit of value: %, index, people, km², rupiah …"`
	Period  string  `json:"period" description:"Period the value is for, as the dataset names it (usually a year)."`
	Value   float64 `json:"value" description:"The value, in unit. An indicator without data for the region is absent from the list, never 0."`
	Dataset string  `json:"dataset" description:"Reference-data file it comes from (see /sources datasets)."`
}

type inhibitorJSON struct {
	Category      string   `json:"category" description:"Category of the inhibiting factor (e.g. budget / fiscal capacity)."`
	Finding       string   `json:"finding" description:"What the source says, as published."`
	Area          string   `json:"area" description:"The area the source names, as published."`
	Scope         string   `json:"scope" vocab:"inhibitor_scope" description:"What the area resolves to: kab/kota (region_codes), provinces (province_codes), the country, or unresolved."`
	RegionCodes   []string `json:"region_codes" vocab:"region_code"`
	ProvinceCodes []string `json:"province_codes" vocab:"province_code"`
	Date          string   `json:"date" description:"Date as published (any precision, may be empty)."`
	SourceIDs     []string `json:"source_ids" vocab:"source_id"`
}

func toInhibitorJSON(x data.Inhibitor) inhibitorJSON {
	return inhibitorJSON{x.Category, x.Finding, x.Area, x.Scope, nonNil(x.RegionCodes), nonNil(x.ProvinceCodes), x.DateText, nonNil(x.SourceIDs)}
}

// fiscalCapacityJSON is a region's Finance Ministry fiscal capacity for one PMK period.
type fiscalCapacityJSON struct {
	Ratio      *float64 `json:"ratio" description:"Fiscal-capacity ratio as the regulation gives it (no unit; the two periods are on different scales); null when not given."`
	Category   *string  `json:"category" vocab:"fiscal_category" description:"The regulation's category; null when not given (no data, never low)."`
	Regulation string   `json:"regulation" description:"The Finance Ministry regulation (PMK) of this period."`
	SourceIDs  []string `json:"source_ids" vocab:"source_id"`
	Note       string   `json:"note,omitempty"`
}

type positionJSON struct {
	Factor     string   `json:"factor" description:"Factor id (as in /factors)."`
	Group      string   `json:"group" description:"The factor's group the region falls in (a key of that factor's groups); empty without data."`
	GroupLabel string   `json:"group_label"`
	Value      *float64 `json:"value" description:"The value it rests on, in the factor's unit; null for no data or a grouping factor."`
	Median     *float64 `json:"national_median" description:"National median of that value, same unit; null for a grouping factor."`
}

type similarJSON struct {
	Code           string     `json:"code" vocab:"region_code"`
	Name           string     `json:"name"`
	ProvinceName   string     `json:"province_name"`
	Distance       float64    `json:"distance" description:"Distance over the standardised variables they share (no unit; smaller is more similar)."`
	Shared         int        `json:"shared_variables" description:"Number of variables both have data for."`
	MPPInaugurated *string    `json:"mpp_inaugurated" vocab:"pdate" description:"When its MPP opened, at its source's precision; null without a dated site."`
	Costs          []costJSON `json:"costs" description:"Its reported MPP costs."`
}

type costJSON struct {
	Region     string       `json:"region" description:"The region as the source names it."`
	RegionCode *string      `json:"region_code" vocab:"region_code" description:"Its kab/kota; null when the name does not resolve to one."`
	Amount     string       `json:"amount" description:"The cost as published (currency and unit in the text, e.g. Rp19 bn); not converted."`
	What       string       `json:"what" description:"What the amount pays for, as published."`
	Year       string       `json:"year" description:"Year as published."`
	Sources    []sourceJSON `json:"sources"`
	Address    string       `json:"address,omitempty" description:"A web address the file gives instead of a source id."`
}

func toCostJSON(m *figures.Model, c data.Cost) costJSON {
	cj := costJSON{Region: c.RegionName, Amount: c.Amount, What: c.What, Year: c.YearText, Sources: resolveSources(m, c.SourceIDs), Address: c.Address}
	if c.RegionCode != "" {
		cj.RegionCode = ptr(c.RegionCode)
	}
	return cj
}

type neighbourJSON struct {
	Code       string      `json:"code" vocab:"region_code"`
	Name       string      `json:"name"`
	Status     data.Status `json:"status"`
	Relation   string      `json:"relation" vocab:"relation" description:"border: shares a land border; nearest: one of the nearest regions, for a region without land neighbours."`
	BorderKm   *float64    `json:"border_km" description:"Length of the shared border in km; null for nearest."`
	DistanceKm *float64    `json:"distance_km" description:"Distance between the boundaries in km; null for border."`
}

type peerGroupJSON struct {
	Group        string               `json:"group" vocab:"peer_group" description:"neighbours (land neighbours, or the nearest for an island), province, kind (kabupaten or kota), fiscal (same fiscal group)."`
	Label        string               `json:"label"`
	N            int                  `json:"n" description:"Number of peers (the region itself not included)."`
	WithMPP      int                  `json:"with_mpp" description:"Number of peers with an MPP."`
	InProgress   int                  `json:"in_progress" description:"Number of peers with an MPP in preparation."`
	Unknown      int                  `json:"unknown" description:"Number of peers whose status is unknown (no source yet)."`
	WithMPPPct   *float64             `json:"with_mpp_pct" description:"with_mpp of n in percent; null when n is 0."`
	TextID       string               `json:"text_id" description:"The comparison in a sentence, Indonesian."`
	TextEN       string               `json:"text_en" description:"The comparison in a sentence, English."`
	Medians      map[string]*float64  `json:"medians" keys:"peer_indicator" description:"Median of each peer indicator over the peers with a value, in the indicator's unit; null when none has one."`
	Ranks        map[string]*rankJSON `json:"ranks" keys:"peer_indicator" description:"The region's rank on each peer indicator among the peers and itself; null when it has no value."`
	WithMPPCodes []string             `json:"with_mpp_codes" vocab:"region_code" description:"Peers with an MPP, to learn from."`
}

// rankJSON is a rank among peers (peers.Rank).
type rankJSON struct {
	Position int `json:"position" description:"1 = highest value."`
	Of       int `json:"of" description:"Number of regions ranked (the peers with a value and the region)."`
}

func toRanks(in map[string]*peers.Rank) map[string]*rankJSON {
	out := make(map[string]*rankJSON, len(in))
	for k, r := range in {
		if r == nil {
			out[k] = nil
			continue
		}
		out[k] = &rankJSON{Position: r.Position, Of: r.Of}
	}
	return out
}

type profileResponse struct {
	Meta              meta              `json:"meta"`
	Region            regionJSON        `json:"region"`
	AreaKm2           *float64          `json:"area_km2" description:"Area of the cleaned boundary in km² (on the geography); null when not computed."`
	Note              string            `json:"note" description:"Note of the status compilers, as written."`
	Sources           []sourceJSON      `json:"sources" description:"Every source the profile cites, resolved."`
	History           []historyJSON     `json:"history" description:"Recorded status changes, oldest first."`
	Sites             []siteJSON        `json:"sites" description:"The MPPs serving it: its own, and for DKI Jakarta's units the provincial MPP."`
	Indicators        []indicatorJSON   `json:"indicators" description:"Every indicator value the data has for it (none invented)."`
	Inhibitors        []inhibitorJSON   `json:"inhibitors" description:"Inhibiting factors cited for it. None recorded is not known to be none."`
	Neighbours        []neighbourJSON   `json:"neighbours" description:"Land neighbours, longest shared border first; or the nearest regions for an island."`
	PeerIndicators    map[string]string `json:"peer_indicators" keys:"peer_indicator" description:"Indicator → the period compared in the peer groups."`
	PeerGroups        []peerGroupJSON   `json:"peer_groups" description:"The region against four peer groups, in the order neighbours, province, kind, fiscal."`
	LearnFrom         []string          `json:"learn_from" vocab:"region_code" description:"Peers with an MPP: neighbours first, then the province."`
	Summary           map[string]string `json:"summary" keys:"language" description:"The summary sentence in Indonesian (id) and English (en)."`
	FiscalGroupMethod string            `json:"fiscal_group_method" description:"How fiscal_group is computed."`
	// FiscalCapacity is the Finance Ministry's ratio and category per PMK period (null where
	// the region has none: the table covers 175 eastern kab/kota).
	FiscalCapacity     map[string]*fiscalCapacityJSON `json:"fiscal_capacity" description:"Finance Ministry fiscal capacity per PMK period id; null for a period without data for the region (the compilation covers 175 eastern kab/kota), never low."`
	Factors            []positionJSON                 `json:"factors" description:"Where the region stands on each structural factor of /factors."`
	Similar            []similarJSON                  `json:"similar" description:"Most similar kab/kota with an MPP, closest first."`
	Costs              []costJSON                     `json:"costs" description:"Its reported MPP costs, as published."`
	Digital            []digitalModelJSON             `json:"digital" description:"Digital MPP models recorded for it. None recorded is not known to be none."`
	ProvinceInhibitors []inhibitorJSON                `json:"province_inhibitors" description:"Inhibiting factors cited for its whole province."`
}

func (h *Handler) region(c *fiber.Ctx) error {
	m := h.src.Model()
	r, err := parseRegion(m, "code", c.Params("code"))
	if err != nil {
		return err
	}
	b, err := h.profileBody(m, r)
	if err != nil {
		return err
	}
	return serveBody(c, b)
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
			Ranks: toRanks(g.Ranks), WithMPPCodes: nonNil(g.WithMPPCodes)})
	}
	for _, o := range r.LearnFrom {
		p.LearnFrom = append(p.LearnFrom, o.Code)
	}
	p.Summary = map[string]string{"id": h.id.Msg(r.Peers.Summary), "en": h.en.Msg(r.Peers.Summary)}
	p.FiscalCapacity = map[string]*fiscalCapacityJSON{}
	for _, f := range r.Fiscal {
		p.FiscalCapacity[f.Period.ID] = nil
		if v := f.Value; v != nil {
			fc := &fiscalCapacityJSON{Ratio: v.Ratio, Regulation: f.Period.Regulation, SourceIDs: nonNil(v.SourceIDs), Note: v.Note}
			if v.Category != "" {
				fc.Category = ptr(string(v.Category))
			}
			p.FiscalCapacity[f.Period.ID] = fc
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
