package data

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"mppmap/data/pdate"
	"mppmap/data/refdata"
	"mppmap/geo"
)

// importLockKey serialises imports (and status writes) across every instance on one database.
const importLockKey = 0x6d70706d6170 // "mppmap"

// ImportReport says what an import found and did.
type ImportReport struct {
	Dir      string
	Rows     map[string]int // rows read per file
	Changed  map[string]int // rows inserted, updated or deleted per table
	Warnings refdata.Problems
	Coverage *CoverageReport // nil when the boundaries did not change
	Took     time.Duration
	ImportID int64 // 0 when nothing changed
	// Conflicts are stewards' edits the import kept (the file's row was not newer);
	// ReplacedEdits counts edits a newer file row replaced. Both are in the audit log.
	Conflicts     []ImportConflict
	ReplacedEdits int
	LedgerVersion int64 // after the import; 0 when nothing changed
}

// NoChange reports whether the import left the database exactly as it was.
func (r *ImportReport) NoChange() bool { return r.ImportID == 0 }

// String is the summary `mppmap import` prints.
func (r *ImportReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "import of %s\n", r.Dir)
	files := make([]string, 0, len(r.Rows))
	for f := range r.Rows {
		files = append(files, f)
	}
	sort.Strings(files)
	fmt.Fprintf(&b, "rows read:\n")
	for _, f := range files {
		fmt.Fprintf(&b, "  %-48s %6d\n", f, r.Rows[f])
	}
	if r.NoChange() {
		fmt.Fprintf(&b, "no changes: the database already holds this data\n")
	} else {
		tables := make([]string, 0, len(r.Changed))
		for t := range r.Changed {
			tables = append(tables, t)
		}
		sort.Strings(tables)
		fmt.Fprintf(&b, "changes (import #%d):\n", r.ImportID)
		for _, t := range tables {
			fmt.Fprintf(&b, "  %-48s %6d\n", t, r.Changed[t])
		}
	}
	if r.Coverage != nil {
		fmt.Fprintf(&b, "boundaries: %s\n", r.Coverage.Summary())
	}
	if r.ReplacedEdits > 0 {
		fmt.Fprintf(&b, "stewards' edits replaced by newer file rows: %d (see the audit log)\n", r.ReplacedEdits)
	}
	fmt.Fprintf(&b, "conflicts (stewards' edits kept): %d\n", len(r.Conflicts))
	for _, c := range r.Conflicts {
		fmt.Fprintf(&b, "  %s\n", c)
	}
	fmt.Fprintf(&b, "warnings: %d\n", len(r.Warnings))
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "  %s\n", w)
	}
	fmt.Fprintf(&b, "took %s\n", r.Took.Round(time.Millisecond))
	return b.String()
}

