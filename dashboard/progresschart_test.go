package dashboard

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/progress"
)

// progressSnapshot has stated national counts (one approximate), dated sites in two provinces
// and two coverage targets with the same deadline and goal, one open.
func progressSnapshot() *data.Snapshot {
	n := func(v int) *int { return &v }
	s := testSnapshot()
	snap := *s
	snap.DataAsOf = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	snap.NationalCounts = []data.NationalCount{
		{AsOf: pdate.MustParse("2023-06-30"), Cumulative: n(1), ValueType: data.ValueStated},
		{AsOf: pdate.MustParse("2024-06-30"), Cumulative: n(2), ValueType: data.ValueStated},
		{AsOf: pdate.MustParse("2024-12"), Cumulative: n(2), ValueType: data.ValueStatedApprox},
		{AsOf: pdate.MustParse("2025-06-30"), Cumulative: n(3), ValueType: data.ValueStated},
	}
	snap.Sites = []data.Site{
		{ProvinceCode: "32", RegionCode: "32.01", Inaugurated: pdate.MustParse("2023-10-31")},
		{ProvinceCode: "32", RegionCode: "32.71", Inaugurated: pdate.MustParse("2024")},
		{ProvinceCode: "91", RegionCode: "91.01"}, // undated: not drawn
	}
	snap.Targets = []data.Target{
		{ID: "T1", TargetYear: "2026", Target: "all kab/kota", Scope: "all kab/kota"},
		{ID: "T2", TargetYear: "2022-2026", Target: "all daerah", Scope: "508 kab/kota"},
	}
	return data.NewSnapshot(snap)
}

