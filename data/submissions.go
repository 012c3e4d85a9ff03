package data

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data/pdate"
	"mppmap/data/refdata"
)

// Submission is a reader's source for a region's MPP status, waiting for or after review.
type Submission struct {
	ID          int64
	RegionCode  string
	Status      Status
	AsOf        pdate.Date
	SourceURL   string
	SourceTitle string
	Note        string
	Contact     string // "" once reviewed (deleted) or when none was given
	CreatedAt   time.Time
	State       string // open | accepted | rejected | duplicate
	ReviewedAt  time.Time
	Reason      string
	SourceID    string // the source an accepted submission became
	DuplicateOf int64
}

// Submission states.
const (
	SubmissionOpen      = "open"
	SubmissionAccepted  = "accepted"
	SubmissionRejected  = "rejected"
	SubmissionDuplicate = "duplicate"
)

// ErrDuplicate: the region already has a submission with this source address.
var ErrDuplicate = errors.New("this source was already sent for this region")

// ErrTooManyOpen: the region has MaxOpenPerRegion submissions waiting; more would only bury the
// stewards' queue.
var ErrTooManyOpen = errors.New("this region has many submissions waiting for review")

// MaxOpenPerRegion bounds a region's open submissions.
const MaxOpenPerRegion = 20

// AddSubmission stores a reader's submission (already checked by the caller) and NOTIFYs, so
// the region page's "under review" count follows. sourceKey is the normalised address.
func AddSubmission(ctx context.Context, pool *pgxpool.Pool, s Submission, sourceKey string) (int64, error) {
	var id int64
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		// One region's submissions are counted and stored in turn, so two at once cannot both
		// pass the cap (the lock ends with the transaction).
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('submission:' || $1))`, s.RegionCode); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM submission WHERE region_code = $1 AND state = 'open'`, s.RegionCode).Scan(&open); err != nil {
			return err
		}
		if open >= MaxOpenPerRegion {
			return ErrTooManyOpen
		}
		err := tx.QueryRow(ctx, `INSERT INTO submission (region_code, status, as_of, source_url, source_key, source_title, note, contact)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			s.RegionCode, s.Status, pdateArg(s.AsOf), s.SourceURL, sourceKey, s.SourceTitle, s.Note, nullIfEmpty(s.Contact)).Scan(&id)
		if isUnique(err) {
			return ErrDuplicate
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, ChangeChannel, "submission")
		return err
	})
	if errors.Is(err, ErrDuplicate) || errors.Is(err, ErrTooManyOpen) {
		return 0, err
	}
	return id, dbErr("store the submission", err)
}

const submissionColumns = `id, region_code, status, coalesce(as_of, ''), source_url, source_title, note, coalesce(contact, ''),
	created_at, state, coalesce(reviewed_at, 'epoch'), reason, coalesce(source_id, ''), coalesce(duplicate_of, 0)`

func scanSubmission(row pgx.Row) (Submission, error) {
	var s Submission
	var asOf string
	err := row.Scan(&s.ID, &s.RegionCode, &s.Status, &asOf, &s.SourceURL, &s.SourceTitle, &s.Note, &s.Contact, &s.CreatedAt,
		&s.State, &s.ReviewedAt, &s.Reason, &s.SourceID, &s.DuplicateOf)
	s.AsOf, _ = pdate.Parse(asOf)
	if s.ReviewedAt.Equal(time.Unix(0, 0)) {
		s.ReviewedAt = time.Time{}
	}
	return s, err
}

// Submissions lists submissions in a state ("" for all) about a region ("" for every region),
// oldest open first, at most limit.
func Submissions(ctx context.Context, pool *pgxpool.Pool, state, region string, limit int) ([]Submission, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := pool.Query(ctx, `SELECT `+submissionColumns+` FROM submission WHERE ($1 = '' OR state = $1) AND ($3 = '' OR region_code = $3)
		ORDER BY state <> 'open', created_at, id LIMIT $2`, state, limit, region)
	if err != nil {
		return nil, dbErr("read submissions", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Submission, error) { return scanSubmission(r) })
	return out, dbErr("read submissions", err)
}

// SubmissionByID reads one submission.
func SubmissionByID(ctx context.Context, pool *pgxpool.Pool, id int64) (Submission, error) {
	s, err := scanSubmission(pool.QueryRow(ctx, `SELECT `+submissionColumns+` FROM submission WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, ErrNotFound
	}
	return s, dbErr("read submission", err)
}

