package mapsvg

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// wobblySquare is a closed square ring with perSide vertices on each side, the inner ones
// pushed off the straight line by a deterministic wobble so no vertex is redundant.
func wobblySquare(x0, y0, size float64, perSide int, seed int) orb.Ring {
	var r orb.Ring
	corners := [4]orb.Point{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}}
	k := seed
	for s := 0; s < 4; s++ {
		a, b := corners[s], corners[(s+1)%4]
		nx, ny := -(b[1] - a[1]), b[0]-a[0] // normal of the side, |n| = size
		for i := 0; i < perSide; i++ {
			t := float64(i) / float64(perSide)
			off := 0.0
			if i > 0 {
				k++
				off = 0.04 * math.Sin(float64(k)*1.7)
			}
			r = append(r, orb.Point{a[0] + t*(b[0]-a[0]) + off*nx, a[1] + t*(b[1]-a[1]) + off*ny})
		}
	}
	return append(r, r[0])
}

// grid returns n features laid out over Indonesia's bound in rows of 26, each a square of
// ~16 vertices, coloured by the dashboard's four status colours.
func grid(n int) []Feature {
	fills := []string{"#0072B2", "#56B4E9", "#E69F00", "#BBBBBB"}
	classes := []string{"st-yes", "st-progress", "st-no", "st-unknown"}
	out := make([]Feature, n)
	for i := range out {
		x, y := 95+float64(i%26)*1.77, -11+float64(i/26)*0.85
		code := fmt.Sprintf("%02d.%02d", 11+i/20, i%20+1)
		out[i] = Feature{
			Code:  code,
			Geom:  orb.MultiPolygon{{wobblySquare(x, y, 0.8, 4, i)}},
			Fill:  fills[i%4],
			Class: classes[i%4],
			Title: "Kabupaten " + code + ": ada MPP",
			Href:  "/wilayah/" + code,
		}
	}
	return out
}

// parse decodes the whole output with encoding/xml (strict) and returns the root element.
func parse(t *testing.T, out []byte) xml.StartElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	var root *xml.StartElement
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == nil {
				se := tok.Copy()
				root = &se
			} else if depth == 0 {
				t.Fatalf("second root element %s", tok.Name.Local)
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return *root
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// texts returns the decoded character data of every element named local.
func texts(t *testing.T, out []byte, local string) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	var got []string
	in := false
	var cur strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == local {
				in = true
				cur.Reset()
			}
		case xml.CharData:
			if in {
				cur.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == local && in {
				got = append(got, cur.String())
				in = false
			}
		}
	}
}

// paths returns the d attribute of every path, keyed by data-code.
func paths(t *testing.T, out []byte) map[string]string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	got := map[string]string{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "path" {
			got[attr(se, "data-code")] = attr(se, "d")
		}
	}
}

func base() Options {
	return Options{Width: 100, Bounds: orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}}}
}

