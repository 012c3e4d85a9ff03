package manage

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/ledger"
)

// The review queue of readers' submissions (/kelola/kiriman): each claim beside the region's
// status as it is now and the sources it cites; the submitted address shown as text only — the
// server never fetches it, and the page never links it (a steward opens it deliberately, by
// copying it). Accepting makes a normal status edit citing a new source made from the
// submission (through the same checks as any edit, in the audit log with the submission's id);
// rejecting needs a reason; a duplicate names the submission it repeats.

// queueStates are the queue's filters: open (the default) and each outcome, or all.
var queueStates = []string{data.SubmissionOpen, data.SubmissionAccepted, data.SubmissionRejected, data.SubmissionDuplicate, "all"}

var (
	idRE       = regexp.MustCompile(`^[1-9][0-9]{0,17}$`)
	sourceIDRE = regexp.MustCompile(`^S[0-9]{1,18}$`)
)

// queueLimit bounds the submissions one page lists (open ones first, oldest first).
const queueLimit = 200

// queueView is templates/queue.html.
type queueView struct {
	page
	State  string
	States []option
	Rows   []queueRow
	Shown  int
	More   bool // the list stopped at queueLimit
}

// queueRow is one submission in the list (and the head of its review page).
type queueRow struct {
	ID                              int64
	URL                             string
	Received                        string
	Region, Code, Province          string
	Claim, ClaimClass, ClaimDate    string
	Current, CurrentClass, CurrAsOf string
	Differs                         bool
	SourceURL, SourceTitle, Note    string
	Contact                         string
	State, StateLabel               string
	Open                            bool
	Reviewed, Reason, SourceID      string
	DuplicateOf                     int64
	DuplicateURL                    string
}

func (h *Handler) queueRow(l *lang, m *figures.Model, s data.Submission) queueRow {
	row := queueRow{ID: s.ID, URL: l.url("submission", strconv.FormatInt(s.ID, 10)), Received: dayTime(s.CreatedAt), Code: s.RegionCode,
		Claim: l.T(figures.StatusKey(s.Status)), ClaimClass: statusClass(s.Status), ClaimDate: l.Date(s.AsOf),
		SourceURL: s.SourceURL, SourceTitle: s.SourceTitle, Note: s.Note, Contact: s.Contact, State: s.State,
		StateLabel: l.T("manage.queue.state_" + s.State), Open: s.State == data.SubmissionOpen, Reviewed: dayTime(s.ReviewedAt),
		Reason: s.Reason, SourceID: s.SourceID, DuplicateOf: s.DuplicateOf}
	if row.ClaimDate == "" {
		row.ClaimDate = l.T("format.no_value")
	}
	if s.DuplicateOf != 0 {
		row.DuplicateURL = l.url("submission", strconv.FormatInt(s.DuplicateOf, 10))
	}
	row.Region = s.RegionCode
	if r, ok := m.Region(s.RegionCode); ok {
		row.Region, row.Province = r.Name, r.ProvinceName
		row.Current, row.CurrentClass, row.CurrAsOf = l.T(figures.StatusKey(r.Status)), statusClass(r.Status), l.Date(r.StatusAsOf)
		row.Differs = r.Status != s.Status
	}
	return row
}

// openCount is the number of open submissions in the read model (0 before it loads).
func (h *Handler) openCount() int {
	if m := h.d.Models.Model(); m != nil {
		return m.UnderReview
	}
	return 0
}

