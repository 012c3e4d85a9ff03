package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data/pdate"
	"mppmap/data/refdata"
)

// ExportOptions are the choices of one export.
type ExportOptions struct {
	// From is the folder the files outside the ledger are copied from. Empty: the folder of the
	// last import that changed the database (import_run.data_dir), which may be a relative path
	// that only makes sense where that import ran.
	From string
}

// ExportReport says what an export wrote and where from.
type ExportReport struct {
	Dir  string
	From string
	// Written are the ledger files, written from the database tables.
	Written []refdata.Written
	// Copied are the other files of the release, copied unchanged from From, sorted.
	Copied []string
	// Verified counts the copied files the database has a sha256 for (dataset_file), each
	// checked to be the very file that was imported.
	Verified int
	Took     time.Duration
}

// String is the summary `mppmap export` prints.
func (r *ExportReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "export to %s\n", r.Dir)
	fmt.Fprintf(&b, "written from the database:\n")
	for _, w := range r.Written {
		fmt.Fprintf(&b, "  %-48s %6d rows\n", w.Path, w.Rows)
	}
	fmt.Fprintf(&b, "copied unchanged from %s: %d files (%d checked against the sha256 of the import)\n", r.From, len(r.Copied), r.Verified)
	fmt.Fprintf(&b, "took %s\n", r.Took.Round(time.Millisecond))
	return b.String()
}

// Export writes the database as a release of the reference folder into dir, so that the
// stewards' edits (statuses, sites, sources, …) become the next release, and export → import
// into a fresh database → export gives the same files.
//
// The ledger (refdata.LedgerFiles: the code lists, mpp/*.csv, the provincial PMK categories,
// datasets.csv) is what the database holds completely; it is written from the tables in one
// repeatable-read snapshot, in the reference folder's layout, byte for byte what the folder had
// when nothing was edited. Every other file is copied unchanged from opts.From, because the
// database does not hold it completely:
//   - boundaries/*.geojson: the import repairs invalid rings (ST_MakeValid) and turns Polygon
//     features into MultiPolygons (ST_Multi), so the stored geometry is not the published file;
//   - fiscal/apbd_*.csv, fiscal/kapasitas_fiskal_kabkota_partial.csv, demography/*.csv: the
//     import keeps the values as numbers (an area written "125.0" comes back "125") and drops
//     the columns that only document the join (source_name, bps_name, match, source_code);
//   - READMEs, SOURCE(S).md, licences and the upstream copies under */source/: not imported.
//
// Copies are never guessed: a copied file the database has a sha256 for must still have it,
// or the export fails (the folder changed since the import, so it is not what the database
// describes); a file the database describes but the folder lacks fails it too. The notes of
// mpp/mpp_status_by_province.csv are the one part of a ledger file read from the folder (its
// counts are recounted from the status rows), under the same sha256 check.
//
// dir must not exist or be an empty directory: an export never overwrites a release, and
// refusing is what keeps it from deleting the very folder it copies from. The release is
// written into a temporary directory beside dir and renamed into place, so dir is either the
// complete release or absent; on failure the temporary directory is removed.
func Export(ctx context.Context, pool *pgxpool.Pool, dir string, opts ExportOptions, log *slog.Logger) (*ExportReport, error) {
	start := time.Now()
	target, err := checkExportTarget(dir)
	if err != nil {
		return nil, err
	}
	ds, lastDir, err := readLedger(ctx, pool)
	if err != nil {
		return nil, err
	}
	from := opts.From
	if from == "" {
		from = lastDir
	}
	root, err := checkExportSource(from, target)
	if err != nil {
		return nil, err
	}
	shas := map[string]string{}
	for _, f := range ds.Files {
		shas[f.Path] = f.SHA256
	}
	if sum, ok := shas[refdata.FileStatusByProvince]; ok {
		if err := checkSHA256(root, refdata.FileStatusByProvince, sum); err != nil {
			return nil, err
		}
		if ds.StatusByProvinceNotes, err = refdata.StatusByProvinceNotes(root); err != nil {
			return nil, fmt.Errorf("export: read the notes of %s in %s: %w", refdata.FileStatusByProvince, from, err)
		}
	}

	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".export-")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	rep := &ExportReport{Dir: dir, From: from}
	if rep.Written, err = refdata.Write(tmp, ds); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if rep.Copied, rep.Verified, err = copyRelease(root, tmp, shas, log); err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it private
		return nil, fmt.Errorf("export: %w", err)
	}
	// An existing dir is empty (checked above); Remove refuses it if that changed since.
	if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("export: %s: %w", dir, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return nil, fmt.Errorf("export: move the release into %s: %w", dir, err)
	}
	done = true
	rep.Took = time.Since(start)
	log.Info("export written", "dir", dir, "from", from, "written", len(rep.Written), "copied", len(rep.Copied),
		"took", rep.Took.Round(time.Millisecond))
	return rep, nil
}

