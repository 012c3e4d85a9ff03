package peers

import (
	"sort"

	"mppmap/data"
	"mppmap/fiscal"
	"mppmap/locale"
)

// Indicators are the indicators a region is compared on across its peers, each at its latest
// period in the data (Index.LatestPeriod).
var Indicators = []string{"pad_share_budget_pct", "transfer_central_share_budget_pct", "population_dukcapil", "area_km2", "ipm", "poverty_pct"}

// The four peer groups, in the order Profile returns them.
const (
	GroupNeighbours = "neighbours" // land neighbours, longest border first; or nearest regions for an island
	GroupProvince   = "province"   // the other kab/kota of the province
	GroupKind       = "kind"       // the other kabupaten, or the other kota
	GroupFiscal     = "fiscal"     // the other regions in the same fiscal group (package fiscal), no_data included
)

// Index holds what every comparison reads from one snapshot: each region's status and peer
// indicator values, the latest period of every indicator, and the fiscal groups. Build it once per
// snapshot with NewIndex (a few ms for 514 regions); it is read-only and safe for concurrent use.
type Index struct {
	// Fiscal is the snapshot's fiscal grouping; the region's own group is Fiscal.Of(code).
	Fiscal *fiscal.Groups

	latestPeriod map[string]string
	members      map[string]Member
}

// NewIndex builds the comparison index of s.
func NewIndex(s *data.Snapshot) *Index {
	ix := &Index{Fiscal: fiscal.Compute(s), latestPeriod: map[string]string{}, members: make(map[string]Member, len(s.Regions))}
	for _, vs := range s.Values {
		for _, v := range vs {
			if periodAfter(v.Period, ix.latestPeriod[v.IndicatorID]) {
				ix.latestPeriod[v.IndicatorID] = v.Period
			}
		}
	}
	for _, r := range s.Regions {
		m := Member{Code: r.Code, Status: string(r.Status), Values: map[string]float64{}}
		for _, id := range Indicators {
			if v, ok := s.Value(r.Code, id, ix.latestPeriod[id]); ok {
				m.Values[id] = v
			}
		}
		ix.members[r.Code] = m
	}
	return ix
}

// periodAfter orders periods: a longer period string is later ("2024-06" after "2024"), else by text.
func periodAfter(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// LatestPeriod is the latest period with any value of an indicator (any indicator, not only
// Indicators); ok is false when it has none.
func (ix *Index) LatestPeriod(indicator string) (string, bool) {
	p, ok := ix.latestPeriod[indicator]
	return p, ok
}

// Member is a region as comparisons see it: status and values of Indicators at their latest
// period (absent = no data). The Values map must not be modified.
func (ix *Index) Member(code string) Member { return ix.members[code] }

// ComparedPeriods maps each of Indicators that has data to the period compared.
func (ix *Index) ComparedPeriods() map[string]string {
	out := map[string]string{}
	for _, id := range Indicators {
		if p, ok := ix.latestPeriod[id]; ok {
			out[id] = p
		}
	}
	return out
}

// PeerGroup is a region's comparison with one peer group. The embedded Group holds N ("n"), WithMPP
// ("k"), InProgress, Unknown, and per indicator of Indicators the peer Medians, the region's Ranks
// and the Counts of peers with a value.
type PeerGroup struct {
	Key   string     // GroupNeighbours | GroupProvince | GroupKind | GroupFiscal
	Label locale.Msg // e.g. "same province: Jawa Barat" (peers.label.*)
	Group
	Text         locale.Msg // "k of n have an MPP" (peers.text)
	Members      []string   // codes of the peers (the region itself excluded), in group order
	WithMPPCodes []string   // codes of the peers with status yes, sorted: peers to learn from
}

// Profile is a region's whole peer comparison.
type Profile struct {
	Code        string
	FiscalGroup string            // the region's fiscal group: q1..q5 | no_data
	Nearest     bool              // no land neighbour: the neighbour group is its nearest regions
	Periods     map[string]string // indicator → period compared (ComparedPeriods)
	Groups      []PeerGroup       // always four: neighbours, province, kind, fiscal (a group may have N = 0)
	Summary     locale.Msg        // one sentence on the region's status and its neighbours (Summary)
}

// Group returns the peer group with the given key.
func (p Profile) Group(key string) (PeerGroup, bool) {
	for _, g := range p.Groups {
		if g.Key == key {
			return g, true
		}
	}
	return PeerGroup{}, false
}

// Profile compares r with its four peer groups in s (ix must be NewIndex(s)).
func (ix *Index) Profile(s *data.Snapshot, r data.Region) Profile {
	p := Profile{Code: r.Code, FiscalGroup: ix.Fiscal.Of(r.Code), Periods: ix.ComparedPeriods()}
	var nb, prov, kind, fisc []Member
	for _, n := range s.Neighbours[r.Code] {
		if n.Relation != data.RelationBorder {
			p.Nearest = true
		}
		nb = append(nb, ix.members[n.Code])
	}
	for _, o := range s.Regions {
		if o.Code == r.Code {
			continue
		}
		m := ix.members[o.Code]
		if o.ProvinceCode == r.ProvinceCode {
			prov = append(prov, m)
		}
		if o.Kind == r.Kind {
			kind = append(kind, m)
		}
		if ix.Fiscal.Of(o.Code) == p.FiscalGroup {
			fisc = append(fisc, m)
		}
	}
	nbLabel := locale.M("peers.label.neighbours")
	if p.Nearest {
		nbLabel = locale.M("peers.label.nearest")
	}
	groups := []struct {
		key     string
		label   locale.Msg
		members []Member
	}{
		{GroupNeighbours, nbLabel, nb},
		{GroupProvince, locale.M("peers.label.province", "Name", r.ProvinceName), prov},
		{GroupKind, locale.M("peers.label.kind", "Kind", r.Kind), kind},
		{GroupFiscal, locale.M("peers.label.fiscal", "Group", fiscal.Label(p.FiscalGroup)), fisc},
	}
	self := ix.members[r.Code]
	for _, g := range groups {
		cmp := Compare(self, g.members, Indicators)
		pg := PeerGroup{Key: g.key, Label: g.label, Group: cmp, Members: []string{}, WithMPPCodes: []string{},
			Text: locale.M("peers.text", "K", cmp.WithMPP, "N", cmp.N)}
		for _, m := range g.members {
			pg.Members = append(pg.Members, m.Code)
			if m.Status == string(data.StatusYes) {
				pg.WithMPPCodes = append(pg.WithMPPCodes, m.Code)
			}
		}
		sort.Strings(pg.WithMPPCodes)
		p.Groups = append(p.Groups, pg)
	}
	g0 := p.Groups[0]
	n := Neighbours{N: g0.N, WithMPP: g0.WithMPP, Unknown: g0.Unknown, Nearest: p.Nearest}
	p.Summary = Summary(r.Name, string(r.Status), n)
	return p
}
