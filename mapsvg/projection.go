package mapsvg

import "github.com/paulmach/orb"

// Projection maps WGS84 lon/lat to SVG pixels with an equirectangular (plate carrée)
// projection: x grows with longitude, y with falling latitude, both at the same number of
// pixels per degree.
//
// Why equirectangular: Indonesia lies between about 11°S and 6°N, where a degree of longitude
// is cos(latitude) ≥ 0.98 of a degree of latitude on the ground, so one scale for both axes
// is within ~2% everywhere and ~1% over most of the land. A conformal or equal-area
// projection would buy nothing visible at these latitudes and would cost a trigonometric
// transform per vertex and a second code path for the browser to agree with. It is also what
// the ECharts map series draws with aspectScale 1 (dashboard's choropleth sets it), so the
// server-drawn SVG and the interactive chart that may replace it have the same shape.
type Projection struct {
	minX, maxY float64 // bound corner that maps to the top-left of the padded box
	scale      float64 // px per degree, both axes
	ox, oy     float64 // px offset of minX/maxY
	w, h       float64 // the whole drawing, padding included
}

// NewProjection fits bound b into a drawing width px wide with padding px on every side; the
// height follows b's aspect ratio. A bound of zero width is scaled by its height (and centred)
// and a single point by 1 px/°, so a degenerate input still projects to finite numbers.
func NewProjection(b orb.Bound, width int, padding float64) Projection {
	w := float64(width)
	inner := w - 2*padding
	dx := b.Max[0] - b.Min[0]
	dy := b.Max[1] - b.Min[1]
	scale := 1.0
	switch {
	case dx > 0:
		scale = inner / dx
	case dy > 0:
		scale = inner / dy
	}
	return Projection{
		minX:  b.Min[0],
		maxY:  b.Max[1],
		scale: scale,
		ox:    (w - dx*scale) / 2,
		oy:    padding,
		w:     w,
		h:     dy*scale + 2*padding,
	}
}

// Point returns the pixel position of pt (lon, lat).
func (p Projection) Point(pt orb.Point) (x, y float64) {
	return p.ox + (pt[0]-p.minX)*p.scale, p.oy + (p.maxY-pt[1])*p.scale
}

// Size returns the drawing's width and height in px, padding included.
func (p Projection) Size() (w, h float64) { return p.w, p.h }
