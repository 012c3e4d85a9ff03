package mapsvg

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// Feature is one region of the map.
type Feature struct {
	// Code is the join key ([A-Za-z0-9._-], unique within a map), written as data-code and
	// used for the path's id ("<Options.ID>-<Code>") so a page can link to or style one region.
	Code string
	// Geom is the region in WGS84 lon/lat. Rings may be open or closed; holes are drawn as
	// holes (fill-rule evenodd).
	Geom orb.MultiPolygon
	// Fill is the region's colour: "#rgb" or "#rrggbb", anything else is an error.
	Fill string
	// Title is the region's tooltip and accessible name ("" writes none); it is escaped.
	Title string
	// Href is the link target: "" for no link, else a path starting with "/" or an http(s)
	// URL; anything else (javascript:, data:, //host) is an error.
	Href string
	// Class is an optional CSS class of [a-z0-9-] (e.g. "st-yes") so the page's stylesheet
	// can restyle a status (hover, legend filtering) without touching the SVG.
	Class string
	// Outline draws the region with a thick near-black outline (Width/400 px, at least twice
	// StrokeWidth), on top of its neighbours: the page's own region on a locator map.
	Outline bool
}

// LegendItem is one swatch of the legend: Fill as for Feature.Fill, Label escaped, Class as
// for Feature.Class (applied to the swatch).
type LegendItem struct{ Fill, Label, Class string }

// Options say how to draw the map.
type Options struct {
	// Width is the viewBox width in px, e.g. 1000; the height follows the bounds' aspect
	// ratio, plus the legend's rows.
	Width int
	// Bounds is the lon/lat box to fit into the drawing; zero means the features' bound. A
	// feature reaching outside it is clipped to the map area, so it cannot draw over the
	// legend.
	Bounds orb.Bound
	// Padding is the px of viewBox kept free around the bounds.
	Padding float64
	// Decimals is the number of decimals of projected coordinates (0 to 6; 0 or 1 is typical:
	// at Width 1000, 0 is a pixel of a national map).
	Decimals int
	// MinArea drops polygons whose projected area is below this many px² (tiny islands),
	// but never a feature's largest polygon. Holes are kept whatever their size: an enclave
	// drawn by another feature fills them.
	MinArea float64
	// ID is the <svg> element's id and the prefix of every id inside it ("" means "map");
	// give each map on one page its own. It must start with a letter and continue with
	// [A-Za-z0-9_-].
	ID string
	// Title and Desc are the map's <title> and <desc>, its accessible name and description
	// (aria-labelledby / aria-describedby); "" writes none.
	Title, Desc string
	// Legend is drawn bottom-left, below the map, in as many rows as it needs.
	Legend []LegendItem
	// Background fills the whole drawing ("" = none, transparent).
	Background string
	// Stroke is the colour of the borders between regions ("" = none) and StrokeWidth their
	// width in viewBox px (0 = SVG's default of 1).
	Stroke      string
	StrokeWidth float64
}

// Document is what a standalone, print-ready SVG file carries around the map: a newsroom
// that downloads it prints the file as is, so the heading, the as-of date, the source and the
// boundaries' attribution (which their licence requires) are text inside it, not page chrome.
type Document struct {
	Heading     string // the map's title, e.g. "Mal Pelayanan Publik per kabupaten/kota"
	Subheading  string // e.g. the as-of date
	Source      string // data source line
	Attribution string // boundary attribution, e.g. "Batas wilayah: © 2024 Cahya DSN …"
	FontFamily  string // CSS font-family ("" = Arial, Helvetica, sans-serif)
}

const (
	svgNS = "http://www.w3.org/2000/svg"
	// outlineColor is the locator map's outline of its own region: near-black, as
	// dashboard's focus line, apart from every fill.
	outlineColor = "#1a1a1a"
	// swatchStroke edges legend swatches so that a near-white fill ("no data") still shows.
	swatchStroke = "#767676"
	// textColor is the standalone document's text colour (inline maps use the page's).
	textColor   = "#1a1a1a"
	defaultFont = "Arial, Helvetica, sans-serif"
	// charWidth is a generous average advance of a character in em, used to lay out legend
	// rows and wrap document lines without font metrics (which a pure package has none of).
	charWidth = 0.6
)

// Render returns the map as an <svg> element for inline HTML: no XML prolog, width 100% with
// its height following the viewBox's aspect ratio. It is pure and deterministic (the same
// input gives the same bytes). Every feature is drawn exactly once, in input order except that
// outlined features come last so that no neighbour covers their outline.
func Render(features []Feature, o Options) ([]byte, error) {
	return render(features, o, nil, pathStyle{})
}

