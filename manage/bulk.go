package manage

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/api"
	"mppmap/data"
	"mppmap/data/refdata"
	"mppmap/figures"
	"mppmap/ledger"
)

// maxCSVMiB is the upload limit in MiB, for the page's words.
const maxCSVMiB = api.MaxCSVBody >> 20

// importView is templates/import.html: the upload form, a dry run with its confirmation, or
// what was applied.
type importView struct {
	page
	Action      string
	ApplyAction string
	Columns     string
	Optional    string
	Template    string // the current statuses as a file to edit
	Limit       string
	Plan        *planView
	Applied     bool
	AuditURL    string
	FileProblem string
}

// planView is a dry run as the page shows it. The file itself travels in the confirmation form
// (base64, so no byte of it is changed by the form's encoding): the page keeps no state, and
// whichever instance gets the confirmation applies exactly what was shown, if the ledger is
// still at Base.
type planView struct {
	Base     string
	CSV      string
	Changes  []changeRow
	Regions  int
	Problems []problemRow
	CanApply bool
}

type changeRow struct {
	Code, Name, URL, Field, Column, Before, After string
	First                                         bool // the first change of its region
}

type problemRow struct {
	Line            int
	Column, Message string
}

func (h *Handler) importView(rq *req, title string) importView {
	l := rq.l
	return importView{page: h.base(rq, title), Action: l.url("import"), ApplyAction: l.url("apply"),
		Columns: strings.Join(refdata.StatusColumns, ", "), Optional: "notes, province_code, province, name", Template: l.url("template"),
		Limit:    l.T("manage.import.limit", "MiB", maxCSVMiB),
		AuditURL: l.url("audit") + "?action=bulk.apply"}
}

func (h *Handler) importPage(rq *req) error {
	return h.render(rq, fiber.StatusOK, "import.html", h.importView(rq, "manage.import.title"))
}

// tooLarge is the 413 page of a file past api.MaxCSVBody.
func (h *Handler) tooLarge(rq *req) error {
	return h.errorPage(rq, fiber.StatusRequestEntityTooLarge, "manage.error.too_large_title", "manage.import.too_large",
		rq.l.T("manage.import.limit", "MiB", maxCSVMiB))
}

func (h *Handler) importPost(rq *req) error {
	c, l := rq.c, rq.l
	// The multipart envelope around a file at the limit is a few hundred bytes.
	if len(c.Request().Body()) > api.MaxCSVBody+64<<10 {
		return h.tooLarge(rq)
	}
	fh, err := c.FormFile("csv")
	if err != nil || fh.Size == 0 {
		v := h.importView(rq, "manage.import.title")
		v.FileProblem = l.T("manage.import.no_file")
		return h.render(rq, fiber.StatusUnprocessableEntity, "import.html", v)
	}
	if fh.Size > api.MaxCSVBody {
		return h.tooLarge(rq)
	}
	f, err := fh.Open()
	if err != nil {
		return h.fail(rq, err)
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, api.MaxCSVBody+1))
	if err != nil {
		return h.fail(rq, err)
	}
	if len(body) > api.MaxCSVBody {
		return h.tooLarge(rq)
	}
	plan, err := h.d.Ledger.PlanCSV(c.UserContext(), body)
	if err != nil {
		return h.fail(rq, err)
	}
	return h.renderPlan(rq, fiber.StatusOK, body, plan, false, "")
}

