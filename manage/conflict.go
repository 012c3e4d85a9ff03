package manage

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/figures"
	"mppmap/ledger"
)

// conflictView is templates/conflict.html: a status save refused because the row changed since
// the form was rendered — what is there now and who recorded it, beside what the steward
// wanted, and the two ways on: save theirs over the new revision, or take the current one.
type conflictView struct {
	page
	Name       string
	RecordedBy string
	UpdatedAt  string
	Revision   int64
	Rows       []conflictRow
	Action     string
	Hidden     []hiddenField // the steward's values, posted again with the new revision
	Discard    string
}

type conflictRow struct {
	Label, Current, Yours  string
	CurrentList, YoursList []string // sources, one per line
	Differs                bool
}

type hiddenField struct{ Name, Value string }

// conflictPage answers 409 for form f (input in) of r, with the row as it is now.
func (h *Handler) conflictPage(rq *req, r *figures.Region, f statusForm, in ledger.StatusInput, cur data.StatusRecord) error {
	l := rq.l
	m, _ := h.model()
	st := cur.Status
	date := func(s string) string {
		if s == "" {
			return l.T("format.no_value")
		}
		d, err := pdate.Parse(s)
		if err != nil {
			return s
		}
		return l.Date(d)
	}
	sources := func(ids []string) []string {
		if len(ids) == 0 {
			return []string{l.T("format.no_value")}
		}
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = id
			if m != nil {
				if s, ok := m.Source(id); ok {
					out[i] = id + " " + s.Description
				}
			}
		}
		return out
	}
	row := func(key, cur, yours string) conflictRow {
		return conflictRow{Label: l.T(key), Current: cur, Yours: yours, Differs: cur != yours}
	}
	v := conflictView{page: h.base(rq, "manage.conflict.title", "Name", r.Name), Name: r.Name, RecordedBy: recordedBy(l, cur.RecordedBy),
		UpdatedAt: dayTime(cur.UpdatedAt), Revision: cur.Revision, Action: l.url("region", r.Code), Discard: l.url("region", r.Code)}
	v.Rows = []conflictRow{
		row("manage.field.status", l.T(figures.StatusKey(st.Status)), l.T(figures.StatusKey(data.Status(in.Status)))),
		row("manage.field.as_of", date(st.AsOf.String()), date(in.AsOf)),
		row("manage.field.first_known", date(st.FirstKnown.String()), date(in.FirstKnown)),
		row("manage.field.evidence", evidenceLabel(l, st.Evidence), evidenceLabel(l, in.Evidence)),
		row("manage.field.sources", strings.Join(st.SourceIDs, ";"), strings.Join(in.SourceIDs, ";")),
		row("manage.field.note", orNone(l, st.Note), orNone(l, in.Note)),
	}
	v.Rows[4].CurrentList, v.Rows[4].YoursList = sources(st.SourceIDs), sources(in.SourceIDs)
	if !data.Status(in.Status).Valid() {
		v.Rows[0].Yours = in.Status
	}
	add := func(name, value string) { v.Hidden = append(v.Hidden, hiddenField{name, value}) }
	add("status", f.Status)
	for _, d := range []struct {
		name string
		p    dateParts
	}{{"as_of", f.AsOf}, {"first_known", f.FirstKnown}} {
		add(d.name+"_year", d.p.Year)
		add(d.name+"_month", d.p.Month)
		add(d.name+"_day", d.p.Day)
		if d.p.Before {
			add(d.name+"_before", "1")
		}
	}
	add("evidence", f.Evidence)
	add("evidence_other", f.EvidenceOther)
	for _, s := range f.Sources {
		add("source", s)
	}
	add("source_more", f.SourceMore)
	add("note", f.Note)
	add("revision", strconv.FormatInt(cur.Revision, 10))
	return h.render(rq, fiber.StatusConflict, "conflict.html", v)
}
