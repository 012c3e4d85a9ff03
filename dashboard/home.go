package dashboard

import (
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/progress"
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
	// Shares are the headline share over both denominators (progress.Shares, what
	// /api/v1/provinces publishes), each naming its denominator.
	Shares    []string
	Provinces string // provinces fully covered and with no MPP recorded
}

// changeRow is one recorded status change for the "latest changes" list.
type changeRow struct {
	Recorded, Name, URL, Old, New, AsOf string
}

// statusFigure is one headline number: regions with a status and their share of the total.
type statusFigure struct {
	Status data.Status
	Label  string
	Count  int
	Share  string
	Class  string
}

// tableRow is one region of a map's HTML table twin.
type tableRow struct {
	Code        string
	Name        string
	URL         string
	Province    string
	Kind        string
	StatusLabel string
	Class       string
	AsOf        string
}

// provinceRow is one line of the province ranking.
type provinceRow struct {
	Rank   int
	Code   string
	Name   string
	URL    string
	Total  int
	Yes    int
	Share  string
	share  float64
	Counts map[data.Status]int
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
	// Statuses maps a status to its map value and label, for the time slider's redraws.
	Statuses map[data.Status]statusJS `json:"statuses,omitempty"`
}

type statusJS struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// timeSlider is the national map's "status as of" control: months from the first MPP (2017)
// to the data's as-of month; the last step is the current status.
type timeSlider struct {
	Start  string // first month, YYYY-MM
	Steps  int    // months after Start; the slider's max
	Now    string // the last step's label: the data's as-of day and "latest"
	Months string // month names of the page's language, comma-separated, for app.js' labels
}

// monthNames are the month names pdate writes dates with, so the slider's labels match every
// other date on the page.
func monthNames(lang string) string {
	names := make([]string, 12)
	for i := range names {
		d := pdate.Date{Time: time.Date(2001, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC), Precision: pdate.Month}
		names[i] = strings.TrimSuffix(d.Format(lang), " 2001")
	}
	return strings.Join(names, ",")
}

// homePage serves the national status map.
func (h *Handler) homePage(c *fiber.Ctx) error {
	return h.serve(c, h.homeView)
}

func (h *Handler) homeView(snap *data.Snapshot, m *messages, base page) (string, any, int) {
	styles := statusStyles()
	counts := snap.StatusCounts()
	total := len(snap.Regions)
	base = withMap(titled(base, m.HomeTitle))
	base.Bundle = bundleProgress
	v := homeView{page: base, Total: total, Progress: progressPartOf(snap, m, "")}
	for _, st := range data.Statuses {
		v.Figures = append(v.Figures, statusFigure{
			Status: st, Label: m.Statuses[st], Count: counts[st], Share: m.percent(counts[st], total), Class: styles[st].Class,
		})
	}
	v.Rows = regionRows(snap.Regions, m)
	v.Ranking = provinceRanking(snap, m)
	for _, p := range snap.Provinces {
		v.SearchIndex = append(v.SearchIndex, searchEntry{Name: p.Name, Sub: m.TooltipProvince, URL: m.path("/provinsi/" + p.Code)})
	}
	for _, r := range snap.Regions {
		v.SearchIndex = append(v.SearchIndex, searchEntry{Name: r.Name, Sub: r.ProvinceName, URL: m.path("/wilayah/" + r.Code)})
	}
	v.MapConfig = nationalMapConfig(snap, m, counts, base.AsOf)
	v.Time = newTimeSlider(snap, m, base.AsOf)
	bskdn, kpan := progress.Shares(snap.Regions)
	for _, sh := range []struct {
		s     progress.Share
		denom string
	}{{bskdn, m.DenomBSKDN}, {kpan, m.DenomKemenPANRB}} {
		v.Shares = append(v.Shares, sprintf(m.ShareLine, sh.s.WithMPP, sh.s.Units, sh.denom, m.percent(sh.s.WithMPP, sh.s.Units)))
	}
	full, none := 0, 0
	for _, p := range v.Ranking {
		switch {
		case p.Total > 0 && p.Yes == p.Total:
			full++
		case p.Yes == 0:
			none++
		}
	}
	v.Provinces = sprintf(m.ProvincesLine, full, none, len(v.Ranking))
	v.Changes = latestChanges(snap, m, 10)
	return "home.html", v, fiber.StatusOK
}

// newTimeSlider is the national map's time slider, on / and /embed/peta: months from January
// 2017 to the data's as-of month; none when the data has no as-of date.
func newTimeSlider(snap *data.Snapshot, m *messages, asOf string) timeSlider {
	end := snap.DataAsOf
	if end.IsZero() || end.Year() < 2017 {
		return timeSlider{}
	}
	return timeSlider{Start: "2017-01", Steps: (end.Year()-2017)*12 + int(end.Month()) - 1,
		Now: asOf + " (" + m.TimeNow + ")", Months: monthNames(m.Lang)}
}

