package sharecard

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"mppmap/geo"
)

// The dashboard's status colours (dashboard/palette.go) and texts as a card would carry them.
var (
	colYes      = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	colProgress = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	colNo       = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	colUnknown  = color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
	colFocus    = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
)

const attribution = "Batas wilayah: © 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), MIT"

func legend() []Legend {
	return []Legend{{colYes, "Ada MPP"}, {colProgress, "Dalam proses"}, {colNo, "Belum ada MPP"}, {colUnknown, "Belum diketahui"}}
}

func baseCard(regions []Region) Card {
	return Card{
		Title:       "Peta MPP — Indonesia",
		Headline:    "316 dari 514 kabupaten/kota punya MPP (61,5%)",
		Subline:     "Data per 12 Februari 2026 · sumber: KemenPANRB, Kemendagri, berita",
		Attribution: attribution,
		Legend:      legend(),
		Regions:     regions,
	}
}

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// wobblySquare is a closed square ring with perSide vertices on each side, the inner ones
// pushed off the straight line by a deterministic wobble (as in mapsvg's tests).
func wobblySquare(x0, y0, size float64, perSide int, seed int) orb.Ring {
	var r orb.Ring
	corners := [4]orb.Point{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}}
	k := seed
	for s := 0; s < 4; s++ {
		a, b := corners[s], corners[(s+1)%4]
		nx, ny := -(b[1] - a[1]), b[0]-a[0]
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

// grid returns n regions over Indonesia's bound in rows of 26, each a square of 16 vertices
// (17 with the closing one), in the four status colours.
func grid(n int) []Region {
	fills := []color.Color{colYes, colProgress, colNo, colUnknown}
	out := make([]Region, n)
	for i := range out {
		x, y := 95+float64(i%26)*1.77, -11+float64(i/26)*0.85
		out[i] = Region{
			Code: fmt.Sprintf("%02d.%02d", 11+i/20, i%20+1),
			Geom: orb.MultiPolygon{{wobblySquare(x, y, 0.8, 4, i)}},
			Fill: fills[i%4],
		}
	}
	return out
}

func decode(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return img
}

// render draws c without the PNG round trip, which the pixel tests do not need and which
// costs most of their time under the race detector; TestRenderSize and the example decode
// Render's PNG.
func render(t testing.TB, c Card) image.Image {
	t.Helper()
	img, err := paint(c)
	if err != nil {
		t.Fatalf("paint: %v", err)
	}
	return img
}

func isWhite(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r == 0xffff && g == 0xffff && b == 0xffff
}

func sameColor(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar>>8 == br>>8 && ag>>8 == bg>>8 && ab>>8 == bb>>8
}

// projected returns the card pixel of lon/lat q as Render lays c out.
func projected(t *testing.T, c Card, q orb.Point) (int, int) {
	t.Helper()
	bound, hasMap, err := check(&c)
	if err != nil || !hasMap {
		t.Fatalf("check: %v, map %v", err, hasMap)
	}
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	l := layout(&c, fs, bound, hasMap)
	p := fitProjection(bound, float64(int(l.mapBox.w)), float64(int(l.mapBox.h)))
	xy := p.point(q)
	return int(math.Round(l.mapBox.x)) + int(xy.x), int(math.Round(l.mapBox.y)) + int(xy.y)
}

func TestRenderSize(t *testing.T) {
	tests := []struct {
		name string
		card Card
		png  bool // through Render and image/png (else paint only: the PNG costs most of the time under -race)
	}{
		{"national", baseCard(grid(514)), true},
		{"one region", baseCard([]Region{{Code: "32.73", Geom: orb.MultiPolygon{square(107.5, -7, 107.8, -6.8)}, Fill: colYes, Outline: true}}), false},
		{"no regions: text only", baseCard(nil), true},
		{"regions without vertices", baseCard([]Region{{Code: "x", Fill: colYes}, {Code: "y", Geom: orb.MultiPolygon{{{}}}, Fill: colNo}}), false},
		{"bounds but no regions", Card{Title: "Kosong", Bounds: orb.Bound{Min: orb.Point{95, -11}, Max: orb.Point{141, 6}}}, false},
		{"nothing at all", Card{}, true},
		{"a bound of denormals", Card{Regions: []Region{{Code: "d", Geom: orb.MultiPolygon{square(0, 0, 5e-324, 5e-324)}, Fill: colNo}}}, false},
		{"a single point", baseCard([]Region{{Code: "p", Geom: orb.MultiPolygon{{{{107, -7}, {107, -7}, {107, -7}}}}, Fill: colNo}}), false},
		{"a vertical line", baseCard([]Region{{Code: "v", Geom: orb.MultiPolygon{{{{107, -7}, {107, -6}, {107, -7}}}}, Fill: colNo}}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var img image.Image
			if tc.png {
				b, err := Render(tc.card)
				if err != nil {
					t.Fatal(err)
				}
				img = decode(t, b)
			} else {
				img = render(t, tc.card)
			}
			if got := img.Bounds(); got != image.Rect(0, 0, Width, Height) {
				t.Errorf("bounds %v, want %dx%d", got, Width, Height)
			}
		})
	}
}

// TestAttributionDrawn stands in for reading the text: the bottom strip changes when the
// attribution is there and is not blank.
func TestAttributionDrawn(t *testing.T) {
	for _, regions := range [][]Region{nil, grid(514)} {
		with := baseCard(regions)
		without := with
		without.Attribution = ""
		a, b := render(t, with), render(t, without)
		differ, inked := 0, 0
		for y := Height - 40; y < Height; y++ {
			for x := 0; x < Width; x++ {
				if !sameColor(a.At(x, y), b.At(x, y)) {
					differ++
				}
				if !isWhite(a.At(x, y)) {
					inked++
				}
			}
		}
		if differ < 500 || inked < 500 {
			t.Errorf("%d regions: bottom strip: %d pixels differ, %d not white; want the attribution's ink", len(regions), differ, inked)
		}
	}
}

func TestFillAtCentroid(t *testing.T) {
	tests := []struct {
		name  string
		geom  orb.Polygon
		right bool
	}{
		{"wide: map below the text", square(95, -11, 141, 6), false},
		{"square: text on the right", square(106, -8, 108, -6), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := baseCard([]Region{{Code: "a", Geom: orb.MultiPolygon{tc.geom}, Fill: colNo}})
			bound, _, _ := check(&c)
			fs, _ := loadFonts()
			if l := layout(&c, fs, bound, true); l.right != tc.right {
				t.Errorf("right-hand text %v, want %v", l.right, tc.right)
			}
			x, y := projected(t, c, tc.geom.Bound().Center())
			if got := render(t, c).At(x, y); !sameColor(got, colNo) {
				t.Errorf("pixel at the centroid (%d, %d) = %v, want %v", x, y, got, colNo)
			}
		})
	}
}

