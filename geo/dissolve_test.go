package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// mpShape summarises a multipolygon: polygons, holes, area.
type mpShape struct {
	polys, holes int
	area         float64
}

func shapeOf(mp orb.MultiPolygon) mpShape {
	s := mpShape{polys: len(mp)}
	for _, p := range mp {
		s.holes += len(p) - 1
		s.area += planar.Area(p)
	}
	return s
}

func TestDissolve(t *testing.T) {
	cw := sq(0, 0, 1, 1)
	cw.Reverse()
	lake := sq(1, 1, 2, 2)
	lake.Reverse()
	tests := []struct {
		name  string
		polys []orb.Polygon
		want  mpShape
	}{
		{"two squares, one edge shared", []orb.Polygon{{sq(0, 0, 1, 1)}, {sq(1, 0, 2, 1)}}, mpShape{1, 0, 2}},
		{"shared edge split by a node on both sides",
			[]orb.Polygon{{{{0, 0}, {1, 0}, {1, 0.5}, {1, 1}, {0, 1}, {0, 0}}}, {{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0.5}, {1, 0}}}}, mpShape{1, 0, 2}},
		{"clockwise input", []orb.Polygon{{cw}, {sq(1, 0, 2, 1)}}, mpShape{1, 0, 2}},
		{"corners touching stay two polygons", []orb.Polygon{{sq(0, 0, 1, 1)}, {sq(1, 1, 2, 2)}}, mpShape{2, 0, 2}},
		{"eight squares round an empty centre", ring8(), mpShape{1, 1, 8}},
		{"a lake with an island", []orb.Polygon{{sq(0, 0, 3, 3), lake}, {sq(1.25, 1.25, 1.75, 1.75)}}, mpShape{2, 1, 9 - 1 + 0.25}},
		{"lake filled by a face", []orb.Polygon{{sq(0, 0, 3, 3), lake}, {sq(1, 1, 2, 2)}}, mpShape{1, 0, 9}},
		// The empty centre touches the outside at (2,2) only: a hole touching the shell, as
		// OGC validity has it.
		{"hole touching the shell at a point", ring8()[:7], mpShape{1, 1, 7}},
		// The gap meets the outside at (2,1) and (1,2): two polygons touching at two points,
		// no hole (ST_Union gives the same).
		{"gap between two polygons touching at two points",
			[]orb.Polygon{{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}}, {{{2, 1}, {2, 2}, {1, 2}, {1.5, 1.5}, {2, 1}}}},
			mpShape{2, 0, 3.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, bad := Dissolve([][]orb.Polygon{tc.polys})
			if len(bad) != 0 {
				t.Fatalf("bad groups %v", bad)
			}
			got := shapeOf(out[0])
			if got.polys != tc.want.polys || got.holes != tc.want.holes || math.Abs(got.area-tc.want.area) > 1e-12 {
				t.Errorf("got %+v, want %+v: %v", got, tc.want, out[0])
			}
			for _, p := range out[0] {
				if ringArea(p[0]) <= 0 {
					t.Errorf("exterior not counter-clockwise: %v", p[0])
				}
				for _, h := range p[1:] {
					if ringArea(h) >= 0 {
						t.Errorf("hole not clockwise: %v", h)
					}
				}
			}
			var mps []orb.MultiPolygon
			for _, p := range tc.polys {
				mps = append(mps, orb.MultiPolygon{p})
			}
			if h := UnionHoles(mps); h != tc.want.holes {
				t.Errorf("UnionHoles %d, want %d", h, tc.want.holes)
			}
		})
	}
}

// ring8 is a 3×3 block of unit squares without its centre, the top right one last.
func ring8() []orb.Polygon {
	var out []orb.Polygon
	for x := 0; x < 3; x++ {
		for y := 0; y < 3; y++ {
			if (x != 1 || y != 1) && (x != 2 || y != 2) {
				out = append(out, orb.Polygon{sq(float64(x), float64(y), float64(x+1), float64(y+1))})
			}
		}
	}
	return append(out, orb.Polygon{sq(2, 2, 3, 3)})
}

