package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"mppmap/data/pdate"
	"mppmap/data/refdata"
)

// A reference import and the stewards' edits live together (issue: "imports and edits"). A row
// of the files replaces a steward's edit only when the file's as-of date is newer than the
// edit's; otherwise the import keeps the edit and reports the conflict. A file row equal to the
// edit (the edit was published in a release, e.g. through `mppmap export`) simply becomes the
// imported row. Either way nothing is lost: the kept file row and the replaced edit are both in
// the audit log, before and after.

// ImportConflict is a steward's edit an import kept although the files say otherwise.
type ImportConflict struct {
	File   string // e.g. mpp/mpp_status_by_region.csv
	Line   int    // the file's row
	Target string // "region:32.73", "source:S9001", "site:32|32.73|MPP Kota Bandung"
	// FileValue and EditValue are both rows, in the notation of the file.
	FileValue, EditValue string
}

// String is the line `mppmap import` prints.
func (c ImportConflict) String() string {
	return fmt.Sprintf("%s:%d: %s: kept the steward's edit (%s); the file says %s", c.File, c.Line, c.Target, c.EditValue, c.FileValue)
}

// newer reports whether a file's as-of date is after an edit's. Partial dates compare by the
// first day of their period (a "<=" bound by its bound): "2025-04" is newer than 2025-03-15,
// "2025-03" is not — when in doubt the steward's edit stays.
func newer(file, edit pdate.Date) bool {
	switch {
	case file.IsZero():
		return false
	case edit.IsZero():
		return true
	}
	return file.Time.After(edit.Time)
}

// statusState is a region_status row as the import compares it.
type statusState struct {
	Status     string   `json:"status"`
	AsOf       string   `json:"as_of"`
	FirstKnown string   `json:"first_known"`
	Evidence   string   `json:"evidence"`
	SourceIDs  []string `json:"source_ids"`
	Note       string   `json:"note"`
	origin     string
	asOf       pdate.Date
}

func fileStatus(s refdata.RegionStatus) statusState {
	return statusState{Status: string(s.Status), AsOf: s.AsOf.String(), FirstKnown: s.FirstKnown.String(), Evidence: s.Evidence,
		SourceIDs: nonNil(s.SourceIDs), Note: s.Note, asOf: s.AsOf}
}

func (a statusState) same(b statusState) bool {
	return a.Status == b.Status && a.AsOf == b.AsOf && a.FirstKnown == b.FirstKnown && a.Evidence == b.Evidence &&
		slices.Equal(a.SourceIDs, b.SourceIDs) && a.Note == b.Note
}

// text is the state in the file's notation, for conflict lines.
func (a statusState) text() string {
	s := a.Status
	if a.AsOf != "" {
		s += " as of " + a.AsOf
	}
	if len(a.SourceIDs) > 0 {
		s += " (" + strings.Join(a.SourceIDs, ";") + ")"
	}
	return s
}

func (a statusState) json() json.RawMessage {
	b, _ := json.Marshal(a)
	return b
}

// currentStatuses reads every region_status row, locked for the import's transaction.
func currentStatuses(ctx context.Context, tx pgx.Tx) (map[string]statusState, error) {
	rows, err := tx.Query(ctx, `SELECT region_code, status, coalesce(as_of, ''), coalesce(first_known, ''), evidence, source_ids, note, origin
		FROM region_status FOR UPDATE`)
	if err != nil {
		return nil, fmt.Errorf("read region_status: %w", err)
	}
	out := map[string]statusState{}
	var code string
	var st statusState
	_, err = pgx.ForEachRow(rows, []any{&code, &st.Status, &st.AsOf, &st.FirstKnown, &st.Evidence, &st.SourceIDs, &st.Note, &st.origin}, func() error {
		st.SourceIDs = nonNil(st.SourceIDs)
		st.asOf, _ = pdate.Parse(st.AsOf)
		out[code] = st
		st = statusState{}
		return nil
	})
	return out, err
}