func TestOutlineIsDark(t *testing.T) {
	focus := square(107, -7, 108, -6)
	c := baseCard([]Region{
		{Code: "n", Geom: orb.MultiPolygon{square(106, -8, 109, -5)}, Fill: colYes},
		{Code: "f", Geom: orb.MultiPolygon{focus}, Fill: colFocus, Outline: true},
		{Code: "e", Geom: orb.MultiPolygon{square(108, -7, 109, -6)}, Fill: colNo}, // drawn after f in input order
	})
	img := render(t, c)
	for _, q := range []orb.Point{{107.5, -7}, {108, -6.5}, {107.5, -6}, {107, -6.5}} {
		x, y := projected(t, c, q)
		r, g, b, _ := img.At(x, y).RGBA()
		if r>>8 > 0x40 || g>>8 > 0x40 || b>>8 > 0x40 {
			t.Errorf("outline at %v (%d, %d) = %v, want dark", q, x, y, img.At(x, y))
		}
	}
	x, y := projected(t, c, orb.Point{107.5, -6.5})
	if got := img.At(x, y); !sameColor(got, colFocus) {
		t.Errorf("inside the focus region: %v, want %v", got, colFocus)
	}
}

func TestHolesEvenOdd(t *testing.T) {
	outer := square(100, -10, 110, 0)
	withHole := orb.Polygon{outer[0], orb.Ring{{103, -7}, {103, -3}, {107, -3}, {107, -7}, {103, -7}}}
	c := baseCard([]Region{{Code: "h", Geom: orb.MultiPolygon{withHole}, Fill: colYes}})
	img := render(t, c)
	x, y := projected(t, c, orb.Point{105, -5})
	if got := img.At(x, y); !isWhite(got) {
		t.Errorf("hole centre (%d, %d) = %v, want the white background", x, y, got)
	}
	x, y = projected(t, c, orb.Point{101, -1})
	if got := img.At(x, y); !sameColor(got, colYes) {
		t.Errorf("ring (%d, %d) = %v, want %v", x, y, got, colYes)
	}
}

