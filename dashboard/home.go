package dashboard

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/geo"
)

// homeView is what templates/home.html renders.
type homeView struct {
	page
	Total       int
	Figures     []statusFigure
	Rows        []tableRow
	Ranking     []provinceRow
	MapConfig   mapConfig
	SearchIndex []searchEntry
	Time        timeSlider
	Changes     []changeRow
	Progress    progressPart
	// Shares are the headline share over both denominators (what /api/v1/provinces publishes),
	// each naming its denominator.
	Shares    []string
	Provinces string // provinces fully covered and with no MPP recorded
}

// changeRow is one change of the "latest changes" list (figures.Change, as /api/v1/changes).
type changeRow struct {
	Date, Text, URL, Name string
}

// statusFigure is one headline number: regions with a status and their share of the total.
type statusFigure struct {
	Status data.Status
	Label  string
	Count  string // formatted with the language's digit grouping
	Share  string
	Class  string
}

// tableRow is one region of a map's HTML table twin.
type tableRow struct {
	Code        string
	Name        string
	URL         string
	Province    string
	StatusLabel string
	Class       string
	AsOf        string
}

// provinceRow is one line of the province ranking.
type provinceRow struct {
	Rank  int
	Code  string
	Name  string
	URL   string
	Total int
	Yes   int
	Share string
}

// searchEntry is one item of the search-as-you-type index app.js reads from the page.
type searchEntry struct {
	Name string `json:"n"`
	Sub  string `json:"s"`
	URL  string `json:"u"`
}

// mapConfig is the JSON app.js reads from the page: the option built in Go plus what it needs
// to fetch and register the geometry. html/template escapes it for its <script> element.
type mapConfig struct {
	Option    map[string]any    `json:"option"`
	GeoURL    string            `json:"geoURL"`
	MapName   string            `json:"mapName"`
	Province  string            `json:"province,omitempty"` // draw only this province's features
	Extra     []string          `json:"extra,omitempty"`    // and these regions' (a locator map's neighbours)
	Locale    string            `json:"locale"`
	RegionURL string            `json:"regionURL"`
	Labels    map[string]string `json:"labels"`
	// SVG is the server-drawn map with its HTML legend (first paint, no script); not part of
	// the JSON app.js reads.
	SVG svgOut `json:"-"`
	// Controls are the zoom buttons (and province picker) shown once ECharts has drawn; nil for
	// none.
	Controls *mapControls `json:"-"`
	// Statuses maps a status to its map value and label, for the time slider's redraws.
	Statuses map[data.Status]statusJS `json:"statuses,omitempty"`
}

type statusJS struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// sliderStartYear is the year of the first MPP: the time slider starts in its January.
const sliderStartYear = 2017

// timeSlider is the national map's "status as of" control: months from the first MPP (2017)
// to the data's as-of month; the last step is the current status.
type timeSlider struct {
	Start  string // first month, YYYY-MM
	Steps  int    // months after Start; the slider's max
	Now    string // the last step's label: the data's as-of day and "latest"
	Months string // month names of the page's language, comma-separated, for app.js' labels
}

// statusFigures are the headline cards of a group of regions: count and share per status.
func statusFigures(l *lang, p *figures.Province) []statusFigure {
	styles := statusStyles()
	var out []statusFigure
	for _, st := range data.Statuses {
		out = append(out, statusFigure{Status: st, Label: l.Msg(figures.StatusLabel(st)), Count: l.Int(p.Counts[st]),
			Share: l.sharePct(p.StatusPct[st]), Class: styles[st].Class})
	}
	return out
}

func (h *Handler) homeView(m *figures.Model, l *lang, _ request, base page) (string, any, int) {
	total := len(m.Regions)
	base = withMap(titled(base, l.T("home.title")))
	base.Bundle = bundleProgress
	v := homeView{page: base, Total: total, Progress: progressPartOf(m, l, m.National)}
	v.Figures = statusFigures(l, m.National)
	v.Rows = regionRows(l, m.Regions)
	v.Ranking = provinceRanking(l, m)
	v.SearchIndex = searchIndex(m, l)
	v.MapConfig = h.nationalMapConfig(m, l, base.AsOf, "status-map")
	v.Time = newTimeSlider(m, l, base.AsOf)
	for i, denom := range []string{"home.denom_bskdn", "home.denom_kemenpanrb"} {
		sh := m.National.Shares[i]
		v.Shares = append(v.Shares, l.T("home.share_line", "WithMPP", sh.WithMPP, "Units", sh.Units, "Denominator", l.T(denom),
			"Share", l.sharePct(sh.Pct)))
	}
	full, none := 0, 0
	for _, p := range m.Provinces {
		switch {
		case len(p.Regions) > 0 && p.Counts[data.StatusYes] == len(p.Regions):
			full++
		case p.Counts[data.StatusYes] == 0:
			none++
		}
	}
	v.Provinces = l.T("home.provinces_line", "Full", full, "None", none, "Total", len(m.Provinces))
	for _, ch := range m.LatestChanges(10) {
		v.Changes = append(v.Changes, changeRow{Date: l.Date(ch.Date), Text: changeText(l, ch), URL: changeURL(l, ch), Name: ch.Name})
	}
	return "home.html", v, fiber.StatusOK
}

