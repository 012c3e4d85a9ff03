package refdata

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"mppmap/data/pdate"
)

const validFixture = "testdata/valid"

// fixture copies the valid synthetic folder into a temporary directory for mutation.
func fixture(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(validFixture, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(validFixture, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// replace swaps the only occurrence of old in the file rel for new.
func replace(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), old); n != 1 {
		t.Fatalf("%s: %q occurs %d times, want 1", rel, old, n)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// truncate cuts the file rel just before the first occurrence of marker.
func truncate(t *testing.T, dir, rel, marker string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), marker)
	if i < 0 {
		t.Fatalf("%s: no %q", rel, marker)
	}
	if err := os.WriteFile(p, b[:i], 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, dir, rel string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
		t.Fatal(err)
	}
}

// want is an expected problem: exact file, line and field, and a fragment of the message.
type want struct {
	file  string
	line  int
	field string
	msg   string
}

func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	if err == nil {
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T, want Problems: %v", err, err)
	}
	return ps
}

func TestLoadValidFixture(t *testing.T) {
	ds, err := Load(validFixture)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(ds.Warnings) > 0 {
		t.Errorf("warnings on the valid fixture:\n%v", ds.Warnings.Error())
	}
	if len(ds.Absent) != 0 {
		t.Errorf("Absent = %v, want none", ds.Absent)
	}
	counts := map[string][2]int{
		"provinces":       {len(ds.Provinces), 2},
		"regions":         {len(ds.Regions), 3},
		"sources":         {len(ds.Sources), 3},
		"statuses":        {len(ds.Statuses), 3},
		"sites":           {len(ds.Sites), 2},
		"national counts": {len(ds.NationalCounts), 3},
		"targets":         {len(ds.Targets), 2},
		"inhibitors":      {len(ds.Inhibitors), 4},
		"digital facts":   {len(ds.DigitalFacts), 2},
		"digital pilots":  {len(ds.DigitalPilots), 1},
		"digital regions": {len(ds.DigitalRegions), 1},
		"costs":           {len(ds.Costs), 2},
		"fiscal capacity": {len(ds.FiscalCapacity), 2},
		"region fiscal":   {len(ds.RegionFiscal), 5}, // 3 rows × 2 periods, Kota Bogor has no 2025 value
		"fiscal periods":  {len(ds.FiscalPeriods), 2},
	}
	for name, c := range counts {
		if c[0] != c[1] {
			t.Errorf("%s: %d, want %d", name, c[0], c[1])
		}
	}

	t.Run("geometry", func(t *testing.T) {
		for _, r := range ds.Regions {
			if r.Geom == nil {
				t.Errorf("%s has no geometry", r.Code)
			}
		}
		// 32.01 is a Polygon with a hole in the file: wrapped as one polygon of two rings.
		if g := ds.Regions[0].Geom; len(g) != 1 || len(g[0]) != 2 || g[0][0][0] != (orb.Point{106.7, -6.7}) {
			t.Errorf("32.01 geometry = %v", g)
		}
		if g := ds.Regions[2].Geom; len(g) != 2 {
			t.Errorf("35.05 has %d polygons, want 2", len(g))
		}
		if ds.Provinces[1].Geom == nil {
			t.Error("province 35 has no geometry")
		}
	})

	t.Run("status", func(t *testing.T) {
		st := ds.Statuses[0]
		if st.Status != StatusYes || st.AsOf.String() != "2024-08" || st.FirstKnown.Precision != pdate.Before ||
			!slices.Equal(st.SourceIDs, []string{"S01", "S02"}) || st.Note != "inaugurated\nafter a soft launch" {
			t.Errorf("32.01 status = %+v", st)
		}
		if u := ds.Statuses[2]; u.Status != StatusUnknown || !u.AsOf.IsZero() || u.SourceIDs != nil {
			t.Errorf("35.05 status = %+v", u)
		}
	})

	t.Run("province-level site", func(t *testing.T) {
		s := ds.Sites[1]
		if s.RegionCode != "" || s.ProvinceCode != "32" || s.Inaugurated.String() != "<=2022" {
			t.Errorf("site = %+v", s)
		}
	})

	t.Run("national counts", func(t *testing.T) {
		if c := ds.NationalCounts[1]; c.Cumulative != nil || !c.IsYearEndBest {
			t.Errorf("empty count read as %+v", c)
		}
		if c := ds.NationalCounts[2]; c.Cumulative == nil || *c.Cumulative != 230 || c.AsOf.Precision != pdate.Month {
			t.Errorf("2024 count = %+v", c)
		}
	})

	t.Run("inhibitors", func(t *testing.T) {
		wantCodes := [][]string{{"35.05"}, {"32.71", "32.01"}, nil, nil}
		wantScope := []string{ScopeRegion, ScopeRegion, ScopeNational, ScopeUnresolved}
		for i, in := range ds.Inhibitors {
			if !slices.Equal(in.RegionCodes, wantCodes[i]) || in.Scope != wantScope[i] || in.ProvinceCodes != nil {
				t.Errorf("%q → %v %v %s, want %v no provinces %s", in.Where, in.RegionCodes, in.ProvinceCodes, in.Scope, wantCodes[i], wantScope[i])
			}
		}
	})

	t.Run("costs", func(t *testing.T) {
		if c := ds.Costs[0]; !slices.Equal(c.SourceIDs, []string{"S01"}) || c.Address != "" || c.Source != "S01" {
			t.Errorf("cost with a source id = %+v", c)
		}
		if c := ds.Costs[1]; c.SourceIDs != nil || c.Address != "https://example.org/cost" {
			t.Errorf("cost with an address = %+v", c)
		}
	})

	t.Run("region fiscal", func(t *testing.T) {
		want := []FiscalPeriod{{"pmk_65_2024", "PMK 65/2024", 2024}, {"pmk_97_2025", "PMK 97/2025", 2025}}
		if !slices.Equal(ds.FiscalPeriods, want) {
			t.Errorf("periods = %v, want %v", ds.FiscalPeriods, want)
		}
		var got []string
		for _, v := range ds.RegionFiscal {
			ratio := "nil"
			if v.Ratio != nil {
				ratio = strconv.FormatFloat(*v.Ratio, 'g', -1, 64)
			}
			got = append(got, v.RegionCode+" "+v.Period+" "+ratio+" "+string(v.Category)+" "+strings.Join(v.SourceIDs, ";"))
		}
		wantRows := []string{
			"32.01 pmk_65_2024 1.5 tinggi S01;S02", "32.01 pmk_97_2025 0.2 sedang S01;S02",
			"32.71 pmk_65_2024 0.8 rendah S01",
			"35.05 pmk_65_2024 0.5 sangat rendah S02", "35.05 pmk_97_2025 0.01 sangat rendah S02",
		}
		if !slices.Equal(got, wantRows) {
			t.Errorf("region fiscal =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
		}
		if ds.RegionFiscal[2].Note != "no 2025 value in the source" {
			t.Errorf("note = %q", ds.RegionFiscal[2].Note)
		}
	})

	t.Run("indicators", func(t *testing.T) {
		got := map[string]float64{}
		for _, v := range ds.IndicatorValues {
			got[v.IndicatorID+"|"+v.Period+"|"+v.RegionCode] = v.Value
		}
		for k, w := range map[string]float64{
			"population_dukcapil|2024|32.71":  1100000,
			"population_bps|2026|32.01":       5700000,
			"area_km2|2024|35.05":             1744.27,
			"pad_share_budget_pct|2024|35.05": 10,
			"other_revenue_actual|2023|32.01": -5000000,
			"revenue_total_budget|2024|32.01": 9500000000000,
		} {
			if g, ok := got[k]; !ok || g != w {
				t.Errorf("%s = %v (present %v), want %v", k, g, ok, w)
			}
		}
		for _, k := range []string{"population_bps|2026|32.71", "other_revenue_actual|2024|32.01"} {
			if v, ok := got[k]; ok {
				t.Errorf("%s = %v: an empty cell must give no value", k, v)
			}
		}
		// 2 + 1 + 1 rows × apbd columns, minus one empty, no duplicates from the 2024 file.
		apbd := 0
		for _, v := range ds.IndicatorValues {
			if _, ok := apbdCatalogue[v.IndicatorID]; ok {
				apbd++
			}
		}
		if apbd != 3*4-1 {
			t.Errorf("APBD values = %d, want 11 (the 2024 file must not duplicate)", apbd)
		}
		var ids []string
		for _, d := range ds.Indicators {
			ids = append(ids, d.ID)
			if d.LabelID == "" || d.LabelEN == "" || d.Unit == "" || d.Dataset == "" {
				t.Errorf("indicator %+v lacks a label, unit or dataset", d)
			}
		}
		for _, id := range []string{"population_dukcapil", "population_bps", "area_km2", "ipm", "poverty_pct"} {
			if !slices.Contains(ids, id) {
				t.Errorf("no indicator %s in %v", id, ids)
			}
		}
	})

	t.Run("provenance", func(t *testing.T) {
		fi, ok := ds.File("codes/kabkota.csv")
		if !ok || fi.Title != "Synthetic kab/kota" || fi.Attribution != "© Test" || len(fi.SHA256) != 64 || !fi.Required {
			t.Errorf("kabkota provenance = %+v", fi)
		}
		if _, ok := ds.File("mpp/extra_table_from_a_newer_release.csv"); ok {
			t.Error("an unknown file was read")
		}
		if fi, ok := ds.File("fiscal/apbd_kabkota_2024.csv"); !ok || fi.SHA256 == "" {
			t.Error("apbd_kabkota_2024.csv provenance not recorded")
		}
	})
}

// TestLoadBadFixtures derives each bad case from the valid folder and checks that every
// expected problem is reported with its exact file, line and field, and nothing else.
func TestLoadBadFixtures(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(t *testing.T, dir string)
		want   []want
	}{
		{
			name: "invalid UTF-8 in a CSV cell",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/inhibitors.csv", "Budget cut,Kab Blitar", "Budget cut,Kab Bl\xff\xfeitar")
			},
			want: []want{{"mpp/inhibitors.csv", 2, "", "not valid UTF-8 (first bad byte at character 25)"}},
		},
		{
			name: "invalid UTF-8 in a GeoJSON name",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "boundaries/kabkota.geojson", `"name":"Kabupaten Blitar"`, "\"name\":\"Kabupaten \xff\xfeBlitar\"")
			},
			// Line 0: a GeoJSON problem's Line is a feature index; the text line is in the message.
			want: []want{{"boundaries/kabkota.geojson", 0, "", "line 4: not valid UTF-8"}},
		},
		{
			name: "missing column",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/targets.csv", "target_id,set_by,", "target_id,setter,")
			},
			want: []want{{"mpp/targets.csv", 1, "set_by", `missing required column "set_by"`}},
		},
		{
			name: "unknown region code",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_digital_regions.csv", "32.71,Kota Bogor", "32.99,Kota Bogor")
			},
			want: []want{{"mpp/mpp_digital_regions.csv", 2, "code", `unknown kab/kota code "32.99"`}},
		},
		{
			name: "malformed region code",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_provinsi_partial.csv", ",35.05,", ",3505,")
			},
			want: []want{{"fiscal/kapasitas_fiskal_provinsi_partial.csv", 3, "region_code", "not a kab/kota code"}},
		},
		{
			name: "unknown region code in status: the region also lacks its row",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_status_by_region.csv", "35.05,35,", "35.99,35,")
			},
			want: []want{
				{"mpp/mpp_status_by_region.csv", 5, "code", `unknown kab/kota code "35.99"`},
				{"mpp/mpp_status_by_region.csv", 0, "code", "no status row for kab/kota 35.05"},
			},
		},
		{
			name: "duplicate code",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "codes/kabkota.csv", "35.05,Kabupaten Blitar,35,Jawa Timur,kabupaten\n",
					"35.05,Kabupaten Blitar,35,Jawa Timur,kabupaten\n35.05,Kota Blitar,35,Jawa Timur,kota\n")
			},
			want: []want{{"codes/kabkota.csv", 5, "code", `duplicate key "35.05" (first on line 4)`}},
		},
		{
			name: "duplicate source id",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/sources.csv", "S03,", "S02,")
			},
			// S03 is gone, so the rows citing it are problems too.
			want: []want{
				{"mpp/sources.csv", 4, "id", `duplicate key "S02"`},
				{"mpp/mpp_locations.csv", 3, "source_ids", `"S03" does not exist`},
				{"mpp/national_counts.csv", 3, "source_ids", `"S03" does not exist`},
				{"mpp/inhibitors.csv", 3, "source_ids", `"S03" does not exist`},
			},
		},
		{
			name: "bad date",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_status_by_region.csv", "no,2024-08-01,", "no,2024-13-01,")
			},
			want: []want{{"mpp/mpp_status_by_region.csv", 4, "status_as_of", `"2024-13-01"`}},
		},
		{
			name: "date precision inconsistent with the date",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_locations.csv", "2023-10-31,day", "2024-08,day")
			},
			want: []want{{"mpp/mpp_locations.csv", 2, "date_precision", `"day" does not match inaugurated_on "2024-08"`}},
		},
		{
			name: "sourced status without as-of date",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_status_by_region.csv", "no,2024-08-01,", "no,,")
			},
			want: []want{{"mpp/mpp_status_by_region.csv", 4, "status_as_of", "empty"}},
		},
		{
			name: "status outside the enum",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_status_by_region.csv", "Kota Bogor,no,", "Kota Bogor,maybe,")
			},
			want: []want{{"mpp/mpp_status_by_region.csv", 4, "mpp_status", `"maybe" is not one of yes, in_progress, no, unknown`}},
		},
		{
			name: "unknown status claims a source",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_status_by_region.csv", "no_source_found,,", "no_source_found,S03,")
			},
			want: []want{{"mpp/mpp_status_by_region.csv", 5, "source_ids", "status unknown means no source"}},
		},
		{
			name: "sourced status without sources",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_status_by_region.csv", "named_as_without_MPP,S02,", "named_as_without_MPP,,")
			},
			want: []want{{"mpp/mpp_status_by_region.csv", 4, "source_ids", "status no needs at least one source id"}},
		},
		{
			name: "source id that does not exist",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/national_counts.csv", "stated,yes,508 kab/kota,S02,", "stated,yes,508 kab/kota,S02;S99,")
			},
			want: []want{{"mpp/national_counts.csv", 4, "source_ids", `source id "S99" does not exist in mpp/sources.csv`}},
		},
		{
			name: "negative count",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "demography/population_dukcapil_2024.csv", "1100000,555000", "-1100000,555000")
			},
			want: []want{{"demography/population_dukcapil_2024.csv", 3, "population", "not a count"}},
		},
		{
			name: "two year-end best values",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/national_counts.csv", "derived,no,", "derived,yes,")
			},
			want: []want{{"mpp/national_counts.csv", 3, "is_year_end_best", "already has its best value on line 2"}},
		},
		{
			name: "feature outside Indonesia",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "boundaries/kabkota.geojson", "[112.3,-8.0]", "[150.3,-8.0]")
			},
			want: []want{{"boundaries/kabkota.geojson", 3, "geometry.coordinates", "feature 3 (code 35.05): polygon 1 ring 1: coordinate [150.3, -8] outside Indonesia"}},
		},
		{
			name: "ring not closed and too short",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "boundaries/kabkota.geojson", "[106.75,-6.57],[106.75,-6.62]]]]", "[106.75,-6.57],[106.76,-6.62]]]]")
				replace(t, dir, "boundaries/kabkota.geojson", "[[[112.4,-8.4],[112.5,-8.4],[112.5,-8.3],[112.4,-8.3],", "[[[112.4,-8.4],[112.5,-8.4],")
			},
			want: []want{
				{"boundaries/kabkota.geojson", 2, "geometry.coordinates", "feature 2 (code 32.71): polygon 1 ring 1 is not closed"},
				{"boundaries/kabkota.geojson", 3, "geometry.coordinates", "polygon 2 ring 1 has 3 positions, want at least 4"},
			},
		},
		{
			name: "wrong geometry type and missing feature",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "boundaries/kabkota.geojson", `"type":"Polygon","coordinates":[[[106.7,-6.7]`, `"type":"LineString","coordinates":[[[106.7,-6.7]`)
				replace(t, dir, "boundaries/kabkota.geojson", `"code":"32.71"`, `"code":"32.01"`)
			},
			want: []want{
				{"boundaries/kabkota.geojson", 1, "geometry.type", `"LineString", want Polygon or MultiPolygon`},
				{"boundaries/kabkota.geojson", 2, "properties.code", "code 32.01 appears again (first in feature 1)"},
				{"boundaries/kabkota.geojson", 0, "properties.code", "no feature for kab/kota 32.71"},
			},
		},
		{
			name: "truncated CSV mid-row",
			mutate: func(t *testing.T, dir string) {
				truncate(t, dir, "mpp/targets.csv", ",missed,S01")
			},
			want: []want{{"mpp/targets.csv", 2, "", "row has 6 fields, header has 8"}},
		},
		{
			name: "truncated CSV inside a quoted field",
			mutate: func(t *testing.T, dir string) {
				truncate(t, dir, "mpp/sources.csv", ` with a comma"`)
			},
			want: []want{{"mpp/sources.csv", 2, "", `extraneous or missing " in quoted-field`}},
		},
		{
			name: "bare quote",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_digital.csv", "21 kab/kota", `21 "kab/kota`)
			},
			want: []want{{"mpp/mpp_digital.csv", 2, "", `bare " in non-quoted-field`}},
		},
		{
			name: "truncated GeoJSON",
			mutate: func(t *testing.T, dir string) {
				truncate(t, dir, "boundaries/kabkota.geojson", `{"type":"Feature","properties":{"code":"35.05"`)
			},
			want: []want{{"boundaries/kabkota.geojson", 0, "", "file truncated?"}},
		},
		{
			name: "fiscal category outside the five",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", "1.5,tinggi", "1.5,tinggih")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 2, "category_pmk65_2024", `"tinggih" is not one of sangat rendah, rendah, sedang, tinggi, sangat tinggi`}},
		},
		{
			name: "negative fiscal ratio",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", "0.8,rendah", "-0.8,rendah")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 3, "rkfd_pmk65_2024", `"-0.8": want a non-negative ratio`}},
		},
		{
			name: "fiscal ratio that is not a number",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", "0.8,rendah", "NaN,rendah")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 3, "rkfd_pmk65_2024", `"NaN" is not a number`}},
		},
		{
			name: "fiscal ratio column without its category column",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", ",category_pmk97_2025,", ",kategori_pmk97_2025,")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 1, "rkfd_pmk97_2025", `ratio column without its category column "category_pmk97_2025"`}},
		},
		{
			name: "fiscal category column without its ratio column",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", ",rkfd_pmk65_2024,", ",rasio_pmk65_2024,")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 1, "category_pmk65_2024", `category column without its ratio column "rkfd_pmk65_2024"`}},
		},
		{
			name: "fiscal row for an unknown kab/kota",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", "35.05,Kabupaten Blitar,35", "35.99,Kabupaten Blitar,35")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 4, "code", `unknown kab/kota code "35.99"`}},
		},
		{
			name: "fiscal row given twice",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", "32.71,Kota Bogor,32", "32.01,Kota Bogor,32")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 3, "code", `duplicate key "32.01" (first on line 2)`}},
		},
		{
			name: "fiscal row citing a source that does not exist",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", ",S01,no 2025", ",S09,no 2025")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 3, "source_ids", `source id "S09" does not exist in mpp/sources.csv`}},
		},
		{
			name: "fiscal row in the wrong province",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "fiscal/kapasitas_fiskal_kabkota_partial.csv", "35.05,Kabupaten Blitar,35,Jawa Timur", "35.05,Kabupaten Blitar,32,Jawa Timur")
			},
			want: []want{{"fiscal/kapasitas_fiskal_kabkota_partial.csv", 4, "province_code", `"32" but 35.05 is in province 35`}},
		},
		{
			name: "cost cited neither by source ids nor by an address",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_costs.csv", ",https://example.org/cost", ",example.org/cost")
			},
			want: []want{{"mpp/mpp_costs.csv", 3, "source_ids_or_address", `"example.org/cost" is neither a list of source ids`}},
		},
		{
			name: "cost citing a source that does not exist",
			mutate: func(t *testing.T, dir string) {
				replace(t, dir, "mpp/mpp_costs.csv", "cancelled,2024,S01", "cancelled,2024,S01;S08")
			},
			want: []want{{"mpp/mpp_costs.csv", 2, "source_ids_or_address", `source id "S08" does not exist`}},
		},
		{
			name: "missing required file",
			mutate: func(t *testing.T, dir string) {
				remove(t, dir, "mpp/sources.csv")
			},
			want: []want{{"mpp/sources.csv", 0, "", "required file is missing"}},
		},
		{
			name: "several problems in one folder are all reported",
			mutate: func(t *testing.T, dir string) {
				remove(t, dir, "mpp/mpp_status_by_region.csv")
				replace(t, dir, "codes/kabkota.csv", "32.71,Kota Bogor,32,Jawa Barat,kota", "32.71,Kota Bogor,32,Jawa Barat,city")
				replace(t, dir, "mpp/mpp_locations.csv", "2023-10-31,day", "31/10/2023,day")
				replace(t, dir, "mpp/targets.csv", "T02,", "T01,")
				replace(t, dir, "demography/poverty_bps_2024.csv", "Kota Bogor,6.8", "Kota Bogor,680")
				replace(t, dir, "boundaries/provinces.geojson", "[114.0,-7.0]", "[114.0,17.0]")
			},
			want: []want{
				{"codes/kabkota.csv", 3, "kind", `"city" is not one of kabupaten, kota`},
				{"boundaries/provinces.geojson", 2, "geometry.coordinates", "outside Indonesia"},
				{"mpp/mpp_status_by_region.csv", 0, "", "required file is missing"},
				{"mpp/mpp_locations.csv", 2, "inaugurated_on", `"31/10/2023"`},
				{"mpp/targets.csv", 3, "target_id", `duplicate key "T01"`},
				{"demography/poverty_bps_2024.csv", 3, "poverty_pct", "between 0 and 100"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixture(t)
			tc.mutate(t, dir)
			ds, err := Load(dir)
			if ds == nil {
				t.Fatal("Load returned a nil Dataset")
			}
			got := problemsOf(t, err)
			if len(got) != len(tc.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(got), len(tc.want), got.Error())
			}
			for _, w := range tc.want {
				found := false
				for _, p := range got {
					if p.File == w.file && p.Line == w.line && p.Field == w.field && strings.Contains(p.Message, w.msg) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("missing problem %s:%d: %s: …%s…\ngot:\n%v", w.file, w.line, w.field, w.msg, got.Error())
				}
			}
		})
	}
}

