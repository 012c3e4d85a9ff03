// Package manage serves the data stewards' pages: sign-in (/masuk), the start page (/kelola), a
// region's status and sites forms, the bulk CSV update with its dry run, the audit log and, for
// admins, the accounts — in every catalog language (Indonesian at the root, English under /en).
//
// Handlers parse the form, call one interface — the ledger service (package ledger), the
// session manager (package session) or the accounts — and answer with an html/template page;
// there is no SQL here and no state: a form carries everything a later step needs (the row
// revision it was rendered from, a bulk update's file and base), so any instance behind a load
// balancer can take the next request. Every page is private (no-store), never framed, and needs
// a signed-in account whose role may edit; every form POST carries the CSRF token.
package manage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/ledger"
	"mppmap/locale"
	"mppmap/observe"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/manage.css
var manageCSS []byte

// Ledger is what the pages change and read of the ledger (package ledger's Service).
type Ledger interface {
	SetStatus(ctx context.Context, by data.Editor, code string, in ledger.StatusInput, revision int64) (ledger.Result, error)
	AddSource(ctx context.Context, by data.Editor, in ledger.SourceInput) (string, ledger.Result, error)
	SaveSite(ctx context.Context, by data.Editor, code string, id, revision int64, in ledger.SiteInput) (int64, ledger.Result, error)
	PlanCSV(ctx context.Context, body []byte) (ledger.Plan, error)
	ApplyCSV(ctx context.Context, by data.Editor, body []byte, base int64) (ledger.Plan, ledger.Result, error)
	Audit(ctx context.Context, f data.AuditFilter) ([]data.AuditEntry, error)
	Status(ctx context.Context, code string) (data.StatusRecord, error)
	Sites(ctx context.Context, code string) ([]data.SiteRecord, error)
	// Readers' submissions and their review.
	Submissions(ctx context.Context, state, region string, limit int) ([]data.Submission, error)
	Submission(ctx context.Context, id int64) (data.Submission, error)
	AcceptSubmission(ctx context.Context, by data.Editor, id int64, in ledger.StatusInput, revision int64, title, publisher string) (string, ledger.Result, error)
	RejectSubmission(ctx context.Context, by data.Editor, id int64, reason string) (ledger.Result, error)
	MarkDuplicate(ctx context.Context, by data.Editor, id, of int64) (ledger.Result, error)
}

// Sessions signs stewards in and out and guards forms (package session's Manager).
type Sessions interface {
	Login(c *fiber.Ctx, email, password string) (data.User, error)
	Logout(c *fiber.Ctx) error
	Current(c *fiber.Ctx) (data.User, bool, error)
	CSRFToken(c *fiber.Ctx) string
	CheckCSRF(c *fiber.Ctx) error
}

// Accounts lists and disables accounts (package session's Manager).
type Accounts interface {
	Users(ctx context.Context) ([]data.User, error)
	DisableUser(ctx context.Context, by data.Actor, email string) error
}

// Deps is what the pages are built from.
type Deps struct {
	Ledger   Ledger
	Sessions Sessions
	Accounts Accounts
	Models   figures.Source // the read model: region names, evidence values in use, source titles
	Catalog  *locale.Catalog
	// AssetURL is the dashboard's hashed URL of one of its static files (app.css, favicon.svg),
	// so the pages share the public site's look.
	AssetURL func(name string) (string, error)
	// Client is the client address of a request after trusted proxies (clientip); nil: the peer.
	Client func(*fiber.Ctx) string
	Log    *slog.Logger
}

// Handler serves the stewards' pages.
type Handler struct {
	d      Deps
	log    *slog.Logger
	tmpl   *template.Template
	langs  []*lang
	css    []string // stylesheet URLs: the public one, then ours
	cssURL string   // ours, with its content hash
}

// New returns the handler; it fails on a missing dependency or a template that does not parse.
func New(d Deps) (*Handler, error) {
	if d.Ledger == nil || d.Sessions == nil || d.Accounts == nil || d.Models == nil || d.Catalog == nil || d.AssetURL == nil {
		return nil, errors.New("manage: missing dependency")
	}
	h := &Handler{d: d, log: d.Log}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.d.Client == nil {
		h.d.Client = func(c *fiber.Ctx) string { return c.Context().RemoteIP().String() }
	}
	appCSS, err := d.AssetURL("app.css")
	if err != nil {
		return nil, fmt.Errorf("manage: %w", err)
	}
	sum := sha256.Sum256(manageCSS)
	h.cssURL = "/kelola/static/manage." + hex.EncodeToString(sum[:])[:12] + ".css"
	h.css = []string{appCSS, h.cssURL}
	for _, tag := range d.Catalog.Tags() {
		l := d.Catalog.MustLang(tag)
		prefix := ""
		if tag != locale.Default {
			prefix = "/" + tag
		}
		h.langs = append(h.langs, &lang{Lang: l, Prefix: prefix, Name: l.T("meta.name")})
	}
	h.tmpl, err = template.ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("manage: parse templates: %w", err)
	}
	return h, nil
}

