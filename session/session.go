// Package session authenticates stewards on the web: API tokens (Bearer) for the write API,
// and for the /kelola pages a login with password, a session cookie and CSRF tokens. The
// secrets themselves come from package auth and are stored only as hashes (package data).
//
// Session cookie: a random value (auth.NewSecret), HttpOnly, SameSite=Lax, Secure when the
// request came over TLS (directly, or through a trusted proxy saying X-Forwarded-Proto: https),
// Path=/, expiring with the session. The CSRF token of a session is derived from the cookie
// value (an HMAC-like sha256 with a fixed label), so it needs no storage of its own, cannot be
// computed by a page that cannot read the cookie, and changes with every login. The login form
// itself has a CSRF token too (a short-lived pre-session cookie and the same value in the
// form: double submit), so no other site can log a browser in.
package session

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/auth"
	"mppmap/clientip"
	"mppmap/data"
)

// Cookie names.
const (
	CookieName      = "mppmap_session"
	LoginCookieName = "mppmap_login" // the login form's double-submit CSRF value
	// FormField is the name of the CSRF field of every form.
	FormField = "csrf"
)

// TTL is how long a session lasts after login; IdleTTL how long it lasts unused.
const (
	TTL     = 12 * time.Hour
	IdleTTL = 2 * time.Hour
)

// Manager resolves and creates sessions and tokens.
type Manager struct {
	pool     *pgxpool.Pool
	throttle *auth.Throttle
	clients  *clientip.Resolver
	log      *slog.Logger
	now      func() time.Time
	// dummyHash is checked against for unknown accounts, so a login for an e-mail that does
	// not exist costs what one that does costs and tells nothing about which accounts exist.
	// It is made on the first login, not at start: argon2id takes 64 MiB, and an instance that
	// only serves the public should not carry that in its peak RSS.
	dummyHash func() string
	// checking lets one password check run at a time: each holds 64 MiB, and a burst of
	// logins must not multiply that (the throttle counts failures, not attempts in flight).
	checking chan struct{}
}

// New returns a Manager over pool; clients tells trusted proxies (for the client address and
// X-Forwarded-Proto).
func New(pool *pgxpool.Pool, clients *clientip.Resolver, log *slog.Logger) (*Manager, error) {
	if clients == nil {
		clients = &clientip.Resolver{}
	}
	dummy := sync.OnceValue(func() string {
		h, err := auth.HashPassword(auth.GeneratePassword())
		if err != nil {
			// crypto/rand failing is the only way here; an empty hash never matches.
			log.Error("session: dummy password hash", "err", err)
		}
		return h
	})
	return &Manager{pool: pool, throttle: &auth.Throttle{}, clients: clients, log: log, now: time.Now, dummyHash: dummy,
		checking: make(chan struct{}, 1)}, nil
}

// UserByToken is the active user of an API token (api.Tokens).
func (m *Manager) UserByToken(ctx context.Context, token string) (data.User, error) {
	if !strings.HasPrefix(token, auth.TokenPrefix) || len(token) > 200 {
		return data.User{}, data.ErrNotFound
	}
	_, u, err := data.TokenByHash(ctx, m.pool, auth.HashSecret(token))
	return u, err
}

// ThrottledError is a login refused before its password was looked at: too many failures for
// the account or from the client within the throttle's window.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed logins; try again in %s", e.RetryAfter.Round(time.Second))
}

// checkPassword is auth.CheckPassword, one at a time.
func (m *Manager) checkPassword(hash, password string) bool {
	m.checking <- struct{}{}
	defer func() { <-m.checking }()
	return auth.CheckPassword(hash, password)
}

// ErrBadCredentials is a wrong e-mail or password (never saying which).
var ErrBadCredentials = errors.New("wrong e-mail or password")

// Login checks email and password and, when they are right, starts a session: the cookie is
// set on c. Failures are counted per account and per client; past the limits Login refuses
// with a ThrottledError without checking the password.
func (m *Manager) Login(c *fiber.Ctx, email, password string) (data.User, error) {
	client := m.clients.String(c)
	now := m.now()
	// A copy: the throttle keeps the name past the request, and the e-mail Fiber hands the
	// handler (c.FormValue) is a view into request buffers the next request overwrites — a kept
	// view would change under the throttle's map and the account would never be blocked.
	account := strings.Clone(strings.ToLower(strings.TrimSpace(email)))
	if ok, wait := m.throttle.Allow(account, client, now); !ok {
		return data.User{}, &ThrottledError{RetryAfter: wait}
	}
	u, hash, err := data.Credentials(c.UserContext(), m.pool, account)
	switch {
	case errors.Is(err, data.ErrNotFound):
		m.checkPassword(m.dummyHash(), password)
		m.throttle.Fail(account, client, now)
		return data.User{}, ErrBadCredentials
	case err != nil:
		return data.User{}, fmt.Errorf("login: %w", err)
	}
	if !m.checkPassword(hash, password) {
		m.throttle.Fail(account, client, now)
		return data.User{}, ErrBadCredentials
	}
	m.throttle.Succeed(account)
	value, idHash := auth.NewSecret()
	if _, err := data.CreateSession(c.UserContext(), m.pool, u.ID, idHash, auth.HashSecret(csrfOf(value)), client, now, TTL); err != nil {
		return data.User{}, fmt.Errorf("login: %w", err)
	}
	c.Cookie(&fiber.Cookie{Name: CookieName, Value: value, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: m.secure(c), Expires: now.Add(TTL)})
	// Deleted at the path it was set with: Fiber's ClearCookie sends no Path, so the browser
	// would take the request's directory (/en for /en/login) and keep the cookie.
	c.Cookie(&fiber.Cookie{Name: LoginCookieName, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode,
		Secure: m.secure(c), Expires: time.Unix(0, 0), MaxAge: -1})
	m.log.Info("login", "user", u.ID, "client", client)
	// Expired sessions go with the next sign-in (rare, and already a database round trip), so
	// the table does not grow with every one; a failure here costs nothing but a log line.
	if n, err := data.DeleteExpiredSessions(c.UserContext(), m.pool, now); err != nil {
		m.log.Warn("delete expired sessions", "err", err)
	} else if n > 0 {
		m.log.Info("deleted expired sessions", "count", n)
	}
	return u, nil
}

