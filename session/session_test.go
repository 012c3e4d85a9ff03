package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/auth"
	"mppmap/data"
	"mppmap/data/datatest"
	_ "mppmap/golden"
)

// loginApp is a Fiber app whose POST /login calls m.Login with the form's email and password
// as Fiber hands them over (views into its request buffers, as every handler gets them), and
// answers 204, 401 or 429.
func loginApp(m *Manager) *fiber.App {
	app := fiber.New()
	app.Post("/login", func(c *fiber.Ctx) error {
		_, err := m.Login(c, c.FormValue("email"), c.FormValue("password"))
		var th *ThrottledError
		switch {
		case errors.As(err, &th):
			return c.SendStatus(fiber.StatusTooManyRequests)
		case errors.Is(err, ErrBadCredentials):
			return c.SendStatus(fiber.StatusUnauthorized)
		case err != nil:
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	})
	app.Get("/logout", func(c *fiber.Ctx) error { return m.Logout(c) })
	return app
}

// postLogin posts the login form with its fields in the order given (name, value pairs).
func postLogin(t *testing.T, app *fiber.App, fields ...string) int {
	t.Helper()
	var parts []string
	for i := 0; i+1 < len(fields); i += 2 {
		parts = append(parts, url.QueryEscape(fields[i])+"="+url.QueryEscape(fields[i+1]))
	}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(strings.Join(parts, "&")))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestThrottleKeysOutliveTheRequest: failures for one account are counted across requests. The
// throttle keeps the account name past the request; a name that still pointed into Fiber's
// reused request buffers changed under the map with the next request (here the form's fields
// come in another order, so the slot that held the e-mail holds the password) and the account
// was never blocked.
func TestThrottleKeysOutliveTheRequest(t *testing.T) {
	_, pool := datatest.NewDB(t)
	m, err := New(pool, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	app := loginApp(m)
	const victim = "victim@example.go.id"
	for i := 0; i < auth.DefaultMaxPerAccount; i++ {
		pw := fmt.Sprintf("wrong-password-%05d", i)
		fields := []string{"email", victim, "password", pw}
		if i%2 == 1 {
			fields = []string{"password", pw, "email", victim}
		}
		if got := postLogin(t, app, fields...); got != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, got)
		}
	}
	if got := postLogin(t, app, "password", "the right one?", "email", victim); got != http.StatusTooManyRequests {
		t.Errorf("after %d failures of one account: %d, want 429", auth.DefaultMaxPerAccount, got)
	}
	if accounts, _ := m.throttle.Len(); accounts != 1 {
		t.Errorf("the throttle remembers %d accounts, want 1", accounts)
	}
}

// TestLoginClearsItsCookie: a successful login deletes the login form's cookie at the path it
// was set with (Path=/), also for the English form under /en/login.
func TestLoginClearsItsCookie(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	m, err := New(pool, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.AddUser(ctx, pool, data.CLIActor(), "ana@example.go.id", data.RoleSteward, "", hash); err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	app.Post("/en/login", func(c *fiber.Ctx) error {
		_, err := m.Login(c, c.FormValue("email"), c.FormValue("password"))
		return err
	})
	form := url.Values{"email": {"ana@example.go.id"}, "password": {"a long enough password"}}.Encode()
	req := httptest.NewRequest(http.MethodPost, "/en/login", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: LoginCookieName, Value: strings.Repeat("a", 43)})
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	var cleared, session bool
	for _, c := range res.Cookies() {
		switch c.Name {
		case LoginCookieName:
			cleared = c.Path == "/" && (c.MaxAge < 0 || c.Value == "")
		case CookieName:
			session = c.Value != "" && c.HttpOnly && c.Path == "/"
		}
	}
	if res.StatusCode != http.StatusOK || !session || !cleared {
		t.Errorf("login: %d, session cookie set %v, login cookie cleared at Path=/ %v; Set-Cookie: %v", res.StatusCode, session, cleared, res.Header.Values("Set-Cookie"))
	}
}

// TestLoginDeletesExpiredSessions: a sign-in removes the sessions that have expired (any
// account's), and keeps the live ones, its own included.
func TestLoginDeletesExpiredSessions(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	m, err := New(pool, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	u, err := data.AddUser(ctx, pool, data.CLIActor(), "ana@example.go.id", data.RoleSteward, "", hash)
	if err != nil {
		t.Fatal(err)
	}
	now := m.now()
	for i, start := range []time.Time{now.Add(-2 * TTL), now.Add(-TTL - time.Minute), now.Add(-time.Hour)} {
		if _, err := data.CreateSession(ctx, pool, u.ID, fmt.Sprintf("old-%d", i), "csrf", "192.0.2.1", start, TTL); err != nil {
			t.Fatal(err)
		}
	}
	if code := postLogin(t, loginApp(m), "email", "ana@example.go.id", "password", "a long enough password"); code != http.StatusNoContent {
		t.Fatalf("login: %d", code)
	}
	var expired, live int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE expires_at <= now()), count(*) FILTER (WHERE expires_at > now()) FROM app_session`).Scan(&expired, &live); err != nil {
		t.Fatal(err)
	}
	if expired != 0 || live != 2 {
		t.Errorf("after a sign-in: %d expired and %d live sessions, want 0 and 2 (the hour-old one and the new one)", expired, live)
	}
}
