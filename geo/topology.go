package geo

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Topology is a polygon coverage held as shared arcs: every border between two regions is one
// arc, used forwards by one region and backwards by the other. Build it once with
// NewTopology and simplify it at as many levels as needed; it is not modified by Simplify.
type Topology struct {
	arcs      [][]orb.Point // original (noded) vertices; arcs[i][0] and arcs[i][last] are junctions
	regions   [][]polyRef   // per input region, its polygons
	junctions int
	inserted  int // T-junction vertices inserted by noding
}

// polyRef is one polygon as arc references: ref >= 0 is arc ref forwards, ref < 0 is arc ^ref
// backwards (TopoJSON's convention). rings[0] is the exterior.
type polyRef struct {
	rings [][]int32
	area  float64 // of the input polygon (exterior minus holes), planar degrees²
}

// TopologyStats describes a built topology.
type TopologyStats struct {
	Regions   int
	Polygons  int
	Rings     int
	Arcs      int
	Junctions int
	Vertices  int // distinct arc vertices, each shared border counted once
	TInserted int // vertices inserted where one ring's vertex lay on another ring's segment
}

// Stats reports the size of t.
func (t *Topology) Stats() TopologyStats {
	s := TopologyStats{Regions: len(t.regions), Arcs: len(t.arcs), Junctions: t.junctions, TInserted: t.inserted}
	for _, polys := range t.regions {
		s.Polygons += len(polys)
		for _, p := range polys {
			s.Rings += len(p.rings)
		}
	}
	for _, a := range t.arcs {
		s.Vertices += len(a) - 1
	}
	return s
}

// NewTopology builds the arc topology of a coverage: regions[i] is region i's geometry. The
// coverage should be edge-matched (no overlaps; neighbours share their border vertices, as
// data.RebuildCoverage produces). A vertex of one ring closer than snap to another ring's segment
// is inserted into that segment (T-junction noding); snap 0 inserts only exactly collinear ones.
func NewTopology(regions []orb.MultiPolygon, snap float64) *Topology {
	// Flatten rings, cleaned: no closing point, no repeated consecutive points.
	type ringPos struct{ region, poly, ring int }
	var rings [][]orb.Point
	var pos []ringPos
	t := &Topology{regions: make([][]polyRef, len(regions))}
	for ri, mp := range regions {
		for _, poly := range mp {
			pi := -1
			for k, ring := range poly {
				pts := openRing(ring)
				if len(pts) < 3 {
					if k == 0 {
						break // the exterior collapsed: drop the polygon
					}
					continue
				}
				if k == 0 {
					t.regions[ri] = append(t.regions[ri], polyRef{area: polygonArea(poly)})
					pi = len(t.regions[ri]) - 1
				}
				rings = append(rings, pts)
				pos = append(pos, ringPos{ri, pi, k})
			}
		}
	}
	rings, t.inserted = nodeRings(rings, snap)

	// Junctions: a vertex whose neighbours differ between the rings using it.
	type nb struct {
		prev, next orb.Point
		junction   bool
	}
	seen := make(map[orb.Point]*nb, 1<<16)
	for _, pts := range rings {
		n := len(pts)
		for i, p := range pts {
			prev, next := pts[(i+n-1)%n], pts[(i+1)%n]
			s := seen[p]
			if s == nil {
				seen[p] = &nb{prev: prev, next: next}
				continue
			}
			if !(s.prev == prev && s.next == next || s.prev == next && s.next == prev) {
				s.junction = true
			}
		}
	}

	// Cut rings at junctions and dedupe arcs.
	index := make(map[string]int32, 1<<14)
	var key []byte
	addArc := func(a []orb.Point) int32 {
		rev := lessReversed(a)
		key = key[:0]
		for k := range a {
			p := a[k]
			if rev {
				p = a[len(a)-1-k]
			}
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(p[0]+0))
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(p[1]+0))
		}
		id, ok := index[string(key)]
		if !ok {
			c := slices.Clone(a)
			if rev {
				slices.Reverse(c)
			}
			id = int32(len(t.arcs))
			t.arcs = append(t.arcs, c)
			index[string(key)] = id
		}
		if rev {
			return ^id
		}
		return id
	}
	for ri, pts := range rings {
		n := len(pts)
		first := -1
		for i, p := range pts {
			if seen[p].junction {
				first = i
				break
			}
		}
		var refs []int32
		if first < 0 {
			// No junction: one closed arc, started at its smallest vertex.
			m := 0
			for i := range pts {
				if lessPoint(pts[i], pts[m]) {
					m = i
				}
			}
			a := make([]orb.Point, 0, n+1)
			a = append(a, pts[m:]...)
			a = append(a, pts[:m]...)
			a = append(a, pts[m])
			refs = append(refs, addArc(a))
		} else {
			cur := []orb.Point{pts[first]}
			for k := 1; k <= n; k++ {
				p := pts[(first+k)%n]
				cur = append(cur, p)
				if seen[p].junction {
					refs = append(refs, addArc(cur))
					cur = []orb.Point{p}
				}
			}
		}
		rp := pos[ri]
		poly := &t.regions[rp.region][rp.poly]
		poly.rings = append(poly.rings, refs)
	}
	for _, s := range seen {
		if s.junction {
			t.junctions++
		}
	}
	return t
}

