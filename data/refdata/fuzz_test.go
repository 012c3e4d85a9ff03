package refdata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"mppmap/data/pdate"
)

// The fuzz targets put fuzzed bytes in place of one file of the valid fixture and run Load on
// the whole folder, so each reader is tried as the importer uses it: with the code lists and the
// sources it checks against. Seeds come from the fixture file itself and from f.Add below;
// testdata/fuzz/<Target>/ keeps hostile inputs and every regression found.

// fuzzFolder copies the valid fixture once into a temporary folder and returns a function that
// writes b as that folder's file rel and loads the folder. Copying the ~30 files costs ~20 ms
// (30 times a Load of the fixture), which would leave the fuzzer a few dozen inputs a second and
// its minimizer stuck on one input; one copy per target is safe because Load only reads and a
// fuzz worker runs its inputs one at a time (these targets never call t.Parallel), and every
// input rewrites the whole of rel.
func fuzzFolder(f *testing.F, rel string) func(t *testing.T, b []byte) (*Dataset, error) {
	f.Helper()
	dir := f.TempDir()
	if err := os.CopyFS(dir, os.DirFS(validFixture)); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(dir, filepath.FromSlash(rel))
	return func(t *testing.T, b []byte) (*Dataset, error) {
		t.Helper()
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return Load(dir)
	}
}

// fixtureFile is the bytes of rel in the valid fixture.
func fixtureFile(f *testing.F, rel string) []byte {
	f.Helper()
	b, err := os.ReadFile(filepath.Join(validFixture, filepath.FromSlash(rel)))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// checkProblems asserts what every failed Load of a folder whose only changed file is rel must
// give: Problems (not another error), at least one, each about rel (every other file is the valid
// fixture's) at a line 0 ≤ line ≤ maxLine, with a message; and that a file that is not UTF-8 is
// never accepted.
func checkProblems(t *testing.T, rel string, b []byte, err error, maxLine int) {
	t.Helper()
	if err == nil {
		if !utf8.Valid(b) {
			t.Fatalf("%s is not UTF-8 and was accepted", rel)
		}
		return
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error is %T, want Problems: %v", err, err)
	}
	if len(ps) == 0 {
		t.Fatal("Load failed with an empty Problems")
	}
	for _, p := range ps {
		if p.File != rel {
			t.Errorf("problem about %q, but only %s changed: %s", p.File, rel, p)
		}
		if p.Line < 0 || p.Line > maxLine {
			t.Errorf("problem at line %d, want 0..%d: %s", p.Line, maxLine, p)
		}
		if p.Message == "" {
			t.Errorf("problem without a message: %#v", p)
		}
	}
}

// csvLines is the number of lines a person counts in a CSV file (a final newline ends the last
// line; it does not start another).
func csvLines(b []byte) int {
	return bytes.Count(b, []byte("\n")) + 1
}

// checkSources asserts every id in ids is a source of ds.
func checkSources(t *testing.T, ds *Dataset, what string, ids []string) {
	t.Helper()
	for _, id := range ids {
		if !slices.ContainsFunc(ds.Sources, func(s Source) bool { return s.ID == id }) {
			t.Errorf("%s cites source %q, which is not in %s", what, id, FileSources)
		}
	}
}

// FuzzStatusCSV fuzzes mpp/mpp_status_by_region.csv, the one file every map colour comes from.
// Accepted, it must give exactly one valid status per kab/kota of the code list, each citing only
// sources that exist, sourced as the file's rules say (unknown cites none; every other status has
// an as-of date and cites a source unless covered by the provincial MPP).
func FuzzStatusCSV(f *testing.F) {
	valid := fixtureFile(f, FileStatus)
	f.Add(valid)
	const head = "code,province_code,province,name,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n"
	rest := "32.71,32,Jawa Barat,Kota Bogor,no,2024-08-01,,named_as_without_MPP,S02,\n35.05,35,Jawa Timur,Kabupaten Blitar,unknown,,,no_source_found,,\n"
	for _, row := range []string{
		"32.01,32,Jawa Barat,Kabupaten Bogor,yes,2024-08,<=2023-10-31,confirmed_named,S01;S02,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,yes,<=2024-02-29,,confirmed_named,S01,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,in_progress,2024,,stated,S01 ; S02,\"a \"\"quoted\"\" note\"\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,yes,2024-08,<=,confirmed_named,S01,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,yes,2024-08,<=<=2023,confirmed_named,S01,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,yes,0000-00-00,,confirmed_named,S01,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,yes,2023-02-29,,confirmed_named,S01,\n",
		"32.01,32,Jawa Barat,<b>Kabupaten Bogor</b>,yes,2024-08,,confirmed_named,S99999999999999999999,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,unknown,,,no_source_found,S01,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,YES,2024-08,,confirmed_named,S01,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,yes,2024-08,,covered_by_provincial_MPP,,\n",
		"32.01,32,Jawa Barat,Kabupatén Bógor 県,yes,NaN,,confirmed_named,S01,\n",
		"32.01,32,Jawa Barat,Kabupaten Bogor,yes,2024-08,,confirmed_named,\"S01\n",
	} {
		f.Add([]byte(head + row + rest))
	}
	f.Add([]byte("\ufeff" + strings.ReplaceAll(string(valid), "\n", "\r\n")))
	f.Add([]byte(head + rest))
	f.Add([]byte(head))
	f.Add([]byte{})
	f.Add([]byte(head + "32.01,32,Jawa Barat,Kabupaten \xff\xfe Bogor,yes,2024-08,,confirmed_named,S01,\n" + rest))
	load := fuzzFolder(f, FileStatus)
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := load(t, b)
		checkProblems(t, FileStatus, b, err, csvLines(b))
		if err != nil {
			return
		}
		rows := csvByCode(t, b)
		if len(ds.Statuses) != len(ds.Regions) {
			t.Fatalf("%d statuses for %d regions", len(ds.Statuses), len(ds.Regions))
		}
		seen := map[string]bool{}
		for _, st := range ds.Statuses {
			if !st.Status.Valid() {
				t.Errorf("%s: status %q", st.RegionCode, st.Status)
			}
			if seen[st.RegionCode] {
				t.Errorf("%s: two statuses", st.RegionCode)
			}
			seen[st.RegionCode] = true
			if !slices.ContainsFunc(ds.Regions, func(r Region) bool { return r.Code == st.RegionCode }) {
				t.Errorf("status for %q, which is not in %s", st.RegionCode, FileKabkota)
			}
			checkSources(t, ds, "status of "+st.RegionCode, st.SourceIDs)
			unknown := st.Status == StatusUnknown
			switch {
			case unknown && len(st.SourceIDs) > 0:
				t.Errorf("%s: unknown but cites %v", st.RegionCode, st.SourceIDs)
			case !unknown && st.AsOf.IsZero():
				t.Errorf("%s: %s without an as-of date", st.RegionCode, st.Status)
			case !unknown && len(st.SourceIDs) == 0 && st.Evidence != EvidenceProvincialMPP:
				t.Errorf("%s: %s (evidence %q) cites no source", st.RegionCode, st.Status, st.Evidence)
			}
			if st.Evidence == "" {
				t.Errorf("%s: no evidence", st.RegionCode)
			}
			// A date written in the file is never read as no date.
			cells := rows[st.RegionCode]
			for col, d := range map[string]pdate.Date{"status_as_of": st.AsOf, "first_known_date": st.FirstKnown} {
				if v := strings.TrimSpace(cells[col]); v != "" && d.IsZero() {
					t.Errorf("%s: %s %q accepted as no date", st.RegionCode, col, v)
				}
			}
		}
	})
}