func TestRenderErrors(t *testing.T) {
	ok := Feature{Code: "32.73", Geom: orb.MultiPolygon{square(1, 1, 2, 2)}, Fill: "#0072b2"}
	with := func(f func(*Feature)) []Feature {
		g := ok
		f(&g)
		return []Feature{g}
	}
	opts := func(f func(*Options)) Options {
		o := base()
		f(&o)
		return o
	}
	tests := []struct {
		name     string
		features []Feature
		o        Options
		want     string // in the error
	}{
		{"javascript href", with(func(f *Feature) { f.Href = "javascript:alert(1)" }), base(), "href"},
		{"javascript href upper case", with(func(f *Feature) { f.Href = "JavaScript:alert(1)" }), base(), "href"},
		{"data href", with(func(f *Feature) { f.Href = "data:text/html,<script>" }), base(), "href"},
		{"protocol-relative href", with(func(f *Feature) { f.Href = "//evil.example/" }), base(), "href"},
		{"backslash href", with(func(f *Feature) { f.Href = `/\evil.example/` }), base(), "href"},
		{"tab href", with(func(f *Feature) { f.Href = "/\t/evil.example/" }), base(), "href"},
		{"relative href without slash", with(func(f *Feature) { f.Href = "wilayah/32.73" }), base(), "href"},
		{"http href without host", with(func(f *Feature) { f.Href = "http:///x" }), base(), "href"},
		{"named fill", with(func(f *Feature) { f.Fill = "red" }), base(), "colour"},
		{"five-digit fill", with(func(f *Feature) { f.Fill = "#12345" }), base(), "colour"},
		{"url fill", with(func(f *Feature) { f.Fill = "url(#x)" }), base(), "colour"},
		{"non-hex fill", with(func(f *Feature) { f.Fill = "#12345g" }), base(), "colour"},
		{"empty fill", with(func(f *Feature) { f.Fill = "" }), base(), "colour"},
		{"class with space", with(func(f *Feature) { f.Class = "st-yes x" }), base(), "class"},
		{"class with quote", with(func(f *Feature) { f.Class = `a"b` }), base(), "class"},
		{"code with space", with(func(f *Feature) { f.Code = "32 73" }), base(), "code"},
		{"empty code", with(func(f *Feature) { f.Code = "" }), base(), "code"},
		{"duplicate code", []Feature{ok, ok}, base(), "duplicate"},
		{"no geometry", with(func(f *Feature) { f.Geom = nil }), base(), "no geometry"},
		{"NaN coordinate", with(func(f *Feature) { f.Geom = orb.MultiPolygon{square(math.NaN(), 1, 2, 2)} }), base(), "finite"},
		{"zero width", []Feature{ok}, opts(func(o *Options) { o.Width = 0 }), "width"},
		{"padding too wide", []Feature{ok}, opts(func(o *Options) { o.Padding = 50 }), "padding"},
		{"decimals", []Feature{ok}, opts(func(o *Options) { o.Decimals = 7 }), "decimals"},
		{"stroke colour", []Feature{ok}, opts(func(o *Options) { o.Stroke = "white" }), "colour"},
		{"background colour", []Feature{ok}, opts(func(o *Options) { o.Background = "#fff;" }), "colour"},
		{"legend fill", []Feature{ok}, opts(func(o *Options) { o.Legend = []LegendItem{{Fill: "blue"}} }), "legend item 0"},
		{"legend class", []Feature{ok}, opts(func(o *Options) { o.Legend = []LegendItem{{Fill: "#00f", Class: "A"}} }), "legend item 0"},
		{"id", []Feature{ok}, opts(func(o *Options) { o.ID = `m" onload="x` }), "id"},
		{"id starting with a digit", []Feature{ok}, opts(func(o *Options) { o.ID = "1map" }), "id"},
		{"inverted bounds", []Feature{ok}, opts(func(o *Options) { o.Bounds = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{0, 0}} }), "bounds"},
		{"nothing to fit", nil, Options{Width: 100}, "no features"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Render(tc.features, tc.o)
			if err == nil {
				t.Fatalf("no error; output:\n%s", out)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			if out != nil {
				t.Errorf("output with an error")
			}
		})
	}
}

func TestRenderAcceptsLinks(t *testing.T) {
	for _, href := range []string{"/", "/wilayah/32.73", "/en/wilayah/32.73?x=1&y=2#peta", "https://example.org/a", "HTTP://example.org"} {
		f := []Feature{{Code: "a", Geom: orb.MultiPolygon{square(1, 1, 2, 2)}, Fill: "#fff", Href: href}}
		out, err := Render(f, base())
		if err != nil {
			t.Errorf("%q: %v", href, err)
			continue
		}
		parse(t, out)
	}
}

