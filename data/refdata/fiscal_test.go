package refdata

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestLoadRegionFiscal covers what the valid fixture cannot: periods found in the header (a
// newer release with a third PMK), and the warnings that do not stop an import.
func TestLoadRegionFiscal(t *testing.T) {
	const header = "code,name,province_code,province,rkfd_pmk65_2024,category_pmk65_2024,rkfd_pmk97_2025,category_pmk97_2025,source_ids,note\n"
	tests := []struct {
		name        string
		csv         string
		periods     []string
		values      int
		warnings    []want
		noWarningIn string // a message fragment that must not appear
	}{
		{
			name: "a newer release adds a period, oldest first whatever the column order",
			csv: "code,name,province_code,rkfd_pmk97_2025,category_pmk97_2025,rkfd_pmk65_2024,category_pmk65_2024,rkfd_pmk84_2023,category_pmk84_2023,source_ids\n" +
				"32.01,Kabupaten Bogor,32,0.2,sedang,1.5,tinggi,2.1,sangat tinggi,S01\n",
			periods: []string{"pmk_84_2023 PMK 84/2023 2023", "pmk_65_2024 PMK 65/2024 2024", "pmk_97_2025 PMK 97/2025 2025"},
			values:  3,
		},
		{
			name: "two regulations in one year are ordered by number",
			csv: "code,province_code,rkfd_pmk127_2024,category_pmk127_2024,rkfd_pmk65_2024,category_pmk65_2024,source_ids\n" +
				"32.01,32,1.4,tinggi,1.5,tinggi,S01\n",
			periods: []string{"pmk_65_2024 PMK 65/2024 2024", "pmk_127_2024 PMK 127/2024 2024"},
			values:  2,
		},
		{
			name: "a ratio without a category and a category without a ratio are kept and warned",
			csv: header +
				"32.01,Kabupaten Bogor,32,Jawa Barat,1.5,,0.2,sedang,S01,\n" +
				"32.71,Kota Bogor,32,Jawa Barat,,rendah,,,S01,\n",
			periods: []string{"pmk_65_2024 PMK 65/2024 2024", "pmk_97_2025 PMK 97/2025 2025"},
			values:  3,
			warnings: []want{
				{FileRegionFiscal, 2, "category_pmk65_2024", `empty, but rkfd_pmk65_2024 is "1.5"`},
				{FileRegionFiscal, 3, "rkfd_pmk65_2024", `empty, but category_pmk65_2024 is "rendah"`},
			},
		},
		{
			name: "overlapping categories without a note are warned on both sides",
			csv: header +
				"32.01,Kabupaten Bogor,32,Jawa Barat,1.5,tinggi,,,S01,\n" +
				"32.71,Kota Bogor,32,Jawa Barat,1.6,rendah,,,S01,\n" +
				"35.05,Kabupaten Blitar,35,Jawa Timur,0.5,sangat rendah,,,S01,\n",
			periods: []string{"pmk_65_2024 PMK 65/2024 2024", "pmk_97_2025 PMK 97/2025 2025"},
			values:  3,
			warnings: []want{
				{FileRegionFiscal, 3, "rkfd_pmk65_2024", "1.6 (rendah) is not below the lowest tinggi ratio 1.5 (line 2) of pmk_65_2024"},
				{FileRegionFiscal, 2, "rkfd_pmk65_2024", "1.5 (tinggi) is not above the highest rendah ratio 1.6 (line 3) of pmk_65_2024"},
			},
		},
		{
			name: "an exception explained in note is not warned and does not widen the ranges",
			csv: header +
				"32.01,Kabupaten Bogor,32,Jawa Barat,1.5,tinggi,,,S01,\n" +
				"32.71,Kota Bogor,32,Jawa Barat,1.6,rendah,,,S01,source labels it rendah although the ratio is high\n" +
				"35.05,Kabupaten Blitar,35,Jawa Timur,0.9,rendah,,,S01,\n",
			periods:     []string{"pmk_65_2024 PMK 65/2024 2024", "pmk_97_2025 PMK 97/2025 2025"},
			values:      3,
			noWarningIn: "overlap",
		},
		{
			name: "a row without any value, and a column that looks like a period but is not one",
			csv: "code,province_code,rkfd_pmk65_2024,category_pmk65_2024,rkfd_2026,source_ids\n" +
				"32.01,32,1.5,tinggi,3,S01\n" +
				"32.71,32,,,,S01\n",
			periods: []string{"pmk_65_2024 PMK 65/2024 2024"},
			values:  1,
			warnings: []want{
				{FileRegionFiscal, 1, "rkfd_2026", "not a period column"},
				{FileRegionFiscal, 3, "", "no ratio or category for any period"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixture(t)
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(FileRegionFiscal)), []byte(tc.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			ds, err := Load(dir)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var periods []string
			for _, p := range ds.FiscalPeriods {
				periods = append(periods, p.ID+" "+p.Regulation+" "+strconv.Itoa(p.Year))
			}
			if !slices.Equal(periods, tc.periods) {
				t.Errorf("periods = %q, want %q", periods, tc.periods)
			}
			if len(ds.RegionFiscal) != tc.values {
				t.Errorf("%d values, want %d: %+v", len(ds.RegionFiscal), tc.values, ds.RegionFiscal)
			}
			got := ds.Warnings.In(FileRegionFiscal)
			if len(got) != len(tc.warnings) {
				t.Errorf("got %d warnings, want %d:\n%v", len(got), len(tc.warnings), got.Error())
			}
			for _, w := range tc.warnings {
				if !slices.ContainsFunc(got, func(p Problem) bool {
					return p.Line == w.line && p.Field == w.field && strings.Contains(p.Message, w.msg)
				}) {
					t.Errorf("missing warning %s:%d: %s: …%s…\ngot:\n%v", w.file, w.line, w.field, w.msg, got.Error())
				}
			}
			if tc.noWarningIn != "" && strings.Contains(got.Error(), tc.noWarningIn) {
				t.Errorf("unexpected warning:\n%v", got.Error())
			}
		})
	}
}
