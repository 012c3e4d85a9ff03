package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data/pdate"
	"mppmap/data/refdata"
)

// The stewards' writes: a status edit, a new source, a site added or edited, a bulk status
// update. Each is ONE transaction that takes the ledger lock (the import's advisory lock, so an
// edit never interleaves with an import), checks the revision or ledger version the steward
// saw, writes the row and its history, appends the audit entry, bumps the ledger version and
// NOTIFYs ChangeChannel — so every instance reloads its read model once it commits.
//
// Values arrive checked by package refdata (the importer's own rules); this file only writes.

// Editor is who makes a change: the audit log's actor, the account (for history.user_id) and
// the label public history shows — the steward's unit and role, never the e-mail.
type Editor struct {
	Actor  Actor
	UserID int64
	Label  string // e.g. "Deputi Pelayanan Publik, KemenPANRB (steward)"
}

// EditorOf is u making a change in request requestID from client.
func EditorOf(u User, requestID, client string) Editor {
	label := string(u.Role)
	if u.Unit != "" {
		label = u.Unit + " (" + label + ")"
	}
	return Editor{Actor: u.Actor(requestID, client), UserID: u.ID, Label: label}
}

// Errors of the writes; callers map them to 409/412/503.
var (
	// ErrStale: the row changed since the revision the steward saw.
	ErrStale = errors.New("changed since it was read")
	// ErrLedgerChanged: the ledger version moved since a bulk update's dry run.
	ErrLedgerChanged = errors.New("the ledger changed since the dry run")
	// ErrBusy: another write (an import) holds the ledger for longer than a steward waits.
	ErrBusy = errors.New("the ledger is busy (an import is running)")
	// ErrUnavailable: the database cannot be reached.
	ErrUnavailable = errors.New("database unavailable")
)

// lockWait is how long a steward's write waits for the ledger lock.
const lockWait = 10 * time.Second

// StatusRecord is a region's status row as the database holds it now.
type StatusRecord struct {
	Code       string
	Status     refdata.RegionStatus
	Revision   int64
	Origin     string
	UpdatedAt  time.Time
	RecordedBy string // the last history row's changed_by
}

// WriteResult is what a committed write reports: the ledger version it made (the read model
// that includes it has Snapshot.LedgerVersion ≥ this) and the row's new revision.
type WriteResult struct {
	LedgerVersion int64
	Revision      int64
}

