package factors

import (
	"math"
	"sort"

	"mppmap/data"
	"mppmap/round"
	"mppmap/stats"
)

// SimilarMax is how many similar regions with an MPP a region page lists.
const SimilarMax = 5

// SimilarMinShared is how many of the similarity variables two regions must both have.
const SimilarMinShared = 3

// SimilarVars are the factors the similarity rests on, each standardised over every region with
// a value: PAD share, IPM, poverty, log10 density, log10 population.
var SimilarVars = []string{PADShare, IPM, Poverty, Density, Population}

// Similar is a region like another one that already has an MPP.
type Similar struct {
	Code     string
	Distance float64 // root mean square of the standardised differences, round.Figure
	Shared   int     // variables both regions have
}

// similar finds, for every region, the SimilarMax regions with an MPP nearest to it: distance is
// the root mean square difference of the standardised SimilarVars both have (at least
// SimilarMinShared), ties by code. Association with the same conditions, not a recipe: it says
// who to call, not what will work.
func similar(s *data.Snapshot, a *Analysis) map[string][]Similar {
	type vec struct {
		z   []float64
		has []bool
	}
	vecs := map[string]*vec{}
	for _, r := range s.Regions {
		vecs[r.Code] = &vec{z: make([]float64, len(SimilarVars)), has: make([]bool, len(SimilarVars))}
	}
	for j, id := range SimilarVars {
		f, ok := a.Factor(id)
		if !ok {
			continue
		}
		var codes []string
		var xs []float64
		for _, r := range s.Regions {
			v, ok := f.Value(r.Code)
			if !ok || !finite(v) {
				continue
			}
			if id == Density || id == Population {
				if v <= 0 {
					continue
				}
				v = math.Log10(v)
			}
			codes = append(codes, r.Code)
			xs = append(xs, v)
		}
		z, _, _, ok := stats.Standardize(xs)
		if !ok {
			continue
		}
		for i, c := range codes {
			vecs[c].z[j], vecs[c].has[j] = z[i], true
		}
	}
	out := make(map[string][]Similar, len(s.Regions))
	var cands []Similar // one scratch list for every region: only the top SimilarMax are kept
	for _, r := range s.Regions {
		self := vecs[r.Code]
		cands = cands[:0]
		for _, o := range s.Regions {
			if o.Code == r.Code || o.Status != data.StatusYes {
				continue
			}
			other := vecs[o.Code]
			sum, n := 0.0, 0
			for j := range SimilarVars {
				if self.has[j] && other.has[j] {
					d := self.z[j] - other.z[j]
					sum += d * d
					n++
				}
			}
			if n < SimilarMinShared {
				continue
			}
			cands = append(cands, Similar{Code: o.Code, Distance: math.Sqrt(sum / float64(n)), Shared: n})
		}
		sort.Slice(cands, func(i, j int) bool {
			if cands[i].Distance != cands[j].Distance {
				return cands[i].Distance < cands[j].Distance
			}
			return cands[i].Code < cands[j].Code
		})
		// A copy of the top few: keeping a slice of the scratch list would keep all of it (each
		// region's candidates are the ~300 regions with an MPP: 11.7 MB per Model, measured).
		top := make([]Similar, min(len(cands), SimilarMax))
		copy(top, cands)
		for i := range top {
			top[i].Distance = round.Figure(top[i].Distance)
		}
		out[r.Code] = top
	}
	return out
}
