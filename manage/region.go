package manage

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/ledger"
)

// statusForm is a region's status form as posted (or as the row gives it).
type statusForm struct {
	Status        string
	AsOf          dateParts
	FirstKnown    dateParts
	Evidence      string // the select's value
	EvidenceOther string
	Sources       []string // the boxes ticked
	SourceMore    string   // the id field as typed
	Note          string
	Revision      int64
}

func formOfRecord(rec data.StatusRecord) statusForm {
	st := rec.Status
	return statusForm{Status: string(st.Status), AsOf: partsOf(st.AsOf), FirstKnown: partsOf(st.FirstKnown), Evidence: st.Evidence,
		Sources: append([]string(nil), st.SourceIDs...), Note: st.Note, Revision: rec.Revision}
}

// readStatusForm reads the status form; ok is false when its revision is missing or garbled
// (a damaged form, not a steward's mistake).
func readStatusForm(c *fiber.Ctx) (statusForm, bool) {
	rev, ok := int64Field(c, "revision")
	return statusForm{
		Status:        strings.TrimSpace(formValue(c, "status")),
		AsOf:          readDate(c, "as_of"),
		FirstKnown:    readDate(c, "first_known"),
		Evidence:      strings.TrimSpace(formValue(c, "evidence")),
		EvidenceOther: formValue(c, "evidence_other"),
		Sources:       formValues(c, "source"),
		SourceMore:    formValue(c, "source_more"),
		Note:          strings.TrimSpace(formValue(c, "note")),
		Revision:      rev,
	}, ok
}

// input is the form as the ledger takes it, or the problems of its dates (by the ledger's
// field names) when they do not make a date.
func (f statusForm) input(l *lang) (ledger.StatusInput, map[string]string) {
	probs := map[string]string{}
	asOf, _, p1 := f.AsOf.notation()
	if p1 != "" {
		probs["as_of"] = l.T(p1)
	}
	first, _, p2 := f.FirstKnown.notation()
	if p2 != "" {
		probs["first_known"] = l.T(p2)
	}
	return ledger.StatusInput{Status: f.Status, AsOf: asOf, FirstKnown: first, Evidence: evidenceOf(f.Evidence, f.EvidenceOther),
		SourceIDs: sourceIDsOf(f.Sources, f.SourceMore), Note: f.Note}, probs
}

// sourceForm is the "add a new source" part of the region page.
type sourceForm struct {
	URL, Title, Publisher string
	Date                  dateParts
}

func readSourceForm(c *fiber.Ctx) sourceForm {
	return sourceForm{URL: strings.TrimSpace(formValue(c, "src_url")), Title: strings.TrimSpace(formValue(c, "src_title")),
		Publisher: strings.TrimSpace(formValue(c, "src_publisher")), Date: readDate(c, "src_date")}
}

// siteForm is one site's form (ID 0: a new site).
type siteForm struct {
	ID, Revision  int64
	Name          string
	Date          dateParts
	Evidence      string
	EvidenceOther string
	Sources       []string
	SourceMore    string
	Note          string
}

func formOfSite(s data.SiteRecord) siteForm {
	return siteForm{ID: s.ID, Revision: s.Revision, Name: s.Site.Name, Date: partsOf(s.Site.Inaugurated), Evidence: s.Site.Evidence,
		Sources: append([]string(nil), s.Site.SourceIDs...), Note: s.Site.Note}
}

func readSiteForm(c *fiber.Ctx) (siteForm, bool) {
	id, ok1 := int64Field(c, "site_id")
	rev, ok2 := int64Field(c, "site_revision")
	return siteForm{ID: id, Revision: rev, Name: strings.TrimSpace(formValue(c, "name")), Date: readDate(c, "date"),
		Evidence: strings.TrimSpace(formValue(c, "evidence")), EvidenceOther: formValue(c, "evidence_other"),
		Sources: formValues(c, "source"), SourceMore: formValue(c, "source_more"), Note: strings.TrimSpace(formValue(c, "note"))}, ok1 && ok2
}

func (f siteForm) input(l *lang) (ledger.SiteInput, map[string]string) {
	probs := map[string]string{}
	d, prec, p := f.Date.notation()
	if p != "" {
		probs["inaugurated"] = l.T(p)
	}
	return ledger.SiteInput{Name: f.Name, Inaugurated: d, DatePrecision: prec, Evidence: evidenceOf(f.Evidence, f.EvidenceOther),
		SourceIDs: sourceIDsOf(f.Sources, f.SourceMore), Note: f.Note}, probs
}

