package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb"

	"mppmap/clientip"
	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/figures"
	"mppmap/geo"
	"mppmap/locale"
)

const evilName = `<img src=x onerror=alert(1)>`

func ip(v int) *int { return &v }

// testSnapshot is a small synthetic read model: two provinces (one is DKI), five regions.
func testSnapshot(t testing.TB) *data.Snapshot {
	t.Helper()
	d := pdate.MustParse
	regions := []data.Region{
		{Code: "31.71", Name: "Kota Adm. Jakarta Pusat", ProvinceCode: "31", ProvinceName: "DKI Jakarta", Kind: "kota", Status: data.StatusYes, StatusAsOf: d("2017"), Evidence: "covered_by_provincial_MPP"},
		{Code: "31.72", Name: "Kota Adm. Jakarta Utara", ProvinceCode: "31", ProvinceName: "DKI Jakarta", Kind: "kota", Status: data.StatusYes, StatusAsOf: d("2017"), Evidence: "covered_by_provincial_MPP"},
		{Code: "32.04", Name: evilName, ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten", Status: data.StatusNo, StatusAsOf: d("2024-06-24"), Evidence: "stated", SourceIDs: []string{"S08"}},
		{Code: "32.05", Name: "Kabupaten Garut", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten", Status: data.StatusUnknown},
		{Code: "32.73", Name: "Kota Bandung", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kota", Status: data.StatusYes, StatusAsOf: d("2023-10-31"), Evidence: "confirmed_named", SourceIDs: []string{"S09"}},
	}
	geom := orb.MultiPolygon{{{{107, -7}, {107.1, -7}, {107.1, -6.9}, {107, -7}}}}
	geoms := map[geo.Detail]map[string]orb.MultiPolygon{}
	for _, d := range geo.Details {
		geoms[d] = map[string]orb.MultiPolygon{}
		for _, r := range regions {
			geoms[d][r.Code] = geom
		}
	}
	s := data.NewSnapshot(data.Snapshot{
		LoadedAt: time.Now(), DataAsOf: time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC),
		Provinces: []data.Province{{Code: "31", Name: "DKI Jakarta", KotaCount: 2}, {Code: "32", Name: "Jawa Barat", KabupatenCount: 2, KotaCount: 1}},
		Regions:   regions,
		Sources: map[string]data.Source{
			"S08": {ID: "S08", Address: "https://example.org/s08", Description: "208 MPP", Published: d("2024-06-24")},
			"S09": {ID: "S09", Address: "https://example.org/s09", Description: "10 MPP", Published: d("2023-10")},
		},
		Geometry: geoms,
		History: map[string][]data.StatusChange{
			"32.73": {{ChangedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), New: data.StatusNo, AsOf: d("2022"), Evidence: "stated"},
				{ChangedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Old: data.StatusNo, New: data.StatusYes, AsOf: d("2023-10-31"), Evidence: "confirmed_named", SourceIDs: []string{"S09"}}},
		},
		Sites: []data.Site{
			{ProvinceCode: "31", Name: "MPP DKI Jakarta", Inaugurated: d("2017-10-12"), Evidence: "confirmed_named"},
			{ProvinceCode: "32", RegionCode: "32.73", Name: "MPP Kota Bandung", Inaugurated: d("2023-10"), SourceIDs: []string{"S09"}},
		},
		NationalCounts: []data.NationalCount{
			// Stated counts of this five-region country (four units, DKI once): two conflicting
			// figures in mid-2024, and none gained in the last year.
			{Year: 2021, AsOf: d("2021-12-31"), Cumulative: ip(1), ValueType: data.ValueStatedApprox},
			{Year: 2024, AsOf: d("2024-05-02"), Cumulative: ip(3), ValueType: data.ValueStated, SourceIDs: []string{"S08"}},
			{Year: 2024, AsOf: d("2024-06-24"), Cumulative: ip(2), ValueType: data.ValueStated, SourceIDs: []string{"S08"}},
			{Year: 2024, AsOf: d("2024-12-12"), Cumulative: ip(3), ValueType: data.ValueStated},
			{Year: 2025, AsOf: d("2025-12-15"), Cumulative: ip(3), ValueType: data.ValueStated, YearEndBest: true},
		},
		Targets: []data.Target{
			{ID: "T02", TargetYear: "2024", Target: "100% of kab/kota have MPP", Scope: "508 kab/kota"},
			{ID: "T03", TargetYear: "2022", Target: "~100 new MPP inaugurated and operating in 2022", Scope: "count"},
			{ID: "T08", TargetYear: "2024", Target: "National MPP Digital implementation in 199 kab/kota", Scope: "199 kab/kota"},
			{ID: "T10", TargetYear: "2026", Target: "All kab/kota have MPP", Scope: "all kab/kota"},
		},
		Inhibitors: []data.Inhibitor{{Category: "budget / fiscal capacity", Finding: "no money", Area: "Kab X", RegionCodes: []string{"32.04"}, SourceIDs: []string{"S08"}}},
		Indicators: []data.Indicator{{ID: "pad_share_budget_pct", LabelID: "Rasio PAD", LabelEN: "PAD share", Unit: "%", Dataset: "fiscal/apbd_kabkota_2024.csv"},
			{ID: "ipm", LabelID: "IPM", LabelEN: "HDI", Unit: "index", Dataset: "demography/ipm_bps_2024.csv"}},
		Values: map[string][]data.IndicatorValue{
			"32.04": {{IndicatorID: "ipm", Period: "2024", Value: 73.1}, {IndicatorID: "pad_share_budget_pct", Period: "2024", Value: 12}},
			"32.73": {{IndicatorID: "ipm", Period: "2024", Value: 83.2}, {IndicatorID: "pad_share_budget_pct", Period: "2024", Value: 40}},
		},
		Neighbours: map[string][]data.Neighbour{
			"32.04": {{Code: "32.05", Relation: "border", BorderKm: 80}, {Code: "32.73", Relation: "border", BorderKm: 20.5}},
			"32.73": {{Code: "32.04", Relation: "border", BorderKm: 20.5}},
		},
	})
	return s
}

// testCatalog is the real catalogs: texts are asserted as clients get them.
func testCatalog(t testing.TB) *locale.Catalog {
	t.Helper()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newTestApp(t testing.TB, s *data.Snapshot) *fiber.App {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(log)})
	New(figures.Fixed{M: figures.Build(s)}, testCatalog(t), nil, log).Register(app)
	return app
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func get(t testing.TB, app *fiber.App, path string, hdr ...string) result {
	t.Helper()
	resp, body := rawGet(t, app, path, hdr...)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("GET %s: bad gzip: %v", path, err)
		}
		body, _ = io.ReadAll(zr)
	}
	return result{resp.StatusCode, resp.Header, body}
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return m
}

