package sharecard

import (
	"image"
	"image/draw"
	"math"

	"github.com/fogleman/gg"
	"github.com/paulmach/orb"

	"mppmap/mapsvg"
)

// Line widths in px.
const (
	// The borders between regions scale with the map (scale/40 px, i.e. 0.025°) between
	// these: thin enough that a national map's small kota keep their colour, visible on a
	// province.
	minBorder, maxBorder = 0.5, 1.5
	// outlineWidth is the focus region's outline; mapPad keeps it inside the map box.
	outlineWidth = 3
	mapPad       = outlineWidth
	// minStroked is the projected extent below which a polygon gets no white border: a
	// border would paint a small island white instead of its status colour.
	minStroked = 3
	// clipSlack is how far outside the map box geometry is kept. Beyond it, it is cut off:
	// it is invisible, and at a large scale it could overflow the rasterizer's 26.6
	// fixed-point coordinates. The slack exceeds every line width, so the cut edges are
	// never seen.
	clipSlack = 16
)

// pt is a projected point in map-box px.
type pt struct{ x, y float64 }

// mapProjection is mapsvg's projection fitted into the map box and centred in it.
type mapProjection struct {
	p      mapsvg.Projection
	ox, oy float64
	scale  float64 // px per degree
	clip   rect
}

// fitProjection fits bound b into a w×h px box, less mapPad on every side. It reuses
// mapsvg.NewProjection (which fits a width) by choosing the width that makes the bound's
// height fit as well.
func fitProjection(b orb.Bound, w, h float64) mapProjection {
	s := fitScale(b, rect{0, 0, w - 2*mapPad, h - 2*mapPad})
	dx, dy := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	width := 1
	switch {
	case dx > 0:
		width = max(1, int(math.Floor(s*dx)))
	case dy > 0:
		width = max(1, int(math.Floor(s*dy))) // NewProjection scales a zero-width bound by its height
	}
	p := mapsvg.NewProjection(b, width, 0)
	pw, ph := p.Size()
	scale := 1.0
	if dx > 0 {
		scale = float64(width) / dx
	} else if dy > 0 {
		scale = float64(width) / dy
	}
	return mapProjection{
		p: p, ox: (w - pw) / 2, oy: (h - ph) / 2, scale: scale,
		clip: rect{-clipSlack, -clipSlack, w + 2*clipSlack, h + 2*clipSlack},
	}
}

func (m *mapProjection) point(q orb.Point) pt {
	x, y := m.p.Point(q)
	return pt{x + m.ox, y + m.oy}
}

// drawMap draws the regions into box on dc: fills in order (outlined regions last), then the
// white borders, then the outlines. The map is drawn on its own context of the box's size so
// that nothing of it can reach the texts, then copied onto the card.
func drawMap(dc *gg.Context, regions []Region, box rect, b orb.Bound) {
	w, h := int(box.w), int(box.h)
	if w <= 0 || h <= 0 {
		return
	}
	m := gg.NewContext(w, h)
	proj := fitProjection(b, float64(w), float64(h))
	m.SetFillRuleEvenOdd()
	m.SetLineJoinRound()

	var order []int
	for pass := 0; pass < 2; pass++ {
		for i := range regions {
			if regions[i].Outline == (pass == 1) {
				order = append(order, i)
			}
		}
	}
	var buf []pt
	for _, i := range order {
		buf = addPath(m, regions[i].Geom, &proj, 0, buf)
		m.SetColor(regions[i].Fill)
		m.Fill()
	}

	// One stroke per region: the rasterizer looks cells up in a list per row, so one path of
	// all borders would be slower than 514 small ones.
	m.SetColor(rgb(borderRGB))
	m.SetLineWidth(math.Min(maxBorder, math.Max(minBorder, proj.scale/40)))
	for _, i := range order {
		buf = addPath(m, regions[i].Geom, &proj, minStroked, buf)
		m.Stroke()
	}

	for _, i := range order {
		if regions[i].Outline {
			buf = addPath(m, regions[i].Geom, &proj, 0, buf)
		}
	}
	m.SetColor(rgb(outlineRGB))
	m.SetLineWidth(outlineWidth)
	m.Stroke()

	// Composited with image/draw rather than gg's DrawImage, which resamples (bilinear) even
	// at a whole-pixel offset.
	at := image.Pt(int(math.Round(box.x)), int(math.Round(box.y)))
	dst, ok := dc.Image().(*image.RGBA)
	if !ok {
		dc.DrawImage(m.Image(), at.X, at.Y)
		return
	}
	draw.Draw(dst, image.Rectangle{Min: at, Max: at.Add(image.Pt(w, h))}, m.Image(), image.Point{}, draw.Over)
}