// lang is a catalog language as the pages use it.
type lang struct {
	*locale.Lang
	Prefix string // "" for the default language, "/en" for English
	Name   string // the language's own name, for the switch
}

// paths are the pages' paths by key and language (the default language's without a prefix).
// A language without an entry uses the Indonesian path under its prefix.
var paths = map[string]map[string]string{
	"login":      {"id": "/masuk", "en": "/en/login"},
	"logout":     {"id": "/keluar", "en": "/en/logout"},
	"start":      {"id": "/kelola", "en": "/en/manage"},
	"region":     {"id": "/kelola/wilayah/:code", "en": "/en/manage/regions/:code"},
	"source":     {"id": "/kelola/wilayah/:code/sumber", "en": "/en/manage/regions/:code/source"},
	"site":       {"id": "/kelola/wilayah/:code/lokasi", "en": "/en/manage/regions/:code/sites"},
	"import":     {"id": "/kelola/impor", "en": "/en/manage/import"},
	"apply":      {"id": "/kelola/impor/terapkan", "en": "/en/manage/import/apply"},
	"template":   {"id": "/kelola/impor/status.csv", "en": "/en/manage/import/status.csv"},
	"audit":      {"id": "/kelola/audit", "en": "/en/manage/audit"},
	"queue":      {"id": "/kelola/kiriman", "en": "/en/manage/submissions"},
	"submission": {"id": "/kelola/kiriman/:id", "en": "/en/manage/submissions/:id"},
	"accept":     {"id": "/kelola/kiriman/:id/terima", "en": "/en/manage/submissions/:id/accept"},
	"reject":     {"id": "/kelola/kiriman/:id/tolak", "en": "/en/manage/submissions/:id/reject"},
	"duplicate":  {"id": "/kelola/kiriman/:id/duplikat", "en": "/en/manage/submissions/:id/duplicate"},
	"users":      {"id": "/kelola/pengguna", "en": "/en/manage/users"},
	"disable":    {"id": "/kelola/pengguna/nonaktifkan", "en": "/en/manage/users/disable"},
}

// pattern is a page's route pattern in l.
func (l *lang) pattern(key string) string {
	if p, ok := paths[key][l.Tag]; ok {
		return p
	}
	return l.Prefix + paths[key][locale.Default]
}

// url is a page's path in l, with its parameter (:code or :id) filled in.
func (l *lang) url(key string, arg ...string) string {
	p := l.pattern(key)
	if len(arg) > 0 {
		p = strings.Replace(strings.Replace(p, ":code", url.PathEscape(arg[0]), 1), ":id", url.PathEscape(arg[0]), 1)
	}
	return p
}

// home is the public site's home in l.
func (l *lang) home() string {
	if l.Prefix == "" {
		return "/"
	}
	return l.Prefix
}

// access is who may open a page.
type access int

const (
	anyone access = iota // the sign-in page
	editor               // a signed-in account whose role may edit
	admin                // … and manage accounts
)

// route is one page or form action.
type route struct {
	method string
	key    string
	access access
	// back is the page a POST belongs to (where a visitor lands after signing in again), and the
	// page the language switch names.
	back   string
	handle func(*req) error
}

func (h *Handler) routes() []route {
	return []route{
		{fiber.MethodGet, "login", anyone, "login", h.loginPage},
		{fiber.MethodPost, "login", anyone, "login", h.loginPost},
		{fiber.MethodGet, "logout", anyone, "start", h.logoutPage},
		{fiber.MethodPost, "logout", anyone, "start", h.logoutPost},
		{fiber.MethodGet, "start", editor, "start", h.startPage},
		{fiber.MethodGet, "region", editor, "region", h.regionPage},
		{fiber.MethodPost, "region", editor, "region", h.statusPost},
		{fiber.MethodPost, "source", editor, "region", h.sourcePost},
		{fiber.MethodPost, "site", editor, "region", h.sitePost},
		{fiber.MethodGet, "import", editor, "import", h.importPage},
		{fiber.MethodPost, "import", editor, "import", h.importPost},
		{fiber.MethodPost, "apply", editor, "import", h.applyPost},
		{fiber.MethodGet, "template", editor, "import", h.templateCSV},
		{fiber.MethodGet, "audit", editor, "audit", h.auditPage},
		{fiber.MethodGet, "queue", editor, "queue", h.queuePage},
		{fiber.MethodGet, "submission", editor, "submission", h.submissionPage},
		{fiber.MethodPost, "accept", editor, "submission", h.acceptPost},
		{fiber.MethodPost, "reject", editor, "submission", h.rejectPost},
		{fiber.MethodPost, "duplicate", editor, "submission", h.duplicatePost},
		{fiber.MethodGet, "users", admin, "users", h.usersPage},
		{fiber.MethodPost, "disable", admin, "users", h.disablePost},
	}
}

