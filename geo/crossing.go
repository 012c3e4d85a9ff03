package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// crossingArcs returns the used arcs having a segment that crosses, touches or runs along a
// segment of another arc or of itself. Arcs meeting at a shared endpoint are fine unless they
// fold back onto each other there.
func crossingArcs(arcs [][]orb.Point, used []bool) []int32 {
	type seg struct {
		arc, idx int32
	}
	var segs []seg
	var length float64
	minX, minY := math.Inf(1), math.Inf(1)
	for i, a := range arcs {
		if !used[i] {
			continue
		}
		for k := 0; k+1 < len(a); k++ {
			segs = append(segs, seg{int32(i), int32(k)})
			length += math.Abs(a[k+1][0]-a[k][0]) + math.Abs(a[k+1][1]-a[k][1])
			minX, minY = math.Min(minX, a[k][0]), math.Min(minY, a[k][1])
		}
	}
	if len(segs) == 0 {
		return nil
	}
	g := newGrid(minX, minY, math.Max(2*length/float64(len(segs)), 1e-9))
	cells := make(map[[2]int32][]int32, len(segs))
	for si, s := range segs {
		a, b := arcs[s.arc][s.idx], arcs[s.arc][s.idx+1]
		c0 := g.cell(orb.Point{math.Min(a[0], b[0]), math.Min(a[1], b[1])})
		c1 := g.cell(orb.Point{math.Max(a[0], b[0]), math.Max(a[1], b[1])})
		for cx := c0[0]; cx <= c1[0]; cx++ {
			for cy := c0[1]; cy <= c1[1]; cy++ {
				k := [2]int32{cx, cy}
				cells[k] = append(cells[k], int32(si))
			}
		}
	}
	bad := make(map[int32]bool)
	for _, list := range cells {
		for x := 0; x < len(list); x++ {
			s := segs[list[x]]
			a, b := arcs[s.arc][s.idx], arcs[s.arc][s.idx+1]
			for y := x + 1; y < len(list); y++ {
				u := segs[list[y]]
				if u.arc == s.arc && u.idx == s.idx {
					continue
				}
				if bad[s.arc] && bad[u.arc] {
					continue
				}
				c, d := arcs[u.arc][u.idx], arcs[u.arc][u.idx+1]
				if segmentsConflict(a, b, c, d) {
					bad[s.arc], bad[u.arc] = true, true
				}
			}
		}
	}
	out := make([]int32, 0, len(bad))
	for i := range bad {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// segmentsConflict reports whether segments ab and cd meet anywhere other than at one shared
// endpoint, or share an endpoint and overlap along a line from it.
func segmentsConflict(a, b, c, d orb.Point) bool {
	var p, q1, q2 orb.Point
	shared := 0
	switch {
	case a == c:
		p, q1, q2, shared = a, b, d, 1
	case a == d:
		p, q1, q2, shared = a, b, c, 1
	case b == c:
		p, q1, q2, shared = b, a, d, 1
	case b == d:
		p, q1, q2, shared = b, a, c, 1
	}
	if shared == 1 {
		if (a == c && b == d) || (a == d && b == c) {
			return true // the same segment twice
		}
		if orient(p, q1, q2) != 0 {
			return false
		}
		return (q1[0]-p[0])*(q2[0]-p[0])+(q1[1]-p[1])*(q2[1]-p[1]) > 0
	}
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	if o1*o2 < 0 && o3*o4 < 0 {
		return true
	}
	return o1 == 0 && onSegment(a, b, c) || o2 == 0 && onSegment(a, b, d) ||
		o3 == 0 && onSegment(c, d, a) || o4 == 0 && onSegment(c, d, b)
}

// orient is the sign of the turn a→b→c: 1 counter-clockwise, -1 clockwise, 0 collinear.
func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSegment reports whether p, collinear with ab, lies within its bounding box.
func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}
