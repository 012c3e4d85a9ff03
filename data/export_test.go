package data_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"mppmap/data"
	"mppmap/data/datatest"
	"mppmap/data/refdata"
	"mppmap/migrations"
)

// exportFixture is datatest's folder plus what it lacks for the export: sites (one province-level,
// under a province name that differs from codes/provinces.csv, as DKI Jakarta's does in the
// reference release), datasets.csv in an order of its own, the status summary with a note, and
// files the import does not read at all.
func exportFixture() map[string]string {
	files := datatest.Fixture()
	files["mpp/mpp_locations.csv"] = "province,province_code,regency_code,name,inaugurated_on,date_precision,event_id,evidence,source_ids,notes\n" +
		`DKI,31,31 (province-level),MPP Provinsi DKI Jakarta,2017-10-12,day,E1,confirmed_named,S01,"serves the province, all of it"` + "\n" +
		"Jawa Barat,32,32.01,Kabupaten Bogor,<=2022,before,,confirmed_named,S01;S02,\n"
	files["datasets.csv"] = "path,title,publisher,licence,attribution,source,as_of\n" +
		"mpp/sources.csv,Sources,compiled,facts,,mpp/sources.csv,2026-11\n" +
		`codes/kabkota.csv,"Kab/kota, coded",Kemendagri,MIT,© someone,github.com/x,2025` + "\n"
	files["mpp/mpp_status_by_province.csv"] = "province_code,province,kabkota_total,yes,no,in_progress,unknown,note\n" +
		"31,DKI Jakarta,1,1,0,0,0,\"counts, derived\"\n32,Jawa Barat,2,0,1,0,1,\n"
	files["README.md"] = "# a release\n"
	files["boundaries/source/LICENSE"] = "MIT\n"
	return files
}

// readTree returns every regular file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTrees fails for every file that one tree has and the other lacks or holds other bytes,
// showing the first differing line.
func sameTrees(t *testing.T, wantDir, gotDir string) {
	t.Helper()
	want, got := readTree(t, wantDir), readTree(t, gotDir)
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: missing from %s", p, gotDir)
		case !bytes.Equal(w, g):
			t.Errorf("%s differs: %s", p, firstDiff(w, g))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: in %s, not in %s", p, gotDir, wantDir)
		}
	}
}

func firstDiff(want, got []byte) string {
	lw, lg := bytes.SplitAfter(want, []byte("\n")), bytes.SplitAfter(got, []byte("\n"))
	for i := 0; i < len(lw) || i < len(lg); i++ {
		var a, b []byte
		if i < len(lw) {
			a = lw[i]
		}
		if i < len(lg) {
			b = lg[i]
		}
		if !bytes.Equal(a, b) {
			return fmt.Sprintf("line %d: want %q, got %q", i+1, a, b)
		}
	}
	return "same lines"
}

func export(t *testing.T, pool *pgxpool.Pool, opts data.ExportOptions) (string, *data.ExportReport) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "release")
	rep, err := data.Export(context.Background(), pool, dir, opts, quietLog())
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return dir, rep
}

func mustImport(t *testing.T, pool *pgxpool.Pool, dir string) *data.ImportReport {
	t.Helper()
	rep, err := data.Import(context.Background(), pool, dir, quietLog())
	if err != nil {
		t.Fatalf("import %s: %v", dir, err)
	}
	return rep
}

