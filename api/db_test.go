package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"mppmap/data"
	"mppmap/data/datatest"
	"mppmap/figures"
	"mppmap/geo"
)

var (
	realOnce sync.Once
	realSnap *data.Snapshot
	realErr  error
)

// realSnapshot imports the reference data into a fresh database once per test binary and loads
// the read model from it. The database lives until the process ends (its cleanup is the first
// caller's).
func realSnapshot(t testing.TB) *data.Snapshot {
	t.Helper()
	datatest.URL(t) // skip (or fail under CI) without a database
	realOnce.Do(func() {
		_, pool := datatest.NewDB(t)
		ctx := context.Background()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		if _, realErr = data.Import(ctx, pool, datatest.RefData(t), log); realErr != nil {
			return
		}
		realSnap, realErr = data.LoadSnapshot(ctx, pool)
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realSnap
}

func TestRealData(t *testing.T) {
	s := realSnapshot(t)
	app := newTestApp(t, s)
	t.Run("counts", func(t *testing.T) {
		if len(s.Regions) != 514 || len(s.Provinces) != 38 {
			t.Errorf("regions %d, provinces %d", len(s.Regions), len(s.Provinces))
		}
		p := decode(t, get(t, app, "/api/v1/provinces").body)
		sh := p["national"].(map[string]any)["shares"].([]any)
		if sh[0].(map[string]any)["units"].(float64) != 514 || sh[1].(map[string]any)["units"].(float64) != 509 {
			t.Errorf("denominators = %v", sh)
		}
	})
	t.Run("neighbours", func(t *testing.T) {
		found := false
		for _, n := range s.Neighbours["32.73"] {
			found = found || n.Code == "32.04"
		}
		if !found {
			t.Errorf("Kota Bandung's neighbours %v lack 32.04", s.Neighbours["32.73"])
		}
		p := decode(t, get(t, app, "/api/v1/regions/32.73").body)
		nb := p["neighbours"].([]any)
		for i := 1; i < len(nb); i++ {
			a, b := nb[i-1].(map[string]any)["border_km"], nb[i].(map[string]any)["border_km"]
			if a != nil && b != nil && a.(float64) < b.(float64) {
				t.Errorf("neighbours not by border length: %v", nb)
			}
		}
		if p["summary"].(map[string]any)["id"] == "" {
			t.Error("no summary")
		}
	})
	t.Run("progress series", func(t *testing.T) {
		p := decode(t, get(t, app, "/api/v1/progress").body)
		seen := map[string]float64{}
		for _, x := range p["stated"].([]any) {
			m := x.(map[string]any)
			if c, ok := m["cumulative"].(float64); ok {
				seen[m["date"].(string)] = c
			}
		}
		if seen["2024-06-24"] != 208 || seen["2024-05-02"] != 216 {
			t.Errorf("2024-06-24 = %v, 2024-05-02 = %v", seen["2024-06-24"], seen["2024-05-02"])
		}
	})
	// The national layer exactly as served: its byte budget, 514 parsable features with their
	// status (geo's precision, real names).
	t.Run("national layer budget", func(t *testing.T) {
		m := figures.Build(s)
		layer, err := New(figures.Fixed{M: m}, testCatalog(t), nil, slog.New(slog.DiscardHandler)).layer(m, geo.DetailNational, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("national layer: %d bytes, %d gzip, %d brotli", len(layer.Raw), len(layer.Gzip), len(layer.Brotli))
		if len(layer.Gzip) > 50_000 {
			t.Errorf("national layer is %d bytes gzipped, budget 50,000", len(layer.Gzip))
		}
		var fc struct {
			Type     string
			Features []struct {
				Properties map[string]any
				Geometry   struct{ Type string }
			}
		}
		if err := json.Unmarshal(layer.Raw, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != 514 {
			t.Fatalf("national layer does not parse as 514 features: %v", err)
		}
		for _, f := range fc.Features {
			if (f.Geometry.Type != "MultiPolygon" && f.Geometry.Type != "Polygon") || f.Properties["code"] == "" || f.Properties["status"] == nil {
				t.Errorf("feature %v: geometry %q", f.Properties, f.Geometry.Type)
				break
			}
		}
	})
	t.Run("every endpoint", func(t *testing.T) {
		for _, path := range []string{"/api/v1/regions?province=32", "/api/v1/status?as_of=2023-06-30", "/api/v1/changes", "/api/v1/changes.atom",
			"/api/v1/fiscal", "/api/v1/inhibitors", "/api/v1/sources", "/api/v1/export/regions.csv", "/api/v1/regions.geojson?detail=province&province=32"} {
			if r := get(t, app, path); r.status != 200 {
				t.Errorf("%s = %d %s", path, r.status, r.body)
			}
		}
		f := decode(t, get(t, app, "/api/v1/fiscal").body)
		last := f["groups"].([]any)[5].(map[string]any)
		if last["group"] != "no_data" || len(last["regions"].([]any)) < 26 {
			t.Errorf("no-data group = %v regions", len(last["regions"].([]any)))
		}
		csv := string(get(t, app, "/api/v1/export/regions.csv").body)
		if n := strings.Count(csv, "\n"); n != 515 {
			t.Errorf("csv lines = %d, want 515", n)
		}
	})
}

// BenchmarkBuildRealData is the per-snapshot cost of every derived figure on the reference
// data (figures.Build): what each reload pays before the new read model is served.
func BenchmarkBuildRealData(b *testing.B) {
	s := realSnapshot(b)
	for b.Loop() {
		figures.Build(s)
	}
}
