package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/ledger"
)

// fakeWrites is a ledger double for the HTTP mapping of the write API (the real ledger and
// database are exercised by e2e TestStewardship and the data tests): it records what the
// handler passed and answers err, or a result showing model m.
type fakeWrites struct {
	m        *figures.Model
	err      error
	gotCode  string
	gotIn    ledger.StatusInput
	gotRev   int64
	gotBase  int64
	gotActor data.Editor
}

func (f *fakeWrites) SetStatus(_ context.Context, by data.Editor, code string, in ledger.StatusInput, rev int64) (ledger.Result, error) {
	f.gotActor, f.gotCode, f.gotIn, f.gotRev = by, code, in, rev
	return ledger.Result{Model: f.m}, f.err
}
func (f *fakeWrites) AddSource(_ context.Context, by data.Editor, in ledger.SourceInput) (string, ledger.Result, error) {
	return "S9001", ledger.Result{Model: f.m}, f.err
}
func (f *fakeWrites) PlanCSV(context.Context, []byte) (ledger.Plan, error) {
	return ledger.Plan{Base: "7", Changes: []data.FieldChange{}, Problems: []ledger.CSVProblem{}}, f.err
}
func (f *fakeWrites) ApplyCSV(_ context.Context, _ data.Editor, _ []byte, base int64) (ledger.Plan, ledger.Result, error) {
	f.gotBase = base
	return ledger.Plan{Base: "7"}, ledger.Result{Model: f.m}, f.err
}
func (f *fakeWrites) Audit(context.Context, data.AuditFilter) ([]data.AuditEntry, error) {
	return nil, f.err
}

type fakeTokens map[string]data.User

func (f fakeTokens) UserByToken(_ context.Context, tok string) (data.User, error) {
	if u, ok := f[tok]; ok {
		return u, nil
	}
	return data.User{}, data.ErrNotFound
}

func newWriteApp(t *testing.T, w *fakeWrites) (*fiber.App, *figures.Model) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := figures.Build(testSnapshot(t))
	w.m = m
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(log)})
	New(figures.Fixed{M: m}, testCatalog(t), nil, log).WithWrites(w, fakeTokens{
		"mpp_steward": {ID: 3, Email: "s@example.go.id", Role: data.RoleSteward, Unit: "Deputi"},
		"mpp_norole":  {ID: 4, Email: "n@example.go.id", Role: "viewer"},
	}).Register(app)
	return app, m
}

func send(t *testing.T, app *fiber.App, method, path string, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, b
}