// checkExportTarget returns dir as an absolute path when it does not exist or is an empty
// directory.
func checkExportTarget(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("export: no folder given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return abs, nil
	case err != nil:
		return "", fmt.Errorf("export: %w", err)
	case !st.IsDir():
		return "", fmt.Errorf("export: %s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	if len(entries) > 0 {
		return "", fmt.Errorf("export: %s is not empty (%d entries): an export never overwrites a folder; name a new or empty one", dir, len(entries))
	}
	return abs, nil
}

// checkExportSource makes sure from is a folder and the release is not written inside it,
// where the copy would meet its own output. It returns from as an absolute path with symlinks
// resolved, since the walk that copies it does not follow a symlinked root.
func checkExportSource(from, target string) (string, error) {
	if from == "" {
		return "", errors.New("export: the database records no import, so there is no folder to copy boundaries and tables from; import a folder first")
	}
	st, err := os.Stat(from)
	if err != nil {
		return "", fmt.Errorf("export: the folder to copy from (the last import's, unless -from is given): %w", err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("export: %s is not a directory", from)
	}
	root, err := filepath.EvalSymlinks(from)
	if err == nil {
		root, err = filepath.Abs(root)
	}
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	for _, dir := range []string{root, mustAbs(from)} {
		if rel, err := filepath.Rel(dir, target); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", fmt.Errorf("export: %s is inside %s, the folder the export copies from", target, from)
		}
	}
	return root, nil
}

// mustAbs is filepath.Abs for a path already known to exist; on the (cwd-less) error it gives
// the path back, which then only fails to match.
func mustAbs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// copyRelease copies every regular file of from into dst except the ledger files, checking
// each file the database has a sha256 for, and fails when a file the database describes is
// missing. It returns the paths copied (sorted) and how many were checked.
func copyRelease(from, dst string, shas map[string]string, log *slog.Logger) ([]string, int, error) {
	var copied []string
	verified := 0
	seen := map[string]bool{}
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(r)
		switch {
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dst, r), 0o755)
		case !d.Type().IsRegular():
			return fmt.Errorf("%s is not a regular file (%s)", rel, d.Type())
		case refdata.IsLedgerFile(rel):
			if _, ok := shas[rel]; !ok {
				// Not imported, so not in the database: the release does not have it either.
				log.Warn("export: file of the folder left out: the database has no rows of it", "path", rel)
			}
			return nil
		}
		seen[rel] = true
		sum, err := copyFile(p, filepath.Join(dst, r))
		if err != nil {
			return fmt.Errorf("copy %s: %w", rel, err)
		}
		if want, ok := shas[rel]; ok {
			if sum != want {
				return fmt.Errorf("%s: sha256 %s, but the database was imported from a file with sha256 %s: the folder changed since the import", rel, sum[:12], want[:12])
			}
			verified++
		}
		copied = append(copied, rel)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("export: copy from %s: %w", from, err)
	}
	var missing []string
	for p := range shas {
		if !seen[p] && !refdata.IsLedgerFile(p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, 0, fmt.Errorf("export: %s lacks %s, which the database was imported from", from, strings.Join(missing, ", "))
	}
	sort.Strings(copied)
	return copied, verified, nil
}

