package dashboard

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/fiscal"
	"mppmap/geo"
	"mppmap/peers"
	"mppmap/submit"
)

// regionView is what templates/region.html renders: the regional head's page.
type regionView struct {
	page
	R           *figures.Region
	InProvince  string
	ProvinceURL string
	StatusLabel string
	Class       string
	StatusAsOf  string // the region's own status date; page.AsOf is the data's as-of
	Evidence    string // the status' evidence, labelled
	FirstKnown  string
	Sources     []sourceView
	History     []historyRow
	Sites       []siteRow
	Inhibitors  []inhibitorRow
	Neighbours  []tableRow
	Peers       []peerGroup
	Summary     string
	LearnFrom   []tableRow
	Indicators  []indicatorRow
	// IndicatorGroups are the column heads of Indicators: the peer groups with members.
	IndicatorGroups []string
	MapConfig       mapConfig

	// What the barrier analysis says of this region.
	Fiscal             []fiscalCapacityRow // PMK per period; one "no data" row when it has none
	FiscalGroup        string              // the PAD-share fifth, labelled as our own calculation
	Positions          []positionRow
	ProvinceInhibitors []inhibitorRow
	Similar            []similarRow
	Digital            []digitalModelRow
	Costs              []costRow
	SimilarMethod      string

	// Submit is the "send the source" form (nil when submissions are off); UnderReview the
	// readers' submissions waiting for a steward (a count, no personal data).
	Submit      *submitForm
	UnderReview int
}

// fiscalCapacityRow is the Finance Ministry's category of one PMK period.
type fiscalCapacityRow struct {
	Regulation, Category, Ratio string
}

// positionRow is where the region stands on one factor.
type positionRow struct {
	Factor, Group, Value, Median, Source, URL string
}

// similarRow is a similar region that already has an MPP.
type similarRow struct {
	Name, URL, Province, Since, Distance string
	Costs                                []costRow
}

// sourceView is one cited source: the address is a link only when it is a web address.
type sourceView struct {
	Title     string
	Address   string
	IsLink    bool
	Published string
	DateNote  string
}

// historyRow is one recorded status change: the source's date of the new status, and apart
// from it the day the ledger recorded it (an import or a steward), labelled as such.
type historyRow struct {
	SourceDate string
	Recorded   string
	RecordedBy string // "reference import", or the steward's unit and role (never a person's e-mail)
	Old, New   string
	Evidence   string
	Sources    []sourceView
}

type siteRow struct {
	Name        string
	Inaugurated string
	Evidence    string
	Note        string // the provincial MPP serving DKI Jakarta's units says so
}

type inhibitorRow struct {
	Category, Finding, Date string
}

// peerGroup is one comparison: of n peers, k have an MPP.
type peerGroup struct {
	Label string
	K, N  int
	Share string
	Text  string
}

// indicatorRow compares a region's value of an indicator with the median of each peer group.
type indicatorRow struct {
	Label, Unit, Period string
	Value               string
	Cells               []indicatorCell // one per group of regionView.IndicatorGroups
}

// indicatorCell is one peer group's median of an indicator (over N peers with a value) and the
// region's rank among itself and those peers ("" when the region has no value).
type indicatorCell struct {
	Median, Rank string
	N            int
}