// LedgerRef reads what a steward's change is checked against (refdata.Ledger).
func LedgerRef(ctx context.Context, pool *pgxpool.Pool) (refdata.Ledger, error) {
	var lg refdata.Ledger
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT code, name, kabupaten_count, kota_count FROM province ORDER BY code`)
		if err != nil {
			return err
		}
		if lg.Provinces, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (refdata.Province, error) {
			var p refdata.Province
			return p, r.Scan(&p.Code, &p.Name, &p.KabupatenCount, &p.KotaCount)
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT r.code, r.name, r.province_code, p.name, r.kind FROM region r JOIN province p ON p.code = r.province_code ORDER BY r.code`)
		if err != nil {
			return err
		}
		if lg.Regions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (refdata.Region, error) {
			var g refdata.Region
			return g, r.Scan(&g.Code, &g.Name, &g.ProvinceCode, &g.ProvinceName, &g.Kind)
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT id FROM source ORDER BY id`)
		if err != nil {
			return err
		}
		lg.SourceIDs, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return lg, dbErr("read the ledger's code lists", err)
	}
	return lg, nil
}

// CurrentStatus reads a region's status row; ErrNotFound for an unknown code.
func CurrentStatus(ctx context.Context, pool *pgxpool.Pool, code string) (StatusRecord, error) {
	rec, err := currentStatus(ctx, pool, code, false)
	if err != nil {
		return rec, dbErr("read status "+code, err)
	}
	return rec, nil
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func currentStatus(ctx context.Context, q querier, code string, lock bool) (StatusRecord, error) {
	sql := `SELECT st.status, coalesce(st.as_of, ''), coalesce(st.first_known, ''), st.evidence, st.source_ids, st.note,
		st.revision, st.origin, st.updated_at,
		coalesce((SELECT changed_by FROM status_history h WHERE h.region_code = st.region_code ORDER BY changed_at DESC, id DESC LIMIT 1), '')
		FROM region_status st WHERE st.region_code = $1`
	if lock {
		sql += ` FOR UPDATE OF st`
	}
	rec := StatusRecord{Code: code}
	var asOf, first string
	err := q.QueryRow(ctx, sql, code).Scan(&rec.Status.Status, &asOf, &first, &rec.Status.Evidence, &rec.Status.SourceIDs, &rec.Status.Note,
		&rec.Revision, &rec.Origin, &rec.UpdatedAt, &rec.RecordedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return rec, ErrNotFound
	}
	if err != nil {
		return rec, err
	}
	rec.Status.RegionCode = code
	rec.Status.AsOf, _ = pdate.Parse(asOf)
	rec.Status.FirstKnown, _ = pdate.Parse(first)
	rec.Status.SourceIDs = nonNil(rec.Status.SourceIDs)
	return rec, nil
}

// StaleError is ErrStale with the row as it is now, for the conflict page.
type StaleError struct{ Current StatusRecord }

func (e *StaleError) Error() string {
	return fmt.Sprintf("status of %s: %v (revision %d now)", e.Current.Code, ErrStale, e.Current.Revision)
}
func (e *StaleError) Unwrap() error { return ErrStale }

// SetStatus writes a steward's status for st.RegionCode, if its row is still at revision.
func SetStatus(ctx context.Context, pool *pgxpool.Pool, by Editor, st refdata.RegionStatus, revision int64) (WriteResult, error) {
	var res WriteResult
	err := ledgerTx(ctx, pool, func(tx pgx.Tx) error {
		cur, err := currentStatus(ctx, tx, st.RegionCode, true)
		if err != nil {
			return err
		}
		if cur.Revision != revision {
			return &StaleError{Current: cur}
		}
		if res.Revision, err = writeEdit(ctx, tx, by, cur, st, "status.edit"); err != nil {
			return err
		}
		res.LedgerVersion, err = finishWrite(ctx, tx, "status:"+st.RegionCode)
		return err
	})
	return res, err
}

// writeEdit writes one status edit over cur: the row (origin edit, next revision), its history
// row and its audit entry. An edit equal to the row changes nothing and returns its revision.
func writeEdit(ctx context.Context, tx pgx.Tx, by Editor, cur StatusRecord, st refdata.RegionStatus, action string) (int64, error) {
	before, after := fileStatus(cur.Status), fileStatus(st)
	if before.same(after) {
		return cur.Revision, nil
	}
	var rev int64
	if err := tx.QueryRow(ctx, `UPDATE region_status SET status = $2, as_of = $3, first_known = $4, evidence = $5, source_ids = $6,
		note = $7, updated_at = now(), origin = 'edit', revision = revision + 1 WHERE region_code = $1 RETURNING revision`,
		st.RegionCode, st.Status, pdateArg(st.AsOf), pdateArg(st.FirstKnown), st.Evidence, nonNil(st.SourceIDs), st.Note).Scan(&rev); err != nil {
		return 0, fmt.Errorf("write status %s: %w", st.RegionCode, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO status_history (region_code, changed_at, old_status, new_status, as_of, evidence, source_ids, note, changed_by, user_id)
		VALUES ($1, now(), $2, $3, $4, $5, $6, $7, $8, $9)`,
		st.RegionCode, cur.Status.Status, st.Status, pdateArg(st.AsOf), st.Evidence, nonNil(st.SourceIDs), st.Note, by.Label, userIDArg(by.UserID)); err != nil {
		return 0, fmt.Errorf("write status history %s: %w", st.RegionCode, err)
	}
	if err := AppendAudit(ctx, tx, audit(by.Actor, action, "region:"+st.RegionCode, before.json(), after.json())); err != nil {
		return 0, err
	}
	return rev, nil
}