// RenderDocument returns the map as a standalone SVG file: XML prolog, fixed size in px, an
// opaque background (o.Background, or white, so the text reads on any viewer), heading and
// subheading above the map, the legend below it, then the source and attribution lines.
func RenderDocument(features []Feature, o Options, d Document) ([]byte, error) {
	return render(features, o, &d, pathStyle{})
}

func render(features []Feature, o Options, doc *Document, st pathStyle) ([]byte, error) {
	if err := checkOptions(&o); err != nil {
		return nil, fmt.Errorf("mapsvg: %w", err)
	}
	seen := make(map[string]bool, len(features))
	var fb orb.Bound
	for i := range features {
		f := &features[i]
		b, err := checkFeature(f)
		if err == nil && seen[f.Code] {
			err = fmt.Errorf("duplicate code")
		}
		if err != nil {
			return nil, fmt.Errorf("mapsvg: feature %d (code %q): %w", i, f.Code, err)
		}
		seen[f.Code] = true
		if i == 0 {
			fb = b
		} else {
			fb = fb.Union(b)
		}
	}
	bounds := o.Bounds
	if bounds == (orb.Bound{}) {
		if len(features) == 0 {
			return nil, fmt.Errorf("mapsvg: no features and no bounds")
		}
		bounds = fb
	}
	proj := NewProjection(bounds, o.Width, o.Padding)
	w, mapH := proj.Size()
	fs := math.Max(8, math.Round(w/64)) // legend text size; a document's texts scale from it

	// Clip only when something reaches outside the map area: the clip costs bytes and
	// some print tools handle clip paths poorly.
	clip := false
	if len(features) > 0 {
		x0, y0 := proj.Point(fb.Min)
		x1, y1 := proj.Point(fb.Max)
		clip = x0 < 0 || y1 < 0 || x1 > w || y0 > mapH
	}

	legend, legendH := layoutLegend(o.Legend, w, o.Padding, fs)
	margin := math.Max(o.Padding, fs/2) // left and bottom edge of legend and document texts
	bodyH := mapH
	if legendH > 0 {
		bodyH += legendH + margin
	}

	var head, foot []textLine
	var top float64 // the map's offset below the document's heading
	if doc != nil {
		y := margin
		for _, s := range wrap(doc.Heading, w-2*margin, 1.5*fs) {
			y += 1.5 * fs * 1.2
			head = append(head, textLine{s, y - 0.3*1.5*fs, 1.5 * fs, true})
		}
		for _, s := range wrap(doc.Subheading, w-2*margin, fs) {
			y += fs * 1.3
			head = append(head, textLine{s, y - 0.3*fs, fs, false})
		}
		if len(head) > 0 {
			top = y
		}
		y = top + bodyH
		for _, line := range []string{doc.Source, doc.Attribution} {
			for _, s := range wrap(line, w-2*margin, 0.8*fs) {
				y += 0.8 * fs * 1.3
				foot = append(foot, textLine{s, y - 0.3*0.8*fs, 0.8 * fs, false})
			}
		}
		if len(foot) > 0 {
			y += margin
		}
		bodyH = y - top
	}
	totalH := math.Ceil(top + bodyH)

	var b bytes.Buffer
	b.Grow(256 + 512*len(features))
	esc := func(s string) { _ = xml.EscapeText(&b, []byte(s)) }
	id := o.ID
	if id == "" {
		id = "map"
	}
	ws, hs := fmtNum(w), fmtNum(totalH)

	if doc != nil {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	}
	b.WriteString(`<svg xmlns="` + svgNS + `" id="` + id + `" viewBox="0 0 ` + ws + " " + hs + `"`)
	if doc != nil {
		font := doc.FontFamily
		if font == "" {
			font = defaultFont
		}
		b.WriteString(` width="` + ws + `" height="` + hs + `" font-family="`)
		esc(font)
		b.WriteString(`"`)
	} else {
		b.WriteString(` width="100%" preserveAspectRatio="xMidYMid meet"`)
	}
	// Not role="img": that would hide the region links inside from assistive technology.
	b.WriteString(` role="group"`)
	title := o.Title
	if title == "" && doc != nil {
		title = doc.Heading
	}
	if title != "" {
		b.WriteString(` aria-labelledby="` + id + `-title"`)
	}
	if o.Desc != "" {
		b.WriteString(` aria-describedby="` + id + `-desc"`)
	}
	b.WriteString(">\n")
	if title != "" {
		b.WriteString(`<title id="` + id + `-title">`)
		esc(title)
		b.WriteString("</title>\n")
	}
	if o.Desc != "" {
		b.WriteString(`<desc id="` + id + `-desc">`)
		esc(o.Desc)
		b.WriteString("</desc>\n")
	}
	bg := o.Background
	if bg == "" && doc != nil {
		bg = "#ffffff"
	}
	if bg != "" {
		b.WriteString(`<rect width="` + ws + `" height="` + hs + `" fill="` + bg + `"/>` + "\n")
	}
	if len(head) > 0 {
		writeLines(&b, esc, head, margin, "heading")
	}
	if top > 0 {
		b.WriteString(`<g transform="translate(0 ` + fmtNum(top) + `)">` + "\n")
	}
	if clip {
		b.WriteString(`<defs><clipPath id="` + id + `-clip"><rect width="` + ws + `" height="` + fmtNum(mapH) + `"/></clipPath></defs>` + "\n")
	}

	// Shared presentation goes on the group once, not on 514 paths.
	b.WriteString(`<g class="regions" fill-rule="evenodd"`)
	if o.Stroke != "" {
		b.WriteString(` stroke="` + o.Stroke + `" stroke-linejoin="round"`)
		if o.StrokeWidth > 0 {
			b.WriteString(` stroke-width="` + fmtNum(o.StrokeWidth) + `"`)
		}
	}
	if clip {
		b.WriteString(` clip-path="url(#` + id + `-clip)"`)
	}
	b.WriteString(">\n")
	outlineW := fmtNum(math.Max(w/400, 2*o.StrokeWidth))
	var d []byte
	for pass := 0; pass < 2; pass++ {
		for i := range features {
			f := &features[i]
			if f.Outline != (pass == 1) {
				continue
			}
			if f.Href != "" {
				b.WriteString(`<a href="`)
				esc(f.Href)
				b.WriteString(`">`)
			}
			b.WriteString(`<path id="` + id + "-" + f.Code + `" data-code="` + f.Code + `"`)
			if f.Class != "" {
				b.WriteString(` class="` + f.Class + `"`)
			}
			b.WriteString(` fill="` + f.Fill + `"`)
			if f.Outline {
				b.WriteString(` stroke="` + outlineColor + `" stroke-width="` + outlineW + `"`)
			}
			d = featurePath(d[:0], f.Geom, proj, o.Decimals, o.MinArea, st)
			b.WriteString(` d="`)
			b.Write(d) // digits, signs, dots and command letters only: nothing to escape
			b.WriteString(`">`)
			if f.Title != "" {
				b.WriteString("<title>")
				esc(f.Title)
				b.WriteString("</title>")
			}
			b.WriteString("</path>")
			if f.Href != "" {
				b.WriteString("</a>")
			}
			b.WriteByte('\n')
		}
	}
	b.WriteString("</g>\n")

	if len(legend) > 0 {
		fill := "currentColor" // inline: the page's text colour, dark mode included
		if doc != nil {
			fill = textColor
		}
		b.WriteString(`<g class="legend" font-size="` + fmtNum(fs) + `" fill="` + fill + `">` + "\n")
		sw := fmtNum(fs)
		for _, it := range legend {
			x, y := it.x+margin, mapH+it.row*1.5*fs
			b.WriteString(`<rect x="` + fmtNum(x) + `" y="` + fmtNum(y+0.25*fs) + `" width="` + sw + `" height="` + sw + `" fill="` + it.Fill + `"`)
			if it.Class != "" {
				b.WriteString(` class="` + it.Class + `"`)
			}
			b.WriteString(` stroke="` + swatchStroke + `" stroke-width="` + fmtNum(fs/16) + `"/>`)
			// Baseline so that the text's x-height centres on the swatch.
			b.WriteString(`<text x="` + fmtNum(x+1.4*fs) + `" y="` + fmtNum(y+1.1*fs) + `">`)
			esc(it.Label)
			b.WriteString("</text>\n")
		}
		b.WriteString("</g>\n")
	}
	if top > 0 {
		b.WriteString("</g>\n")
	}
	if len(foot) > 0 {
		writeLines(&b, esc, foot, margin, "source")
	}
	b.WriteString("</svg>\n")
	return b.Bytes(), nil
}

