// Package sharecard renders the Open Graph / Twitter share card of a map page: the 1200×630
// PNG that a chat or a social network shows as the preview of a shared link (og:image). A card
// is a choropleth of the page's regions (national, a province, or a region with its
// neighbours), its title, its headline figure, an as-of/source line, a compact legend and the
// boundary attribution that the boundaries' licence requires. It is pure: callers pass
// geometry, colours and already-translated texts, and get PNG bytes; no I/O, no fonts from the
// host.
//
// # Why a raster image, drawn in Go
//
// Previews are fetched by crawlers that accept PNG or JPEG only (no SVG), so mapsvg's output
// cannot be served as is, and rasterising it would need a browser or a C library on the
// server. Drawing the card ourselves keeps the binary self-contained: the fonts are Go's own
// (golang.org/x/image/font/gofont, embedded in the module), so a card looks the same on every
// host and nothing is loaded from another one.
//
// github.com/fogleman/gg does the drawing. It earns its place by what it would cost to write
// on image/draw: filling paths with the even-odd rule (holes are enclaves, e.g. Kota Bogor
// inside Kabupaten Bogor), anti-aliased fills and strokes with round joins (the white borders,
// the focus outline), and text drawn from a font.Face. Text is measured and wrapped here,
// with the face itself, because the card needs what gg's WordWrap lacks: a line limit, a word
// longer than a line broken, and an ellipsis when text still does not fit.
//
// # Layout
//
// The map uses mapsvg's Projection (equirectangular, one scale on both axes), so the card's
// map has the same shape as the pages' maps. Two layouts are tried and the one that draws the
// map larger wins: text on top with the map below across the full width (the national map,
// about 2.7:1, wins here), or the map on the left with the text in a column on the right (a
// province or a region, usually closer to square). The attribution runs along the bottom edge
// in small text. Every text has a line limit; a text that needs more lines is set one size
// smaller, and if it still does not fit its last line ends with "…". The limits are chosen so
// that the text block always fits its area: nothing is drawn outside the canvas or over the
// map.
//
// # Safety
//
// Texts come from data and are drawn as given: never parsed as markup, never reordered
// (no bidirectional processing or shaping). Invalid UTF-8 and characters the Go fonts lack
// are drawn as U+FFFD (the fonts' own missing glyph is empty, so such text would vanish
// without a trace); control characters count as spaces; invisible format characters (bidi
// controls, joiners, variation selectors) are dropped; text is put in NFC so that decomposed
// accents use the fonts' precomposed letters. Only the first maxRunes runes of a text are
// looked at, which is more than any line limit shows, so a huge string costs no more than a
// long one. A non-finite coordinate or bound, a missing colour or a legend longer than
// maxLegend is an error; no regions at all is a valid, text-only card.
package sharecard