// writeStatuses writes the file's statuses, reconciled with stewards' edits.
func (im *importer) writeStatuses(ctx context.Context) error {
	if !im.changed(refdata.FileStatus) {
		return nil
	}
	cur, err := currentStatuses(ctx, im.tx)
	if err != nil {
		return err
	}
	by := fmt.Sprintf("import:%d", im.importID)
	for _, s := range im.ds.Statuses {
		file := fileStatus(s)
		c, had := cur[s.RegionCode]
		switch {
		case had && c.same(file):
			if c.origin == OriginEdit {
				// The edit is in the release now: the row is the file's from here on.
				if err := im.exec(ctx, "region_status", `UPDATE region_status SET origin = 'import' WHERE region_code = $1`, s.RegionCode); err != nil {
					return err
				}
			}
			continue
		case had && c.origin == OriginEdit && !newer(s.AsOf, c.asOf):
			conflict := ImportConflict{File: refdata.FileStatus, Line: s.Line, Target: "region:" + s.RegionCode, FileValue: file.text(), EditValue: c.text()}
			im.rep.Conflicts = append(im.rep.Conflicts, conflict)
			if err := im.audit(ctx, "import.edit_kept", conflict.Target, c.json(), file.json()); err != nil {
				return err
			}
			continue
		}
		if _, err := im.tx.Exec(ctx, `
			INSERT INTO region_status (region_code, status, as_of, first_known, evidence, source_ids, note, updated_at, origin)
			VALUES ($1, $2, $3, $4, $5, $6, $7, now(), 'import')
			ON CONFLICT (region_code) DO UPDATE SET status = EXCLUDED.status, as_of = EXCLUDED.as_of,
				first_known = EXCLUDED.first_known, evidence = EXCLUDED.evidence, source_ids = EXCLUDED.source_ids,
				note = EXCLUDED.note, updated_at = now(), origin = 'import', revision = region_status.revision + 1`,
			s.RegionCode, s.Status, pdateArg(s.AsOf), pdateArg(s.FirstKnown), s.Evidence, nonNil(s.SourceIDs), s.Note); err != nil {
			return fmt.Errorf("write region_status %s: %w", s.RegionCode, err)
		}
		im.count("region_status", 1)
		var old any
		if had {
			old = c.Status
		}
		if err := im.exec(ctx, "status_history", `
			INSERT INTO status_history (region_code, changed_at, old_status, new_status, as_of, evidence, source_ids, note, changed_by, import_id)
			VALUES ($1, now(), $2, $3, $4, $5, $6, $7, $8, $9)`,
			s.RegionCode, old, s.Status, pdateArg(s.AsOf), s.Evidence, nonNil(s.SourceIDs), s.Note, by, im.importID); err != nil {
			return err
		}
		if had && c.origin == OriginEdit {
			im.rep.ReplacedEdits++
			if err := im.audit(ctx, "import.edit_replaced", "region:"+s.RegionCode, c.json(), file.json()); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeSources writes the file's sources. A steward's source that the file lacks stays; one the
// file has differently stays too (a conflict): its id is cited by the steward's statuses.
func (im *importer) writeSources(ctx context.Context) error {
	if !im.changed(refdata.FileSources) {
		return nil
	}
	type src struct{ address, description, published, note, origin string }
	rows, err := im.tx.Query(ctx, `SELECT id, address, description, coalesce(published, ''), date_note, origin FROM source FOR UPDATE`)
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	cur := map[string]src{}
	var id string
	var s src
	if _, err := pgx.ForEachRow(rows, []any{&id, &s.address, &s.description, &s.published, &s.note, &s.origin}, func() error {
		cur[id] = s
		return nil
	}); err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	ids := make([]string, 0, len(im.ds.Sources))
	for _, f := range im.ds.Sources {
		ids = append(ids, f.ID)
		fs := src{f.Address, f.Description, f.Date.String(), f.DateNote, OriginImport}
		if c, ok := cur[f.ID]; ok && c.origin == OriginEdit {
			same := c.address == fs.address && c.description == fs.description && c.published == fs.published && c.note == fs.note
			if !same {
				conflict := ImportConflict{File: refdata.FileSources, Line: f.Line, Target: "source:" + f.ID,
					FileValue: fs.address + " " + fs.description, EditValue: c.address + " " + c.description}
				im.rep.Conflicts = append(im.rep.Conflicts, conflict)
				if err := im.audit(ctx, "import.edit_kept", conflict.Target, sourceJSON(c.address, c.description, c.published), sourceJSON(fs.address, fs.description, fs.published)); err != nil {
					return err
				}
				continue
			}
		}
		if err := im.exec(ctx, "source", `
			INSERT INTO source (id, address, description, published, date_note, origin) VALUES ($1, $2, $3, $4, $5, 'import')
			ON CONFLICT (id) DO UPDATE SET address = EXCLUDED.address, description = EXCLUDED.description,
				published = EXCLUDED.published, date_note = EXCLUDED.date_note, origin = 'import'
			WHERE (source.address, source.description, source.published, source.date_note, source.origin)
				IS DISTINCT FROM (EXCLUDED.address, EXCLUDED.description, EXCLUDED.published, EXCLUDED.date_note, 'import')`,
			f.ID, f.Address, f.Description, pdateArg(f.Date), f.DateNote); err != nil {
			return err
		}
	}
	return im.exec(ctx, "source", `DELETE FROM source WHERE origin = 'import' AND NOT (id = ANY($1))`, ids)
}

func sourceJSON(address, description, published string) json.RawMessage {
	b, _ := json.Marshal(map[string]string{"address": address, "description": description, "date": published})
	return b
}

// writeSites replaces the imported sites with the file's and keeps the stewards': a file row
// with the same province, region and name as an edited site replaces it only when equal (then
// it is the file's), else the edit stays and the conflict is reported.
func (im *importer) writeSites(ctx context.Context) error {
	if !im.changed(refdata.FileLocations) {
		return nil
	}
	if err := im.exec(ctx, "mpp_site", `DELETE FROM mpp_site WHERE origin = 'import'`); err != nil {
		return err
	}
	for _, s := range im.ds.Sites {
		tag, err := im.tx.Exec(ctx, `
			INSERT INTO mpp_site (province_code, region_code, name, inaugurated, event_id, evidence, source_ids, note, origin, province_name)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'import', $9)
			ON CONFLICT (province_code, coalesce(region_code, ''), name) DO NOTHING`,
			s.ProvinceCode, nullIfEmpty(s.RegionCode), s.Name, pdateArg(s.Inaugurated), s.EventID, s.Evidence, nonNil(s.SourceIDs), s.Note,
			nullIfEmpty(s.ProvinceName))
		if err != nil {
			return fmt.Errorf("write mpp_site %s: %w", s.Name, err)
		}
		if tag.RowsAffected() == 1 {
			im.count("mpp_site", 1)
			continue
		}
		// An edited site has this key.
		var inaug, evidence, note string
		var ids []string
		var id int64
		if err := im.tx.QueryRow(ctx, `SELECT id, coalesce(inaugurated, ''), evidence, source_ids, note FROM mpp_site
			WHERE province_code = $1 AND coalesce(region_code, '') = $2 AND name = $3`, s.ProvinceCode, s.RegionCode, s.Name).
			Scan(&id, &inaug, &evidence, &ids, &note); err != nil {
			return fmt.Errorf("read mpp_site %s: %w", s.Name, err)
		}
		if inaug == s.Inaugurated.String() && evidence == s.Evidence && slices.Equal(nonNil(ids), nonNil(s.SourceIDs)) && note == s.Note {
			// The province as written is how the file lists the site, not part of the edit.
			if err := im.exec(ctx, "mpp_site", `UPDATE mpp_site SET origin = 'import', event_id = $2, province_name = $3 WHERE id = $1`,
				id, s.EventID, nullIfEmpty(s.ProvinceName)); err != nil {
				return err
			}
			continue
		}
		target := "site:" + s.ProvinceCode + "|" + s.RegionCode + "|" + s.Name
		edit := siteJSON(inaug, evidence, ids, note)
		file := siteJSON(s.Inaugurated.String(), s.Evidence, s.SourceIDs, s.Note)
		im.rep.Conflicts = append(im.rep.Conflicts, ImportConflict{File: refdata.FileLocations, Line: s.Line, Target: target,
			FileValue: string(file), EditValue: string(edit)})
		if err := im.audit(ctx, "import.edit_kept", target, edit, file); err != nil {
			return err
		}
	}
	return nil
}

func siteJSON(inaugurated, evidence string, sourceIDs []string, note string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"inaugurated": inaugurated, "evidence": evidence, "source_ids": nonNil(sourceIDs), "note": note})
	return b
}

// audit appends an audit entry in the import's transaction, by the import.
func (im *importer) audit(ctx context.Context, action, target string, before, after json.RawMessage) error {
	return AppendAudit(ctx, im.tx, AuditEntry{Actor: fmt.Sprintf("import:%d", im.importID), Action: action, Target: target, Before: before, After: after})
}

// Where a ledger row came from (the origin columns of migration 0005).
const (
	OriginImport = "import"
	OriginEdit   = "edit"
)

// bumpLedger moves the ledger version on: every write that changes what the public sees calls
// it in its transaction. The row lock it takes also serialises such writers.
func bumpLedger(ctx context.Context, tx pgx.Tx) (int64, error) {
	var v int64
	err := tx.QueryRow(ctx, `UPDATE ledger_version SET version = version + 1, changed_at = now() RETURNING version`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("ledger version: the row is missing (migration 0005)")
	}
	if err != nil {
		return 0, fmt.Errorf("ledger version: %w", err)
	}
	return v, nil
}

// importSummaryJSON is an import's audit entry: the folder, what changed and what was kept.
func importSummaryJSON(rep *ImportReport) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"dir": rep.Dir, "changed": rep.Changed, "conflicts": len(rep.Conflicts),
		"replaced_edits": rep.ReplacedEdits, "warnings": len(rep.Warnings)})
	return b
}
