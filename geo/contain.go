package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// keptRing is a ring of the output with the arcs it was built from.
type keptRing struct {
	refs []int32
	simp orb.Ring
}

// containmentChanges finds rings that simplification moved across another ring without any
// segments crossing: an island swallowed by a neighbouring coast, or a hole that left its
// shell. For each ring it takes its first vertex (an arc endpoint, kept by simplification) and
// compares on which side of every nearby ring it lies before and after; where that changed, the
// arcs of both rings are returned.
func containmentChanges(kept []keptRing, orig, simp [][]orb.Point) []int32 {
	if len(kept) < 2 {
		return nil
	}
	origRings := make([]orb.Ring, len(kept))
	boxes := make([]orb.Bound, len(kept))
	for i, k := range kept {
		origRings[i] = buildRing(k.refs, orig, true)
		if origRings[i] == nil {
			origRings[i] = orb.Ring{}
		}
		boxes[i] = k.simp.Bound().Union(origRings[i].Bound())
	}
	const cell = 0.5
	cells := make(map[[2]int32][]int32)
	key := func(x, y float64) [2]int32 { return [2]int32{int32(math.Floor(x / cell)), int32(math.Floor(y / cell))} }
	for i, b := range boxes {
		c0, c1 := key(b.Min[0], b.Min[1]), key(b.Max[0], b.Max[1])
		for x := c0[0]; x <= c1[0]; x++ {
			for y := c0[1]; y <= c1[1]; y++ {
				cells[[2]int32{x, y}] = append(cells[[2]int32{x, y}], int32(i))
			}
		}
	}
	bad := make(map[int32]bool)
	markRing := func(i int) {
		for _, ref := range kept[i].refs {
			bad[arcIndex(ref)] = true
		}
	}
	for a, k := range kept {
		first := k.refs[0]
		var po, ps orb.Point
		oa, sa := orig[arcIndex(first)], simp[arcIndex(first)]
		if first >= 0 {
			po, ps = oa[0], sa[0]
		} else {
			po, ps = oa[len(oa)-1], sa[len(sa)-1]
		}
		for _, b := range cells[key(po[0], po[1])] {
			if int(b) == a || !boxes[b].Contains(po) && !boxes[b].Contains(ps) {
				continue
			}
			ro, rs := origRings[b], kept[b].simp
			if onBoundary(po, ro) || onBoundary(ps, rs) {
				continue
			}
			if pointInRing(po, ro) != pointInRing(ps, rs) {
				markRing(a)
				markRing(int(b))
			}
		}
	}
	out := make([]int32, 0, len(bad))
	for i := range bad {
		out = append(out, i)
	}
	return out
}

// pointInRing is the even-odd test for p against a closed ring.
func pointInRing(p orb.Point, r orb.Ring) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// onBoundary reports whether p lies on a segment of r.
func onBoundary(p orb.Point, r orb.Ring) bool {
	for i := 0; i+1 < len(r); i++ {
		if orient(r[i], r[i+1], p) == 0 && onSegment(r[i], r[i+1], p) {
			return true
		}
	}
	return false
}