// csvByCode reads an accepted CSV file independently of parseCSV: code → column → cell.
func csvByCode(t *testing.T, b []byte) map[string]map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("Load accepted a file encoding/csv cannot read: %v", err)
	}
	out := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[strings.TrimSpace(h)] = rec[i]
		}
		out[strings.TrimSpace(m["code"])] = m
	}
	return out
}

// FuzzRegionFiscalCSV fuzzes fiscal/kapasitas_fiskal_kabkota_partial.csv, the reader whose
// columns come from the header (a pair rkfd_pmk<N>_<YYYY>, category_pmk<N>_<YYYY> per period)
// and whose empty cells mean "no data". Accepted, its periods are distinct and plausible and in
// order, and every value is a known kab/kota's, for one of those periods, once, with a finite
// non-negative ratio or a PMK category (never neither), citing only sources that exist, sorted by
// code then period as Dataset documents.
func FuzzRegionFiscalCSV(f *testing.F) {
	valid := fixtureFile(f, FileRegionFiscal)
	f.Add(valid)
	const head = "code,name,province_code,province,rkfd_pmk65_2024,category_pmk65_2024,source_ids,note\n"
	for _, body := range []string{
		"32.01,Kabupaten Bogor,32,Jawa Barat,1.5,tinggi,S01,\n32.71,Kota Bogor,32,Jawa Barat,,,S01,\n",
		"32.01,Kabupaten Bogor,32,Jawa Barat,NaN,tinggi,S01,\n",
		"32.01,Kabupaten Bogor,32,Jawa Barat,-Inf,tinggi,S01,\n",
		"32.01,Kabupaten Bogor,32,Jawa Barat,1e309,tinggi,S01,\n",
		"32.01,Kabupaten Bogor,32,Jawa Barat,-0.1,tinggi,S01,\n",
		"32.01,Kabupaten Bogor,32,Jawa Barat,0x1p-2,sangat tinggi,S01,\n",
		"32.01,Kabupaten Bogor,32,Jawa Barat,1.5,Tinggi,S01,\n",
		"32.01,Kabupaten Bogor,35,Jawa Barat,1.5,tinggi,S01,\n",
		"32.01,Kabupaten Bogor,32,Jawa Barat,1.5,tinggi,S01,\n32.01,Kabupaten Bogor,32,Jawa Barat,1.6,tinggi,S01,\n",
		"32.01,<script>alert(1)</script>,32,Jawa Barat,1.5,tinggi,S01;S04,\n",
		"32.01,\"Kabupaten \"Bogor\"\",32,Jawa Barat,1.5,tinggi,S01,\n",
	} {
		f.Add([]byte(head + body))
	}
	for _, h := range []string{
		"code,province_code,rkfd_pmk65_2024,source_ids\n",
		"code,province_code,category_pmk65_2024,source_ids\n",
		"code,province_code,rkfd_pmk65_1900,category_pmk65_1900,source_ids\n",
		"code,province_code,rkfd_pmk065_2024,category_pmk065_2024,source_ids\n",
		"code,province_code,rkfd_pmk99999999999999999999_2024,category_pmk99999999999999999999_2024,source_ids\n",
		"code,province_code,source_ids\n",
		"code,province_code,source_ids,rkfd_pmk1_2024,category_pmk1_2024,rkfd_pmk1_2024\n",
	} {
		f.Add([]byte(h + "32.01,32,1.5,tinggi,S01\n"))
	}
	f.Add([]byte("\ufeff" + strings.ReplaceAll(string(valid), "\n", "\r\n")))
	f.Add([]byte{})
	f.Add([]byte(head + "32.01,Kabupaten \xff\xfeBogor,32,Jawa Barat,1.5,tinggi,S01,\n"))
	load := fuzzFolder(f, FileRegionFiscal)
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := load(t, b)
		checkProblems(t, FileRegionFiscal, b, err, csvLines(b))
		if err != nil {
			return
		}
		rank := map[string]int{}
		for i, p := range ds.FiscalPeriods {
			if _, dup := rank[p.ID]; dup {
				t.Errorf("period %s twice", p.ID)
			}
			rank[p.ID] = i
			if p.Year < 1945 || p.Year > 2100 {
				t.Errorf("period %s: year %d", p.ID, p.Year)
			}
			if i > 0 && p.Year < ds.FiscalPeriods[i-1].Year {
				t.Errorf("periods not oldest first: %v", ds.FiscalPeriods)
			}
		}
		type key struct{ code, period string }
		seen := map[key]bool{}
		for i, v := range ds.RegionFiscal {
			k := key{v.RegionCode, v.Period}
			if seen[k] {
				t.Errorf("%s %s: two values", v.RegionCode, v.Period)
			}
			seen[k] = true
			if !slices.ContainsFunc(ds.Regions, func(r Region) bool { return r.Code == v.RegionCode }) {
				t.Errorf("value for %q, which is not in %s", v.RegionCode, FileKabkota)
			}
			if _, ok := rank[v.Period]; !ok {
				t.Errorf("%s: period %q is not one of %v", v.RegionCode, v.Period, ds.FiscalPeriods)
			}
			if v.Ratio == nil && v.Category == "" {
				t.Errorf("%s %s: neither ratio nor category: no data must give no value", v.RegionCode, v.Period)
			}
			if v.Ratio != nil && (math.IsNaN(*v.Ratio) || math.IsInf(*v.Ratio, 0) || *v.Ratio < 0) {
				t.Errorf("%s %s: ratio %v", v.RegionCode, v.Period, *v.Ratio)
			}
			if v.Category != "" && !slices.Contains(FiscalCategories[:], v.Category) {
				t.Errorf("%s %s: category %q", v.RegionCode, v.Period, v.Category)
			}
			checkSources(t, ds, "fiscal value of "+v.RegionCode, v.SourceIDs)
			if i > 0 {
				p := ds.RegionFiscal[i-1]
				if p.RegionCode > v.RegionCode || (p.RegionCode == v.RegionCode && rank[p.Period] > rank[v.Period]) {
					t.Errorf("not sorted by code, then period: %s %s before %s %s", p.RegionCode, p.Period, v.RegionCode, v.Period)
				}
			}
		}
	})
}