func (h *Handler) applyPost(rq *req) error {
	c, l := rq.c, rq.l
	raw := formValue(c, "csv")
	if len(raw) > base64.StdEncoding.EncodedLen(api.MaxCSVBody) {
		return h.tooLarge(rq)
	}
	body, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(body) == 0 {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_form_title", "manage.error.bad_form_text")
	}
	base, err := ledger.ParseBase(formValue(c, "base"))
	if err != nil {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_form_title", "manage.error.bad_form_text")
	}
	plan, _, err := h.d.Ledger.ApplyCSV(c.UserContext(), h.editor(rq), body, base)
	var bad *ledger.BulkProblemsError
	var stale *ledger.StaleBaseError
	switch {
	case errors.As(err, &bad):
		return h.renderPlan(rq, fiber.StatusUnprocessableEntity, body, bad.Plan, false, l.T("manage.import.problems_nothing_written"))
	case errors.As(err, &stale):
		return h.renderPlan(rq, fiber.StatusConflict, body, stale.Plan, false, l.T("manage.import.stale"))
	case err != nil && !errors.Is(err, ledger.ErrNotShown):
		return h.fail(rq, err)
	}
	return h.renderPlan(rq, fiber.StatusOK, body, plan, true, "")
}

// renderPlan shows a dry run (applied false) or what was applied.
func (h *Handler) renderPlan(rq *req, status int, body []byte, plan ledger.Plan, applied bool, problem string) error {
	l := rq.l
	title := "manage.import.plan_title"
	if applied {
		title = "manage.import.applied_title"
	}
	v := h.importView(rq, title)
	v.Applied = applied
	v.Problem = problem
	if applied {
		v.Notice = l.T("manage.import.applied", "Count", len(plan.Changes))
	}
	m := h.d.Models.Model()
	pv := &planView{Base: plan.Base, CSV: base64.StdEncoding.EncodeToString(body)}
	last := ""
	for _, ch := range plan.Changes {
		row := changeRow{Code: ch.Code, Name: ch.Code, URL: l.url("region", ch.Code), Column: ch.Field, Field: columnLabel(l, ch.Field),
			Before: ch.Before, After: ch.After, First: ch.Code != last}
		if m != nil {
			if r, ok := m.Region(ch.Code); ok {
				row.Name = r.Name
			}
		}
		if ch.Field == "mpp_status" {
			row.Before, row.After = statusText(l, ch.Before), statusText(l, ch.After)
		}
		if row.First {
			pv.Regions++
		}
		last = ch.Code
		pv.Changes = append(pv.Changes, row)
	}
	for _, p := range plan.Problems {
		pv.Problems = append(pv.Problems, problemRow{Line: p.Line, Column: p.Field, Message: p.Message})
	}
	pv.CanApply = !applied && len(pv.Problems) == 0 && len(pv.Changes) > 0
	v.Plan = pv
	return h.render(rq, status, "import.html", v)
}

// columnLabel is a status CSV column's label.
func columnLabel(l *lang, col string) string {
	key := "manage.field." + ledger.FieldName(col)
	if l.Has(key) {
		return l.T(key)
	}
	return col
}

// statusText is a status value with its label.
func statusText(l *lang, v string) string {
	if v == "" {
		return ""
	}
	return l.T(figures.StatusKey(data.Status(v))) + " (" + v + ")"
}

// templateCSV is every region's status as the bulk update reads it (the columns of
// mpp/mpp_status_by_region.csv, UTF-8 with a BOM for Excel): the file a steward edits and
// uploads back, keeping only the rows to change. From the read model, like the public pages.
// Values are written as they are, so a row uploaded back unchanged changes nothing.
func (h *Handler) templateCSV(rq *req) error {
	m, err := h.model()
	if err != nil {
		return h.fail(rq, err)
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"code", "province_code", "province", "name", "mpp_status", "status_as_of", "first_known_date", "evidence", "source_ids", "notes"})
	for _, r := range m.Regions {
		_ = w.Write([]string{r.Code, r.ProvinceCode, r.ProvinceName, r.Name, string(r.Status), r.StatusAsOf.String(), r.FirstKnown.String(),
			r.Evidence, strings.Join(r.SourceIDs, ";"), r.Note})
	}
	w.Flush()
	rq.c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	rq.c.Set(fiber.HeaderContentDisposition, `attachment; filename="mpp_status_by_region.csv"`)
	return rq.c.Send(buf.Bytes())
}