func TestRenderEscaping(t *testing.T) {
	const hostile = `<img src=x onerror=alert(1)>"'&`
	f := []Feature{{
		Code:  "32.73",
		Geom:  orb.MultiPolygon{square(1, 1, 2, 2)},
		Fill:  "#0072B2",
		Title: hostile,
		Href:  "/wilayah/32.73?a=1&b=" + "%3Cscript%3E",
	}}
	o := base()
	o.Width = 1000 // wide enough that no document line wraps
	o.Title, o.Desc = hostile, hostile
	o.Legend = []LegendItem{{Fill: "#0072B2", Label: hostile}}
	tests := []struct {
		name   string
		render func() ([]byte, error)
		want   int // texts that must decode back to hostile
	}{
		// The map's title and desc, the region's title, the legend label.
		{"Render", func() ([]byte, error) { return Render(f, o) }, 4},
		// And the heading, subheading, source and attribution lines.
		{"RenderDocument", func() ([]byte, error) {
			return RenderDocument(f, o, Document{Heading: hostile, Subheading: hostile, Source: hostile, Attribution: hostile, FontFamily: `x"><script>`})
		}, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			parse(t, out)
			for _, bad := range []string{"<img", "<script", `"'&`} {
				if bytes.Contains(out, []byte(bad)) {
					t.Errorf("output contains %q unescaped:\n%s", bad, out)
				}
			}
			n := 0
			for _, el := range []string{"title", "desc", "text"} {
				for _, got := range texts(t, out, el) {
					if got == hostile {
						n++
					}
				}
			}
			if n != tc.want {
				t.Errorf("%d texts decode back to the hostile string, want %d:\n%s", n, tc.want, out)
			}
			if !bytes.Contains(out, []byte(`href="/wilayah/32.73?a=1&amp;b=%3Cscript%3E"`)) {
				t.Errorf("href not escaped as an attribute:\n%s", out)
			}
		})
	}
}

func TestRenderEveryFeatureOnce(t *testing.T) {
	features := grid(514)
	features[7].Href = ""      // no link
	features[9].Outline = true // drawn last
	features[11].Title = ""    // no title
	c := features[13].Geom[0][0][0]
	features[13].Geom = append(features[13].Geom, square(c[0]+0.9, c[1], c[0]+0.91, c[1]+0.01)) // an islet, dropped
	o := Options{Width: 1000, Padding: 10, MinArea: 1, ID: "peta", Stroke: "#ffffff", StrokeWidth: 0.5}
	out, err := Render(features, o)
	if err != nil {
		t.Fatal(err)
	}
	parse(t, out)
	for _, f := range features {
		if n := bytes.Count(out, []byte(`data-code="`+f.Code+`"`)); n != 1 {
			t.Errorf("%s present %d times, want 1", f.Code, n)
		}
		if n := bytes.Count(out, []byte(`id="peta-`+f.Code+`"`)); n != 1 {
			t.Errorf("id of %s present %d times, want 1", f.Code, n)
		}
	}
	if n := bytes.Count(out, []byte("<path ")); n != len(features) {
		t.Errorf("%d paths, want %d", n, len(features))
	}
	if n := bytes.Count(out, []byte("<a href=")); n != len(features)-1 {
		t.Errorf("%d links, want %d", n, len(features)-1)
	}
	if n := bytes.Count(out, []byte("<title>")); n != len(features)-1 {
		t.Errorf("%d region titles, want %d", n, len(features)-1)
	}
	last := bytes.LastIndex(out, []byte("<path "))
	if !bytes.HasPrefix(out[last:], []byte(`<path id="peta-`+features[9].Code+`"`)) {
		t.Errorf("the outlined feature is not drawn last")
	}
}