func TestLoadOptionalFilesAbsent(t *testing.T) {
	dir := fixture(t)
	for _, rel := range []string{"mpp/targets.csv", "boundaries/provinces.geojson", "demography/ipm_bps_2024.csv",
		"fiscal/apbd_kabkota.csv", "fiscal/kapasitas_fiskal_kabkota_partial.csv", "datasets.csv"} {
		remove(t, dir, rel)
	}
	ds, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	wantAbsent := []string{"boundaries/provinces.geojson", "datasets.csv", "demography/ipm_bps_2024.csv", "fiscal/apbd_kabkota.csv",
		"fiscal/kapasitas_fiskal_kabkota_partial.csv", "mpp/targets.csv"}
	if !slices.Equal(ds.Absent, wantAbsent) {
		t.Errorf("Absent = %v, want %v", ds.Absent, wantAbsent)
	}
	if len(ds.Targets) != 0 || ds.Provinces[0].Geom != nil || ds.RegionFiscal != nil || ds.FiscalPeriods != nil {
		t.Error("absent files produced data")
	}
	for _, d := range ds.Indicators {
		if d.ID == "ipm" {
			t.Error("ipm defined without its file")
		}
		// Without the multi-year APBD file, the 2024 file is the source of 2024.
		if d.ID == "pad_budget" && d.Dataset != "fiscal/apbd_kabkota_2024.csv" {
			t.Errorf("pad_budget dataset = %s", d.Dataset)
		}
	}
	n := 0
	for _, v := range ds.IndicatorValues {
		if v.IndicatorID == "pad_budget" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("pad_budget values = %d, want 2 from the 2024 file", n)
	}

	// An empty optional table is present, not absent.
	dir = fixture(t)
	if err := os.WriteFile(filepath.Join(dir, "mpp", "targets.csv"), []byte("target_id,set_by,stated_on,target_year,target,scope,outcome_note,source_ids\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err = Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if _, ok := ds.File("mpp/targets.csv"); !ok || slices.Contains(ds.Absent, "mpp/targets.csv") || len(ds.Targets) != 0 {
		t.Errorf("empty targets.csv: Absent=%v Targets=%d", ds.Absent, len(ds.Targets))
	}
}

func TestLoadWarnings(t *testing.T) {
	dir := fixture(t)
	replace(t, dir, "mpp/mpp_status_by_region.csv", "32,Jawa Barat,Kota Bogor,no", "32,Jawa Barat,Kotamadya Bogor,no")
	replace(t, dir, "mpp/inhibitors.csv", "Kab Blitar", "Kab Atlantis")
	replace(t, dir, "mpp/mpp_status_by_province.csv", "35,Jawa Timur,1,0,0,0,1,", "35,Jawa Timur,1,1,0,0,0,")
	replace(t, dir, "fiscal/apbd_kabkota_2024.csv", "2500000000000,250000000000,10", "2500000000000,250000000001,10")
	if err := os.WriteFile(filepath.Join(dir, "demography", "literacy_bps_2025.csv"), []byte("code,name,literacy_pct\n32.01,Kabupaten Bogor,97.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	wants := []want{
		{"mpp/mpp_status_by_region.csv", 4, "name", `"Kotamadya Bogor" differs from "Kota Bogor"`},
		{"mpp/inhibitors.csv", 2, "where", "Kab Atlantis: matches no kab/kota"},
		{"fiscal/apbd_kabkota_2024.csv", 3, "pad_budget", "differs from 2.5e+11 in fiscal/apbd_kabkota.csv line 4"},
		{"demography/literacy_bps_2025.csv", 1, "literacy_pct", `indicator "literacy_bps_literacy_pct"`},
		{"mpp/mpp_status_by_province.csv", 3, "yes", "1, but mpp/mpp_status_by_region.csv has 0 yes rows in province 35"},
		{"mpp/mpp_status_by_province.csv", 3, "unknown", "0, but mpp/mpp_status_by_region.csv has 1 unknown rows"},
	}
	if len(ds.Warnings) != len(wants) {
		t.Errorf("got %d warnings, want %d:\n%v", len(ds.Warnings), len(wants), ds.Warnings.Error())
	}
	for _, w := range wants {
		if !slices.ContainsFunc(ds.Warnings, func(p Problem) bool {
			return p.File == w.file && p.Line == w.line && p.Field == w.field && strings.Contains(p.Message, w.msg)
		}) {
			t.Errorf("missing warning %s:%d: %s: …%s…\ngot:\n%v", w.file, w.line, w.field, w.msg, ds.Warnings.Error())
		}
	}
	if !slices.ContainsFunc(ds.IndicatorValues, func(v IndicatorValue) bool {
		return v.IndicatorID == "literacy_bps_literacy_pct" && v.Period == "2025" && v.Value == 97.5
	}) {
		t.Error("the new demography file gave no value")
	}
}

func TestResolvePlaces(t *testing.T) {
	ix := newNameIndex([]Region{
		{Code: "32.01", Name: "Kabupaten Bogor"}, {Code: "32.71", Name: "Kota Bogor"},
		{Code: "15.71", Name: "Kota Jambi"}, {Code: "15.06", Name: "Kabupaten Tanjung Jabung Barat"},
		{Code: "74.72", Name: "Kota Bau Bau"}, {Code: "31.01", Name: "Kabupaten Administrasi Kepulauan Seribu"},
		{Code: "71.09", Name: "Kabupaten Kepulauan Siau Tagulandang Biaro"},
		// A name repeated across provinces (not in the real list, but possible).
		{Code: "11.01", Name: "Kabupaten Samesame"}, {Code: "12.01", Name: "Kabupaten Samesame"},
	})
	tests := []struct {
		name, where string
		codes       []string
		unresolved  int
	}{
		{"kab abbreviation", "Kab Bogor", []string{"32.01"}, 0},
		{"kota is not kabupaten", "Kota Bogor", []string{"32.71"}, 0},
		{"two places", "Kota Jambi; Kab Tanjung Jabung Barat", []string{"15.71", "15.06"}, 0},
		{"spelling variant", "Kota Baubau", []string{"74.72"}, 0},
		{"Kep. abbreviation", "Kab. Kep. Siau Tagulandang Biaro", []string{"71.09"}, 0},
		{"administrasi", "Kabupaten Kepulauan Seribu (DKI)", []string{"31.01"}, 0},
		{"national", "national (Wapres)", nil, 0},
		{"province", "NTT (Ombudsman)", nil, 0},
		{"count of kabupaten", "8 kabupaten", nil, 0},
		{"bare name is not resolved", "Bogor", nil, 0},
		{"ambiguous across provinces", "Kab Samesame", nil, 1},
		{"no such place", "Kota Atlantis", nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			codes, unresolved := ix.resolvePlaces(tc.where)
			if !slices.Equal(codes, tc.codes) || len(unresolved) != tc.unresolved {
				t.Errorf("resolvePlaces(%q) = %v, %v; want %v, %d unresolved", tc.where, codes, unresolved, tc.codes, tc.unresolved)
			}
		})
	}
}

func TestLoadNoFolder(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope"))
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].File != "." {
		t.Errorf("got %v", ps)
	}
}

func ExampleProblems_Error() {
	ps := Problems{
		{File: "mpp/mpp_status_by_region.csv", Line: 4, Field: "mpp_status", Message: `"maybe" is not one of yes, in_progress, no, unknown`},
		{File: "mpp/sources.csv", Message: "required file is missing"},
	}
	println := func(s string) { os.Stdout.WriteString(s + "\n") }
	println(ps.Error())
	// Output:
	// mpp/mpp_status_by_region.csv:4: mpp_status: "maybe" is not one of yes, in_progress, no, unknown
	// mpp/sources.csv: required file is missing
}