// copyFile copies src to the new file dst (mode 0644: the release is a fresh folder, whatever
// the modes of the one it came from) and returns the sha256 of what it copied.
func copyFile(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkSHA256 fails unless the file rel of dir has the sha256 want.
func checkSHA256(dir, rel, want string) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("export: read %s: %w", rel, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("export: %s in %s has sha256 %s, but the database was imported from a file with sha256 %s: the folder changed since the import", rel, dir, got[:12], want[:12])
	}
	return nil
}

// readLedger reads the ledger tables in one repeatable-read snapshot, in the order the files
// list their rows: by key where a file has one (codes, sources by number, statuses, sites,
// targets, digital regions), else in the order rows were imported or added (id). The Dataset holds
// what the ledger files need; what only the importer derives (an inhibitor's scope, geometry,
// indicators) is left out. It also returns the folder of the last import that changed anything.
func readLedger(ctx context.Context, pool *pgxpool.Pool) (*refdata.Dataset, string, error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, "", fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	ds := &refdata.Dataset{}
	steps := []struct {
		table string
		fn    func(context.Context, pgx.Tx, *refdata.Dataset) error
	}{
		{"province", exportProvinces}, {"region", exportRegions}, {"source", exportSources},
		{"region_status", exportStatuses}, {"mpp_site", exportSites}, {"national_count", exportNationalCounts},
		{"target", exportTargets}, {"inhibitor", exportInhibitors}, {"mpp_digital_fact", exportDigitalFacts},
		{"mpp_digital_pilot", exportDigitalPilots}, {"mpp_digital_region", exportDigitalRegions},
		{"mpp_cost", exportCosts}, {"fiscal_capacity", exportFiscalCapacity}, {"dataset_file", exportDatasetFiles},
	}
	for _, st := range steps {
		if err := st.fn(ctx, tx, ds); err != nil {
			return nil, "", fmt.Errorf("export: read %s: %w", st.table, err)
		}
	}
	if len(ds.Regions) == 0 {
		return nil, "", errors.New("export: the database holds no reference data; import a folder first")
	}
	var lastDir string
	err = tx.QueryRow(ctx, `SELECT data_dir FROM import_run ORDER BY id DESC LIMIT 1`).Scan(&lastDir)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, "", fmt.Errorf("export: read import_run: %w", err)
	}
	return ds, lastDir, nil
}

// exportDate reads a nullable pdate column. Unlike the snapshot's, a value Parse refuses is an
// error: the release would otherwise lose the date without a word.
func exportDate(s *string) (pdate.Date, error) {
	if s == nil {
		return pdate.Date{}, nil
	}
	return pdate.Parse(*s)
}

// collect runs sql and appends one value per row with scan.
func collect[T any](ctx context.Context, tx pgx.Tx, out *[]T, sql string, scan func(pgx.CollectableRow) (T, error)) error {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return err
	}
	*out, err = pgx.CollectRows(rows, scan)
	return err
}

func exportProvinces(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.Provinces, `SELECT code, name, kabupaten_count, kota_count FROM province ORDER BY code COLLATE "C"`,
		func(r pgx.CollectableRow) (refdata.Province, error) {
			var p refdata.Province
			err := r.Scan(&p.Code, &p.Name, &p.KabupatenCount, &p.KotaCount)
			return p, err
		})
}

func exportRegions(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.Regions, `
		SELECT r.code, r.name, r.province_code, p.name, r.kind
		FROM region r JOIN province p ON p.code = r.province_code
		ORDER BY r.code COLLATE "C"`,
		func(r pgx.CollectableRow) (refdata.Region, error) {
			var x refdata.Region
			err := r.Scan(&x.Code, &x.Name, &x.ProvinceCode, &x.ProvinceName, &x.Kind)
			return x, err
		})
}

