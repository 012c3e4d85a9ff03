// Package ledger is the write side of mppmap: what a data steward changes — a region's status, a
// new source, an MPP site, a bulk status update from a CSV — checked with the reference
// importer's own rules (package refdata: one validator, not two), written by package data in
// one transaction with its audit entry, and then waited for until the read model shows it, so
// that the steward's next page (or the API's response) already has the change.
//
// Both write surfaces call it: the API (Bearer tokens) and the /kelola pages (sessions). It
// holds no state besides its dependencies.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/data/refdata"
	"mppmap/figures"
)

// Service makes stewards' changes.
type Service struct {
	pool   *pgxpool.Pool
	models figures.Source
	// Wait bounds how long a write waits for the read model that shows it.
	Wait time.Duration
}

// New returns a Service writing to pool and waiting on models.
func New(pool *pgxpool.Pool, models figures.Source) *Service {
	return &Service{pool: pool, models: models, Wait: 30 * time.Second}
}

// FieldProblem is one bad field of a change, named as the API's JSON names it.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// InvalidError is a change refused for its values: every bad field, with what is wrong.
type InvalidError struct{ Problems []FieldProblem }

func (e *InvalidError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return "invalid change: " + strings.Join(parts, "; ")
}

// ErrNotShown: the write committed but no read model showed it within Wait (a reload failing or
// slow); the change is in the database and will show with the next successful reload.
var ErrNotShown = errors.New("committed, but the read model has not shown it yet")

// Result is a committed change and the first read model that shows it (nil with ErrNotShown).
type Result struct {
	data.WriteResult
	Model *figures.Model
}

// StatusInput is a region's status as a steward gives it: every value as text, dates in the
// reference data's notation (YYYY-MM-DD, YYYY-MM, YYYY, <=DATE).
type StatusInput struct {
	Status     string
	AsOf       string
	FirstKnown string
	Evidence   string
	SourceIDs  []string
	Note       string
}

// statusFieldNames are the CSV columns refdata names in its problems, as the API's fields.
var statusFieldNames = map[string]string{
	"code": "code", "mpp_status": "status", "status_as_of": "as_of", "first_known_date": "first_known",
	"evidence": "evidence", "source_ids": "source_ids", "notes": "note",
}

// FieldName is the API's name of a status CSV column (bulk problems keep the column's name).
func FieldName(column string) string {
	if f, ok := statusFieldNames[column]; ok {
		return f
	}
	return column
}

func problemsOf(ps refdata.Problems, names map[string]string) *InvalidError {
	e := &InvalidError{}
	for _, p := range ps {
		f := p.Field
		if n, ok := names[f]; ok {
			f = n
		}
		e.Problems = append(e.Problems, FieldProblem{Field: f, Message: p.Message})
	}
	return e
}

// CheckStatus checks in as region code's new status with the importer's rules.
func (s *Service) CheckStatus(ctx context.Context, code string, in StatusInput) (refdata.RegionStatus, error) {
	return s.checkStatus(ctx, code, in, "")
}

// checkStatus is CheckStatus; pending, when set, is a source id the status will cite once the
// same transaction has created it (an accepted submission's), known to the check meanwhile.
func (s *Service) checkStatus(ctx context.Context, code string, in StatusInput, pending string) (refdata.RegionStatus, error) {
	lg, err := data.LedgerRef(ctx, s.pool)
	if err != nil {
		return refdata.RegionStatus{}, err
	}
	if pending != "" {
		lg.SourceIDs = append(lg.SourceIDs, pending)
		in.SourceIDs = append(append([]string(nil), in.SourceIDs...), pending)
	}
	fields := map[string]string{"code": code, "mpp_status": in.Status, "status_as_of": in.AsOf, "first_known_date": in.FirstKnown,
		"evidence": in.Evidence, "source_ids": strings.Join(in.SourceIDs, ";"), "notes": in.Note}
	for _, id := range in.SourceIDs {
		if strings.Contains(id, ";") {
			return refdata.RegionStatus{}, &InvalidError{Problems: []FieldProblem{{Field: "source_ids", Message: fmt.Sprintf("%q: one id per item", id)}}}
		}
	}
	st, probs := refdata.CheckStatus(fields, lg)
	if len(probs) > 0 {
		return st, problemsOf(probs, statusFieldNames)
	}
	return st, nil
}

// SetStatus checks and writes region code's status, if its row is still at revision (the
// revision the steward's form or the profile the API client read carried).
func (s *Service) SetStatus(ctx context.Context, by data.Editor, code string, in StatusInput, revision int64) (Result, error) {
	st, err := s.CheckStatus(ctx, code, in)
	if err != nil {
		return Result{}, err
	}
	w, err := data.SetStatus(ctx, s.pool, by, st, revision)
	if err != nil {
		return Result{}, err
	}
	return s.shown(ctx, w)
}

