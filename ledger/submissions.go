package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"mppmap/data"
)

// Readers' submissions as stewards review them: each outcome is one transaction of package
// data (an accepted one a normal status edit citing a new source, in the audit log with the
// submission's id); here the values are checked first, with the importer's rules for the status.

// Submissions lists submissions in a state ("" for all) about a region ("" for all), open ones
// first and oldest first.
func (s *Service) Submissions(ctx context.Context, state, region string, limit int) ([]data.Submission, error) {
	return data.Submissions(ctx, s.pool, state, region, limit)
}

// Submission reads one submission (data.ErrNotFound when there is none).
func (s *Service) Submission(ctx context.Context, id int64) (data.Submission, error) {
	return data.SubmissionByID(ctx, s.pool, id)
}

// pendingSource stands, during the check, for the source an accepted submission becomes: the
// check knows it exists, and the id the transaction gives it replaces it.
const pendingSource = "S0"

// MaxReason bounds a rejection's reason: a sentence or two for the audit log.
const MaxReason = 1000

// AcceptSubmission checks in as the region's new status, citing (besides in.SourceIDs) a new
// source made from the submission's address with title and publisher, and writes it all if the
// region's status row is still at revision. It returns the new source's id.
func (s *Service) AcceptSubmission(ctx context.Context, by data.Editor, id int64, in StatusInput, revision int64, title, publisher string) (string, Result, error) {
	sub, err := data.SubmissionByID(ctx, s.pool, id)
	if err != nil {
		return "", Result{}, err
	}
	if sub.State != data.SubmissionOpen {
		return "", Result{}, data.ErrReviewed
	}
	if slices.Contains(in.SourceIDs, pendingSource) {
		return "", Result{}, &InvalidError{Problems: []FieldProblem{{Field: "source_ids", Message: fmt.Sprintf("%q is not a source id", pendingSource)}}}
	}
	title, publisher = strings.TrimSpace(title), strings.TrimSpace(publisher)
	probs := sourceTextProblems(title, publisher)
	if in.Status == string(data.StatusUnknown) {
		// Unknown means no source; an accepted submission is one. (The importer's own check
		// would name the stand-in for the new source, which no steward typed.)
		probs = append(probs, FieldProblem{Field: "status", Message: "unknown means no source was found, but an accepted submission cites one: pick the status its source shows, or reject the submission"})
		in.Status = ""
	}
	st, err := s.checkStatus(ctx, sub.RegionCode, in, pendingSource)
	var inv *InvalidError
	if errors.As(err, &inv) {
		probs = append(probs, inv.Problems...)
	} else if err != nil {
		return "", Result{}, err
	}
	if len(probs) > 0 {
		return "", Result{}, &InvalidError{Problems: probs}
	}
	st.SourceIDs = slices.DeleteFunc(st.SourceIDs, func(id string) bool { return id == pendingSource })
	srcID, w, err := data.AcceptSubmission(ctx, s.pool, by, id, st, revision, title, publisher)
	if err != nil {
		return "", Result{}, err
	}
	res, err := s.shown(ctx, w)
	return srcID, res, err
}

// RejectSubmission closes submission id with a reason (required: the audit log says why).
func (s *Service) RejectSubmission(ctx context.Context, by data.Editor, id int64, reason string) (Result, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxReason {
		return Result{}, &InvalidError{Problems: []FieldProblem{{Field: "reason", Message: fmt.Sprintf("required, at most %d characters", MaxReason)}}}
	}
	w, err := data.CloseSubmission(ctx, s.pool, by, id, data.SubmissionRejected, reason, 0)
	if err != nil {
		return Result{}, err
	}
	return s.shown(ctx, w)
}

// MarkDuplicate closes submission id as a duplicate of submission of, which must be another
// submission about the same region (package data checks it in the closing transaction).
func (s *Service) MarkDuplicate(ctx context.Context, by data.Editor, id, of int64) (Result, error) {
	w, err := data.CloseSubmission(ctx, s.pool, by, id, data.SubmissionDuplicate, "", of)
	var dup *data.DuplicateOfError
	switch {
	case errors.As(err, &dup):
		msg := "pick another submission"
		if dup.Missing {
			msg = fmt.Sprintf("there is no submission %d", of)
		} else if dup.Region != "" {
			msg = fmt.Sprintf("submission %d is about another region (%s)", of, dup.Region)
		}
		return Result{}, &InvalidError{Problems: []FieldProblem{{Field: "duplicate_of", Message: msg}}}
	case err != nil:
		return Result{}, err
	}
	return s.shown(ctx, w)
}