func exportSources(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	// S01 … S99, S100 …: by number, as sources.csv lists them.
	return collect(ctx, tx, &ds.Sources, `
		SELECT id, address, description, published, date_note FROM source
		ORDER BY substr(id, 2)::numeric, id COLLATE "C"`,
		func(r pgx.CollectableRow) (refdata.Source, error) {
			var s refdata.Source
			var date *string
			if err := r.Scan(&s.ID, &s.Address, &s.Description, &date, &s.DateNote); err != nil {
				return s, err
			}
			var err error
			if s.Date, err = exportDate(date); err != nil {
				return s, fmt.Errorf("source %s: %w", s.ID, err)
			}
			return s, nil
		})
}

func exportStatuses(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.Statuses, `
		SELECT region_code, status, as_of, first_known, evidence, source_ids, note FROM region_status
		ORDER BY region_code COLLATE "C"`,
		func(r pgx.CollectableRow) (refdata.RegionStatus, error) {
			var s refdata.RegionStatus
			var asOf, first *string
			if err := r.Scan(&s.RegionCode, &s.Status, &asOf, &first, &s.Evidence, &s.SourceIDs, &s.Note); err != nil {
				return s, err
			}
			var err1, err2 error
			s.AsOf, err1 = exportDate(asOf)
			s.FirstKnown, err2 = exportDate(first)
			if err := errors.Join(err1, err2); err != nil {
				return s, fmt.Errorf("status of %s: %w", s.RegionCode, err)
			}
			return s, nil
		})
}

func exportSites(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	// By the natural key, as mpp_locations.csv is sorted ("31 (province-level)" and NULL both
	// sort before the province's kab/kota), not by id: an import deletes and re-adds the
	// imported sites around the stewards' ones, so ids stop following the file.
	return collect(ctx, tx, &ds.Sites, `
		SELECT province_code, coalesce(region_code, ''), coalesce(province_name, ''), name, inaugurated, event_id,
		       evidence, source_ids, note
		FROM mpp_site
		ORDER BY province_code COLLATE "C", coalesce(region_code, '') COLLATE "C", name COLLATE "C"`,
		func(r pgx.CollectableRow) (refdata.Site, error) {
			var s refdata.Site
			var date *string
			if err := r.Scan(&s.ProvinceCode, &s.RegionCode, &s.ProvinceName, &s.Name, &date, &s.EventID,
				&s.Evidence, &s.SourceIDs, &s.Note); err != nil {
				return s, err
			}
			var err error
			if s.Inaugurated, err = exportDate(date); err != nil {
				return s, fmt.Errorf("site %q: %w", s.Name, err)
			}
			return s, nil
		})
}

func exportNationalCounts(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.NationalCounts, `
		SELECT year, as_of, cumulative, value_type, is_year_end_best, denominator_note, source_ids, note
		FROM national_count ORDER BY id`,
		func(r pgx.CollectableRow) (refdata.NationalCount, error) {
			var c refdata.NationalCount
			var asOf string
			if err := r.Scan(&c.Year, &asOf, &c.Cumulative, &c.ValueType, &c.IsYearEndBest, &c.DenominatorNote,
				&c.SourceIDs, &c.Note); err != nil {
				return c, err
			}
			var err error
			if c.AsOf, err = exportDate(&asOf); err != nil {
				return c, fmt.Errorf("national count of %d: %w", c.Year, err)
			}
			return c, nil
		})
}

func exportTargets(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.Targets, `
		SELECT id, set_by, stated_on, target_year, target, scope, outcome_note, source_ids
		FROM target ORDER BY id COLLATE "C"`,
		func(r pgx.CollectableRow) (refdata.Target, error) {
			var t refdata.Target
			var stated *string
			if err := r.Scan(&t.ID, &t.SetBy, &stated, &t.TargetYear, &t.Target, &t.Scope, &t.OutcomeNote, &t.SourceIDs); err != nil {
				return t, err
			}
			var err error
			if t.StatedOn, err = exportDate(stated); err != nil {
				return t, fmt.Errorf("target %s: %w", t.ID, err)
			}
			return t, nil
		})
}

