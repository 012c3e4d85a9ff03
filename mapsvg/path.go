package mapsvg

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// maxDecimals bounds Options.Decimals and the extra precision a collapsed largest ring may get:
// a millionth of a pixel is already far below anything a screen or printer can show.
const maxDecimals = 6

// gpt is a projected point on the grid of 10^-decimals px that coordinates are rounded to.
// Rounding absolute positions to the grid first and taking differences of grid points
// afterwards keeps relative commands exact: the error of a rounded delta never accumulates
// along a ring.
type gpt struct{ x, y int64 }

// pathStyle selects among encodings of the same rounded rings; the zero value is the one
// Render uses (see the package doc for the measurements behind it). The alternatives exist
// so that a test keeps those measurements honest.
type pathStyle struct {
	absolute bool // M x y L x y …: every vertex as an absolute position
	loose    bool // always a separator and a leading zero ("0.5 0.5", not ".5.5")
}

// gridRing rounds ring r, projected with p, to the grid of 10^-dec px and returns it open
// (without the closing vertex), with consecutive duplicates — which rounding creates wherever
// vertices are closer than the grid — removed, and vertices that lie exactly on the segment
// between their neighbours removed too (lossless once rounded: rounding to whole pixels puts
// many vertices of a gently curving border on one straight run).
func gridRing(r orb.Ring, p Projection, dec int) []gpt {
	scale := math.Pow(10, float64(dec))
	out := make([]gpt, 0, len(r))
	for _, pt := range r {
		x, y := p.Point(pt)
		q := gpt{int64(math.Round(x * scale)), int64(math.Round(y * scale))}
		if n := len(out); n > 0 && out[n-1] == q {
			continue
		}
		if n := len(out); n >= 2 && inLine(out[n-2], out[n-1], q) {
			out[n-1] = q
			continue
		}
		out = append(out, q)
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	// Closing the ring may make its last (or first) vertex redundant too.
	for len(out) >= 3 && inLine(out[len(out)-2], out[len(out)-1], out[0]) {
		out = out[:len(out)-1]
	}
	for len(out) >= 3 && inLine(out[len(out)-1], out[0], out[1]) {
		out = out[1:]
	}
	return out
}

// inLine reports whether b lies on the segment from a to c, strictly between them and in the
// same direction (a spike that turns back is a different shape and is kept).
func inLine(a, b, c gpt) bool {
	ux, uy := b.x-a.x, b.y-a.y
	vx, vy := c.x-b.x, c.y-b.y
	return ux*vy-uy*vx == 0 && ux*vx+uy*vy > 0
}

// ringArea is the absolute planar area of r in square degrees.
func ringArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return math.Abs(a) / 2
}

// featurePath appends the path data of mp to dst. Polygons whose exterior ring's projected
// area is below minArea px², and rings with fewer than 3 vertices left after rounding, are
// dropped — except the feature's largest polygon, whose exterior is always drawn, with up to
// maxDecimals decimals if that is what it takes to keep 3 vertices, so that every region keeps
// a shape to click. Holes are never dropped for their area: an enclave (Kota Bogor inside
// Kabupaten Bogor) is drawn by another feature, and dropping its hole would let the
// surrounding feature paint over it wherever it comes later in the drawing order.
func featurePath(dst []byte, mp orb.MultiPolygon, p Projection, dec int, minArea float64, st pathStyle) []byte {
	largest, best := -1, -1.0
	for i, poly := range mp {
		if len(poly) > 0 {
			if a := ringArea(poly[0]); a > best {
				largest, best = i, a
			}
		}
	}
	w := pathWriter{buf: dst, style: st}
	pxPerDeg2 := p.scale * p.scale
	for i, poly := range mp {
		if len(poly) == 0 || i != largest && ringArea(poly[0])*pxPerDeg2 < minArea {
			continue
		}
		d := dec
		ext := gridRing(poly[0], p, d)
		for i == largest && len(ext) < 3 && d < maxDecimals {
			d++
			ext = gridRing(poly[0], p, d)
		}
		if len(ext) < 3 && i != largest {
			continue
		}
		w.ring(ext, d)
		for _, hole := range poly[1:] {
			if h := gridRing(hole, p, dec); len(h) >= 3 {
				w.ring(h, dec)
			}
		}
	}
	return w.buf
}

// pathWriter writes rings as SVG path data, as short as the style allows.
type pathWriter struct {
	buf   []byte
	style pathStyle
	// sep is whether the next number needs a separator (false right after a command letter);
	// dot is whether the previous number has a decimal point, so a next number starting with
	// "." can follow it directly.
	sep, dot bool
	// start is the previous subpath's first vertex (where "z" leaves the current point) at
	// startDec decimals; started says there was one.
	start    gpt
	startDec int
	started  bool
}

func (w *pathWriter) cmd(c byte) {
	w.buf = append(w.buf, c)
	w.sep = false
}

// num writes n grid units of 10^-dec px: no trailing zeros, no leading zero unless loose.
func (w *pathWriter) num(n int64, dec int) {
	var tmp [24]byte
	s := appendFixed(tmp[:0], n, dec, !w.style.loose)
	if w.sep && (w.style.loose || s[0] != '-' && !(s[0] == '.' && w.dot)) {
		w.buf = append(w.buf, ' ')
	}
	w.buf = append(w.buf, s...)
	w.sep = true
	w.dot = false
	for _, b := range s {
		if b == '.' {
			w.dot = true
		}
	}
}

// ring writes one closed subpath: a move to its first vertex — relative to the previous
// subpath's first vertex, where "z" left the current point, when there is one at the same
// decimals — then the other vertices as one "l" with implicit repeats, then "z".
//
// Only l, not h and v for axis-parallel steps: they make the path ~1.5% shorter raw but
// ~1.5% longer gzipped on the national layer, as switching commands breaks the repeats that
// the compressor matches, and pages are served compressed.
func (w *pathWriter) ring(r []gpt, dec int) {
	if len(r) == 0 {
		return
	}
	if w.style.absolute || !w.started || dec != w.startDec {
		w.cmd('M')
		w.num(r[0].x, dec)
		w.num(r[0].y, dec)
	} else {
		w.cmd('m')
		w.num(r[0].x-w.start.x, dec)
		w.num(r[0].y-w.start.y, dec)
	}
	w.start, w.startDec, w.started = r[0], dec, true
	if len(r) > 1 {
		if w.style.absolute {
			w.cmd('L')
		} else {
			w.cmd('l')
		}
	}
	for i := 1; i < len(r); i++ {
		if w.style.absolute {
			w.num(r[i].x, dec)
			w.num(r[i].y, dec)
		} else {
			w.num(r[i].x-r[i-1].x, dec)
			w.num(r[i].y-r[i-1].y, dec)
		}
	}
	w.cmd('z')
}

// appendFixed appends n·10^-dec in the shortest plain decimal form: no exponent, no trailing
// zeros, and with tight no leading zero (".5", "-.5") — valid SVG path numbers.
func appendFixed(dst []byte, n int64, dec int, tight bool) []byte {
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	var pow int64 = 1
	for i := 0; i < dec; i++ {
		pow *= 10
	}
	whole, frac := n/pow, n%pow
	if whole != 0 || frac == 0 || !tight {
		dst = strconv.AppendInt(dst, whole, 10)
	}
	if frac == 0 {
		return dst
	}
	width := dec
	for frac%10 == 0 {
		frac /= 10
		width--
	}
	dst = append(dst, '.')
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], frac, 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}