// TestExportFixtureRoundTrip: export → import into a fresh database → export gives the same
// files; the ledger is written from the tables (CRLF where the release has it, although the
// fixture is LF), the rest copied, including files the import never read.
func TestExportFixtureRoundTrip(t *testing.T) {
	src := writeFolder(t, exportFixture(), nil)
	_, poolA := datatest.NewDB(t)
	mustImport(t, poolA, src)
	dir1, rep := export(t, poolA, data.ExportOptions{})
	t.Logf("%s", rep)
	if rep.From != src {
		t.Errorf("copied from %s, want the imported folder %s", rep.From, src)
	}

	files := readTree(t, dir1)
	for path, want := range map[string]string{
		"mpp/mpp_locations.csv": "DKI,31,31 (province-level),MPP Provinsi DKI Jakarta,2017-10-12,day,E1,confirmed_named,S01,\"serves the province, all of it\"\r\n" +
			"Jawa Barat,32,32.01,Kabupaten Bogor,<=2022,before,,confirmed_named,S01;S02,\r\n",
		"datasets.csv":                   "mpp/sources.csv,Sources,compiled,facts,,mpp/sources.csv,2026-11\ncodes/kabkota.csv,\"Kab/kota, coded\",Kemendagri,MIT,© someone,github.com/x,2025\n",
		"mpp/mpp_status_by_province.csv": "31,DKI Jakarta,1,1,0,0,0,\"counts, derived\"\r\n32,Jawa Barat,2,0,1,0,1,\r\n",
		"mpp/mpp_costs.csv":              "Kota Bogor,32.71,Rp5 bn,building,2024,S01;S02\r\nKab Bogor,32.01,Rp3 bn,fit-out,2023,https://example.org/cost\r\n",
	} {
		if got := string(files[path]); !strings.HasSuffix(got, "\r\n"+want) && !strings.HasSuffix(got, "\n"+want) {
			t.Errorf("%s:\n%q\nwant rows\n%q", path, got, want)
		}
	}
	for _, p := range []string{"README.md", "boundaries/source/LICENSE", "boundaries/kabkota.geojson", "fiscal/kapasitas_fiskal_kabkota_partial.csv"} {
		orig, err := os.ReadFile(filepath.Join(src, p))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(files[p], orig) {
			t.Errorf("%s not copied unchanged", p)
		}
		if !slices.Contains(rep.Copied, p) {
			t.Errorf("report does not list %s as copied: %v", p, rep.Copied)
		}
	}
	if rep.Verified != 2 { // the GeoJSON and the fiscal table; README and LICENSE are not imported
		t.Errorf("verified %d copies, want 2", rep.Verified)
	}

	_, poolB := datatest.NewDB(t)
	mustImport(t, poolB, dir1)
	dir2, _ := export(t, poolB, data.ExportOptions{})
	sameTrees(t, dir1, dir2)
}

