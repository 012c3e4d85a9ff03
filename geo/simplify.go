package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Detail names a detail level: the one type for it across the schema (region_geom_level.level),
// the read model, the API's ?detail= parameter and the OpenAPI enum.
type Detail string

// The detail levels, coarsest first.
const (
	DetailNational Detail = "national"
	DetailProvince Detail = "province"
	DetailFull     Detail = "full"
)

// Details lists the detail levels from coarsest to finest.
var Details = [...]Detail{DetailNational, DetailProvince, DetailFull}

// Level says how much detail one layer of the coverage keeps.
type Level struct {
	Name Detail
	// Tolerance is the Douglas–Peucker tolerance in degrees (0 keeps every vertex).
	Tolerance float64
	// Decimals is the number of decimals kept in each coordinate: vertices are snapped to a
	// grid of 10^-Decimals degrees before simplification, and GeoJSON is written with as many.
	Decimals int
	// MinIslandArea drops polygons smaller than this (planar degrees², 0 keeps all), except
	// that every region keeps its largest polygon.
	MinIslandArea float64
}

// The detail levels served. National is a whole-country map on one screen (~0.05° a pixel),
// province a province filling the screen, full a region's own page.
//
// National is sized to a budget of 50,000 bytes gzipped for the served layer (514 features with
// their properties): tolerance 0.08° (under two pixels) and islands below 5e-3 deg² (about
// 60 km², a pixel or two) dropped give ~44.6 KB on the real boundaries (8,158 vertices; 0.06° and
// 4e-3 gave 50.4 KB, 9,466). Tolerances from 0.078° to 0.09° all come out valid; 0.065–0.075°
// and 0.1° leave one feature invalid at some island thresholds (see the coverage test).
var (
	LevelNational = Level{Name: DetailNational, Tolerance: 0.08, Decimals: 3, MinIslandArea: 5e-3}
	LevelProvince = Level{Name: DetailProvince, Tolerance: 0.002, Decimals: 5}
	LevelFull     = Level{Name: DetailFull, Tolerance: 0.0001, Decimals: 6}
)

// Levels lists the detail levels from coarsest to finest.
func Levels() []Level { return []Level{LevelNational, LevelProvince, LevelFull} }

// LevelOf is the Level of a detail; ok is false for a name that is not one.
func LevelOf(d Detail) (Level, bool) {
	for _, l := range Levels() {
		if l.Name == d {
			return l, true
		}
	}
	return Level{}, false
}

// SimplifyStats describes one simplification.
type SimplifyStats struct {
	Level          string
	Vertices       int // in the output multipolygons, closing points included
	Polygons       int
	Rounds         int // repair rounds run (1 when nothing needed repair)
	ArcsRestored   int // arcs given more detail to resolve crossings or collapses
	Unresolved     int // arcs still crossing with every vertex kept (0 is the goal)
	DroppedIslands int // polygons dropped for being smaller than MinIslandArea
	CollapsedRings int // rings that collapsed to nothing and were dropped
}

const maxRepairRounds = 24

