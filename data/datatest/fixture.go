package datatest

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Fixture returns a tiny valid reference folder as path → content: two provinces and three
// square regions side by side (Kepulauan Seribu, Kabupaten Bogor, Kota Bogor), two sources and
// one status per region — one of each kind of evidence a test needs — plus one inhibitor of
// each scope, a cost cited by id and one by address, and PMK fiscal capacity for two periods
// with one region missing a period (values invented). Tests derive bad folders from it by
// replacing single files (see WriteFolder).
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
		"mpp/inhibitors.csv": "factor_category,finding,where,date,source_ids\n" +
			"budget,Budget cut,Kota Bogor,2024-07-31,S01\n" +
			"budget,Regions lack money,Jabar (Ombudsman),2022-07,S02\n" +
			"leadership,Successor drops the plan,national (Wapres),2021,S01\n" +
			"budget,Refocusing in several regions,8 kabupaten,2020,\n",
		"mpp/mpp_costs.csv": "region,code,amount,what,year,source_ids_or_address\n" +
			"Kota Bogor,32.71,Rp5 bn,building,2024,S01;S02\n" +
			"Kab Bogor,32.01,Rp3 bn,fit-out,2023,https://example.org/cost\n",
		"fiscal/kapasitas_fiskal_kabkota_partial.csv": "code,name,province_code,province,rkfd_pmk65_2024,category_pmk65_2024," +
			"rkfd_pmk97_2025,category_pmk97_2025,source_code,source_name,match,source_ids,note\n" +
			"31.01,Kabupaten Administrasi Kepulauan Seribu,31,DKI Jakarta,1.7,sangat tinggi,0.4,sangat tinggi,3101,Kep. Seribu,name within province,S01,\n" +
			"32.01,Kabupaten Bogor,32,Jawa Barat,1.2,sedang,0.05,rendah,3201,Kab. Bogor,name within province,S01;S02,\n" +
			"32.71,Kota Bogor,32,Jawa Barat,0.8,rendah,,,3271,Kota Bogor,name within province,S02,no 2025 value\n",
		"mpp/mpp_digital_regions.csv": "code,name,model,as_of,source_ids,notes\n" +
			"32.01,Kabupaten Bogor,own MPP Digital app,,S02,date not given\n" +
			"32.71,Kota Bogor,MPP Digital Nasional (pilot),2023-06-20,S01,pilot\n",
		"mpp/mpp_digital.csv": "date,metric,value,source_ids\n" +
			"2023-06-20,pilot_count,21 kab/kota,S01\n" +
			"2023-06 / 2025-09,policy,shared app,S02\n",
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