// textLine is one line of a document's text: its baseline y, font size and weight.
type textLine struct {
	s    string
	y    float64
	size float64
	bold bool
}

func writeLines(b *bytes.Buffer, esc func(string), lines []textLine, x float64, class string) {
	b.WriteString(`<g class="` + class + `" fill="` + textColor + `">` + "\n")
	for _, l := range lines {
		b.WriteString(`<text x="` + fmtNum(x) + `" y="` + fmtNum(l.y) + `" font-size="` + fmtNum(l.size) + `"`)
		if l.bold {
			b.WriteString(` font-weight="bold"`)
		}
		b.WriteString(">")
		esc(l.s)
		b.WriteString("</text>\n")
	}
	b.WriteString("</g>\n")
}

// legendPos is a legend item placed at x (from the legend's left edge) in row row.
type legendPos struct {
	LegendItem
	x, row float64
}

// layoutLegend flows the items left to right into rows no wider than the drawing, each row
// 1.5 em high; it returns the items placed and the height of the rows. Rows, not one item per
// line as ECharts' vertical legend: a handful of short labels then costs one or two rows of
// height instead of five.
func layoutLegend(items []LegendItem, w, padding, fs float64) ([]legendPos, float64) {
	if len(items) == 0 {
		return nil, 0
	}
	margin := math.Max(padding, fs/2)
	avail := w - 2*margin
	var out []legendPos
	x, row := 0.0, 0.0
	for _, it := range items {
		iw := 1.4*fs + textWidth(it.Label, fs)
		if x > 0 && x+iw > avail {
			x, row = 0, row+1
		}
		out = append(out, legendPos{it, x, row})
		x += iw + 1.2*fs
	}
	return out, (row + 1) * 1.5 * fs
}