// regionState is what a render of the region page shows besides the database's rows: a posted
// form kept with its problems, a notice.
type regionState struct {
	status         int
	form           *statusForm // nil: the row as it is
	problems       map[string]string
	source         sourceForm
	sourceProblems map[string]string
	site           *siteForm // a posted site form, kept
	siteProblems   map[string]string
	siteConflict   *siteForm // the steward's values of a site that changed meanwhile
	titles         map[string]string
	notice         string
	problem        string
}

// regionView is templates/region.html.
type regionView struct {
	page
	Name, Province, Code string
	PublicURL            string
	Action               string
	SourceAction         string
	SiteAction           string
	Revision             int64
	RecordedBy           string
	UpdatedAt            string
	Statuses             []option
	StatusProblem        string
	AsOf, FirstKnown     dateField
	Evidence             evidenceField
	Sources              sourcesField
	Note                 string
	NoteProblem          string
	OtherProblems        []string

	Source         sourceForm
	SourceDate     dateField
	SourceProblems map[string]string

	Sites   []siteView
	NewSite siteView
}

// siteView is one site's form.
type siteView struct {
	M            *lang
	Action, CSRF string
	Anchor       string
	DateText     string
	ID, Revision int64
	Name         string
	Date         dateField
	Evidence     evidenceField
	Sources      sourcesField
	Note         string
	Problems     map[string]string
	Others       []string
	Conflict     []string // the steward's values that were not saved
	Open         bool
}

func (h *Handler) regionPage(rq *req) error {
	st := regionState{status: fiber.StatusOK}
	switch formValue(rq.c, "saved") {
	case "status":
		st.notice = rq.l.T("manage.region.saved")
	case "site":
		st.notice = rq.l.T("manage.site.saved")
	}
	return h.renderRegion(rq, st)
}

// renderRegion shows the region page with the rows as the database holds them now, and the
// posted forms of st kept.
func (h *Handler) renderRegion(rq *req, st regionState) error {
	l := rq.l
	m, err := h.model()
	if err != nil {
		return h.fail(rq, err)
	}
	r, ok := m.Region(rq.code)
	if !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.error.no_region")
	}
	ctx := rq.c.UserContext()
	rec, err := h.d.Ledger.Status(ctx, r.Code)
	if err != nil {
		return h.fail(rq, err)
	}
	sites, err := h.d.Ledger.Sites(ctx, r.Code)
	if err != nil {
		return h.fail(rq, err)
	}
	f := formOfRecord(rec)
	if st.form != nil {
		f = *st.form
	}
	probs := st.problems
	if probs == nil {
		probs = map[string]string{}
	}
	v := regionView{page: h.base(rq, "manage.region.title", "Name", r.Name), Name: r.Name, Province: r.ProvinceName, Code: r.Code,
		PublicURL: l.Prefix + "/wilayah/" + r.Code, Action: l.url("region", r.Code), SourceAction: l.url("source", r.Code),
		SiteAction: l.url("site", r.Code), Revision: f.Revision, RecordedBy: recordedBy(l, rec.RecordedBy), UpdatedAt: dayTime(rec.UpdatedAt),
		Statuses: statusOptions(l, f.Status), StatusProblem: probs["status"], Note: f.Note, NoteProblem: probs["note"],
		Source: st.source, SourceProblems: st.sourceProblems}
	v.Notice, v.Problem = st.notice, st.problem
	v.AsOf = newDateField(l, "as-of", "as_of", "manage.field.as_of", "manage.field.as_of_help", f.AsOf, true, probs["as_of"])
	v.FirstKnown = newDateField(l, "first-known", "first_known", "manage.field.first_known", "manage.field.first_known_help", f.FirstKnown, true, probs["first_known"])
	v.Evidence = newEvidenceField(l, "evidence", evidenceValues(m, false), f.Evidence, f.EvidenceOther, probs["evidence"])
	offered := append(append([]string(nil), r.CitedSourceIDs...), rec.Status.SourceIDs...)
	v.Sources = newSourcesField(l, m, "sources", offered, f.Sources, st.titles, f.SourceMore, probs["source_ids"])
	for k, msg := range probs {
		switch k {
		case "status", "note", "as_of", "first_known", "evidence", "source_ids":
		default:
			v.OtherProblems = append(v.OtherProblems, k+": "+msg)
		}
	}
	if v.SourceProblems == nil {
		v.SourceProblems = map[string]string{}
	}
	v.SourceDate = newDateField(l, "src-date", "src_date", "manage.source.date", "manage.source.date_help", st.source.Date, false, v.SourceProblems["date"])
	siteEvidence := evidenceValues(m, true)
	for _, s := range sites {
		sf := formOfSite(s)
		var sp map[string]string
		var conflict []string
		open := false
		if st.site != nil && st.site.ID == s.ID {
			sf, sp, open = *st.site, st.siteProblems, true
		}
		if st.siteConflict != nil && st.siteConflict.ID == s.ID {
			conflict, open = h.siteValues(l, *st.siteConflict), true
		}
		sv := h.siteView(l, m, r, sf, siteEvidence, sp, conflict, open)
		sv.Name = s.Site.Name // the summary names the site as saved
		if st.site != nil && st.site.ID == s.ID {
			sv.Name = sf.Name
		}
		sv.DateText, sv.CSRF = l.Date(s.Site.Inaugurated), rq.csrf
		v.Sites = append(v.Sites, sv)
	}
	nf := siteForm{}
	var np map[string]string
	if st.site != nil && st.site.ID == 0 {
		nf, np = *st.site, st.siteProblems
	}
	v.NewSite = h.siteView(l, m, r, nf, siteEvidence, np, nil, np != nil)
	v.NewSite.CSRF = rq.csrf
	return h.render(rq, st.status, "region.html", v)
}

