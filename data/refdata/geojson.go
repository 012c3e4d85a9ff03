package refdata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Indonesia's extent with a margin (lon 94..142, lat -12..7): a coordinate outside it is a
// swapped lat/lon, a wrong CRS or a typo.
const (
	minLon, maxLon = 94.0, 142.0
	minLat, maxLat = -12.0, 7.0
)

type rawFeatureCollection struct {
	Type     string            `json:"type"`
	Features []json.RawMessage `json:"features"`
}

type rawFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   *rawGeometry   `json:"geometry"` // nil for null or absent
}

type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// feature is a decoded feature: its properties and, when it passed the checks, its geometry
// as a MultiPolygon (nil otherwise).
type feature struct {
	index int // 1-based
	props map[string]any
	code  string
	geom  orb.MultiPolygon
}

// parseFeatures decodes a FeatureCollection of Polygon/MultiPolygon features, checking
// structure and coordinates; bad geometry is reported and left nil. Problems
// carry the 1-based feature index as their Line.
func (l *loader) parseFeatures(rel string, b []byte) ([]feature, bool) {
	var fc rawFeatureCollection
	if err := json.Unmarshal(b, &fc); err != nil {
		l.problem(rel, 0, "", "not valid GeoJSON: %s", jsonErr(b, err))
		return nil, false
	}
	if fc.Type != "FeatureCollection" {
		l.problem(rel, 0, "type", "%q: want a FeatureCollection", fc.Type)
		return nil, false
	}
	var out []feature
	for i, raw := range fc.Features {
		n := i + 1
		var rf rawFeature
		if err := json.Unmarshal(raw, &rf); err != nil {
			l.problem(rel, n, "", "feature %d (1-based index in features): %s", n, jsonErr(raw, err))
			continue
		}
		f := feature{index: n, props: rf.Properties}
		where := fmt.Sprintf("feature %d (1-based index in features)", n)
		if rf.Type != "Feature" {
			l.problem(rel, n, "type", "%s: type %q, want Feature", where, rf.Type)
		}
		switch c := rf.Properties["code"].(type) {
		case string:
			if c == "" {
				// attachRegions skips a feature without a code; without this problem an empty
				// code would drop the feature and its geometry without a word.
				l.problem(rel, n, "properties.code", "%s: empty code property", where)
				break
			}
			f.code = c
			where = fmt.Sprintf("feature %d (code %s)", n, c)
		case nil:
			l.problem(rel, n, "properties.code", "%s: no code property", where)
		default:
			l.problem(rel, n, "properties.code", "%s: code %v is not a string", where, c)
		}
		// A feature with bad geometry still counts as present for its code, so one bad ring
		// does not also read as "no feature for region X".
		if geom, ok := l.parseGeometry(rel, n, where, rf.Geometry); ok {
			f.geom = geom
		}
		out = append(out, f)
	}
	return out, true
}

func (l *loader) parseGeometry(rel string, n int, where string, g *rawGeometry) (orb.MultiPolygon, bool) {
	if g == nil {
		l.problem(rel, n, "geometry", "%s: no geometry", where)
		return nil, false
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			l.problem(rel, n, "geometry.coordinates", "%s: Polygon coordinates: %s", where, jsonErr(g.Coordinates, err))
			return nil, false
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			l.problem(rel, n, "geometry.coordinates", "%s: MultiPolygon coordinates: %s", where, jsonErr(g.Coordinates, err))
			return nil, false
		}
	default:
		l.problem(rel, n, "geometry.type", "%s: geometry type %q, want Polygon or MultiPolygon", where, g.Type)
		return nil, false
	}
	if len(polys) == 0 {
		l.problem(rel, n, "geometry.coordinates", "%s: empty geometry", where)
		return nil, false
	}
	ok := true
	outside := false // one outside-Indonesia problem per feature is enough to find it
	mp := make(orb.MultiPolygon, 0, len(polys))
	for pi, p := range polys {
		if len(p) == 0 {
			l.problem(rel, n, "geometry.coordinates", "%s: polygon %d has no rings", where, pi+1)
			ok = false
			continue
		}
		poly := make(orb.Polygon, 0, len(p))
		for ri, ring := range p {
			at := fmt.Sprintf("%s: polygon %d ring %d", where, pi+1, ri+1)
			if len(ring) < 4 {
				l.problem(rel, n, "geometry.coordinates", "%s has %d positions, want at least 4", at, len(ring))
				ok = false
				continue
			}
			r := make(orb.Ring, 0, len(ring))
			for _, pos := range ring {
				if len(pos) < 2 || len(pos) > 3 {
					l.problem(rel, n, "geometry.coordinates", "%s: position %v, want [lon, lat]", at, pos)
					ok = false
					break
				}
				lon, lat := pos[0], pos[1]
				if math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0) {
					l.problem(rel, n, "geometry.coordinates", "%s: non-finite coordinate %v", at, pos)
					ok = false
					break
				}
				if !outside && (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) {
					l.problem(rel, n, "geometry.coordinates", "%s: coordinate [%g, %g] outside Indonesia (lon %g..%g, lat %g..%g)",
						at, lon, lat, minLon, maxLon, minLat, maxLat)
					outside, ok = true, false
				}
				r = append(r, orb.Point{lon, lat})
			}
			if len(r) == len(ring) && !r.Closed() {
				l.problem(rel, n, "geometry.coordinates", "%s is not closed: first %v, last %v", at, ring[0], ring[len(ring)-1])
				ok = false
			}
			poly = append(poly, r)
		}
		mp = append(mp, poly)
	}
	return mp, ok
}

