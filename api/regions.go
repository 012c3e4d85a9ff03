package api

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/fiscal"
	"mppmap/peers"
	"mppmap/progress"
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
	Rank           int                 `json:"rank"` // by share with an MPP over 514 (bskdn), 1 = highest; ties share a rank
}

type provincesResponse struct {
	Meta      meta           `json:"meta"`
	National  provinceJSON   `json:"national"`
	Provinces []provinceJSON `json:"provinces"`
	Method    string         `json:"method"`
}

func provinceStats(p data.Province, regions []data.Region) provinceJSON {
	pj := provinceJSON{Code: p.Code, Name: p.Name, KabupatenCount: p.KabupatenCount, KotaCount: p.KotaCount,
		Regions: len(regions), Counts: map[data.Status]int{}}
	for _, s := range data.Statuses {
		pj.Counts[s] = 0
	}
	for _, r := range regions {
		pj.Counts[r.Status]++
	}
	a, b := progress.Shares(regions)
	pj.Shares = []progress.Share{a, b}
	return pj
}

func (h *Handler) allProvinces(s *data.Snapshot) []provinceJSON {
	d := h.derivedOf(s)
	out := make([]provinceJSON, 0, len(s.Provinces))
	for _, p := range s.Provinces {
		out = append(out, provinceStats(p, d.byProvince[p.Code]))
	}
	pct := func(p provinceJSON) float64 {
		if p.Shares[0].Pct == nil {
			return -1
		}
		return *p.Shares[0].Pct
	}
	for i := range out {
		out[i].Rank = 1
		for j := range out {
			if pct(out[j]) > pct(out[i]) {
				out[i].Rank++
			}
		}
	}
	return out
}

