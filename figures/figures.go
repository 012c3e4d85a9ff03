// Package figures is the one place where mppmap derives what it publishes. Build computes, once
// per read-model snapshot, every figure that both the open-data API and the pages show: province
// counts, shares and ranks; each region's profile (sites — DKI Jakarta's provincial MPP for its
// six administrative units included —, history, cited sources, neighbours, peer groups with their
// medians, ranks and summary, indicators, who to learn from); progress and targets nationally and
// per province; what changed; fiscal groups; the status of every region on a past day. The API
// and the dashboard only format a Model; a parity test (cmd/mppmap) makes sure neither computes
// a figure of its own.
//
// It is pure: no I/O. A Model is immutable once built, except for its memo, where the surfaces
// keep what they derive from it (encoded bodies, rendered pages), so that those die with the
// Model and a request still holding an older one can never touch the current one's.
package figures

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/factors"
	"mppmap/fiscal"
	"mppmap/locale"
	"mppmap/peers"
	"mppmap/progress"
	"mppmap/round"
)

// Model is every derived figure of one snapshot.
type Model struct {
	Snap *data.Snapshot
	// DataEnd is the "today" of the data (progress.DataEnd): every window, ETA and the default
	// day of a status-at-a-date end there.
	DataEnd time.Time

	National  *Province   // the whole country as one group (Code "", Name "Indonesia")
	Provinces []*Province // in code order
	Ranking   []*Province // by share with an MPP, highest first (see Province.Rank)
	Regions   []*Region   // in code order

	Changes      []Change // every change, newest first (see ChangesBetween)
	Fiscal       *fiscal.Groups
	FiscalGroups []*FiscalGroup // fiscal.Keys order
	Peers        *peers.Index
	// Factors is the barrier analysis (package factors): factor groups, models, claims, similar
	// regions.
	Factors *factors.Analysis
	// Inhibitors are the recorded inhibiting factors by category, most cited first.
	Inhibitors []*InhibitorCategory
	// Digital is the digital MPP view: each region's recorded models and the physical × digital
	// cross table.
	Digital Digital
	// PADSpread is, per status, the spread of the PAD shares (%) its regions' fiscal groups rest
	// on: what /fiskal's scatter summarises.
	PADSpread map[data.Status]Spread
	// ExportIndicators are the indicators with data, at their latest period, sorted by id: the
	// indicator columns of every download.
	ExportIndicators []IndicatorColumn
	// UnderReview counts readers' submissions waiting for review, over all regions (the
	// stewards' menu).
	UnderReview int

	sites     progress.Sites
	siteDates map[string]pdate.Date
	regions   map[string]*Region
	provinces map[string]*Province
	memo      memo
}

// Province is a province (or, as Model.National, the country) with its regions' figures.
type Province struct {
	data.Province
	Regions []*Region
	Counts  map[data.Status]int // every status, zero included
	// StatusPct is each status' share of its kab/kota in percent (round.Pct); nil without regions.
	StatusPct map[data.Status]*float64
	// Shares are the share with an MPP over both denominators: bskdn (every kab/kota), kemenpanrb
	// (DKI Jakarta's administrative kab/kota as one unit).
	Shares [2]progress.Share
	// Rank is 1 for the highest share of kab/kota with an MPP (bskdn, exact fractions compared,
	// not the rounded percentages); equal shares share a rank. 0 for the country.
	Rank     int
	Progress progress.Report
	// FullCoverage is the day the last of its kab/kota got a dated MPP; zero while it is not fully
	// covered by dated sites.
	FullCoverage pdate.Date
}

// Region is one kab/kota's profile.
type Region struct {
	data.Region
	Province *Province
	// Sites are the MPPs serving it: its own, and for DKI Jakarta's units the provincial MPP.
	Sites []data.Site
	// SiteDate is its earliest dated site (progress.SiteDates); HasSiteDate says there is one.
	SiteDate    pdate.Date
	HasSiteDate bool
	History     []data.StatusChange // oldest first
	// CitedSourceIDs are the sources its profile cites (status, history, sites, inhibiting
	// factors), once each, S2 before S10.
	CitedSourceIDs []string
	Inhibitors     []data.Inhibitor
	Neighbours     []Neighbour
	Peers          peers.Profile
	Indicators     []IndicatorValue // every value it has, by indicator and period
	FiscalGroup    string           // fiscal.Keys
	// LearnFrom are peers with an MPP to learn from: neighbours first, then the rest of the
	// province, at most LearnFromMax.
	LearnFrom []*Region
	AreaKm2   *float64 // of the cleaned boundary, round.Figure; nil when not computed

	// Fiscal is the Finance Ministry's fiscal capacity for every PMK period of the data, oldest
	// first (Value nil: no data for that period, never low); ProvinceInhibitors the findings
	// recorded about its province as a whole.
	Fiscal             []FiscalCapacity
	ProvinceInhibitors []data.Inhibitor
	// Positions are where the region stands on each factor of the analysis.
	Positions []Position
	// Similar are the most similar regions that already have an MPP (factors.SimilarMethod),
	// with when they got it and what it cost where reported.
	Similar []SimilarRegion
	// UnderReview counts readers' submissions about it waiting for a steward's review.
	UnderReview int
	Costs       []data.Cost          // reported costs of its own MPP
	Digital     []data.DigitalRegion // its recorded digital models
}

