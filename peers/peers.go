// Package peers compares a region with groups of its peers — neighbours, same province, same
// kind, same fiscal group: how many of them have an MPP, the peer median of each indicator and
// the region's rank, and the one-sentence summary in Indonesian and English. Profile (profile.go)
// builds a region's whole comparison from a *data.Snapshot; the API and the dashboard both call it.
// It is pure: no I/O. Statuses are the four strings of the read model; "unknown" is never
// counted as "no".
package peers

import (
	"sort"

	"mppmap/locale"
	"mppmap/round"
)

// Member is one region as the comparison sees it. Values holds only the indicators the region
// has a value for: a missing value is absent, never zero.
type Member struct {
	Code   string
	Status string // yes | in_progress | no | unknown
	Values map[string]float64
}

// Rank is a region's position among the members with a value, 1 = highest value.
type Rank struct {
	Position int `json:"position"`
	Of       int `json:"of"`
}

// Group is the comparison of a region with one peer group (the region itself not included in
// N, K or the medians; included in the ranks).
type Group struct {
	N          int                 // peers
	WithMPP    int                 // peers with status yes
	InProgress int                 // peers preparing one
	Unknown    int                 // peers whose status is not known
	WithMPPPct *float64            // WithMPP of N in percent (round.Pct); nil when N is 0
	Medians    map[string]*float64 // per indicator: median over peers with a value; nil when none has one
	Ranks      map[string]*Rank    // per indicator: the region's rank among itself and peers; nil when it has no value
	Counts     map[string]int      // per indicator: peers with a value
}

// Compare compares self with peers on the given indicators.
func Compare(self Member, peers []Member, indicators []string) Group {
	g := Group{N: len(peers), Medians: map[string]*float64{}, Ranks: map[string]*Rank{}, Counts: map[string]int{}}
	for _, p := range peers {
		switch p.Status {
		case "yes":
			g.WithMPP++
		case "in_progress":
			g.InProgress++
		case "unknown":
			g.Unknown++
		}
	}
	if g.N > 0 {
		p := round.Pct(100 * float64(g.WithMPP) / float64(g.N))
		g.WithMPPPct = &p
	}
	for _, id := range indicators {
		var vals []float64
		for _, p := range peers {
			if v, ok := p.Values[id]; ok {
				vals = append(vals, v)
			}
		}
		g.Counts[id] = len(vals)
		if m, ok := Median(vals); ok {
			m = round.Figure(m) // as published (package round)
			g.Medians[id] = &m
		}
		if v, ok := self.Values[id]; ok {
			pos := 1
			for _, x := range vals {
				if x > v {
					pos++
				}
			}
			g.Ranks[id] = &Rank{Position: pos, Of: len(vals) + 1}
		} else {
			g.Ranks[id] = nil
		}
	}
	return g
}

// Median is the median of xs; ok is false for no values.
func Median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

// Neighbours is what the summary sentence says about the neighbour group.
type Neighbours struct {
	N, WithMPP, Unknown int
	Nearest             bool // the region has no land neighbour: these are its nearest regions
}

// Summary is the one-sentence summary of a region as a catalog message, e.g. "Kabupaten X belum
// memiliki MPP; 7 dari 9 tetangganya sudah." The sentence's shape depends on the status and the
// counts, so the choice of parts is made here and the words are the catalogs' (summary.*).
func Summary(name, status string, nb Neighbours) locale.Msg {
	first := locale.M("summary.first."+firstKey(status), "Name", name)
	if nb.N == 0 {
		return locale.M("summary.alone", "First", first)
	}
	noun := locale.M("summary.noun.neighbours")
	if nb.Nearest {
		noun = locale.M("summary.noun.nearest")
	}
	var second locale.Msg
	switch {
	case nb.WithMPP == 0:
		second = locale.M("summary.none", "N", nb.N, "Noun", noun)
	case status == "yes":
		second = locale.M("summary.some_yes", "K", nb.WithMPP, "N", nb.N, "Noun", noun)
	case status == "no":
		second = locale.M("summary.some_no", "K", nb.WithMPP, "N", nb.N, "Noun", noun)
	default:
		second = locale.M("summary.some_other", "K", nb.WithMPP, "N", nb.N, "Noun", noun)
	}
	if nb.Unknown > 0 {
		second = locale.M("summary.with_unknown", "Part", second, "U", nb.Unknown)
	}
	return locale.M("summary.sentence", "First", first, "Second", second)
}

// firstKey is the catalog key of the sentence's first part; a status outside the four reads
// as unknown, never as no.
func firstKey(status string) string {
	switch status {
	case "yes", "in_progress", "no":
		return status
	}
	return "unknown"
}
