package manage

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/auth"
	"mppmap/data"
	"mppmap/data/datatest"
	"mppmap/figures"
	"mppmap/ledger"
	"mppmap/locale"
	"mppmap/session"
)

// The pages over a real database: the fixture folder imported, the read model kept live by
// LISTEN/NOTIFY (the ledger waits for it after each write, as in production), real sessions
// and CSRF, the request path a browser takes (cookies, redirects, the forms' own fields).

// syncBuffer is a log sink tests read while the app writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const (
	stewardEmail = "steward@example.go.id"
	adminEmail   = "admin@example.go.id"
	testPassword = "correct horse battery staple"
)

type dbEnv struct {
	pool   *pgxpool.Pool
	app    *fiber.App
	log    *syncBuffer
	bodies *syncBuffer // every page served, for the no-secret check
	ids    map[string]int64
}

func newDBEnv(t *testing.T) *dbEnv {
	t.Helper()
	_, pool := datatest.NewDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	logBuf := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if _, err := data.Import(ctx, pool, datatest.WriteFolder(t, datatest.Fixture(), nil), log); err != nil {
		t.Fatal(err)
	}
	holder := figures.NewHolder()
	live := data.NewLive(pool, log, holder.Load)
	if err := live.Start(ctx); err != nil {
		t.Fatal(err)
	}
	sessions, err := session.New(pool, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	svc := ledger.New(pool, holder)
	svc.Wait = 20 * time.Second
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Deps{Ledger: svc, Sessions: sessions, Accounts: sessions, Models: holder, Catalog: cat,
		AssetURL: func(name string) (string, error) { return "/static/" + name, nil }, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	e := &dbEnv{pool: pool, log: logBuf, bodies: &syncBuffer{}, ids: map[string]int64{}}
	t.Cleanup(func() {
		// No password in any page served or any log line.
		for _, pw := range []string{testPassword, "not the password at all", "guess number"} {
			if strings.Contains(e.bodies.String(), pw) || strings.Contains(e.log.String(), pw) {
				t.Errorf("a page or the log carries the password %q", pw)
			}
		}
	})
	e.app = fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(e.app)
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for email, role := range map[string]data.Role{stewardEmail: data.RoleSteward, adminEmail: data.RoleAdmin} {
		u, err := data.AddUser(ctx, pool, data.CLIActor(), email, role, "Unit <"+string(role)+">", hash)
		if err != nil {
			t.Fatal(err)
		}
		e.ids[email] = u.ID
	}
	return e
}

// browser is one cookie jar against the app.
type browser struct {
	e       *dbEnv
	cookies map[string]string
}

func (e *dbEnv) browser() *browser { return &browser{e: e, cookies: map[string]string{}} }

func (b *browser) do(t *testing.T, req *http.Request) response {
	t.Helper()
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := b.e.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	_, _ = b.e.bodies.Write(body)
	return response{res.StatusCode, res.Header, string(body)}
}

func (b *browser) get(t *testing.T, path string) response {
	t.Helper()
	return b.do(t, httptest.NewRequest(http.MethodGet, path, nil))
}

func (b *browser) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

func (b *browser) postMultipart(t *testing.T, path string, fields map[string]string, file []byte) response {
	t.Helper()
	field := ""
	if file != nil {
		field = "csv"
	}
	ct, body := multipartBody(t, fields, field, "update.csv", file)
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", ct)
	return b.do(t, req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the token of the forms on a page.
func csrf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the page: %.500s", page)
	}
	return m[1]
}

// hiddenFields are the hidden inputs of the form whose button has id, in order.
func formFields(t *testing.T, page, buttonID string) url.Values {
	t.Helper()
	i := strings.Index(page, `id="`+buttonID+`"`)
	if i < 0 {
		t.Fatalf("no button #%s on the page", buttonID)
	}
	start := strings.LastIndex(page[:i], "<form")
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(page[start:i], -1) {
		v.Add(m[1], htmlUnescape(m[2]))
	}
	return v
}

func htmlUnescape(s string) string {
	r := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`, "&#43;", "+", "&amp;", "&")
	return r.Replace(s)
}

// login signs b in as email.
func (b *browser) login(t *testing.T, email string) {
	t.Helper()
	page := b.get(t, "/masuk")
	res := b.post(t, "/masuk", url.Values{"csrf": {csrf(t, page.body)}, "email": {email}, "password": {testPassword}})
	if res.status != http.StatusSeeOther || b.cookies[session.CookieName] == "" {
		t.Fatalf("login %s: %d %.300s", email, res.status, res.body)
	}
}

// counts are the rows that every write adds to: a change that did not happen leaves them.
func (e *dbEnv) counts(t *testing.T) string {
	t.Helper()
	var audit, history, sources, sites, version int64
	err := e.pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM status_history),
		(SELECT count(*) FROM source), (SELECT count(*) FROM mpp_site), (SELECT version FROM ledger_version)`).Scan(&audit, &history, &sources, &sites, &version)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("audit %d, history %d, sources %d, sites %d, ledger %d", audit, history, sources, sites, version)
}

func TestLoginDB(t *testing.T) {
	e := newDBEnv(t)
	t.Run("success goes where the steward wanted", func(t *testing.T) {
		b := e.browser()
		res := b.get(t, "/kelola/audit?action=status.edit")
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/masuk?next=%2Fkelola%2Faudit%3Faction%3Dstatus.edit" {
			t.Fatalf("signed out: %d → %q", res.status, res.header.Get("Location"))
		}
		page := b.get(t, res.header.Get("Location"))
		if page.status != http.StatusOK || !strings.Contains(page.body, `name="next" value="/kelola/audit?action=status.edit"`) {
			t.Fatalf("login page: %d %.600s", page.status, page.body)
		}
		checkHeaders(t, page.header)
		res = b.post(t, "/masuk", url.Values{"csrf": {csrf(t, page.body)}, "email": {" Steward@Example.go.id "}, "password": {testPassword},
			"next": {"/kelola/audit?action=status.edit"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/kelola/audit?action=status.edit" {
			t.Fatalf("login: %d → %q %.300s", res.status, res.header.Get("Location"), res.body)
		}
		if res = b.get(t, "/kelola"); res.status != http.StatusOK || !strings.Contains(res.body, stewardEmail) {
			t.Errorf("start page after login: %d", res.status)
		}
	})
	t.Run("wrong credentials say nothing about which", func(t *testing.T) {
		var bodies []string
		for _, email := range []string{stewardEmail, "nobody@example.go.id"} {
			b := e.browser()
			page := b.get(t, "/en/login")
			res := b.post(t, "/en/login", url.Values{"csrf": {csrf(t, page.body)}, "email": {email}, "password": {"not the password at all"}})
			if res.status != http.StatusUnauthorized || !strings.Contains(res.body, "Wrong e-mail or password") || b.cookies[session.CookieName] != "" {
				t.Errorf("%s: %d %.300s", email, res.status, res.body)
			}
			if strings.Contains(res.body, "not the password at all") {
				t.Errorf("the page repeats the password")
			}
			bodies = append(bodies, strings.ReplaceAll(res.body, email, "E"))
		}
		// Apart from the e-mail kept in the field (and the form's token), the two pages are the same.
		a, c := csrfRE.ReplaceAllString(bodies[0], ""), csrfRE.ReplaceAllString(bodies[1], "")
		if a != c {
			t.Errorf("a wrong password and an unknown account answer differently")
		}
	})
	t.Run("no open redirect", func(t *testing.T) {
		for _, next := range []string{"//evil.example/kelola", "https://evil.example/kelola", "/\\evil.example", "/kelola\r\nX: y",
			"javascript:alert(1)", "/wilayah/32.01", "/masuk", "/kelola/../../evil", " /kelola"} {
			b := e.browser()
			page := b.get(t, "/masuk")
			res := b.post(t, "/masuk", url.Values{"csrf": {csrf(t, page.body)}, "email": {stewardEmail}, "password": {testPassword}, "next": {next}})
			loc := res.header.Get("Location")
			if res.status != http.StatusSeeOther || !(loc == "/kelola" || strings.HasPrefix(loc, "/kelola/") && !strings.Contains(loc, "..")) {
				t.Errorf("next=%q: %d → %q", next, res.status, loc)
			}
		}
	})
	t.Run("without the login form's token", func(t *testing.T) {
		b := e.browser()
		res := b.post(t, "/masuk", url.Values{"email": {stewardEmail}, "password": {testPassword}})
		if res.status != http.StatusForbidden || b.cookies[session.CookieName] != "" {
			t.Errorf("login without CSRF: %d", res.status)
		}
		// A token from another browser does not do either (double submit: it must match the cookie).
		other := e.browser()
		page := other.get(t, "/masuk")
		res = b.post(t, "/masuk", url.Values{"csrf": {csrf(t, page.body)}, "email": {stewardEmail}, "password": {testPassword}})
		if res.status != http.StatusForbidden || b.cookies[session.CookieName] != "" {
			t.Errorf("login with another browser's token: %d", res.status)
		}
	})
	t.Run("logout", func(t *testing.T) {
		b := e.browser()
		b.login(t, stewardEmail)
		page := b.get(t, "/kelola")
		if res := b.post(t, "/keluar", url.Values{}); res.status != http.StatusForbidden {
			t.Errorf("logout without CSRF: %d", res.status)
		}
		if res := b.get(t, "/keluar"); res.status != http.StatusMethodNotAllowed {
			t.Errorf("GET /keluar: %d", res.status)
		}
		res := b.post(t, "/keluar", url.Values{"csrf": {csrf(t, page.body)}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/" || b.cookies[session.CookieName] != "" {
			t.Errorf("logout: %d → %q, cookie %q", res.status, res.header.Get("Location"), b.cookies[session.CookieName])
		}
		if res := b.get(t, "/kelola"); res.status != http.StatusSeeOther {
			t.Errorf("after logout /kelola = %d", res.status)
		}
	})
}

// TestBruteForce: past the throttle's limit for one account, even the right password gets 429
// with Retry-After, and the page says to wait.
func TestBruteForce(t *testing.T) {
	e := newDBEnv(t)
	b := e.browser()
	for i := 0; i < auth.DefaultMaxPerAccount; i++ {
		page := b.get(t, "/masuk")
		res := b.post(t, "/masuk", url.Values{"csrf": {csrf(t, page.body)}, "email": {stewardEmail}, "password": {fmt.Sprintf("guess number %d", i)}})
		if res.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, res.status)
		}
	}
	page := b.get(t, "/masuk")
	res := b.post(t, "/masuk", url.Values{"csrf": {csrf(t, page.body)}, "email": {stewardEmail}, "password": {testPassword}})
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "Terlalu banyak percobaan") {
		t.Fatalf("after %d failures: %d Retry-After %q %.400s", auth.DefaultMaxPerAccount, res.status, res.header.Get("Retry-After"), res.body)
	}
	if b.cookies[session.CookieName] != "" {
		t.Error("a throttled login set a session")
	}
	// Another account from elsewhere is not affected.
	other := e.browser()
	other.login(t, adminEmail)
}

