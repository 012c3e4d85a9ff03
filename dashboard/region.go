package dashboard

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/peers"
)

// regionView is what templates/region.html renders: the regional head's page.
type regionView struct {
	page
	R           data.Region
	Kind        string
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
}

// sourceView is one cited source: the address is a link only when it is a web address.
type sourceView struct {
	Title     string
	Address   string
	IsLink    bool
	Published string
	DateNote  string
}

type historyRow struct {
	Recorded string
	Old, New string
	AsOf     string
	Evidence string
}

type siteRow struct {
	Name        string
	Inaugurated string
	Evidence    string
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

func (h *Handler) regionPage(c *fiber.Ctx) error {
	code := utils.CopyString(c.Params("code"))
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		r, ok := snap.Region(code)
		if !ok {
			return notFound(base, code)
		}
		return "region.html", h.regionView(snap, m, base, r), fiber.StatusOK
	})
}

func (h *Handler) regionView(snap *data.Snapshot, m *messages, base page, r data.Region) regionView {
	st, ok := statusStyles()[r.Status]
	if !ok {
		st = statusStyles()[data.StatusUnknown]
	}
	v := regionView{
		page:        withMap(titled(base, r.Name)),
		R:           r,
		Kind:        m.Kinds[r.Kind],
		InProvince:  upperFirst(sprintf(m.RegionInProvince, m.Kinds[r.Kind], r.ProvinceName)),
		ProvinceURL: m.path("/provinsi/" + r.ProvinceCode),
		StatusLabel: m.Statuses[r.Status],
		Class:       st.Class,
		StatusAsOf:  formatDate(r.StatusAsOf, m),
		FirstKnown:  formatDate(r.FirstKnown, m),
		Evidence:    m.evidence(r.Evidence),
	}
	v.Sources = sourceViews(snap, m, r.SourceIDs)
	for _, ch := range snap.History[r.Code] {
		old := m.NoDate
		if ch.Old != "" {
			old = m.Statuses[ch.Old]
		}
		v.History = append(v.History, historyRow{Recorded: formatDay(ch.ChangedAt, m), Old: old, New: m.Statuses[ch.New],
			AsOf: formatDate(ch.AsOf, m), Evidence: m.evidence(ch.Evidence)})
	}
	for _, s := range snap.RegionSites(r.Code) {
		v.Sites = append(v.Sites, siteRow{Name: s.Name, Inaugurated: formatDate(s.Inaugurated, m), Evidence: m.evidence(s.Evidence)})
	}
	for _, in := range snap.Inhibitors {
		for _, rc := range in.RegionCodes {
			if rc == r.Code {
				v.Inhibitors = append(v.Inhibitors, inhibitorRow{Category: in.Category, Finding: in.Finding, Date: in.DateText})
				break
			}
		}
	}

	// Neighbours (the table) and the province's regions, the page's own included (the locator
	// map); the peer groups' figures are package peers'.
	var neighbours, inProvince []data.Region
	for _, n := range snap.Neighbours[r.Code] {
		if nr, ok := snap.Region(n.Code); ok {
			neighbours = append(neighbours, nr)
		}
	}
	for _, o := range snap.Regions {
		if o.ProvinceCode == r.ProvinceCode {
			inProvince = append(inProvince, o)
		}
	}
	v.Neighbours = regionRows(neighbours, m)
	// The four peer groups and the summary sentence are package peers' — what the API's region
	// profile publishes.
	ix := h.peersOf(snap)
	prof := ix.Profile(snap, r)
	for _, g := range prof.Groups {
		if g.N == 0 {
			continue
		}
		v.Peers = append(v.Peers, peerGroup{Label: upperFirst(g.Label.In(m.Lang)), K: g.WithMPP, N: g.N,
			Share: m.percent(g.WithMPP, g.N), Text: g.Text.In(m.Lang)})
	}
	v.Summary = prof.Summary.In(m.Lang)
	// Peers to learn from: neighbours first, then the rest of the province.
	seen := map[string]bool{}
	var learn []data.Region
	for _, group := range [][]data.Region{neighbours, inProvince} {
		for _, o := range group {
			if o.Status == data.StatusYes && o.Code != r.Code && !seen[o.Code] {
				seen[o.Code] = true
				learn = append(learn, o)
			}
		}
	}
	if len(learn) > 12 {
		learn = learn[:12]
	}
	v.LearnFrom = regionRows(learn, m)
	v.IndicatorGroups, v.Indicators = indicatorRows(snap, m, ix, prof, r)

	// The locator map: the province, and land neighbours across its border (a border region's
	// neighbours are its peers too). Nearest regions of an island are not drawn: they may be far.
	shown := append([]data.Region(nil), inProvince...)
	var extra []string
	for _, n := range snap.Neighbours[r.Code] {
		if o, ok := snap.Region(n.Code); ok && n.Relation == data.RelationBorder && o.ProvinceCode != r.ProvinceCode {
			shown = append(shown, o)
			extra = append(extra, o.Code)
		}
	}
	desc := sprintf(m.RegionLocDesc, r.Name, r.ProvinceName)
	name := "mppmap-prov-" + r.ProvinceCode
	if len(extra) > 0 {
		name = "mppmap-near-" + r.Code
	}
	v.MapConfig = mapConfig{
		Option:    statusMapOption(snap, shown, m, name, desc, r.Code),
		GeoURL:    nationalGeoURL,
		MapName:   name,
		Province:  r.ProvinceCode,
		Extra:     extra,
		Locale:    m.EChartsLocale,
		RegionURL: m.path("/wilayah/"),
		Labels:    mapLabels(m),
	}
	return v
}

