package sharecard

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// textStyle is how one of the card's texts is set.
type textStyle struct {
	bold bool
	// sizes are the size in px and the one step smaller tried when the text needs more than
	// maxLines lines (0: no smaller step).
	sizes    [2]float64
	maxLines int
	lead     float64 // line height as a multiple of the size
	rgb      uint32
}

// styles are the card's text styles. Sizes are for a 1200 px wide image that previews
// shrink to ~500 px: the subline's 21 px still reads at 9 px there, the attribution is
// small print on purpose.
type styles struct {
	title, headline, subline, legend, attribution textStyle
}

func cardStyles() styles {
	return styles{
		title:       textStyle{bold: true, sizes: [2]float64{34, 28}, maxLines: 2, lead: 1.2, rgb: textRGB},
		headline:    textStyle{sizes: [2]float64{46, 38}, maxLines: 3, lead: 1.15, rgb: textRGB},
		subline:     textStyle{sizes: [2]float64{21, 18}, maxLines: 3, lead: 1.3, rgb: mutedRGB},
		legend:      textStyle{sizes: [2]float64{19, 0}, maxLines: 1, lead: 1.5, rgb: textRGB},
		attribution: textStyle{sizes: [2]float64{15, 13}, maxLines: 2, lead: 1.3, rgb: mutedRGB},
	}
}

// fonts holds one face per style and size. Faces keep glyph buffers and are not safe for
// concurrent use, so each Render makes its own; parsing the embedded fonts is cheap (the
// sfnt parser reads only the table directory up front).
type fonts struct {
	st      styles
	faces   map[faceKey]font.Face
	regular *sfnt.Font  // for glyph coverage
	buf     sfnt.Buffer // scratch space of regular's look-ups
}

type faceKey struct {
	bold bool
	size float64
}

func loadFonts() (*fonts, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse Go Regular: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse Go Bold: %w", err)
	}
	fs := &fonts{st: cardStyles(), faces: map[faceKey]font.Face{}, regular: regular}
	for _, s := range []textStyle{fs.st.title, fs.st.headline, fs.st.subline, fs.st.legend, fs.st.attribution} {
		for _, size := range s.sizes {
			k := faceKey{s.bold, size}
			if _, ok := fs.faces[k]; ok || size == 0 {
				continue
			}
			f := regular
			if s.bold {
				f = bold
			}
			// No hinting: advances stay fractional, so what is measured is what is drawn.
			face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
			if err != nil {
				return nil, fmt.Errorf("face %v: %w", k, err)
			}
			fs.faces[k] = face
		}
	}
	return fs, nil
}

func (f *fonts) face(s textStyle, step int) font.Face { return f.faces[faceKey{s.bold, s.sizes[step]}] }

// maxRunes is how much of a text is looked at. The longest text block, three lines of the
// headline's smaller size in the full 1120 px width, holds well under 300 characters, so
// anything past 1000 runes would be cut anyway; stopping there bounds the work for any input.
const maxRunes = 1000

const ellipsis = "…"

// clean prepares a text from data for drawing, without interpreting it: invalid UTF-8 becomes
// U+FFFD; the text is put in NFC, which is the same text (canonically equivalent) but lets a
// decomposed "é" use the font's precomposed glyph; control characters become spaces (a
// newline in data is just a space here); format characters and variation selectors (bidi
// controls, joiners, soft hyphens) are dropped, as they are invisible and this package does
// no bidi or shaping that would honour them; any other character the Go fonts lack becomes
// U+FFFD, since their missing-glyph outline is empty and the text would silently vanish.
// Only the first maxRunes runes are kept; cut reports that s was longer.
func (f *fonts) clean(s string) (out string, cut bool) {
	n := 0
	for i := range s {
		if n == maxRunes {
			s, cut = s[:i], true
			break
		}
		n++
	}
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			b.WriteByte(' ')
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r):
		case !f.has(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), cut
}

// has reports whether Go Regular has a glyph for r. Go Bold covers the same characters (a
// test checks), so one look-up serves both.
func (f *fonts) has(r rune) bool {
	if unicode.IsSpace(r) {
		return true // drawn as a space or not at all: wrap splits at it
	}
	i, err := f.regular.GlyphIndex(&f.buf, r)
	return err == nil && i != 0
}

// measure is the advance width of s in face, in px, as gg draws it.
func measure(face font.Face, s string) float64 {
	return float64(font.MeasureString(face, s)) / 64
}

// wrap breaks s, cleaned, into lines no wider than width px in face, at spaces, or inside a
// word that is wider than a line by itself. If that takes more than maxLines lines (or s was
// longer than maxRunes), it returns the first maxLines with an ellipsis ending the last, and
// fit false.
func (f *fonts) wrap(face font.Face, s string, width float64, maxLines int) (lines []string, fit bool) {
	s, cut := f.clean(s)
	ws := strings.Fields(s)
	cur := ""
	for len(ws) > 0 && len(lines) <= maxLines {
		w := ws[0]
		cand := w
		if cur != "" {
			cand = cur + " " + w
		}
		if measure(face, cand) <= width {
			cur, ws = cand, ws[1:]
			continue
		}
		if cur == "" {
			head, rest := breakWord(face, w, width)
			cur = head
			if rest == "" {
				ws = ws[1:]
			} else {
				ws[0] = rest
			}
		}
		lines = append(lines, cur)
		cur = ""
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) <= maxLines && len(ws) == 0 && !cut {
		return lines, true
	}
	lines = lines[:min(len(lines), maxLines)]
	if len(lines) > 0 {
		lines[len(lines)-1] = ellipsize(face, lines[len(lines)-1], width)
	}
	return lines, false
}

// breakWord splits w after the last rune that still fits width px (at least one rune, so
// that wrapping always moves on). The advance is summed as font.MeasureString does.
func breakWord(face font.Face, w string, width float64) (head, rest string) {
	limit := fixed.Int26_6(width * 64)
	var x fixed.Int26_6
	prev := rune(-1)
	for i, r := range w {
		if prev >= 0 {
			x += face.Kern(prev, r)
		}
		a, _ := face.GlyphAdvance(r)
		x += a
		if x > limit && i > 0 {
			return w[:i], w[i:]
		}
		prev = r
	}
	return w, ""
}

// ellipsize ends s with "…", dropping runes from its end until it fits width px.
func ellipsize(face font.Face, s string, width float64) string {
	for {
		s = strings.TrimRightFunc(s, unicode.IsSpace)
		cand := s + ellipsis
		if s == "" || measure(face, cand) <= width {
			return cand
		}
		r := []rune(s)
		s = string(r[:len(r)-1])
	}
}
