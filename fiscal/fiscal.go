// Package fiscal groups regions by fiscal capacity: until a Finance Ministry (PMK) category is in
// the data, the group is the quintile of own-source revenue (PAD) as a share of total revenue in
// the 2024 regional budget (APBD), by rank among the regions with a value. It is pure: it reads a
// *data.Snapshot and does no I/O. Both the API (/api/v1/fiscal, fiscal_group of every region, the
// "fiscal" peer group) and the dashboard read the groups from here.
package fiscal

import (
	"math"
	"sort"
	"strconv"

	"mppmap/data"
	"mppmap/locale"
)

// The indicator and period the groups are computed from, and the group of regions without it.
const (
	Indicator = "pad_share_budget_pct"
	Period    = "2024"
	NoData    = "no_data"
)

// Keys lists the groups in display order: q1 (lowest PAD share) … q5 (highest), then no_data.
var Keys = []string{"q1", "q2", "q3", "q4", "q5", NoData}

// Groups is the fiscal grouping of one snapshot. Build it once per snapshot with Compute; it is
// read-only afterwards and safe for concurrent use.
type Groups struct {
	byRegion map[string]string  // region code → "q1".."q5"; absent = NoData
	values   map[string]float64 // region code → PAD share (%), only regions with a value
	bounds   [5][2]float64      // per quintile: lowest and highest value
}

// Compute groups every region of s (see Method).
func Compute(s *data.Snapshot) *Groups {
	g := &Groups{byRegion: map[string]string{}, values: map[string]float64{}}
	for _, r := range s.Regions {
		if v, ok := s.Value(r.Code, Indicator, Period); ok {
			g.values[r.Code] = v
		}
	}
	q := Quintiles(g.values)
	for code, n := range q {
		g.byRegion[code] = "q" + strconv.Itoa(n)
	}
	g.bounds = Bounds(g.values, q)
	return g
}

// Of is the group of a region: "q1".."q5", or NoData when it has no value (or is not a region).
func (g *Groups) Of(code string) string {
	if k, ok := g.byRegion[code]; ok {
		return k
	}
	return NoData
}

// Value is the region's PAD share (%) the group rests on; ok is false for no data.
func (g *Groups) Value(code string) (float64, bool) {
	v, ok := g.values[code]
	return v, ok
}

// Range is the lowest and highest PAD share (%) in a quintile group ("q1".."q5"); ok is false for
// NoData or an unknown key.
func (g *Groups) Range(key string) (lo, hi float64, ok bool) {
	i := quintile(key)
	if i == 0 {
		return 0, 0, false
	}
	return g.bounds[i-1][0], g.bounds[i-1][1], true
}

// Members are the regions of s in a group, in s.Regions order.
func (g *Groups) Members(s *data.Snapshot, key string) []data.Region {
	var out []data.Region
	for _, r := range s.Regions {
		if g.Of(r.Code) == key {
			out = append(out, r)
		}
	}
	return out
}

func quintile(key string) int {
	if len(key) != 2 || key[0] != 'q' || key[1] < '1' || key[1] > '5' {
		return 0
	}
	return int(key[1] - '0')
}

// Label names a group with its source, e.g. "q1, lowest PAD share (own calculation from APBD
// 2024)" (catalog keys fiscal.label.*; the method is fiscal.method).
func Label(key string) locale.Msg {
	return locale.M("fiscal.label."+key, "Source", locale.M("fiscal.source"))
}

// ShortLabel is a group's name in a legend or table: "q1 (lowest PAD)", "No data".
func ShortLabel(key string) locale.Msg { return locale.M("fiscal.groups." + key) }

// Quintiles assigns each value its quintile, 1 (lowest fifth) to 5 (highest), by rank: sorted
// ascending, the i-th of n values (0-based) is in quintile floor(5*i/n)+1, and equal values share
// the quintile of their first occurrence. Codes without a value get none (the caller says
// "no data", never a low group).
func Quintiles(values map[string]float64) map[string]int {
	codes := make([]string, 0, len(values))
	for c := range values {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if values[codes[i]] != values[codes[j]] {
			return values[codes[i]] < values[codes[j]]
		}
		return codes[i] < codes[j]
	})
	out := make(map[string]int, len(codes))
	n := len(codes)
	for i, c := range codes {
		q := 5*i/n + 1
		if i > 0 && values[codes[i-1]] == values[c] {
			q = out[codes[i-1]]
		}
		out[c] = q
	}
	return out
}

// Bounds returns the lowest and highest value in each quintile (index 0 = q1).
func Bounds(values map[string]float64, q map[string]int) [5][2]float64 {
	var b [5][2]float64
	seen := [5]bool{}
	for c, v := range values {
		i := q[c] - 1
		if i < 0 || i > 4 {
			continue
		}
		if !seen[i] {
			b[i] = [2]float64{v, v}
			seen[i] = true
			continue
		}
		b[i][0] = math.Min(b[i][0], v)
		b[i][1] = math.Max(b[i][1], v)
	}
	return b
}