func (h *Handler) queuePage(rq *req) error {
	l := rq.l
	m, err := h.model()
	if err != nil {
		return h.fail(rq, err)
	}
	state := strings.TrimSpace(formValue(rq.c, "state"))
	if state == "" {
		state = data.SubmissionOpen
	}
	if !slices.Contains(queueStates, state) {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_param_title", "manage.error.bad_param_text",
			l.T("manage.error.bad_param", "Name", "state", "Allowed", strings.Join(queueStates, ", ")))
	}
	filter := state
	if filter == "all" {
		filter = ""
	}
	subs, err := h.d.Ledger.Submissions(rq.c.UserContext(), filter, "", queueLimit)
	if err != nil {
		return h.fail(rq, err)
	}
	v := queueView{page: h.base(rq, "manage.queue.title"), State: state, Shown: len(subs), More: len(subs) == queueLimit}
	for _, s := range queueStates {
		v.States = append(v.States, option{Value: s, Label: l.T("manage.queue.state_" + s), Selected: s == state})
	}
	for _, s := range subs {
		v.Rows = append(v.Rows, h.queueRow(l, m, s))
	}
	// The notice after a review names only what its redirect carries in this shape: a link
	// made elsewhere cannot put words on the page.
	done, id, src := formValue(rq.c, "done"), formValue(rq.c, "id"), formValue(rq.c, "source")
	if idRE.MatchString(id) {
		switch {
		case done == "accepted" && sourceIDRE.MatchString(src):
			v.Notice = l.T("manage.queue.accepted", "ID", id, "Source", src)
		case done == "rejected":
			v.Notice = l.T("manage.queue.rejected", "ID", id)
		case done == "duplicate":
			v.Notice = l.T("manage.queue.marked_duplicate", "ID", id)
		}
	}
	return h.render(rq, fiber.StatusOK, "queue.html", v)
}

// reviewForm is the accept form as posted (or as the submission suggests it): a status form,
// and the title and publisher of the source the submission becomes.
type reviewForm struct {
	statusForm
	Title, Publisher string
}

func readReviewForm(c *fiber.Ctx) (reviewForm, bool) {
	f, ok := readStatusForm(c)
	return reviewForm{statusForm: f, Title: strings.TrimSpace(formValue(c, "src_title")),
		Publisher: strings.TrimSpace(formValue(c, "src_publisher"))}, ok
}

// reviewState is what a render of the review page shows besides the rows: a posted form kept
// with its problems, the page's status and message.
type reviewState struct {
	status        int
	form          *reviewForm
	problems      map[string]string
	reason        string
	reasonProblem string
	dupOf         string
	dupProblem    string
	problem       string
}

// submissionView is templates/submission.html.
type submissionView struct {
	page
	Sub          queueRow
	PublicURL    string
	EditURL      string
	Now          currentStatus
	AlreadyCited string // a source of the region with the submitted address
	Others       []queueRow

	AcceptAction, RejectAction, DuplicateAction string
	Revision                                    int64
	Statuses                                    []option
	StatusProblem                               string
	AsOf, FirstKnown                            dateField
	Evidence                                    evidenceField
	Sources                                     sourcesField
	Title, Publisher, Note                      string
	TitleProblem, PublisherProblem, NoteProblem string
	OtherProblems                               []string
	Reason, ReasonProblem                       string
	DupOptions                                  []option
	DupProblem                                  string
}

// currentStatus is a region's status row as the database holds it now.
type currentStatus struct {
	Status, Class, AsOf, Evidence, Note, RecordedBy, UpdatedAt string
	Sources                                                    []sourceOption
}