// TestNoCSRF: every form POST without its token is a 403 page and writes nothing; a token of
// another session neither.
func TestNoCSRF(t *testing.T) {
	e := newDBEnv(t)
	b := e.browser()
	b.login(t, adminEmail)
	other := e.browser()
	other.login(t, stewardEmail)
	otherToken := csrf(t, other.get(t, "/kelola").body)
	before := e.counts(t)
	csv := []byte("code,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n32.71,yes,2026-11-30,,confirmed_named,S01,\n")
	for _, token := range []string{"", "forged", otherToken} {
		for _, tc := range []struct {
			path string
			form url.Values
		}{
			{"/kelola/wilayah/32.71", url.Values{"revision": {"1"}, "status": {"yes"}, "as_of_year": {"2026"}, "evidence": {"confirmed_named"}, "source": {"S01"}}},
			{"/en/manage/regions/32.71", url.Values{"revision": {"1"}, "status": {"yes"}, "as_of_year": {"2026"}, "evidence": {"confirmed_named"}, "source": {"S01"}}},
			{"/kelola/wilayah/32.71/sumber", url.Values{"revision": {"1"}, "src_url": {"https://example.org/x"}, "src_title": {"x"}}},
			{"/kelola/wilayah/32.71/lokasi", url.Values{"site_id": {"0"}, "site_revision": {"0"}, "name": {"MPP X"}, "evidence": {"confirmed_named"}, "source": {"S01"}}},
			{"/kelola/impor/terapkan", url.Values{"base": {"1"}, "csv": {string(csv)}}},
			{"/kelola/pengguna/nonaktifkan", url.Values{"email": {stewardEmail}}},
			{"/keluar", url.Values{}},
		} {
			if token != "" {
				tc.form.Set("csrf", token)
			}
			res := b.post(t, tc.path, tc.form)
			if res.status != http.StatusForbidden || !strings.Contains(res.body, "Muat ulang") && !strings.Contains(res.body, "Reload") {
				t.Errorf("POST %s with token %q: %d %.200s", tc.path, token, res.status, res.body)
			}
			checkHeaders(t, res.header)
		}
		fields := map[string]string{}
		if token != "" {
			fields["csrf"] = token
		}
		if res := b.postMultipart(t, "/kelola/impor", fields, csv); res.status != http.StatusForbidden {
			t.Errorf("upload with token %q: %d", token, res.status)
		}
	}
	if after := e.counts(t); after != before {
		t.Errorf("POSTs without CSRF wrote: %s → %s", before, after)
	}
	if res := b.get(t, "/kelola"); res.status != http.StatusOK {
		t.Errorf("still signed in after the refused logout: %d", res.status)
	}
	if res := other.get(t, "/kelola"); res.status != http.StatusOK {
		t.Errorf("the steward was disabled or signed out by a forged POST: %d", res.status)
	}
}