func (h *Handler) provinces(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	s := h.src.Snapshot()
	b, err := h.body(s, "provinces", func() (*data.Body, error) {
		nat := provinceStats(data.Province{Code: "", Name: "Indonesia"}, s.Regions)
		return jsonBody(provincesResponse{Meta: metaOf(s), National: nat, Provinces: h.allProvinces(s), Method: progress.SharesMethod})
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
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
	s := h.src.Snapshot()
	code, err := parseProvince(s, "code", c.Params("code"))
	if err != nil {
		return err
	}
	b, err := h.body(s, "province:"+code, func() (*data.Body, error) {
		d := h.derivedOf(s)
		var pj provinceJSON
		for _, p := range h.allProvinces(s) {
			if p.Code == code {
				pj = p
			}
		}
		regs := make([]regionJSON, 0, len(d.byProvince[code]))
		for _, r := range d.byProvince[code] {
			regs = append(regs, toRegionJSON(r, d))
		}
		return jsonBody(provinceResponse{Meta: metaOf(s), Province: pj, Regions: regs, Method: progress.SharesMethod})
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

// parseProvince validates a province code: malformed → 400 naming the parameter, unknown → 404.
func parseProvince(s *data.Snapshot, param, v string) (string, error) {
	if !provinceCodeRE.MatchString(v) {
		return "", badParam(param, v, "a two-digit Kemendagri province code such as 32")
	}
	if _, ok := s.Province(v); !ok {
		return "", problem(fiber.StatusNotFound, "not found", fmt.Sprintf("no province with code %q", v))
	}
	return utils.CopyString(v), nil
}

func parseRegion(s *data.Snapshot, param, v string) (data.Region, error) {
	if !regionCodeRE.MatchString(v) {
		return data.Region{}, badParam(param, v, "a Kemendagri kab/kota code such as 32.73")
	}
	r, ok := s.Region(v)
	if !ok {
		return data.Region{}, problem(fiber.StatusNotFound, "not found", fmt.Sprintf("no kab/kota with code %q", v))
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
		p := problem(fiber.StatusBadRequest, "unknown query parameter", fmt.Sprintf("parameter %q is not known here; allowed: %s", string(k), what))
		p.Parameter = string(k)
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
	s := h.src.Snapshot()
	f := regionFilter{}
	if v := c.Query("province"); v != "" || c.Context().QueryArgs().Has("province") {
		code, err := parseProvince(s, "province", v)
		if err != nil {
			return err
		}
		f.Province = code
	}
	if c.Context().QueryArgs().Has("status") {
		v := c.Query("status")
		if !data.Status(v).Valid() {
			return badParam("status", v, "yes, in_progress, no or unknown")
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
	key := "regions:" + f.Province + ":" + f.Status + ":" + f.Kind
	b, err := h.body(s, key, func() (*data.Body, error) {
		d := h.derivedOf(s)
		out := []regionJSON{}
		for _, r := range s.Regions {
			if (f.Province == "" || r.ProvinceCode == f.Province) && (f.Status == "" || string(r.Status) == f.Status) && (f.Kind == "" || r.Kind == f.Kind) {
				out = append(out, toRegionJSON(r, d))
			}
		}
		return jsonBody(regionsResponse{Meta: metaOf(s), Filters: f, Count: len(out), Regions: out})
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

// ---- region profile ----

type historyJSON struct {
	RecordedAt string      `json:"recorded_at"` // when the change was recorded, not when it happened
	Old        *string     `json:"old_status"`
	New        data.Status `json:"new_status"`
	AsOf       *string     `json:"as_of"`
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
	Category    string   `json:"category"`
	Finding     string   `json:"finding"`
	Area        string   `json:"area"`
	RegionCodes []string `json:"region_codes"`
	Date        string   `json:"date"` // as published
	SourceIDs   []string `json:"source_ids"`
}

func toInhibitorJSON(x data.Inhibitor) inhibitorJSON {
	return inhibitorJSON{x.Category, x.Finding, x.Area, nonNil(x.RegionCodes), x.DateText, nonNil(x.SourceIDs)}
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
	Summary           map[string]string `json:"summary"`
	FiscalGroupMethod string            `json:"fiscal_group_method"`
}

func (h *Handler) region(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	s := h.src.Snapshot()
	r, err := parseRegion(s, "code", c.Params("code"))
	if err != nil {
		return err
	}
	// A profile (peers, medians, ranks) is computed once per region and snapshot.
	b, err := h.body(s, "region:"+r.Code, func() (*data.Body, error) { return jsonBody(h.profile(s, r)) })
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

func (h *Handler) profile(s *data.Snapshot, r data.Region) profileResponse {
	d := h.derivedOf(s)
	p := profileResponse{Meta: metaOf(s), Region: toRegionJSON(r, d), Note: r.Note, History: []historyJSON{},
		Sites: []siteJSON{}, Indicators: []indicatorJSON{}, Inhibitors: []inhibitorJSON{}, Neighbours: []neighbourJSON{},
		PeerIndicators: map[string]string{}, FiscalGroupMethod: fiscal.Method}
	if r.AreaKm2 > 0 {
		a := progress.Round2(r.AreaKm2)
		p.AreaKm2 = &a
	}
	cited := [][]string{r.SourceIDs}
	for _, hc := range s.History[r.Code] {
		hj := historyJSON{RecordedAt: hc.ChangedAt.Format("2006-01-02T15:04:05Z07:00"), New: hc.New, AsOf: dateOrNil(hc.AsOf),
			Evidence: hc.Evidence, SourceIDs: nonNil(hc.SourceIDs), Note: hc.Note, ChangedBy: hc.ChangedBy}
		if hc.Old != "" {
			o := string(hc.Old)
			hj.Old = &o
		}
		p.History = append(p.History, hj)
		cited = append(cited, hc.SourceIDs)
	}
	for _, x := range s.Sites {
		if x.RegionCode == r.Code || (x.RegionCode == "" && x.ProvinceCode == r.ProvinceCode && r.ProvinceCode == data.DKIProvince) {
			p.Sites = append(p.Sites, toSiteJSON(x))
			cited = append(cited, x.SourceIDs)
		}
	}
	defs := map[string]data.Indicator{}
	for _, def := range s.Indicators {
		defs[def.ID] = def
	}
	for _, v := range s.Values[r.Code] {
		def := defs[v.IndicatorID]
		p.Indicators = append(p.Indicators, indicatorJSON{ID: v.IndicatorID, LabelID: def.LabelID, LabelEN: def.LabelEN,
			Unit: def.Unit, Period: v.Period, Value: v.Value, Dataset: def.Dataset})
	}
	for _, x := range s.Inhibitors {
		for _, rc := range x.RegionCodes {
			if rc == r.Code {
				p.Inhibitors = append(p.Inhibitors, toInhibitorJSON(x))
				cited = append(cited, x.SourceIDs)
				break
			}
		}
	}
	for _, n := range s.Neighbours[r.Code] {
		nr, _ := s.Region(n.Code)
		nj := neighbourJSON{Code: n.Code, Name: nr.Name, Status: nr.Status, Relation: n.Relation}
		if n.Relation == data.RelationBorder {
			b := progress.Round2(n.BorderKm)
			nj.BorderKm = &b
		} else {
			dk := progress.Round2(n.DistanceKm)
			nj.DistanceKm = &dk
		}
		p.Neighbours = append(p.Neighbours, nj)
	}
	p.Sources = resolveSources(s, cited...)
	// Peer groups, medians, ranks and the summary: peers.Profile, as the dashboard shows them.
	prof := d.peers.Profile(s, r)
	p.PeerIndicators = prof.Periods
	for _, g := range prof.Groups {
		p.PeerGroups = append(p.PeerGroups, peerGroupJSON{Group: g.Key, Label: g.Label.EN, N: g.N, WithMPP: g.WithMPP,
			InProgress: g.InProgress, Unknown: g.Unknown, TextID: g.Text.ID, TextEN: g.Text.EN, Medians: g.Medians, Ranks: g.Ranks,
			WithMPPCodes: g.WithMPPCodes})
	}
	p.Summary = map[string]string{"id": prof.Summary.ID, "en": prof.Summary.EN}
	return p
}

// ---- GeoJSON layers ----

// regionsGeoJSON serves every region's boundary at one detail level with its current status,
// optionally one province's. Each (level, province) body is encoded once per snapshot.
func (h *Handler) regionsGeoJSON(c *fiber.Ctx) error {
	if err := checkParams(c, "detail", "province"); err != nil {
		return err
	}
	level, err := parseLevel(c.Query("detail"), c.Context().QueryArgs().Has("detail"))
	if err != nil {
		return err
	}
	snap := h.src.Snapshot()
	prov := ""
	if c.Context().QueryArgs().Has("province") {
		if prov, err = parseProvince(snap, "province", c.Query("province")); err != nil {
			return err
		}
	}
	if prov == "" {
		if b, ok := snap.Layers[level]; ok {
			return serveBody(c, b)
		}
	}
	geoms := snap.Geometry[level]
	if len(geoms) == 0 {
		return problem(fiber.StatusServiceUnavailable, "layer not loaded", "the "+string(level)+" layer is not in the read model")
	}
	b, err := h.body(snap, "layer:"+string(level)+":"+prov, func() (*data.Body, error) {
		fc, err := data.FeatureCollection(snap, geoms, prov, nil, data.FeatureProps)
		if err != nil {
			return nil, err
		}
		return data.NewBody("application/geo+json", fc)
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

func parseLevel(s string, given bool) (data.Level, error) {
	if s == "" && !given {
		return data.LevelNational, nil
	}
	for _, l := range data.Levels {
		if s == string(l) {
			return l, nil
		}
	}
	return "", badParam("detail", s, "national, province or full")
}