func TestEndpointsOK(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	for _, path := range []string{"/api/v1/provinces", "/api/v1/provinces/32", "/api/v1/regions", "/api/v1/regions?province=32&status=no&kind=kabupaten",
		"/api/v1/regions/32.04", "/api/v1/regions.geojson", "/api/v1/regions.geojson?detail=full&province=32", "/api/v1/progress", "/api/v1/progress?province=32",
		"/api/v1/status?as_of=2023-10-15", "/api/v1/changes?from=2017-01-01&to=2025-12-31", "/api/v1/changes.atom", "/api/v1/fiscal", "/api/v1/inhibitors",
		"/api/v1/sources", "/api/v1/sources/S08", "/api/v1/export/regions.csv", "/api/v1/export/regions.geojson", "/api/v1/openapi.json"} {
		r := get(t, app, path)
		if r.status != 200 {
			t.Errorf("GET %s = %d: %s", path, r.status, r.body)
			continue
		}
		if r.header.Get("Access-Control-Allow-Origin") != "*" || r.header.Get("ETag") == "" || !strings.Contains(r.header.Get("Cache-Control"), "max-age") {
			t.Errorf("GET %s: headers %v", path, r.header)
		}
	}
}

func TestEscapedName(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	for _, path := range []string{"/api/v1/regions/32.04", "/api/v1/regions", "/api/v1/regions.geojson"} {
		r := get(t, app, path)
		if bytes.Contains(r.body, []byte("<img")) {
			t.Errorf("%s: raw markup in body", path)
		}
		if !bytes.Contains(r.body, []byte(`\u003cimg src=x onerror=alert(1)\u003e`)) {
			t.Errorf("%s: name not JSON-escaped as data", path)
		}
	}
	p := decode(t, get(t, app, "/api/v1/regions/32.04").body)
	if name := p["region"].(map[string]any)["name"]; name != evilName {
		t.Errorf("name round trip = %v", name)
	}
}

