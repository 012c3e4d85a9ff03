package sharecard

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"github.com/fogleman/gg"
	"github.com/paulmach/orb"
)

// Width and Height are the card's size in px: the 1.91:1 image that Open Graph consumers
// (Facebook, LinkedIn, WhatsApp, Telegram) and Twitter's summary_large_image crop least.
const Width, Height = 1200, 630

// Region is one area of the card's map.
type Region struct {
	// Code identifies the region in error messages (e.g. "32.73"); it is not drawn.
	Code string
	// Geom is the region in WGS84 lon/lat. Rings may be open or closed; holes (and any ring
	// inside another of the same region) are drawn with the even-odd rule.
	Geom orb.MultiPolygon
	// Fill is the region's colour; nil is an error.
	Fill color.Color
	// Outline marks the region the card is about: drawn after all others with a thick dark
	// outline, so no neighbour covers it.
	Outline bool
}

// Legend is one swatch of the legend: its colour (nil is an error) and its label.
type Legend struct {
	Fill  color.Color
	Label string
}

// Card is what one share card shows. Texts are drawn as given; "" draws nothing.
type Card struct {
	Title    string // e.g. "Peta MPP — Jawa Barat", bold
	Headline string // the headline figure, large, e.g. "316 dari 514 kabupaten/kota punya MPP (61,5%)"
	Subline  string // e.g. "Data per 12 Februari 2026 · sumber: KemenPANRB, Kemendagri, berita"
	// Attribution is the boundary attribution, in small text along the bottom edge. The
	// boundaries' licence requires it on every card that shows them.
	Attribution string
	// Legend lists at most 6 swatches (maxLegend), laid out in rows.
	Legend []Legend
	// Regions is the map, drawn in order (outlined regions last).
	Regions []Region
	// Bounds is the lon/lat box the map fits; zero means the regions' bound. Regions reaching
	// outside it are cut at the map's edge.
	Bounds orb.Bound
}

// Colours of the card itself as 0xRRGGBB (constants, not color.Color variables, so that no
// package state can be changed); region and legend colours come from the caller.
const (
	// textRGB is the near-black of the dashboard's text and focus line.
	textRGB = 0x1a1a1a
	// mutedRGB is for the subline and attribution: secondary, still 7.5:1 on white.
	mutedRGB = 0x555555
	// swatchEdgeRGB edges legend swatches so that a near-white fill still shows.
	swatchEdgeRGB = 0x767676
	// borderRGB is the thin line between regions, white as on the pages' maps.
	borderRGB = 0xffffff
	// outlineRGB is the focus region's outline, the dashboard's colorFocusLine.
	outlineRGB = 0x1a1a1a
)

func rgb(v uint32) color.RGBA {
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

// maxLegend bounds the legend so that it always fits beside the other texts (see layout);
// the dashboard's legends have four or five swatches.
const maxLegend = 6

// Render draws c and returns it as a PNG of exactly Width×Height px. It is pure and
// deterministic: the same card gives the same bytes.
func Render(c Card) ([]byte, error) {
	img, err := paint(c)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	// The default compression level: on the national card BestCompression saves about 2%
	// (166 KB → 164 KB on the reference boundaries) for about nine times the encoding time
	// (~35 ms → ~300 ms), and BestSpeed saves a third of the time for 6% more bytes.
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("sharecard: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// paint renders c into an image; Render encodes it.
func paint(c Card) (image.Image, error) {
	bound, hasMap, err := check(&c)
	if err != nil {
		return nil, fmt.Errorf("sharecard: %w", err)
	}
	fs, err := loadFonts()
	if err != nil {
		return nil, fmt.Errorf("sharecard: %w", err)
	}
	l := layout(&c, fs, bound, hasMap)

	dc := gg.NewContext(Width, Height)
	dc.SetColor(color.White)
	dc.Clear()
	if hasMap {
		drawMap(dc, c.Regions, l.mapBox, bound)
	}
	drawText(dc, l)
	return dc.Image(), nil
}

// check validates c and returns the lon/lat bound the map fits, and whether there is a map
// at all (false for no regions and no Bounds: a text-only card).
func check(c *Card) (orb.Bound, bool, error) {
	if len(c.Legend) > maxLegend {
		return orb.Bound{}, false, fmt.Errorf("legend: %d items, at most %d", len(c.Legend), maxLegend)
	}
	for i, it := range c.Legend {
		if it.Fill == nil {
			return orb.Bound{}, false, fmt.Errorf("legend item %d (%q): no fill colour", i, it.Label)
		}
	}
	var rb orb.Bound
	points := 0
	for i := range c.Regions {
		r := &c.Regions[i]
		if r.Fill == nil {
			return orb.Bound{}, false, fmt.Errorf("region %d (code %q): no fill colour", i, r.Code)
		}
		for _, p := range r.Geom {
			for _, ring := range p {
				for _, pt := range ring {
					if !finite(pt[0]) || !finite(pt[1]) {
						return orb.Bound{}, false, fmt.Errorf("region %d (code %q): coordinate %v not finite", i, r.Code, pt)
					}
					if points == 0 {
						rb = orb.Bound{Min: pt, Max: pt}
					} else {
						rb = rb.Extend(pt)
					}
					points++
				}
			}
		}
	}
	if b := c.Bounds; b != (orb.Bound{}) {
		for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			if !finite(v) {
				return orb.Bound{}, false, fmt.Errorf("bounds %v: not finite", b)
			}
		}
		if b.Max[0] < b.Min[0] || b.Max[1] < b.Min[1] {
			return orb.Bound{}, false, fmt.Errorf("bounds %v: max below min", b)
		}
		return b, true, nil
	}
	return rb, points > 0, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
