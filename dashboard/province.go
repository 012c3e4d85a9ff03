package dashboard

import (
	"regexp"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
)

// provinceView is what templates/province.html renders.
type provinceView struct {
	page
	P         data.Province
	Lead      string
	Rank      string
	Figures   []statusFigure
	Rows      []tableRow
	MapConfig mapConfig
	Progress  progressPart
}

func (h *Handler) provincePage(c *fiber.Ctx) error {
	code := utils.CopyString(c.Params("code"))
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		p, ok := snap.Province(code)
		if !ok {
			return notFound(base, code)
		}
		var regions []data.Region
		counts := map[data.Status]int{}
		for _, r := range snap.Regions {
			if r.ProvinceCode == p.Code {
				regions = append(regions, r)
				counts[r.Status]++
			}
		}
		base = withMap(titled(base, sprintf(m.ProvinceTitle, p.Name)))
		base.Bundle = bundleProgress
		v := provinceView{page: base, P: p, Progress: progressPartOf(snap, m, p.Code)}
		v.Lead = sprintf(m.ProvinceLead, counts[data.StatusYes], len(regions), m.percent(counts[data.StatusYes], len(regions)))
		ranking := provinceRanking(snap, m)
		for _, row := range ranking {
			if row.Code == p.Code {
				v.Rank = sprintf(m.ProvinceRank, row.Rank, len(ranking))
			}
		}
		styles := statusStyles()
		for _, st := range data.Statuses {
			v.Figures = append(v.Figures, statusFigure{Status: st, Label: m.Statuses[st], Count: counts[st],
				Share: m.percent(counts[st], len(regions)), Class: styles[st].Class})
		}
		v.Rows = regionRows(regions, m)
		name := "mppmap-prov-" + p.Code
		desc := sprintf(m.ProvinceMapDesc, p.Name, base.AsOf, counts[data.StatusYes], counts[data.StatusInProgress],
			counts[data.StatusNo], counts[data.StatusUnknown])
		v.MapConfig = mapConfig{
			Option:    statusMapOption(snap, regions, m, name, desc, ""),
			GeoURL:    nationalGeoURL,
			MapName:   name,
			Province:  p.Code,
			Locale:    m.EChartsLocale,
			RegionURL: m.path("/wilayah/"),
			Labels:    mapLabels(m),
		}
		return "province.html", v, fiber.StatusOK
	})
}

// methodView is what templates/method.html renders.
type methodView struct {
	page
	Total int
}

func (h *Handler) methodPage(c *fiber.Ctx) error {
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		base = titled(base, m.MethodTitle)
		base.Bundle = ""
		return "method.html", methodView{page: base, Total: len(snap.Regions)}, fiber.StatusOK
	})
}

// asOfRE is the time slider's URL parameter, ?as_of=YYYY-MM-DD.
var asOfRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// embedView is the national map alone, for iframes on other sites.
type embedView struct {
	page
	MapConfig mapConfig
	Time      timeSlider // the same slider and ?as_of= as /
	FullURL   string
}

func (h *Handler) embedMapPage(c *fiber.Ctx) error {
	query := ""
	if d := c.Query("as_of"); asOfRE.MatchString(d) {
		query = "?as_of=" + d // a copy: concatenation
	}
	return h.serve(c, func(snap *data.Snapshot, m *messages, base page) (string, any, int) {
		base = withMap(titled(base, m.MapLabel))
		base.Embed = true
		// The link back opens the same view: the date (?as_of=) travels with it.
		v := embedView{page: base, FullURL: m.path("/") + query}
		v.MapConfig = nationalMapConfig(snap, m, snap.StatusCounts(), base.AsOf)
		v.Time = newTimeSlider(snap, m, base.AsOf)
		return "embed.html", v, fiber.StatusOK
	})
}