func userIDArg(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// NewSource is a source a steward adds: its address (a web address or a description of a
// document), title, publisher and date.
type NewSource struct {
	Address, Title, Publisher string
	Date                      pdate.Date
}

// Description is the reference file's description column for it: "Publisher - Title", the
// pattern of mpp/sources.csv.
func (s NewSource) Description() string {
	switch {
	case s.Publisher == "":
		return s.Title
	case s.Title == "":
		return s.Publisher
	}
	return s.Publisher + " - " + s.Title
}

// FirstStewardSourceID is where stewards' source ids start, far above the reference folder's
// (S01…S3xx), so a later release of the folder does not reuse one of them for another document.
const FirstStewardSourceID = 9001

// insertSource writes s as a steward's source (origin edit) with the next free id from
// FirstStewardSourceID on, inside tx, and returns the id.
func insertSource(ctx context.Context, tx pgx.Tx, s NewSource, dateNote string) (string, error) {
	var n int64
	if err := tx.QueryRow(ctx, `SELECT greatest($1, coalesce(max(substr(id, 2)::bigint) + 1, $1)) FROM source`, FirstStewardSourceID).Scan(&n); err != nil {
		return "", fmt.Errorf("next source id: %w", err)
	}
	id := "S" + strconv.FormatInt(n, 10)
	if _, err := tx.Exec(ctx, `INSERT INTO source (id, address, description, published, date_note, origin) VALUES ($1, $2, $3, $4, $5, 'edit')`,
		id, s.Address, s.Description(), pdateArg(s.Date), dateNote); err != nil {
		return "", fmt.Errorf("write source %s: %w", id, err)
	}
	return id, nil
}

// AddSource adds a source and returns its new id.
func AddSource(ctx context.Context, pool *pgxpool.Pool, by Editor, s NewSource) (string, WriteResult, error) {
	var id string
	var res WriteResult
	err := ledgerTx(ctx, pool, func(tx pgx.Tx) error {
		var err error
		if id, err = insertSource(ctx, tx, s, ""); err != nil {
			return err
		}
		after, _ := json.Marshal(map[string]string{"id": id, "address": s.Address, "title": s.Title, "publisher": s.Publisher, "date": s.Date.String()})
		if err := AppendAudit(ctx, tx, audit(by.Actor, "source.add", "source:"+id, nil, after)); err != nil {
			return err
		}
		res.LedgerVersion, err = finishWrite(ctx, tx, "source:"+id)
		return err
	})
	return id, res, err
}

// SiteRecord is an MPP site row with its id and revision.
type SiteRecord struct {
	ID       int64
	Site     refdata.Site
	Revision int64
	Origin   string
}

// SitesOf reads a region's sites (and for DKI Jakarta's units, none: the provincial site is
// edited under the province).
func SitesOf(ctx context.Context, pool *pgxpool.Pool, regionCode string) ([]SiteRecord, error) {
	rows, err := pool.Query(ctx, `SELECT id, province_code, coalesce(region_code, ''), name, coalesce(inaugurated, ''), event_id, evidence,
		source_ids, note, revision, origin FROM mpp_site WHERE region_code = $1 ORDER BY name`, regionCode)
	if err != nil {
		return nil, dbErr("read sites of "+regionCode, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SiteRecord, error) {
		var s SiteRecord
		var d string
		err := r.Scan(&s.ID, &s.Site.ProvinceCode, &s.Site.RegionCode, &s.Site.Name, &d, &s.Site.EventID, &s.Site.Evidence,
			&s.Site.SourceIDs, &s.Site.Note, &s.Revision, &s.Origin)
		s.Site.Inaugurated, _ = pdate.Parse(d)
		return s, err
	})
	if err != nil {
		return nil, dbErr("read sites of "+regionCode, err)
	}
	return out, nil
}

// SaveSite adds a site (id 0) or changes site id if it is still at revision.
func SaveSite(ctx context.Context, pool *pgxpool.Pool, by Editor, id, revision int64, s refdata.Site) (int64, WriteResult, error) {
	var res WriteResult
	after := siteJSON(s.Inaugurated.String(), s.Evidence, s.SourceIDs, s.Note)
	err := ledgerTx(ctx, pool, func(tx pgx.Tx) error {
		if id == 0 {
			err := tx.QueryRow(ctx, `INSERT INTO mpp_site (province_code, region_code, name, inaugurated, event_id, evidence, source_ids, note, origin)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'edit') RETURNING id, revision`,
				s.ProvinceCode, nullIfEmpty(s.RegionCode), s.Name, pdateArg(s.Inaugurated), s.EventID, s.Evidence, nonNil(s.SourceIDs), s.Note).Scan(&id, &res.Revision)
			if isUnique(err) {
				return fmt.Errorf("site %q: %w: this region already has a site of that name", s.Name, ErrExists)
			}
			if err != nil {
				return fmt.Errorf("write site: %w", err)
			}
			if err := AppendAudit(ctx, tx, audit(by.Actor, "site.add", "site:"+strconv.FormatInt(id, 10), nil, after)); err != nil {
				return err
			}
		} else {
			var cur SiteRecord
			var d string
			err := tx.QueryRow(ctx, `SELECT coalesce(inaugurated, ''), evidence, source_ids, note, revision FROM mpp_site WHERE id = $1 FOR UPDATE`, id).
				Scan(&d, &cur.Site.Evidence, &cur.Site.SourceIDs, &cur.Site.Note, &cur.Revision)
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("read site %d: %w", id, err)
			}
			if cur.Revision != revision {
				return fmt.Errorf("site %d: %w (revision %d now)", id, ErrStale, cur.Revision)
			}
			err = tx.QueryRow(ctx, `UPDATE mpp_site SET province_code = $2, region_code = $3, name = $4, inaugurated = $5, event_id = $6,
				evidence = $7, source_ids = $8, note = $9, origin = 'edit', revision = revision + 1 WHERE id = $1 RETURNING revision`,
				id, s.ProvinceCode, nullIfEmpty(s.RegionCode), s.Name, pdateArg(s.Inaugurated), s.EventID, s.Evidence, nonNil(s.SourceIDs), s.Note).Scan(&res.Revision)
			if isUnique(err) {
				return fmt.Errorf("site %q: %w: this region already has a site of that name", s.Name, ErrExists)
			}
			if err != nil {
				return fmt.Errorf("write site %d: %w", id, err)
			}
			if err := AppendAudit(ctx, tx, audit(by.Actor, "site.edit", "site:"+strconv.FormatInt(id, 10),
				siteJSON(d, cur.Site.Evidence, cur.Site.SourceIDs, cur.Site.Note), after)); err != nil {
				return err
			}
		}
		var err error
		res.LedgerVersion, err = finishWrite(ctx, tx, "site:"+strconv.FormatInt(id, 10))
		return err
	})
	return id, res, err
}

