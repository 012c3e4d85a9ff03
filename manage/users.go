package manage

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/observe"
)

// usersView is templates/users.html: every account, and a button to disable each active one
// but the admin's own.
type usersView struct {
	page
	Action string
	Rows   []userRow
}

type userRow struct {
	Email, Role, Unit, Created string
	Disabled, Self             bool
}

func (h *Handler) usersPage(rq *req) error {
	st := fiber.StatusOK
	p := h.base(rq, "manage.users.title")
	return h.renderUsers(rq, st, p)
}

func (h *Handler) renderUsers(rq *req, status int, p page) error {
	l := rq.l
	users, err := h.d.Accounts.Users(rq.c.UserContext())
	if err != nil {
		return h.fail(rq, err)
	}
	v := usersView{page: p, Action: l.url("disable")}
	for _, u := range users {
		role := string(u.Role)
		if key := "manage.users.role_" + role; l.Has(key) {
			role = l.T(key)
		}
		// The notice after disabling names only an account the list shows as disabled: a link
		// made elsewhere cannot put words on the page.
		if e := formValue(rq.c, "disabled"); e != "" && u.Disabled && strings.EqualFold(e, u.Email) && rq.c.Method() == fiber.MethodGet {
			v.Notice = l.T("manage.users.disabled_notice", "Email", u.Email)
		}
		v.Rows = append(v.Rows, userRow{Email: u.Email, Role: role, Unit: u.Unit, Created: dayTime(u.CreatedAt), Disabled: u.Disabled, Self: u.ID == rq.user.ID})
	}
	return h.render(rq, status, "users.html", v)
}

func (h *Handler) disablePost(rq *req) error {
	l, c := rq.l, rq.c
	email := strings.TrimSpace(formValue(c, "email"))
	p := h.base(rq, "manage.users.title")
	if email == "" {
		p.Problem = l.T("manage.users.no_email")
		return h.renderUsers(rq, fiber.StatusUnprocessableEntity, p)
	}
	if strings.EqualFold(email, rq.user.Email) {
		// An admin locking themself out needs another admin (or the CLI) to undo it.
		p.Problem = l.T("manage.users.not_self")
		return h.renderUsers(rq, fiber.StatusUnprocessableEntity, p)
	}
	by := rq.user.Actor(observe.RequestID(c), h.d.Client(c))
	err := h.d.Accounts.DisableUser(c.UserContext(), by, email)
	switch {
	case errors.Is(err, data.ErrNotFound):
		p.Problem = l.T("manage.users.unknown", "Email", email)
		return h.renderUsers(rq, fiber.StatusUnprocessableEntity, p)
	case err != nil:
		return h.fail(rq, err)
	}
	return c.Redirect(l.url("users")+"?disabled="+url.QueryEscape(strings.ToLower(email)), fiber.StatusSeeOther)
}