// IsEmpty reports whether no reference data has been imported yet.
func IsEmpty(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM region`).Scan(&n); err != nil {
		return false, fmt.Errorf("count regions: %w", err)
	}
	return n == 0, nil
}

// Import reads and validates the folder dir completely, then writes it in ONE transaction.
// On any problem it returns refdata.Problems listing all of them and the database is untouched.
// Files whose sha256 matches the last import are skipped, so re-importing the same folder is a
// no-op (no history rows, no new import run); a newer folder updates rows and records each
// status change in status_history. A successful import that changed anything NOTIFYs
// ChangeChannel so every instance reloads its read model.
func Import(ctx context.Context, pool *pgxpool.Pool, dir string, log *slog.Logger) (*ImportReport, error) {
	start := time.Now()
	ds, err := refdata.Load(dir)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Dir: dir, Rows: rowCounts(ds), Changed: map[string]int{}}
	pr := newImportProgress(log, start)
	pr.done("files read and validated", "files", len(ds.Files), "regions", len(ds.Regions))

	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(importLockKey)); err != nil {
		return nil, fmt.Errorf("import lock: %w", err)
	}
	// Geometry validity needs GEOS: check it before the first write, like every other check.
	if probs, err := checkGeometry(ctx, tx, ds); err != nil {
		return nil, err
	} else if len(probs) > 0 {
		return nil, probs
	}
	pr.done("boundaries checked", "features", len(ds.Regions))
	rep.Warnings = ds.Warnings
	im := &importer{tx: tx, ds: ds, rep: rep, log: log, pr: pr}
	if err := im.loadPrevious(ctx); err != nil {
		return nil, err
	}
	if err := tx.QueryRow(ctx, `INSERT INTO import_run (data_dir, started_at, finished_at, summary)
		VALUES ($1, $2, $2, '{}') RETURNING id`, dir, start).Scan(&im.importID); err != nil {
		return nil, fmt.Errorf("record import: %w", err)
	}
	if err := im.write(ctx); err != nil {
		return nil, err
	}
	total := 0
	for _, n := range rep.Changed {
		total += n
	}
	pr.done("tables written", "rows_changed", total)
	if total == 0 && len(rep.Conflicts) == 0 {
		// Nothing differs: roll back, which also drops the import_run row.
		rep.Took = time.Since(start)
		return rep, nil
	}
	rep.ImportID = im.importID
	rep.Took = time.Since(start)
	if _, err := tx.Exec(ctx, `UPDATE import_run SET finished_at = now(), summary = $2 WHERE id = $1`,
		im.importID, map[string]any{"rows": rep.Rows, "changed": rep.Changed, "warnings": len(rep.Warnings)}); err != nil {
		return nil, fmt.Errorf("record import: %w", err)
	}
	if rep.LedgerVersion, err = bumpLedger(ctx, tx); err != nil {
		return nil, err
	}
	if err := im.audit(ctx, "import.run", fmt.Sprintf("import:%d", im.importID), nil, importSummaryJSON(rep)); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, ChangeChannel, fmt.Sprintf("import:%d", im.importID)); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit import: %w", err)
	}
	rep.Took = time.Since(start)
	log.Info("import committed", "import", im.importID, "changed", rep.Changed, "took", rep.Took.Round(time.Millisecond))
	return rep, nil
}

// rowCounts is the number of rows read per file present in the folder.
func rowCounts(ds *refdata.Dataset) map[string]int {
	all := []struct {
		path string
		n    int
	}{
		{refdata.FileProvinces, len(ds.Provinces)}, {refdata.FileKabkota, len(ds.Regions)}, {refdata.FileKabkotaGeoJSON, len(ds.Regions)},
		{refdata.FileSources, len(ds.Sources)}, {refdata.FileStatus, len(ds.Statuses)}, {refdata.FileLocations, len(ds.Sites)},
		{refdata.FileNationalCounts, len(ds.NationalCounts)}, {refdata.FileTargets, len(ds.Targets)},
		{refdata.FileInhibitors, len(ds.Inhibitors)}, {refdata.FileDigital, len(ds.DigitalFacts)},
		{refdata.FileDigitalPilots, len(ds.DigitalPilots)}, {refdata.FileDigitalRegions, len(ds.DigitalRegions)},
		{refdata.FileCosts, len(ds.Costs)}, {refdata.FileFiscalCapacity, len(ds.FiscalCapacity)},
		{refdata.FileRegionFiscal, regionFiscalRows(ds)},
	}
	m := map[string]int{}
	for _, f := range all {
		if _, ok := ds.File(f.path); ok {
			m[f.path] = f.n
		}
	}
	if len(ds.IndicatorValues) > 0 {
		m["indicator values (fiscal/, demography/)"] = len(ds.IndicatorValues)
	}
	return m
}

// regionFiscalRows is the number of kab/kota the fiscal-capacity file gives a value for: its
// rows, since a row without any value is warned and yields nothing.
func regionFiscalRows(ds *refdata.Dataset) int {
	n := 0
	for i, v := range ds.RegionFiscal {
		if i == 0 || v.RegionCode != ds.RegionFiscal[i-1].RegionCode {
			n++
		}
	}
	return n
}

// checkGeometry asks PostGIS whether every boundary is valid, and whether an invalid one can be
// repaired into a non-empty (multi)polygon. It writes nothing.
func checkGeometry(ctx context.Context, tx pgx.Tx, ds *refdata.Dataset) (refdata.Problems, error) {
	codes := make([]string, len(ds.Regions))
	wkbs := make([][]byte, len(ds.Regions))
	for i, r := range ds.Regions {
		codes[i] = r.Code
		b, err := wkb.Marshal(r.Geom)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", r.Code, err)
		}
		wkbs[i] = b
	}
	rows, err := tx.Query(ctx, `
		SELECT t.code, ST_IsValidReason(g),
		       ST_IsEmpty(ST_CollectionExtract(ST_MakeValid(g), 3))
		FROM unnest($1::text[], $2::bytea[]) AS t(code, wkb),
		     LATERAL ST_GeomFromWKB(t.wkb, 4326) AS g
		WHERE NOT ST_IsValid(g)`, codes, wkbs)
	if err != nil {
		return nil, fmt.Errorf("check geometry: %w", err)
	}
	var probs refdata.Problems
	var code, reason string
	var unrepairable bool
	_, err = pgx.ForEachRow(rows, []any{&code, &reason, &unrepairable}, func() error {
		if unrepairable {
			probs = append(probs, refdata.Problem{File: refdata.FileKabkotaGeoJSON, Field: "geometry",
				Message: fmt.Sprintf("feature %s: invalid (%s) and not repairable: ST_MakeValid leaves no polygon", code, reason)})
		} else {
			ds.Warnings = append(ds.Warnings, refdata.Problem{File: refdata.FileKabkotaGeoJSON, Field: "geometry",
				Message: fmt.Sprintf("feature %s: invalid (%s); repaired with ST_MakeValid", code, reason)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("check geometry: %w", err)
	}
	return probs, nil
}

// importer carries one import's transaction and what it knows about the previous import.
type importer struct {
	tx       pgx.Tx
	ds       *refdata.Dataset
	rep      *ImportReport
	log      *slog.Logger
	pr       *importProgress
	importID int64
	prevSHA  map[string]string // path → sha256 of the last import
}

func (im *importer) loadPrevious(ctx context.Context) error {
	rows, err := im.tx.Query(ctx, `SELECT path, sha256 FROM dataset_file`)
	if err != nil {
		return fmt.Errorf("read previous import: %w", err)
	}
	im.prevSHA = map[string]string{}
	var p, s string
	_, err = pgx.ForEachRow(rows, []any{&p, &s}, func() error { im.prevSHA[p] = s; return nil })
	return err
}

// changed reports whether any of the files differs from the last import (content, presence).
func (im *importer) changed(paths ...string) bool {
	for _, p := range paths {
		f, ok := im.ds.File(p)
		prev, had := im.prevSHA[p]
		if ok != had || (ok && f.SHA256 != prev) {
			return true
		}
	}
	return false
}

func (im *importer) count(table string, n int64) {
	if n > 0 {
		im.rep.Changed[table] += int(n)
	}
}

func (im *importer) exec(ctx context.Context, table, sql string, args ...any) error {
	tag, err := im.tx.Exec(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	im.count(table, tag.RowsAffected())
	return nil
}

// write applies the dataset in dependency order.
func (im *importer) write(ctx context.Context) error {
	steps := []func(context.Context) error{
		im.writeSources, im.writeProvinces, im.writeRegions, im.writeStatuses, im.writeSites, im.writeFileTables,
		im.writeIndicators, im.writeDatasets,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) writeProvinces(ctx context.Context) error {
	if !im.changed(refdata.FileProvinces, refdata.FileProvincesGeoJSON) {
		return nil
	}
	for _, p := range im.ds.Provinces {
		var geom any
		if len(p.Geom) > 0 {
			geom = wkb.Value(p.Geom)
		}
		if err := im.exec(ctx, "province", `
			INSERT INTO province (code, name, kabupaten_count, kota_count, geom)
			VALUES ($1, $2, $3, $4, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromWKB($5, 4326)), 3)))
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kabupaten_count = EXCLUDED.kabupaten_count,
				kota_count = EXCLUDED.kota_count, geom = EXCLUDED.geom
			WHERE (province.name, province.kabupaten_count, province.kota_count) IS DISTINCT FROM
				(EXCLUDED.name, EXCLUDED.kabupaten_count, EXCLUDED.kota_count)
				OR NOT ST_OrderingEquals(province.geom, EXCLUDED.geom)
				OR (province.geom IS NULL) <> (EXCLUDED.geom IS NULL)`,
			p.Code, p.Name, p.KabupatenCount, p.KotaCount, geom); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) writeRegions(ctx context.Context) error {
	geomChanged := im.changed(refdata.FileKabkotaGeoJSON)
	if !geomChanged && !im.changed(refdata.FileKabkota) {
		return nil
	}
	codes := make([]string, 0, len(im.ds.Regions))
	for _, r := range im.ds.Regions {
		codes = append(codes, r.Code)
		if err := im.exec(ctx, "region", `
			INSERT INTO region (code, name, province_code, kind, geom)
			VALUES ($1, $2, $3, $4, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromWKB($5, 4326)), 3)))
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, province_code = EXCLUDED.province_code,
				kind = EXCLUDED.kind, geom = EXCLUDED.geom
			WHERE (region.name, region.province_code, region.kind) IS DISTINCT FROM
				(EXCLUDED.name, EXCLUDED.province_code, EXCLUDED.kind)
				OR NOT ST_OrderingEquals(region.geom, EXCLUDED.geom)`,
			r.Code, r.Name, r.ProvinceCode, r.Kind, wkb.Value(orb.MultiPolygon(r.Geom))); err != nil {
			return err
		}
	}
	// Regions no longer in the folder (a newer code list) go, with what hangs on them.
	for _, q := range []string{
		`DELETE FROM mpp_site WHERE region_code IS NOT NULL AND NOT (region_code = ANY($1))`,
		`DELETE FROM mpp_digital_region WHERE NOT (region_code = ANY($1))`,
		`DELETE FROM fiscal_capacity WHERE region_code IS NOT NULL AND NOT (region_code = ANY($1))`,
		`UPDATE mpp_cost SET region_code = NULL WHERE NOT (region_code = ANY($1))`,
		`DELETE FROM region WHERE NOT (code = ANY($1))`,
	} {
		if err := im.exec(ctx, "region", q, codes); err != nil {
			return err
		}
	}
	if err := im.exec(ctx, "province", `DELETE FROM province WHERE NOT (code = ANY($1))`, provinceCodes(im.ds)); err != nil {
		return err
	}
	if !geomChanged {
		return nil
	}
	cov, err := rebuildCoverage(ctx, im.tx, im.pr)
	if err != nil {
		return fmt.Errorf("rebuild coverage: %w", err)
	}
	im.rep.Coverage = &cov
	im.count("region_geom_level", int64(len(im.ds.Regions)*len(geo.Details)))
	return nil
}

func provinceCodes(ds *refdata.Dataset) []string {
	out := make([]string, len(ds.Provinces))
	for i, p := range ds.Provinces {
		out[i] = p.Code
	}
	return out
}

// replaceTable is a table filled from one or more files and replaced whole when any changes.
type replaceTable struct {
	table  string
	inputs []string
	cols   []string
	rows   func() [][]any
}

func (im *importer) writeFileTables(ctx context.Context) error {
	ds := im.ds
	tables := []replaceTable{
		{"national_count", []string{refdata.FileNationalCounts},
			[]string{"year", "as_of", "cumulative", "value_type", "is_year_end_best", "denominator_note", "source_ids", "note"},
			func() [][]any {
				out := make([][]any, len(ds.NationalCounts))
				for i, c := range ds.NationalCounts {
					out[i] = []any{c.Year, c.AsOf.String(), c.Cumulative, c.ValueType, c.IsYearEndBest, c.DenominatorNote, nonNil(c.SourceIDs), c.Note}
				}
				return out
			}},
		{"target", []string{refdata.FileTargets},
			[]string{"id", "set_by", "stated_on", "target_year", "target", "scope", "outcome_note", "source_ids"},
			func() [][]any {
				out := make([][]any, len(ds.Targets))
				for i, t := range ds.Targets {
					out[i] = []any{t.ID, t.SetBy, pdateArg(t.StatedOn), t.TargetYear, t.Target, t.Scope, t.OutcomeNote, nonNil(t.SourceIDs)}
				}
				return out
			}},
		// Places resolve against both code lists, so either changing rewrites the table.
		{"inhibitor", []string{refdata.FileInhibitors, refdata.FileKabkota, refdata.FileProvinces},
			[]string{"category", "finding", "area", "region_codes", "province_codes", "scope", "date_text", "source_ids"},
			func() [][]any {
				out := make([][]any, len(ds.Inhibitors))
				for i, x := range ds.Inhibitors {
					out[i] = []any{x.Category, x.Finding, x.Where, nonNil(x.RegionCodes), nonNil(x.ProvinceCodes), x.Scope, x.DateText, nonNil(x.SourceIDs)}
				}
				return out
			}},
		{"mpp_digital_fact", []string{refdata.FileDigital},
			[]string{"date_text", "metric", "value", "source_ids"},
			func() [][]any {
				out := make([][]any, len(ds.DigitalFacts))
				for i, x := range ds.DigitalFacts {
					out[i] = []any{x.DateText, x.Metric, x.Value, nonNil(x.SourceIDs)}
				}
				return out
			}},
		{"mpp_digital_pilot", []string{refdata.FileDigitalPilots},
			[]string{"name_as_published", "event_date", "source_ids", "note"},
			func() [][]any {
				out := make([][]any, len(ds.DigitalPilots))
				for i, x := range ds.DigitalPilots {
					out[i] = []any{x.NameAsPublished, x.EventDate, nonNil(x.SourceIDs), x.Note}
				}
				return out
			}},
		{"mpp_digital_region", []string{refdata.FileDigitalRegions},
			[]string{"region_code", "model", "as_of", "source_ids", "note"},
			func() [][]any {
				out := make([][]any, len(ds.DigitalRegions))
				for i, x := range ds.DigitalRegions {
					out[i] = []any{x.RegionCode, x.Model, x.AsOf, nonNil(x.SourceIDs), x.Note}
				}
				return out
			}},
		{"mpp_cost", []string{refdata.FileCosts},
			[]string{"region_name", "region_code", "amount", "what", "year_text", "source", "source_ids", "address"},
			func() [][]any {
				out := make([][]any, len(ds.Costs))
				for i, x := range ds.Costs {
					out[i] = []any{x.RegionName, nullIfEmpty(x.RegionCode), x.Amount, x.What, x.YearText, x.Source, nonNil(x.SourceIDs), x.Address}
				}
				return out
			}},
		{"fiscal_capacity", []string{refdata.FileFiscalCapacity},
			[]string{"level", "province_code", "region_code", "regulation", "regulation_date", "category", "source_ids", "note"},
			func() [][]any {
				out := make([][]any, len(ds.FiscalCapacity))
				for i, x := range ds.FiscalCapacity {
					out[i] = []any{x.Level, x.ProvinceCode, nullIfEmpty(x.RegionCode), x.Regulation, pdateArg(x.RegulationDate), x.Category, nonNil(x.SourceIDs), x.Note}
				}
				return out
			}},
		// Rows hang on region (ON DELETE CASCADE): a new code list rewrites them too.
		{"region_fiscal_capacity", []string{refdata.FileRegionFiscal, refdata.FileKabkota},
			[]string{"region_code", "period", "regulation", "year", "ratio", "category", "source_ids", "note"},
			func() [][]any {
				periods := map[string]refdata.FiscalPeriod{}
				for _, p := range ds.FiscalPeriods {
					periods[p.ID] = p
				}
				out := make([][]any, len(ds.RegionFiscal))
				for i, x := range ds.RegionFiscal {
					p := periods[x.Period]
					out[i] = []any{x.RegionCode, x.Period, p.Regulation, p.Year, x.Ratio, nullIfEmpty(string(x.Category)), nonNil(x.SourceIDs), x.Note}
				}
				return out
			}},
	}
	for _, t := range tables {
		if err := im.replace(ctx, t.table, t.inputs, t.cols, t.rows()); err != nil {
			return err
		}
	}
	return nil
}

// replace empties table and copies rows into it when any of its input files changed.
func (im *importer) replace(ctx context.Context, table string, inputs, cols []string, rows [][]any) error {
	if !im.changed(inputs...) {
		return nil
	}
	// table is one of our constant names, never input.
	if err := im.exec(ctx, table, "DELETE FROM "+pgx.Identifier{table}.Sanitize()); err != nil {
		return err
	}
	n, err := im.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	im.count(table, n)
	return nil
}

func (im *importer) indicatorInputs() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range im.ds.Indicators {
		if !seen[d.Dataset] {
			seen[d.Dataset] = true
			out = append(out, d.Dataset)
		}
	}
	// A table that disappeared must also trigger a rewrite.
	for p := range im.prevSHA {
		if refdata.IsIndicatorFile(p) && !seen[p] {
			out = append(out, p)
		}
	}
	return out
}

func (im *importer) writeIndicators(ctx context.Context) error {
	inputs := im.indicatorInputs()
	if !im.changed(inputs...) {
		return nil
	}
	defs := make([][]any, len(im.ds.Indicators))
	for i, d := range im.ds.Indicators {
		defs[i] = []any{d.ID, d.LabelID, d.LabelEN, d.Unit, d.Dataset, d.Description}
	}
	vals := make([][]any, len(im.ds.IndicatorValues))
	for i, v := range im.ds.IndicatorValues {
		vals[i] = []any{v.RegionCode, v.IndicatorID, v.Period, v.Value}
	}
	// indicator_value cascades from indicator.
	if err := im.replace(ctx, "indicator", inputs, []string{"id", "label_id", "label_en", "unit", "dataset", "description"}, defs); err != nil {
		return err
	}
	n, err := im.tx.CopyFrom(ctx, pgx.Identifier{"indicator_value"}, []string{"region_code", "indicator_id", "period", "value"}, pgx.CopyFromRows(vals))
	if err != nil {
		return fmt.Errorf("write indicator_value: %w", err)
	}
	im.count("indicator_value", n)
	return nil
}

// writeDatasets records the provenance of every file read and forgets files now absent.
func (im *importer) writeDatasets(ctx context.Context) error {
	paths := make([]string, 0, len(im.ds.Files))
	for _, f := range im.ds.Files {
		paths = append(paths, f.Path)
		if err := im.exec(ctx, "dataset_file", `
			INSERT INTO dataset_file (path, sha256, title, publisher, licence, attribution, upstream, as_of, datasets_line, data_dir, imported_at, import_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11)
			ON CONFLICT (path) DO UPDATE SET sha256 = EXCLUDED.sha256, title = EXCLUDED.title, publisher = EXCLUDED.publisher,
				licence = EXCLUDED.licence, attribution = EXCLUDED.attribution, upstream = EXCLUDED.upstream,
				as_of = EXCLUDED.as_of, datasets_line = EXCLUDED.datasets_line, data_dir = EXCLUDED.data_dir,
				imported_at = now(), import_id = EXCLUDED.import_id
			WHERE (dataset_file.sha256, dataset_file.title, dataset_file.publisher, dataset_file.licence,
				dataset_file.attribution, dataset_file.upstream, dataset_file.as_of, dataset_file.datasets_line) IS DISTINCT FROM
				(EXCLUDED.sha256, EXCLUDED.title, EXCLUDED.publisher, EXCLUDED.licence, EXCLUDED.attribution,
				EXCLUDED.upstream, EXCLUDED.as_of, EXCLUDED.datasets_line)`,
			f.Path, f.SHA256, f.Title, f.Publisher, f.Licence, f.Attribution, f.Upstream, f.AsOf, nullIfZero(f.DatasetsLine),
			im.ds.Dir, im.importID); err != nil {
			return err
		}
	}
	return im.exec(ctx, "dataset_file", `DELETE FROM dataset_file WHERE NOT (path = ANY($1))`, paths)
}

// pdateArg is a pdate column value: NULL for the zero date.
func pdateArg(d pdate.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func nullIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nonNil keeps NOT NULL text[] columns from receiving NULL for an empty list.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