func (h *Handler) submissionID(rq *req) (int64, bool) {
	id, err := strconv.ParseInt(rq.id, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == rq.id
}

func (h *Handler) submissionPage(rq *req) error {
	return h.renderSubmission(rq, reviewState{status: fiber.StatusOK})
}

// renderSubmission shows submission rq.id's review page over the rows as they are now.
func (h *Handler) renderSubmission(rq *req, st reviewState) error {
	l := rq.l
	m, err := h.model()
	if err != nil {
		return h.fail(rq, err)
	}
	id, ok := h.submissionID(rq)
	if !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.queue.not_found")
	}
	ctx := rq.c.UserContext()
	sub, err := h.d.Ledger.Submission(ctx, id)
	if errors.Is(err, data.ErrNotFound) {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.queue.not_found")
	} else if err != nil {
		return h.fail(rq, err)
	}
	r, ok := m.Region(sub.RegionCode)
	if !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.error.no_region")
	}
	rec, err := h.d.Ledger.Status(ctx, r.Code)
	if err != nil {
		return h.fail(rq, err)
	}
	others, err := h.d.Ledger.Submissions(ctx, "", sub.RegionCode, queueLimit)
	if err != nil {
		return h.fail(rq, err)
	}
	v := submissionView{page: h.base(rq, "manage.queue.review_title", "ID", sub.ID, "Name", r.Name), Sub: h.queueRow(l, m, sub),
		PublicURL: l.Prefix + "/wilayah/" + r.Code, EditURL: l.url("region", r.Code),
		AcceptAction: l.url("accept", rq.id), RejectAction: l.url("reject", rq.id), DuplicateAction: l.url("duplicate", rq.id)}
	v.Problem = st.problem
	cur := rec.Status
	v.Now = currentStatus{Status: l.T(figures.StatusKey(cur.Status)), Class: statusClass(cur.Status), AsOf: orNone(l, l.Date(cur.AsOf)),
		Evidence: evidenceLabel(l, cur.Evidence), Note: cur.Note, RecordedBy: recordedBy(l, rec.RecordedBy), UpdatedAt: dayTime(rec.UpdatedAt)}
	for _, sid := range cur.SourceIDs {
		o := sourceOption{ID: sid, Title: l.T("manage.field.source_unknown")}
		if src, ok := m.Source(sid); ok {
			o.Title, o.Address = src.Description, src.Address
		}
		v.Now.Sources = append(v.Now.Sources, o)
	}
	// The sources at hand: what the region's profile cites and its status row now.
	offered := append(append([]string(nil), r.CitedSourceIDs...), cur.SourceIDs...)
	for _, sid := range offered {
		if src, ok := m.Source(sid); ok && sameAddress(src.Address, sub.SourceURL) {
			v.AlreadyCited = sid
			break
		}
	}
	dup := st.dupOf
	for _, o := range others {
		if o.ID != sub.ID {
			row := h.queueRow(l, m, o)
			v.Others = append(v.Others, row)
			label := "#" + strconv.FormatInt(o.ID, 10) + " · " + row.StateLabel + " · " + o.SourceURL
			v.DupOptions = append(v.DupOptions, option{Value: strconv.FormatInt(o.ID, 10), Label: label, Selected: dup == strconv.FormatInt(o.ID, 10)})
		}
	}
	if sub.State != data.SubmissionOpen {
		return h.render(rq, st.status, "submission.html", v)
	}
	// The accept form: the reader's claim, to be checked against the source; the sources the
	// region cites to keep (none ticked: the submission's source is added in any case).
	f := reviewForm{statusForm: statusForm{Status: string(sub.Status), AsOf: partsOf(sub.AsOf), Revision: rec.Revision}, Title: sub.SourceTitle}
	if st.form != nil {
		f = *st.form
		f.Revision = rec.Revision // a stale form comes back on the row as it is now
	}
	probs := st.problems
	if probs == nil {
		probs = map[string]string{}
	}
	v.Revision = f.Revision
	v.Statuses = statusOptions(l, f.Status)
	v.StatusProblem = probs["status"]
	v.AsOf = newDateField(l, "as-of", "as_of", "manage.field.as_of", "manage.queue.as_of_help", f.AsOf, true, probs["as_of"])
	v.FirstKnown = newDateField(l, "first-known", "first_known", "manage.field.first_known", "manage.field.first_known_help", f.FirstKnown, true, probs["first_known"])
	v.Evidence = newEvidenceField(l, "evidence", evidenceValues(m, false), f.Evidence, f.EvidenceOther, probs["evidence"])
	v.Sources = newSourcesField(l, m, "sources", offered, f.Sources, nil, f.SourceMore, probs["source_ids"])
	v.Title, v.Publisher, v.Note = f.Title, f.Publisher, f.Note
	v.TitleProblem, v.PublisherProblem, v.NoteProblem = probs["title"], probs["publisher"], probs["note"]
	for k, msg := range probs {
		switch k {
		case "status", "as_of", "first_known", "evidence", "source_ids", "title", "publisher", "note":
		default:
			v.OtherProblems = append(v.OtherProblems, k+": "+msg)
		}
	}
	v.Reason, v.ReasonProblem = st.reason, st.reasonProblem
	v.DupProblem = st.dupProblem
	return h.render(rq, st.status, "submission.html", v)
}