// ErrReviewed: the submission is no longer open (another steward reviewed it).
var ErrReviewed = errors.New("this submission was already reviewed")

// submissionAudit is what the audit log keeps of a submission: never the contact.
func submissionAudit(s Submission) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"id": s.ID, "region": s.RegionCode, "status": s.Status, "as_of": s.AsOf.String(),
		"source_url": s.SourceURL, "source_title": s.SourceTitle, "note": s.Note})
	return b
}

// lockOpenSubmission reads submission id for update; ErrReviewed unless it is open.
func lockOpenSubmission(ctx context.Context, tx pgx.Tx, id int64) (Submission, error) {
	s, err := scanSubmission(tx.QueryRow(ctx, `SELECT `+submissionColumns+` FROM submission WHERE id = $1 FOR UPDATE`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, err
	}
	if s.State != SubmissionOpen {
		return s, ErrReviewed
	}
	return s, nil
}

// AcceptSubmission turns submission id into a sourced status edit, in ONE transaction: a new
// source from its address and title, the region's status st (checked by the caller with the
// importer's rules; its SourceIDs get the new source) if the row is still at revision, history
// credited to a reader and verified by the steward, the submission closed with its contact
// deleted, and the audit entries — the edit's and the submission's, naming its id.
func AcceptSubmission(ctx context.Context, pool *pgxpool.Pool, by Editor, id int64, st refdata.RegionStatus, revision int64, title, publisher string) (string, WriteResult, error) {
	var res WriteResult
	var sourceID string
	err := ledgerTx(ctx, pool, func(tx pgx.Tx) error {
		sub, err := lockOpenSubmission(ctx, tx, id)
		if err != nil {
			return err
		}
		if st.RegionCode != sub.RegionCode {
			return fmt.Errorf("submission %d is about %s, not %s: %w", id, sub.RegionCode, st.RegionCode, ErrInvalid)
		}
		sourceID, err = insertSource(ctx, tx, NewSource{Address: sub.SourceURL, Title: title, Publisher: publisher},
			"reported by a reader (submission "+strconv.FormatInt(id, 10)+")")
		if err != nil {
			return err
		}
		cur, err := currentStatus(ctx, tx, st.RegionCode, true)
		if err != nil {
			return err
		}
		if cur.Revision != revision {
			return &StaleError{Current: cur}
		}
		st.SourceIDs = append(append([]string(nil), st.SourceIDs...), sourceID)
		credited := by
		credited.Label = SubmissionCredit + strconv.FormatInt(id, 10) + "|" + by.Label
		if res.Revision, err = writeEdit(ctx, tx, credited, cur, st, "status.edit"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE submission SET state = 'accepted', reviewed_at = now(), reviewed_by = $2, contact = NULL, source_id = $3
			WHERE id = $1`, id, userIDArg(by.UserID), sourceID); err != nil {
			return fmt.Errorf("close submission %d: %w", id, err)
		}
		after, _ := json.Marshal(map[string]any{"state": SubmissionAccepted, "source_id": sourceID, "region": st.RegionCode})
		if err := AppendAudit(ctx, tx, audit(by.Actor, "submission.accept", "submission:"+strconv.FormatInt(id, 10), submissionAudit(sub), after)); err != nil {
			return err
		}
		res.LedgerVersion, err = finishWrite(ctx, tx, "submission:"+strconv.FormatInt(id, 10))
		return err
	})
	return sourceID, res, err
}

// SubmissionCredit starts the history label of a status accepted from a submission:
// "submission:<id>|<the steward's label>"; public pages credit "a reader, verified by the
// ministry" and never show the reader.
const SubmissionCredit = "submission:"

// DuplicateOfError is a duplicate marking refused for the submission it names: itself or none
// (Of ≤ 0), one that does not exist (Missing), or one about another region (Region).
type DuplicateOfError struct {
	Of      int64
	Missing bool
	Region  string
}

func (e *DuplicateOfError) Error() string {
	switch {
	case e.Missing:
		return fmt.Sprintf("duplicate of %d: %v", e.Of, ErrNotFound)
	case e.Region != "":
		return fmt.Sprintf("duplicate of %d: it is about another region (%s)", e.Of, e.Region)
	}
	return fmt.Sprintf("duplicate of %d: not another submission", e.Of)
}

// Unwrap makes every DuplicateOfError an ErrInvalid.
func (e *DuplicateOfError) Unwrap() error { return ErrInvalid }

// CloseSubmission rejects submission id with a reason, or marks it a duplicate of another
// about the same region (state SubmissionDuplicate; else a *DuplicateOfError); the contact is
// deleted; the audit log records it.
func CloseSubmission(ctx context.Context, pool *pgxpool.Pool, by Editor, id int64, state, reason string, dupOf int64) (WriteResult, error) {
	if state != SubmissionRejected && state != SubmissionDuplicate {
		return WriteResult{}, fmt.Errorf("close submission: state %q: %w", state, ErrInvalid)
	}
	var res WriteResult
	err := ledgerTx(ctx, pool, func(tx pgx.Tx) error {
		sub, err := lockOpenSubmission(ctx, tx, id)
		if err != nil {
			return err
		}
		if state == SubmissionDuplicate {
			if dupOf == id || dupOf <= 0 {
				return &DuplicateOfError{Of: dupOf}
			}
			var region string
			if err := tx.QueryRow(ctx, `SELECT region_code FROM submission WHERE id = $1`, dupOf).Scan(&region); errors.Is(err, pgx.ErrNoRows) {
				return &DuplicateOfError{Of: dupOf, Missing: true}
			} else if err != nil {
				return err
			}
			if region != sub.RegionCode {
				return &DuplicateOfError{Of: dupOf, Region: region}
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE submission SET state = $2, reviewed_at = now(), reviewed_by = $3, contact = NULL, reason = $4,
			duplicate_of = $5 WHERE id = $1`, id, state, userIDArg(by.UserID), reason, nullID(dupOf)); err != nil {
			return fmt.Errorf("close submission %d: %w", id, err)
		}
		after, _ := json.Marshal(map[string]any{"state": state, "reason": reason, "duplicate_of": dupOf})
		if err := AppendAudit(ctx, tx, audit(by.Actor, "submission."+map[string]string{SubmissionRejected: "reject", SubmissionDuplicate: "duplicate"}[state],
			"submission:"+strconv.FormatInt(id, 10), submissionAudit(sub), after)); err != nil {
			return err
		}
		// The public "under review" count changes: reload.
		res.LedgerVersion, err = finishWrite(ctx, tx, "submission:"+strconv.FormatInt(id, 10))
		return err
	})
	return res, err
}

func nullID(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// ServerSecret returns the shared secret name, creating it (32 random bytes) when the first
// instance asks: every instance on the database then signs and checks with the same key.
func ServerSecret(ctx context.Context, pool *pgxpool.Pool, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO server_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, fresh); err != nil {
		return nil, dbErr("secret "+name, err)
	}
	var v []byte
	if err := pool.QueryRow(ctx, `SELECT value FROM server_secret WHERE name = $1`, name).Scan(&v); err != nil {
		return nil, dbErr("secret "+name, err)
	}
	return v, nil
}

// loadOpenSubmissions counts each region's open submissions for the public pages.
func loadOpenSubmissions(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT region_code, count(*) FROM submission WHERE state = 'open' GROUP BY region_code`)
	if err != nil {
		return err
	}
	s.OpenSubmissions = map[string]int{}
	var code string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&code, &n}, func() error { s.OpenSubmissions[code] = n; return nil })
	return err
}