// sourceViews resolves source ids to what the page shows of each.
func sourceViews(snap *data.Snapshot, m *messages, ids []string) []sourceView {
	var out []sourceView
	for _, id := range ids {
		s, ok := snap.Sources[id]
		if !ok {
			out = append(out, sourceView{Title: id})
			continue
		}
		title := s.Description
		if title == "" {
			title = s.ID
		}
		pub := m.SourceNoDate
		if !s.Published.IsZero() {
			pub = m.SourcePublished + " " + formatDate(s.Published, m)
		}
		addr := s.Address
		out = append(out, sourceView{
			Title: title, Address: addr, Published: pub, DateNote: s.DateNote,
			IsLink: strings.HasPrefix(addr, "https://") || strings.HasPrefix(addr, "http://"),
		})
	}
	return out
}

// indicatorRows compares the region's value of each of peers.Indicators with each peer group's
// median and gives its rank in the group: the figures of package peers, the ones the API's region
// profile publishes, so page and API agree. No value is "—", never a zero.
func indicatorRows(snap *data.Snapshot, m *messages, ix *peers.Index, prof peers.Profile, r data.Region) (heads []string, rows []indicatorRow) {
	var groups []peers.PeerGroup
	for _, g := range prof.Groups {
		if g.N > 0 {
			groups = append(groups, g)
			heads = append(heads, upperFirst(g.Label.In(m.Lang)))
		}
	}
	self := ix.Member(r.Code)
	for _, id := range peers.Indicators {
		period, ok := prof.Periods[id]
		if !ok {
			continue
		}
		row := indicatorRow{Label: id, Period: period, Value: m.NoDate}
		for _, ind := range snap.Indicators {
			if ind.ID == id {
				row.Label, row.Unit = ind.LabelID, ind.Unit
				if m.Lang == "en" && ind.LabelEN != "" {
					row.Label = ind.LabelEN
				}
			}
		}
		if x, ok := self.Values[id]; ok {
			row.Value = m.number(x)
		}
		for _, g := range groups {
			cell := indicatorCell{Median: m.NoDate, N: g.Counts[id]}
			if md := g.Medians[id]; md != nil {
				cell.Median = m.number(*md)
			}
			if rk := g.Ranks[id]; rk != nil {
				cell.Rank = sprintf(m.RankOf, rk.Position, rk.Of)
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	return heads, rows
}

// number formats a value with up to two decimals (none from 1,000 on) and digit grouping in
// the language's notation: 1.630.458.486.101 (id), 1,630,458,486,101 (en).
func (m *messages) number(x float64) string {
	prec := 2
	if x >= 1000 || x <= -1000 {
		prec = 0
	}
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if prec > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	group := "."
	if m.DecimalSep == "." {
		group = ","
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += m.DecimalSep + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