func TestRenderSVGElement(t *testing.T) {
	f := []Feature{{Code: "a", Geom: orb.MultiPolygon{square(0, 0, 10, 5)}, Fill: "#abc"}}
	tests := []struct {
		name  string
		o     Options
		attrs map[string]string
	}{
		{"title and desc", Options{Width: 200, ID: "m1", Title: "Peta", Desc: "Uraian"}, map[string]string{
			"viewBox": "0 0 200 100", "width": "100%", "preserveAspectRatio": "xMidYMid meet",
			"role": "group", "aria-labelledby": "m1-title", "aria-describedby": "m1-desc", "id": "m1", "height": "",
		}},
		{"no title", Options{Width: 200, Padding: 10}, map[string]string{
			"viewBox": "0 0 200 110", "id": "map", "aria-labelledby": "", "aria-describedby": "",
		}},
		{"fractional height rounds up", Options{Width: 300}, map[string]string{"viewBox": "0 0 300 150"}},
		{"legend adds a row", Options{Width: 640, Legend: []LegendItem{{Fill: "#000", Label: "x"}}}, map[string]string{
			// 320 of map, then one row of 1.5 × 10 px and the 5 px margin.
			"viewBox": "0 0 640 340",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Render(f, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			root := parse(t, out)
			if root.Name.Space != svgNS || root.Name.Local != "svg" {
				t.Errorf("root %v, want svg in %s", root.Name, svgNS)
			}
			for k, v := range tc.attrs {
				if got := attr(root, k); got != v {
					t.Errorf("%s=%q, want %q", k, got, v)
				}
			}
			if bytes.HasPrefix(out, []byte("<?xml")) {
				t.Errorf("inline SVG has an XML prolog")
			}
			if !bytes.Contains(out, []byte(`fill-rule="evenodd"`)) {
				t.Errorf("no fill-rule evenodd")
			}
		})
	}
}

func TestRounding(t *testing.T) {
	// Bounds 0..10° over 100 px: 10 px a degree, y down from 10°N.
	tests := []struct {
		name     string
		ring     orb.Ring
		decimals int
		want     string
	}{
		{"integers", orb.Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}, 0, "M10 90l10 0 0-10-10 0z"},
		{"rounded to pixels", orb.Ring{{1.04, 1.04}, {2.06, 1.04}, {2.06, 2.04}, {1.04, 2.04}}, 0, "M10 90l11 0 0-10-11 0z"},
		{"one decimal", orb.Ring{{1.04, 1.04}, {2.06, 1.04}, {2.06, 2.04}, {1.04, 2.04}}, 1, "M10.4 89.6l10.2 0 0-10-10.2 0z"},
		{"tight decimals", orb.Ring{{0.004, 9.996}, {0.05, 9.996}, {0.05, 9.95}}, 2, "M.04.04l.46 0 0 .46z"},
		{"duplicates after rounding dropped", orb.Ring{{1, 1}, {1.01, 1.01}, {2, 1}, {2.02, 1.01}, {2, 2}, {1, 2}}, 0, "M10 90l10 0 0-10-10 0z"},
		{"in-line vertices dropped", orb.Ring{{1, 1}, {1.5, 1}, {2, 1}, {2, 1.5}, {2, 2}, {1, 2}, {1, 1.5}}, 0, "M10 90l10 0 0-10-10 0z"},
		{"spike kept", orb.Ring{{1, 1}, {3, 1}, {2, 1}, {2, 2}}, 0, "M10 90l20 0-10 0 0-10z"},
		{"diagonal", orb.Ring{{1, 1}, {3, 2}, {2, 3}}, 0, "M10 90l20-10-10-10z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := base()
			o.Decimals = tc.decimals
			out, err := Render([]Feature{{Code: "a", Geom: orb.MultiPolygon{{tc.ring}}, Fill: "#000"}}, o)
			if err != nil {
				t.Fatal(err)
			}
			if got := paths(t, out)["a"]; got != tc.want {
				t.Errorf("d=%q, want %q", got, tc.want)
			}
		})
	}
}

func TestMinArea(t *testing.T) {
	big := square(1, 1, 5, 5)           // 40 × 40 px
	island := square(7, 7, 7.2, 7.2)    // 2 × 2 px = 4 px²
	speck := square(8, 8, 8.001, 8.001) // collapses to one pixel
	tiny := square(3, 3, 3.001, 3.0015) // a whole region smaller than a pixel
	tests := []struct {
		name    string
		geom    orb.MultiPolygon
		minArea float64
		want    int // subpaths
	}{
		{"island kept below threshold", orb.MultiPolygon{big, island}, 4, 2},
		{"island dropped", orb.MultiPolygon{big, island}, 5, 1},
		{"island dropped even when listed first", orb.MultiPolygon{island, big}, 5, 1},
		{"collapsed speck dropped without threshold", orb.MultiPolygon{big, speck}, 0, 1},
		{"largest polygon kept below threshold", orb.MultiPolygon{island}, 100, 1},
		{"largest of two small polygons kept", orb.MultiPolygon{speck, island}, 100, 1},
		{"sub-pixel region kept with more decimals", orb.MultiPolygon{tiny}, 100, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := base()
			o.MinArea = tc.minArea
			out, err := Render([]Feature{{Code: "a", Geom: tc.geom, Fill: "#000"}}, o)
			if err != nil {
				t.Fatal(err)
			}
			d := paths(t, out)["a"]
			if got := strings.Count(d, "z"); got != tc.want {
				t.Errorf("%d subpaths, want %d: %q", got, tc.want, d)
			}
			if vertices := len(regexp.MustCompile(`[-.0-9]+`).FindAllString(d, -1)); vertices < 4 {
				t.Errorf("d=%q has fewer than 3 vertices", d)
			}
		})
	}
}

