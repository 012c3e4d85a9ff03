// Package mapsvg renders a choropleth of region polygons as a small, accessible SVG:
// projected, rounded coordinates, one link per region, a title per region for hover and
// screen readers, and a legend. It is pure (no I/O); callers pass geometry, colours and
// texts, all of which it validates or escapes.
//
// # Why a server-drawn SVG
//
// The dashboard's maps were drawn only in the browser by ECharts, after ~200 KB of script: a
// blank box at first paint and nothing at all with JavaScript off. An inline <svg> in the HTML
// shows at first paint, prints, works without script, and its regions are ordinary links
// (keyboard focus, open in a new tab, crawlable); a script may still replace it with the
// interactive chart, which draws the same shape (see Projection).
//
// # Accessibility
//
// The <svg> has role="group" (not role="img", which would hide the links inside it from
// assistive technology), aria-labelledby/aria-describedby pointing at its own <title> and
// <desc>, and each region is an <a href> around a <path> whose <title> is both the tooltip and
// the link's accessible name. The legend is text, so it can be read and selected.
//
// # Coordinates and path encoding
//
// Vertices are projected, then rounded to a grid of 10^-Decimals px in integer arithmetic, the
// same rounding geo.AppendGeoJSONGeometry applies to degrees (half away from zero, no trailing
// zeros). Differences are taken between rounded grid points, so relative commands carry no
// accumulated error. Consecutive duplicates and vertices lying exactly on the line between
// their neighbours — both frequent once a national map is rounded to whole pixels — are
// dropped; that loses nothing at the chosen precision.
//
// The encoding was chosen by measuring the 514 reference kabupaten/kota, Width 1000, each
// region with a link, id, class and title, gzip -9 of the whole <svg>, on two layers: orb's
// Douglas–Peucker at 0.05° per feature (8,746 vertices) and geo's topology at LevelNational
// (run on the raw reference file, not the database-noded coverage):
//
//   - relative "l" with implicit repeats instead of absolute "L": 22.1 KB against 29.8 KB at
//     Decimals 0 (−26%; −22% at Decimals 1; −34% on the topology layer);
//   - no h/v for axis-parallel steps: they save 1.4% raw (6.7% on the topology layer) but cost
//     0.6–1.7% gzipped, because switching commands breaks the repeats the compressor matches,
//     and pages are served compressed;
//   - a subpath after the first starts with a relative "m": −1%;
//   - dropping in-line vertices: −0.4% (−3% on the topology layer at Decimals 0);
//   - numbers without a leading zero or a needless separator (".5.5", "1-2"): −1% at
//     Decimals 0, −2.6% to −5.5% at Decimals 1.
//
// Decimals is the big lever: Decimals 1 costs 40% (topology layer: 105%) more gzipped than
// Decimals 0, for detail a 1000 px national map cannot show. The per-region markup is about a
// quarter of the gzipped size; the path data is the rest.
//
// # Safety
//
// Colours must be #rgb or #rrggbb, classes [a-z0-9-], codes [A-Za-z0-9._-], links a path
// starting with "/" or an http(s) URL; anything else is an error rather than something quietly
// rewritten. Every text and attribute value is escaped with encoding/xml, so the output is
// well-formed XML that an HTML parser reads the same way.
package mapsvg