func TestRolesDB(t *testing.T) {
	e := newDBEnv(t)
	b := e.browser()
	b.login(t, stewardEmail)
	page := b.get(t, "/kelola")
	token := csrf(t, page.body)
	if strings.Contains(page.body, "/kelola/pengguna") {
		t.Error("the steward's start page links the users page")
	}
	for _, res := range []response{
		b.get(t, "/kelola/pengguna"),
		b.get(t, "/en/manage/users"),
		b.post(t, "/kelola/pengguna/nonaktifkan", url.Values{"csrf": {token}, "email": {adminEmail}}),
	} {
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "Tidak diizinkan") && !strings.Contains(res.body, "Not allowed") {
			t.Errorf("steward on the users page: %d", res.status)
		}
	}
	var disabled bool
	if err := e.pool.QueryRow(context.Background(), `SELECT disabled_at IS NOT NULL FROM app_user WHERE email = $1`, adminEmail).Scan(&disabled); err != nil || disabled {
		t.Errorf("the steward disabled the admin (%v)", err)
	}
	// Signed out: every page but the sign-in page sends there, POSTs back to their page.
	anon := e.browser()
	for path, want := range map[string]string{
		"/kelola":                  "/masuk?next=%2Fkelola",
		"/en/manage/regions/32.71": "/en/login?next=%2Fen%2Fmanage%2Fregions%2F32.71",
		"/kelola/impor":            "/masuk?next=%2Fkelola%2Fimpor",
		"/kelola/pengguna":         "/masuk?next=%2Fkelola%2Fpengguna",
	} {
		if res := anon.get(t, path); res.status != http.StatusSeeOther || res.header.Get("Location") != want {
			t.Errorf("GET %s signed out: %d → %q, want %q", path, res.status, res.header.Get("Location"), want)
		}
	}
}

