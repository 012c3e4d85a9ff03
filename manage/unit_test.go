package manage

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/figures"
	"mppmap/figures/figurestest"
	"mppmap/locale"
)

// TestRoleMayNotEdit: an account whose role may not edit gets the 403 page on every page but
// the sign-in page, and its POSTs write nothing. (Both roles of the schema may edit today; a
// future read-only role must not slip through.)
func TestRoleMayNotEdit(t *testing.T) {
	e := newStubEnv(t)
	e.sessions.user.Role = data.Role("viewer")
	for _, p := range []string{"/kelola", "/en/manage", "/kelola/wilayah/32.01", "/kelola/impor", "/kelola/audit", "/kelola/pengguna"} {
		if res := e.get(t, p); res.status != http.StatusForbidden {
			t.Errorf("GET %s as a viewer: %d", p, res.status)
		}
	}
	if res := e.post(t, "/kelola/wilayah/32.01", statusValues(nil)); res.status != http.StatusForbidden {
		t.Errorf("POST status as a viewer: %d", res.status)
	}
	if e.ledger.writes != 0 {
		t.Errorf("%d writes by a viewer", e.ledger.writes)
	}
	if res := e.get(t, "/masuk"); res.status != http.StatusOK {
		t.Errorf("the sign-in page for a viewer: %d", res.status)
	}
}

// TestDatabaseAway: a write while the database is away or busy is a 503 page with Retry-After.
func TestDatabaseAway(t *testing.T) {
	for _, err := range []error{fmt.Errorf("write: %w: dial", data.ErrUnavailable), fmt.Errorf("write: %w", data.ErrBusy)} {
		e := newStubEnv(t)
		e.ledger.err = err
		res := e.post(t, "/kelola/wilayah/32.01", statusValues(nil))
		if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") != fmt.Sprint(RetryAfterSeconds) {
			t.Errorf("%v: %d Retry-After %q", err, res.status, res.header.Get("Retry-After"))
		}
		checkHeaders(t, res.header)
		if strings.Contains(res.body, "dial") {
			t.Error("the 503 page shows the cause")
		}
	}
	e := newStubEnv(t)
	e.ledger.err = errBoom
	if res := e.post(t, "/kelola/wilayah/32.01", statusValues(nil)); res.status != http.StatusInternalServerError || strings.Contains(res.body, "boom") {
		t.Errorf("other error: %d", res.status)
	}
	// Before the first read model: 503 too.
	cat, _ := locale.Load()
	h, err := New(Deps{Ledger: &stubLedger{}, Sessions: e.sessions, Accounts: &stubAccounts{}, Models: figures.Fixed{},
		Catalog: cat, AssetURL: func(string) (string, error) { return "/static/x", nil }})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(app)
	res, _ := app.Test(httptest.NewRequest(http.MethodGet, "/kelola", nil), -1)
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("no read model: %d", res.StatusCode)
	}
}

// TestServerBodyLimit: a body past the server's own limit is refused before any handler; the
// error handler answers with our 413 page, not the public site's error page.
func TestServerBodyLimit(t *testing.T) {
	cat, _ := locale.Load()
	e := newStubEnv(t)
	h, err := New(Deps{Ledger: e.ledger, Sessions: e.sessions, Accounts: e.accounts, Models: figures.Fixed{M: figures.Build(figurestest.Snapshot())},
		Catalog: cat, AssetURL: func(name string) (string, error) { return "/static/" + name, nil }})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler, BodyLimit: 1 << 20, DisableStartupMessage: true})
	h.Register(app)
	// A real listener: fasthttp answers an oversized body and closes, which app.Test reports as
	// an error instead of the answer.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	// The request announces a body twice the limit and sends only its start: the server answers
	// from the header and closes, and the client reads the answer instead of racing to write
	// the rest into a closed connection (which made this test flaky under load).
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "POST /en/manage/import HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n%s",
		2<<20, bytes.Repeat([]byte("x"), 1024)); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "File too large") || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("body past the server limit: %d %.300s", res.StatusCode, body)
	}
	if e.ledger.writes != 0 {
		t.Error("wrote")
	}
}

// TestSafeNext: where a sign-in may send the browser.
func TestSafeNext(t *testing.T) {
	cat, _ := locale.Load()
	h, _ := New(Deps{Ledger: &stubLedger{}, Sessions: &stubSessions{}, Accounts: &stubAccounts{}, Models: figures.Fixed{}, Catalog: cat,
		AssetURL: func(string) (string, error) { return "/x", nil }})
	id, en := h.langs[0], h.langs[1]
	for next, want := range map[string]string{
		"":                            "/kelola",
		"/kelola/wilayah/32.01":       "/kelola/wilayah/32.01",
		"/kelola/audit?action=x&y=1":  "/kelola/audit?action=x&y=1",
		"/en/manage/regions/32.01":    "/en/manage/regions/32.01",
		"//evil.example/kelola":       "/kelola",
		"https://evil.example/kelola": "/kelola",
		"/\\evil.example":             "/kelola",
		"/kelola/../evil":             "/kelola",
		"/masuk":                      "/kelola",
		"/keluar":                     "/kelola",
		"/wilayah/32.01":              "/kelola",
		"/kelola%2F..%2Fx":            "/kelola",
		"/kelola\x00":                 "/kelola",
		"/kelola#frag":                "/kelola",
	} {
		if got := h.safeNext(id, next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
	if got := h.safeNext(en, "//x"); got != "/en/manage" {
		t.Errorf("English default: %q", got)
	}
}

func TestDateParts(t *testing.T) {
	for _, tc := range []struct {
		p                     dateParts
		notation, prec, probl string
	}{
		{dateParts{}, "", "", ""},
		{dateParts{Year: "2024"}, "2024", "year", ""},
		{dateParts{Year: "2024", Month: "8"}, "2024-08", "month", ""},
		{dateParts{Year: "2024", Month: "02", Day: "29"}, "2024-02-29", "day", ""},
		{dateParts{Year: "2023", Month: "2", Day: "29"}, "", "", "manage.date.bad_day"},
		{dateParts{Year: "2022", Month: "5", Day: "9", Before: true}, "<=2022-05-09", "before", ""},
		{dateParts{Before: true}, "", "", "manage.date.need_year"},
		{dateParts{Year: "2024", Day: "3"}, "", "", "manage.date.need_month"},
		{dateParts{Year: "24"}, "", "", "manage.date.bad_year"},
		{dateParts{Year: "2024", Month: "13"}, "", "", "manage.date.bad_month"},
		{dateParts{Month: "3"}, "", "", "manage.date.bad_year"},
	} {
		s, prec, probl := tc.p.notation()
		if s != tc.notation || prec != tc.prec || probl != tc.probl {
			t.Errorf("%+v: %q %q %q, want %q %q %q", tc.p, s, prec, probl, tc.notation, tc.prec, tc.probl)
		}
	}
	// And back: the form shows a stored date as it was given.
	for _, s := range []string{"2024", "2024-08", "2024-08-01", "<=2022-05", "<=2022-05-09"} {
		d := mustDate(t, s)
		got, _, _ := partsOf(d).notation()
		if got != s {
			t.Errorf("%s → %+v → %s", s, partsOf(d), got)
		}
	}
}

func mustDate(t *testing.T, s string) pdate.Date {
	t.Helper()
	d, err := pdate.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
