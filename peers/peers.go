// Package peers compares a region with groups of its peers — neighbours, same province, same
// kind, same fiscal group: how many of them have an MPP, the peer median of each indicator and
// the region's rank, and the one-sentence summary in Indonesian and English. Profile (profile.go)
// builds a region's whole comparison from a *data.Snapshot; the API and the dashboard both call it.
// It is pure: no I/O. Statuses are the four strings of the read model; "unknown" is never
// counted as "no".
package peers

import (
	"fmt"
	"sort"

	"mppmap/fiscal"
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
	for _, id := range indicators {
		var vals []float64
		for _, p := range peers {
			if v, ok := p.Values[id]; ok {
				vals = append(vals, v)
			}
		}
		g.Counts[id] = len(vals)
		if m, ok := Median(vals); ok {
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

// Quintiles is fiscal.Quintiles.
//
// Deprecated: use fiscal.Quintiles; fiscal groups are computed by package fiscal.
func Quintiles(values map[string]float64) map[string]int { return fiscal.Quintiles(values) }

// Bounds is fiscal.Bounds.
//
// Deprecated: use fiscal.Bounds or (*fiscal.Groups).Range.
func Bounds(values map[string]float64, q map[string]int) [5][2]float64 {
	return fiscal.Bounds(values, q)
}

// Neighbours is what the summary sentence says about the neighbour group.
type Neighbours struct {
	N, WithMPP, Unknown int
	Nearest             bool // the region has no land neighbour: these are its nearest regions
}

// Sentence writes the one-sentence summary of a region in "id" or "en", e.g.
// "Kabupaten X belum memiliki MPP; 7 dari 9 tetangganya sudah."
func Sentence(lang, name, status string, nb Neighbours) string {
	en := lang == "en"
	var first string
	switch status {
	case "yes":
		first = pick(en, name+" sudah memiliki MPP", name+" has an MPP")
	case "in_progress":
		first = pick(en, name+" sedang menyiapkan MPP", name+" is preparing an MPP")
	case "no":
		first = pick(en, name+" belum memiliki MPP", name+" has no MPP yet")
	default:
		first = pick(en, "Status MPP "+name+" belum diketahui", "Whether "+name+" has an MPP is not yet known")
	}
	if nb.N == 0 {
		return first + "."
	}
	noun := pick(en, "tetangganya", "neighbours")
	if nb.Nearest {
		noun = pick(en, "wilayah terdekatnya", "nearest regions")
	}
	var second string
	if en {
		verb := "do"
		if status == "yes" {
			verb = "do too"
		}
		if nb.WithMPP == 0 {
			second = fmt.Sprintf("none of its %d %s has one", nb.N, noun)
		} else {
			second = fmt.Sprintf("%d of its %d %s %s", nb.WithMPP, nb.N, noun, verb)
		}
		if status != "yes" && status != "no" && nb.WithMPP > 0 {
			second = fmt.Sprintf("%d of its %d %s have one", nb.WithMPP, nb.N, noun)
		}
		if nb.Unknown > 0 {
			second += fmt.Sprintf(", and for %d it is not yet known", nb.Unknown)
		}
	} else {
		adv := "sudah"
		if status == "yes" {
			adv = "juga sudah"
		} else if status != "no" {
			adv = "sudah memiliki MPP"
		}
		if nb.WithMPP == 0 {
			second = fmt.Sprintf("belum ada dari %d %s yang memiliki MPP", nb.N, noun)
		} else {
			second = fmt.Sprintf("%d dari %d %s %s", nb.WithMPP, nb.N, noun, adv)
		}
		if nb.Unknown > 0 {
			second += fmt.Sprintf(", %d belum diketahui", nb.Unknown)
		}
	}
	return first + "; " + second + "."
}

func pick(en bool, id, eng string) string {
	if en {
		return eng
	}
	return id
}