// nationalMapConfig is the national choropleth's config, shared by / and /embed/peta, with the
// status values and labels the time slider recolours the map with.
func nationalMapConfig(snap *data.Snapshot, m *messages, counts map[data.Status]int, asOf string) mapConfig {
	desc := sprintf(m.AriaDescription, len(snap.Regions), asOf,
		counts[data.StatusYes], counts[data.StatusInProgress], counts[data.StatusNo], counts[data.StatusUnknown])
	statuses := map[data.Status]statusJS{}
	for st, sty := range statusStyles() {
		statuses[st] = statusJS{Value: sty.Value, Label: m.Statuses[st]}
	}
	return mapConfig{
		Statuses:  statuses,
		Option:    statusMapOption(snap, snap.Regions, m, nationalMapName, desc, ""),
		GeoURL:    nationalGeoURL,
		MapName:   nationalMapName,
		Locale:    m.EChartsLocale,
		RegionURL: m.path("/wilayah/"),
		Labels:    mapLabels(m),
	}
}

func mapLabels(m *messages) map[string]string {
	return map[string]string{
		"province": m.TooltipProvince,
		"status":   m.TooltipStatus,
		"asOf":     m.TooltipAsOf,
		"source":   m.TooltipSource,
		"past":     m.TooltipPast,
		"error":    m.MapError,
	}
}

// regionRows are the table-twin rows of regions.
func regionRows(regions []data.Region, m *messages) []tableRow {
	styles := statusStyles()
	rows := make([]tableRow, 0, len(regions))
	for _, r := range regions {
		st, ok := styles[r.Status]
		if !ok {
			st = styles[data.StatusUnknown]
		}
		rows = append(rows, tableRow{
			Code: r.Code, Name: r.Name, URL: m.path("/wilayah/" + r.Code), Province: r.ProvinceName,
			Kind: m.Kinds[r.Kind], StatusLabel: m.Statuses[r.Status], Class: st.Class, AsOf: formatDate(r.StatusAsOf, m),
		})
	}
	return rows
}

// provinceRanking orders provinces by the share of their regions with an MPP (ties: more
// regions with an MPP first, then code). Equal shares share a rank.
func provinceRanking(snap *data.Snapshot, m *messages) []provinceRow {
	byCode := map[string]*provinceRow{}
	rows := make([]provinceRow, 0, len(snap.Provinces))
	for _, p := range snap.Provinces {
		rows = append(rows, provinceRow{Code: p.Code, Name: p.Name, URL: m.path("/provinsi/" + p.Code), Counts: map[data.Status]int{}})
	}
	for i := range rows {
		byCode[rows[i].Code] = &rows[i]
	}
	for _, r := range snap.Regions {
		if p := byCode[r.ProvinceCode]; p != nil {
			p.Total++
			p.Counts[r.Status]++
			if r.Status == data.StatusYes {
				p.Yes++
			}
		}
	}
	for i := range rows {
		if rows[i].Total > 0 {
			rows[i].share = float64(rows[i].Yes) / float64(rows[i].Total)
		}
		rows[i].Share = m.percent(rows[i].Yes, rows[i].Total)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].share != rows[j].share {
			return rows[i].share > rows[j].share
		}
		if rows[i].Yes != rows[j].Yes {
			return rows[i].Yes > rows[j].Yes
		}
		return rows[i].Code < rows[j].Code
	})
	for i := range rows {
		rows[i].Rank = i + 1
		if i > 0 && rows[i].share == rows[i-1].share {
			rows[i].Rank = rows[i-1].Rank
		}
	}
	return rows
}

// latestChanges lists the most recently recorded changes of a status (not first imports).
func latestChanges(snap *data.Snapshot, m *messages, n int) []changeRow {
	type ch struct {
		r  data.Region
		c  data.StatusChange
		at time.Time
	}
	var all []ch
	for code, hist := range snap.History {
		r, ok := snap.Region(code)
		if !ok {
			continue
		}
		for _, c := range hist {
			if c.Old != "" && c.Old != c.New {
				all = append(all, ch{r, c, c.ChangedAt})
			}
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if !all[i].at.Equal(all[j].at) {
			return all[i].at.After(all[j].at)
		}
		return all[i].r.Code < all[j].r.Code
	})
	if len(all) > n {
		all = all[:n]
	}
	rows := make([]changeRow, 0, len(all))
	for _, x := range all {
		rows = append(rows, changeRow{Recorded: formatDay(x.at, m), Name: x.r.Name, URL: m.path("/wilayah/" + x.r.Code),
			Old: m.Statuses[x.c.Old], New: m.Statuses[x.c.New], AsOf: formatDate(x.c.AsOf, m)})
	}
	return rows
}