// sameAddress compares two web addresses as a steward would: scheme, case of the host and a
// trailing slash aside.
func sameAddress(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimSpace(s)
		for _, p := range []string{"https://", "http://"} {
			if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
				s = s[len(p):]
			}
		}
		s = strings.TrimPrefix(s, "www.")
		host, rest, _ := strings.Cut(s, "/")
		return strings.ToLower(host) + "/" + strings.TrimRight(rest, "/")
	}
	return a != "" && norm(a) == norm(b)
}

// reviewErr is the one table from a review's errors to pages; ok is false when err is nil or
// the change is committed but not yet shown (the queue then says it is done).
func (h *Handler) reviewErr(rq *req, err error, st reviewState) (bool, error) {
	l := rq.l
	var inv *ledger.InvalidError
	var stale *data.StaleError
	switch {
	case err == nil, errors.Is(err, ledger.ErrNotShown):
		return false, nil
	case errors.As(err, &inv):
		probs := problemMap(inv.Problems)
		st.status, st.problems, st.problem = fiber.StatusUnprocessableEntity, probs, l.T("manage.queue.invalid")
		st.reasonProblem, st.dupProblem = probs["reason"], probs["duplicate_of"]
		return true, h.renderSubmission(rq, st)
	case errors.As(err, &stale):
		st.status, st.problem = fiber.StatusConflict, l.T("manage.queue.stale")
		return true, h.renderSubmission(rq, st)
	case errors.Is(err, data.ErrReviewed):
		return true, h.renderSubmission(rq, reviewState{status: fiber.StatusConflict, problem: l.T("manage.queue.already_reviewed")})
	case errors.Is(err, data.ErrNotFound):
		return true, h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.queue.not_found")
	}
	return true, h.fail(rq, err)
}

func (h *Handler) acceptPost(rq *req) error {
	l := rq.l
	id, ok := h.submissionID(rq)
	if !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.queue.not_found")
	}
	f, ok := readReviewForm(rq.c)
	if !ok {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_form_title", "manage.error.bad_form_text")
	}
	in, probs := f.input(l)
	if len(probs) > 0 {
		return h.renderSubmission(rq, reviewState{status: fiber.StatusUnprocessableEntity, form: &f, problems: probs, problem: l.T("manage.queue.invalid")})
	}
	src, _, err := h.d.Ledger.AcceptSubmission(rq.c.UserContext(), h.editor(rq), id, in, f.Revision, f.Title, f.Publisher)
	if done, err := h.reviewErr(rq, err, reviewState{form: &f}); done {
		return err
	}
	return rq.c.Redirect(l.url("queue")+"?done=accepted&id="+rq.id+"&source="+src, fiber.StatusSeeOther)
}

func (h *Handler) rejectPost(rq *req) error {
	id, ok := h.submissionID(rq)
	if !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.queue.not_found")
	}
	reason := strings.TrimSpace(formValue(rq.c, "reason"))
	_, err := h.d.Ledger.RejectSubmission(rq.c.UserContext(), h.editor(rq), id, reason)
	if done, err := h.reviewErr(rq, err, reviewState{reason: reason}); done {
		return err
	}
	return rq.c.Redirect(rq.l.url("queue")+"?done=rejected&id="+rq.id, fiber.StatusSeeOther)
}

func (h *Handler) duplicatePost(rq *req) error {
	id, ok := h.submissionID(rq)
	if !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.queue.not_found")
	}
	raw := strings.TrimSpace(formValue(rq.c, "duplicate_of"))
	of, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		of = 0 // the ledger names it: "pick another submission"
	}
	_, err = h.d.Ledger.MarkDuplicate(rq.c.UserContext(), h.editor(rq), id, of)
	if done, err := h.reviewErr(rq, err, reviewState{dupOf: raw}); done {
		return err
	}
	return rq.c.Redirect(rq.l.url("queue")+"?done=duplicate&id="+rq.id, fiber.StatusSeeOther)
}