func TestProjectionCorners(t *testing.T) {
	tests := []struct {
		name    string
		b       orb.Bound
		width   int
		padding float64
		wantH   float64
	}{
		{"Indonesia", orb.Bound{Min: orb.Point{94.97191, -11.00762}, Max: orb.Point{141.02004, 6.07679}}, 1000, 10, 10 + 17.08441*980/46.04813 + 10},
		{"square", orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}}, 100, 0, 100},
		{"tall", orb.Bound{Min: orb.Point{106, -7}, Max: orb.Point{107, -5}}, 200, 20, 20 + 2*160 + 20},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewProjection(tc.b, tc.width, tc.padding)
			w, h := p.Size()
			if w != float64(tc.width) || !near(h, tc.wantH) {
				t.Fatalf("size %v × %v, want %v × %v", w, h, tc.width, tc.wantH)
			}
			corners := []struct {
				pt   orb.Point
				x, y float64
			}{
				{tc.b.Min, tc.padding, h - tc.padding},                                // south-west: bottom left
				{tc.b.Max, w - tc.padding, tc.padding},                                // north-east: top right
				{orb.Point{tc.b.Min[0], tc.b.Max[1]}, tc.padding, tc.padding},         // north-west: top left
				{orb.Point{tc.b.Max[0], tc.b.Min[1]}, w - tc.padding, h - tc.padding}, // south-east
			}
			for _, c := range corners {
				if x, y := p.Point(c.pt); !near(x, c.x) || !near(y, c.y) {
					t.Errorf("Point(%v) = %v, %v, want %v, %v", c.pt, x, y, c.x, c.y)
				}
			}
		})
	}
	// Degenerate bounds still project to finite numbers, centred.
	p := NewProjection(orb.Bound{Min: orb.Point{5, 5}, Max: orb.Point{5, 5}}, 100, 10)
	if x, y := p.Point(orb.Point{5, 5}); x != 50 || y != 10 {
		t.Errorf("point bound: %v, %v, want 50, 10", x, y)
	}
}

func TestHoles(t *testing.T) {
	// Kabupaten Bogor with Kota Bogor as an enclave: the hole is a second subpath of the
	// outer region, drawn with evenodd, and the enclave is a region of its own.
	outer := orb.Polygon{
		{{1, 1}, {5, 1}, {5, 5}, {1, 5}, {1, 1}},
		{{2, 2}, {2, 3}, {3, 3}, {3, 2}, {2, 2}},
	}
	f := []Feature{
		{Code: "32.01", Geom: orb.MultiPolygon{outer}, Fill: "#0072B2"},
		{Code: "32.71", Geom: orb.MultiPolygon{square(2, 2, 3, 3)}, Fill: "#E69F00"},
	}
	o := base()
	o.MinArea = 1000 // holes are never dropped for their area
	out, err := Render(f, o)
	if err != nil {
		t.Fatal(err)
	}
	d := paths(t, out)
	if want := "M10 90l40 0 0-40-40 0zm10-10l0-10 10 0 0 10z"; d["32.01"] != want {
		t.Errorf("outer d=%q, want %q", d["32.01"], want)
	}
	if n := strings.Count(d["32.01"], "z"); n != 2 {
		t.Errorf("%d subpaths, want 2", n)
	}
	if d["32.71"] != "M20 80l10 0 0-10-10 0z" {
		t.Errorf("enclave d=%q", d["32.71"])
	}
}

