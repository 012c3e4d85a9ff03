package data_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data"
	"mppmap/data/datatest"
	"mppmap/data/pdate"
	"mppmap/data/refdata"
)

// importedFixture is a database holding the fixture folder and one steward account.
func importedFixture(t *testing.T) (*pgxpool.Pool, data.Editor) {
	t.Helper()
	_, pool := datatest.NewDB(t)
	if _, err := data.Import(context.Background(), pool, writeFolder(t, fixture, nil), quietLog()); err != nil {
		t.Fatal(err)
	}
	u, err := data.AddUser(context.Background(), pool, data.CLIActor(), "steward@example.go.id", data.RoleSteward, "Deputi Pelayanan Publik", "$argon2id$x")
	if err != nil {
		t.Fatal(err)
	}
	return pool, data.EditorOf(u, "req-1", "192.0.2.1")
}

func bogorYes() refdata.RegionStatus {
	return refdata.RegionStatus{RegionCode: "32.71", Status: refdata.StatusYes, AsOf: pdate.MustParse("2025-03-15"),
		Evidence: "confirmed_named", SourceIDs: []string{"S01"}, Note: "inaugurated; <b>not markup</b> ' OR 1=1 --"}
}

// TestSetStatus: an edit writes the row (origin edit, next revision), a history row with the
// steward's public label and account, an audit entry with before and after, and a new ledger
// version; an edit against an old revision is refused with the row as it is now.
func TestSetStatus(t *testing.T) {
	ctx := context.Background()
	pool, by := importedFixture(t)
	cur, err := data.CurrentStatus(ctx, pool, "32.71")
	if err != nil {
		t.Fatal(err)
	}
	v0 := count(t, pool, `SELECT version FROM ledger_version`)
	res, err := data.SetStatus(ctx, pool, by, bogorYes(), cur.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if res.Revision != cur.Revision+1 || res.LedgerVersion != int64(v0+1) {
		t.Errorf("result %+v, want revision %d, ledger %d", res, cur.Revision+1, v0+1)
	}
	now, err := data.CurrentStatus(ctx, pool, "32.71")
	if err != nil {
		t.Fatal(err)
	}
	if now.Status.Status != refdata.StatusYes || now.Origin != data.OriginEdit || now.Status.Note != bogorYes().Note ||
		now.RecordedBy != "Deputi Pelayanan Publik (steward)" {
		t.Errorf("row now %+v", now)
	}
	if n := count(t, pool, `SELECT count(*) FROM status_history WHERE region_code = '32.71' AND user_id IS NOT NULL AND old_status = 'unknown' AND new_status = 'yes'`); n != 1 {
		t.Errorf("history rows of the edit = %d", n)
	}
	entries, err := data.Audit(ctx, pool, data.AuditFilter{Target: "region:32.71"})
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit: %v %v", entries, err)
	}
	e := entries[0]
	if e.Action != "status.edit" || e.ActorEmail != "steward@example.go.id" || e.RequestID != "req-1" || e.Client != "192.0.2.1" ||
		!strings.Contains(string(e.Before), `"unknown"`) || !strings.Contains(string(e.After), `"yes"`) {
		t.Errorf("audit entry %+v before %s after %s", e, e.Before, e.After)
	}
	// A second steward still holding the first revision.
	_, err = data.SetStatus(ctx, pool, by, refdata.RegionStatus{RegionCode: "32.71", Status: refdata.StatusNo, AsOf: pdate.MustParse("2025"),
		Evidence: "x", SourceIDs: []string{"S02"}}, cur.Revision)
	var stale *data.StaleError
	if !errors.As(err, &stale) || !errors.Is(err, data.ErrStale) || stale.Current.Status.Status != refdata.StatusYes {
		t.Errorf("stale save: %v", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE target = 'region:32.71'`); n != 1 {
		t.Errorf("the refused save left %d audit rows", n)
	}
	// Saving the same values again changes nothing but is not an error.
	res2, err := data.SetStatus(ctx, pool, by, bogorYes(), res.Revision)
	if err != nil || res2.Revision != res.Revision {
		t.Errorf("idempotent save: %+v %v", res2, err)
	}
}

// TestAddSource: stewards' source ids start at FirstStewardSourceID and count up; the audit
// entry records the source.
func TestAddSource(t *testing.T) {
	ctx := context.Background()
	pool, by := importedFixture(t)
	id, _, err := data.AddSource(ctx, pool, by, data.NewSource{Address: "https://example.org/new", Title: "MPP opened", Publisher: "Pemkot", Date: pdate.MustParse("2025-03-15")})
	if err != nil || id != "S9001" {
		t.Fatalf("first id %q, %v", id, err)
	}
	id2, _, err := data.AddSource(ctx, pool, by, data.NewSource{Address: "https://example.org/new2", Title: "t"})
	if err != nil || id2 != "S9002" {
		t.Fatalf("second id %q, %v", id2, err)
	}
	var desc string
	if err := pool.QueryRow(ctx, `SELECT description FROM source WHERE id = 'S9001'`).Scan(&desc); err != nil || desc != "Pemkot - MPP opened" {
		t.Errorf("description %q %v", desc, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'source.add'`); n != 2 {
		t.Errorf("audit rows %d", n)
	}
}

// TestBulkStatuses: the dry run names each changed field against a base; applying with that
// base writes all rows in one transaction; applying with an old base is refused with a fresh
// plan and writes nothing.
func TestBulkStatuses(t *testing.T) {
	ctx := context.Background()
	pool, by := importedFixture(t)
	rows := []refdata.RegionStatus{bogorYes(),
		{RegionCode: "32.01", Status: refdata.StatusNo, AsOf: pdate.MustParse("2024-06"), Evidence: "named_as_without_MPP", SourceIDs: []string{"S01"}}}
	plan, err := data.PlanStatuses(ctx, pool, rows)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, c := range plan.Changes {
		fields[c.Code+"/"+c.Field] = true
		if c.Code == "32.01" {
			t.Errorf("unchanged row 32.01 in the plan: %+v", c)
		}
	}
	for _, f := range []string{"32.71/mpp_status", "32.71/status_as_of", "32.71/evidence", "32.71/source_ids", "32.71/notes"} {
		if !fields[f] {
			t.Errorf("plan lacks %s: %+v", f, plan.Changes)
		}
	}
	// Someone else writes first: the base is stale.
	if _, _, err := data.AddSource(ctx, pool, by, data.NewSource{Address: "https://example.org/x", Title: "x"}); err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, pool)
	fresh, _, err := data.ApplyStatuses(ctx, pool, by, rows, plan.Base)
	var lc *data.LedgerChangedError
	if !errors.As(err, &lc) || fresh.Base != plan.Base+1 || len(fresh.Changes) != len(plan.Changes) {
		t.Fatalf("apply on a stale base: %v, fresh plan %+v", err, fresh)
	}
	if after := fingerprint(t, pool); after != before {
		t.Error("a refused bulk update changed the database")
	}
	if _, res, err := data.ApplyStatuses(ctx, pool, by, rows, fresh.Base); err != nil || res.LedgerVersion != fresh.Base+1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM region_status WHERE origin = 'edit'`); n != 1 {
		t.Errorf("%d edited rows, want 1 (32.01 was unchanged)", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action IN ('status.bulk', 'bulk.apply')`); n != 2 {
		t.Errorf("%d bulk audit rows, want a row edit and the summary", n)
	}
}