// TestExportRealData is the contract of issue 10 §8 on the reference folder: the export of a
// database imported from it is the folder itself, byte for byte, every file; export → import
// into a fresh database → export is identical; and a steward's edits (a status changed, a
// source and a site added, directly in SQL) are in the export and survive the round trip.
func TestExportRealData(t *testing.T) {
	ref := datatest.RefData(t)
	ctx := context.Background()
	_, poolA := datatest.NewDB(t)
	mustImport(t, poolA, ref)

	dir1, rep := export(t, poolA, data.ExportOptions{})
	t.Logf("export of A: %d written, %d copied (%d verified) in %s", len(rep.Written), len(rep.Copied), rep.Verified, rep.Took)
	t.Run("identical to the reference folder", func(t *testing.T) {
		sameTrees(t, ref, dir1)
		var written []string
		for _, w := range rep.Written {
			written = append(written, w.Path)
		}
		for _, p := range []string{refdata.FileStatus, refdata.FileSources, refdata.FileLocations, refdata.FileDatasets, refdata.FileKabkota} {
			if !slices.Contains(written, p) {
				t.Errorf("%s was not written from the database (written: %v)", p, written)
			}
		}
	})

	_, poolB := datatest.NewDB(t)
	t.Run("export, import, export", func(t *testing.T) {
		mustImport(t, poolB, dir1)
		dir2, _ := export(t, poolB, data.ExportOptions{})
		sameTrees(t, dir1, dir2)
	})

	t.Run("a steward's edit", func(t *testing.T) {
		// What a steward's edit writes: a new source, a status changed with its history row, a site,
		// each marked as an edit (migration 0005).
		for _, q := range []string{
			`INSERT INTO source (id, address, description, published, date_note, origin)
			 VALUES ('S193', 'https://example.org/steward-check', 'Steward check: the Bupati opens the MPP, "soon"', '2026-12', 'month only', 'edit')`,
			`UPDATE region_status SET status = 'yes', as_of = '2026-12-02', first_known = '2026-12', evidence = 'confirmed_named',
			 source_ids = '{S193}', note = 'steward edit', updated_at = now(), origin = 'edit', revision = revision + 1
			 WHERE region_code = '11.02'`,
			`INSERT INTO status_history (region_code, changed_at, old_status, new_status, as_of, evidence, source_ids, note, changed_by)
			 VALUES ('11.02', now(), 'unknown', 'yes', '2026-12-02', 'confirmed_named', '{S193}', 'steward edit', 'Deputi (steward)')`,
			`INSERT INTO mpp_site (province_code, region_code, name, inaugurated, evidence, source_ids, note, origin)
			 VALUES ('11', '11.02', 'Kabupaten Aceh Tenggara', '2026-12', 'confirmed_named', '{S193}', 'added by a steward', 'edit')`,
		} {
			if _, err := poolA.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		dir3, _ := export(t, poolA, data.ExportOptions{})
		before, after := readTree(t, dir1), readTree(t, dir3)
		// Sites are sorted by province, code and name: Aceh Tenggara's comes before Aceh Tengah's.
		const firstSite = "Aceh,11,11.04,Kabupaten Aceh Tengah,2023-10-31,day,E2023_10_31,confirmed_named,S09;S62,\"10 MPPs at Rakor Percepatan MPP, Hotel Bidakara\"\r\n"
		edited := map[string][2]string{ // file → line replaced (or "" to append), what replaces it
			refdata.FileSources:   {"", "S193,https://example.org/steward-check,\"Steward check: the Bupati opens the MPP, \"\"soon\"\"\",2026-12,month only\r\n"},
			refdata.FileStatus:    {"11.02,11,Aceh,Kabupaten Aceh Tenggara,unknown,,,no_source_found,,\r\n", "11.02,11,Aceh,Kabupaten Aceh Tenggara,yes,2026-12-02,2026-12,confirmed_named,S193,steward edit\r\n"},
			refdata.FileLocations: {firstSite, "Aceh,11,11.02,Kabupaten Aceh Tenggara,2026-12,month,,confirmed_named,S193,added by a steward\r\n" + firstSite},
			refdata.FileStatusByProvince: {"11,Aceh,23,9,1,0,13,\"counts of sourced status in mpp_status_by_region.csv; unknown = no source found, NOT necessarily without MPP\"\r\n",
				"11,Aceh,23,10,1,0,12,\"counts of sourced status in mpp_status_by_region.csv; unknown = no source found, NOT necessarily without MPP\"\r\n"},
		}
		for p, b := range before {
			e, isEdited := edited[p]
			switch {
			case !isEdited:
				if !bytes.Equal(b, after[p]) {
					t.Errorf("%s changed although nothing of it was edited: %s", p, firstDiff(b, after[p]))
				}
			case e[0] == "": // a row appended
				if want := string(b) + e[1]; string(after[p]) != want {
					t.Errorf("%s: %s", p, firstDiff([]byte(want), after[p]))
				}
			default:
				if !bytes.Contains(b, []byte(e[0])) {
					t.Fatalf("%s of the reference folder has no line %q: has the release changed?", p, e[0])
				}
				if want := strings.Replace(string(b), e[0], e[1], 1); string(after[p]) != want {
					t.Errorf("%s: %s", p, firstDiff([]byte(want), after[p]))
				}
			}
		}

		// B holds dir1; importing the edited release changes just the edited files' tables.
		imp := mustImport(t, poolB, dir3)
		t.Logf("import of the edited release into B: %v", imp.Changed)
		if n := count(t, poolB, `SELECT count(*) FROM region_status WHERE region_code = '11.02' AND status = 'yes' AND source_ids = '{S193}'`); n != 1 {
			t.Errorf("the edited status did not reach B")
		}
		dir4, _ := export(t, poolB, data.ExportOptions{})
		sameTrees(t, dir3, dir4)

		// Back into A, the published edits are the file's rows now: no conflict, nothing lost.
		back := mustImport(t, poolA, dir3)
		if len(back.Conflicts) != 0 {
			t.Errorf("import of A's own export into A: conflicts %v", back.Conflicts)
		}
		if n := count(t, poolA, `SELECT (SELECT count(*) FROM region_status WHERE origin = 'edit') + (SELECT count(*) FROM source WHERE origin = 'edit')
			+ (SELECT count(*) FROM mpp_site WHERE origin = 'edit')`); n != 0 {
			t.Errorf("%d rows of A still marked as edits after their release was imported", n)
		}
		dir5, _ := export(t, poolA, data.ExportOptions{})
		sameTrees(t, dir3, dir5)
	})
}

// TestExportRefuses: a folder that is not empty, a file, a folder inside the one copied from,
// a copy source that changed since the import or lacks a file it had, and a database without
// data are each refused with an error that says so, and no release (or temporary folder) is left.
func TestExportRefuses(t *testing.T) {
	ctx := context.Background()
	src := writeFolder(t, exportFixture(), nil)
	_, pool := datatest.NewDB(t)
	mustImport(t, pool, src)

	changed := writeFolder(t, exportFixture(), map[string]string{"boundaries/kabkota.geojson": exportFixture()["boundaries/kabkota.geojson"] + "\n"})
	lacking := writeFolder(t, exportFixture(), nil)
	if err := os.Remove(filepath.Join(lacking, refdata.FileRegionFiscal)); err != nil {
		t.Fatal(err)
	}
	summaryChanged := writeFolder(t, exportFixture(), map[string]string{
		refdata.FileStatusByProvince: strings.Replace(exportFixture()[refdata.FileStatusByProvince], "counts, derived", "other", 1)})

	parent := t.TempDir()
	full := filepath.Join(parent, "full")
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(parent, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir, from, want string
	}{
		{"not empty", full, "", "is not empty"},
		{"a file", file, "", "not a directory"},
		{"inside the folder copied from", filepath.Join(src, "out"), "", "inside"},
		{"copy source changed", filepath.Join(parent, "r1"), changed, "boundaries/kabkota.geojson: sha256"},
		{"copy source lacks a file", filepath.Join(parent, "r2"), lacking, "lacks " + refdata.FileRegionFiscal},
		{"summary notes changed", filepath.Join(parent, "r3"), summaryChanged, refdata.FileStatusByProvince},
		{"copy source missing", filepath.Join(parent, "r4"), filepath.Join(parent, "no-such-folder"), "no-such-folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := data.Export(ctx, pool, tc.dir, data.ExportOptions{From: tc.from}, quietLog())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Export(%s) = %v, want an error with %q", tc.dir, err, tc.want)
			}
			t.Logf("%v", err)
		})
	}
	if b, err := os.ReadFile(filepath.Join(full, "keep.txt")); err != nil || string(b) != "mine" {
		t.Errorf("the non-empty folder was touched: %q, %v", b, err)
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"a-file", "full"}) {
		t.Errorf("after the refused exports %s holds %v, want only a-file and full", parent, names)
	}
	if _, err := os.Stat(filepath.Join(src, "out")); err == nil {
		t.Errorf("an export was written inside the folder it copies from")
	}

	t.Run("an empty folder is fine", func(t *testing.T) {
		empty := t.TempDir()
		if _, err := data.Export(ctx, pool, empty, data.ExportOptions{}, quietLog()); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(empty, refdata.FileStatus)); err != nil {
			t.Error(err)
		}
	})
	t.Run("a symlink to the folder to copy from", func(t *testing.T) {
		link := filepath.Join(t.TempDir(), "link")
		if err := os.Symlink(src, link); err != nil {
			t.Skip(err)
		}
		dir, rep := export(t, pool, data.ExportOptions{From: link})
		if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil || rep.Verified != 2 {
			t.Errorf("copy through a symlink: README %v, %d verified", err, rep.Verified)
		}
	})
	t.Run("no data", func(t *testing.T) {
		_, fresh := datatest.NewDB(t)
		_, err := data.Export(ctx, fresh, filepath.Join(t.TempDir(), "r"), data.ExportOptions{From: src}, quietLog())
		if err == nil || !strings.Contains(err.Error(), "no reference data") {
			t.Fatalf("export of an empty database: %v", err)
		}
	})
}