// TestBoundsCutRegions: a region far larger than Bounds, at a scale where its far corners
// would overflow fixed-point coordinates, still fills the map and draws nothing over the text.
func TestBoundsCutRegions(t *testing.T) {
	c := baseCard([]Region{{Code: "big", Geom: orb.MultiPolygon{square(-170, -80, 170, 80)}, Fill: colNo}})
	c.Bounds = orb.Bound{Min: orb.Point{107, -7}, Max: orb.Point{107.000001, -6.999999}}
	img := render(t, c)
	x, y := projected(t, c, orb.Point{107.0000005, -6.9999995})
	if got := img.At(x, y); !sameColor(got, colNo) {
		t.Errorf("map centre (%d, %d) = %v, want %v", x, y, got, colNo)
	}
	for y := 0; y < Height; y++ {
		if got := img.At(Width-1, y); !isWhite(got) {
			t.Fatalf("rightmost column at y=%d = %v, want background", y, got)
		}
	}
}

func TestHostileText(t *testing.T) {
	long := strings.Repeat("Kabupaten Kepulauan Seribu Utara ", 300)
	tests := []struct{ name, s string }{
		{"markup", `<img src=x onerror=alert(1)>`},
		{"very long", long},
		{"one long word", strings.Repeat("W", 20000)},
		{"long words", strings.Repeat("Wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww ", 50)},
		{"RTL", "خريطة مراكز الخدمة العامة — מפה ‮override‬ end"},
		{"emoji", "MPP 🏛️👨‍👩‍👧‍👦🇮🇩 " + strings.Repeat("😀", 400)},
		{"control characters", "a\x00b\x07c\td\ne\rf\x1b[31mred\x1b[0m\u0085g\u2028h"},
		{"invalid UTF-8", "ab\xff\xfe\xc3(" + strings.Repeat("\xe2\x82", 300)},
		{"combining marks", "e" + strings.Repeat("\u0301", 3000)},
		{"only spaces", strings.Repeat(" \t\n", 100)},
	}
	for _, tc := range tests {
		for _, regions := range [][]Region{
			nil,
			{{Code: "wide", Geom: orb.MultiPolygon{square(95, -11, 141, 6)}, Fill: colYes}},
			{{Code: "square", Geom: orb.MultiPolygon{square(106, -8, 108, -6)}, Fill: colYes}},
		} {
			t.Run(fmt.Sprintf("%s/%d regions", tc.name, len(regions)), func(t *testing.T) {
				c := Card{Title: tc.s, Headline: tc.s, Subline: tc.s, Attribution: tc.s, Regions: regions,
					Legend: []Legend{{colYes, tc.s}, {colNo, tc.s}, {colUnknown, "Belum diketahui"}}}
				img := render(t, c)
				if img.Bounds() != image.Rect(0, 0, Width, Height) {
					t.Fatalf("bounds %v", img.Bounds())
				}
				// The map box and the texts keep off the edges: the outer 20 px columns and
				// 12 px rows stay background.
				for y := 0; y < Height; y++ {
					for x := Width - 20; x < Width; x++ {
						if !isWhite(img.At(x, y)) {
							t.Fatalf("right edge (%d, %d) = %v, want background", x, y, img.At(x, y))
						}
					}
				}
				for y := Height - 8; y < Height; y++ {
					for x := 0; x < Width; x++ {
						if !isWhite(img.At(x, y)) {
							t.Fatalf("bottom edge (%d, %d) = %v, want background", x, y, img.At(x, y))
						}
					}
				}
			})
		}
	}
}