// statusForm is the status form of a region page as the browser would post it, with changes.
func statusFormOf(t *testing.T, page string, over url.Values) url.Values {
	t.Helper()
	v := url.Values{"csrf": {csrf(t, page)}}
	rev := regexp.MustCompile(`name="revision" value="([0-9]+)"`).FindStringSubmatch(page)
	if rev == nil {
		t.Fatalf("no revision on the page")
	}
	v.Set("revision", rev[1])
	for k, x := range over {
		v[k] = x
	}
	return v
}

func TestEditStatusDB(t *testing.T) {
	e := newDBEnv(t)
	ctx := context.Background()
	b := e.browser()
	b.login(t, stewardEmail)
	hostile := `'; DROP TABLE region_status; -- <script>alert("x")</script> & "q"`
	page := b.get(t, "/kelola/wilayah/32.71")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Kota Bogor") {
		t.Fatalf("region page: %d", page.status)
	}
	checkHeaders(t, page.header)

	t.Run("invalid values: 422, each problem at its field, values kept, nothing written", func(t *testing.T) {
		before := e.counts(t)
		res := b.post(t, "/kelola/wilayah/32.71", statusFormOf(t, page.body, url.Values{"status": {"maybe"}, "as_of_year": {"2026"}, "as_of_month": {"2"}, "as_of_day": {"30"},
			"evidence": {"confirmed_named"}, "source_more": {"S99999"}, "note": {hostile}}))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Tanggal ini tidak ada pada bulan itu") {
			t.Fatalf("bad date: %d %.300s", res.status, res.body)
		}
		res = b.post(t, "/kelola/wilayah/32.71", statusFormOf(t, page.body, url.Values{"status": {"maybe"}, "as_of_year": {"2026"},
			"evidence": {otherEvidence}, "evidence_other": {""}, "source_more": {"S99999"}, "note": {hostile}}))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid: %d %.300s", res.status, res.body)
		}
		for _, field := range []string{`<div class="field has-problem"><label for="status">`, `<fieldset class="sources-pick has-problem" id="sources">`} {
			if !strings.Contains(res.body, field) {
				t.Errorf("422 does not mark %s", field)
			}
		}
		if !strings.Contains(res.body, `S99999`) || !strings.Contains(res.body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) || strings.Contains(res.body, `<script>alert`) {
			t.Errorf("422 does not keep the values escaped")
		}
		if after := e.counts(t); after != before {
			t.Errorf("an invalid form wrote: %s → %s", before, after)
		}
	})

	t.Run("saved: row, history, audit; shown escaped", func(t *testing.T) {
		res := b.post(t, "/kelola/wilayah/32.71", statusFormOf(t, page.body, url.Values{"status": {"yes"}, "as_of_year": {"2026"}, "as_of_month": {"11"},
			"as_of_day": {"30"}, "evidence": {otherEvidence}, "evidence_other": {"<b>press</b> release"}, "source": {"S01"}, "source_more": {"s02"}, "note": {hostile}}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/kelola/wilayah/32.71?saved=status" {
			t.Fatalf("save: %d %q %.500s", res.status, res.header.Get("Location"), res.body)
		}
		var status, asOf, evidence, note, changedBy, actor string
		var ids []string
		var rev int64
		if err := e.pool.QueryRow(ctx, `SELECT status, as_of, evidence, source_ids, note, revision FROM region_status WHERE region_code = '32.71'`).
			Scan(&status, &asOf, &evidence, &ids, &note, &rev); err != nil {
			t.Fatal(err)
		}
		if status != "yes" || asOf != "2026-11-30" || evidence != "<b>press</b> release" || strings.Join(ids, ";") != "S01;S02" || note != hostile || rev != 2 {
			t.Errorf("row: %s %s %q %v %q rev %d", status, asOf, evidence, ids, note, rev)
		}
		if err := e.pool.QueryRow(ctx, `SELECT changed_by FROM status_history WHERE region_code = '32.71' ORDER BY id DESC LIMIT 1`).Scan(&changedBy); err != nil ||
			changedBy != "Unit <steward> (steward)" {
			t.Errorf("history changed_by %q (%v)", changedBy, err)
		}
		if err := e.pool.QueryRow(ctx, `SELECT actor FROM audit_log WHERE action = 'status.edit' AND target = 'region:32.71'`).Scan(&actor); err != nil ||
			actor != fmt.Sprintf("user:%d", e.ids[stewardEmail]) {
			t.Errorf("audit actor %q (%v)", actor, err)
		}
		shown := b.get(t, res.header.Get("Location"))
		if !strings.Contains(shown.body, "Status tersimpan") || !strings.Contains(shown.body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) ||
			strings.Contains(shown.body, "<script>") || strings.Contains(shown.body, "<b>press") || !strings.Contains(shown.body, `name="revision" value="2"`) {
			t.Errorf("the page after saving: %.300s", shown.body)
		}
	})

	t.Run("stale form: 409 with both values; reapply or discard", func(t *testing.T) {
		a := b.get(t, "/kelola/wilayah/32.71")
		other := e.browser()
		other.login(t, adminEmail)
		c := other.get(t, "/kelola/wilayah/32.71")
		res := other.post(t, "/kelola/wilayah/32.71", statusFormOf(t, c.body, url.Values{"status": {"in_progress"}, "as_of_year": {"2026"}, "as_of_month": {"12"},
			"evidence": {"local_news"}, "source": {"S01"}, "note": {"the admin's note"}}))
		if res.status != http.StatusSeeOther {
			t.Fatalf("first save: %d", res.status)
		}
		before := e.counts(t)
		res = b.post(t, "/kelola/wilayah/32.71", statusFormOf(t, a.body, url.Values{"status": {"no"}, "as_of_year": {"2026"}, "evidence": {"named_as_without_MPP"},
			"source": {"S02"}, "note": {"the steward's note"}}))
		if res.status != http.StatusConflict {
			t.Fatalf("stale save: %d %.300s", res.status, res.body)
		}
		for _, want := range []string{"the admin&#39;s note", "the steward&#39;s note", "Dalam persiapan", "Belum ada MPP (bersumber)", "Unit &lt;admin&gt; (admin)", "id=\"discard\""} {
			if !strings.Contains(res.body, want) {
				t.Errorf("conflict page lacks %q", want)
			}
		}
		if after := e.counts(t); after != before {
			t.Errorf("the stale save wrote: %s → %s", before, after)
		}
		var note string
		_ = e.pool.QueryRow(ctx, `SELECT note FROM region_status WHERE region_code = '32.71'`).Scan(&note)
		if note != "the admin's note" {
			t.Errorf("silent overwrite: note %q", note)
		}
		// Reapply: the page's own form, posted as it is.
		res = b.post(t, "/kelola/wilayah/32.71", formFields(t, res.body, "reapply"))
		if res.status != http.StatusSeeOther {
			t.Fatalf("reapply: %d %.300s", res.status, res.body)
		}
		_ = e.pool.QueryRow(ctx, `SELECT note FROM region_status WHERE region_code = '32.71'`).Scan(&note)
		if note != "the steward's note" {
			t.Errorf("after reapply: note %q", note)
		}
	})
}