// Register mounts the pages in every language, and the pages' own stylesheet. Mount it before
// the dashboard, whose catch-all 404 would answer these paths otherwise.
func (h *Handler) Register(r fiber.Router) {
	r.Get(h.cssURL, func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		c.Type("css", "utf-8")
		return c.Send(manageCSS)
	})
	for _, l := range h.langs {
		for _, rt := range h.routes() {
			r.Add(rt.method, l.pattern(rt.key), h.handler(l, rt))
		}
	}
}

// Owns reports whether a request path belongs to these pages (for the app's error handler).
func (h *Handler) Owns(p string) bool {
	for _, l := range h.langs {
		for _, key := range []string{"login", "logout", "start"} {
			base := l.pattern(key)
			if p == base || strings.HasPrefix(p, base+"/") {
				return true
			}
		}
	}
	return false
}

// langOf is the language of a request path.
func (h *Handler) langOf(p string) *lang {
	for _, l := range h.langs[1:] {
		if p == l.Prefix || strings.HasPrefix(p, l.Prefix+"/") {
			return l
		}
	}
	return h.langs[0]
}

// req is one request as the handlers see it.
type req struct {
	c        *fiber.Ctx
	l        *lang
	rt       route
	user     data.User
	signedIn bool
	csrf     string
	code     string // the path's :code, copied out of Fiber's buffers
	id       string // the path's :id (a submission's)
}

// arg is the path's parameter, whichever the route has.
func (rq *req) arg() string {
	if rq.code != "" {
		return rq.code
	}
	return rq.id
}

// editor is the request's user making a change (audit actor, history label).
func (h *Handler) editor(rq *req) data.Editor {
	return data.EditorOf(rq.user, observe.RequestID(rq.c), h.d.Client(rq.c))
}

// contentSecurityPolicy: our own host only, no inline script or style, never framed, forms
// post to us only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// headers sets what every page of ours sends, errors and redirects included.
func headers(c *fiber.Ctx, l *lang) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentLanguage, l.Tag)
}

// handler checks what every page needs — CSRF first on a POST, then the account and its role —
// and runs the route.
func (h *Handler) handler(l *lang, rt route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		headers(c, l)
		rq := &req{c: c, l: l, rt: rt, code: utils.CopyString(c.Params("code")), id: utils.CopyString(c.Params("id"))}
		if rt.method == fiber.MethodPost {
			if err := h.d.Sessions.CheckCSRF(c); err != nil {
				return h.errorPage(rq, fiber.StatusForbidden, "manage.error.csrf_title", "manage.error.csrf_text")
			}
		}
		u, ok, err := h.d.Sessions.Current(c)
		if err != nil {
			return h.fail(rq, err)
		}
		rq.user, rq.signedIn = u, ok
		if rt.access != anyone {
			if !ok {
				next := c.OriginalURL()
				if rt.method != fiber.MethodGet {
					next = l.url(rt.back, rq.arg())
				}
				return c.Redirect(l.url("login")+"?next="+url.QueryEscape(next), fiber.StatusSeeOther)
			}
			if !u.Role.CanEdit() || (rt.access == admin && !u.Role.CanManageUsers()) {
				return h.errorPage(rq, fiber.StatusForbidden, "manage.error.forbidden_title", "manage.error.forbidden_text")
			}
		}
		rq.csrf = h.d.Sessions.CSRFToken(c)
		return rt.handle(rq)
	}
}

// page is what the layout (templates/layout.html) reads; every view embeds it.
type page struct {
	M       *lang
	Title   string
	CSS     []string
	Favicon string
	User    string // the signed-in e-mail; "" on the sign-in page
	IsAdmin bool
	CSRF    string
	Switch  []langLink
	Home    string // the public site
	Start   string
	Import  string
	Audit   string
	Queue   string
	Open    int // readers' submissions waiting for review
	Users   string
	Logout  string
	Current string // the nav key of this page
	Notice  string // a success message at the top
	Problem string // a page-level problem message at the top
}

type langLink struct{ Tag, Name, URL string }