// secure reports whether the request reached us over TLS.
func (m *Manager) secure(c *fiber.Ctx) bool {
	if c.Context().IsTLS() {
		return true
	}
	// X-Forwarded-Proto counts only from a trusted proxy: the resolved client differs from the
	// TCP peer exactly when the peer is trusted and forwarded someone.
	peer := c.Context().RemoteIP().String()
	return m.clients.String(c) != peer && strings.EqualFold(c.Get("X-Forwarded-Proto"), "https")
}

// Logout ends the request's session (if any) and clears its cookie.
func (m *Manager) Logout(c *fiber.Ctx) error {
	if v := c.Cookies(CookieName); v != "" {
		if err := data.DeleteSession(c.UserContext(), m.pool, auth.HashSecret(v)); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
	}
	c.Cookie(&fiber.Cookie{Name: CookieName, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: m.secure(c), Expires: time.Unix(0, 0), MaxAge: -1})
	return nil
}

// Current is the request's signed-in user, if its session cookie names a live session of an
// active account (disabling an account ends its sessions at once). Sessions unused for IdleTTL
// end too; a used one is touched at most once a minute.
func (m *Manager) Current(c *fiber.Ctx) (data.User, bool, error) {
	v := c.Cookies(CookieName)
	if v == "" || len(v) > 200 {
		return data.User{}, false, nil
	}
	now := m.now()
	s, u, err := data.SessionByHash(c.UserContext(), m.pool, auth.HashSecret(v), now)
	if errors.Is(err, data.ErrNotFound) {
		return data.User{}, false, nil
	}
	if err != nil {
		return data.User{}, false, fmt.Errorf("session: %w", err)
	}
	if u.Disabled || now.Sub(s.LastSeenAt) > IdleTTL {
		return data.User{}, false, nil
	}
	if now.Sub(s.LastSeenAt) > time.Minute {
		if err := data.TouchSession(c.UserContext(), m.pool, s.IDHash, now); err != nil {
			m.log.Warn("touch session", "err", err)
		}
	}
	return u, true, nil
}

// csrfOf is the CSRF token of a session cookie value.
func csrfOf(cookie string) string { return auth.HashSecret("mppmap csrf v1\x00" + cookie) }

// CSRFToken is the token the request's forms carry: the session's, or for a visitor without a
// session the login form's (set as a cookie here, so the form and the cookie agree).
func (m *Manager) CSRFToken(c *fiber.Ctx) string {
	if v := c.Cookies(CookieName); v != "" {
		return csrfOf(v)
	}
	v := c.Cookies(LoginCookieName)
	if len(v) != 43 {
		v, _ = auth.NewSecret()
		c.Cookie(&fiber.Cookie{Name: LoginCookieName, Value: v, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode,
			Secure: m.secure(c), Expires: m.now().Add(time.Hour)})
	}
	return v
}

// ErrCSRF is a form post without the right CSRF token.
var ErrCSRF = errors.New("the form's security token is missing or wrong: reload the page and submit again")

// CheckCSRF checks a form post's CSRF field against the session (or, for the login form, the
// pre-session cookie). Constant-time.
func (m *Manager) CheckCSRF(c *fiber.Ctx) error {
	got := utils.CopyString(c.FormValue(FormField))
	var want string
	if v := c.Cookies(CookieName); v != "" {
		want = csrfOf(v)
	} else {
		want = c.Cookies(LoginCookieName)
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return ErrCSRF
	}
	return nil
}

// Users lists every account, disabled ones included, by e-mail (the admins' page).
func (m *Manager) Users(ctx context.Context) ([]data.User, error) { return data.ListUsers(ctx, m.pool) }

// DisableUser disables the account of email as by: its sessions end and its tokens are revoked
// in the same transaction, so its next request is a visitor's (Current checks).
func (m *Manager) DisableUser(ctx context.Context, by data.Actor, email string) error {
	if err := data.DisableUser(ctx, m.pool, by, email); err != nil {
		return err
	}
	m.log.Info("user disabled", "actor", by.ID, "request_id", by.RequestID)
	return nil
}