// Position is where a region stands on one factor: its group, its value and the national
// median (measured factors), with the factor for its label and source.
type Position struct {
	Factor *factors.Factor
	Group  *factors.Group // nil: no group (cannot happen for our factors)
	Value  *float64       // the value it rests on; nil for no data or a grouping factor
	Median *float64       // the national median of the values; nil for a grouping factor
}

// SimilarRegion is a region like this one that already has an MPP.
type SimilarRegion struct {
	*Region
	Distance float64
	Shared   int
}

// LearnFromMax bounds the "learn from" list: a region page is read, not scrolled.
const LearnFromMax = 12

// Neighbour is a region next to another: sharing a land border, or one of the nearest.
type Neighbour struct {
	*Region
	Relation   string   // data.RelationBorder | data.RelationNearest
	BorderKm   *float64 // border only, round.Figure
	DistanceKm *float64 // nearest only, round.Figure
}

// IndicatorValue is a region's value of an indicator for a period, as imported.
type IndicatorValue struct {
	Def    *data.Indicator // shared by every value of the indicator (a copy each was 10 MB per Model)
	Period string
	Value  float64
}

// IndicatorColumn is an indicator at the period a download shows.
type IndicatorColumn struct {
	ID, Period string
}

// FiscalGroup is one fiscal group (package fiscal) with its regions' figures.
type FiscalGroup struct {
	Key     string
	Lo, Hi  *float64 // lowest and highest PAD share (%), round.Figure; nil for no_data
	Regions []*Region
	Counts  map[data.Status]int
	// StatusPct is each status' share of the group's regions in percent (round.Pct).
	StatusPct map[data.Status]*float64
	Shares    [2]progress.Share
}

// Spread is how a value spreads over regions: N with a value of Total, median, lowest, highest
// (round.Figure; zero when N is 0).
type Spread struct {
	N, Total         int
	Median, Min, Max float64
}

// Build computes the Model of s. It reads s only and never fails: missing data is absent from
// the figures, never a zero.
func Build(s *data.Snapshot) *Model {
	m := &Model{Snap: s, DataEnd: progress.DataEnd(s), Fiscal: fiscal.Compute(s), Peers: peers.NewIndex(s),
		sites: progress.IndexSites(s), regions: make(map[string]*Region, len(s.Regions)),
		provinces: make(map[string]*Province, len(s.Provinces))}
	m.siteDates = m.sites.Dates()
	m.memo.entries = map[string]*memoEntry{}
	m.National = &Province{Province: data.Province{Name: "Indonesia"}}
	for _, p := range s.Provinces {
		pr := &Province{Province: p}
		m.Provinces = append(m.Provinces, pr)
		m.provinces[p.Code] = pr
	}
	for _, r := range s.Regions {
		reg := &Region{Region: r, Province: m.provinces[r.ProvinceCode], FiscalGroup: m.Fiscal.Of(r.Code)}
		reg.SiteDate, reg.HasSiteDate = m.siteDates[r.Code]
		reg.UnderReview = s.OpenSubmissions[r.Code]
		m.UnderReview += reg.UnderReview
		m.Regions = append(m.Regions, reg)
		m.regions[r.Code] = reg
		m.National.Regions = append(m.National.Regions, reg)
		if reg.Province != nil {
			reg.Province.Regions = append(reg.Province.Regions, reg)
		}
	}
	m.provinceFigures()
	defs := make(map[string]*data.Indicator, len(s.Indicators))
	for i := range s.Indicators {
		defs[s.Indicators[i].ID] = &s.Indicators[i]
	}
	for _, reg := range m.Regions {
		m.profile(reg, defs)
	}
	m.fiscalGroups()
	m.padSpread()
	m.exportIndicators()
	m.Changes = changes(m)
	m.Factors = factors.Analyse(s, m.Peers.LatestPeriod)
	for _, r := range m.Regions {
		m.barriers(r)
	}
	m.Inhibitors = inhibitorCategories(s)
	m.Digital = digital(m)
	return m
}

// Region returns the profile of a kab/kota code.
func (m *Model) Region(code string) (*Region, bool) {
	r, ok := m.regions[code]
	return r, ok
}

// Province returns the figures of a province code.
func (m *Model) Province(code string) (*Province, bool) {
	p, ok := m.provinces[code]
	return p, ok
}