// base is the layout of a page titled by the catalog key title.
func (h *Handler) base(rq *req, titleKey string, args ...any) page {
	l := rq.l
	fav, _ := h.d.AssetURL("favicon.svg")
	p := page{M: l, Title: l.T(titleKey, args...) + " · " + l.T("manage.brand"), CSS: h.css, Favicon: fav, CSRF: rq.csrf,
		Home: l.home(), Start: l.url("start"), Import: l.url("import"), Audit: l.url("audit"), Queue: l.url("queue"), Users: l.url("users"),
		Logout: l.url("logout"), Current: rq.rt.back}
	if rq.signedIn {
		p.Open = h.openCount()
		p.User = rq.user.Email
		p.IsAdmin = rq.user.Role.CanManageUsers()
	}
	query := ""
	if rq.c.Method() == fiber.MethodGet {
		if q := string(rq.c.Request().URI().QueryString()); q != "" {
			query = "?" + q
		}
	}
	for _, o := range h.langs {
		if o != l {
			p.Switch = append(p.Switch, langLink{Tag: o.Tag, Name: o.Name, URL: o.url(rq.rt.back, rq.arg()) + query})
		}
	}
	return p
}

// render writes template name with view v and status.
func (h *Handler) render(rq *req, status int, name string, v any) error {
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, name, v); err != nil {
		h.log.Error("render page", "template", name, "err", err)
		rq.c.Status(fiber.StatusInternalServerError)
		return rq.c.SendString(rq.l.T("manage.error.server_title"))
	}
	rq.c.Status(status)
	rq.c.Type("html", "utf-8")
	return rq.c.Send(buf.Bytes())
}

// errorView is templates/error.html.
type errorView struct {
	page
	Status  int
	Heading string
	Text    string
	Details []string
	Login   string // a link to sign in again (403 without a session)
	Back    string
}

// errorPage answers status with the error page; text is a catalog key.
func (h *Handler) errorPage(rq *req, status int, titleKey, textKey string, details ...string) error {
	v := errorView{page: h.base(rq, titleKey), Status: status, Heading: rq.l.T(titleKey), Text: rq.l.T(textKey), Details: details,
		Back: rq.l.url("start")}
	if !rq.signedIn {
		v.Login = rq.l.url("login")
	}
	return h.render(rq, status, "error.html", v)
}

// RetryAfterSeconds is what a 503 asks the browser to wait (a database restart, an import
// holding the ledger): the write API's value.
const RetryAfterSeconds = 30

// fail is the pages' one table from errors to pages: the database away or busy is a 503 with
// Retry-After, an unknown code a 404, anything else a 500 (logged; its cause is not shown).
func (h *Handler) fail(rq *req, err error) error {
	switch {
	case errors.Is(err, data.ErrUnavailable), errors.Is(err, data.ErrBusy), errors.Is(err, context.DeadlineExceeded):
		h.log.Warn("manage: database unavailable", "path", rq.c.Path(), "err", err)
		rq.c.Set(fiber.HeaderRetryAfter, fmt.Sprint(RetryAfterSeconds))
		key := "manage.error.unavailable_text"
		if errors.Is(err, data.ErrBusy) {
			key = "manage.error.busy_text"
		}
		return h.errorPage(rq, fiber.StatusServiceUnavailable, "manage.error.unavailable_title", key)
	case errors.Is(err, data.ErrNotFound):
		return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.error.not_found_text")
	}
	h.log.Error("manage: page failed", "path", rq.c.Path(), "request_id", observe.RequestID(rq.c), "err", err)
	return h.errorPage(rq, fiber.StatusInternalServerError, "manage.error.server_title", "manage.error.server_text")
}

// ErrorHandler answers errors raised before or outside the handlers on these paths (a body too
// large for the server, a wrong method) with the pages' own error page.
func (h *Handler) ErrorHandler(c *fiber.Ctx, err error) error {
	l := h.langOf(c.Path())
	headers(c, l)
	rq := &req{c: c, l: l, rt: route{back: "start"}}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case fiber.StatusRequestEntityTooLarge:
			return h.errorPage(rq, fe.Code, "manage.error.too_large_title", "manage.import.too_large", l.T("manage.import.limit", "MiB", maxCSVMiB))
		case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
			return h.errorPage(rq, fiber.StatusNotFound, "manage.error.not_found_title", "manage.error.not_found_page")
		}
	}
	return h.fail(rq, err)
}

// model is the current read model, or a 503 before the first load.
func (h *Handler) model() (*figures.Model, error) {
	m := h.d.Models.Model()
	if m == nil {
		return nil, fmt.Errorf("read model not loaded yet: %w", data.ErrUnavailable)
	}
	return m, nil
}

// formValue is a form field, copied out of Fiber's buffers and trimmed of surrounding space
// only where the caller asks (notes keep theirs).
func formValue(c *fiber.Ctx, name string) string { return utils.CopyString(c.FormValue(name)) }

// formValues are every value of a repeated field (checkboxes), urlencoded or multipart.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	if mf, err := c.MultipartForm(); err == nil && mf != nil {
		for _, v := range mf.Value[name] {
			out = append(out, strings.Clone(v))
		}
		return out
	}
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}