func TestProfile(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	p := decode(t, get(t, app, "/api/v1/regions/32.04").body)
	nb := p["neighbours"].([]any)
	if len(nb) != 2 || nb[0].(map[string]any)["code"] != "32.05" {
		t.Errorf("neighbours not ordered by border length: %v", nb)
	}
	sum := p["summary"].(map[string]any)
	if want := evilName + " belum memiliki MPP; 1 dari 2 tetangganya sudah, 1 belum diketahui."; sum["id"] != want {
		t.Errorf("summary id = %q, want %q", sum["id"], want)
	}
	groups := p["peer_groups"].([]any)
	if len(groups) != 4 {
		t.Fatalf("peer groups = %d", len(groups))
	}
	g0 := groups[0].(map[string]any)
	if g0["with_mpp"].(float64) != 1 || g0["unknown"].(float64) != 1 {
		t.Errorf("neighbour group = %v", g0)
	}
	// Garut has no IPM: the neighbour median is Bandung's alone, not diluted by a zero.
	if m := g0["medians"].(map[string]any)["ipm"]; m != 83.2 {
		t.Errorf("median ipm = %v, want 83.2", m)
	}
	if m := g0["medians"].(map[string]any)["poverty_pct"]; m != nil {
		t.Errorf("median of missing = %v, want null", m)
	}
	src := p["sources"].([]any)
	if len(src) == 0 || src[0].(map[string]any)["address"] != "https://example.org/s08" {
		t.Errorf("sources not resolved: %v", src)
	}
	// Unknown region: status unknown, summary says belum diketahui, never "no".
	u := decode(t, get(t, app, "/api/v1/regions/32.05").body)
	if s := u["summary"].(map[string]any)["id"].(string); !strings.Contains(s, "belum diketahui") {
		t.Errorf("unknown summary = %q", s)
	}
	// DKI unit shows the provincial site.
	dk := decode(t, get(t, app, "/api/v1/regions/31.71").body)
	if sites := dk["sites"].([]any); len(sites) != 1 || sites[0].(map[string]any)["serves_province"] != true {
		t.Errorf("DKI sites = %v", sites)
	}
}

func TestProvincesDenominators(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	p := decode(t, get(t, app, "/api/v1/provinces").body)
	sh := p["national"].(map[string]any)["shares"].([]any)
	b, k := sh[0].(map[string]any), sh[1].(map[string]any)
	if b["units"].(float64) != 5 || b["with_mpp"].(float64) != 3 {
		t.Errorf("bskdn share = %v", b)
	}
	// DKI's two units count once.
	if k["units"].(float64) != 4 || k["with_mpp"].(float64) != 2 {
		t.Errorf("kemenpanrb share = %v", k)
	}
}

func TestProgress(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	p := decode(t, get(t, app, "/api/v1/progress").body)
	var dates []string
	for _, s := range p["stated"].([]any) {
		dates = append(dates, s.(map[string]any)["date"].(string))
	}
	if !strings.Contains(strings.Join(dates, ","), "2024-05-02,2024-06-24") {
		t.Errorf("stated dates = %v", dates)
	}
	targets := map[string]map[string]any{}
	for _, x := range p["targets"].([]any) {
		m := x.(map[string]any)
		targets[m["id"].(string)] = m
	}
	if targets["T02"]["status"] != "missed" || targets["T03"]["status"] != "missed" || targets["T08"]["status"] != "not_assessed" {
		t.Errorf("targets = %v", targets)
	}
	if targets["T10"]["status"] != "open" || targets["T10"]["category"] != "limited_progress" {
		t.Errorf("open target = %v", targets["T10"])
	}
	if len(p["pace"].([]any)) != 3 || p["method"] == "" {
		t.Errorf("pace/method missing")
	}
	// Bandung's site has month precision: counted from 2023-10-31.
	fs := p["from_sites"].(map[string]any)["series"].([]any)
	if last := fs[len(fs)-1].(map[string]any); last["date"] != "2023-10-31" || last["count"].(float64) != 2 {
		t.Errorf("site series = %v", fs)
	}
}