// Simplify returns the coverage simplified at level l, one multipolygon per input region in
// input order. Each arc is simplified once, so borders stay shared and no gap or overlap opens
// between neighbours; arcs that would cross or touch another arc (or themselves), and arcs of a
// region's largest polygon that would collapse, are given back detail until they do not.
func (t *Topology) Simplify(l Level) ([]orb.MultiPolygon, SimplifyStats) {
	st := SimplifyStats{Level: string(l.Name)}
	scale := math.Pow(10, float64(l.Decimals))
	snapped := make([][]orb.Point, len(t.arcs))
	for i, a := range t.arcs {
		snapped[i] = snapArc(a, scale)
	}
	tol := make([]float64, len(t.arcs))
	for i := range tol {
		tol[i] = l.Tolerance
	}
	simp := make([][]orb.Point, len(t.arcs))
	dirty := make([]bool, len(t.arcs))
	for i := range dirty {
		dirty[i] = true
	}
	restored := make([]bool, len(t.arcs))
	largest := make([]int, len(t.regions))
	for ri, polys := range t.regions {
		for pi, p := range polys {
			if p.area > polys[largest[ri]].area {
				largest[ri] = pi
			}
		}
	}

	// uses counts the rings using each arc: an arc used once is coastline. A polygon may be
	// dropped (as a small island, or when rounding leaves it unrepairable) only when it is not
	// its region's largest and touches the coast, so dropping it never opens a hole.
	uses := make([]int, len(t.arcs))
	type pref struct{ region, poly int }
	byArc := make([][]pref, len(t.arcs))
	for ri, polys := range t.regions {
		for pi, p := range polys {
			for _, ring := range p.rings {
				for _, ref := range ring {
					uses[arcIndex(ref)]++
					byArc[arcIndex(ref)] = append(byArc[arcIndex(ref)], pref{ri, pi})
				}
			}
		}
	}
	droppable := func(ri, pi int) bool {
		if pi == largest[ri] {
			return false
		}
		for _, ref := range t.regions[ri][pi].rings[0] {
			if uses[arcIndex(ref)] == 1 {
				return true
			}
		}
		return false
	}
	dropped := make([][]bool, len(t.regions))
	for ri, polys := range t.regions {
		dropped[ri] = make([]bool, len(polys))
		for pi, p := range polys {
			if p.area < l.MinIslandArea && droppable(ri, pi) {
				dropped[ri][pi] = true
				st.DroppedIslands++
			}
		}
	}

	var out []orb.MultiPolygon
	for round := 1; ; round++ {
		st.Rounds = round
		for i := range simp {
			if dirty[i] {
				simp[i] = simplifyArc(snapped[i], tol[i])
				dirty[i] = false
			}
		}
		out = make([]orb.MultiPolygon, len(t.regions))
		used := make([]bool, len(t.arcs))
		mark := make(map[int32]bool)
		var kept []keptRing
		st.CollapsedRings = 0
		for ri, polys := range t.regions {
			for pi, p := range polys {
				if dropped[ri][pi] {
					continue
				}
				ext := buildRing(p.rings[0], simp, true)
				if ext == nil {
					if pi == largest[ri] {
						for _, ref := range p.rings[0] {
							mark[arcIndex(ref)] = true
						}
					}
					st.CollapsedRings++
					continue
				}
				poly := orb.Polygon{ext}
				for _, refs := range p.rings[0] {
					used[arcIndex(refs)] = true
				}
				kept = append(kept, keptRing{refs: p.rings[0], simp: ext})
				for _, h := range p.rings[1:] {
					hr := buildRing(h, simp, false)
					if hr == nil {
						st.CollapsedRings++
						continue
					}
					for _, ref := range h {
						used[arcIndex(ref)] = true
					}
					poly = append(poly, hr)
					kept = append(kept, keptRing{refs: h, simp: hr})
				}
				out[ri] = append(out[ri], poly)
			}
		}
		for _, i := range crossingArcs(simp, used) {
			mark[i] = true
		}
		for _, i := range containmentChanges(kept, t.arcs, simp) {
			mark[i] = true
		}
		if len(mark) == 0 || round >= maxRepairRounds {
			st.Unresolved = len(mark)
			break
		}
		progress := false
		for i := range mark {
			if tol[i] == 0 {
				// All detail is back and rounding still makes it cross: drop the small
				// polygons using the arc.
				for _, pr := range byArc[i] {
					if !dropped[pr.region][pr.poly] && droppable(pr.region, pr.poly) {
						dropped[pr.region][pr.poly], progress = true, true
						st.DroppedIslands++
					}
				}
				continue
			}
			tol[i] /= 4
			if tol[i] < l.Tolerance/1000 {
				tol[i] = 0
			}
			dirty[i], restored[i], progress = true, true, true
		}
		if !progress {
			st.Unresolved = len(mark)
			break
		}
	}
	for _, r := range restored {
		if r {
			st.ArcsRestored++
		}
	}
	for _, mp := range out {
		st.Polygons += len(mp)
		for _, p := range mp {
			for _, r := range p {
				st.Vertices += len(r)
			}
		}
	}
	return out, st
}