func TestSourcesAndSitesDB(t *testing.T) {
	e := newDBEnv(t)
	ctx := context.Background()
	b := e.browser()
	b.login(t, stewardEmail)
	hostile := `<img src=x onerror=alert(1)> '); DELETE FROM source; --`
	page := b.get(t, "/kelola/wilayah/32.01")

	t.Run("a new source comes back ticked, the status form kept", func(t *testing.T) {
		res := b.post(t, "/kelola/wilayah/32.01/sumber", statusFormOf(t, page.body, url.Values{"status": {"yes"}, "as_of_year": {"2026"}, "note": {"kept note"},
			"evidence": {"confirmed_named"}, "src_url": {"javascript:alert(1)"}, "src_title": {""}}))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `<div class="field has-problem"><label for="src-url">`) || !strings.Contains(res.body, "kept note") {
			t.Fatalf("bad source: %d %.300s", res.status, res.body)
		}
		res = b.post(t, "/kelola/wilayah/32.01/sumber", statusFormOf(t, page.body, url.Values{"status": {"yes"}, "as_of_year": {"2026"}, "note": {"kept note"},
			"evidence": {"confirmed_named"}, "src_url": {"https://example.org/peresmian?a=1&b=2"}, "src_title": {hostile}, "src_publisher": {"Pemkab <Bogor>"},
			"src_date_year": {"2026"}, "src_date_month": {"11"}}))
		if res.status != http.StatusOK || !strings.Contains(res.body, `value="S9001" checked`) || !strings.Contains(res.body, "kept note") ||
			strings.Contains(res.body, "<img src=x") {
			t.Fatalf("added source: %d %.300s", res.status, res.body)
		}
		var title string
		if err := e.pool.QueryRow(ctx, `SELECT description FROM source WHERE id = 'S9001'`).Scan(&title); err != nil || title != "Pemkab <Bogor> - "+hostile {
			t.Errorf("source stored as %q (%v)", title, err)
		}
		// The form, saved as it came back, cites it.
		v := statusFormOf(t, res.body, url.Values{"status": {"yes"}, "as_of_year": {"2026"}, "evidence": {"confirmed_named"}, "source": {"S9001"}})
		if res = b.post(t, "/kelola/wilayah/32.01", v); res.status != http.StatusSeeOther {
			t.Fatalf("save with the new source: %d %.300s", res.status, res.body)
		}
	})

	t.Run("sites: add, edit, stale", func(t *testing.T) {
		page := b.get(t, "/kelola/wilayah/32.01")
		token := csrf(t, page.body)
		site := url.Values{"csrf": {token}, "site_id": {"0"}, "site_revision": {"0"}, "name": {"MPP " + hostile}, "date_year": {"2026"}, "date_month": {"11"},
			"evidence": {"confirmed_named"}, "source": {"S01"}, "note": {hostile}}
		res := b.post(t, "/kelola/wilayah/32.01/lokasi", site)
		if res.status != http.StatusSeeOther {
			t.Fatalf("add site: %d %.500s", res.status, res.body)
		}
		var id, rev int64
		var name, inaug string
		if err := e.pool.QueryRow(ctx, `SELECT id, revision, name, inaugurated FROM mpp_site WHERE region_code = '32.01'`).Scan(&id, &rev, &name, &inaug); err != nil ||
			name != "MPP "+hostile || inaug != "2026-11" {
			t.Fatalf("site row: %q %q (%v)", name, inaug, err)
		}
		page = b.get(t, "/kelola/wilayah/32.01?saved=site")
		if !strings.Contains(page.body, "Lokasi MPP tersimpan") || strings.Contains(page.body, "<img src=x") {
			t.Errorf("page after adding a site")
		}
		if res := b.post(t, "/kelola/wilayah/32.01/lokasi", site); res.status != http.StatusUnprocessableEntity {
			t.Errorf("a second site of the same name: %d", res.status)
		}
		edit := url.Values{"csrf": {token}, "site_id": {fmt.Sprint(id)}, "site_revision": {fmt.Sprint(rev)}, "name": {"MPP Cibinong"}, "date_year": {"2026"},
			"date_month": {"11"}, "date_day": {"3"}, "evidence": {"confirmed_named"}, "source": {"S01"}}
		if res := b.post(t, "/kelola/wilayah/32.01/lokasi", edit); res.status != http.StatusSeeOther {
			t.Fatalf("edit site: %d %.300s", res.status, res.body)
		}
		before := e.counts(t)
		edit.Set("name", "MPP stale")
		res = b.post(t, "/kelola/wilayah/32.01/lokasi", edit) // the old revision again
		if res.status != http.StatusConflict || !strings.Contains(res.body, "MPP stale") || !strings.Contains(res.body, `value="MPP Cibinong"`) {
			t.Errorf("stale site: %d %.300s", res.status, res.body)
		}
		if after := e.counts(t); after != before {
			t.Errorf("the stale site save wrote: %s → %s", before, after)
		}
		// Another region's page cannot edit this site.
		edit.Set("site_revision", fmt.Sprint(rev+1))
		if res := b.post(t, "/kelola/wilayah/32.71/lokasi", edit); res.status != http.StatusNotFound {
			t.Errorf("site of 32.01 through 32.71's page: %d", res.status)
		}
	})
}