func (h *Handler) siteView(l *lang, m *figures.Model, r *figures.Region, f siteForm, evidence []string, probs map[string]string, conflict []string, open bool) siteView {
	if probs == nil {
		probs = map[string]string{}
	}
	id := "site-new"
	if f.ID != 0 {
		id = "site-" + strconv.FormatInt(f.ID, 10)
	}
	v := siteView{M: l, Action: l.url("site", r.Code), Anchor: id, ID: f.ID, Revision: f.Revision, Name: f.Name, Note: f.Note, Problems: probs, Conflict: conflict, Open: open || len(probs) > 0}
	v.Date = newDateField(l, id+"-date", "date", "manage.site.date", "manage.site.date_help", f.Date, true,
		strings.TrimSpace(probs["inaugurated"]+" "+probs["date_precision"]))
	v.Evidence = newEvidenceField(l, id+"-evidence", evidence, f.Evidence, f.EvidenceOther, probs["evidence"])
	v.Sources = newSourcesField(l, m, id+"-sources", r.CitedSourceIDs, f.Sources, nil, f.SourceMore, probs["source_ids"])
	for k, msg := range probs {
		switch k {
		case "name", "inaugurated", "date_precision", "evidence", "source_ids", "note":
		default:
			v.Others = append(v.Others, k+": "+msg)
		}
	}
	return v
}

// siteValues are a site form's values as text, for the conflict message.
func (h *Handler) siteValues(l *lang, f siteForm) []string {
	in, _ := f.input(l)
	return []string{
		l.T("manage.site.name") + ": " + in.Name,
		l.T("manage.site.date") + ": " + orNone(l, in.Inaugurated),
		l.T("manage.field.evidence") + ": " + orNone(l, in.Evidence),
		l.T("manage.field.sources") + ": " + orNone(l, strings.Join(in.SourceIDs, "; ")),
		l.T("manage.field.note") + ": " + orNone(l, in.Note),
	}
}

func orNone(l *lang, s string) string {
	if s == "" {
		return l.T("format.no_value")
	}
	return s
}

// recordedBy is a history row's changed_by for stewards: a steward's unit and role as it is,
// a reference import by name (with its id, which the audit log lists).
func recordedBy(l *lang, by string) string {
	if strings.HasPrefix(by, "import:") {
		return l.T("region.by_import") + " (" + by + ")"
	}
	return by
}

// dayTime writes a database timestamp for stewards: UTC, to the minute.
func dayTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// problemMap is the ledger's problems by field; several on one field are joined.
func problemMap(ps []ledger.FieldProblem) map[string]string {
	out := map[string]string{}
	for _, p := range ps {
		if out[p.Field] != "" {
			out[p.Field] += "; "
		}
		out[p.Field] += p.Message
	}
	return out
}

func (h *Handler) statusPost(rq *req) error {
	l := rq.l
	m, err := h.model()
	if err != nil {
		return h.fail(rq, err)
	}
	r, ok := m.Region(rq.code)
	if !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.error.no_region")
	}
	f, ok := readStatusForm(rq.c)
	if !ok {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_form_title", "manage.error.bad_form_text")
	}
	in, probs := f.input(l)
	if len(probs) > 0 {
		return h.renderRegion(rq, regionState{status: fiber.StatusUnprocessableEntity, form: &f, problems: probs, problem: l.T("manage.region.invalid")})
	}
	_, err = h.d.Ledger.SetStatus(rq.c.UserContext(), h.editor(rq), r.Code, in, f.Revision)
	var inv *ledger.InvalidError
	var stale *data.StaleError
	switch {
	case errors.As(err, &inv):
		return h.renderRegion(rq, regionState{status: fiber.StatusUnprocessableEntity, form: &f, problems: problemMap(inv.Problems), problem: l.T("manage.region.invalid")})
	case errors.As(err, &stale):
		return h.conflictPage(rq, r, f, in, stale.Current)
	case err != nil && !errors.Is(err, ledger.ErrNotShown):
		return h.fail(rq, err)
	}
	// Committed (ErrNotShown too: the public pages show it with the next reload).
	return rq.c.Redirect(l.url("region", r.Code)+"?saved=status", fiber.StatusSeeOther)
}

