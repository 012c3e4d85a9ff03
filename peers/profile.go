package peers

import (
	"sort"

	"mppmap/data"
	"mppmap/fiscal"
	"mppmap/locale"
	"mppmap/round"
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
	groups       map[string]*groupStats // "province:32", "kind:kota", "fiscal:q1"
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
	byGroup := map[string][]Member{}
	for _, r := range s.Regions {
		m := ix.members[r.Code]
		for _, k := range []string{"province:" + r.ProvinceCode, "kind:" + r.Kind, "fiscal:" + ix.Fiscal.Of(r.Code)} {
			byGroup[k] = append(byGroup[k], m)
		}
	}
	ix.groups = make(map[string]*groupStats, len(byGroup))
	for k, ms := range byGroup {
		ix.groups[k] = newGroupStats(ms)
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

// Profile compares r with its four peer groups in s (ix must be NewIndex(s)). The province,
// kind and fiscal groups come from the Index's per-group statistics (built once per snapshot):
// the region is taken out of them arithmetically rather than by copying every other member,
// which made the profiles of all 514 regions allocate ~85 MB per snapshot.
func (ix *Index) Profile(s *data.Snapshot, r data.Region) Profile {
	p := Profile{Code: r.Code, FiscalGroup: ix.Fiscal.Of(r.Code), Periods: ix.ComparedPeriods()}
	var nb []Member
	for _, n := range s.Neighbours[r.Code] {
		if n.Relation != data.RelationBorder {
			p.Nearest = true
		}
		nb = append(nb, ix.members[n.Code])
	}
	nbLabel := locale.M("peers.label.neighbours")
	if p.Nearest {
		nbLabel = locale.M("peers.label.nearest")
	}
	self := ix.members[r.Code]
	// Neighbours: a handful of regions, compared directly.
	cmp := Compare(self, nb, Indicators)
	ng := PeerGroup{Key: GroupNeighbours, Label: nbLabel, Group: cmp, WithMPPCodes: []string{},
		Text: locale.M("peers.text", "K", cmp.WithMPP, "N", cmp.N)}
	for _, m := range nb {
		if m.Status == string(data.StatusYes) {
			ng.WithMPPCodes = append(ng.WithMPPCodes, m.Code)
		}
	}
	sort.Strings(ng.WithMPPCodes)
	p.Groups = append(p.Groups, ng)
	for _, g := range []struct {
		key, group string
		label      locale.Msg
	}{
		{GroupProvince, "province:" + r.ProvinceCode, locale.M("peers.label.province", "Name", r.ProvinceName)},
		{GroupKind, "kind:" + r.Kind, locale.M("peers.label.kind", "Kind", r.Kind)},
		{GroupFiscal, "fiscal:" + p.FiscalGroup, locale.M("peers.label.fiscal", "Group", fiscal.Label(p.FiscalGroup))},
	} {
		p.Groups = append(p.Groups, ix.groups[g.group].without(self, g.key, g.label))
	}
	g0 := p.Groups[0]
	n := Neighbours{N: g0.N, WithMPP: g0.WithMPP, Unknown: g0.Unknown, Nearest: p.Nearest}
	p.Summary = Summary(r.Name, string(r.Status), n)
	return p
}

// groupStats is one peer group of the whole snapshot (a province, a kind, a fiscal group):
// its members' status counts and, per indicator, their values sorted.
type groupStats struct {
	n, withMPP, inProgress, unknown int
	withCodes                       []string             // members with an MPP, sorted
	sorted                          map[string][]float64 // indicator → members' values, ascending
}

func newGroupStats(members []Member) *groupStats {
	g := &groupStats{n: len(members), sorted: map[string][]float64{}}
	for _, m := range members {
		switch m.Status {
		case "yes":
			g.withMPP++
			g.withCodes = append(g.withCodes, m.Code)
		case "in_progress":
			g.inProgress++
		case "unknown":
			g.unknown++
		}
		for _, id := range Indicators {
			if v, ok := m.Values[id]; ok {
				g.sorted[id] = append(g.sorted[id], v)
			}
		}
	}
	sort.Strings(g.withCodes)
	for _, vs := range g.sorted {
		sort.Float64s(vs)
	}
	return g
}

// without is the group as self's peers see it: self (a member) taken out of the counts and the
// medians, kept in the ranks (a rank is among the region and its peers), as Compare does.
func (g *groupStats) without(self Member, key string, label locale.Msg) PeerGroup {
	if g == nil {
		g = &groupStats{sorted: map[string][]float64{}}
	}
	in := func(st string) int {
		if self.Status == st && g.n > 0 {
			return 1
		}
		return 0
	}
	grp := Group{N: max(g.n-1, 0), WithMPP: g.withMPP - in("yes"), InProgress: g.inProgress - in("in_progress"),
		Unknown: g.unknown - in("unknown"), Medians: map[string]*float64{}, Ranks: map[string]*Rank{}, Counts: map[string]int{}}
	if grp.N > 0 {
		pct := round.Pct(100 * float64(grp.WithMPP) / float64(grp.N))
		grp.WithMPPPct = &pct
	}
	for _, id := range Indicators {
		vals := g.sorted[id]
		v, has := self.Values[id]
		if has {
			grp.Counts[id] = len(vals) - 1
			// Values above v are ranked before it: 1 + their count, among len(vals) (self included).
			above := len(vals) - sort.Search(len(vals), func(i int) bool { return vals[i] > v })
			grp.Ranks[id] = &Rank{Position: above + 1, Of: len(vals)}
		} else {
			grp.Counts[id] = len(vals)
			grp.Ranks[id] = nil
		}
		if md, ok := medianWithout(vals, v, has); ok {
			md = round.Figure(md)
			grp.Medians[id] = &md
		}
	}
	pg := PeerGroup{Key: key, Label: label, Group: grp, WithMPPCodes: []string{}, Text: locale.M("peers.text", "K", grp.WithMPP, "N", grp.N)}
	for _, c := range g.withCodes {
		if c != self.Code {
			pg.WithMPPCodes = append(pg.WithMPPCodes, c)
		}
	}
	return pg
}

// medianWithout is the median of sorted with one occurrence of v removed when remove is set.
func medianWithout(sorted []float64, v float64, remove bool) (float64, bool) {
	n := len(sorted)
	skip := n // index of the removed value; n = none
	if remove {
		skip = sort.SearchFloat64s(sorted, v)
		n--
	}
	if n <= 0 {
		return 0, false
	}
	at := func(k int) float64 { // k-th value of the array without the removed one
		if k >= skip {
			return sorted[k+1]
		}
		return sorted[k]
	}
	if n%2 == 1 {
		return at(n / 2), true
	}
	return (at(n/2-1) + at(n/2)) / 2, true
}