const csvHeader = "code,province_code,province,name,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n"

func TestBulkDB(t *testing.T) {
	e := newDBEnv(t)
	ctx := context.Background()
	b := e.browser()
	b.login(t, stewardEmail)
	token := csrf(t, b.get(t, "/kelola/impor").body)
	hostile := `"<script>alert(1)</script>'; DROP TABLE audit_log; --"`
	file := []byte(csvHeader + "32.71,32,Jawa Barat,Kota Bogor,yes,2026-11-30,,confirmed_named,S01;S02," + hostile + "\n" +
		"32.01,32,Jawa Barat,Kabupaten Bogor,in_progress,2026-11,,local_news,S02,\n")

	// The current statuses as a file: uploaded back unchanged, nothing would change.
	tmpl := b.get(t, "/kelola/impor/status.csv")
	if tmpl.status != http.StatusOK || !strings.HasPrefix(tmpl.header.Get("Content-Type"), "text/csv") || strings.Count(tmpl.body, "\n") != 4 {
		t.Fatalf("template: %d %q %q", tmpl.status, tmpl.header.Get("Content-Type"), tmpl.body)
	}
	same := b.postMultipart(t, "/kelola/impor", map[string]string{"csrf": token}, []byte(tmpl.body))
	if same.status != http.StatusOK || !strings.Contains(same.body, "Tidak ada yang berubah") || strings.Contains(same.body, `id="apply"`) {
		t.Errorf("the template uploaded back: %d %.600s", same.status, same.body)
	}

	before := e.counts(t)
	plan := b.postMultipart(t, "/kelola/impor", map[string]string{"csrf": token}, file)
	if plan.status != http.StatusOK || !strings.Contains(plan.body, `id="changes-table"`) || !strings.Contains(plan.body, `id="apply"`) {
		t.Fatalf("dry run: %d %.500s", plan.status, plan.body)
	}
	for _, want := range []string{"Kota Bogor", "Kabupaten Bogor", "Belum diketahui (belum ada sumber) (unknown)", "Sudah ada MPP (yes)", "2026-11-30",
		"&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(plan.body, want) {
			t.Errorf("dry run lacks %q", want)
		}
	}
	if strings.Contains(plan.body, "<script>alert") {
		t.Error("the dry run shows the note as markup")
	}
	if after := e.counts(t); after != before {
		t.Errorf("the dry run wrote: %s → %s", before, after)
	}
	confirm := formFields(t, plan.body, "apply")
	fields := map[string]string{}
	for k := range confirm {
		fields[k] = confirm.Get(k)
	}
	applied := b.postMultipart(t, "/kelola/impor/terapkan", fields, nil)
	if applied.status != http.StatusOK || !strings.Contains(applied.body, "Pembaruan massal tersimpan") {
		t.Fatalf("apply: %d %.500s", applied.status, applied.body)
	}
	var note string
	if err := e.pool.QueryRow(ctx, `SELECT note FROM region_status WHERE region_code = '32.71'`).Scan(&note); err != nil || note != `<script>alert(1)</script>'; DROP TABLE audit_log; --` {
		t.Errorf("note after the bulk update %q (%v)", note, err)
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('status.bulk', 'bulk.apply')`).Scan(&n); err != nil || n != 3 {
		t.Errorf("audit rows of the bulk update: %d (%v)", n, err)
	}

	// The same confirmation again: its base is gone; a fresh dry run, nothing written.
	before = e.counts(t)
	stale := b.postMultipart(t, "/kelola/impor/terapkan", fields, nil)
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, "Data berubah sejak uji coba") {
		t.Errorf("stale base: %d %.400s", stale.status, stale.body)
	}
	if after := e.counts(t); after != before {
		t.Errorf("the stale apply wrote: %s → %s", before, after)
	}

	// Problems: listed with line and column, no confirmation; forced through, nothing written.
	bad := []byte(csvHeader + "32.71,32,Jawa Barat,Kota Bogor,maybe,2026,,x,S01,\n")
	res := b.postMultipart(t, "/kelola/impor", map[string]string{"csrf": token}, bad)
	if res.status != http.StatusOK || !strings.Contains(res.body, `<td class="num">2</td><td><code>mpp_status</code></td>`) || strings.Contains(res.body, `id="apply"`) {
		t.Errorf("problems: %d %.600s", res.status, res.body)
	}
	fields["csv"] = base64Std(bad)
	res = b.postMultipart(t, "/kelola/impor/terapkan", fields, nil)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "tidak ada yang tersimpan") {
		t.Errorf("forced apply of a bad file: %d %.300s", res.status, res.body)
	}
	if after := e.counts(t); after != before {
		t.Errorf("the bad apply wrote: %s → %s", before, after)
	}

	// Too large: 413 with the limit named.
	huge := bytes.Repeat([]byte("x"), 3<<20)
	res = b.postMultipart(t, "/kelola/impor", map[string]string{"csrf": token}, huge)
	if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "2 MiB") {
		t.Errorf("3 MiB upload: %d %.300s", res.status, res.body)
	}
	res = b.postMultipart(t, "/kelola/impor", map[string]string{"csrf": token}, nil)
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("no file: %d", res.status)
	}
}

func TestAuditDB(t *testing.T) {
	e := newDBEnv(t)
	b := e.browser()
	b.login(t, stewardEmail)
	page := b.get(t, "/kelola/wilayah/32.71")
	hostile := `<script>alert("audit")</script>`
	res := b.post(t, "/kelola/wilayah/32.71", statusFormOf(t, page.body, url.Values{"status": {"yes"}, "as_of_year": {"2026"}, "evidence": {"confirmed_named"},
		"source": {"S01"}, "note": {hostile}}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	all := b.get(t, "/kelola/audit")
	if all.status != http.StatusOK || !strings.Contains(all.body, "status.edit") || !strings.Contains(all.body, "user.add") {
		t.Fatalf("audit: %d %.300s", all.status, all.body)
	}
	if strings.Index(all.body, "status.edit</code>") > strings.Index(all.body, "user.add</code>") {
		t.Error("not newest first")
	}
	if strings.Contains(all.body, hostile) || !strings.Contains(all.body, `&lt;script&gt;alert(\&#34;audit\&#34;)&lt;/script&gt;`) {
		t.Errorf("the audit page does not show the note escaped: %.2000s", all.body[strings.Index(all.body, "status.edit"):])
	}
	steward := fmt.Sprintf("user:%d", e.ids[stewardEmail])
	for q, want := range map[string][2]bool{ // query → (has status.edit, has user.add)
		"?action=status.edit":                  {true, false},
		"?actor=cli":                           {false, true},
		"?actor=" + steward:                    {true, false},
		"?target=region%3A32.71":               {true, false},
		"?since=2100-01-01":                    {false, false},
		"?since=2000-01-01&action=user.add":    {false, true},
		"?limit=1":                             {true, false},
		"?limit=1&action=user.add&actor=cli":   {false, true},
		"?since=2000-01-01T00:00:00Z&limit=50": {true, true},
	} {
		res := b.get(t, "/kelola/audit"+q)
		got := [2]bool{strings.Contains(res.body, "status.edit</code>"), strings.Contains(res.body, "user.add</code>")}
		if res.status != http.StatusOK || got != want {
			t.Errorf("audit%s: %d, (status.edit, user.add) = %v, want %v", q, res.status, got, want)
		}
	}
	if res := b.get(t, "/kelola/audit?limit=1"); !strings.Contains(res.body, `id="audit-more"`) || !strings.Contains(res.body, "limit=2") {
		t.Errorf("no link to more entries")
	}
	bad := b.get(t, "/en/manage/audit?since=last+week&actor=%27%3B+DROP+TABLE+audit_log&action=x&target=%3Cb%3E&limit=5000")
	if bad.status != http.StatusBadRequest {
		t.Fatalf("bad filters: %d", bad.status)
	}
	for _, name := range []string{"since:", "actor:", "target:", "limit:"} {
		if !strings.Contains(bad.body, name) {
			t.Errorf("the 400 page does not name %s", name)
		}
	}
	checkHeaders(t, bad.header)
}

