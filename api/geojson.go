package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

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

func layerProps(r *figures.Region) any {
	return featureProps{r.Code, r.Name, r.ProvinceCode, r.ProvinceName, r.Kind, r.Status, r.StatusAsOf.String()}
}

// featureCollection writes the regions of m that have a geometry at detail d (of one province,
// or all when prov is empty) as an RFC 7946 FeatureCollection in code order, with props(r) as
// each feature's properties; extra top-level members (attribution) come first, in key order.
// Coordinates are written with the level's decimals: the grid the importer snapped it to.
func featureCollection(m *figures.Model, d geo.Detail, prov string, extra map[string]any, props func(*figures.Region) any) ([]byte, error) {
	lvl, ok := geo.LevelOf(d)
	if !ok {
		return nil, fmt.Errorf("unknown detail %q", d)
	}
	geoms := m.Snap.Geometry[d]
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection",`)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(extra[k])
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", k, err)
		}
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
		buf.WriteByte(',')
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
	build := func() (*respond.Body, error) {
		fc, err := featureCollection(m, d, prov, nil, layerProps)
		if err != nil {
			return nil, err
		}
		return respond.New("application/geo+json", fc)
	}
	if prov != "" {
		return h.tail.Get(m, "layer:"+string(d)+":"+prov, build)
	}
	return body(m, "layer:"+string(d)+":"+prov, build)
}

// regionsGeoJSON serves every region's boundary at one detail level with its current status,
// optionally one province's.
func (h *Handler) regionsGeoJSON(c *fiber.Ctx) error {
	if err := checkParams(c, "detail", "province"); err != nil {
		return err
	}
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
