package datatest

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Fixture returns a tiny valid reference folder as path → content: two provinces and three
// square regions side by side (Kepulauan Seribu, Kabupaten Bogor, Kota Bogor), two sources and
// one status per region — one of each kind of evidence a test needs. Tests derive bad folders
// from it by replacing single files (see WriteFolder).
func Fixture() map[string]string {
	return map[string]string{
		"codes/provinces.csv": "code,name,kabupaten_count,kota_count\n31,DKI Jakarta,1,0\n32,Jawa Barat,1,1\n",
		"codes/kabkota.csv": "code,name,province_code,province_name,kind\n" +
			"31.01,Kabupaten Administrasi Kepulauan Seribu,31,DKI Jakarta,kabupaten\n" +
			"32.01,Kabupaten Bogor,32,Jawa Barat,kabupaten\n" +
			"32.71,Kota Bogor,32,Jawa Barat,kota\n",
		"boundaries/kabkota.geojson": `{"type":"FeatureCollection","features":[` +
			square("31.01", "Kabupaten Administrasi Kepulauan Seribu", "31", "DKI Jakarta", "kabupaten", 106.0) + "," +
			square("32.01", "Kabupaten Bogor", "32", "Jawa Barat", "kabupaten", 106.5) + "," +
			square("32.71", "Kota Bogor", "32", "Jawa Barat", "kota", 107.0) + "]}",
		"mpp/sources.csv": "id,address,description,date,date_note\n" +
			"S01,https://example.org/a,Release A,2024-06-24,\n" +
			"S02,https://example.org/b,Release B,2023-07,\n",
		"mpp/mpp_status_by_region.csv": "code,province_code,province,name,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n" +
			"31.01,31,DKI Jakarta,Kabupaten Administrasi Kepulauan Seribu,yes,2017-10-12,2017-10-12,covered_by_provincial_MPP,,\n" +
			"32.01,32,Jawa Barat,Kabupaten Bogor,no,2024-06,,named_as_without_MPP,S01,\n" +
			"32.71,32,Jawa Barat,Kota Bogor,unknown,,,no_source_found,,\n",
	}
}

// square is a 0.5° square region feature with its west edge at x0, between 6.5° and 6° south.
func square(code, name, prov, provName, kind string, x0 float64) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	x1 := x0 + 0.5
	ring := "[[" + f(x0) + ",-6.5],[" + f(x1) + ",-6.5],[" + f(x1) + ",-6],[" + f(x0) + ",-6],[" + f(x0) + ",-6.5]]"
	return `{"type":"Feature","properties":{"code":"` + code + `","name":"` + name + `","province_code":"` + prov +
		`","province_name":"` + provName + `","kind":"` + kind + `"},"geometry":{"type":"Polygon","coordinates":[` + ring + `]}}`
}

// WriteFolder writes files, with override replacing single files (an empty string leaves a
// file out), into a new temporary folder and returns its path.
func WriteFolder(t testing.TB, files, override map[string]string) string {
	t.Helper()
	merged := map[string]string{}
	for k, v := range files {
		merged[k] = v
	}
	for k, v := range override {
		merged[k] = v
	}
	dir := t.TempDir()
	for rel, content := range merged {
		if content == "" {
			continue
		}
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