func TestDisableUserDB(t *testing.T) {
	e := newDBEnv(t)
	admin := e.browser()
	admin.login(t, adminEmail)
	steward := e.browser()
	steward.login(t, stewardEmail)
	stewardPage := steward.get(t, "/kelola/wilayah/32.71")

	users := admin.get(t, "/kelola/pengguna")
	if users.status != http.StatusOK || !strings.Contains(users.body, stewardEmail) || !strings.Contains(users.body, "Unit &lt;steward&gt;") {
		t.Fatalf("users page: %d", users.status)
	}
	token := csrf(t, users.body)
	if res := admin.post(t, "/kelola/pengguna/nonaktifkan", url.Values{"csrf": {token}, "email": {adminEmail}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("self-disable: %d", res.status)
	}
	res := admin.post(t, "/kelola/pengguna/nonaktifkan", url.Values{"csrf": {token}, "email": {stewardEmail}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("disable: %d %.300s", res.status, res.body)
	}
	if after := admin.get(t, res.header.Get("Location")); !strings.Contains(after.body, "dinonaktifkan") || !strings.Contains(after.body, "nonaktif</span>") {
		t.Errorf("users page after disabling: %.300s", after.body)
	}
	// The notice names only a disabled account of the list: a link made elsewhere shows none.
	for _, forged := range []string{"someone@example.go.id telah diretas", adminEmail} {
		if page := admin.get(t, "/kelola/pengguna?disabled="+url.QueryEscape(forged)); strings.Contains(page.body, `class="notice"`) {
			t.Errorf("?disabled=%q put a notice on the users page", forged)
		}
	}
	// The steward's very next request is a visitor's: the sign-in page.
	if res := steward.get(t, "/kelola"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/masuk") {
		t.Errorf("disabled steward GET /kelola: %d → %q", res.status, res.header.Get("Location"))
	}
	before := e.counts(t)
	res = steward.post(t, "/kelola/wilayah/32.71", statusFormOf(t, stewardPage.body, url.Values{"status": {"yes"}, "as_of_year": {"2026"},
		"evidence": {"confirmed_named"}, "source": {"S01"}}))
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/masuk?next=%2Fkelola%2Fwilayah%2F32.71") {
		t.Errorf("disabled steward's save: %d → %q", res.status, res.header.Get("Location"))
	}
	if after := e.counts(t); after != before {
		t.Errorf("a disabled steward wrote: %s → %s", before, after)
	}
	page := steward.get(t, "/masuk")
	if res := steward.post(t, "/masuk", url.Values{"csrf": {csrf(t, page.body)}, "email": {stewardEmail}, "password": {testPassword}}); res.status != http.StatusUnauthorized {
		t.Errorf("a disabled account signs in: %d", res.status)
	}
	var actor string
	if err := e.pool.QueryRow(context.Background(), `SELECT actor FROM audit_log WHERE action = 'user.disable'`).Scan(&actor); err != nil ||
		actor != fmt.Sprintf("user:%d", e.ids[adminEmail]) {
		t.Errorf("audit of the disable: %q (%v)", actor, err)
	}
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