func TestClip(t *testing.T) {
	f := []Feature{
		{Code: "a", Geom: orb.MultiPolygon{square(1, 1, 2, 2)}, Fill: "#000"},
		{Code: "b", Geom: orb.MultiPolygon{square(8, -3, 9, 2)}, Fill: "#000"}, // reaches below the bounds
	}
	tests := []struct {
		name     string
		features []Feature
		o        Options
		want     bool
	}{
		{"features' own bound", f, Options{Width: 100}, false},
		{"inside explicit bounds", f[:1], base(), false},
		{"reaching outside explicit bounds", f, base(), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Render(tc.features, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			parse(t, out)
			if got := bytes.Contains(out, []byte(`clip-path="url(#map-clip)"`)); got != tc.want {
				t.Errorf("clipped %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLegend(t *testing.T) {
	item := LegendItem{Fill: "#0072B2", Label: "Sudah ada MPP", Class: "st-yes"}
	f := []Feature{{Code: "a", Geom: orb.MultiPolygon{square(0, 0, 10, 5)}, Fill: "#abc"}}
	tests := []struct {
		name  string
		items int
		rows  int
	}{
		{"none", 0, 0},
		{"one", 1, 1},
		{"four fit a row", 4, 1},
		{"six fit a row", 6, 1},
		{"seven wrap", 7, 2},
		{"thirteen wrap twice", 13, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{Width: 1000} // legend text 16 px, rows 24 px, margin 8 px
			for i := 0; i < tc.items; i++ {
				o.Legend = append(o.Legend, item)
			}
			out, err := Render(f, o)
			if err != nil {
				t.Fatal(err)
			}
			root := parse(t, out)
			want := 500.0
			if tc.rows > 0 {
				want += float64(tc.rows)*24 + 8
			}
			if got := attr(root, "viewBox"); got != fmt.Sprintf("0 0 1000 %v", want) {
				t.Errorf("viewBox %q, want height %v", got, want)
			}
			if n := bytes.Count(out, []byte(`class="st-yes"`)); n != tc.items {
				t.Errorf("%d swatches, want %d", n, tc.items)
			}
			if tc.items > 0 && !bytes.Contains(out, []byte(`<g class="legend"`)) {
				t.Errorf("no legend group")
			}
		})
	}
}

func TestRenderDocument(t *testing.T) {
	const attribution = "Batas wilayah: © 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), MIT"
	f := grid(30)
	f[3].Outline = true
	o := Options{Width: 1000, Padding: 10, Legend: []LegendItem{{Fill: "#0072B2", Label: "Sudah ada MPP"}}, Stroke: "#fff"}
	d := Document{
		Heading:     "Mal Pelayanan Publik per kabupaten/kota",
		Subheading:  "Per 1 Juli 2026",
		Source:      "Sumber: mppmap, dihimpun dari data KemenPAN-RB dan pemerintah daerah; daftar lengkap dan metodologi di situs mppmap, yang juga memuat tabel setiap wilayah",
		Attribution: attribution,
	}
	out, err := RenderDocument(f, o, d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<svg ")) {
		t.Errorf("no XML prolog before the svg element:\n%.100s", out)
	}
	root := parse(t, out)
	if root.Name.Space != svgNS || root.Name.Local != "svg" {
		t.Errorf("root %v, want svg in %s", root.Name, svgNS)
	}
	w, h := attr(root, "width"), attr(root, "height")
	if w != "1000" || h == "" || attr(root, "viewBox") != "0 0 "+w+" "+h {
		t.Errorf("width %q height %q viewBox %q: want a fixed size matching the viewBox", w, h, attr(root, "viewBox"))
	}
	if attr(root, "font-family") != defaultFont {
		t.Errorf("font-family %q", attr(root, "font-family"))
	}
	all := strings.Join(texts(t, out, "text"), "\n")
	for _, want := range []string{d.Heading, d.Subheading, attribution, "Sudah ada MPP", "Sumber: mppmap"} {
		if !strings.Contains(all, want) {
			t.Errorf("texts lack %q:\n%s", want, all)
		}
	}
	if n := len(texts(t, out, "text")); n != 6 { // heading, subheading, 2 source lines, attribution, legend
		t.Errorf("%d text lines, want 6 (the source wrapped in two):\n%s", n, all)
	}
	if got := texts(t, out, "title")[0]; got != d.Heading {
		t.Errorf("document title %q, want the heading", got)
	}
	if !bytes.Contains(out, []byte(`fill="#ffffff"`)) {
		t.Errorf("no opaque background")
	}
}

func TestDeterministic(t *testing.T) {
	f := grid(60)
	o := Options{Width: 800, Padding: 5, Decimals: 1, Legend: []LegendItem{{Fill: "#000", Label: "x"}}}
	a, err := Render(f, o)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		b, _ := Render(f, o)
		if !bytes.Equal(a, b) {
			t.Fatal("two renderings differ")
		}
	}
}

// TestEncodingSizes keeps the measurements behind the default path encoding honest: each
// choice is no larger than its alternative on the synthetic national grid, raw and gzipped.
func TestEncodingSizes(t *testing.T) {
	f := grid(514)
	tests := []struct {
		name string
		alt  pathStyle
	}{
		{"relative beats absolute", pathStyle{absolute: true}},
		{"tight numbers beat loose", pathStyle{loose: true}},
	}
	for _, dec := range []int{0, 1} {
		o := Options{Width: 1000, Padding: 10, Decimals: dec}
		def, err := render(f, o, nil, pathStyle{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/decimals %d", tc.name, dec), func(t *testing.T) {
				alt, err := render(f, o, nil, tc.alt)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("default %d B (%d gzip), alternative %d B (%d gzip)", len(def), gz(def), len(alt), gz(alt))
				if len(def) > len(alt) || gz(def) > gz(alt) {
					t.Errorf("default %d B (%d gzip) larger than the alternative %d B (%d gzip)", len(def), gz(def), len(alt), gz(alt))
				}
			})
		}
	}
}

func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func ExampleRender() {
	features := []Feature{
		{Code: "32.01", Geom: orb.MultiPolygon{square(106, -7, 107, -6)}, Fill: "#0072B2", Class: "st-yes",
			Title: "Kabupaten Bogor: ada MPP", Href: "/wilayah/32.01"},
		{Code: "32.02", Geom: orb.MultiPolygon{square(107, -7, 108, -6.5)}, Fill: "#E69F00", Class: "st-no",
			Title: "Kabupaten Sukabumi: belum ada MPP", Href: "/wilayah/32.02"},
	}
	out, err := Render(features, Options{
		Width: 200, Padding: 4, ID: "peta", Title: "Status MPP",
		Stroke: "#ffffff", StrokeWidth: 0.5,
		Legend: []LegendItem{{Fill: "#0072B2", Label: "Ada MPP", Class: "st-yes"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" id="peta" viewBox="0 0 200 120" width="100%" preserveAspectRatio="xMidYMid meet" role="group" aria-labelledby="peta-title">
	// <title id="peta-title">Status MPP</title>
	// <g class="regions" fill-rule="evenodd" stroke="#ffffff" stroke-linejoin="round" stroke-width="0.5">
	// <a href="/wilayah/32.01"><path id="peta-32.01" data-code="32.01" class="st-yes" fill="#0072B2" d="M4 100l96 0 0-96-96 0z"><title>Kabupaten Bogor: ada MPP</title></path></a>
	// <a href="/wilayah/32.02"><path id="peta-32.02" data-code="32.02" class="st-no" fill="#E69F00" d="M100 100l96 0 0-48-96 0z"><title>Kabupaten Sukabumi: belum ada MPP</title></path></a>
	// </g>
	// <g class="legend" font-size="8" fill="currentColor">
	// <rect x="4" y="106" width="8" height="8" fill="#0072B2" class="st-yes" stroke="#767676" stroke-width="0.5"/><text x="15.2" y="112.8">Ada MPP</text>
	// </g>
	// </svg>
}

func BenchmarkRender(b *testing.B) {
	f := grid(514)
	o := Options{Width: 1000, Padding: 10, ID: "peta", Title: "Status MPP", Stroke: "#ffffff", StrokeWidth: 0.5,
		Legend: []LegendItem{{"#0072B2", "Ada MPP", "st-yes"}, {"#56B4E9", "Dalam proses", "st-progress"},
			{"#E69F00", "Belum ada MPP", "st-no"}, {"#BBBBBB", "Tidak diketahui", "st-unknown"}}}
	var out []byte
	for b.Loop() {
		var err error
		if out, err = Render(f, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out)), "bytes")
	b.ReportMetric(float64(gz(out)), "gzip-bytes")
}
