package sharecard

import (
	"image/color"
	"math"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
)

// Layout constants in px.
const (
	// textMargin keeps text off the edges: previews crop and round corners.
	textMargin = 40
	// mapMargin is smaller: a map running close to the edge reads fine and the national map
	// is limited by the card's width.
	mapMargin = 24
	// columnWidth is the right-hand text column of the map-left layout.
	columnWidth = 420
	// gap separates the text block, the map and the footer.
	gap = 16
	// footerBaseline is the distance of the attribution's last baseline from the bottom edge.
	footerBaseline = 16
)

// textLine is one line of text at its baseline.
type textLine struct {
	s    string
	face font.Face
	rgb  uint32
	x, y float64
}

// swatch is one legend colour square.
type swatch struct {
	x, y, size float64
	fill       color.Color
}

type rect struct{ x, y, w, h float64 }

// cardLayout is where everything goes.
type cardLayout struct {
	lines    []textLine
	swatches []swatch
	mapBox   rect // empty when the card has no map
	right    bool // text in a column right of the map (else on top)
}

// block is a laid-out text block: title, headline, subline and legend, top to bottom.
type block struct {
	lines    []textLine
	swatches []swatch
	bottom   float64
}

// layout places the texts and the map. With a map it lays the text out both ways (on top, and
// in a right-hand column) and keeps the layout whose map box gives bound the larger scale.
func layout(c *Card, fs *fonts, bound orb.Bound, hasMap bool) cardLayout {
	foot, footTop := layoutFooter(c.Attribution, fs)
	top := layoutBlock(c, fs, textMargin, textMargin, Width-2*textMargin)
	l := cardLayout{lines: append(top.lines, foot...), swatches: top.swatches}
	if !hasMap {
		return l
	}
	l.mapBox = rect{mapMargin, top.bottom + gap, Width - 2*mapMargin, footTop - gap - (top.bottom + gap)}

	colX := float64(Width - textMargin - columnWidth)
	side := layoutBlock(c, fs, colX, textMargin, columnWidth)
	sideBox := rect{mapMargin, mapMargin, colX - gap - mapMargin, footTop - gap - mapMargin}
	if fitScale(bound, sideBox) > fitScale(bound, l.mapBox) {
		l = cardLayout{lines: append(side.lines, foot...), swatches: side.swatches, mapBox: sideBox, right: true}
	}
	return l
}

// fitScale is the px per degree at which bound fits box (0 for an empty box).
func fitScale(b orb.Bound, box rect) float64 {
	if box.w <= 0 || box.h <= 0 {
		return 0
	}
	dx, dy := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	switch {
	case dx > 0 && dy > 0:
		return math.Min(box.w/dx, box.h/dy)
	case dx > 0:
		return box.w / dx
	case dy > 0:
		return box.h / dy
	}
	return 1 // a single point: any box will do
}

// layoutFooter sets the attribution from the bottom edge up and returns its lines and the
// y above which the rest of the card must stay (the canvas height minus the bottom margin
// when there is no attribution).
func layoutFooter(s string, fs *fonts) ([]textLine, float64) {
	st := fs.st.attribution
	lines, face, size := fitText(s, st, fs, Width-2*textMargin)
	if len(lines) == 0 {
		return nil, Height - mapMargin + gap
	}
	out := make([]textLine, len(lines))
	y := Height - footerBaseline - float64(len(lines)-1)*st.lead*size
	for i, ln := range lines {
		out[i] = textLine{ln, face, st.rgb, textMargin, y + float64(i)*st.lead*size}
	}
	return out, y - ascent(face)
}

// layoutBlock sets title, headline, subline and legend from (x, y) down in a width px wide
// column.
func layoutBlock(c *Card, fs *fonts, x, y, width float64) block {
	var b block
	cursor := y
	para := func(s string, st textStyle, after float64) {
		lines, face, size := fitText(s, st, fs, width)
		if len(lines) == 0 {
			return
		}
		base := cursor + ascent(face)
		for i, ln := range lines {
			b.lines = append(b.lines, textLine{ln, face, st.rgb, x, base + float64(i)*st.lead*size})
		}
		cursor = base + float64(len(lines)-1)*st.lead*size + descent(face) + after
	}
	para(c.Title, fs.st.title, 10)
	para(c.Headline, fs.st.headline, 14)
	para(c.Subline, fs.st.subline, 16)
	b.bottom = cursor

	if len(c.Legend) > 0 {
		st := fs.st.legend
		face, size := fs.face(st, 0), st.sizes[0]
		row := st.lead * size
		sw := math.Round(0.95 * size)
		lx, ly := 0.0, cursor
		for _, it := range c.Legend {
			avail := width - sw - 0.5*size
			lines, _ := fs.wrap(face, it.Label, avail, 1)
			label := ""
			if len(lines) > 0 {
				label = lines[0]
			}
			iw := sw + 0.5*size + measure(face, label)
			if lx > 0 && lx+iw > width {
				lx, ly = 0, ly+row
			}
			b.swatches = append(b.swatches, swatch{math.Round(x + lx), math.Round(ly + (row-sw)/2), sw, it.Fill})
			// Baseline so that the label's x-height centres on the swatch.
			b.lines = append(b.lines, textLine{label, face, st.rgb, x + lx + sw + 0.5*size, ly + row/2 + 0.36*size})
			lx += iw + 1.4*size
		}
		b.bottom = ly + row
	}
	return b
}

// fitText wraps s in style st: at its size, else one step smaller (ellipsised if it still
// needs more than st.maxLines lines). It returns the lines and the face and size they use.
func fitText(s string, st textStyle, fs *fonts, width float64) ([]string, font.Face, float64) {
	face := fs.face(st, 0)
	lines, fit := fs.wrap(face, s, width, st.maxLines)
	if !fit && st.sizes[1] > 0 {
		face = fs.face(st, 1)
		lines, _ = fs.wrap(face, s, width, st.maxLines)
		return lines, face, st.sizes[1]
	}
	return lines, face, st.sizes[0]
}

func ascent(f font.Face) float64  { return float64(f.Metrics().Ascent) / 64 }
func descent(f font.Face) float64 { return float64(f.Metrics().Descent) / 64 }
