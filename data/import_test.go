package data_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data"
	"mppmap/data/datatest"
	"mppmap/data/refdata"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// fixture is datatest's tiny valid folder: two provinces, three square regions side by side.
var fixture = datatest.Fixture()

func writeFolder(t *testing.T, files, override map[string]string) string {
	return datatest.WriteFolder(t, files, override)
}

// fingerprint summarises every table's content so a test can prove nothing changed.
func fingerprint(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var out strings.Builder
	for _, table := range []string{"import_run", "dataset_file", "source", "province", "region", "region_geom_level",
		"region_neighbour", "region_status", "status_history", "mpp_site", "national_count", "target", "inhibitor",
		"mpp_digital_fact", "mpp_digital_pilot", "mpp_digital_region", "indicator", "indicator_value", "fiscal_capacity", "mpp_cost",
		"region_fiscal_capacity"} {
		var h string
		// Table names are constants of this test; the row hash covers every column.
		err := pool.QueryRow(context.Background(),
			`SELECT count(*)::text || ':' || coalesce(md5(string_agg(md5(t::text), ',' ORDER BY md5(t::text))), '') FROM `+table+` t`).Scan(&h)
		if err != nil {
			t.Fatalf("fingerprint %s: %v", table, err)
		}
		out.WriteString(table + "=" + h + "\n")
	}
	return out.String()
}

// reimportChangesNothing imports dir again and checks that the importer reports no change and
// that no table's rows changed.
func reimportChangesNothing(t *testing.T, pool *pgxpool.Pool, dir string) {
	t.Helper()
	before := fingerprint(t, pool)
	rep, err := data.Import(context.Background(), pool, dir, quietLog())
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if !rep.NoChange() {
		t.Errorf("re-import changed %v", rep.Changed)
	}
	if after := fingerprint(t, pool); after != before {
		t.Errorf("re-import of the same folder changed the database:\nbefore\n%s\nafter\n%s", before, after)
	}
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestImportFixtureThenReimportIsNoOp(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	dir := writeFolder(t, fixture, nil)
	rep, err := data.Import(ctx, pool, dir, quietLog())
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if rep.NoChange() {
		t.Fatal("first import reported no change")
	}
	if got := count(t, pool, `SELECT count(*) FROM region`); got != 3 {
		t.Errorf("regions = %d, want 3", got)
	}
	if got := count(t, pool, `SELECT count(*) FROM status_history WHERE old_status IS NULL`); got != 3 {
		t.Errorf("initial history rows = %d, want 3", got)
	}
	if got := count(t, pool, `SELECT count(*) FROM region_geom_level`); got != 9 {
		t.Errorf("simplified geometries = %d, want 3 regions × 3 levels", got)
	}
	reimportChangesNothing(t, pool, dir)
}

func TestImportNewerFolderRecordsHistory(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	if _, err := data.Import(ctx, pool, writeFolder(t, fixture, nil), quietLog()); err != nil {
		t.Fatal(err)
	}
	newer := strings.Replace(fixture["mpp/mpp_status_by_region.csv"],
		"32.71,32,Jawa Barat,Kota Bogor,unknown,,,no_source_found,,",
		"32.71,32,Jawa Barat,Kota Bogor,yes,2024-06-24,2024-06-24,confirmed_named,S01;S02,opened", 1)
	rep, err := data.Import(ctx, pool, writeFolder(t, fixture, map[string]string{"mpp/mpp_status_by_region.csv": newer}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed["region_status"] != 1 || rep.Changed["status_history"] != 1 {
		t.Errorf("changed = %v, want exactly one status and one history row", rep.Changed)
	}
	var old, now, by string
	err = pool.QueryRow(ctx, `SELECT old_status, new_status, changed_by FROM status_history
		WHERE region_code = '32.71' AND old_status IS NOT NULL`).Scan(&old, &now, &by)
	if err != nil {
		t.Fatal(err)
	}
	if old != "unknown" || now != "yes" || !strings.HasPrefix(by, "import:") {
		t.Errorf("history = %s → %s by %s, want unknown → yes by import:N", old, now, by)
	}
	if got := count(t, pool, `SELECT count(*) FROM region_geom_level`); got != 9 {
		t.Errorf("geometry levels = %d after a status-only change", got)
	}
}

// TestImportBadInputChangesNothing: every kind of bad input is reported with file, line and
// field, and the database — already holding a good import — is exactly as before.
func TestImportBadInputChangesNothing(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	if _, err := data.Import(ctx, pool, writeFolder(t, fixture, nil), quietLog()); err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, pool)
	status := fixture["mpp/mpp_status_by_region.csv"]
	tests := []struct {
		name     string
		override map[string]string
		want     string // substring of the problem, "file:line: field: ..."
	}{
		{"missing column", map[string]string{"codes/kabkota.csv": strings.Replace(fixture["codes/kabkota.csv"], ",kind\n", "\n", 1)},
			"codes/kabkota.csv:1: kind"},
		{"unknown region code", map[string]string{"mpp/mpp_status_by_region.csv": status + "32.99,32,Jawa Barat,Kota Nowhere,no,2024-06,,x,S01,\n"},
			"mpp/mpp_status_by_region.csv:5: code"},
		{"duplicate code", map[string]string{"codes/kabkota.csv": fixture["codes/kabkota.csv"] + "32.71,Kota Bogor,32,Jawa Barat,kota\n"},
			"codes/kabkota.csv:5: code"},
		{"bad date", map[string]string{"mpp/mpp_status_by_region.csv": strings.Replace(status, "2024-06,,named", "2024-13,,named", 1)},
			"mpp/mpp_status_by_region.csv:3: status_as_of"},
		{"status outside enum", map[string]string{"mpp/mpp_status_by_region.csv": strings.Replace(status, ",no,2024-06", ",maybe,2024-06", 1)},
			"mpp/mpp_status_by_region.csv:3: mpp_status"},
		{"source id that does not exist", map[string]string{"mpp/mpp_status_by_region.csv": strings.Replace(status, ",S01,", ",S77,", 1)},
			"mpp/mpp_status_by_region.csv:3: source_ids"},
		{"unrepairable geometry", map[string]string{"boundaries/kabkota.geojson": strings.Replace(fixture["boundaries/kabkota.geojson"],
			`[[107,-6.5],[107.5,-6.5],[107.5,-6],[107,-6],[107,-6.5]]`, `[[107,-6.5],[107.2,-6.5],[107.4,-6.5],[107,-6.5]]`, 1)},
			"boundaries/kabkota.geojson: geometry: feature 32.71"},
		{"feature outside Indonesia", map[string]string{"boundaries/kabkota.geojson": strings.Replace(fixture["boundaries/kabkota.geojson"],
			`[[106,-6.5]`, `[[6,-6.5]`, 1)},
			"boundaries/kabkota.geojson:1:"},
		{"truncated file", map[string]string{"mpp/sources.csv": fixture["mpp/sources.csv"][:len(fixture["mpp/sources.csv"])-25]},
			"mpp/sources.csv:3"},
		{"negative fiscal ratio", map[string]string{fiscalFile: strings.Replace(fixture[fiscalFile], ",0.8,rendah,", ",-0.8,rendah,", 1)},
			fiscalFile + ":4: rkfd_pmk65_2024"},
		{"fiscal category outside the five", map[string]string{fiscalFile: strings.Replace(fixture[fiscalFile], ",1.2,sedang,", ",1.2,medium,", 1)},
			fiscalFile + ":3: category_pmk65_2024"},
		{"cost cited by neither ids nor address", map[string]string{"mpp/mpp_costs.csv": strings.Replace(fixture["mpp/mpp_costs.csv"], "https://example.org/cost", "see the press", 1)},
			"mpp/mpp_costs.csv:3: source_ids_or_address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := data.Import(ctx, pool, writeFolder(t, fixture, tc.override), quietLog())
			var probs refdata.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("err = %v (%T), want refdata.Problems", err, err)
			}
			if !strings.Contains(probs.Error(), tc.want) {
				t.Errorf("problems do not mention %q:\n%s", tc.want, probs.Error())
			}
			if after := fingerprint(t, pool); after != before {
				t.Errorf("database changed by a rejected import")
			}
		})
	}
}