func arcIndex(ref int32) int32 {
	if ref < 0 {
		return ^ref
	}
	return ref
}

// buildRing joins a ring's simplified arcs; it returns nil when the ring collapsed (fewer than
// three distinct vertices or no area). The ring is oriented counter-clockwise when exterior,
// clockwise otherwise (RFC 7946).
func buildRing(refs []int32, simp [][]orb.Point, exterior bool) orb.Ring {
	var r orb.Ring
	for _, ref := range refs {
		a := simp[arcIndex(ref)]
		for k := range a {
			p := a[k]
			if ref < 0 {
				p = a[len(a)-1-k]
			}
			if len(r) > 0 && r[len(r)-1] == p {
				continue
			}
			r = append(r, p)
		}
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	if len(r) < 4 {
		return nil
	}
	a := ringArea(r)
	if a == 0 {
		return nil
	}
	if (a > 0) != exterior {
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
	}
	return r
}

// snapArc rounds an arc's vertices to a grid of 1/scale degrees and drops repeats.
func snapArc(a []orb.Point, scale float64) []orb.Point {
	out := make([]orb.Point, 0, len(a))
	for _, p := range a {
		q := orb.Point{math.Round(p[0]*scale) / scale, math.Round(p[1]*scale) / scale}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	return out
}

// simplifyArc is Douglas–Peucker keeping both endpoints. A closed arc is split at its vertex
// farthest from the start and keeps at least one more vertex, so it never degenerates into a
// line by simplification alone.
func simplifyArc(a []orb.Point, tol float64) []orb.Point {
	n := len(a)
	if tol <= 0 || n <= 2 {
		return a
	}
	keep := make([]bool, n)
	keep[0], keep[n-1] = true, true
	if a[0] == a[n-1] {
		if n <= 4 {
			return a
		}
		m, best := 0, -1.0
		for i := 1; i < n-1; i++ {
			if d := dist2(a[i], a[0]); d > best {
				m, best = i, d
			}
		}
		keep[m] = true
		dp(a, 0, m, tol*tol, keep)
		dp(a, m, n-1, tol*tol, keep)
		count := 0
		for _, k := range keep {
			if k {
				count++
			}
		}
		if count < 4 {
			// Keep the vertex farthest from the chord start–m as the third corner.
			f, fd := -1, -1.0
			for i := 1; i < n-1; i++ {
				if i == m {
					continue
				}
				if d := segDist2(a[i], a[0], a[m]); d > fd {
					f, fd = i, d
				}
			}
			if f > 0 {
				keep[f] = true
			}
		}
	} else {
		dp(a, 0, n-1, tol*tol, keep)
	}
	out := make([]orb.Point, 0, n/4+2)
	for i, k := range keep {
		if k {
			out = append(out, a[i])
		}
	}
	return out
}

func dp(a []orb.Point, first, last int, tol2 float64, keep []bool) {
	type span struct{ i, j int }
	stack := []span{{first, last}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		idx, best := -1, tol2
		for k := s.i + 1; k < s.j; k++ {
			if d := segDist2(a[k], a[s.i], a[s.j]); d > best {
				idx, best = k, d
			}
		}
		if idx >= 0 {
			keep[idx] = true
			stack = append(stack, span{s.i, idx}, span{idx, s.j})
		}
	}
}

func dist2(a, b orb.Point) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

// segDist2 is the squared distance from p to segment ab.
func segDist2(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return dist2(p, a)
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return dist2(p, orb.Point{a[0] + t*dx, a[1] + t*dy})
}