func exportInhibitors(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.Inhibitors, `SELECT category, finding, area, date_text, source_ids FROM inhibitor ORDER BY id`,
		func(r pgx.CollectableRow) (refdata.Inhibitor, error) {
			var x refdata.Inhibitor
			err := r.Scan(&x.Category, &x.Finding, &x.Where, &x.DateText, &x.SourceIDs)
			return x, err
		})
}

func exportDigitalFacts(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.DigitalFacts, `SELECT date_text, metric, value, source_ids FROM mpp_digital_fact ORDER BY id`,
		func(r pgx.CollectableRow) (refdata.DigitalFact, error) {
			var x refdata.DigitalFact
			err := r.Scan(&x.DateText, &x.Metric, &x.Value, &x.SourceIDs)
			return x, err
		})
}

func exportDigitalPilots(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.DigitalPilots, `SELECT name_as_published, event_date, source_ids, note FROM mpp_digital_pilot ORDER BY id`,
		func(r pgx.CollectableRow) (refdata.DigitalPilot, error) {
			var x refdata.DigitalPilot
			err := r.Scan(&x.NameAsPublished, &x.EventDate, &x.SourceIDs, &x.Note)
			return x, err
		})
}

func exportDigitalRegions(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	// The table has no id: its key is the order (the reference file is sorted by code).
	return collect(ctx, tx, &ds.DigitalRegions, `
		SELECT region_code, model, as_of, source_ids, note FROM mpp_digital_region
		ORDER BY region_code COLLATE "C", model COLLATE "C"`,
		func(r pgx.CollectableRow) (refdata.DigitalRegion, error) {
			var x refdata.DigitalRegion
			err := r.Scan(&x.RegionCode, &x.Model, &x.AsOf, &x.SourceIDs, &x.Note)
			return x, err
		})
}

func exportCosts(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.Costs, `
		SELECT region_name, coalesce(region_code, ''), amount, what, year_text, source, source_ids, address
		FROM mpp_cost ORDER BY id`,
		func(r pgx.CollectableRow) (refdata.Cost, error) {
			var x refdata.Cost
			err := r.Scan(&x.RegionName, &x.RegionCode, &x.Amount, &x.What, &x.YearText, &x.Source, &x.SourceIDs, &x.Address)
			return x, err
		})
}

func exportFiscalCapacity(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	return collect(ctx, tx, &ds.FiscalCapacity, `
		SELECT level, province_code, coalesce(region_code, ''), regulation, regulation_date, category, source_ids, note
		FROM fiscal_capacity ORDER BY id`,
		func(r pgx.CollectableRow) (refdata.FiscalCapacity, error) {
			var x refdata.FiscalCapacity
			var date *string
			if err := r.Scan(&x.Level, &x.ProvinceCode, &x.RegionCode, &x.Regulation, &date, &x.Category, &x.SourceIDs, &x.Note); err != nil {
				return x, err
			}
			var err error
			if x.RegulationDate, err = exportDate(date); err != nil {
				return x, fmt.Errorf("fiscal capacity of %s %s: %w", x.ProvinceCode, x.RegionCode, err)
			}
			return x, nil
		})
}

func exportDatasetFiles(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) error {
	// Byte order, as Dataset.File's binary search expects.
	return collect(ctx, tx, &ds.Files, `
		SELECT path, sha256, title, publisher, licence, attribution, upstream, as_of, coalesce(datasets_line, 0)
		FROM dataset_file ORDER BY path COLLATE "C"`,
		func(r pgx.CollectableRow) (refdata.FileInfo, error) {
			var f refdata.FileInfo
			err := r.Scan(&f.Path, &f.SHA256, &f.Title, &f.Publisher, &f.Licence, &f.Attribution, &f.Upstream, &f.AsOf, &f.DatasetsLine)
			return f, err
		})
}