// addPath adds the rings of mp, projected and clipped, to m's current path as closed
// subpaths, skipping rings whose projected extent is below minExtent px. buf is scratch space,
// returned for reuse.
func addPath(m *gg.Context, mp orb.MultiPolygon, proj *mapProjection, minExtent float64, buf []pt) []pt {
	for _, poly := range mp {
		for _, ring := range poly {
			buf = buf[:0]
			x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
			for _, q := range ring {
				p := proj.point(q)
				if !finite(p.x) || !finite(p.y) {
					buf = buf[:0] // a bound of a few denormals across: no scale can draw it
					break
				}
				buf = append(buf, p)
				x0, y0, x1, y1 = math.Min(x0, p.x), math.Min(y0, p.y), math.Max(x1, p.x), math.Max(y1, p.y)
			}
			if len(buf) < 3 || (x1-x0 < minExtent && y1-y0 < minExtent) {
				continue
			}
			c := proj.clip
			if x1 < c.x || y1 < c.y || x0 > c.x+c.w || y0 > c.y+c.h {
				continue // wholly outside
			}
			pts := buf
			if x0 < c.x || y0 < c.y || x1 > c.x+c.w || y1 > c.y+c.h {
				pts = clipRing(buf, c)
				if len(pts) < 3 {
					continue
				}
			}
			m.MoveTo(pts[0].x, pts[0].y)
			for _, p := range pts[1:] {
				m.LineTo(p.x, p.y)
			}
			m.ClosePath()
		}
	}
	return buf
}

// clipRing clips a ring to r (Sutherland–Hodgman, one half-plane at a time). For a fill the
// result covers exactly the ring's part inside r; edges it adds run along r's sides.
func clipRing(in []pt, r rect) []pt {
	type edge struct {
		inside func(pt) bool
		cross  func(a, b pt) pt
	}
	x0, y0, x1, y1 := r.x, r.y, r.x+r.w, r.y+r.h
	atX := func(a, b pt, x float64) pt { return pt{x, a.y + (b.y-a.y)*(x-a.x)/(b.x-a.x)} }
	atY := func(a, b pt, y float64) pt { return pt{a.x + (b.x-a.x)*(y-a.y)/(b.y-a.y), y} }
	edges := [4]edge{
		{func(p pt) bool { return p.x >= x0 }, func(a, b pt) pt { return atX(a, b, x0) }},
		{func(p pt) bool { return p.x <= x1 }, func(a, b pt) pt { return atX(a, b, x1) }},
		{func(p pt) bool { return p.y >= y0 }, func(a, b pt) pt { return atY(a, b, y0) }},
		{func(p pt) bool { return p.y <= y1 }, func(a, b pt) pt { return atY(a, b, y1) }},
	}
	out := in
	for _, e := range edges {
		src := out
		out = make([]pt, 0, len(src)+4)
		for i, cur := range src {
			prev := src[(i+len(src)-1)%len(src)]
			switch ci, pi := e.inside(cur), e.inside(prev); {
			case ci && !pi:
				out = append(out, e.cross(prev, cur), cur)
			case ci:
				out = append(out, cur)
			case pi:
				out = append(out, e.cross(prev, cur))
			}
		}
		if len(out) == 0 {
			return nil
		}
	}
	return out
}

// drawText draws the layout's texts and legend swatches.
func drawText(dc *gg.Context, l cardLayout) {
	for _, s := range l.swatches {
		dc.DrawRectangle(s.x, s.y, s.size, s.size)
		dc.SetColor(s.fill)
		dc.Fill()
		dc.DrawRectangle(s.x+0.5, s.y+0.5, s.size-1, s.size-1)
		dc.SetColor(rgb(swatchEdgeRGB))
		dc.SetLineWidth(1)
		dc.Stroke()
	}
	for _, ln := range l.lines {
		if ln.s == "" {
			continue
		}
		dc.SetFontFace(ln.face)
		dc.SetColor(rgb(ln.rgb))
		dc.DrawString(ln.s, ln.x, ln.y)
	}
}