// Source returns a cited source; ok is false for an id the source list lacks.
func (m *Model) Source(id string) (data.Source, bool) {
	src, ok := m.Snap.Sources[id]
	return src, ok
}

func (m *Model) provinceFigures() {
	all := append([]*Province{m.National}, m.Provinces...)
	for _, p := range all {
		p.Counts = make(map[data.Status]int, len(data.Statuses))
		for _, st := range data.Statuses {
			p.Counts[st] = 0
		}
		regs := make([]data.Region, 0, len(p.Regions))
		for _, r := range p.Regions {
			p.Counts[r.Status]++
			regs = append(regs, r.Region)
		}
		p.StatusPct = statusPct(p.Counts, len(p.Regions))
		a, b := progress.Shares(regs)
		p.Shares = [2]progress.Share{a, b}
		p.Progress = progress.Build(m.Snap, p.Code)
		p.FullCoverage = fullCoverage(p, m.siteDates)
	}
	m.Ranking = append([]*Province(nil), m.Provinces...)
	// Exact shares: yes_a/total_a against yes_b/total_b by cross-multiplying, so two shares that
	// round to the same percentage are still told apart and equal ones are truly equal.
	cmp := func(a, b *Province) int { // > 0 when a's share is higher
		ya, ta, yb, tb := a.Counts[data.StatusYes], len(a.Regions), b.Counts[data.StatusYes], len(b.Regions)
		if ta == 0 || tb == 0 {
			return ta - tb // a province without regions ranks last
		}
		return ya*tb - yb*ta
	}
	sort.SliceStable(m.Ranking, func(i, j int) bool {
		a, b := m.Ranking[i], m.Ranking[j]
		if c := cmp(a, b); c != 0 {
			return c > 0
		}
		if a.Counts[data.StatusYes] != b.Counts[data.StatusYes] {
			return a.Counts[data.StatusYes] > b.Counts[data.StatusYes]
		}
		return a.Code < b.Code
	})
	for i, p := range m.Ranking {
		p.Rank = i + 1
		if i > 0 && cmp(p, m.Ranking[i-1]) == 0 {
			p.Rank = m.Ranking[i-1].Rank
		}
	}
}

// fullCoverage is the day a province's last kab/kota got a dated MPP, when all have one.
func fullCoverage(p *Province, sites map[string]pdate.Date) pdate.Date {
	if p.Code == "" || len(p.Regions) == 0 {
		return pdate.Date{}
	}
	var last pdate.Date
	for _, r := range p.Regions {
		sd, ok := sites[r.Code]
		if r.Status != data.StatusYes || !ok {
			return pdate.Date{}
		}
		if last.IsZero() || sd.Latest().After(last.Latest()) {
			last = sd
		}
	}
	return last
}

func (m *Model) profile(r *Region, defs map[string]*data.Indicator) {
	s := m.Snap
	cited := [][]string{r.SourceIDs}
	r.History = s.History[r.Code]
	for _, h := range r.History {
		cited = append(cited, h.SourceIDs)
	}
	for _, x := range s.Sites {
		own := x.RegionCode == r.Code
		provincial := x.RegionCode == "" && x.ProvinceCode == r.ProvinceCode && r.ProvinceCode == data.DKIProvince
		if own || provincial {
			r.Sites = append(r.Sites, x)
			cited = append(cited, x.SourceIDs)
		}
	}
	for _, x := range s.Inhibitors {
		if slices.Contains(x.RegionCodes, r.Code) {
			r.Inhibitors = append(r.Inhibitors, x)
			cited = append(cited, x.SourceIDs)
		}
	}
	r.CitedSourceIDs = SortedSources(cited...)
	for _, v := range s.Values[r.Code] {
		def, ok := defs[v.IndicatorID]
		if !ok {
			def = &data.Indicator{ID: v.IndicatorID, LabelID: v.IndicatorID, LabelEN: v.IndicatorID}
			defs[v.IndicatorID] = def
		}
		r.Indicators = append(r.Indicators, IndicatorValue{Def: def, Period: v.Period, Value: v.Value})
	}
	for _, n := range s.Neighbours[r.Code] {
		nr, ok := m.regions[n.Code]
		if !ok {
			continue
		}
		nb := Neighbour{Region: nr, Relation: n.Relation}
		if n.Relation == data.RelationBorder {
			nb.BorderKm = ptr(round.Figure(n.BorderKm))
		} else {
			nb.DistanceKm = ptr(round.Figure(n.DistanceKm))
		}
		r.Neighbours = append(r.Neighbours, nb)
	}
	if r.Region.AreaKm2 > 0 {
		r.AreaKm2 = ptr(round.Figure(r.Region.AreaKm2))
	}
	r.Peers = m.Peers.Profile(s, r.Region)
	seen := map[string]bool{r.Code: true}
	add := func(o *Region) {
		if o.Status == data.StatusYes && !seen[o.Code] && len(r.LearnFrom) < LearnFromMax {
			seen[o.Code] = true
			r.LearnFrom = append(r.LearnFrom, o)
		}
	}
	for _, n := range r.Neighbours {
		add(n.Region)
	}
	if r.Province != nil {
		for _, o := range r.Province.Regions {
			add(o)
		}
	}
}