// jsonErr words a JSON decoding error with the line of the offending byte, since a truncated
// or hand-edited file is best found by line.
func jsonErr(b []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		msg := fmt.Sprintf("%v at byte %d (line %d)", se, se.Offset, 1+bytes.Count(b[:min(int(se.Offset), len(b))], []byte("\n")))
		if se.Offset >= int64(len(b)) || se.Error() == "unexpected end of JSON input" {
			msg += ": file truncated?"
		}
		return msg
	case errors.As(err, &te):
		return fmt.Sprintf("%s: got JSON %s, want %s", te.Field, te.Value, te.Type)
	}
	return err.Error()
}

// loadBoundaries reads the kab/kota polygons (required) and the province polygons (optional).
func (l *loader) loadBoundaries() {
	if b, ok := l.read(FileKabkotaGeoJSON, true); ok {
		if feats, ok := l.parseFeatures(FileKabkotaGeoJSON, b); ok {
			l.attachRegions(feats)
		}
	}
	if b, ok := l.read(FileProvincesGeoJSON, false); ok {
		if feats, ok := l.parseFeatures(FileProvincesGeoJSON, b); ok {
			l.attachProvinces(feats)
		}
	}
}

func (l *loader) attachRegions(feats []feature) {
	const rel = FileKabkotaGeoJSON
	first := map[string]int{}
	for _, f := range feats {
		if f.code == "" {
			continue
		}
		if !validRegionCode(f.code) {
			l.problem(rel, f.index, "properties.code", "feature %d: %q is not a kab/kota code (want PP.KK)", f.index, f.code)
			continue
		}
		if prev, dup := first[f.code]; dup {
			l.problem(rel, f.index, "properties.code", "feature %d: code %s appears again (first in feature %d)", f.index, f.code, prev)
			continue
		}
		first[f.code] = f.index
		if !l.regionsOK {
			continue
		}
		reg := l.regions[f.code]
		if reg == nil {
			l.problem(rel, f.index, "properties.code", "feature %d: unknown kab/kota code %q (not in %s)", f.index, f.code, FileKabkota)
			continue
		}
		reg.Geom = f.geom
		for _, pw := range [...][2]string{{"name", reg.Name}, {"province_code", reg.ProvinceCode}, {"kind", reg.Kind}} {
			if got, ok := f.props[pw[0]].(string); ok && got != pw[1] {
				l.warn(rel, f.index, "properties."+pw[0], "feature %d (code %s): %q differs from %q in %s", f.index, f.code, got, pw[1], FileKabkota)
			}
		}
	}
	if l.regionsOK {
		for _, r := range l.ds.Regions {
			if _, ok := first[r.Code]; !ok {
				l.problem(rel, 0, "properties.code", "no feature for kab/kota %s %s", r.Code, r.Name)
			}
		}
	}
}

func (l *loader) attachProvinces(feats []feature) {
	const rel = FileProvincesGeoJSON
	first := map[string]int{}
	for _, f := range feats {
		if f.code == "" {
			continue
		}
		if prev, dup := first[f.code]; dup {
			l.problem(rel, f.index, "properties.code", "feature %d: code %s appears again (first in feature %d)", f.index, f.code, prev)
			continue
		}
		first[f.code] = f.index
		if !l.provincesOK {
			continue
		}
		p := l.provinces[f.code]
		if p == nil {
			l.problem(rel, f.index, "properties.code", "feature %d: unknown province code %q (not in %s)", f.index, f.code, FileProvinces)
			continue
		}
		p.Geom = f.geom
		if got, ok := f.props["name"].(string); ok && got != p.Name {
			l.warn(rel, f.index, "properties.name", "feature %d (code %s): %q differs from %q in %s", f.index, f.code, got, p.Name, FileProvinces)
		}
	}
	if l.provincesOK {
		for _, p := range l.ds.Provinces {
			if _, ok := first[p.Code]; !ok {
				l.problem(rel, 0, "properties.code", "no feature for province %s %s", p.Code, p.Name)
			}
		}
	}
}