func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * charWidth * size
}

// wrap breaks s at spaces into lines whose estimated width fits avail (a longer word gets a
// line of its own). An empty s has no lines.
func wrap(s string, avail, size float64) []string {
	var lines []string
	var cur string
	for _, word := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = word
		case textWidth(cur+" "+word, size) <= avail:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// fmtNum formats a layout number (sizes, positions) with at most two decimals.
func fmtNum(v float64) string {
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func checkOptions(o *Options) error {
	switch {
	case o.Width <= 0 || o.Width > 100000:
		return fmt.Errorf("width %d: want 1 to 100000", o.Width)
	case !finite(o.Padding) || o.Padding < 0 || 2*o.Padding >= float64(o.Width):
		return fmt.Errorf("padding %v: want ≥ 0 and less than half the width", o.Padding)
	case o.Decimals < 0 || o.Decimals > maxDecimals:
		return fmt.Errorf("decimals %d: want 0 to %d", o.Decimals, maxDecimals)
	case !finite(o.MinArea):
		return fmt.Errorf("min area %v: not finite", o.MinArea)
	case !finite(o.StrokeWidth) || o.StrokeWidth < 0:
		return fmt.Errorf("stroke width %v: want ≥ 0", o.StrokeWidth)
	}
	if b := o.Bounds; b != (orb.Bound{}) {
		for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			if !finite(v) {
				return fmt.Errorf("bounds %v: not finite", b)
			}
		}
		if b.Max[0] < b.Min[0] || b.Max[1] < b.Min[1] {
			return fmt.Errorf("bounds %v: max below min", b)
		}
	}
	if err := checkID(o.ID); err != nil {
		return err
	}
	for _, c := range []string{o.Background, o.Stroke} {
		if c != "" {
			if err := checkColor(c); err != nil {
				return err
			}
		}
	}
	for i, it := range o.Legend {
		if err := checkColor(it.Fill); err != nil {
			return fmt.Errorf("legend item %d: %w", i, err)
		}
		if err := checkClass(it.Class); err != nil {
			return fmt.Errorf("legend item %d: %w", i, err)
		}
	}
	return nil
}

// checkFeature validates f and returns its bound.
func checkFeature(f *Feature) (orb.Bound, error) {
	if err := checkCode(f.Code); err != nil {
		return orb.Bound{}, err
	}
	if err := checkColor(f.Fill); err != nil {
		return orb.Bound{}, err
	}
	if err := checkClass(f.Class); err != nil {
		return orb.Bound{}, err
	}
	if f.Href != "" {
		if err := checkHref(f.Href); err != nil {
			return orb.Bound{}, err
		}
	}
	n := 0
	for _, p := range f.Geom {
		for _, r := range p {
			for _, pt := range r {
				if !finite(pt[0]) || !finite(pt[1]) {
					return orb.Bound{}, fmt.Errorf("coordinate %v not finite", pt)
				}
				n++
			}
		}
	}
	if n == 0 {
		return orb.Bound{}, fmt.Errorf("no geometry")
	}
	return f.Geom.Bound(), nil
}