// TestDissolveGrid checks Dissolve and UnionHoles against a grid whose answer is known: cells
// of a random grid are given to a few groups or left empty; each group's union has the area of
// its cells and one polygon per 4-connected set of its cells (sets meeting at a corner only are
// separate polygons, as in OGC validity), and each polygon has as many holes as the cells outside
// it make bounded 4-connected areas; so has the union of all.
func TestDissolveGrid(t *testing.T) {
	const n, groups = 24, 4
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		cell := make([][]int, n)
		for x := range cell {
			cell[x] = make([]int, n)
			for y := range cell[x] {
				cell[x][y] = rng.IntN(groups+1) - 1 // -1 is empty
				if rng.IntN(4) > 0 && x > 0 {
					cell[x][y] = cell[x-1][y] // blobs rather than noise
				}
			}
		}
		in := make([][]orb.Polygon, groups)
		cells := make([]int, groups)
		var all []orb.MultiPolygon
		for x := range cell {
			for y, g := range cell[x] {
				if g < 0 {
					continue
				}
				p := orb.Polygon{sq(float64(x), float64(y), float64(x+1), float64(y+1))}
				in[g] = append(in[g], p)
				cells[g]++
			}
		}
		out, bad := Dissolve(in)
		if len(bad) != 0 {
			t.Fatalf("trial %d: bad groups %v", trial, bad)
		}
		for g := range out {
			s := shapeOf(out[g])
			if s.area != float64(cells[g]) {
				t.Fatalf("trial %d group %d: area %v, want %d", trial, g, s.area, cells[g])
			}
			polys, holes := gridTruth(cell, n, func(v int) bool { return v == g })
			if s.polys != polys || s.holes != holes {
				t.Fatalf("trial %d group %d: %d polygons, %d holes; want %d, %d", trial, g, s.polys, s.holes, polys, holes)
			}
			all = append(all, out[g])
		}
		_, want := gridTruth(cell, n, func(v int) bool { return v >= 0 })
		if got := UnionHoles(all); got != want {
			t.Fatalf("trial %d: %d union holes, want %d", trial, got, want)
		}
	}
}

// gridTruth counts the polygons and holes of the union of the cells where in is true: one
// polygon per 4-connected set of cells, and for each the bounded 4-connected areas of the cells
// not in it.
func gridTruth(cell [][]int, n int, in func(int) bool) (polys, holes int) {
	// Pad with a ring of cells in no set, so that everything outside is one area.
	m := n + 2
	label := make([][]int, m)
	for x := range label {
		label[x] = make([]int, m)
		for y := range label[x] {
			label[x][y] = -1
			if x > 0 && y > 0 && x <= n && y <= n && in(cell[x-1][y-1]) {
				label[x][y] = 0
			}
		}
	}
	polys = flood(label, m, func(v int) bool { return v == 0 }, func(id int) int { return id + 1 })
	for id := 1; id <= polys; id++ {
		seen := make([][]int, m)
		for x := range seen {
			seen[x] = make([]int, m)
			for y := range seen[x] {
				if label[x][y] == id {
					seen[x][y] = 1
				}
			}
		}
		holes += flood(seen, m, func(v int) bool { return v == 0 }, func(int) int { return 2 }) - 1
	}
	return polys, holes
}

// flood labels the 4-connected areas of cells where free is true, setting each to mark(k) for
// the k-th area, and returns how many there are.
func flood(g [][]int, m int, free func(int) bool, mark func(int) int) int {
	count := 0
	for x := 0; x < m; x++ {
		for y := 0; y < m; y++ {
			if !free(g[x][y]) {
				continue
			}
			v := mark(count)
			count++
			g[x][y] = v
			stack := [][2]int{{x, y}}
			for len(stack) > 0 {
				c := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					u, w := c[0]+d[0], c[1]+d[1]
					if u >= 0 && w >= 0 && u < m && w < m && free(g[u][w]) {
						g[u][w] = v
						stack = append(stack, [2]int{u, w})
					}
				}
			}
		}
	}
	return count
}

func TestSharedBorders(t *testing.T) {
	// A 2×2 block of unit squares, the left pair's border split by a node on one side only
	// (not shared then, as the rule says), and a square touching the block at a corner.
	polys := []orb.Polygon{
		{sq(0, 0, 1, 1)},
		{sq(1, 0, 2, 1)},
		{sq(0, 1, 1, 2)},
		{{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1.5}, {1, 1}}}, // its left edge is split at (1, 1.5)
		{sq(2, 2, 3, 3)},
	}
	got := map[[2]int]float64{}
	for _, b := range SharedBorders(polys) {
		got[[2]int{b.A, b.B}] = b.Length
	}
	want := map[[2]int]float64{{0, 1}: 1, {0, 2}: 1, {1, 3}: 1}
	if len(got) != len(want) {
		t.Errorf("borders %v, want %v", got, want)
	}
	for k, l := range want {
		if got[k] != l {
			t.Errorf("border %v: %v, want %v", k, got[k], l)
		}
	}
}