// changeText is a change in a sentence, in the page's language.
func changeText(l *lang, ch figures.Change) string {
	switch ch.Kind {
	case figures.ChangeSiteOpened:
		return l.T("changes.site_opened", "Site", ch.Site, "Date", l.Date(ch.Date))
	case figures.ChangeStatus:
		return l.T("changes.status_changed", "Name", ch.Name, "Old", l.Msg(figures.StatusLabel(ch.Old)), "New", l.Msg(figures.StatusLabel(ch.New)))
	}
	return l.T("changes.full_coverage", "Name", ch.Name, "Date", l.Date(ch.Date))
}

// changeURL is the page a change is about: the region's, or the province's.
func changeURL(l *lang, ch figures.Change) string {
	switch {
	case ch.Kind == figures.ChangeFullCoverage || (ch.Code == "" && ch.ProvinceCode != ""):
		return l.path("/provinsi/" + ch.ProvinceCode)
	}
	return l.path("/wilayah/" + ch.Code)
}

// newTimeSlider is the national map's time slider, on / and /embed/peta: months from January
// 2017 to the data's as-of month; none when the data has no as-of date.
func newTimeSlider(m *figures.Model, l *lang, asOf string) timeSlider {
	end := m.Snap.DataAsOf
	if end.IsZero() || end.Year() < sliderStartYear {
		return timeSlider{}
	}
	return timeSlider{Start: "2017-01", Steps: (end.Year()-sliderStartYear)*12 + int(end.Month()) - 1,
		Now: l.T("time.now_label", "Date", asOf, "Now", l.T("time.now")), Months: strings.Join(l.MonthNames(), ",")}
}

// nationalMapConfig is the national choropleth's config, shared by / and /embed/peta, with the
// status values and labels the time slider recolours the map with.
func (h *Handler) nationalMapConfig(m *figures.Model, l *lang, asOf, id string) mapConfig {
	c := m.National.Counts
	desc := l.T("map.aria", "Total", len(m.Regions), "Date", asOf, "Yes", c[data.StatusYes], "InProgress", c[data.StatusInProgress],
		"No", c[data.StatusNo], "Unknown", c[data.StatusUnknown])
	statuses := map[data.Status]statusJS{}
	for st, sty := range statusStyles() {
		statuses[st] = statusJS{Value: sty.Value, Label: l.Msg(figures.StatusLabel(st))}
	}
	return mapConfig{
		Statuses:  statuses,
		Option:    statusMapOption(m, l, m.Regions, nationalMapName, desc, ""),
		GeoURL:    nationalGeoURL,
		MapName:   nationalMapName,
		Locale:    l.T("meta.echarts_locale"),
		RegionURL: l.path("/wilayah/"),
		Labels:    mapLabels(l),
		SVG: h.svgMap(m, l, svgSpec{ID: id, Key: "national", Title: l.T("map.label"), Regions: m.Regions, Detail: geo.DetailNational,
			Fill: statusFill, Legend: statusLegend(l)}),
		Controls: nationalControls(m),
	}
}

func mapLabels(l *lang) map[string]string {
	return map[string]string{
		"province": l.T("tooltip.province"),
		"status":   l.T("tooltip.status"),
		"asOf":     l.T("tooltip.as_of"),
		"source":   l.T("tooltip.source"),
		"past":     l.T("tooltip.past"),
		"error":    l.T("map.error"),
	}
}

// regionRows are the table-twin rows of regions.
func regionRows(l *lang, regions []*figures.Region) []tableRow {
	styles := statusStyles()
	rows := make([]tableRow, 0, len(regions))
	for _, r := range regions {
		st, ok := styles[r.Status]
		if !ok {
			st = styles[data.StatusUnknown]
		}
		rows = append(rows, tableRow{
			Code: r.Code, Name: r.Name, URL: l.path("/wilayah/" + r.Code), Province: r.ProvinceName,
			StatusLabel: l.Msg(figures.StatusLabel(r.Status)), Class: st.Class, AsOf: l.Date(r.StatusAsOf),
		})
	}
	return rows
}

// provinceRanking is figures' ranking (what /api/v1/provinces publishes as rank) as table rows.
func provinceRanking(l *lang, m *figures.Model) []provinceRow {
	rows := make([]provinceRow, 0, len(m.Ranking))
	for _, p := range m.Ranking {
		rows = append(rows, provinceRow{Rank: p.Rank, Code: p.Code, Name: p.Name, URL: l.path("/provinsi/" + p.Code),
			Total: len(p.Regions), Yes: p.Counts[data.StatusYes], Share: l.sharePct(p.Shares[0].Pct)})
	}
	return rows
}

// sharePct formats a published share (progress.Share.Pct, already rounded); nil is no value.
func (l *lang) sharePct(p *float64) string {
	if p == nil {
		return l.T("format.no_value")
	}
	return l.Percent(*p)
}