// TestWriteAPIRefusals: each refusal has its status and a problem+json body, and only a
// request that passes every check reaches the ledger, with the region's revision and the
// steward as actor.
func TestWriteAPIRefusals(t *testing.T) {
	w := &fakeWrites{}
	app, _ := newWriteApp(t, w)
	etag := get(t, app, "/api/v1/regions/32.73").header.Get("ETag")
	good := `{"status":"yes","as_of":"2025-01","evidence":"confirmed_named","source_ids":["S09"],"note":"n"}`
	js := "application/json"
	for _, tc := range []struct {
		name, path, body string
		hdr              []string
		want             int
	}{
		{"no token", "/api/v1/regions/32.73/status", good, []string{"Content-Type", js, "If-Match", etag}, 401},
		{"unknown token", "/api/v1/regions/32.73/status", good, []string{"Authorization", "Bearer mpp_x", "Content-Type", js, "If-Match", etag}, 401},
		{"role without the right", "/api/v1/regions/32.73/status", good, []string{"Authorization", "Bearer mpp_norole", "Content-Type", js, "If-Match", etag}, 403},
		{"no If-Match", "/api/v1/regions/32.73/status", good, []string{"Authorization", "Bearer mpp_steward", "Content-Type", js}, 428},
		{"weak ETag", "/api/v1/regions/32.73/status", good, []string{"Authorization", "Bearer mpp_steward", "Content-Type", js, "If-Match", "W/" + etag}, 412},
		{"another region's ETag", "/api/v1/regions/32.04/status", good, []string{"Authorization", "Bearer mpp_steward", "Content-Type", js, "If-Match", etag}, 412},
		{"bad code", "/api/v1/regions/3273/status", good, []string{"Authorization", "Bearer mpp_steward", "Content-Type", js, "If-Match", etag}, 400},
		{"unknown region", "/api/v1/regions/99.99/status", good, []string{"Authorization", "Bearer mpp_steward", "Content-Type", js, "If-Match", etag}, 404},
		{"query parameter", "/api/v1/regions/32.73/status?force=1", good, []string{"Authorization", "Bearer mpp_steward", "Content-Type", js, "If-Match", etag}, 400},
		{"wrong type", "/api/v1/regions/32.73/status", `{"status":1}`, []string{"Authorization", "Bearer mpp_steward", "Content-Type", js, "If-Match", etag}, 422},
		{"two values", "/api/v1/regions/32.73/status", good + good, []string{"Authorization", "Bearer mpp_steward", "Content-Type", js, "If-Match", etag}, 400},
		{"bulk without If-Match", "/api/v1/imports/status", "code\n", []string{"Authorization", "Bearer mpp_steward", "Content-Type", "text/csv"}, 428},
		{"bulk bad If-Match", "/api/v1/imports/status", "code\n", []string{"Authorization", "Bearer mpp_steward", "Content-Type", "text/csv", "If-Match", `"v7"`}, 400},
		{"bulk bad dry_run", "/api/v1/imports/status?dry_run=yes", "code\n", []string{"Authorization", "Bearer mpp_steward", "Content-Type", "text/csv"}, 400},
		{"bulk not CSV", "/api/v1/imports/status?dry_run=true", "code\n", []string{"Authorization", "Bearer mpp_steward", "Content-Type", js}, 415},
		{"bulk too large", "/api/v1/imports/status?dry_run=true", strings.Repeat("x", MaxCSVBody+1), []string{"Authorization", "Bearer mpp_steward", "Content-Type", "text/csv"}, 413},
		{"audit bad since", "/api/v1/audit?since=yesterday", "", []string{"Authorization", "Bearer mpp_steward"}, 400},
		{"audit bad limit", "/api/v1/audit?limit=5000", "", []string{"Authorization", "Bearer mpp_steward"}, 400},
	} {
		method := http.MethodPatch
		switch {
		case strings.HasPrefix(tc.path, "/api/v1/imports"):
			method = http.MethodPost
		case strings.HasPrefix(tc.path, "/api/v1/audit"):
			method = http.MethodGet
		}
		w.gotCode = ""
		res, body := send(t, app, method, tc.path, tc.body, tc.hdr...)
		if res.StatusCode != tc.want || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s %s, want %d problem+json", tc.name, res.StatusCode, res.Header.Get("Content-Type"), body, tc.want)
		}
		if w.gotCode != "" {
			t.Errorf("%s: the ledger was called", tc.name)
		}
		if res.Header.Get("Access-Control-Allow-Origin") != "" && method != http.MethodGet {
			t.Errorf("%s: a write answers with CORS headers", tc.name)
		}
	}
	res, body := send(t, app, http.MethodPatch, "/api/v1/regions/32.73/status", good, "Authorization", "Bearer mpp_steward", "Content-Type", js, "If-Match", `"other", `+etag)
	if res.StatusCode != http.StatusOK || w.gotCode != "32.73" || w.gotIn.Status != "yes" || w.gotIn.AsOf != "2025-01" || w.gotActor.UserID != 3 ||
		w.gotActor.Label != "Deputi (steward)" || !bytes.Contains(body, []byte(`"region"`)) {
		t.Errorf("good PATCH: %d %s; ledger got %q %+v actor %+v", res.StatusCode, body, w.gotCode, w.gotIn, w.gotActor)
	}
	if res.Header.Get("ETag") == "" {
		t.Error("the 200 carries no ETag for the next If-Match")
	}
	res, _ = send(t, app, http.MethodPost, "/api/v1/imports/status", "code\n", "Authorization", "Bearer mpp_steward", "Content-Type", "text/csv", "If-Match", `"7"`)
	if res.StatusCode != http.StatusOK || w.gotBase != 7 {
		t.Errorf("bulk apply with a quoted base: %d, base %d", res.StatusCode, w.gotBase)
	}
}