func (h *Handler) regionView(m *figures.Model, l *lang, req request, base page) (string, any, int) {
	r, ok := m.Region(req.Code)
	if !ok {
		return notFound(m, base, req.Code)
	}
	st, ok := statusStyles()[r.Status]
	if !ok {
		st = statusStyles()[data.StatusUnknown]
	}
	v := regionView{
		page:        h.withShare(withMap(titled(base, r.Name)), r.Code, regionShareText(m, l, r)),
		R:           r,
		InProvince:  upperFirst(l.T("region.in_province", "Kind", l.T("kind."+r.Kind), "Province", r.ProvinceName)),
		ProvinceURL: l.path("/provinsi/" + r.ProvinceCode),
		StatusLabel: l.Msg(figures.StatusLabel(r.Status)),
		Class:       st.Class,
		StatusAsOf:  l.Date(r.StatusAsOf),
		FirstKnown:  l.Date(r.FirstKnown),
		Evidence:    l.evidence(r.Evidence),
	}
	v.Sources = sourceViews(m, l, r.SourceIDs)
	v.UnderReview = r.UnderReview
	if h.submissions != nil {
		f := submitFormFor(l, r, submit.Input{}, nil)
		v.Submit = &f
	}
	for _, ch := range r.History {
		old := l.T("region.first_record")
		if ch.Old != "" {
			old = l.Msg(figures.StatusLabel(ch.Old))
		}
		by := ch.ChangedBy
		switch {
		case strings.HasPrefix(by, "import:"):
			by = l.T("region.by_import")
		case strings.HasPrefix(by, data.SubmissionCredit):
			by = l.T("region.by_reader") // "submission:<id>|<steward's label>": the reader is never named
		}
		v.History = append(v.History, historyRow{SourceDate: l.Date(ch.AsOf), Recorded: l.Day(ch.ChangedAt), RecordedBy: by, Old: old,
			New: l.Msg(figures.StatusLabel(ch.New)), Evidence: l.evidence(ch.Evidence), Sources: sourceViews(m, l, ch.SourceIDs)})
	}
	for _, s := range r.Sites {
		row := siteRow{Name: s.Name, Inaugurated: l.Date(s.Inaugurated), Evidence: l.evidence(s.Evidence)}
		if s.RegionCode == "" {
			row.Note = l.T("region.site_serves_province")
		}
		v.Sites = append(v.Sites, row)
	}
	for _, in := range r.Inhibitors {
		v.Inhibitors = append(v.Inhibitors, inhibitorRow{Category: in.Category, Finding: in.Finding, Date: in.DateText})
	}
	var neighbours []*figures.Region
	for _, n := range r.Neighbours {
		neighbours = append(neighbours, n.Region)
	}
	v.Neighbours = regionRows(l, neighbours)
	for _, g := range r.Peers.Groups {
		if g.N == 0 {
			continue
		}
		v.Peers = append(v.Peers, peerGroup{Label: upperFirst(l.Msg(g.Label)), K: g.WithMPP, N: g.N,
			Share: l.sharePct(g.WithMPPPct), Text: l.Msg(g.Text)})
	}
	v.Summary = l.Msg(r.Peers.Summary)
	v.LearnFrom = regionRows(l, r.LearnFrom)
	v.IndicatorGroups, v.Indicators = indicatorRows(m, l, r)
	h.regionBarriers(m, l, r, &v)

	// The locator map: the province, and land neighbours across its border (a border region's
	// neighbours are its peers too). Nearest regions of an island are not drawn: they may be far.
	var shown []*figures.Region
	if r.Province != nil {
		shown = append(shown, r.Province.Regions...)
	}
	var extra []string
	for _, n := range r.Neighbours {
		if n.Relation == data.RelationBorder && n.ProvinceCode != r.ProvinceCode {
			shown = append(shown, n.Region)
			extra = append(extra, n.Code)
		}
	}
	desc := l.T("region.loc_desc", "Name", r.Name, "Province", r.ProvinceName)
	name := "mppmap-prov-" + r.ProvinceCode
	if len(extra) > 0 {
		name = "mppmap-near-" + r.Code
	}
	v.MapConfig = mapConfig{
		Option:    statusMapOption(m, l, shown, name, desc, r.Code),
		GeoURL:    nationalGeoURL,
		MapName:   name,
		Province:  r.ProvinceCode,
		Extra:     extra,
		Locale:    l.T("meta.echarts_locale"),
		RegionURL: l.path("/wilayah/"),
		Labels:    mapLabels(l),
		SVG: h.svgMap(m, l, svgSpec{ID: "region-map", Key: "locator:" + r.Code, Title: desc, Regions: shown, Detail: geo.DetailProvince,
			Fill: func(o *figures.Region) (string, string) {
				if o.Code == r.Code {
					return colorFocus, ""
				}
				return statusFill(o)
			}, Focus: r.Code, Legend: append(statusLegend(l), legendItem{Color: colorFocus, Label: l.T("region.this", "Name", r.Name)})}),
		Controls: &mapControls{},
	}
	return "region.html", v, fiber.StatusOK
}