func (h *Handler) sourcePost(rq *req) error {
	l := rq.l
	m, err := h.model()
	if err != nil {
		return h.fail(rq, err)
	}
	if _, ok := m.Region(rq.code); !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.error.no_region")
	}
	f, ok := readStatusForm(rq.c)
	if !ok {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_form_title", "manage.error.bad_form_text")
	}
	sf := readSourceForm(rq.c)
	date, _, dp := sf.Date.notation()
	if dp != "" {
		return h.renderRegion(rq, regionState{status: fiber.StatusUnprocessableEntity, form: &f, source: sf,
			sourceProblems: map[string]string{"date": l.T(dp)}, problem: l.T("manage.source.invalid")})
	}
	id, _, err := h.d.Ledger.AddSource(rq.c.UserContext(), h.editor(rq), ledger.SourceInput{URL: sf.URL, Title: sf.Title, Publisher: sf.Publisher, Date: date})
	var inv *ledger.InvalidError
	switch {
	case errors.As(err, &inv):
		return h.renderRegion(rq, regionState{status: fiber.StatusUnprocessableEntity, form: &f, source: sf,
			sourceProblems: problemMap(inv.Problems), problem: l.T("manage.source.invalid")})
	case err != nil && !errors.Is(err, ledger.ErrNotShown):
		return h.fail(rq, err)
	}
	// The form comes back as the steward left it, with the new source ticked; the status is
	// not saved until they save it.
	f.Sources = append(f.Sources, id)
	title := data.NewSource{Title: sf.Title, Publisher: sf.Publisher}.Description()
	return h.renderRegion(rq, regionState{status: fiber.StatusOK, form: &f, titles: map[string]string{id: title},
		notice: l.T("manage.source.added", "ID", id)})
}

func (h *Handler) sitePost(rq *req) error {
	l := rq.l
	m, err := h.model()
	if err != nil {
		return h.fail(rq, err)
	}
	r, ok := m.Region(rq.code)
	if !ok {
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.error.no_region")
	}
	f, ok := readSiteForm(rq.c)
	if !ok {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_form_title", "manage.error.bad_form_text")
	}
	if f.ID != 0 {
		// Only this region's sites are edited on its page (SaveSite would move another one here).
		sites, err := h.d.Ledger.Sites(rq.c.UserContext(), r.Code)
		if err != nil {
			return h.fail(rq, err)
		}
		found := false
		for _, s := range sites {
			found = found || s.ID == f.ID
		}
		if !found {
			return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.site.not_found")
		}
	}
	in, probs := f.input(l)
	if len(probs) > 0 {
		return h.renderRegion(rq, regionState{status: fiber.StatusUnprocessableEntity, site: &f, siteProblems: probs, problem: l.T("manage.site.invalid")})
	}
	_, _, err = h.d.Ledger.SaveSite(rq.c.UserContext(), h.editor(rq), r.Code, f.ID, f.Revision, in)
	var inv *ledger.InvalidError
	switch {
	case errors.As(err, &inv):
		return h.renderRegion(rq, regionState{status: fiber.StatusUnprocessableEntity, site: &f, siteProblems: problemMap(inv.Problems), problem: l.T("manage.site.invalid")})
	case errors.Is(err, data.ErrStale):
		return h.renderRegion(rq, regionState{status: fiber.StatusConflict, siteConflict: &f, problem: l.T("manage.site.stale")})
	case errors.Is(err, data.ErrExists):
		return h.renderRegion(rq, regionState{status: fiber.StatusUnprocessableEntity, site: &f,
			siteProblems: map[string]string{"name": l.T("manage.site.exists")}, problem: l.T("manage.site.invalid")})
	case errors.Is(err, data.ErrNotFound):
		return h.renderRegion(rq, regionState{status: fiber.StatusConflict, problem: l.T("manage.site.gone")})
	case err != nil && !errors.Is(err, ledger.ErrNotShown):
		return h.fail(rq, err)
	}
	return rq.c.Redirect(l.url("region", r.Code)+"?saved=site", fiber.StatusSeeOther)
}