// chartSeries decodes the option as the browser receives it: name → series.
func chartSeries(t *testing.T, opt map[string]any) map[string]map[string]any {
	t.Helper()
	b, err := json.Marshal(opt)
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Series []map[string]any `json:"series"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, s := range o.Series {
		if s["type"] != "line" {
			t.Errorf("series %v has type %v, want line (the progress bundle has no other)", s["name"], s["type"])
		}
		out[s["name"].(string)] = s
	}
	for _, k := range []string{"legend", "title", "toolbox"} {
		if _, ok := opt[k]; ok {
			t.Errorf("option has %q: the progress bundle has no such component", k)
		}
	}
	return out
}

func values(s map[string]any) [][]any {
	var out [][]any
	for _, it := range s["data"].([]any) {
		out = append(out, it.(map[string]any)["value"].([]any))
	}
	return out
}

func TestProgressChartNational(t *testing.T) {
	snap := progressSnapshot()
	m := testLang(t, "id")
	rep := progress.Build(snap, "")
	opt, key := progressChart(m, rep, "desc")
	series := chartSeries(t, opt)
	if len(key) != len(series) {
		t.Errorf("key has %d entries for %d series", len(key), len(series))
	}
	if got := values(series[m.T("progress.series.stated")]); len(got) != 3 || got[2][0] != "2025-06-30" || got[2][1] != 3.0 {
		t.Errorf("stated = %v, want the 3 stated figures ending 2025-06-30: 3", got)
	}
	if got := values(series[m.T("progress.series.approx")]); len(got) != 1 || got[0][0] != "2024-12-31" {
		t.Errorf("approximate = %v, want the month figure on its last day", got)
	}
	// Goal lines at both denominators (here 4 regions; 514 and 509 in the reference data), over
	// the whole time axis.
	for name, units := range map[string]float64{m.T("progress.target_all", "N", rep.Denominators[0].Units): float64(rep.Denominators[0].Units), m.T("progress.target_autonomous", "N", rep.Autonomous): float64(rep.Denominators[1].Units)} {
		v := values(series[name])
		if len(v) != 2 || v[0][1] != units || v[1][1] != units || v[0][0] != "2017-01-01" {
			t.Errorf("goal line %q = %v, want 2017 → end at %v", name, v, units)
		}
	}
	// Two targets with the same deadline and goal: one marker, labelled with its year.
	tg := series[m.T("progress.series.targets")]["data"].([]any)
	if len(tg) != 1 || tg[0].(map[string]any)["name"] != "2026" {
		t.Errorf("targets = %v, want one marker named 2026", tg)
	}
	// The projection runs from the data end at the last 12 months' pace to its ETA.
	w, _ := rep.Pace(progress.WindowLast12Months)
	name := m.T("progress.series.projection", "Pace", m.Number(*w.PerMonth))
	pr := values(series[name])
	eta := w.ETA[progress.DenomKemenPANRB]
	if units := float64(rep.Denominators[1].Units); len(pr) != 2 || pr[0][0] != "2025-06-30" || eta == nil || pr[1][0] != eta.Format("2006-01-02") || pr[1][1] != units {
		t.Errorf("projection %q = %v, want 2025-06-30 → %v at %v", name, pr, eta, units)
	}
	if aria := opt["aria"]; !strings.Contains(mustJSON(t, aria), `"description":"desc"`) {
		t.Errorf("aria = %v", aria)
	}
}

func TestProgressChartProvince(t *testing.T) {
	snap := progressSnapshot()
	m := testLang(t, "en")
	opt, _ := progressChart(m, progress.Build(snap, "32"), "desc")
	series := chartSeries(t, opt)
	if _, ok := series[m.T("progress.series.stated")]; ok {
		t.Error("a province chart draws the national stated counts")
	}
	sites := series[m.T("progress.series.sites")]
	v := values(sites)
	// Steps on 2023-10-31 (1) and 2024-12-31 (2, a year counts from its last day), held to the end.
	if len(v) != 3 || v[0][0] != "2023-10-31" || v[1][0] != "2024-12-31" || v[1][1] != 2.0 || v[2][0] != "2025-06-30" || sites["step"] != "end" && sites["step"] != true {
		t.Errorf("sites series = %v (step %v)", v, sites["step"])
	}
	// Jawa Barat here has 2 kab/kota in both counts: one goal line named by its own count; both
	// have a dated site, so there is nothing left to project.
	goal := series[m.T("progress.goal_regions", "N", 2)]
	if goal == nil || len(series) != 2 {
		names := []string{}
		for n := range series {
			names = append(names, n)
		}
		t.Errorf("series %v, want the sites and one goal line %q", names, m.T("progress.goal_regions", "N", 2))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// / and province pages carry the progress section with progress.Build's paces and ETAs (what
// /api/v1/progress?province= publishes), its chart, its table twin and a PNG button.
func TestProgressSectionOnHomeAndProvince(t *testing.T) {
	snap := progressSnapshot()
	h, err := newHandler(fixedModel(snap), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	h.Register(app)
	m := testLang(t, "id")
	for path, province := range map[string]string{"/": "", "/provinsi/32": "32", "/progres?province=32": "32", "/progres": ""} {
		_, body := get(t, app, path)
		rep := progress.Build(snap, province)
		n := 0
		for _, w := range rep.Paces {
			if w.PerMonth == nil {
				continue
			}
			n++
			if want := `<td class="num">` + m.Number(*w.PerMonth) + "</td>"; !strings.Contains(body, want) {
				t.Errorf("%s lacks the %s pace %s", path, w.Window, want)
			}
		}
		if n == 0 {
			t.Errorf("%s: fixture gives no pace", path)
		}
		for _, want := range []string{`id="progress-chart"`, `id="progress-chart-config"`, `id="counts-table"`,
			`data-png="progress-chart"`, `class="chart-key"`, `echarts-progress.`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
	}
	_, body := get(t, app, "/")
	if !strings.Contains(body, "Target 2026: ") {
		t.Errorf("/ does not say where the open 2026 target stands")
	}
}

// /progres and /embed/progres take ?province=: the province's report, a scope selector that
// keeps it, the link back to it from the embed, and a 404 for a code that names no province.
func TestProgressPagesTakeProvince(t *testing.T) {
	h, err := newHandler(fixedModel(progressSnapshot()), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	h.Register(app)
	m := testLang(t, "id")
	_, body := get(t, app, "/progres?province=32")
	for _, want := range []string{"<h1>" + m.T("progress.province_heading", "Name", "Jawa Barat") + "</h1>",
		`<option value="32" selected>Jawa Barat</option>`, m.T("progress.eta_label", "N", 2), `hreflang="en" href="/en/progres?province=32"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/progres?province=32 lacks %s", want)
		}
	}
	if strings.Contains(body, m.T("progress.eta_label", "N", 4)) {
		t.Error("/progres?province=32 speaks of the national count")
	}
	_, body = get(t, app, "/embed/progres?province=32")
	if !strings.Contains(body, `href="/progres?province=32" target="_blank"`) {
		t.Error("/embed/progres?province=32 does not link back to the province's report")
	}
	for _, path := range []string{"/progres?province=99", "/embed/progres?province=%3Cb%3E"} {
		if res, _ := get(t, app, path); res.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", path, res.StatusCode)
		}
	}
}