// regionBarriers fills what the barrier analysis says of a region: its fiscal capacity by the
// Finance Ministry's category (where it exists) beside our PAD-share fifth, where it stands on
// each factor, the findings about its province, similar regions that made it, digital models.
func (h *Handler) regionBarriers(m *figures.Model, l *lang, r *figures.Region, v *regionView) {
	for _, f := range r.Fiscal {
		row := fiscalCapacityRow{Regulation: f.Period.Regulation, Category: l.T("factors.group.pmk.no_data"), Ratio: l.T("format.no_value")}
		if x := f.Value; x != nil {
			if x.Category != "" {
				row.Category = l.T("factors.group.pmk." + strings.ReplaceAll(string(x.Category), " ", "_"))
			}
			if x.Ratio != nil {
				row.Ratio = l.Decimal(*x.Ratio, 3)
			}
		}
		v.Fiscal = append(v.Fiscal, row)
	}
	v.FiscalGroup = l.Msg(fiscal.Label(r.FiscalGroup))
	for _, p := range r.Positions {
		row := positionRow{Factor: l.Msg(p.Factor.Label), Group: l.T("format.no_value"), Value: l.T("format.no_value"), Median: "",
			Source: l.Msg(p.Factor.Source), URL: l.path(h.pathOf("/hambatan", l.Tag)) + "?factor=" + p.Factor.ID + "#factor"}
		if p.Group != nil {
			row.Group = l.Msg(p.Group.Label)
		}
		if p.Value != nil {
			row.Value = l.Number(*p.Value)
		}
		if p.Median != nil {
			row.Median = l.Number(*p.Median)
		}
		v.Positions = append(v.Positions, row)
	}
	for _, in := range r.ProvinceInhibitors {
		v.ProvinceInhibitors = append(v.ProvinceInhibitors, inhibitorRow{Category: in.Category, Finding: in.Finding, Date: in.DateText})
	}
	for _, sim := range r.Similar {
		row := similarRow{Name: sim.Name, URL: l.path("/wilayah/" + sim.Code), Province: sim.ProvinceName, Since: l.T("format.no_value"),
			Distance: l.Number(sim.Distance)}
		if sim.HasSiteDate {
			row.Since = l.Date(sim.SiteDate)
		}
		for _, c := range sim.Costs {
			row.Costs = append(row.Costs, costRowOf(m, l, c))
		}
		v.Similar = append(v.Similar, row)
	}
	for _, d := range r.Digital {
		v.Digital = append(v.Digital, digitalModelRowOf(m, l, d))
	}
	for _, c := range r.Costs {
		v.Costs = append(v.Costs, costRowOf(m, l, c))
	}
	v.SimilarMethod = l.T("factors.similar_method")
}

// evidence is the label of an evidence code in the page's language, or the code itself.
func (l *lang) evidence(code string) string {
	if code == "" {
		return ""
	}
	if k := "evidence." + code; l.Has(k) {
		return l.T(k)
	}
	return code
}

// sourceViews resolves source ids to what the page shows of each.
func sourceViews(m *figures.Model, l *lang, ids []string) []sourceView {
	var out []sourceView
	for _, id := range ids {
		s, ok := m.Source(id)
		if !ok {
			out = append(out, sourceView{Title: id})
			continue
		}
		title := s.Description
		if title == "" {
			title = s.ID
		}
		pub := l.T("region.source_no_date")
		if !s.Published.IsZero() {
			pub = l.T("region.source_published", "Date", l.Date(s.Published))
		}
		addr := s.Address
		out = append(out, sourceView{
			Title: title, Address: addr, Published: pub, DateNote: s.DateNote,
			IsLink: isWebAddress(addr),
		})
	}
	return out
}

// isWebAddress reports whether a source address may be a link: http(s) only, so a
// "javascript:" address in the data is shown as text, never followed.
func isWebAddress(addr string) bool {
	u, err := url.Parse(addr)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// indicatorRows compares the region's value of each of peers.Indicators with each peer group's
// median and gives its rank in the group: the figures of package peers, the ones the API's region
// profile publishes, so page and API agree. No value is "—", never a zero.
func indicatorRows(m *figures.Model, l *lang, r *figures.Region) (heads []string, rows []indicatorRow) {
	var groups []peers.PeerGroup
	for _, g := range r.Peers.Groups {
		if g.N > 0 {
			groups = append(groups, g)
			heads = append(heads, upperFirst(l.Msg(g.Label)))
		}
	}
	self := m.Peers.Member(r.Code)
	for _, id := range peers.Indicators {
		period, ok := r.Peers.Periods[id]
		if !ok {
			continue
		}
		row := indicatorRow{Label: id, Period: period, Value: l.T("format.no_value")}
		if def, ok := m.Snap.Indicator(id); ok {
			row.Label, row.Unit = def.LabelID, def.Unit
			if l.Tag == "en" && def.LabelEN != "" {
				row.Label = def.LabelEN
			}
		}
		if x, ok := self.Values[id]; ok {
			row.Value = l.Number(x)
		}
		for _, g := range groups {
			cell := indicatorCell{Median: l.T("format.no_value"), N: g.Counts[id]}
			if md := g.Medians[id]; md != nil {
				cell.Median = l.Number(*md)
			}
			if rk := g.Ranks[id]; rk != nil {
				cell.Rank = l.T("peers.rank_of", "Position", rk.Position, "Of", rk.Of)
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	return heads, rows
}

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
