package geo

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func sq(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// wiggly is a ring from (x0,0) up to (x0,1) along a zig-zag border and back round the square.
func wigglyPair() []orb.MultiPolygon {
	var border []orb.Point
	for i := 0; i <= 100; i++ {
		y := float64(i) / 100
		border = append(border, orb.Point{1 + 0.001*math.Sin(float64(i)), y})
	}
	left := orb.Ring{{0, 0}}
	left = append(left, border...)
	left = append(left, orb.Point{0, 1}, orb.Point{0, 0})
	right := orb.Ring{{2, 0}, {2, 1}}
	for i := len(border) - 1; i >= 0; i-- {
		right = append(right, border[i])
	}
	right = append(right, orb.Point{2, 0})
	return []orb.MultiPolygon{{{left}}, {{right}}}
}

func vertexSet(mp orb.MultiPolygon) map[orb.Point]bool {
	m := map[orb.Point]bool{}
	for _, p := range mp {
		for _, r := range p {
			for _, q := range r {
				m[q] = true
			}
		}
	}
	return m
}

func TestSimplifySharedBorder(t *testing.T) {
	tests := []struct {
		name  string
		level Level
	}{
		{"coarse", Level{Name: "coarse", Tolerance: 0.01, Decimals: 3}},
		{"fine", Level{Name: "fine", Tolerance: 0.0001, Decimals: 5}},
		{"no simplification", Level{Name: "none", Decimals: 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, st := NewTopology(wigglyPair(), 0).Simplify(tc.level)
			if st.Unresolved != 0 || len(out) != 2 {
				t.Fatalf("stats %+v", st)
			}
			l, r := vertexSet(out[0]), vertexSet(out[1])
			// Every vertex near x=1 (the border) must be used by both sides.
			for p := range l {
				if p[0] > 0.5 && !r[p] {
					t.Errorf("border vertex %v only on the left", p)
				}
			}
			for p := range r {
				if p[0] < 1.5 && !l[p] {
					t.Errorf("border vertex %v only on the right", p)
				}
			}
			var area float64
			for _, mp := range out {
				for _, p := range mp {
					if ringArea(p[0]) <= 0 {
						t.Errorf("exterior not counter-clockwise")
					}
					area += polygonArea(p)
				}
			}
			if math.Abs(area-2) > 1e-9 {
				t.Errorf("total area %v, want 2 (no gap, no overlap)", area)
			}
		})
	}
}

func TestTopologyTJunction(t *testing.T) {
	tests := []struct {
		name     string
		regions  []orb.MultiPolygon
		snap     float64
		inserted int
		arcs     int
	}{
		// Left square's right side is one segment; two right squares meet it at (1,1).
		{"exact T", []orb.MultiPolygon{{{sq(0, 0, 1, 2)}}, {{sq(1, 0, 2, 1)}}, {{sq(1, 1, 2, 2)}}}, 0, 1, 6},
		// The T vertex is 1e-9 off the segment: inserted only with a snap tolerance.
		{"near T snapped", []orb.MultiPolygon{{{sq(0, 0, 1, 2)}}, {{{{1, 0}, {2, 0}, {2, 1}, {1 + 1e-9, 1}, {1, 0}}}}, {{{{1 + 1e-9, 1}, {2, 1}, {2, 2}, {1, 2}, {1 + 1e-9, 1}}}}}, 1e-7, 1, 6},
		{"no T", []orb.MultiPolygon{{{sq(0, 0, 1, 1)}}, {{sq(1, 0, 2, 1)}}}, 0, 0, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := NewTopology(tc.regions, tc.snap).Stats()
			if st.TInserted != tc.inserted || st.Arcs != tc.arcs {
				t.Errorf("inserted %d arcs %d, want %d and %d (%+v)", st.TInserted, st.Arcs, tc.inserted, tc.arcs, st)
			}
		})
	}
}

func TestSimplifyCollapse(t *testing.T) {
	big := sq(0, 0, 1, 1)
	tiny := sq(3, 3, 3.002, 3.002) // below MinIslandArea
	tests := []struct {
		name     string
		regions  []orb.MultiPolygon
		polygons []int
	}{
		{"tiny island dropped", []orb.MultiPolygon{{{big}, {tiny}}}, []int{1}},
		{"tiny region keeps its only polygon", []orb.MultiPolygon{{{big}}, {{tiny}}}, []int{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, st := NewTopology(tc.regions, 0).Simplify(Level{Name: "x", Tolerance: 0.01, Decimals: 3, MinIslandArea: 1e-4})
			for i, want := range tc.polygons {
				if len(out[i]) != want {
					t.Errorf("region %d: %d polygons, want %d (%+v)", i, len(out[i]), want, st)
				}
			}
		})
	}
}

