package manage

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"mppmap/session"
)

// loginView is templates/login.html.
type loginView struct {
	page
	Action string
	Next   string
	Email  string // as typed, kept after a failure; the password never is
	Error  string
}

func (h *Handler) loginPage(rq *req) error {
	next := h.safeNext(rq.l, formValue(rq.c, "next"))
	if rq.signedIn && rq.user.Role.CanEdit() {
		return rq.c.Redirect(next, fiber.StatusSeeOther)
	}
	return h.renderLogin(rq, fiber.StatusOK, next, "", "")
}

func (h *Handler) renderLogin(rq *req, status int, next, email, problem string) error {
	p := h.base(rq, "manage.login.title")
	p.User, p.IsAdmin = "", false // the sign-in page has no account menu, even for a stale session
	return h.render(rq, status, "login.html", loginView{page: p, Action: rq.l.url("login"), Next: next, Email: email, Error: problem})
}

func (h *Handler) loginPost(rq *req) error {
	c, l := rq.c, rq.l
	email := strings.TrimSpace(formValue(c, "email"))
	password := formValue(c, "password")
	next := h.safeNext(l, formValue(c, "next"))
	if len(email) > 320 {
		email = email[:320]
	}
	_, err := h.d.Sessions.Login(c, email, password)
	var th *session.ThrottledError
	switch {
	case errors.As(err, &th):
		secs := int(math.Ceil(th.RetryAfter.Seconds()))
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(secs))
		h.log.Warn("login throttled", "client", h.d.Client(c))
		return h.renderLogin(rq, fiber.StatusTooManyRequests, next, email,
			l.T("manage.login.throttled", "Minutes", max(1, (secs+59)/60)))
	case errors.Is(err, session.ErrBadCredentials):
		h.log.Info("login failed", "client", h.d.Client(c))
		return h.renderLogin(rq, fiber.StatusUnauthorized, next, email, l.T("manage.login.wrong"))
	case err != nil:
		return h.fail(rq, err)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// safeNext is where to go after signing in: next when it is a path of these pages on this
// site (never another host, a scheme, a protocol-relative //host, a backslash trick or the
// sign-in page itself), else the start page.
func (h *Handler) safeNext(l *lang, next string) string {
	def := l.url("start")
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsRune(next, '\\') || strings.IndexFunc(next, unicode.IsControl) >= 0 || strings.ContainsAny(next, " ") {
		return def
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || path.Clean(u.Path) != u.Path || !h.Owns(u.Path) {
		return def
	}
	for _, o := range h.langs {
		if u.Path == o.url("login") || u.Path == o.url("logout") {
			return def
		}
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

// logoutPage: signing out is a POST (a link could be followed by anyone's page); a GET says so.
func (h *Handler) logoutPage(rq *req) error {
	rq.c.Set(fiber.HeaderAllow, fiber.MethodPost)
	return h.errorPage(rq, fiber.StatusMethodNotAllowed, "manage.logout.title", "manage.logout.get")
}

func (h *Handler) logoutPost(rq *req) error {
	if err := h.d.Sessions.Logout(rq.c); err != nil {
		return h.fail(rq, err)
	}
	return rq.c.Redirect(rq.l.home(), fiber.StatusSeeOther)
}