func (m *Model) fiscalGroups() {
	for _, key := range fiscal.Keys {
		g := &FiscalGroup{Key: key, Counts: map[data.Status]int{}}
		for _, st := range data.Statuses {
			g.Counts[st] = 0
		}
		if lo, hi, ok := m.Fiscal.Range(key); ok {
			g.Lo, g.Hi = ptr(round.Figure(lo)), ptr(round.Figure(hi))
		}
		var regs []data.Region
		for _, r := range m.Regions {
			if r.FiscalGroup == key {
				g.Regions = append(g.Regions, r)
				g.Counts[r.Status]++
				regs = append(regs, r.Region)
			}
		}
		g.StatusPct = statusPct(g.Counts, len(g.Regions))
		a, b := progress.Shares(regs)
		g.Shares = [2]progress.Share{a, b}
		m.FiscalGroups = append(m.FiscalGroups, g)
	}
}

func (m *Model) padSpread() {
	vals := map[data.Status][]float64{}
	m.PADSpread = map[data.Status]Spread{}
	for _, r := range m.Regions {
		st := r.Status
		if !st.Valid() {
			st = data.StatusUnknown
		}
		sp := m.PADSpread[st]
		sp.Total++
		m.PADSpread[st] = sp
		if x, ok := m.Fiscal.Value(r.Code); ok {
			vals[st] = append(vals[st], x)
		}
	}
	for st, xs := range vals {
		sp := m.PADSpread[st]
		sp.N = len(xs)
		md, _ := peers.Median(xs)
		sp.Median, sp.Min, sp.Max = round.Figure(md), round.Figure(slices.Min(xs)), round.Figure(slices.Max(xs))
		m.PADSpread[st] = sp
	}
}

func (m *Model) exportIndicators() {
	for _, def := range m.Snap.Indicators {
		if p, ok := m.Peers.LatestPeriod(def.ID); ok {
			m.ExportIndicators = append(m.ExportIndicators, IndicatorColumn{ID: def.ID, Period: p})
		}
	}
	sort.Slice(m.ExportIndicators, func(i, j int) bool { return m.ExportIndicators[i].ID < m.ExportIndicators[j].ID })
}

// Value is a region's value of an indicator column; ok is false for no data (never a zero).
func (m *Model) Value(code string, c IndicatorColumn) (float64, bool) {
	return m.Snap.Value(code, c.ID, c.Period)
}

// PADShare is a region's PAD share (%) that its fiscal group rests on; ok is false for no data.
func (r *Region) PADShare(m *Model) (float64, bool) { return m.Fiscal.Value(r.Code) }

// StatusesAt is every region's status on the day at (package progress' rules, from the Model's
// sites) and the count per status, all four present.
func (m *Model) StatusesAt(at time.Time) ([]progress.RegionStatus, map[data.Status]int) {
	return progress.StatusesAtSites(m.Snap, m.sites, at)
}

// SortedSources merges source id lists, once each, S2 before S10.
func SortedSources(lists ...[]string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, l := range lists {
		for _, id := range l {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return sourceLess(out[i], out[j]) })
	return out
}

// sourceLess orders S2 before S10.
func sourceLess(a, b string) bool {
	na, _ := strconv.Atoi(a[min(1, len(a)):])
	nb, _ := strconv.Atoi(b[min(1, len(b)):])
	if na != nb {
		return na < nb
	}
	return a < b
}

// StatusKey is the catalog key of a status label.
func StatusKey(st data.Status) string {
	if !st.Valid() {
		st = data.StatusUnknown // a stray value is drawn as unknown, never as no
	}
	return "status." + string(st)
}

// StatusLabel is a status label as a catalog message.
func StatusLabel(st data.Status) locale.Msg { return locale.M(StatusKey(st)) }

func ptr[T any](v T) *T { return &v }

// Pct is part of total in percent, rounded as every published share (round.Pct); nil for no
// total.
func Pct(part, total int) *float64 {
	if total == 0 {
		return nil
	}
	return ptr(round.Pct(100 * float64(part) / float64(total)))
}

func statusPct(counts map[data.Status]int, total int) map[data.Status]*float64 {
	out := make(map[data.Status]*float64, len(data.Statuses))
	for _, st := range data.Statuses {
		out[st] = Pct(counts[st], total)
	}
	return out
}