// TestWriteAPIErrors: the ledger's errors become their statuses: invalid → 422 with each
// field, stale → 412, bulk problems → 422 with the plan, moved ledger → 409 with a fresh plan,
// database down or ledger busy → 503 with Retry-After, not shown in time → 202.
func TestWriteAPIErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		path   string
		want   int
		inBody string
	}{
		{"invalid", &ledger.InvalidError{Problems: []ledger.FieldProblem{{Field: "as_of", Message: "bad"}, {Field: "source_ids", Message: "needs one"}}},
			"/api/v1/regions/32.73/status", 422, `"errors":[{"field":"as_of","message":"bad"},{"field":"source_ids","message":"needs one"}]`},
		{"stale", &data.StaleError{Current: data.StatusRecord{Code: "32.73", Revision: 9}}, "/api/v1/regions/32.73/status", 412, "revision 9"},
		{"database down", fmt.Errorf("write: %w", data.ErrUnavailable), "/api/v1/regions/32.73/status", 503, "unavailable"},
		{"busy", fmt.Errorf("write: %w", data.ErrBusy), "/api/v1/sources", 503, "import"},
		{"not shown", ledger.ErrNotShown, "/api/v1/sources", 202, `"committed":true`},
		{"bulk problems", &ledger.BulkProblemsError{Plan: ledger.Plan{Base: "7", Problems: []ledger.CSVProblem{{Line: 3, Field: "mpp_status", Message: "x"}}}},
			"/api/v1/imports/status", 422, `"problems":[{"line":3,"field":"mpp_status","message":"x"}]`},
		{"ledger moved", &ledger.StaleBaseError{Plan: ledger.Plan{Base: "8"}}, "/api/v1/imports/status", 409, `"base":"8"`},
	} {
		w := &fakeWrites{err: tc.err}
		app, _ := newWriteApp(t, w)
		etag := get(t, app, "/api/v1/regions/32.73").header.Get("ETag")
		body := `{"status":"yes","as_of":"2025","evidence":"e","source_ids":["S09"],"note":""}`
		hdr := []string{"Authorization", "Bearer mpp_steward", "Content-Type", "application/json", "If-Match", etag}
		method := http.MethodPatch
		switch tc.path {
		case "/api/v1/sources":
			method, body = http.MethodPost, `{"url":"https://example.org","title":"t","publisher":"","date":""}`
		case "/api/v1/imports/status":
			method, body, hdr = http.MethodPost, "code\n", []string{"Authorization", "Bearer mpp_steward", "Content-Type", "text/csv", "If-Match", "7"}
		}
		res, b := send(t, app, method, tc.path, body, hdr...)
		if res.StatusCode != tc.want || !strings.Contains(string(b), tc.inBody) {
			t.Errorf("%s: %d %s, want %d containing %s", tc.name, res.StatusCode, b, tc.want, tc.inBody)
		}
		if tc.want == 503 && res.Header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", tc.name)
		}
		if tc.want >= 400 {
			var p Problem
			if err := json.Unmarshal(b, &p); err != nil || p.Status != tc.want {
				t.Errorf("%s: not a problem body: %s", tc.name, b)
			}
		}
	}
	var inv *ledger.InvalidError
	if !errors.As(writeErr(&ledger.InvalidError{}), new(*Problem)) || errors.As(writeErr(errors.New("x")), &inv) {
		t.Error("writeErr lets an unknown error pass as a problem")
	}
}

// TestWritesDisabled: an instance without a write database answers 503, not 500 or 404.
func TestWritesDisabled(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	res, body := send(t, app, http.MethodPost, "/api/v1/sources", `{}`, "Content-Type", "application/json")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("POST /sources without writes: %d %s", res.StatusCode, body)
	}
}
