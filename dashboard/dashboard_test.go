package dashboard

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/figures"
	"mppmap/locale"
)

const hostileName = `<img src=x onerror=alert(1)>`

// fixedModel serves the figures of one snapshot.
func fixedModel(s *data.Snapshot) figures.Source { return figures.Fixed{M: figures.Build(s)} }

// testCatalog is the real catalogs: pages are asserted as readers get them.
func testCatalog(t testing.TB) *locale.Catalog {
	t.Helper()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testLang is a language as the pages use it.
func testLang(t testing.TB, tag string) *lang {
	t.Helper()
	l := testCatalog(t).MustLang(tag)
	prefix := ""
	if tag != locale.Default {
		prefix = "/" + tag
	}
	return &lang{Lang: l, Prefix: prefix, Name: l.T("meta.name")}
}

func testSnapshot() *data.Snapshot {
	return data.NewSnapshot(data.Snapshot{
		DataAsOf:   time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC),
		ImportedAt: time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC),
		Provinces:  []data.Province{{Code: "32", Name: "Jawa Barat"}, {Code: "91", Name: "Papua"}},
		Regions: []data.Region{
			{Code: "32.01", Name: "Kabupaten Bogor", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten",
				Status: data.StatusYes, StatusAsOf: pdate.MustParse("2023-10-31"), SourceIDs: []string{"S1"}, Evidence: hostileName},
			{Code: "32.71", Name: "Kota Bogor", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kota",
				Status: data.StatusInProgress, StatusAsOf: pdate.MustParse("2024-08")},
			{Code: "91.01", Name: hostileName, ProvinceCode: "91", ProvinceName: "Papua", Kind: "kabupaten",
				Status: data.StatusNo, StatusAsOf: pdate.MustParse("<=2022-05-09")},
			{Code: "91.02", Name: "Kabupaten Jayawijaya", ProvinceCode: "91", ProvinceName: "Papua", Kind: "kabupaten",
				Status: data.StatusUnknown},
		},
		Sources: map[string]data.Source{"S1": {ID: "S1", Address: "https://example.org/" + hostileName, Description: hostileName,
			Published: pdate.MustParse("2023-11")}},
		Indicators: []data.Indicator{{ID: "ipm", LabelID: "Indeks pembangunan manusia", LabelEN: "Human development index"}},
		Values: map[string][]data.IndicatorValue{
			"32.01": {{IndicatorID: "ipm", Period: "2023", Value: 71.25}},
			"32.71": {{IndicatorID: "ipm", Period: "2023", Value: 77.5}},
			"91.02": {{IndicatorID: "ipm", Period: "2023", Value: 55}},
		},
		Datasets: []data.DatasetFile{{Path: "mpp/mpp_status_by_region.csv", Title: "MPP status per kabupaten/kota",
			Publisher: "compiled from KemenPANRB releases", AsOf: "2026-11-28"}},
	})
}

// testStatic is a static tree with a stand-in bundle, so these tests need no npm build.
func testStatic(t *testing.T) fstest.MapFS {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return fstest.MapFS{
		"app.js":                   {Data: read("app.js")},
		"app.css":                  {Data: read("app.css")},
		"favicon.svg":              {Data: read("favicon.svg")},
		"dist/echarts-map.js":      {Data: []byte(strings.Repeat("window.echarts={};\n", 200))},
		"dist/echarts-progress.js": {Data: []byte(strings.Repeat("window.echarts={};\n", 201))},
		"dist/echarts-charts.js":   {Data: []byte(strings.Repeat("window.echarts={};\n", 202))},
		"dist/echarts-svg.js":      {Data: []byte(strings.Repeat("window.echartsSVG={};\n", 203))},
	}
}