// SourceInput is a new source as a steward gives it.
type SourceInput struct {
	URL, Title, Publisher, Date string
}

// Limits of a new source's texts: a title is a line, not an article.
const (
	maxURL   = 2000
	maxTitle = 500
)

// sourceTextProblems checks a new source's title (required) and publisher, trimmed.
func sourceTextProblems(title, publisher string) []FieldProblem {
	var probs []FieldProblem
	if title == "" || utf8.RuneCountInString(title) > maxTitle {
		probs = append(probs, FieldProblem{Field: "title", Message: fmt.Sprintf("required, at most %d characters", maxTitle)})
	}
	if utf8.RuneCountInString(publisher) > maxTitle {
		probs = append(probs, FieldProblem{Field: "publisher", Message: fmt.Sprintf("at most %d characters", maxTitle)})
	}
	return probs
}

// AddSource checks and adds a source; it returns the new id.
func (s *Service) AddSource(ctx context.Context, by data.Editor, in SourceInput) (string, Result, error) {
	var probs []FieldProblem
	bad := func(f, format string, args ...any) {
		probs = append(probs, FieldProblem{Field: f, Message: fmt.Sprintf(format, args...)})
	}
	in.URL, in.Title, in.Publisher, in.Date = strings.TrimSpace(in.URL), strings.TrimSpace(in.Title), strings.TrimSpace(in.Publisher), strings.TrimSpace(in.Date)
	if u, err := url.Parse(in.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || utf8.RuneCountInString(in.URL) > maxURL {
		bad("url", "%q: want a web address (http:// or https://, at most %d characters)", in.URL, maxURL)
	}
	probs = append(probs, sourceTextProblems(in.Title, in.Publisher)...)
	var d pdate.Date
	if in.Date != "" {
		// The importer's rule for sources.csv's date column, through its own check.
		src, ps := refdata.CheckSource(map[string]string{"id": "S0", "address": in.URL, "description": in.Title, "date": in.Date}, refdata.Ledger{})
		for _, p := range ps {
			if p.Field == "date" {
				bad("date", "%s", p.Message)
			}
		}
		d = src.Date
	}
	if len(probs) > 0 {
		return "", Result{}, &InvalidError{Problems: probs}
	}
	id, w, err := data.AddSource(ctx, s.pool, by, data.NewSource{Address: in.URL, Title: in.Title, Publisher: in.Publisher, Date: d})
	if err != nil {
		return "", Result{}, err
	}
	res, err := s.shown(ctx, w)
	return id, res, err
}

// SiteInput is an MPP site as a steward gives it; DatePrecision is "day", "month", "year" or
// "before" (with the date as its bound), and must match the date's notation.
type SiteInput struct {
	Name, Inaugurated, DatePrecision, Evidence, Note string
	SourceIDs                                        []string
}

// SaveSite checks and writes a site of region code: a new one (id 0) or site id at revision.
func (s *Service) SaveSite(ctx context.Context, by data.Editor, code string, id, revision int64, in SiteInput) (int64, Result, error) {
	lg, err := data.LedgerRef(ctx, s.pool)
	if err != nil {
		return 0, Result{}, err
	}
	if len(code) < 2 {
		return 0, Result{}, &InvalidError{Problems: []FieldProblem{{Field: "code", Message: "no region"}}}
	}
	inaug := in.Inaugurated
	if in.DatePrecision == "before" && inaug != "" && !strings.HasPrefix(inaug, "<=") {
		inaug = "<=" + inaug
	}
	site, probs := refdata.CheckSite(map[string]string{"province_code": code[:2], "regency_code": code, "name": in.Name,
		"inaugurated_on": inaug, "date_precision": in.DatePrecision, "evidence": in.Evidence,
		"source_ids": strings.Join(in.SourceIDs, ";"), "notes": in.Note}, lg)
	if len(probs) > 0 {
		return 0, Result{}, problemsOf(probs, map[string]string{"inaugurated_on": "inaugurated", "date_precision": "date_precision",
			"notes": "note", "regency_code": "code", "province_code": "code"})
	}
	newID, w, err := data.SaveSite(ctx, s.pool, by, id, revision, site)
	if err != nil {
		return 0, Result{}, err
	}
	res, err := s.shown(ctx, w)
	return newID, res, err
}

// CSVProblem is one problem of a bulk update's file, at its line and column.
type CSVProblem struct {
	Line    int    `json:"line" description:"Line of the file (the header is line 1)."`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Plan is a bulk update's dry run: the ledger version it was computed against ("base", for
// If-Match), every field it would change, and every problem (any problem: nothing can apply).
type Plan struct {
	Base     string             `json:"base"`
	Changes  []data.FieldChange `json:"changes"`
	Problems []CSVProblem       `json:"problems"`
}

// BulkFile is the name problems of a bulk update give its file.
const BulkFile = "upload.csv"

func (s *Service) checkCSV(ctx context.Context, body []byte) ([]refdata.RegionStatus, []CSVProblem, error) {
	lg, err := data.LedgerRef(ctx, s.pool)
	if err != nil {
		return nil, nil, err
	}
	rows, probs, _ := refdata.CheckStatusCSV(BulkFile, body, lg)
	out := []CSVProblem{}
	for _, p := range probs {
		out = append(out, CSVProblem{Line: p.Line, Field: p.Field, Message: p.Message})
	}
	return rows, out, nil
}

// PlanCSV is the dry run of a bulk update: nothing is written.
func (s *Service) PlanCSV(ctx context.Context, body []byte) (Plan, error) {
	rows, probs, err := s.checkCSV(ctx, body)
	if err != nil {
		return Plan{}, err
	}
	p, err := data.PlanStatuses(ctx, s.pool, rows)
	if err != nil {
		return Plan{}, err
	}
	return Plan{Base: formatBase(p.Base), Changes: p.Changes, Problems: probs}, nil
}

// ErrBadBase: an If-Match that is not a ledger version.
var ErrBadBase = errors.New("not a ledger version")

// ParseBase reads a bulk update's base as If-Match carries it: the plan's base, quoted or not.
func ParseBase(s string) (int64, error) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	var v int64
	if _, err := fmt.Sscanf(s, "%d", &v); err != nil || v < 1 || fmt.Sprint(v) != s {
		return 0, fmt.Errorf("%q: %w", s, ErrBadBase)
	}
	return v, nil
}

func formatBase(v int64) string { return fmt.Sprint(v) }

// BulkProblemsError is a bulk update refused for its file's problems.
type BulkProblemsError struct{ Plan Plan }

func (e *BulkProblemsError) Error() string {
	return fmt.Sprintf("bulk update: %d problems in the file", len(e.Plan.Problems))
}

// StaleBaseError is a bulk update whose base is no longer the ledger's version, with the dry
// run on the ledger as it is now.
type StaleBaseError struct{ Plan Plan }

func (e *StaleBaseError) Error() string { return "bulk update: " + data.ErrLedgerChanged.Error() }
func (e *StaleBaseError) Unwrap() error { return data.ErrLedgerChanged }

// ApplyCSV writes a bulk update whose dry run had base: all rows or none.
func (s *Service) ApplyCSV(ctx context.Context, by data.Editor, body []byte, base int64) (Plan, Result, error) {
	rows, probs, err := s.checkCSV(ctx, body)
	if err != nil {
		return Plan{}, Result{}, err
	}
	if len(probs) > 0 {
		p, err := data.PlanStatuses(ctx, s.pool, rows)
		if err != nil {
			return Plan{}, Result{}, err
		}
		plan := Plan{Base: formatBase(p.Base), Changes: p.Changes, Problems: probs}
		return plan, Result{}, &BulkProblemsError{Plan: plan}
	}
	p, w, err := data.ApplyStatuses(ctx, s.pool, by, rows, base)
	plan := Plan{Base: formatBase(p.Base), Changes: p.Changes, Problems: []CSVProblem{}}
	var lc *data.LedgerChangedError
	if errors.As(err, &lc) {
		return plan, Result{}, &StaleBaseError{Plan: plan}
	}
	if err != nil {
		return plan, Result{}, err
	}
	res, err := s.shown(ctx, w)
	return plan, res, err
}

// Audit reads the audit log.
func (s *Service) Audit(ctx context.Context, f data.AuditFilter) ([]data.AuditEntry, error) {
	return data.Audit(ctx, s.pool, f)
}

// Status reads a region's status row as the database holds it now (for a conflict page).
func (s *Service) Status(ctx context.Context, code string) (data.StatusRecord, error) {
	return data.CurrentStatus(ctx, s.pool, code)
}

// Sites reads a region's sites as the database holds them now.
func (s *Service) Sites(ctx context.Context, code string) ([]data.SiteRecord, error) {
	return data.SitesOf(ctx, s.pool, code)
}

// shown waits until the current read model includes the write w (its ledger version).
func (s *Service) shown(ctx context.Context, w data.WriteResult) (Result, error) {
	m, err := s.WaitFor(ctx, w.LedgerVersion)
	return Result{WriteResult: w, Model: m}, err
}

// WaitFor returns the first current Model at or past ledger version v, polling: reloads come
// from the instance's own LISTEN (its notification arrives like everyone's) and take a second or
// two; after s.Wait it gives up with ErrNotShown.
func (s *Service) WaitFor(ctx context.Context, v int64) (*figures.Model, error) {
	deadline := time.Now().Add(s.Wait)
	for {
		if m := s.models.Model(); m != nil && m.Snap.LedgerVersion >= v {
			return m, nil
		}
		if time.Now().After(deadline) {
			return nil, ErrNotShown
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for the read model: %w", ctx.Err())
		case <-time.After(25 * time.Millisecond):
		}
	}
}
