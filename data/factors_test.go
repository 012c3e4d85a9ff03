package data_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"mppmap/data"
	"mppmap/data/datatest"
	"mppmap/data/refdata"
	"mppmap/migrations"
)

const fiscalFile = refdata.FileRegionFiscal

// TestImportFactors: the fixture's PMK values, inhibitor scopes and cost citations land in
// their columns, the snapshot carries them, and a changed fiscal file rewrites only its table.
func TestImportFactors(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	if _, err := data.Import(ctx, pool, writeFolder(t, fixture, nil), quietLog()); err != nil {
		t.Fatal(err)
	}

	rows, err := pool.Query(ctx, `SELECT region_code || ' ' || period || ' ' || regulation || ' ' || year || ' ' ||
		coalesce(ratio::text, '-') || ' ' || coalesce(category, '-') || ' ' || array_to_string(source_ids, ';')
		FROM region_fiscal_capacity ORDER BY region_code, year`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	want := []string{
		"31.01 pmk_65_2024 PMK 65/2024 2024 1.7 sangat tinggi S01", "31.01 pmk_97_2025 PMK 97/2025 2025 0.4 sangat tinggi S01",
		"32.01 pmk_65_2024 PMK 65/2024 2024 1.2 sedang S01;S02", "32.01 pmk_97_2025 PMK 97/2025 2025 0.05 rendah S01;S02",
		"32.71 pmk_65_2024 PMK 65/2024 2024 0.8 rendah S02", // no PMK 97/2025 value: no row, not a zero
	}
	if !slices.Equal(got, want) {
		t.Errorf("region_fiscal_capacity =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := count(t, pool, `SELECT count(*) FROM inhibitor WHERE
		(area, scope, region_codes, province_codes) IN (('Kota Bogor', 'region', '{32.71}'::text[], '{}'::text[]),
			('Jabar (Ombudsman)', 'province', '{}', '{32}'), ('national (Wapres)', 'national', '{}', '{}'),
			('8 kabupaten', 'unresolved', '{}', '{}'))`); n != 4 {
		t.Errorf("%d inhibitors with the expected scope, want 4", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM mpp_cost WHERE
		(region_code = '32.71' AND source_ids = '{S01,S02}' AND address = '' AND source = 'S01;S02') OR
		(region_code = '32.01' AND source_ids = '{}' AND address = 'https://example.org/cost')`); n != 2 {
		t.Errorf("%d costs with their citation split, want 2", n)
	}

	snap, err := data.LoadSnapshot(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	wantPeriods := []data.FiscalPeriod{{ID: "pmk_65_2024", Regulation: "PMK 65/2024", Year: 2024}, {ID: "pmk_97_2025", Regulation: "PMK 97/2025", Year: 2025}}
	if !reflect.DeepEqual(snap.FiscalPeriods, wantPeriods) {
		t.Errorf("FiscalPeriods = %v, want %v", snap.FiscalPeriods, wantPeriods)
	}
	if v := snap.RegionFiscal["32.01"]; len(v) != 2 || v[0].Period != "pmk_65_2024" || v[0].Ratio == nil || *v[0].Ratio != 1.2 ||
		v[0].Category != refdata.FiscalMedium || v[1].Category != refdata.FiscalLow || !slices.Equal(v[1].SourceIDs, []string{"S01", "S02"}) {
		t.Errorf("RegionFiscal[32.01] = %+v", v)
	}
	if v := snap.RegionFiscal["32.71"]; len(v) != 1 || v[0].Note != "no 2025 value" {
		t.Errorf("RegionFiscal[32.71] = %+v, want one period with its note", v)
	}
	var scopes []string
	for _, x := range snap.Inhibitors {
		scopes = append(scopes, x.Scope+" "+strings.Join(x.RegionCodes, ",")+" "+strings.Join(x.ProvinceCodes, ","))
	}
	if want := []string{"region 32.71 ", "province  32", "national  ", "unresolved  "}; !slices.Equal(scopes, want) {
		t.Errorf("inhibitor scopes = %q, want %q", scopes, want)
	}
	if len(snap.Costs) != 2 || !slices.Equal(snap.Costs[0].SourceIDs, []string{"S01", "S02"}) || snap.Costs[0].Address != "" ||
		snap.Costs[1].Address != "https://example.org/cost" || len(snap.Costs[1].SourceIDs) != 0 || snap.Costs[1].RegionCode != "32.01" {
		t.Errorf("Costs = %+v", snap.Costs)
	}
	if d := snap.Digital; len(d) != 2 || !d[0].AsOf.IsZero() || d[1].AsOf.String() != "2023-06-20" || d[1].RegionCode != "32.71" {
		t.Errorf("Digital = %+v, want 32.01 without a date, then 32.71 on 2023-06-20", d)
	}
	if f := snap.DigitalFacts; len(f) != 2 || f[0].Date.String() != "2023-06-20" || !f[1].Date.IsZero() || f[1].DateText != "2023-06 / 2025-09" {
		t.Errorf("DigitalFacts = %+v, want a date, then a range kept as text only", f)
	}

	// A newer fiscal file rewrites its table, and nothing else but the provenance.
	newer := strings.Replace(fixture[fiscalFile], ",0.8,rendah,,,", ",0.8,rendah,0.02,sangat rendah,", 1)
	rep, err := data.Import(ctx, pool, writeFolder(t, fixture, map[string]string{fiscalFile: newer}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"region_fiscal_capacity": 5 + 6, "dataset_file": 1}; !reflect.DeepEqual(rep.Changed, want) {
		t.Errorf("changed = %v, want %v (5 rows deleted, 6 written)", rep.Changed, want)
	}
	if rep.Rows[fiscalFile] != 3 {
		t.Errorf("rows read from %s = %d, want 3", fiscalFile, rep.Rows[fiscalFile])
	}

	// Without the file (optional), its rows go.
	if _, err := data.Import(ctx, pool, writeFolder(t, fixture, map[string]string{fiscalFile: ""}), quietLog()); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, `SELECT count(*) FROM region_fiscal_capacity`); n != 0 {
		t.Errorf("%d fiscal rows after the file left the folder", n)
	}
}

// TestMigration0002DownAndUp: 0002 rolls back cleanly, and migrating up again over rows an
// older importer wrote fills the cost citations from the old column and makes the next import
// rewrite the inhibitors (whose scope only the importer can compute) and the fiscal table.
func TestMigration0002DownAndUp(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	dir := writeFolder(t, fixture, nil)
	if _, err := data.Import(ctx, pool, dir, quietLog()); err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 1); err != nil {
		t.Fatalf("down to 1: %v", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM information_schema.columns
		WHERE (table_name, column_name) IN (('inhibitor', 'scope'), ('mpp_cost', 'address'))
		   OR table_name = 'region_fiscal_capacity'`); n != 0 {
		t.Fatalf("%d columns of 0002 left after migrating down", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM dataset_file WHERE path = $1`, fiscalFile); n != 0 {
		t.Errorf("the fiscal file's hash survived its table")
	}
	pool.Reset() // cached statements name dropped columns
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM mpp_cost WHERE (source_ids = '{S01,S02}' AND address = '')
		OR (source_ids = '{}' AND address = 'https://example.org/cost')`); n != 2 {
		t.Errorf("%d cost rows with their citation filled from source, want 2", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM inhibitor WHERE scope = 'unresolved'`); n != 4 {
		t.Errorf("%d inhibitors unresolved before the next import, want all 4", n)
	}
	rep, err := data.Import(ctx, pool, dir, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed["inhibitor"] == 0 || rep.Changed["region_fiscal_capacity"] != 5 || rep.Changed["mpp_cost"] == 0 {
		t.Errorf("import after the migration changed %v; want inhibitors, costs and the fiscal table rewritten", rep.Changed)
	}
	if n := count(t, pool, `SELECT count(*) FROM inhibitor WHERE scope = 'unresolved'`); n != 1 {
		t.Errorf("%d inhibitors unresolved after the import, want 1", n)
	}
	reimportChangesNothing(t, pool, dir)
}

// realFiscalCells counts the fiscal file's rows and its non-empty (ratio or category) period
// cells, and lists its periods (rkfd_pmk65_2024 → pmk_65_2024, sorted), reading it with
// encoding/csv and the header, not with refdata.
func realFiscalCells(t *testing.T, dir string) (rows, cells int, periods []string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(fiscalFile)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ratioCols []int
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for h, i := range col {
		if rest, ok := strings.CutPrefix(h, "rkfd_pmk"); ok {
			ratioCols = append(ratioCols, i)
			periods = append(periods, "pmk_"+rest)
		}
	}
	slices.Sort(periods)
	for _, r := range recs[1:] {
		for _, i := range ratioCols {
			cat := col["category_"+strings.TrimPrefix(recs[0][i], "rkfd_")]
			if r[i] != "" || r[cat] != "" {
				cells++
			}
		}
	}
	return len(recs) - 1, cells, periods
}