func newTestApp(t *testing.T) (*fiber.App, *Handler) {
	t.Helper()
	h, err := newHandler(fixedModel(testSnapshot()), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(app)
	return app, h
}

func get(t *testing.T, app *fiber.App, target string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestHomePage(t *testing.T) {
	app, _ := newTestApp(t)
	res, body := get(t, app, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d\n%s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q", ct)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	m := testLang(t, "id")
	for _, st := range data.Statuses {
		if n := strings.Count(body, m.Msg(figures.StatusLabel(st))); n < 2 { // headline + table (+ legend in JSON)
			t.Errorf("status label %q appears %d times, want at least 2", m.Msg(figures.StatusLabel(st)), n)
		}
	}
	for _, want := range []string{
		"Batas wilayah: © 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), MIT",
		"28 November 2026",         // data as-of
		"31 Oktober 2023",          // a day-precision status date
		"Agustus 2024",             // month precision, no invented day
		"paling lambat 9 Mei 2022", // an upper bound
		`href="/wilayah/32.71"`,    // table link to the region page
		"1 dari 4 kabupaten/kota (penyebut BSKDN Kemendagri) punya MPP: 25,0%", // both denominators named
		"1 dari 4 unit (penyebut KemenPANRB",
		"0 provinsi sudah penuh (semua kab/kota punya MPP); 1 provinsi belum punya MPP yang tercatat; dari 2 provinsi.",
		`<span class="count">1</span>`, // one region per status
		`<span class="share">(25,0%)</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHomePageEscapesDataText(t *testing.T) {
	app, _ := newTestApp(t)
	_, body := get(t, app, "/")
	if strings.Contains(body, hostileName) || strings.Contains(body, "<img") {
		t.Fatalf("hostile region name reached the page unescaped")
	}
	if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("hostile name not shown as text in the table")
	}
	cfg := mapConfigOf(t, body)
	items := cfg["option"].(map[string]any)["series"].([]any)[0].(map[string]any)["data"].([]any)
	var found bool
	for _, it := range items {
		if it.(map[string]any)["region"] == hostileName {
			found = true // kept verbatim as data; app.js escapes it in the tooltip
		}
	}
	if !found {
		t.Errorf("hostile name missing from the map data")
	}
}

func TestHomePageLoadsNothingFromOtherHosts(t *testing.T) {
	app, _ := newTestApp(t)
	_, body := get(t, app, "/")
	if u := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9-]+\.[a-z0-9.-]+`).FindString(body); u != "" {
		t.Errorf("page refers to another host: %q", u)
	}
	for _, src := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if !strings.HasPrefix(src[1], "/") || strings.HasPrefix(src[1], "//") {
			t.Errorf("non-local reference %q", src[1])
		}
	}
}

// mapConfigOf parses the JSON the page hands to app.js, as JSON.parse will.
func mapConfigOf(t *testing.T, body string) map[string]any {
	t.Helper()
	mm := regexp.MustCompile(`(?s)<script type="application/json" id="status-map-config">(.*?)</script>`).FindStringSubmatch(body)
	if mm == nil {
		t.Fatal("no map config in page")
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(mm[1]), &cfg); err != nil {
		t.Fatalf("map config is not JSON: %v\n%s", err, mm[1])
	}
	return cfg
}

func TestMapOption(t *testing.T) {
	app, _ := newTestApp(t)
	_, body := get(t, app, "/")
	cfg := mapConfigOf(t, body)
	if cfg["geoURL"] != "/api/v1/regions.geojson?detail=national" || cfg["locale"] != "ID" || cfg["regionURL"] != "/wilayah/" {
		t.Errorf("config = geoURL %v, locale %v, regionURL %v", cfg["geoURL"], cfg["locale"], cfg["regionURL"])
	}
	opt := cfg["option"].(map[string]any)
	s := opt["series"].([]any)[0].(map[string]any)
	if s["type"] != "map" || s["map"] != nationalMapName || s["nameProperty"] != "code" {
		t.Errorf("series type %v map %v nameProperty %v", s["type"], s["map"], s["nameProperty"])
	}
	if s["itemStyle"].(map[string]any)["areaColor"] == nil {
		t.Error("series.itemStyle.areaColor not set")
	}
	items := s["data"].([]any)
	if len(items) != 4 {
		t.Fatalf("%d data items, want 4", len(items))
	}
	if it := items[1].(map[string]any); it["name"] != "32.71" || it["region"] != "Kota Bogor" {
		t.Errorf("item joins on %v (%v), want the code 32.71", it["name"], it["region"])
	}
	// The tooltip names the source in a few words; a region without one has no source line.
	if it := items[0].(map[string]any); it["source"] != "example.org, November 2023" {
		t.Errorf("source of 32.01 = %v, want the first source's site and date", it["source"])
	}
	if it := items[1].(map[string]any); it["source"] != nil {
		t.Errorf("source of 32.71 = %v, want none", it["source"])
	}
	vm := opt["visualMap"].([]any)[0].(map[string]any)
	colors := map[any]bool{}
	values := map[any]bool{}
	for _, p := range vm["pieces"].([]any) {
		colors[p.(map[string]any)["color"]] = true
		values[p.(map[string]any)["value"]] = true
	}
	if vm["type"] != "piecewise" || len(colors) != 4 || len(values) != 4 {
		t.Errorf("visualMap %v: want 4 pieces with distinct colours and values", vm)
	}
	aria := opt["aria"].(map[string]any)
	if aria["enabled"] != true || !strings.Contains(aria["label"].(map[string]any)["description"].(string), "1 belum diketahui") {
		t.Errorf("aria = %v", aria)
	}
	// PNG downloads are a button of ours (app.js), not ECharts' toolbox (not in the bundles).
	if _, ok := opt["toolbox"]; ok {
		t.Error("map option has a toolbox")
	}
	if !strings.Contains(body, `<button type="button" class="png-download" data-png="status-map"`) {
		t.Error("no PNG download button for the map")
	}
}

func TestStaticAssets(t *testing.T) {
	app, _ := newTestApp(t)
	_, body := get(t, app, "/")
	urls := regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`).FindAllStringSubmatch(body, -1)
	// app.js before the bundle: it starts the map layer's fetch while the bundle still loads.
	if len(urls) != 4 || !strings.Contains(urls[2][1], "/app.") || !strings.Contains(urls[3][1], "echarts-progress.") {
		t.Fatalf("page links %v, want 4 (icon, css, app.js, the map + progress bundle)", urls)
	}
	if want := `<link rel="preload" as="fetch" crossorigin href="` + nationalGeoURL + `">`; !strings.Contains(body, want) {
		t.Errorf("no %s in the page", want)
	}
	for _, u := range urls {
		if !regexp.MustCompile(`\.[0-9a-f]{12}\.(js|css|svg)$`).MatchString(u[1]) {
			t.Errorf("asset URL %q carries no content hash", u[1])
		}
		res, _ := get(t, app, u[1])
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s = %d, Cache-Control %q", u[1], res.StatusCode, res.Header.Get("Cache-Control"))
		}
		etag := res.Header.Get("ETag")
		if res, _ := get(t, app, u[1], "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag = %d, want 304", u[1], res.StatusCode)
		}
	}
	bundle := urls[3][1]
	res, gz := get(t, app, bundle, "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("bundle not gzipped: %q", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := io.ReadAll(zr); !strings.HasPrefix(string(raw), "window.echarts") {
		t.Errorf("gunzipped bundle starts %q", string(raw[:20]))
	}
	if res, _ := get(t, app, "/favicon.ico"); res.StatusCode != http.StatusMovedPermanently || !strings.HasSuffix(res.Header.Get("Location"), ".svg") {
		t.Errorf("GET /favicon.ico = %d to %q, want a redirect to the hashed icon", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := get(t, app, bundle); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("bundle sent as %q to a client that accepts no encoding", res.Header.Get("Content-Encoding"))
	}
	for _, stale := range []string{"/static/app.js", "/static/app.000000000000.js", "/static/../dashboard.go"} {
		if res, _ := get(t, app, stale); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", stale, res.StatusCode)
		}
	}
}

func TestNewFailsWithoutBundle(t *testing.T) {
	static := testStatic(t)
	delete(static, "dist/echarts-map.js")
	_, err := newHandler(fixedModel(testSnapshot()), testCatalog(t), nil, static)
	if err == nil || !strings.Contains(err.Error(), "npm run --prefix web build") {
		t.Fatalf("err = %v, want a hint to build the bundle", err)
	}
}

// The HTML swatches (app.css) and the map (palette.go) must show a status in one colour.
func TestPaletteMatchesCSS(t *testing.T) {
	css, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for st, s := range statusStyles() {
		want := "." + s.Class + " { background: " + s.Color + "; }"
		if !strings.Contains(string(css), want) {
			t.Errorf("%s: app.css lacks %q", st, want)
		}
	}
}

func TestHomePageCachedPerSnapshot(t *testing.T) {
	app, _ := newTestApp(t)
	res, _ := get(t, app, "/")
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if res, _ := get(t, app, "/", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation = %d, want 304", res.StatusCode)
	}
	res, gz := get(t, app, "/", "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("page not gzipped for a client that accepts it")
	}
	zr, err := gzip.NewReader(strings.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := io.ReadAll(zr); !strings.HasPrefix(string(raw), "<!doctype html>") {
		t.Errorf("gunzipped page starts %q", string(raw[:min(len(raw), 20)]))
	}
	// Brotli, where the client takes it: pages go through the same response path as the API.
	res, br := get(t, app, "/", "Accept-Encoding", "gzip, br")
	if res.Header.Get("Content-Encoding") != "br" {
		t.Fatalf("page not brotli-encoded for a client that prefers it: %q", res.Header.Get("Content-Encoding"))
	}
	if raw, _ := io.ReadAll(brotli.NewReader(strings.NewReader(br))); !strings.HasPrefix(string(raw), "<!doctype html>") {
		t.Errorf("decoded page starts %q", string(raw[:min(len(raw), 20)]))
	}
}