func TestStatusAsOfPrecision(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	find := func(body []byte, code string) map[string]any {
		for _, r := range decode(t, body)["regions"].([]any) {
			if r.(map[string]any)["code"] == code {
				return r.(map[string]any)
			}
		}
		return nil
	}
	tests := []struct{ at, status, reason string }{
		{"2023-09-30", "no", "opened_later"},
		{"2023-10-15", "unknown", "date_precision"},
		{"2023-10-31", "yes", "site_opened"},
	}
	for _, tt := range tests {
		r := find(get(t, app, "/api/v1/status?as_of="+tt.at).body, "32.73")
		if r["status"] != tt.status || r["reason"] != tt.reason {
			t.Errorf("as_of %s: %v, want %s/%s", tt.at, r, tt.status, tt.reason)
		}
	}
	if r := find(get(t, app, "/api/v1/status?as_of=2020-01-01").body, "32.05"); r["status"] != "unknown" {
		t.Errorf("unknown region = %v", r)
	}
}

func TestBadInput(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	tests := []struct {
		path, param string
		status      int
	}{
		{"/api/v1/regions?province=3", "province", 400},
		{"/api/v1/regions?province=x'--", "province", 400},
		{"/api/v1/regions?province=", "province", 400},
		{"/api/v1/regions?province=99", "", 404},
		{"/api/v1/regions?status=maybe", "status", 400},
		{"/api/v1/regions?status=YES", "status", 400},
		{"/api/v1/regions?kind=city", "kind", 400},
		{"/api/v1/regions?colour=red", "colour", 400},
		{"/api/v1/regions/32.7", "code", 400},
		{"/api/v1/regions/99.99", "", 404},
		{"/api/v1/provinces/3x", "code", 400},
		{"/api/v1/provinces/99", "", 404},
		{"/api/v1/regions.geojson?detail=high", "detail", 400},
		{"/api/v1/regions.geojson?detail=", "detail", 400},
		{"/api/v1/regions.geojson?province=abc", "province", 400},
		{"/api/v1/progress?province=1", "province", 400},
		{"/api/v1/progress?province=99", "", 404},
		{"/api/v1/status?as_of=2024-13-01", "as_of", 400},
		{"/api/v1/status?as_of=yesterday", "as_of", 400},
		{"/api/v1/status?as_of=0001-01-01", "as_of", 400},
		{"/api/v1/changes?from=2024", "from", 400},
		{"/api/v1/changes?to=2024-02-30", "to", 400},
		{"/api/v1/changes?from=2025-01-01&to=2024-01-01", "to", 400},
		{"/api/v1/changes.atom?from=x", "from", 400},
		{"/api/v1/sources/12", "id", 400},
		{"/api/v1/sources/S999", "", 404},
		{"/api/v1/fiscal?q=1", "q", 400},
		{"/api/v1/nope", "", 404},
	}
	for _, tt := range tests {
		r := get(t, app, tt.path)
		if r.status != tt.status {
			t.Errorf("GET %s = %d, want %d: %s", tt.path, r.status, tt.status, r.body)
			continue
		}
		if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("GET %s: content type %q", tt.path, ct)
		}
		p := decode(t, r.body)
		if tt.param != "" && (p["parameter"] != tt.param || !strings.Contains(p["detail"].(string), "allowed")) {
			t.Errorf("GET %s: problem %v does not name %q and what is allowed", tt.path, p, tt.param)
		}
	}
}