// TestMigration0007DownAndUp: 0007 (export) rolls back cleanly, and after migrating up again over rows
// an older importer wrote, the next import fills a site's province as written and datasets.csv's
// order, so the export is exact again.
func TestMigration0007DownAndUp(t *testing.T) {
	ctx := context.Background()
	src := writeFolder(t, exportFixture(), nil)
	_, pool := datatest.NewDB(t)
	mustImport(t, pool, src)
	want, _ := export(t, pool, data.ExportOptions{})

	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 6); err != nil {
		t.Fatalf("down to 6: %v", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM information_schema.columns
		WHERE (table_name, column_name) IN (('mpp_site', 'province_name'), ('dataset_file', 'datasets_line'))`); n != 0 {
		t.Fatalf("%d columns of 0007 left after migrating down", n)
	}
	pool.Reset() // cached statements name dropped columns
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	rep := mustImport(t, pool, src)
	if rep.Changed["mpp_site"] == 0 || rep.Changed["dataset_file"] == 0 {
		t.Errorf("import after the migration changed %v; want the sites and dataset_file rewritten", rep.Changed)
	}
	if n := count(t, pool, `SELECT count(*) FROM mpp_site WHERE province_name = 'DKI'`); n != 1 {
		t.Errorf("%d sites with their province as written, want 1", n)
	}
	got, _ := export(t, pool, data.ExportOptions{})
	sameTrees(t, want, got)
	reimportChangesNothing(t, pool, src)
}
