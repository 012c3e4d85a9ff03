package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Dissolve returns the union of each group of polygons, for polygons that tile their union the
// way the faces of one noding do: no two overlap, and where two meet they share the same
// vertices along the whole shared edge. groups[i] gives Dissolve(groups)[i].
//
// Why not ST_Union: for such input the union is only bookkeeping, and doing it in memory takes
// milliseconds where PostGIS 3.3's fixed-precision ST_Union of the ~27,000 faces of our
// boundaries took 8 s of CPU (snap-rounding every face again). Each ring is oriented so that its
// polygon lies on its left; a directed edge met again in the opposite direction is interior
// and cancels; what is left is the union's boundary, traced into rings turning as far left as
// possible at every vertex (so that rings touching at a point come out as separate rings, as
// OGC validity wants). Counter-clockwise rings are exteriors, clockwise ones holes, each given to
// the smallest exterior around it.
//
// bad lists the groups whose boundary could not be assembled (a hole inside no exterior, which
// only input that breaks the rules above produces); their entry in the result is nil, and the
// caller should union them by other means.
func Dissolve(groups [][]orb.Polygon) (out []orb.MultiPolygon, bad []int) {
	out = make([]orb.MultiPolygon, len(groups))
	for gi, polys := range groups {
		shells, holes := traceBoundary(polys)
		mp, ok := assemble(shells, holes)
		if !ok {
			bad = append(bad, gi)
			continue
		}
		out[gi] = mp
	}
	return out, bad
}

// UnionHoles counts the interior rings (holes) of the union of an edge-matched coverage: the
// regions do not overlap and neighbours share their border vertices, as the clean coverage and
// every level simplified from its shared arcs do. It is ST_NumInteriorRings of ST_Union, without
// the union (3–5 s of CPU for each of our 150,000-vertex layers).
//
// It never counts fewer holes than the union has: a gap between regions leaves its edges
// uncancelled, which trace a hole. Where neighbours do not share a vertex (a T-junction) the
// uncancelled edges trace a hole of next to no area that the union would not have, so on input
// that breaks the rule it errs towards more holes. Overlaps must be ruled out separately.
func UnionHoles(coverage []orb.MultiPolygon) int {
	var polys []orb.Polygon
	for _, mp := range coverage {
		polys = append(polys, mp...)
	}
	_, holes := traceBoundary(polys)
	return len(holes)
}

// dedge is a directed edge of a ring, its polygon on the left.
type dedge struct{ from, to orb.Point }

// traceBoundary cancels the shared edges of polys and traces what is left into closed rings
// (closing point repeated): shells counter-clockwise, holes clockwise; rings without area are
// dropped.
func traceBoundary(polys []orb.Polygon) (shells, holes []orb.Ring) {
	// Edges in input order (for a deterministic result) and, per directed edge, the indices of
	// its live copies, so that an opposite edge can cancel one.
	var edges []dedge
	var alive []bool
	live := make(map[dedge][]int32)
	for _, poly := range polys {
		for k, ring := range poly {
			pts := openRing(ring)
			n := len(pts)
			if n < 3 {
				continue
			}
			a := openRingArea(pts)
			if a == 0 {
				continue
			}
			rev := (k == 0) != (a > 0) // exteriors counter-clockwise, holes clockwise
			for i := 0; i < n; i++ {
				p, q := pts[i], pts[(i+1)%n]
				if rev {
					p, q = pts[(n-i)%n], pts[n-1-i]
				}
				back := dedge{q, p}
				if ids := live[back]; len(ids) > 0 {
					alive[ids[len(ids)-1]] = false
					if len(ids) == 1 {
						delete(live, back)
					} else {
						live[back] = ids[:len(ids)-1]
					}
					continue
				}
				e := dedge{p, q}
				live[e] = append(live[e], int32(len(edges)))
				edges = append(edges, e)
				alive = append(alive, true)
			}
		}
	}
	out := make(map[orb.Point][]int32)
	for i, e := range edges {
		if alive[i] {
			out[e.from] = append(out[e.from], int32(i))
		}
	}
	used := make([]bool, len(edges))
	var walk []orb.Point
	for start := range edges {
		if !alive[start] || used[start] {
			continue
		}
		// Walk until stuck: every vertex has as many live edges in as out, so the walk ends
		// where it began.
		walk = walk[:0]
		cur := int32(start)
		used[cur] = true
		walk = append(walk, edges[cur].from)
		for {
			e := edges[cur]
			walk = append(walk, e.to)
			next, best := int32(-1), math.Inf(1)
			back := math.Atan2(e.from[1]-e.to[1], e.from[0]-e.to[0])
			for _, c := range out[e.to] {
				if used[c] {
					continue
				}
				w := edges[c].to
				// Clockwise angle from the way back to the way out: the smallest is the
				// sharpest left turn; going straight back comes last.
				cw := back - math.Atan2(w[1]-e.to[1], w[0]-e.to[0])
				for cw <= 0 {
					cw += 2 * math.Pi
				}
				if cw < best {
					next, best = c, cw
				}
			}
			if next < 0 {
				break
			}
			used[next] = true
			cur = next
		}
		// Split the closed walk into simple rings at each vertex it visits twice.
		for _, r := range splitWalk(walk) {
			switch a := ringArea(r); {
			case a > 0:
				shells = append(shells, r)
			case a < 0:
				holes = append(holes, r)
			}
		}
	}
	return shells, holes
}