// FuzzGeoJSON fuzzes boundaries/kabkota.geojson. Accepted, the file is UTF-8 and every one of
// its features is the boundary of one kab/kota of the code list (none dropped without a word),
// and every geometry passes what parseGeometry enforces: at least one polygon, each with at least
// one ring, each ring closed with at least 4 positions, every coordinate finite and inside
// Indonesia's extent (lon minLon..maxLon, lat minLat..maxLat). A problem's Line is a 1-based
// feature index, or 0 for the file.
func FuzzGeoJSON(f *testing.F) {
	valid := fixtureFile(f, FileKabkotaGeoJSON)
	f.Add(valid)
	feat := func(code, geom string) string {
		return `{"type":"Feature","properties":{"code":` + code + `,"name":"X"},"geometry":` + geom + `}`
	}
	square := `{"type":"Polygon","coordinates":[[[106.7,-6.7],[106.9,-6.7],[106.9,-6.5],[106.7,-6.5],[106.7,-6.7]]]}`
	others := feat(`"32.71"`, square) + "," + feat(`"35.05"`, square)
	for _, first := range []string{
		feat(`"32.01"`, square),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":[[[106.7,-6.7],[106.9,-6.7],[106.9,-6.5],[106.7,-6.6]]]}`),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":[[[106.7,-6.7],[106.9,-6.7],[106.7,-6.7]]]}`),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":[[[-6.7,106.7],[-6.7,106.9],[-6.5,106.9],[-6.7,106.7]]]}`),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":[[[106.7,-6.7],[1e309,-6.7],[106.9,-6.5],[106.7,-6.7]]]}`),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":[[[106.7,-6.7],[NaN,-6.7],[106.9,-6.5],[106.7,-6.7]]]}`),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":[[[106.7,-6.7,0],[106.9,-6.7,0],[106.9,-6.5,0],[106.7,-6.7,0]]]}`),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":[[[106.7,-6.7],[106.9],[106.9,-6.5],[106.7,-6.7]]]}`),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":[]}`),
		feat(`"32.01"`, `{"type":"Polygon","coordinates":null}`),
		feat(`"32.01"`, `{"type":"Polygon"}`),
		feat(`"32.01"`, `{"type":"MultiPolygon","coordinates":[[]]}`),
		feat(`"32.01"`, `{"type":"Point","coordinates":[106.7,-6.7]}`),
		feat(`"32.01"`, `null`),
		feat(`32.01`, square),
		feat(`""`, square) + "," + feat(`"32.01"`, square),
		feat(`"32.01"`, square) + "," + feat(`"32.01"`, square),
		feat(`"32.1"`, square),
		feat(`"<img src=x onerror=alert(1)>"`, square),
	} {
		f.Add([]byte(`{"type":"FeatureCollection","features":[` + first + "," + others + `]}`))
	}
	f.Add([]byte("\ufeff" + string(valid)))
	f.Add([]byte(strings.ReplaceAll(string(valid), "\n", "\r\n")))
	f.Add([]byte(`{"type":"FeatureCollection","features":[`))
	f.Add([]byte(`{"type":"FeatureCollection"}`))
	f.Add([]byte(`{"type":"Feature"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte{})
	f.Add([]byte(`{"type":"FeatureCollection","features":[` + feat(`"32.01"`, square) + "," + others + `],"name":"\xff\xfe"}`))
	load := fuzzFolder(f, FileKabkotaGeoJSON)
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := load(t, b)
		// Line is a feature index: at most the number of features the file has, which is
		// what a plain decode of "features" finds (0 when the file does not decode).
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		_ = json.Unmarshal(b, &fc)
		checkProblems(t, FileKabkotaGeoJSON, b, err, len(fc.Features))
		if err != nil {
			return
		}
		if len(fc.Features) != len(ds.Regions) {
			t.Errorf("%d features accepted for %d kab/kota: a feature that is no kab/kota's boundary was dropped silently", len(fc.Features), len(ds.Regions))
		}
		for _, r := range ds.Regions {
			if len(r.Geom) == 0 {
				t.Errorf("%s: accepted without a geometry", r.Code)
			}
			for pi, p := range r.Geom {
				if len(p) == 0 {
					t.Errorf("%s: polygon %d has no rings", r.Code, pi+1)
				}
				for ri, ring := range p {
					if len(ring) < 4 || !ring.Closed() {
						t.Errorf("%s: polygon %d ring %d: %d positions, closed %v", r.Code, pi+1, ri+1, len(ring), ring.Closed())
					}
					for _, pt := range ring {
						lon, lat := pt[0], pt[1]
						if math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0) ||
							lon < minLon || lon > maxLon || lat < minLat || lat > maxLat {
							t.Errorf("%s: coordinate %v accepted, outside lon %g..%g, lat %g..%g", r.Code, pt, minLon, maxLon, minLat, maxLat)
						}
					}
				}
			}
		}
	})
}