// TestImportKeepsNewerEdits: a reference import whose row is not newer than a steward's edit
// keeps the edit and reports the conflict with file, line and both values; a newer row replaces
// the edit; both are audit entries; an equal row takes the edit over quietly.
func TestImportKeepsNewerEdits(t *testing.T) {
	ctx := context.Background()
	pool, by := importedFixture(t)
	cur, _ := data.CurrentStatus(ctx, pool, "32.71")
	if _, err := data.SetStatus(ctx, pool, by, bogorYes(), cur.Revision); err != nil {
		t.Fatal(err)
	}
	status := fixture["mpp/mpp_status_by_region.csv"]
	older := strings.Replace(status, "32.71,32,Jawa Barat,Kota Bogor,unknown,,,no_source_found,,",
		"32.71,32,Jawa Barat,Kota Bogor,in_progress,2025-03,,local_news,S02,", 1)
	rep, err := data.Import(ctx, pool, writeFolder(t, fixture, map[string]string{"mpp/mpp_status_by_region.csv": older}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts) != 1 {
		t.Fatalf("conflicts %v", rep.Conflicts)
	}
	c := rep.Conflicts[0]
	if c.File != refdata.FileStatus || c.Line != 4 || c.Target != "region:32.71" || !strings.Contains(c.FileValue, "in_progress as of 2025-03") ||
		!strings.Contains(c.EditValue, "yes as of 2025-03-15") {
		t.Errorf("conflict %+v", c)
	}
	if now, _ := data.CurrentStatus(ctx, pool, "32.71"); now.Status.Status != refdata.StatusYes || now.Origin != data.OriginEdit {
		t.Errorf("edit not kept: %+v", now)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'import.edit_kept' AND target = 'region:32.71'`); n != 1 {
		t.Errorf("kept-edit audit rows %d", n)
	}
	newer := strings.Replace(status, "32.71,32,Jawa Barat,Kota Bogor,unknown,,,no_source_found,,",
		"32.71,32,Jawa Barat,Kota Bogor,no,2025-04,,named_as_without_MPP,S02,closed again", 1)
	rep, err = data.Import(ctx, pool, writeFolder(t, fixture, map[string]string{"mpp/mpp_status_by_region.csv": newer}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts) != 0 || rep.ReplacedEdits != 1 {
		t.Errorf("newer file: conflicts %v, replaced %d", rep.Conflicts, rep.ReplacedEdits)
	}
	if now, _ := data.CurrentStatus(ctx, pool, "32.71"); now.Status.Status != refdata.StatusNo || now.Origin != data.OriginImport {
		t.Errorf("newer file row not written: %+v", now)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'import.edit_replaced'`); n != 1 {
		t.Errorf("replaced-edit audit rows %d", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'import.run'`); n < 2 {
		t.Errorf("import audit rows %d", n)
	}
}

// TestAuditLogAppendOnlyForLedgerWrites: the rows a steward's edit appends cannot be changed
// afterwards through the application's connection.
func TestAuditLogAppendOnlyForLedgerWrites(t *testing.T) {
	ctx := context.Background()
	pool, by := importedFixture(t)
	cur, _ := data.CurrentStatus(ctx, pool, "32.71")
	if _, err := data.SetStatus(ctx, pool, by, bogorYes(), cur.Revision); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE audit_log SET after = '{}'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := pool.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused as append-only", q, err)
		}
	}
}
