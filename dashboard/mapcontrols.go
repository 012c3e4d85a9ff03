package dashboard

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"mppmap/figures"
	"mppmap/geo"
)

// mapControls are a map's zoom buttons and, on a national map, a province picker: at 360 px the
// national map is a thin strip, and pinching it would fight the page's own scrolling. The
// controls are in the HTML, hidden, and app.js shows them once ECharts has drawn the map.
type mapControls struct {
	Provinces []zoomTarget
}

// zoomTarget is where the province picker takes the map: the centre of the province's bounding
// box in longitude/latitude (ECharts' series center) and the zoom that fits it.
type zoomTarget struct {
	Code, Name string
	Center     string // "lon,lat", 4 decimals
	Zoom       string // relative to the whole map
}

// maxZoom bounds the picker's zoom: DKI Jakarta would otherwise be enlarged ~150 times.
const maxZoom = 40

// nationalControls are the controls of a map of the whole country, computed once per Model from
// the national layer's bounding boxes.
func nationalControls(m *figures.Model) *mapControls {
	c, _ := figures.Memo(m, "map-controls:national", func() (*mapControls, error) {
		geoms := m.Snap.Geometry[geo.DetailNational]
		var all orb.Bound
		bounds := make([]orb.Bound, len(m.Provinces))
		have := make([]bool, len(m.Provinces))
		first := true
		for i, p := range m.Provinces {
			for _, r := range p.Regions {
				g, ok := geoms[r.Code]
				if !ok {
					continue
				}
				b := g.Bound()
				if have[i] {
					bounds[i] = bounds[i].Union(b)
				} else {
					bounds[i], have[i] = b, true
				}
				if first {
					all, first = b, false
				} else {
					all = all.Union(b)
				}
			}
		}
		out := &mapControls{}
		for i, p := range m.Provinces {
			if !have[i] {
				continue
			}
			b := bounds[i]
			// Room for the province plus a margin: 0.8 of the ratio of the country's extent to its.
			z := 0.8 * math.Min(ratio(all.Max[0]-all.Min[0], b.Max[0]-b.Min[0]), ratio(all.Max[1]-all.Min[1], b.Max[1]-b.Min[1]))
			z = math.Max(1, math.Min(maxZoom, z))
			ctr := b.Center()
			out.Provinces = append(out.Provinces, zoomTarget{
				Code: p.Code, Name: p.Name,
				Center: strconv.FormatFloat(ctr[0], 'f', 4, 64) + "," + strconv.FormatFloat(ctr[1], 'f', 4, 64),
				Zoom:   strconv.FormatFloat(z, 'f', 2, 64),
			})
		}
		return out, nil
	})
	return c
}

func ratio(whole, part float64) float64 {
	if part <= 0 {
		return maxZoom
	}
	return whole / part
}
