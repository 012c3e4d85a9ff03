package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/ledger"
	"mppmap/submit"
)

// fakeSubmissions is a double of the submission service: tokens are the region's code, a
// submission is stored as number 41, or refused with err.
type fakeSubmissions struct{ err error }

func (f *fakeSubmissions) Token(code string) string { return "tok." + code }

func (f *fakeSubmissions) Submit(context.Context, submit.Input) (int64, error) { return 41, f.err }

// reset clears the errors a provocation gave the doubles.
func (f *fixture) reset() { f.writes.err, f.subs.err = nil, nil }

// request is one call of a stateful operation.
type request struct {
	method, url string
	headers     []string // name, value, …
	body        string
}

func (r request) String() string { return r.method + " " + r.url }

func (r request) send(t *testing.T, app *fiber.App) result {
	t.Helper()
	res, body := send(t, app, r.method, r.url, r.body, r.headers...)
	return result{res.StatusCode, res.Header, body}
}

// rawBody is the request body for the examples: JSON as JSON, any other as a JSON string.
func (r request) rawBody() json.RawMessage {
	if json.Valid([]byte(r.body)) {
		return json.RawMessage(r.body)
	}
	b, _ := json.Marshal(r.body)
	return b
}

// with is r with a header set (replaced when present, removed for an empty value).
func (r request) with(name, value string) request {
	var hs []string
	for i := 0; i+1 < len(r.headers); i += 2 {
		if !strings.EqualFold(r.headers[i], name) {
			hs = append(hs, r.headers[i], r.headers[i+1])
		}
	}
	if value != "" {
		hs = append(hs, name, value)
	}
	r.headers = hs
	return r
}

func (r request) query(kv string) request {
	sep := "?"
	if strings.Contains(r.url, "?") {
		sep = "&"
	}
	r.url += sep + kv
	return r
}

const (
	stewardToken = "Bearer mpp_steward"
	noRoleToken  = "Bearer mpp_norole"
	statusCSV    = "code,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n32.05,yes,2025-02,,local_news,S3,\n"
)

