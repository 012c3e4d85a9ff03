package refdata

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// realData returns the reference data folder: MPPMAP_DATA, else ../shared/data beside the
// repository. The real data is required: its absence fails the test rather than skipping it.
func realData(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("MPPMAP_DATA"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	d := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(d, "codes", "kabkota.csv")); err != nil {
		tb.Fatalf("reference data not found at %s (set MPPMAP_DATA): %v", d, err)
	}
	return d
}

// dataLines returns the non-empty lines of a CSV file after its header. Good enough for the
// files counted here, whose quoted fields never span lines.
func dataLines(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		if !first && strings.TrimSpace(sc.Text()) != "" {
			out = append(out, strings.Split(sc.Text(), ","))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// statusSHA256 is the sha256 of mpp/mpp_status_by_region.csv in the release whose counts the
// mpp README states (update of 2026-11-28); the stated counts are checked only for that file.
const statusSHA256 = "604478e715ab"

func TestLoadRealData(t *testing.T) {
	dir := realData(t)
	ds, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(%s): %d problems:\n%v", dir, len(problemsOf(t, err)), err)
	}
	for _, w := range ds.Warnings {
		t.Logf("warning: %v", w)
	}

	// Expectations from a reading of the files that shares no code with Load.
	provinces := dataLines(t, filepath.Join(dir, "codes", "provinces.csv"))
	regions := dataLines(t, filepath.Join(dir, "codes", "kabkota.csv"))
	geo, err := os.ReadFile(filepath.Join(dir, "boundaries", "kabkota.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	features := bytes.Count(geo, []byte(`"type":"Feature"`))
	statusCounts := map[string]int{}
	for _, f := range dataLines(t, filepath.Join(dir, "mpp", "mpp_status_by_region.csv")) {
		if len(f) > 4 && strings.Count(f[0], ".") == 1 { // skip continuation lines of quoted notes
			statusCounts[f[4]]++
		}
	}

	withGeom := 0
	for _, r := range ds.Regions {
		if len(r.Geom) > 0 {
			withGeom++
		}
	}
	gotStatus := map[Status]int{}
	for _, s := range ds.Statuses {
		gotStatus[s.Status]++
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"provinces", len(ds.Provinces), len(provinces)},
		{"regions", len(ds.Regions), len(regions)},
		{"features", withGeom, features},
		{"status rows", len(ds.Statuses), len(regions)},
		{"yes", gotStatus[StatusYes], statusCounts["yes"]},
		{"no", gotStatus[StatusNo], statusCounts["no"]},
		{"in_progress", gotStatus[StatusInProgress], statusCounts["in_progress"]},
		{"unknown", gotStatus[StatusUnknown], statusCounts["unknown"]},
	}
	if fi, _ := ds.File(FileStatus); strings.HasPrefix(fi.SHA256, statusSHA256) {
		// The release the READMEs describe: 38 provinces, 514 kab/kota and features,
		// 311 yes / 60 no / 15 in_progress / 128 unknown.
		checks = append(checks, []struct {
			name      string
			got, want int
		}{
			{"README provinces", len(ds.Provinces), 38},
			{"README regions", len(ds.Regions), 514},
			{"README features", withGeom, 514},
			{"README yes", gotStatus[StatusYes], 311},
			{"README no", gotStatus[StatusNo], 60},
			{"README in_progress", gotStatus[StatusInProgress], 15},
			{"README unknown", gotStatus[StatusUnknown], 128},
		}...)
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, c.got, c.want)
		}
	}

	t.Run("DKI provincial MPP", func(t *testing.T) {
		n := 0
		for _, s := range ds.Sites {
			if s.RegionCode == "" {
				n++
				if s.ProvinceCode != "31" {
					t.Errorf("province-level site in %s", s.ProvinceCode)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d province-level sites, want 1", n)
		}
	})

	t.Run("inhibitors resolve", func(t *testing.T) {
		for _, in := range ds.Inhibitors {
			if strings.HasPrefix(in.Where, "Kab ") || strings.HasPrefix(in.Where, "Kota ") {
				if want := strings.Count(in.Where, ";") + 1; len(in.RegionCodes) != want {
					t.Errorf("%q → %v, want %d codes", in.Where, in.RegionCodes, want)
				}
			} else if len(in.RegionCodes) != 0 {
				t.Errorf("%q → %v, want none", in.Where, in.RegionCodes)
			}
		}
	})

	t.Run("inhibitor scope", func(t *testing.T) {
		scopes := map[string]int{}
		ntt := false
		for _, in := range ds.Inhibitors {
			scopes[in.Scope]++
			switch {
			case in.Where == "NTT (Ombudsman)":
				ntt = true
				if in.Scope != ScopeProvince || !reflect.DeepEqual(in.ProvinceCodes, []string{"53"}) {
					t.Errorf("%q → %s %v, want province [53]", in.Where, in.Scope, in.ProvinceCodes)
				}
			case strings.HasPrefix(strings.ToLower(in.Where), "national"):
				if in.Scope != ScopeNational {
					t.Errorf("%q → %s, want national", in.Where, in.Scope)
				}
			case len(in.RegionCodes) > 0:
				if in.Scope != ScopeRegion {
					t.Errorf("%q → %s, want region", in.Where, in.Scope)
				}
			}
		}
		if !ntt {
			t.Error("no inhibitor for NTT (Ombudsman)")
		}
		t.Logf("inhibitor scopes: %v", scopes)
	})

	t.Run("costs cite sources or addresses", func(t *testing.T) {
		for _, c := range ds.Costs {
			if (len(c.SourceIDs) == 0) == (c.Address == "") {
				t.Errorf("cost %s %q: source ids %v, address %q: want exactly one", c.RegionCode, c.Source, c.SourceIDs, c.Address)
			}
		}
	})

	t.Run("region fiscal", func(t *testing.T) { checkRegionFiscal(t, dir, ds) })

	t.Run("indicators", func(t *testing.T) {
		per := map[string]int{}
		for _, v := range ds.IndicatorValues {
			per[v.IndicatorID+" "+v.Period]++
		}
		for _, k := range []string{"population_dukcapil 2024", "population_bps 2026", "area_km2 2024", "ipm 2024", "poverty_pct 2024"} {
			if per[k] != len(regions) {
				t.Errorf("%s: %d values, want %d", k, per[k], len(regions))
			}
		}
		// APBD 2024 exists for 482 kab/kota (the 2024 file's rows): no more, no fewer.
		if want := len(dataLines(t, filepath.Join(dir, "fiscal", "apbd_kabkota_2024.csv"))); per["pad_budget 2024"] != want {
			t.Errorf("pad_budget 2024: %d values, want %d", per["pad_budget 2024"], want)
		}
	})

	t.Run("provenance", func(t *testing.T) {
		fi, ok := ds.File(FileKabkotaGeoJSON)
		if !ok || !strings.Contains(fi.Attribution, "Cahya DSN") || len(fi.SHA256) != 64 {
			t.Errorf("boundaries provenance = %+v", fi)
		}
	})
}

// regionFiscalSHA256 is the sha256 prefix of fiscal/kapasitas_fiskal_kabkota_partial.csv in the
// release fiscal/README.md describes (second update of 2026-11-28); the facts it states are
// checked only for that file, the counts derived from the CSV for any.
const regionFiscalSHA256 = "cfdfce86c07e"

// checkRegionFiscal compares the loaded PMK values with a reading of the CSV by encoding/csv
// that shares no code with Load.
func checkRegionFiscal(t *testing.T, dir string, ds *Dataset) {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(FileRegionFiscal)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	rows := recs[1:]
	// Periods from the header by plain string work: rkfd_pmk65_2024 → pmk_65_2024.
	type periodCols struct{ id, ratio, cat string }
	var periods []periodCols
	wantIDs := map[string]bool{}
	for _, h := range recs[0] {
		if rest, ok := strings.CutPrefix(h, "rkfd_pmk"); ok {
			p := periodCols{"pmk_" + rest, h, "category_pmk" + rest}
			periods = append(periods, p)
			wantIDs[p.id] = true
		}
	}
	wantCats := map[string]map[FiscalCategory]int{}
	wantValues := 0
	for _, p := range periods {
		wantCats[p.id] = map[FiscalCategory]int{}
		for _, r := range rows {
			if r[col[p.ratio]] != "" || r[col[p.cat]] != "" {
				wantValues++
			}
			if c := r[col[p.cat]]; c != "" {
				wantCats[p.id][FiscalCategory(c)]++
			}
		}
	}

	gotCats := map[string]map[FiscalCategory]int{}
	codes := map[string]bool{}
	byKey := map[string]RegionFiscal{}
	for _, v := range ds.RegionFiscal {
		codes[v.RegionCode] = true
		byKey[v.RegionCode+" "+v.Period] = v
		if gotCats[v.Period] == nil {
			gotCats[v.Period] = map[FiscalCategory]int{}
		}
		if v.Category != "" {
			gotCats[v.Period][v.Category]++
		}
	}
	var ids []string
	gotIDs := map[string]bool{}
	for _, p := range ds.FiscalPeriods {
		ids = append(ids, p.ID)
		gotIDs[p.ID] = true
	}
	if !reflect.DeepEqual(gotIDs, wantIDs) {
		t.Errorf("periods %v, the header has %v", ids, wantIDs)
	}
	if len(codes) != len(rows) {
		t.Errorf("%d kab/kota with a value, the file has %d rows", len(codes), len(rows))
	}
	if len(ds.RegionFiscal) != wantValues {
		t.Errorf("%d values, the file has %d non-empty period cells", len(ds.RegionFiscal), wantValues)
	}
	if !reflect.DeepEqual(gotCats, wantCats) {
		t.Errorf("categories per period = %v, the file has %v", gotCats, wantCats)
	}
	t.Logf("region fiscal: %d rows, %d values; categories %v", len(rows), len(ds.RegionFiscal), gotCats)

	if fi, _ := ds.File(FileRegionFiscal); !strings.HasPrefix(fi.SHA256, regionFiscalSHA256) {
		t.Logf("%s is not the release fiscal/README.md describes: its stated facts are not checked", FileRegionFiscal)
		return
	}
	// What fiscal/README.md states of this release.
	if want := []string{"pmk_65_2024", "pmk_97_2025"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("periods %v, README says %v (oldest first)", ids, want)
	}
	if len(codes) != 175 {
		t.Errorf("%d kab/kota, README says 175", len(codes))
	}
	sulsel := 0
	for code := range codes {
		if strings.HasPrefix(code, "73.") {
			sulsel++
			if v, ok := byKey[code+" pmk_97_2025"]; ok {
				t.Errorf("Sulawesi Selatan %s has a PMK 97/2025 value %+v; README says none", code, v)
			}
		}
	}
	if sulsel != 24 {
		t.Errorf("%d Sulawesi Selatan kab/kota, README says 24", sulsel)
	}
	if _, ok := codes["75.01"]; ok {
		t.Error("Kabupaten Gorontalo 75.01 has values; README says it is missing")
	}
	m, ok := byKey["52.71 pmk_65_2024"]
	if !ok || m.Ratio == nil || *m.Ratio != 1.544 || m.Category != FiscalHigh || m.Note == "" {
		t.Errorf("Kota Mataram PMK 65/2024 = %+v, want 1.544 tinggi with a note", m)
	}
}

func TestLoadRealDataDeterministic(t *testing.T) {
	dir := realData(t)
	a, errA := Load(dir)
	b, errB := Load(dir)
	if (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
		t.Fatalf("errors differ: %v / %v", errA, errB)
	}
	if len(a.Files) == 0 || !reflect.DeepEqual(a.Files, b.Files) {
		t.Errorf("file provenance (sha256) differs between two loads")
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two loads of the same folder differ")
	}
}

func BenchmarkLoad(b *testing.B) {
	dir := realData(b)
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
