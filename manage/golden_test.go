package manage

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/data/refdata"
	"mppmap/figures"
	"mppmap/figures/figurestest"
	"mppmap/golden"
	"mppmap/ledger"
	"mppmap/locale"
	"mppmap/session"
)

// The pages rendered over stand-ins of the ledger and the sessions (fixed values, so the HTML
// is the same on every run) and the figures test model, compared with testdata/golden
// (`go test ./manage -update` rewrites them; review the diff). The behaviour over a real
// database is db_test.go's.

const testCSRF = "test-csrf-token"

// stubSessions is a signed-in user (or none) with a fixed CSRF token.
type stubSessions struct {
	user     data.User
	signedIn bool
	loginErr error
}

func (s *stubSessions) Login(c *fiber.Ctx, email, password string) (data.User, error) {
	return s.user, s.loginErr
}
func (s *stubSessions) Logout(c *fiber.Ctx) error { return nil }
func (s *stubSessions) Current(c *fiber.Ctx) (data.User, bool, error) {
	return s.user, s.signedIn, nil
}
func (s *stubSessions) CSRFToken(c *fiber.Ctx) string { return testCSRF }
func (s *stubSessions) CheckCSRF(c *fiber.Ctx) error {
	if c.FormValue(session.FormField) != testCSRF {
		return session.ErrCSRF
	}
	return nil
}

var stubTime = time.Date(2026, 11, 30, 8, 15, 0, 0, time.UTC)

// stubLedger answers from fixed rows; err is what its writes return.
type stubLedger struct {
	err    error
	plan   ledger.Plan
	writes int
}

func (s *stubLedger) SetStatus(ctx context.Context, by data.Editor, code string, in ledger.StatusInput, revision int64) (ledger.Result, error) {
	s.writes++
	return ledger.Result{}, s.err
}
func (s *stubLedger) AddSource(ctx context.Context, by data.Editor, in ledger.SourceInput) (string, ledger.Result, error) {
	s.writes++
	return "S9001", ledger.Result{}, s.err
}
func (s *stubLedger) SaveSite(ctx context.Context, by data.Editor, code string, id, revision int64, in ledger.SiteInput) (int64, ledger.Result, error) {
	s.writes++
	return 7, ledger.Result{}, s.err
}
func (s *stubLedger) PlanCSV(ctx context.Context, body []byte) (ledger.Plan, error) {
	return s.plan, nil
}
func (s *stubLedger) ApplyCSV(ctx context.Context, by data.Editor, body []byte, base int64) (ledger.Plan, ledger.Result, error) {
	s.writes++
	return s.plan, ledger.Result{}, s.err
}
func (s *stubLedger) Audit(ctx context.Context, f data.AuditFilter) ([]data.AuditEntry, error) {
	return []data.AuditEntry{
		{ID: 2, At: stubTime, Actor: "user:1", ActorEmail: "ana@example.go.id", Action: "status.edit", Target: "region:32.01",
			Before: json.RawMessage(`{"status":"in_progress","note":""}`), After: json.RawMessage(`{"status":"yes","note":"<script>alert(1)</script>"}`),
			RequestID: "req-1", Client: "192.0.2.7"},
		{ID: 1, At: stubTime.Add(-time.Hour), Actor: "cli", Action: data.ActionUserAdd, Target: "user:1", After: json.RawMessage(`{"email":"ana@example.go.id"}`)},
	}, nil
}
func (s *stubLedger) Status(ctx context.Context, code string) (data.StatusRecord, error) {
	if code == "99.99" {
		return data.StatusRecord{}, data.ErrNotFound
	}
	return data.StatusRecord{Code: code, Revision: 3, Origin: "edit", UpdatedAt: stubTime, RecordedBy: "Deputi Pelayanan Publik (steward)",
		Status: refdata.RegionStatus{RegionCode: code, Status: data.StatusYes, AsOf: pdate.MustParse("2023-10-31"), FirstKnown: pdate.MustParse("2023-10"),
			Evidence: "confirmed_named", SourceIDs: []string{"S2"}, Note: "<b>note</b>"}}, nil
}
func (s *stubLedger) Sites(ctx context.Context, code string) ([]data.SiteRecord, error) {
	return []data.SiteRecord{{ID: 7, Revision: 2, Origin: "import", Site: refdata.Site{ProvinceCode: code[:2], RegionCode: code, Name: "MPP <Cibinong>",
		Inaugurated: pdate.MustParse("<=2023-10"), Evidence: "confirmed_named", SourceIDs: []string{"S2", "S10"}, Note: "x"}}}, nil
}

