package dashboard

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"mppmap/data"
	"mppmap/figures"
)

// nationalMapName is the name app.js registers the national GeoJSON layer under.
const nationalMapName = "mppmap-national"

// mapItem is one region of the map series. ECharts joins it to the feature whose
// properties.code equals Name (nameProperty: "code"): the Kemendagri code, because display
// names repeat ("Kabupaten Bogor", "Kota Bogor"). The other fields are for app.js' tooltip,
// which HTML-escapes them.
type mapItem struct {
	Name        string `json:"name"`
	Value       int    `json:"value"`
	Region      string `json:"region"`
	Province    string `json:"province"`
	Status      string `json:"status"`
	StatusLabel string `json:"statusLabel"`
	AsOf        string `json:"asOf"`
	Source      string `json:"source,omitempty"` // first source's site and date, "+N" more
	// ItemStyle outlines the page's own region on a locator map (the visualMap owns the fill).
	ItemStyle map[string]any `json:"itemStyle,omitempty"`
}

// newMapItem is region r as a map item with the given value: what every map's tooltip shows.
func newMapItem(m *figures.Model, l *lang, r *figures.Region, value int) mapItem {
	return mapItem{
		Name:        r.Code,
		Value:       value,
		Region:      r.Name,
		Province:    r.ProvinceName,
		Status:      string(r.Status),
		StatusLabel: l.Msg(figures.StatusLabel(r.Status)),
		AsOf:        l.Date(r.StatusAsOf),
		Source:      sourceBrief(m, l, r.SourceIDs),
	}
}

// statusMapOption builds the ECharts option of a status choropleth of regions (all of them, or
// one province's) as a JSON-ready map, drawn on the GeoJSON registered as mapName; desc is the
// screen-reader summary and focus the code of a region to outline (or "").
func statusMapOption(m *figures.Model, l *lang, regions []*figures.Region, mapName, desc, focus string) map[string]any {
	styles := statusStyles()
	items := make([]mapItem, 0, len(regions))
	focusName := ""
	for _, r := range regions {
		st, ok := styles[r.Status]
		if !ok { // the loader validates statuses; draw a stray one as unknown, never as "no"
			st = styles[data.StatusUnknown]
		}
		items = append(items, newMapItem(m, l, r, st.Value))
		if r.Code == focus {
			// The page's own region: its own fill with a legend entry (its status is on the page
			// and in the tooltip) and a thick dark outline.
			items[len(items)-1].Value = focusValue
			items[len(items)-1].ItemStyle = map[string]any{"borderColor": colorFocusLine, "borderWidth": 2.5}
			focusName = r.Name
		}
	}

	pieces := make([]map[string]any, 0, len(data.Statuses)+1)
	for _, st := range data.Statuses {
		s := styles[st]
		pieces = append(pieces, map[string]any{"value": s.Value, "label": l.Msg(figures.StatusLabel(st)), "color": s.Color})
	}
	if focusName != "" {
		pieces = append(pieces, map[string]any{"value": focusValue, "label": l.T("region.this", "Name", focusName), "color": colorFocus})
	}
	return choropleth(mapName, l.T("map.label"), desc, items, pieces)
}

// choropleth builds, with go-echarts, the option of a map series drawn on the GeoJSON app.js
// registers as mapName: items join features on properties.code (their "name"), coloured by a
// categorical legend whose pieces each match one value; desc is the screen-reader summary. The
// status maps and /fiskal's map by fiscal group share it. choroplethVisitor adds what go-echarts
// lacks.
func choropleth(mapName, seriesName, desc string, items any, pieces []map[string]any) map[string]any {
	c := charts.NewMap()
	c.RegisterMapType(mapName) // not a go-echarts preset: adds no asset
	c.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithAriaOpts(&opts.Aria{
			Enabled: opts.Bool(true),
			Label: &opts.AriaLabel{
				Enabled:     opts.Bool(true),
				Description: desc,
			},
		}),
	)
	c.AddSeries(seriesName, nil,
		charts.WithItemStyleOpts(opts.ItemStyle{AreaColor: colorNoItem, BorderColor: colorBorder, BorderWidth: 0.3}),
		charts.WithEmphasisOpts(opts.Emphasis{
			Label:     &opts.Label{Show: opts.Bool(false)},
			ItemStyle: &opts.ItemStyle{AreaColor: colorHover, BorderColor: "#000000", BorderWidth: 1},
		}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(false)}),
	)
	c.MultiSeries[0].Data = items
	c.Accept(choroplethVisitor{pieces: pieces})
	c.Validate()
	return c.JSON()
}

// choroplethVisitor fills in what go-echarts v2.6 cannot express (see LIBRARY-NOTES): the map
// series' nameProperty, aspectScale, roam and selection mode, and a categorical legend — a
// piecewise visualMap whose pieces match one exact value each.
type choroplethVisitor struct {
	charts.BaseConfigurationVisitor
	pieces []map[string]any
}

// focusValue is the map value of a locator map's own region: a legend piece of its own.
const focusValue = 9

// mapSeries is go-echarts' series plus the map-series keys it has no fields for.
type mapSeries struct {
	charts.SingleSeries
	NameProperty string  `json:"nameProperty"`
	AspectScale  float64 `json:"aspectScale"`
	SelectedMode bool    `json:"selectedMode"`
	Roam         bool    `json:"roam"`
	Top          int     `json:"top"`
	Bottom       int     `json:"bottom"`
}

func (v choroplethVisitor) VisitSeriesOpt(series charts.MultiSeries) any {
	out := make([]mapSeries, len(series))
	for i, s := range series {
		out[i] = mapSeries{
			SingleSeries: s,
			NameProperty: "code",
			// Indonesia straddles the equator, where a degree of longitude and of latitude
			// are the same length; ECharts' default 0.75 suits mid-latitudes and squashes it.
			AspectScale:  1,
			SelectedMode: false,
			Roam:         true,
			Top:          30,
			Bottom:       10,
		}
	}
	return out
}

func (v choroplethVisitor) Visit(obj map[string]any) {
	obj["visualMap"] = []map[string]any{{
		"type":        "piecewise",
		"seriesIndex": 0,
		"pieces":      v.pieces,
		"outOfRange":  map[string]any{"color": colorOutOfRange},
		"orient":      "vertical",
		"inverse":     true, // list pieces top-down in legend order, as the headline does
		"left":        8,
		"bottom":      8,
		"itemWidth":   14,
		"itemHeight":  14,
		"textStyle":   map[string]any{"fontSize": 12},
	}}
	// go-echarts always writes these; the map page has no series legend or title of its own.
	delete(obj, "legend")
	delete(obj, "title")
	delete(obj, "color")
	delete(obj, "toolbox") // PNG downloads are app.js' button; the bundles have no toolbox
}

// sourceBrief names a region's sources for a tooltip in a few words: the first source's site
// (its address's host) and date, and how many more there are. The region page lists them all.
func sourceBrief(m *figures.Model, l *lang, ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	src, ok := m.Source(ids[0])
	if !ok {
		return ids[0]
	}
	name := src.ID
	if u, err := url.Parse(src.Address); err == nil && u.Host != "" {
		name = strings.TrimPrefix(u.Host, "www.")
	}
	if !src.Published.IsZero() {
		name += ", " + l.Date(src.Published)
	}
	if n := len(ids) - 1; n > 0 {
		name += " +" + strconv.Itoa(n)
	}
	return name
}