func TestETagAndGzip(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	for _, path := range []string{"/api/v1/provinces", "/api/v1/regions/32.73", "/api/v1/regions.geojson?detail=full"} {
		r := get(t, app, path, "Accept-Encoding", "gzip")
		if r.header.Get("Content-Encoding") != "gzip" && len(r.body) > 512 {
			t.Errorf("%s: not gzipped", path)
		}
		etag := r.header.Get("ETag")
		if r2 := get(t, app, path, "If-None-Match", etag); r2.status != http.StatusNotModified {
			t.Errorf("%s: If-None-Match → %d, want 304", path, r2.status)
		}
		if r3 := get(t, app, path); !bytes.Equal(r3.body, r.body) {
			t.Errorf("%s: gzip and identity bodies differ", path)
		}
	}
}

func TestDetailLevelsNeverShareABody(t *testing.T) {
	s := testSnapshot(t)
	// Make the levels differ as they do in real data.
	s.Geometry[geo.DetailFull]["32.73"] = orb.MultiPolygon{{{{107.00001, -7}, {107.1, -7}, {107.1, -6.9}, {107.00001, -7}}}}
	app := newTestApp(t, s)
	n := get(t, app, "/api/v1/regions.geojson?detail=national")
	f := get(t, app, "/api/v1/regions.geojson?detail=full")
	n2 := get(t, app, "/api/v1/regions.geojson?detail=national")
	if bytes.Equal(n.body, f.body) || n.header.Get("ETag") == f.header.Get("ETag") {
		t.Error("national and full served the same body")
	}
	if !bytes.Equal(n.body, n2.body) {
		t.Error("national changed after full was requested")
	}
	pf := get(t, app, "/api/v1/regions.geojson?detail=full&province=31")
	if bytes.Contains(pf.body, []byte("32.73")) || !bytes.Contains(pf.body, []byte("31.71")) {
		t.Error("province filter not applied")
	}
}

func TestExports(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	r := get(t, app, "/api/v1/export/regions.csv")
	if !bytes.HasPrefix(r.body, []byte("\ufeffcode,name")) {
		t.Errorf("csv lacks BOM/header: %q", r.body[:20])
	}
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	if len(lines) != 6 || !strings.Contains(lines[1], "Cahya DSN") {
		t.Errorf("csv rows = %d; first %q", len(lines), lines[1])
	}
	if !strings.Contains(lines[5], "2023-10,month") {
		t.Errorf("site date with precision missing: %q", lines[5])
	}
	g := decode(t, get(t, app, "/api/v1/export/regions.geojson").body)
	if !strings.Contains(g["attribution"].(string), "Cahya DSN") || len(g["features"].([]any)) != 5 {
		t.Errorf("export geojson attribution/features wrong")
	}
}

func TestExportLimit(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	var last int
	for i := 0; i <= ExportsPerMinute; i++ {
		last = get(t, app, "/api/v1/export/regions.csv").status
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("request %d = %d, want 429", ExportsPerMinute+1, last)
	}
}

// Behind a trusted proxy the export limit counts the client the proxy saw, whatever the client
// prepends to X-Forwarded-For: 40 requests each claiming a new address are one client.
func TestExportLimitBehindProxy(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	clients, err := clientip.New([]string{"0.0.0.0"}) // app.Test's peer: the "proxy"
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(log)})
	New(figures.Fixed{M: figures.Build(testSnapshot(t))}, testCatalog(t), clients, log).Register(app)
	ok, limited := 0, 0
	for i := range 40 {
		r := get(t, app, "/api/v1/export/regions.csv", "X-Forwarded-For", fmt.Sprintf("10.9.%d.%d, 198.51.100.7", i/250, i%250))
		switch r.status {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			limited++
		}
	}
	if ok != ExportsPerMinute || limited != 40-ExportsPerMinute {
		t.Errorf("40 spoofed requests: %d answered, %d limited; want %d and %d", ok, limited, ExportsPerMinute, 40-ExportsPerMinute)
	}
	// Another client behind the same proxy has its own allowance.
	if r := get(t, app, "/api/v1/export/regions.csv", "X-Forwarded-For", "203.0.113.50"); r.status != http.StatusOK {
		t.Errorf("another client: %d", r.status)
	}
}