// TestLayoutFits checks the invariant behind the line limits: with every text as long as it
// can be and the largest legend, each block ends above the footer (the right-hand column
// always; the top block when there is no map), every line is as wide as its column at most,
// and the map box is never empty in the layout chosen.
func TestLayoutFits(t *testing.T) {
	long := strings.Repeat("Wawasan Nusantara ", 200)
	var lg []Legend
	for i := 0; i < maxLegend; i++ {
		lg = append(lg, Legend{colYes, long})
	}
	c := Card{Title: long, Headline: long, Subline: long, Attribution: long, Legend: lg}
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	_, footTop := layoutFooter(c.Attribution, fs)
	colX := float64(Width - textMargin - columnWidth)
	for _, tc := range []struct {
		name     string
		x, width float64
	}{{"top", textMargin, Width - 2*textMargin}, {"column", colX, columnWidth}} {
		b := layoutBlock(&c, fs, tc.x, textMargin, tc.width)
		if b.bottom > footTop-gap {
			t.Errorf("%s: block ends at %.0f, below the footer's top %.0f", tc.name, b.bottom, footTop-gap)
		}
		for _, ln := range b.lines {
			if w := measure(ln.face, ln.s); ln.x+w > tc.x+tc.width+0.5 {
				t.Errorf("%s: line %q ends at %.1f, past %.1f", tc.name, ln.s, ln.x+w, tc.x+tc.width)
			}
		}
	}
	for _, bound := range []orb.Bound{
		{Min: orb.Point{95, -11}, Max: orb.Point{141, 6}},
		{Min: orb.Point{106, -8}, Max: orb.Point{108, -6}},
		{Min: orb.Point{120, -10}, Max: orb.Point{121, 4}},
	} {
		l := layout(&c, fs, bound, true)
		if l.mapBox.w < 100 || l.mapBox.h < 100 {
			t.Errorf("bound %v: map box %+v", bound, l.mapBox)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	nan := math.NaN()
	ok := orb.MultiPolygon{square(106, -8, 108, -6)}
	tests := []struct {
		name string
		card Card
		want string
	}{
		{"NaN coordinate", Card{Regions: []Region{{Code: "32.01", Geom: orb.MultiPolygon{{{{106, -8}, {nan, -6}, {108, -6}}}}, Fill: colYes}}}, `region 0 (code "32.01"): coordinate`},
		{"infinite coordinate", Card{Regions: []Region{{Code: "a", Geom: ok, Fill: colYes}, {Code: "b", Geom: orb.MultiPolygon{{{{math.Inf(1), -8}}}}, Fill: colYes}}}, `region 1 (code "b")`},
		{"NaN bounds", Card{Regions: []Region{{Code: "a", Geom: ok, Fill: colYes}}, Bounds: orb.Bound{Min: orb.Point{nan, 0}, Max: orb.Point{1, 1}}}, "bounds"},
		{"bounds max below min", Card{Bounds: orb.Bound{Min: orb.Point{2, 2}, Max: orb.Point{1, 1}}}, "max below min"},
		{"no fill", Card{Regions: []Region{{Code: "a", Geom: ok}}}, "no fill"},
		{"legend without fill", Card{Legend: []Legend{{Label: "Ada MPP"}}}, "legend item 0"},
		{"legend too long", Card{Legend: make([]Legend, maxLegend+1)}, "legend: 7 items"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Render(tc.card)
			if err == nil || b != nil {
				t.Fatalf("Render = %d bytes, %v; want an error", len(b), err)
			}
			if !strings.HasPrefix(err.Error(), "sharecard: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	c := baseCard(grid(26))
	a, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(c)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one card differ")
	}
}

func TestWrap(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	face := fs.face(fs.st.subline, 0) // 21 px regular
	em := measure(face, "M")
	tests := []struct {
		name     string
		s        string
		width    float64
		maxLines int
		want     []string // "…" at the end of the last line: a prefix of what is there, then the ellipsis
		fit      bool
	}{
		{"empty", "", 500, 2, nil, true},
		{"only spaces", " \t\n ", 500, 2, nil, true},
		{"fits", "Jawa Barat", 500, 2, []string{"Jawa Barat"}, true},
		{"spaces collapse, controls are spaces", "  Jawa\n\x00Barat\t\x1b", 500, 2, []string{"Jawa Barat"}, true},
		{"markup is text", "<b>Jawa</b>", 500, 1, []string{"<b>Jawa</b>"}, true},
		{"wraps at spaces", "aaa bbb ccc", measure(face, "aaa bbb") + 1, 2, []string{"aaa bbb", "ccc"}, true},
		{"too many lines: ellipsis", "aaa bbb ccc ddd", measure(face, "aaa bbb") + 1, 1, []string{"aaa b…"}, false},
		{"long word broken", "MMMMMM", 3*em + 0.5, 2, []string{"MMM", "MMM"}, true},
		{"long word broken, then ellipsis", "MMMMMMMMM", 3*em + 0.5, 2, []string{"MMM", "M…"}, false},
		{"cut at maxRunes", strings.Repeat("a ", maxRunes), 1e9, 1, []string{"a a a…"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fit := fs.wrap(face, tc.s, tc.width, tc.maxLines)
			if fit != tc.fit {
				t.Errorf("fit %v, want %v", fit, tc.fit)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("lines %q, want %q", got, tc.want)
			}
			for i, w := range tc.want {
				prefix, ell := strings.CutSuffix(w, ellipsis)
				switch {
				case ell && (!strings.HasPrefix(got[i], prefix) || !strings.HasSuffix(got[i], ellipsis)):
					t.Errorf("line %d %q, want %q then more, then %q", i, got[i], prefix, ellipsis)
				case !ell && got[i] != w:
					t.Errorf("line %d %q, want %q", i, got[i], w)
				}
				if lw := measure(face, got[i]); lw > tc.width {
					t.Errorf("line %q is %.1f px wide, more than %.1f", got[i], lw, tc.width)
				}
			}
		})
	}
}

func TestClean(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in, want string
		cut            bool
	}{
		{"plain", "Jawa Barat · 61,5%", "Jawa Barat · 61,5%", false},
		{"markup stays text", `<img src=x onerror=alert(1)>`, `<img src=x onerror=alert(1)>`, false},
		{"decomposed accent composed (NFC)", "Caf\u0065\u0301", "Café", false},
		{"controls are spaces", "a\x00b\nc\x1b[0m\u0085d", "a b c [0m d", false},
		{"format characters dropped", "a\u200db\u202ec\u00add\ufe0fe", "abcde", false},
		{"missing glyphs visible", "MPP 😀 مصر", "MPP \ufffd \ufffd\ufffd\ufffd", false},
		{"invalid UTF-8", "a\xffb", "a\ufffdb", false},
		{"cut", strings.Repeat("a", maxRunes+5), strings.Repeat("a", maxRunes), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, cut := fs.clean(tc.in)
			if got != tc.want || cut != tc.cut {
				t.Errorf("clean(%q) = %q, %v; want %q, %v", tc.in, got, cut, tc.want, tc.cut)
			}
		})
	}
}

// TestBoldCoversRegular backs fonts.has, which looks characters up in Go Regular only.
func TestBoldCoversRegular(t *testing.T) {
	regular, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	bold, err := sfnt.Parse(gobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var rb, bb sfnt.Buffer
	for r := rune(0); r < 0x20000; r++ {
		ri, err1 := regular.GlyphIndex(&rb, r)
		bi, err2 := bold.GlyphIndex(&bb, r)
		if err1 != nil || err2 != nil || (ri != 0) != (bi != 0) {
			t.Errorf("%U: regular glyph %d (%v), bold glyph %d (%v)", r, ri, err1, bi, err2)
		}
	}
}

func ExampleRender() {
	png, err := Render(Card{
		Title:       "Peta MPP — Jawa Barat",
		Headline:    "20 dari 27 kabupaten/kota punya MPP (74,1%)",
		Subline:     "Data per 12 Februari 2026",
		Attribution: "Batas wilayah: © 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), MIT",
		Legend:      []Legend{{Fill: color.RGBA{0x00, 0x72, 0xb2, 0xff}, Label: "Ada MPP"}},
		Regions: []Region{{
			Code: "32.73",
			Geom: orb.MultiPolygon{{{{107.55, -6.97}, {107.74, -6.97}, {107.74, -6.84}, {107.55, -6.84}, {107.55, -6.97}}}},
			Fill: color.RGBA{0x00, 0x72, 0xb2, 0xff},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := png2config(png)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d×%d\n", cfg.Width, cfg.Height)
	// Output: 1200×630
}

func png2config(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }

func BenchmarkRenderNational(b *testing.B) {
	c := baseCard(grid(514))
	var out []byte
	for b.Loop() {
		var err error
		if out, err = Render(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out)), "png-bytes")
}

// TestRealCards renders cards from the reference boundaries and statuses for a person to look
// at (SHARECARD_REAL=1 go test ./sharecard -run RealCards -v): the national map at the
// national detail level, a province and a region with its neighbours at the province level.
// It writes the PNGs to a temporary folder it logs, and logs their sizes with the default and
// the best compression.
func TestRealCards(t *testing.T) {
	if os.Getenv("SHARECARD_REAL") == "" {
		t.Skip("SHARECARD_REAL not set")
	}
	dataDir := filepath.Join("..", "..", "shared", "data")
	if d := os.Getenv("SHARECARD_DATA"); d != "" {
		dataDir = d
	}
	raw, err := os.ReadFile(filepath.Join(dataDir, "boundaries", "kabkota.geojson"))
	if err != nil {
		t.Skipf("no reference boundaries: %v", err)
	}
	var fc struct {
		Features []struct {
			Properties struct{ Code string }
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	status := readStatuses(t, filepath.Join(dataDir, "mpp", "mpp_status_by_region.csv"))
	fills := map[string]color.Color{"yes": colYes, "in_progress": colProgress, "no": colNo, "unknown": colUnknown}

	codes := make([]string, len(fc.Features))
	geoms := make([]orb.MultiPolygon, len(fc.Features))
	yes := 0
	for i, f := range fc.Features {
		codes[i] = f.Properties.Code
		var err error
		switch f.Geometry.Type {
		case "Polygon":
			var p orb.Polygon
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			geoms[i] = orb.MultiPolygon{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &geoms[i])
		default:
			t.Fatalf("feature %s: geometry %s", codes[i], f.Geometry.Type)
		}
		if err != nil {
			t.Fatalf("feature %s: %v", codes[i], err)
		}
		if status[codes[i]] == "yes" {
			yes++
		}
	}
	topo := geo.NewTopology(geoms, 0)
	national, _ := topo.Simplify(geo.LevelNational)
	province, _ := topo.Simplify(geo.LevelProvince)
	fill := func(code string) color.Color {
		if c, ok := fills[status[code]]; ok {
			return c
		}
		return colUnknown
	}

	dir, err := os.MkdirTemp("", "sharecard-")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, c Card) {
		b, err := Render(c)
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, b)
		var best bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&best, img); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".png")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d regions, %d B (best compression %d B)", p, len(c.Regions), len(b), best.Len())
	}

	var regions []Region
	vertices := 0
	for i, g := range national {
		regions = append(regions, Region{Code: codes[i], Geom: g, Fill: fill(codes[i])})
		for _, p := range g {
			for _, r := range p {
				vertices += len(r)
			}
		}
	}
	t.Logf("national layer: %d vertices", vertices)
	c := baseCard(regions)
	c.Headline = fmt.Sprintf("%d dari %d kabupaten/kota punya MPP (%.1f%%)", yes, len(regions), 100*float64(yes)/float64(len(regions)))
	c.Headline = strings.Replace(c.Headline, ".", ",", 1)
	write("national", c)

	// A province: Jawa Barat's regions only.
	regions = nil
	inProv, yesProv := 0, 0
	for i, g := range province {
		if strings.HasPrefix(codes[i], "32.") {
			regions = append(regions, Region{Code: codes[i], Geom: g, Fill: fill(codes[i])})
			inProv++
			if status[codes[i]] == "yes" {
				yesProv++
			}
		}
	}
	c = baseCard(regions)
	c.Title = "Peta MPP — Jawa Barat"
	c.Headline = fmt.Sprintf("%d dari %d kabupaten/kota punya MPP", yesProv, inProv)
	write("province-32", c)

	// A region with its neighbours: Kota Bandung, the map fitted to its neighbourhood.
	var focus orb.Bound
	for i, g := range province {
		if codes[i] == "32.73" {
			focus = g.Bound()
		}
	}
	view := focus.Pad(0.25)
	regions = nil
	for i, g := range province {
		if b := g.Bound(); b.Intersects(view) {
			regions = append(regions, Region{Code: codes[i], Geom: g, Fill: colUnknown, Outline: codes[i] == "32.73"})
			if codes[i] == "32.73" {
				regions[len(regions)-1].Fill = colFocus
			}
		}
	}
	c = baseCard(regions)
	c.Title = "Kota Bandung — Jawa Barat"
	c.Headline = "Kota Bandung punya MPP sejak 2021"
	c.Legend = []Legend{{colFocus, "Kota Bandung"}, {colUnknown, "Tetangga"}}
	c.Bounds = view
	write("region-32.73", c)
}

func readStatuses(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Logf("no statuses (%v): every region unknown", err)
		return nil
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[col["code"]]] = r[col["mpp_status"]]
	}
	return out
}