// FieldChange is one value a bulk update changes, named by its CSV column.
type FieldChange struct {
	Code   string `json:"code"`
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Plan is a bulk update's dry run: the ledger version it was computed on and every change.
type Plan struct {
	Base    int64
	Changes []FieldChange
}

// statusFields are a status row's columns in the file's order, with their text.
func statusFields(st refdata.RegionStatus) [][2]string {
	return [][2]string{
		{"mpp_status", string(st.Status)}, {"status_as_of", st.AsOf.String()}, {"first_known_date", st.FirstKnown.String()},
		{"evidence", st.Evidence}, {"source_ids", strings.Join(st.SourceIDs, ";")}, {"notes", st.Note},
	}
}

func diffStatus(cur, next refdata.RegionStatus) []FieldChange {
	var out []FieldChange
	a, b := statusFields(cur), statusFields(next)
	for i := range a {
		if a[i][1] != b[i][1] {
			out = append(out, FieldChange{Code: next.RegionCode, Field: a[i][0], Before: a[i][1], After: b[i][1]})
		}
	}
	return out
}

// PlanStatuses is the dry run of a bulk update of rows: what would change, against which
// ledger version. Nothing is written.
func PlanStatuses(ctx context.Context, pool *pgxpool.Pool, rows []refdata.RegionStatus) (Plan, error) {
	var p Plan
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT version FROM ledger_version`).Scan(&p.Base); err != nil {
			return err
		}
		var err error
		p.Changes, err = planIn(ctx, tx, rows)
		return err
	})
	if err != nil {
		return p, dbErr("plan the bulk update", err)
	}
	return p, nil
}

func planIn(ctx context.Context, tx pgx.Tx, rows []refdata.RegionStatus) ([]FieldChange, error) {
	changes := []FieldChange{}
	for _, st := range rows {
		cur, err := currentStatus(ctx, tx, st.RegionCode, false)
		if err != nil {
			return nil, fmt.Errorf("status of %s: %w", st.RegionCode, err)
		}
		changes = append(changes, diffStatus(cur.Status, st)...)
	}
	return changes, nil
}

// LedgerChangedError is ErrLedgerChanged with a fresh plan on the current ledger.
type LedgerChangedError struct{ Plan Plan }

func (e *LedgerChangedError) Error() string {
	return fmt.Sprintf("%v (version %d now)", ErrLedgerChanged, e.Plan.Base)
}
func (e *LedgerChangedError) Unwrap() error { return ErrLedgerChanged }

// ApplyStatuses writes a bulk update in ONE transaction, all rows or none, if the ledger is
// still at base (the version of its dry run); else a LedgerChangedError carries a fresh plan.
func ApplyStatuses(ctx context.Context, pool *pgxpool.Pool, by Editor, rows []refdata.RegionStatus, base int64) (Plan, WriteResult, error) {
	var res WriteResult
	var plan Plan
	err := ledgerTx(ctx, pool, func(tx pgx.Tx) error {
		var v int64
		if err := tx.QueryRow(ctx, `SELECT version FROM ledger_version FOR UPDATE`).Scan(&v); err != nil {
			return fmt.Errorf("ledger version: %w", err)
		}
		changes, err := planIn(ctx, tx, rows)
		if err != nil {
			return err
		}
		plan = Plan{Base: v, Changes: changes}
		if v != base {
			return &LedgerChangedError{Plan: plan}
		}
		changed := 0
		for _, st := range rows {
			cur, err := currentStatus(ctx, tx, st.RegionCode, true)
			if err != nil {
				return err
			}
			rev, err := writeEdit(ctx, tx, by, cur, st, "status.bulk")
			if err != nil {
				return err
			}
			if rev != cur.Revision {
				changed++
			}
		}
		summary, _ := json.Marshal(map[string]any{"rows": len(rows), "regions_changed": changed, "fields_changed": len(changes), "base": base})
		if err := AppendAudit(ctx, tx, audit(by.Actor, "bulk.apply", "ledger", nil, summary)); err != nil {
			return err
		}
		res.LedgerVersion, err = finishWrite(ctx, tx, "bulk")
		return err
	})
	return plan, res, err
}

// ledgerTx runs fn in a transaction holding the ledger lock, waiting at most lockWait for it.
func ledgerTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`SET LOCAL lock_timeout = '%dms'`, lockWait.Milliseconds())); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(importLockKey)); err != nil {
			return err
		}
		return fn(tx)
	})
	return dbErr("write", err)
}

// finishWrite bumps the ledger version and NOTIFYs every instance (delivered at commit).
func finishWrite(ctx context.Context, tx pgx.Tx, what string) (int64, error) {
	v, err := bumpLedger(ctx, tx)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, ChangeChannel, what); err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	return v, nil
}

// dbErr classifies a database error: lock timeouts are ErrBusy, an unreachable server is
// ErrUnavailable; our own errors pass unchanged.
func dbErr(what string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &pe) && pe.Code == "55P03": // lock_not_available
		return fmt.Errorf("%s: %w", what, ErrBusy)
	case errors.As(err, &ce), pgconn.SafeToRetry(err), errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &pe):
		return fmt.Errorf("%s: %w: %v", what, ErrUnavailable, err)
	}
	return err
}