// exampleRequest is a stateful operation's example call on the fixture: its URL with the
// parameters' examples (all: the query ones too), a steward's token where it needs one, and a
// body that passes the handler's checks.
func exampleRequest(t *testing.T, f *fixture, op operation, all bool) request {
	t.Helper()
	r := request{method: op.method, url: exampleURL(op, all)}
	if op.security != nil {
		r = r.with(fiber.HeaderAuthorization, stewardToken)
	}
	switch op.id {
	case "region_status_patch":
		etag := get(t, f.app, Prefix+"/regions/32.73").header.Get("ETag")
		r = r.with(fiber.HeaderIfMatch, etag).with(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		r.body = `{"status":"yes","as_of":"2025-02","evidence":"confirmed_named","source_ids":["S3"],"note":"inaugurated by the regent"}`
	case "source_create":
		r = r.with(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		r.body = `{"url":"https://example.org/news/mpp-garut","title":"MPP Garut opens","publisher":"Example News","date":"2025-02-14"}`
	case "status_import":
		r = r.with(fiber.HeaderContentType, "text/csv").with(fiber.HeaderIfMatch, `"7"`)
		r.body = statusCSV
	case "submission_token":
		if !all {
			r = r.query("region=32.05")
		}
	case "submission_create":
		r = r.with(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		r.body = `{"region":"32.05","status":"yes","as_of":"2025-02","source_url":"https://example.org/news/mpp-garut","source_title":"MPP Garut opens","note":"","contact":"","token":"tok.32.05"}`
	}
	return r
}

// provoke is a request that makes a stateful operation answer status st, setting the doubles'
// errors where the ledger decides (undo with f.reset); false when the test knows no way.
func provoke(t *testing.T, f *fixture, op operation, st int) (request, bool) {
	t.Helper()
	r := exampleRequest(t, f, op, false)
	json := strings.HasPrefix(contentTypeOf(r), fiber.MIMEApplicationJSON)
	switch st {
	case http.StatusBadRequest:
		return r.query("colour=red"), true
	case http.StatusUnauthorized:
		return r.with(fiber.HeaderAuthorization, ""), op.security != nil
	case http.StatusForbidden:
		return r.with(fiber.HeaderAuthorization, noRoleToken), op.security != nil
	case http.StatusNotFound:
		switch op.id {
		case "region_status_patch":
			r.url = Prefix + "/regions/99.99/status"
			return r, true
		case "submission_token":
			r.url = Prefix + "/submissions/token?region=99.99"
			return r, true
		}
	case http.StatusConflict:
		switch op.id {
		case "source_create":
			f.writes.err = fmt.Errorf("source: %w", data.ErrExists)
		case "status_import":
			f.writes.err = &ledger.StaleBaseError{Plan: ledger.Plan{Base: "8", Changes: []data.FieldChange{}, Problems: []ledger.CSVProblem{}}}
		case "submission_create":
			f.subs.err = submit.ErrDuplicate
		default:
			return r, false
		}
		return r, true
	case http.StatusPreconditionFailed:
		return r.with(fiber.HeaderIfMatch, `"0000"`), op.id == "region_status_patch"
	case http.StatusRequestEntityTooLarge:
		if json { // whitespace after the object: still JSON, too large
			r.body += strings.Repeat(" ", MaxJSONBody)
		} else {
			r.body += strings.Repeat("x", MaxCSVBody)
		}
		return r, true
	case http.StatusUnsupportedMediaType:
		return r.with(fiber.HeaderContentType, "text/plain"), r.body != ""
	case http.StatusUnprocessableEntity:
		switch op.id {
		case "status_import":
			f.writes.err = &ledger.BulkProblemsError{Plan: ledger.Plan{Base: "7", Changes: []data.FieldChange{},
				Problems: []ledger.CSVProblem{{Line: 2, Field: "mpp_status", Message: `"maybe" is not a status`}}}}
		case "submission_create":
			f.subs.err = &submit.InvalidError{Problems: []submit.Problem{{Field: "source_url", Key: "url"}}}
		default:
			f.writes.err = &ledger.InvalidError{Problems: []ledger.FieldProblem{{Field: "source_ids", Message: "status yes needs a source"}}}
		}
		return r, true
	case http.StatusPreconditionRequired:
		return r.with(fiber.HeaderIfMatch, ""), op.id == "region_status_patch" || op.id == "status_import"
	case http.StatusTooManyRequests:
		f.subs.err = &submit.RateLimitedError{RetryAfter: 40 * time.Second}
		return r, op.id == "submission_create"
	case http.StatusAccepted:
		f.writes.err = ledger.ErrNotShown
		return r, op.accepted
	}
	return r, false
}

func contentTypeOf(r request) string {
	for i := 0; i+1 < len(r.headers); i += 2 {
		if strings.EqualFold(r.headers[i], fiber.HeaderContentType) {
			return r.headers[i+1]
		}
	}
	return ""
}

// documentedProblems are the statuses besides success an operation documents: its problems,
// and 202 for a write that may answer before the read model shows it.
func documentedProblems(op operation) []int {
	out := append([]int{http.StatusBadRequest, http.StatusServiceUnavailable}, op.problems...)
	if op.limited {
		out = append(out, http.StatusTooManyRequests)
	}
	if op.accepted {
		out = append(out, http.StatusAccepted)
	}
	return out
}

func successStatus(op operation) int {
	if op.status != 0 {
		return op.status
	}
	return http.StatusOK
}

// TestContractWrites holds the writes, the token-protected reads and the submissions to the
// document: each answers its documented success (body and headers) to its example request on
// the fixture with the ledger double, and every problem it documents is provoked — a missing or
// refused token, an unknown region, a stale or missing If-Match, a body too large or of the
// wrong type, the ledger's refusals, the rate limit, 202 — and checked as problem+json.
func TestContractWrites(t *testing.T) {
	f := newFixture(t)
	k := newContract(t, f.h)
	notReady := notReadyApp(t)
	calls, problems := 0, 0
	for _, op := range f.h.operations() {
		if !stateful(op) {
			continue
		}
		method := strings.ToLower(op.method)
		success := strconv.Itoa(successStatus(op))
		resp := k.at("paths", op.path, method, "responses", success)
		for _, all := range []bool{false, true} {
			req := exampleRequest(t, f, op, all)
			if all && req.url == exampleURL(op, false) {
				continue
			}
			calls++
			r := req.send(t, f.app)
			if strconv.Itoa(r.status) != success {
				t.Errorf("%s: %d, want %s: %s", req, r.status, success, r.body)
				continue
			}
			for media := range resp["content"].(map[string]any) {
				ptr := pointer("paths", op.path, method, "responses", success, "content", media, "schema")
				if err := k.validateBody(ptr, r.body, media); err != nil {
					t.Errorf("%s: body does not match the document: %v", req, err)
				}
			}
			k.checkHeaders(req.String(), resp, r.header)
		}
		for _, st := range documentedProblems(op) {
			if st == http.StatusServiceUnavailable {
				problems++
				k.checkProblem(op.id+" (not ready)", op, exampleRequest(t, f, op, false).send(t, notReady), st)
				continue
			}
			req, ok := provoke(t, f, op, st)
			if !ok {
				t.Errorf("%s documents %d: provoke it in provoke()", op.id, st)
				f.reset()
				continue
			}
			r := req.send(t, f.app)
			f.reset()
			problems++
			if st == http.StatusAccepted {
				if r.status != st {
					t.Errorf("%s: %d, want 202", req, r.status)
					continue
				}
				if err := k.validateBody(pointer("components", "responses", "Accepted", "content", mediaJSON, "schema"), r.body, mediaJSON); err != nil {
					t.Errorf("%s: 202 does not match the document: %v", req, err)
				}
				k.checkHeaders(req.String(), k.at("components", "responses", "Accepted"), r.header)
				continue
			}
			k.checkProblem(fmt.Sprintf("%s (%d)", req, st), op, r, st)
		}
		if op.security != nil && !slices.Contains(op.problems, http.StatusUnauthorized) {
			t.Errorf("%s needs a token but does not document 401", op.id)
		}
	}
	t.Logf("contract (writes, tokens, submissions): %d successful calls, %d problems and 202s provoked", calls, problems)
}
