package manage

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
)

// startView is templates/start.html: every kab/kota with its status (filtered by a search and a
// status), a link to each edit page, and what else stewards do.
type startView struct {
	page
	Query    string
	Status   string
	Statuses []option
	Rows     []startRow
	Total    int
	Counts   []statusCount
}

type startRow struct {
	Code, Name, Province, Status, Class, AsOf, URL string
}

type statusCount struct {
	Label, Class string
	N            int
}

func (h *Handler) startPage(rq *req) error {
	l := rq.l
	m, err := h.model()
	if err != nil {
		return h.fail(rq, err)
	}
	q := strings.TrimSpace(formValue(rq.c, "q"))
	status := strings.TrimSpace(formValue(rq.c, "status"))
	if len(q) > 100 {
		q = q[:100]
	}
	if status != "" && !data.Status(status).Valid() {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_param_title", "manage.error.bad_param_text",
			rq.l.T("manage.error.bad_param", "Name", "status", "Allowed", "yes, in_progress, no, unknown"))
	}
	v := startView{page: h.base(rq, "manage.start.title"), Query: q, Status: status, Total: len(m.Regions)}
	v.Statuses = append([]option{{Value: "", Label: l.T("manage.start.any_status"), Selected: status == ""}}, statusOptions(l, status)...)
	needle := strings.ToLower(q)
	for _, r := range m.Regions {
		if status != "" && string(r.Status) != status {
			continue
		}
		if needle != "" && !strings.HasPrefix(r.Code, needle) && !strings.Contains(strings.ToLower(r.Name), needle) &&
			!strings.Contains(strings.ToLower(r.ProvinceName), needle) {
			continue
		}
		v.Rows = append(v.Rows, startRow{Code: r.Code, Name: r.Name, Province: r.ProvinceName, Status: l.T(figures.StatusKey(r.Status)),
			Class: statusClass(r.Status), AsOf: l.Date(r.StatusAsOf), URL: l.url("region", r.Code)})
	}
	for _, st := range data.Statuses {
		v.Counts = append(v.Counts, statusCount{Label: l.T(figures.StatusKey(st)), Class: statusClass(st), N: m.National.Counts[st]})
	}
	return h.render(rq, fiber.StatusOK, "start.html", v)
}