// stubSubmissions: an open submission with HTML in every field, and a rejected one.
func stubSubmissions() []data.Submission {
	hostile := `<script>alert("x")</script>`
	return []data.Submission{
		{ID: 4, RegionCode: "32.01", Status: data.StatusYes, AsOf: pdate.MustParse("2026-10"), SourceURL: "https://radar.example.id/mpp?a=1&b=" + hostile,
			SourceTitle: "MPP <b>diresmikan</b>", Note: hostile, Contact: "reader <x@example.id>", CreatedAt: stubTime, State: data.SubmissionOpen},
		{ID: 2, RegionCode: "32.01", Status: data.StatusNo, SourceURL: "https://blog.example.id/x", CreatedAt: stubTime.Add(-48 * time.Hour),
			State: data.SubmissionRejected, ReviewedAt: stubTime.Add(-24 * time.Hour), Reason: "the article is about <another> region"},
	}
}

func (s *stubLedger) Submissions(ctx context.Context, state, region string, limit int) ([]data.Submission, error) {
	var out []data.Submission
	for _, sub := range stubSubmissions() {
		if (state == "" || sub.State == state) && (region == "" || sub.RegionCode == region) {
			out = append(out, sub)
		}
	}
	return out, nil
}
func (s *stubLedger) Submission(ctx context.Context, id int64) (data.Submission, error) {
	for _, sub := range stubSubmissions() {
		if sub.ID == id {
			return sub, nil
		}
	}
	return data.Submission{}, data.ErrNotFound
}
func (s *stubLedger) AcceptSubmission(ctx context.Context, by data.Editor, id int64, in ledger.StatusInput, revision int64, title, publisher string) (string, ledger.Result, error) {
	s.writes++
	return "S9002", ledger.Result{}, s.err
}
func (s *stubLedger) RejectSubmission(ctx context.Context, by data.Editor, id int64, reason string) (ledger.Result, error) {
	s.writes++
	return ledger.Result{}, s.err
}
func (s *stubLedger) MarkDuplicate(ctx context.Context, by data.Editor, id, of int64) (ledger.Result, error) {
	s.writes++
	return ledger.Result{}, s.err
}

type stubAccounts struct{ disabled []string }

func (a *stubAccounts) Users(ctx context.Context) ([]data.User, error) {
	return []data.User{
		{ID: 1, Email: "ana@example.go.id", Role: data.RoleAdmin, Unit: "Deputi Pelayanan Publik", CreatedAt: stubTime},
		{ID: 2, Email: "budi@example.go.id", Role: data.RoleSteward, Unit: "<i>Biro</i>", CreatedAt: stubTime},
		{ID: 3, Email: "citra@example.go.id", Role: data.RoleSteward, CreatedAt: stubTime, Disabled: true},
	}, nil
}
func (a *stubAccounts) DisableUser(ctx context.Context, by data.Actor, email string) error {
	a.disabled = append(a.disabled, email)
	return nil
}

// testLog shows the pages' log lines (a template that fails to render) in the test's output.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

type stubEnv struct {
	app      *fiber.App
	ledger   *stubLedger
	sessions *stubSessions
	accounts *stubAccounts
}