// openRing returns ring without its closing point and without repeated consecutive points.
func openRing(ring orb.Ring) []orb.Point {
	out := make([]orb.Point, 0, len(ring))
	for _, p := range ring {
		if len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

func lessPoint(a, b orb.Point) bool {
	return a[0] < b[0] || a[0] == b[0] && a[1] < b[1]
}

// lessReversed reports whether a read backwards sorts before a read forwards, which makes the
// backwards reading the arc's canonical direction.
func lessReversed(a []orb.Point) bool {
	n := len(a)
	for k := 0; k < n; k++ {
		f, r := a[k], a[n-1-k]
		if f != r {
			return lessPoint(r, f)
		}
	}
	return false
}

// ringArea is the signed planar area of a closed ring (positive when counter-clockwise).
func ringArea(r []orb.Point) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

func polygonArea(p orb.Polygon) float64 {
	if len(p) == 0 {
		return 0
	}
	a := math.Abs(ringArea(p[0]))
	for _, h := range p[1:] {
		a -= math.Abs(ringArea(h))
	}
	return a
}

// nodeRings inserts into each ring's segments the vertices of other rings that lie on them
// (within snap), so that both sides of a border carry the same vertices.
func nodeRings(rings [][]orb.Point, snap float64) ([][]orb.Point, int) {
	total := 0
	var minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	var segLen float64
	for _, r := range rings {
		total += len(r)
		for i, p := range r {
			minX, minY = math.Min(minX, p[0]), math.Min(minY, p[1])
			maxX, maxY = math.Max(maxX, p[0]), math.Max(maxY, p[1])
			q := r[(i+1)%len(r)]
			segLen += math.Abs(q[0]-p[0]) + math.Abs(q[1]-p[1])
		}
	}
	if total == 0 {
		return rings, 0
	}
	g := newGrid(minX, minY, math.Max(2*segLen/float64(total), 1e-9))
	type vref struct{ ring, idx int32 }
	cells := make(map[[2]int32][]vref, total/2)
	for ri, r := range rings {
		for i, p := range r {
			c := g.cell(p)
			cells[c] = append(cells[c], vref{int32(ri), int32(i)})
		}
	}
	type ins struct {
		t float64
		p orb.Point
	}
	inserted := 0
	out := make([][]orb.Point, len(rings))
	for ri, r := range rings {
		n := len(r)
		var res []orb.Point
		for i := 0; i < n; i++ {
			a, b := r[i], r[(i+1)%n]
			var found []ins
			c0 := g.cell(orb.Point{math.Min(a[0], b[0]) - snap, math.Min(a[1], b[1]) - snap})
			c1 := g.cell(orb.Point{math.Max(a[0], b[0]) + snap, math.Max(a[1], b[1]) + snap})
			dx, dy := b[0]-a[0], b[1]-a[1]
			l2 := dx*dx + dy*dy
			for cx := c0[0]; cx <= c1[0]; cx++ {
				for cy := c0[1]; cy <= c1[1]; cy++ {
					for _, v := range cells[[2]int32{cx, cy}] {
						if int(v.ring) == ri {
							continue
						}
						p := rings[v.ring][v.idx]
						if p == a || p == b || l2 == 0 {
							continue
						}
						tt := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
						if tt <= 0 || tt >= 1 {
							continue
						}
						cross := (p[0]-a[0])*dy - (p[1]-a[1])*dx
						if cross*cross > snap*snap*l2 { // distance to the line > snap
							continue
						}
						found = append(found, ins{tt, p})
					}
				}
			}
			if found == nil {
				if res != nil {
					res = append(res, a)
				}
				continue
			}
			if res == nil {
				res = append(make([]orb.Point, 0, n+len(found)), r[:i]...)
			}
			res = append(res, a)
			slices.SortFunc(found, func(x, y ins) int {
				if x.t < y.t {
					return -1
				}
				if x.t > y.t {
					return 1
				}
				return 0
			})
			for _, f := range found {
				if res[len(res)-1] != f.p && f.p != b {
					res = append(res, f.p)
					inserted++
				}
			}
		}
		if res == nil {
			out[ri] = r
		} else {
			out[ri] = res
		}
	}
	return out, inserted
}

// grid maps points to square cells of a uniform grid.
type grid struct {
	x0, y0, size float64
}

func newGrid(x0, y0, size float64) grid { return grid{x0, y0, size} }

func (g grid) cell(p orb.Point) [2]int32 {
	return [2]int32{int32(math.Floor((p[0] - g.x0) / g.size)), int32(math.Floor((p[1] - g.y0) / g.size))}
}
