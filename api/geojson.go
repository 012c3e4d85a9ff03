package api

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/geo"
	"mppmap/respond"
)

// featureProps are the properties of a region in the GeoJSON layers: the schema of
// /api/v1/regions.geojson, owned here.
type featureProps struct {
	Code         string      `json:"code"`
	Name         string      `json:"name"`
	ProvinceCode string      `json:"province_code"`
	ProvinceName string      `json:"province_name"`
	Kind         string      `json:"kind"`
	Status       data.Status `json:"status"`
	StatusAsOf   string      `json:"status_as_of"` // with the source's precision ("2024-06", "<=2022"); "" when unknown
}

// layerCollection is what featureCollection writes for /regions.geojson: the shape the
// document gives it (the contract test holds the two together).
type layerCollection struct {
	Type     string         `json:"type" const:"FeatureCollection"`
	Features []layerFeature `json:"features" description:"One feature per kab/kota with a boundary at this level, in code order."`
}

type layerFeature struct {
	Type       string       `json:"type" const:"Feature"`
	Properties featureProps `json:"properties"`
	Geometry   geometryJSON `json:"geometry"`
}

// exportCollection is what featureCollection writes for /export/regions.geojson.
type exportCollection struct {
	Type string `json:"type" const:"FeatureCollection"`
	exportMembers
	Features []exportFeature `json:"features" description:"One feature per kab/kota at full detail, in code order."`
}

// exportMembers are the top-level members of the export besides type and features.
type exportMembers struct {
	Attribution string `json:"attribution" description:"Who to credit when republishing: the data's and the boundaries' attribution."`
	DataAsOf    string `json:"data_as_of" vocab:"day" description:"Latest as-of date of any region status (YYYY-MM-DD)."`
	Licence     string `json:"licence" description:"Licences of the boundaries and of the compiled data."`
}

type exportFeature struct {
	Type       string       `json:"type" const:"Feature"`
	Properties exportProp   `json:"properties"`
	Geometry   geometryJSON `json:"geometry"`
}

// geometryJSON is a boundary as geo.AppendGeoJSONGeometry writes it: a Polygon when the region
// is one piece, else a MultiPolygon (RFC 7946 §3.1.6, §3.1.7; longitude, latitude in degrees).
type geometryJSON struct{}

// JSONSchemaBytes gives the two GeoJSON geometry types (jsonschema-go's RawExposer).
func (geometryJSON) JSONSchemaBytes() ([]byte, error) {
	position := `{"type":"array","items":{"type":"number"},"minItems":2,"maxItems":2}`
	ring := `{"type":"array","items":` + position + `,"minItems":4}`
	polygon := `{"type":"array","items":` + ring + `}`
	geometry := func(typ, coords string) string {
		return `{"type":"object","required":["type","coordinates"],"properties":{"type":{"const":"` + typ +
			`"},"coordinates":` + coords + `}}`
	}
	return []byte(`{"description":"Boundary: longitude, latitude (WGS 84, degrees); outer ring first, then holes.","oneOf":[` +
		geometry("Polygon", polygon) + `,` + geometry("MultiPolygon", `{"type":"array","items":`+polygon+`}`) + `]}`), nil
}

func layerProps(r *figures.Region) any {
	return featureProps{r.Code, r.Name, r.ProvinceCode, r.ProvinceName, r.Kind, r.Status, r.StatusAsOf.String()}
}

// featureCollection writes the regions of m that have a geometry at detail d (of one province,
// or all when prov is empty) as an RFC 7946 FeatureCollection in code order, with props(r) as
// each feature's properties; the members of extra (a struct: exportMembers; nil for none) come
// first, in their declared order. Coordinates are written with the level's decimals: the grid
// the importer snapped it to. layerCollection and exportCollection are the shapes it writes.
func featureCollection(m *figures.Model, d geo.Detail, prov string, extra any, props func(*figures.Region) any) ([]byte, error) {
	lvl, ok := geo.LevelOf(d)
	if !ok {
		return nil, fmt.Errorf("unknown detail %q", d)
	}
	geoms := m.Snap.Geometry[d]
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection",`)
	if extra != nil {
		members, err := json.Marshal(extra)
		if err != nil {
			return nil, fmt.Errorf("top-level members: %w", err)
		}
		if inner := bytes.TrimSuffix(bytes.TrimPrefix(members, []byte("{")), []byte("}")); len(inner) > 0 {
			buf.Write(inner)
			buf.WriteByte(',')
		}
	}
	buf.WriteString(`"features":[`)
	n := 0
	var gb []byte
	for _, r := range m.Regions {
		g, ok := geoms[r.Code]
		if !ok || (prov != "" && r.ProvinceCode != prov) {
			continue
		}
		pb, err := json.Marshal(props(r))
		if err != nil {
			return nil, fmt.Errorf("properties of %s: %w", r.Code, err)
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		buf.WriteString(`{"type":"Feature","properties":`)
		buf.Write(pb)
		buf.WriteString(`,"geometry":`)
		gb = geo.AppendGeoJSONGeometry(gb[:0], g, lvl.Decimals)
		buf.Write(gb)
		buf.WriteByte('}')
	}
	buf.WriteString(`]}`)
	return buf.Bytes(), nil
}

// layer is the pre-encoded layer of one detail level (and province), built once per Model.
func (h *Handler) layer(m *figures.Model, d geo.Detail, prov string) (*respond.Body, error) {
	if len(m.Snap.Geometry[d]) == 0 {
		return nil, problem(fiber.StatusServiceUnavailable, "layer not loaded", "the "+string(d)+" layer is not in the read model")
	}
	build := func(compress func(string, []byte) (*respond.Body, error)) func() (*respond.Body, error) {
		return func() (*respond.Body, error) {
			fc, err := featureCollection(m, d, prov, nil, layerProps)
			if err != nil {
				return nil, err
			}
			return compress("application/geo+json", fc)
		}
	}
	if prov != "" { // a province's layer: the long tail, compressed fast
		return h.tail.Get(m, "layer:"+string(d)+":"+prov, build(respond.Fast))
	}
	return body(m, "layer:"+string(d)+":"+prov, build(h.comp.New))
}

// regionsGeoJSON serves every region's boundary at one detail level with its current status,
// optionally one province's.
func (h *Handler) regionsGeoJSON(c *fiber.Ctx) error {
	d, err := parseDetail(c.Query("detail"), c.Context().QueryArgs().Has("detail"))
	if err != nil {
		return err
	}
	m := h.src.Model()
	prov := ""
	if c.Context().QueryArgs().Has("province") {
		p, err := parseProvince(m, "province", c.Query("province"))
		if err != nil {
			return err
		}
		prov = p.Code
	}
	b, err := h.layer(m, d, prov)
	if err != nil {
		return err
	}
	return serveBody(c, b)
}

// parseDetail reads ?detail= (default national) as one of geo.Details.
func parseDetail(s string, given bool) (geo.Detail, error) {
	if s == "" && !given {
		return geo.DetailNational, nil
	}
	for _, d := range geo.Details {
		if s == string(d) {
			return d, nil
		}
	}
	return "", badParam("detail", s, detailList())
}

func detailList() string {
	names := ""
	for i, d := range geo.Details {
		switch {
		case i == len(geo.Details)-1:
			names += " or "
		case i > 0:
			names += ", "
		}
		names += string(d)
	}
	return names
}