func newStubEnv(t *testing.T) *stubEnv {
	t.Helper()
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	snap := figurestest.Snapshot()
	snap.OpenSubmissions = map[string]int{"32.01": 1} // the open one of stubSubmissions
	e := &stubEnv{ledger: &stubLedger{}, accounts: &stubAccounts{},
		sessions: &stubSessions{user: data.User{ID: 1, Email: "ana@example.go.id", Role: data.RoleAdmin}, signedIn: true}}
	h, err := New(Deps{Ledger: e.ledger, Sessions: e.sessions, Accounts: e.accounts, Models: figures.Fixed{M: figures.Build(snap)},
		Catalog: cat, AssetURL: func(name string) (string, error) { return "/static/" + name, nil }, Log: slog.New(slog.NewTextHandler(testLog{t}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	e.app = fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(e.app)
	return e
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *stubEnv) do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := e.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b)}
}

func (e *stubEnv) get(t *testing.T, path string) response {
	return e.do(t, httptest.NewRequest(http.MethodGet, path, nil))
}

func (e *stubEnv) post(t *testing.T, path string, form url.Values) response {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

// multipartBody is a form with one file field.
func multipartBody(t *testing.T, fields map[string]string, fileField, fileName string, file []byte) (string, io.Reader) {
	t.Helper()
	var b strings.Builder
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if fileField != "" {
		fw, err := w.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(file)
	}
	_ = w.Close()
	return w.FormDataContentType(), strings.NewReader(b.String())
}

func statusValues(over map[string]string) url.Values {
	v := url.Values{"csrf": {testCSRF}, "revision": {"3"}, "status": {"yes"}, "as_of_year": {"2023"}, "as_of_month": {"10"}, "as_of_day": {"31"},
		"evidence": {"confirmed_named"}, "source": {"S2"}, "note": {"checked"}}
	for k, x := range over {
		v.Set(k, x)
	}
	return v
}

func TestGoldenPages(t *testing.T) {
	hostile := `'; DROP TABLE region_status; -- <script>alert("x")</script>`
	for _, tc := range []struct {
		name   string
		status int
		setup  func(e *stubEnv)
		do     func(t *testing.T, e *stubEnv) response
	}{
		{name: "login", status: 200, setup: func(e *stubEnv) { e.sessions.signedIn = false },
			do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/masuk?next=/kelola/audit") }},
		{name: "login-wrong-en", status: 401, setup: func(e *stubEnv) { e.sessions.signedIn, e.sessions.loginErr = false, session.ErrBadCredentials },
			do: func(t *testing.T, e *stubEnv) response {
				return e.post(t, "/en/login", url.Values{"csrf": {testCSRF}, "email": {"<b>ana</b>@example.go.id"}, "password": {"hunter2hunter2"}, "next": {"/en/manage"}})
			}},
		{name: "login-throttled", status: 429, setup: func(e *stubEnv) {
			e.sessions.signedIn, e.sessions.loginErr = false, &session.ThrottledError{RetryAfter: 14*time.Minute + 3*time.Second}
		}, do: func(t *testing.T, e *stubEnv) response {
			return e.post(t, "/masuk", url.Values{"csrf": {testCSRF}, "email": {"ana@example.go.id"}, "password": {"x"}})
		}},
		{name: "start", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/kelola") }},
		{name: "start-search-en", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/en/manage?q=bogor&status=yes") }},
		{name: "region", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/kelola/wilayah/32.01?saved=status") }},
		{name: "region-hostile-en", status: 200, do: func(t *testing.T, e *stubEnv) response {
			return e.get(t, "/en/manage/regions/"+figurestest.HostileCode)
		}},
		{name: "region-invalid", status: 422, setup: func(e *stubEnv) {
			e.ledger.err = &ledger.InvalidError{Problems: []ledger.FieldProblem{{Field: "source_ids", Message: `unknown source id "S99999"`}, {Field: "evidence", Message: "required"}}}
		}, do: func(t *testing.T, e *stubEnv) response {
			return e.post(t, "/kelola/wilayah/32.01", statusValues(map[string]string{"source_more": "S99999", "evidence": "", "note": hostile}))
		}},
		{name: "region-bad-date", status: 422, do: func(t *testing.T, e *stubEnv) response {
			return e.post(t, "/kelola/wilayah/32.01", statusValues(map[string]string{"as_of_month": "2", "as_of_day": "30"}))
		}},
		{name: "conflict", status: 409, setup: func(e *stubEnv) {
			cur, _ := e.ledger.Status(context.Background(), "32.01")
			cur.Revision, cur.Status.Status, cur.Status.Note = 4, data.StatusInProgress, "changed by <someone>"
			e.ledger.err = &data.StaleError{Current: cur}
		}, do: func(t *testing.T, e *stubEnv) response {
			return e.post(t, "/kelola/wilayah/32.01", statusValues(map[string]string{"note": hostile}))
		}},
		{name: "source-added", status: 200, do: func(t *testing.T, e *stubEnv) response {
			v := statusValues(map[string]string{"src_url": "https://example.org/new", "src_title": "MPP diresmikan", "src_publisher": "Pemkab", "src_date_year": "2026"})
			return e.post(t, "/kelola/wilayah/32.01/sumber", v)
		}},
		{name: "site-stale-en", status: 409, setup: func(e *stubEnv) { e.ledger.err = data.ErrStale }, do: func(t *testing.T, e *stubEnv) response {
			return e.post(t, "/en/manage/regions/32.01/sites", url.Values{"csrf": {testCSRF}, "site_id": {"7"}, "site_revision": {"1"}, "name": {"MPP Cibinong"},
				"date_year": {"2023"}, "evidence": {"confirmed_named"}, "source": {"S2"}})
		}},
		{name: "import", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/kelola/impor") }},
		{name: "import-plan", status: 200, setup: func(e *stubEnv) {
			e.ledger.plan = ledger.Plan{Base: "41", Changes: []data.FieldChange{{Code: "32.01", Field: "mpp_status", Before: "no", After: "yes"},
				{Code: "32.01", Field: "notes", Before: "", After: hostile}, {Code: "32.73", Field: "status_as_of", Before: "2024-08", After: "2026-11"}}, Problems: []ledger.CSVProblem{}}
		}, do: func(t *testing.T, e *stubEnv) response {
			ct, body := multipartBody(t, map[string]string{"csrf": testCSRF}, "csv", "x.csv", []byte("code,mpp_status\n"))
			req := httptest.NewRequest(http.MethodPost, "/kelola/impor", body)
			req.Header.Set("Content-Type", ct)
			return e.do(t, req)
		}},
		{name: "import-problems-en", status: 200, setup: func(e *stubEnv) {
			e.ledger.plan = ledger.Plan{Base: "41", Changes: []data.FieldChange{}, Problems: []ledger.CSVProblem{{Line: 2, Field: "mpp_status", Message: `"maybe": want one of yes, in_progress, no, unknown`}}}
		}, do: func(t *testing.T, e *stubEnv) response {
			ct, body := multipartBody(t, map[string]string{"csrf": testCSRF}, "csv", "x.csv", []byte("code,mpp_status\n"))
			req := httptest.NewRequest(http.MethodPost, "/en/manage/import", body)
			req.Header.Set("Content-Type", ct)
			return e.do(t, req)
		}},
		{name: "audit", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/kelola/audit?action=status.edit") }},
		{name: "audit-bad-en", status: 400, do: func(t *testing.T, e *stubEnv) response {
			return e.get(t, "/en/manage/audit?since=yesterday&actor=%3Cscript%3E&limit=0")
		}},
		{name: "queue", status: 200, do: func(t *testing.T, e *stubEnv) response {
			return e.get(t, "/kelola/kiriman?done=accepted&id=3&source=S9002")
		}},
		{name: "queue-all-en", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/en/manage/submissions?state=all") }},
		{name: "queue-bad-state", status: 400, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/kelola/kiriman?state=%3Cb%3E") }},
		{name: "submission", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/kelola/kiriman/4") }},
		{name: "submission-reviewed-en", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/en/manage/submissions/2") }},
		{name: "submission-invalid", status: 422, setup: func(e *stubEnv) {
			e.ledger.err = &ledger.InvalidError{Problems: []ledger.FieldProblem{{Field: "evidence", Message: "required"}, {Field: "title", Message: "required, at most 500 characters"}}}
		}, do: func(t *testing.T, e *stubEnv) response {
			return e.post(t, "/kelola/kiriman/4/terima", url.Values{"csrf": {testCSRF}, "revision": {"3"}, "status": {"yes"}, "as_of_year": {"2026"},
				"src_title": {""}, "note": {hostile}})
		}},
		{name: "submission-stale-en", status: 409, setup: func(e *stubEnv) { e.ledger.err = &data.StaleError{} },
			do: func(t *testing.T, e *stubEnv) response {
				return e.post(t, "/en/manage/submissions/4/accept", url.Values{"csrf": {testCSRF}, "revision": {"2"}, "status": {"yes"}, "as_of_year": {"2026"},
					"evidence": {"local_news"}, "src_title": {"MPP"}})
			}},
		{name: "submission-reject-no-reason", status: 422, setup: func(e *stubEnv) {
			e.ledger.err = &ledger.InvalidError{Problems: []ledger.FieldProblem{{Field: "reason", Message: "required, at most 1000 characters"}}}
		}, do: func(t *testing.T, e *stubEnv) response {
			return e.post(t, "/kelola/kiriman/4/tolak", url.Values{"csrf": {testCSRF}, "reason": {" "}})
		}},
		{name: "users", status: 200, do: func(t *testing.T, e *stubEnv) response { return e.get(t, "/kelola/pengguna") }},
		{name: "csrf", status: 403, do: func(t *testing.T, e *stubEnv) response {
			return e.post(t, "/kelola/wilayah/32.01", statusValues(map[string]string{"csrf": "forged"}))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newStubEnv(t)
			if tc.setup != nil {
				tc.setup(e)
			}
			res := tc.do(t, e)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d\n%.2000s", res.status, tc.status, res.body)
			}
			if strings.Contains(res.body, "⟦") {
				i := strings.Index(res.body, "⟦")
				t.Errorf("a text without a catalog entry: %s", res.body[i:min(len(res.body), i+60)])
			}
			checkHeaders(t, res.header)
			golden.Assert(t, filepath.Join("testdata", "golden", tc.name+".html"), []byte(res.body))
		})
	}
}

// checkHeaders: what every page of ours sends.
func checkHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for k, want := range map[string]string{"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
		"X-Content-Type-Options": "nosniff"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}

var errBoom = errors.New("boom")
