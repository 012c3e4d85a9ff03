package data_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/data/refdata"
)

func readerSubmission() data.Submission {
	return data.Submission{RegionCode: "32.71", Status: refdata.StatusYes, AsOf: pdate.MustParse("2026-10"),
		SourceURL: "https://radar.example.id/mpp", SourceTitle: "MPP Kota Bogor diresmikan", Note: "<b>note</b>", Contact: "reader@example.id"}
}

// TestSubmissionLifecycle: a submission is stored open (duplicates refused), accepted into a
// sourced edit credited to a reader with its contact deleted and never in the audit log, or
// rejected; a reviewed submission cannot be reviewed again.
func TestSubmissionLifecycle(t *testing.T) {
	ctx := context.Background()
	pool, by := importedFixture(t)
	id, err := data.AddSubmission(ctx, pool, readerSubmission(), "radar.example.id/mpp")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.AddSubmission(ctx, pool, readerSubmission(), "radar.example.id/mpp"); !errors.Is(err, data.ErrDuplicate) {
		t.Errorf("the same source again: %v", err)
	}
	second := readerSubmission()
	second.SourceURL = "https://other.example.id/x"
	id2, err := data.AddSubmission(ctx, pool, second, "other.example.id/x")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := data.LoadSnapshot(ctx, pool)
	if err != nil || snap.OpenSubmissions["32.71"] != 2 {
		t.Fatalf("open submissions in the read model: %v %v", snap.OpenSubmissions, err)
	}
	cur, _ := data.CurrentStatus(ctx, pool, "32.71")
	st := refdata.RegionStatus{RegionCode: "32.71", Status: refdata.StatusYes, AsOf: pdate.MustParse("2026-10"), Evidence: "local_news"}
	src, res, err := data.AcceptSubmission(ctx, pool, by, id, st, cur.Revision, "MPP Kota Bogor diresmikan", "Radar Bogor")
	if err != nil || src != "S9001" || res.LedgerVersion == 0 {
		t.Fatalf("accept: %q %+v %v", src, res, err)
	}
	now, _ := data.CurrentStatus(ctx, pool, "32.71")
	if now.Status.Status != refdata.StatusYes || strings.Join(now.Status.SourceIDs, ";") != "S9001" ||
		!strings.HasPrefix(now.RecordedBy, data.SubmissionCredit) {
		t.Errorf("status after accepting: %+v", now)
	}
	sub, err := data.SubmissionByID(ctx, pool, id)
	if err != nil || sub.State != data.SubmissionAccepted || sub.Contact != "" || sub.SourceID != "S9001" {
		t.Errorf("accepted submission: %+v %v", sub, err)
	}
	if _, _, err := data.AcceptSubmission(ctx, pool, by, id, st, now.Revision, "t", ""); !errors.Is(err, data.ErrReviewed) {
		t.Errorf("accepting twice: %v", err)
	}
	if _, err := data.CloseSubmission(ctx, pool, by, id2, data.SubmissionRejected, "the article is about Kabupaten Bogor", 0); err != nil {
		t.Fatal(err)
	}
	if sub, _ := data.SubmissionByID(ctx, pool, id2); sub.State != data.SubmissionRejected || sub.Contact != "" {
		t.Errorf("rejected submission: %+v", sub)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action IN ('submission.accept', 'submission.reject')`); n != 2 {
		t.Errorf("submission audit rows %d", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE strpos(coalesce(before::text, '') || coalesce(after::text, ''), 'reader@example.id') > 0`); n != 0 {
		t.Errorf("the contact is in %d audit rows", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM submission WHERE contact IS NOT NULL`); n != 0 {
		t.Errorf("%d reviewed submissions keep a contact", n)
	}
	a, err := data.ServerSecret(ctx, pool, "k")
	b, err2 := data.ServerSecret(ctx, pool, "k")
	if err != nil || err2 != nil || len(a) != 32 || string(a) != string(b) {
		t.Errorf("server secret not shared: %x %x %v %v", a, b, err, err2)
	}
}

// TestSubmissionCapPerRegion: past MaxOpenPerRegion open submissions a region takes no more
// (nothing stored), and a review frees a place.
func TestSubmissionCapPerRegion(t *testing.T) {
	ctx := context.Background()
	pool, by := importedFixture(t)
	var first int64
	for i := 0; i < data.MaxOpenPerRegion; i++ {
		s := readerSubmission()
		s.SourceURL = "https://radar.example.id/mpp/" + strconv.Itoa(i)
		id, err := data.AddSubmission(ctx, pool, s, "radar.example.id/mpp/"+strconv.Itoa(i))
		if err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
		if i == 0 {
			first = id
		}
	}
	over := readerSubmission()
	over.SourceURL = "https://radar.example.id/mpp/over"
	if _, err := data.AddSubmission(ctx, pool, over, "radar.example.id/mpp/over"); !errors.Is(err, data.ErrTooManyOpen) {
		t.Errorf("submission past the cap: %v, want ErrTooManyOpen", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM submission WHERE region_code = '32.71'`); n != data.MaxOpenPerRegion {
		t.Errorf("%d submissions stored, want %d", n, data.MaxOpenPerRegion)
	}
	if _, err := data.CloseSubmission(ctx, pool, by, first, data.SubmissionRejected, "test", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := data.AddSubmission(ctx, pool, over, "radar.example.id/mpp/over"); err != nil {
		t.Errorf("after a review freed a place: %v", err)
	}
}

// TestSubmissionCapUnderConcurrency: submissions sent at once for one region cannot pass the cap
// together (each counts and stores in turn).
func TestSubmissionCapUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	pool, _ := importedFixture(t)
	const n = data.MaxOpenPerRegion + 8
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			s := readerSubmission()
			s.SourceURL = "https://radar.example.id/burst/" + strconv.Itoa(i)
			_, err := data.AddSubmission(ctx, pool, s, "radar.example.id/burst/"+strconv.Itoa(i))
			errs <- err
		}(i)
	}
	refused := 0
	for i := 0; i < n; i++ {
		if err := <-errs; errors.Is(err, data.ErrTooManyOpen) {
			refused++
		} else if err != nil {
			t.Errorf("submission: %v", err)
		}
	}
	if got := count(t, pool, `SELECT count(*) FROM submission WHERE region_code = '32.71' AND state = 'open'`); got != data.MaxOpenPerRegion || refused != n-data.MaxOpenPerRegion {
		t.Errorf("%d stored and %d refused of %d sent at once, want %d stored", got, refused, n, data.MaxOpenPerRegion)
	}
}