func TestSimplifyRepairsCrossing(t *testing.T) {
	// A coast with a deep narrow inlet; an island sits inside the inlet. Simplifying the coast
	// at 0.5° would cut across the island; repair must restore the coast's detail.
	coast := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {5.2, 10}, {5.2, 2}, {4.8, 2}, {4.8, 10}, {0, 10}, {0, 0}}
	island := sq(4.9, 5, 5.1, 6)
	regions := []orb.MultiPolygon{{{coast}}, {{island}}}
	out, st := NewTopology(regions, 0).Simplify(Level{Name: "x", Tolerance: 1, Decimals: 3})
	if st.ArcsRestored == 0 || st.Unresolved != 0 {
		t.Errorf("stats %+v: want restored arcs and nothing unresolved", st)
	}
	if len(out[0][0][0]) != len(coast) {
		t.Errorf("coast has %d vertices, want all %d back", len(out[0][0][0]), len(coast))
	}
	if got := segmentsConflict(orb.Point{0, 0}, orb.Point{2, 2}, orb.Point{0, 2}, orb.Point{2, 0}); !got {
		t.Error("an X must conflict")
	}
	if got := segmentsConflict(orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{0, 0}, orb.Point{0, 2}); got {
		t.Error("an L meeting at a shared endpoint must not conflict")
	}
	if got := segmentsConflict(orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{0, 0}, orb.Point{1, 0}); !got {
		t.Error("a fold back along a shared endpoint must conflict")
	}
}

func TestAppendGeoJSONGeometryRounding(t *testing.T) {
	tests := []struct {
		name     string
		mp       orb.MultiPolygon
		decimals int
		want     string
	}{
		{"trailing zeros trimmed", orb.MultiPolygon{{sq(106.8, -6.2, 107, -6)}}, 3,
			`{"type":"Polygon","coordinates":[[[106.8,-6.2],[107,-6.2],[107,-6],[106.8,-6],[106.8,-6.2]]]}`},
		{"rounded half away", orb.MultiPolygon{{{{0.12345, -0.0005}, {1, 0}, {0, 1}, {0.12345, -0.0005}}}}, 3,
			`{"type":"Polygon","coordinates":[[[0.123,-0.001],[1,0],[0,1],[0.123,-0.001]]]}`},
		{"leading zeros kept", orb.MultiPolygon{{{{0.00512, 1.0501}, {1, 0}, {0, 1}, {0.00512, 1.0501}}}}, 4,
			`{"type":"Polygon","coordinates":[[[0.0051,1.0501],[1,0],[0,1],[0.0051,1.0501]]]}`},
		{"multi", orb.MultiPolygon{{sq(0, 0, 1, 1)}, {sq(2, 2, 3, 3)}}, 0,
			`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,3],[2,2]]]]}`},
		{"empty", orb.MultiPolygon{}, 3, `{"type":"MultiPolygon","coordinates":[]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(AppendGeoJSONGeometry(nil, tc.mp, tc.decimals)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func ExampleTopology_Simplify() {
	left := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1.0004, 0.5}, {1, 1}, {0, 1}, {0, 0}}}}
	right := orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1.0004, 0.5}, {1, 0}}}}
	topo := NewTopology([]orb.MultiPolygon{left, right}, 0)
	out, _ := topo.Simplify(Level{Name: "demo", Tolerance: 0.01, Decimals: 3})
	for _, mp := range out {
		fmt.Println(string(AppendGeoJSONGeometry(nil, mp, 3)))
	}
	// Output:
	// {"type":"Polygon","coordinates":[[[1,0],[1,1],[0,1],[0,0],[1,0]]]}
	// {"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}
}

func BenchmarkSimplify(b *testing.B) {
	// A 30×30 grid of regions with wiggly shared borders.
	const n = 30
	var regions []orb.MultiPolygon
	wig := func(x, y float64) orb.Point {
		return orb.Point{x + 0.01*math.Sin(7*y+3*x), y + 0.01*math.Cos(5*x+2*y)}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var r orb.Ring
			x0, y0 := float64(i), float64(j)
			for k := 0; k < 20; k++ {
				r = append(r, wig(x0+float64(k)/20, y0))
			}
			for k := 0; k < 20; k++ {
				r = append(r, wig(x0+1, y0+float64(k)/20))
			}
			for k := 0; k < 20; k++ {
				r = append(r, wig(x0+1-float64(k)/20, y0+1))
			}
			for k := 0; k < 20; k++ {
				r = append(r, wig(x0, y0+1-float64(k)/20))
			}
			r = append(r, r[0])
			regions = append(regions, orb.MultiPolygon{{r}})
		}
	}
	topo := NewTopology(regions, 0)
	b.ReportAllocs()
	for b.Loop() {
		topo.Simplify(LevelNational)
	}
}