// TestImportRealData imports the reference folder, checks the database against a direct reading
// of its CSV files, and proves that importing it again changes nothing.
func TestImportRealData(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	dir := datatest.RefData(t)
	rep, err := data.Import(ctx, pool, dir, quietLog())
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Logf("first import: %s", rep.Took)

	want := map[string]int{}
	b, err := os.ReadFile(filepath.Join(dir, "mpp", "mpp_status_by_region.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	header := strings.Split(lines[0], ",")
	col := -1
	for i, h := range header {
		if h == "mpp_status" {
			col = i
		}
	}
	for _, l := range lines[1:] {
		// The first columns (code, province code, province, name, status) hold no commas.
		want[strings.Split(l, ",")[col]]++
	}
	rows, err := pool.Query(ctx, `SELECT status, count(*) FROM region_status GROUP BY status`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	var s string
	var n int
	for rows.Next() {
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		got[s] = n
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("status %s: %d in the database, %d in the file", k, got[k], v)
		}
	}
	if n := count(t, pool, `SELECT count(*) FROM region`); n != len(lines)-1 {
		t.Errorf("regions = %d, want %d", n, len(lines)-1)
	}
	if n := count(t, pool, `SELECT count(*) FROM region WHERE geom_clean IS NULL OR NOT ST_IsValid(geom_clean)`); n != 0 {
		t.Errorf("%d regions without a valid cleaned geometry", n)
	}
	// DKI Jakarta's provincial MPP is one site without a region.
	if n := count(t, pool, `SELECT count(*) FROM mpp_site WHERE region_code IS NULL AND province_code = '31'`); n != 1 {
		t.Errorf("DKI provincial sites = %d, want 1", n)
	}
	// Conflicting official figures are kept as stated, not smoothed: 216 on 2024-05-02, then 208 on 2024-06-24.
	if n := count(t, pool, `SELECT count(*) FROM national_count WHERE cumulative IN (208, 216)`); n != 2 {
		t.Errorf("conflicting counts kept = %d, want 2", n)
	}
	// Missing is not zero: DKI's administrative units have no APBD of their own.
	if n := count(t, pool, `SELECT count(*) FROM indicator_value WHERE region_code = '31.71' AND indicator_id LIKE 'pad%'`); n != 0 {
		t.Errorf("Jakarta Pusat has %d PAD values; it has no APBD of its own", n)
	}

	// PMK fiscal capacity: one row per non-empty period cell of the file, none for the gaps.
	fiscalRowsInFile, fiscalCells, fiscalPeriods := realFiscalCells(t, dir)
	if n := count(t, pool, `SELECT count(*) FROM region_fiscal_capacity`); n != fiscalCells {
		t.Errorf("region_fiscal_capacity has %d rows, the file %d non-empty period cells", n, fiscalCells)
	}
	if n := count(t, pool, `SELECT count(DISTINCT region_code) FROM region_fiscal_capacity`); n != fiscalRowsInFile {
		t.Errorf("region_fiscal_capacity covers %d kab/kota, the file has %d rows", n, fiscalRowsInFile)
	}
	if rep.Rows[fiscalFile] != fiscalRowsInFile {
		t.Errorf("report: %d rows read from %s, the file has %d", rep.Rows[fiscalFile], fiscalFile, fiscalRowsInFile)
	}
	t.Logf("region_fiscal_capacity: %d rows for %d kab/kota", fiscalCells, fiscalRowsInFile)
	// The Ombudsman's NTT finding is about the province, not about each of its kab/kota.
	if n := count(t, pool, `SELECT count(*) FROM inhibitor WHERE area = 'NTT (Ombudsman)'
		AND scope = 'province' AND province_codes = '{53}' AND region_codes = '{}'`); n != 1 {
		t.Errorf("NTT (Ombudsman) inhibitors with province scope 53: %d, want 1", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM inhibitor WHERE scope = 'national' AND area NOT ILIKE 'national%'`); n != 0 {
		t.Errorf("%d inhibitors national although their place does not say so", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM mpp_cost WHERE (cardinality(source_ids) = 0) = (address = '')`); n != 0 {
		t.Errorf("%d costs without exactly one of source ids and address", n)
	}

	snap, err := data.LoadSnapshot(ctx, pool)
	if err != nil {
		t.Fatalf("LoadSnapshot: %v", err)
	}
	rank := map[string]int{}
	for i, p := range snap.FiscalPeriods {
		rank[p.ID] = i
	}
	values := 0
	for code, vs := range snap.RegionFiscal {
		values += len(vs)
		for i := 1; i < len(vs); i++ {
			if rank[vs[i-1].Period] >= rank[vs[i].Period] {
				t.Errorf("%s: values not in FiscalPeriods order: %+v", code, vs)
			}
		}
	}
	if len(snap.RegionFiscal) != fiscalRowsInFile || values != fiscalCells {
		t.Errorf("snapshot: %d kab/kota, %d values; want %d, %d", len(snap.RegionFiscal), values, fiscalRowsInFile, fiscalCells)
	}
	var periods []string
	for _, p := range snap.FiscalPeriods {
		periods = append(periods, p.ID)
	}
	if slices.Sort(periods); !slices.Equal(periods, fiscalPeriods) {
		t.Errorf("snapshot periods %v, the file's header has %v", periods, fiscalPeriods)
	}
	if m := snap.RegionFiscal["52.71"]; len(m) == 0 || m[0].Ratio == nil || *m[0].Ratio != 1.544 || m[0].Category != refdata.FiscalHigh {
		t.Errorf("Kota Mataram = %+v, want PMK 65/2024 1.544 tinggi first", m)
	}
	scopes := map[string]int{}
	for _, x := range snap.Inhibitors {
		scopes[x.Scope]++
	}
	t.Logf("inhibitor scopes: %v; digital regions %d, facts %d, costs %d", scopes, len(snap.Digital), len(snap.DigitalFacts), len(snap.Costs))
	if len(snap.Digital) == 0 || len(snap.DigitalFacts) == 0 || len(snap.Costs) == 0 {
		t.Errorf("snapshot lacks digital regions (%d), facts (%d) or costs (%d)", len(snap.Digital), len(snap.DigitalFacts), len(snap.Costs))
	}

	reimportChangesNothing(t, pool, dir)
}