// splitWalk cuts a closed walk (first point repeated at the end) into simple closed rings.
func splitWalk(walk []orb.Point) []orb.Ring {
	var rings []orb.Ring
	var stack []orb.Point
	pos := make(map[orb.Point]int, len(walk))
	for _, p := range walk {
		j, seen := pos[p]
		if !seen {
			pos[p] = len(stack)
			stack = append(stack, p)
			continue
		}
		if len(stack)-j >= 3 {
			r := make(orb.Ring, 0, len(stack)-j+1)
			r = append(r, stack[j:]...)
			rings = append(rings, append(r, p))
		}
		for _, q := range stack[j+1:] {
			delete(pos, q)
		}
		stack = stack[:j+1]
	}
	return rings
}

// assemble gives each hole to the smallest shell around it; ok is false when a hole lies in
// no shell.
func assemble(shells, holes []orb.Ring) (orb.MultiPolygon, bool) {
	if len(shells) == 0 {
		return nil, len(holes) == 0
	}
	mp := make(orb.MultiPolygon, len(shells))
	bounds := make([]orb.Bound, len(shells))
	areas := make([]float64, len(shells))
	for i, s := range shells {
		mp[i] = orb.Polygon{s}
		bounds[i] = s.Bound()
		areas[i] = ringArea(s)
	}
	for _, h := range holes {
		hb := h.Bound()
		best := -1
		for i, s := range shells {
			if !bounds[i].Contains(hb.Min) || !bounds[i].Contains(hb.Max) {
				continue
			}
			if best >= 0 && areas[i] >= areas[best] {
				continue
			}
			if ringAround(s, h) {
				best = i
			}
		}
		if best < 0 {
			return nil, false
		}
		mp[best] = append(mp[best], h)
	}
	return mp, true
}

// ringAround reports whether ring s encloses ring h, which it does not cross: decided at the
// first vertex of h (or midpoint of an edge of h) that is not on s.
func ringAround(s, h orb.Ring) bool {
	for _, p := range h {
		if !onBoundary(p, s) {
			return pointInRing(p, s)
		}
	}
	for i := 0; i+1 < len(h); i++ {
		p := orb.Point{(h[i][0] + h[i+1][0]) / 2, (h[i][1] + h[i+1][1]) / 2}
		if !onBoundary(p, s) {
			return pointInRing(p, s)
		}
	}
	return false
}

// openRingArea is the signed area of a ring given without its closing point.
func openRingArea(pts []orb.Point) float64 {
	var s float64
	n := len(pts)
	for i := range pts {
		p, q := pts[i], pts[(i+1)%n]
		s += p[0]*q[1] - q[0]*p[1]
	}
	return s / 2
}

// Border is the length of the edges two polygons share (planar degrees).
type Border struct {
	A, B   int // indices into the polygons, A < B
	Length float64
}

// SharedBorders returns, for every pair of polygons that share edges, the total length of the
// shared edges, in order of first contact. Like Dissolve it needs polygons that meet along
// identical vertices (the faces of one noding): an edge shared by two polygons then appears in
// both, once in each direction; polygons that touch at points only share no border.
//
// It replaces, for our 26,800 faces, a PostGIS join that intersected each sliver's boundary
// with every neighbour's (0.5 s of CPU per import).
func SharedBorders(polys []orb.Polygon) []Border {
	first := make(map[dedge]int32)
	index := make(map[[2]int32]int)
	var out []Border
	for pi, poly := range polys {
		for k, ring := range poly {
			pts := openRing(ring)
			n := len(pts)
			if n < 3 {
				continue
			}
			a := openRingArea(pts)
			if a == 0 {
				continue
			}
			rev := (k == 0) != (a > 0)
			for i := 0; i < n; i++ {
				p, q := pts[i], pts[(i+1)%n]
				if rev {
					p, q = pts[(n-i)%n], pts[n-1-i]
				}
				other, ok := first[dedge{q, p}]
				if !ok {
					first[dedge{p, q}] = int32(pi)
					continue
				}
				if int(other) == pi {
					continue
				}
				key := [2]int32{other, int32(pi)}
				if key[0] > key[1] {
					key[0], key[1] = key[1], key[0]
				}
				j, seen := index[key]
				if !seen {
					j = len(out)
					index[key] = j
					out = append(out, Border{A: int(key[0]), B: int(key[1])})
				}
				out[j].Length += math.Hypot(q[0]-p[0], q[1]-p[1])
			}
		}
	}
	return out
}
