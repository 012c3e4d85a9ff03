package dashboard

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
)

// errNotReady is a page asked before the first read model is loaded.
var errNotReady = errors.New("read model not loaded yet")

// statusOf is the pages' one table from errors to HTTP statuses: Fiber's errors (an unknown
// route, a wrong method) keep theirs, an unknown code or parameter value (data.ErrNotFound) is
// a 404, no read model yet a 503, anything else a 500.
func statusOf(err error) int {
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		return fe.Code
	case errors.Is(err, data.ErrNotFound):
		return fiber.StatusNotFound
	case errors.Is(err, errNotReady):
		return fiber.StatusServiceUnavailable
	}
	return fiber.StatusInternalServerError
}

// errorView is what templates/error.html renders: the error in the site's layout and the
// request's language, with the search box and a link home.
type errorView struct {
	page
	Status      int
	Heading     string
	Text        string
	Code        string // the code that named nothing, shown as text
	SearchIndex []searchEntry
}

// ErrorHandler answers errors of the page surface with an HTML page in the site's layout and the
// language of the request's path. A 500 is logged; its cause is not shown.
func (h *Handler) ErrorHandler(c *fiber.Ctx, err error) error {
	status := statusOf(err)
	if status >= fiber.StatusInternalServerError && status != fiber.StatusServiceUnavailable {
		h.log.Error("page failed", "path", c.Path(), "err", err)
	}
	l := h.langOf(c.Path())
	m := h.src.Model()
	var base page
	if m != nil {
		base = h.basePage(m, l, route{path: "/"}, request{}, "")
	} else {
		base = page{M: l, HomeURL: l.path("/"), MethodURL: l.path("/metodologi"), ProgressURL: l.path("/progres"), FiscalURL: l.path("/fiskal"), BarriersURL: l.path(h.pathOf("/hambatan", l.Tag)), DigitalURL: l.path("/digital")}
	}
	base.Bundle = ""
	v := errorView{page: base, Status: status}
	switch status {
	case fiber.StatusNotFound:
		v.Heading, v.Text = l.T("error.not_found_title"), l.T("error.not_found_page")
		if m != nil {
			v.SearchIndex = searchIndex(m, l)
		}
	case fiber.StatusServiceUnavailable:
		v.Heading, v.Text = l.T("error.unavailable_title"), l.T("error.unavailable_text")
		c.Set(fiber.HeaderRetryAfter, "5")
	default:
		v.Heading, v.Text = l.T("error.server_title"), l.T("error.server_text")
	}
	v.page = titled(v.page, v.Heading)
	p, rerr := h.encodeFast("error.html", v, status)
	if rerr != nil {
		h.log.Error("render error page", "err", rerr)
		return c.Status(status).SendString(v.Heading)
	}
	return h.send(c, l, p)
}

// searchIndex is the search-as-you-type index of every province and region, in a language.
func searchIndex(m *figures.Model, l *lang) []searchEntry {
	out := make([]searchEntry, 0, len(m.Provinces)+len(m.Regions))
	for _, p := range m.Provinces {
		out = append(out, searchEntry{Name: p.Name, Sub: l.T("province.tooltip"), URL: l.path("/provinsi/" + p.Code)})
	}
	for _, r := range m.Regions {
		out = append(out, searchEntry{Name: r.Name, Sub: r.ProvinceName, URL: l.path("/wilayah/" + r.Code)})
	}
	return out
}
