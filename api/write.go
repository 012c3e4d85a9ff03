package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/ledger"
	"mppmap/observe"
	"mppmap/respond"
)

// Writes is what the write API calls: package ledger's Service.
type Writes interface {
	SetStatus(ctx context.Context, by data.Editor, code string, in ledger.StatusInput, revision int64) (ledger.Result, error)
	AddSource(ctx context.Context, by data.Editor, in ledger.SourceInput) (string, ledger.Result, error)
	PlanCSV(ctx context.Context, body []byte) (ledger.Plan, error)
	ApplyCSV(ctx context.Context, by data.Editor, body []byte, base int64) (ledger.Plan, ledger.Result, error)
	Audit(ctx context.Context, f data.AuditFilter) ([]data.AuditEntry, error)
}

// Tokens resolves an API token (the Bearer value) to its active user; data.ErrNotFound for a
// token that is unknown, revoked, or whose user is disabled.
type Tokens interface {
	UserByToken(ctx context.Context, token string) (data.User, error)
}

// WithWrites enables the write API (PATCH status, POST sources and bulk imports, GET audit)
// on h. Without it those routes answer 503: an instance without a database for writes.
func (h *Handler) WithWrites(w Writes, t Tokens) *Handler {
	h.writes, h.tokens = w, t
	return h
}

// Limits of the write API's bodies: a status is a few hundred bytes; a bulk CSV of every
// kab/kota with long notes stays well under MaxCSVBody.
const (
	MaxJSONBody = 64 << 10
	MaxCSVBody  = 2 << 20
)

// RetryAfterSeconds is what a 503 of a write asks the client to wait: a database restart or an
// import holding the ledger.
const RetryAfterSeconds = 30

// writeOperations are the write API's operations (see operation): stewards' changes to the
// ledger and its audit log, each with an API token.
func (h *Handler) writeOperations() []operation {
	token := []string{"bearerAuth"}
	return []operation{
		{method: fiber.MethodPatch, path: "/regions/{code}/status", id: "region_status_patch", tag: tagLedger,
			summary: "Set a kab/kota's MPP status (stewards)",
			description: "The region's whole new status. If-Match must be the ETag of GET /regions/{code} the change is based on " +
				"(428 without it, 412 when the profile changed since). The answer is the new profile — its ETag is the next " +
				"If-Match — once this instance's read model shows it, or 202.",
			params: statusPatchParams{}, body: statusPatch{}, resp: profileResponse{}, headers: []string{hdrETag}, accepted: true,
			problems: []int{fiber.StatusUnauthorized, fiber.StatusForbidden, fiber.StatusNotFound, fiber.StatusPreconditionFailed,
				fiber.StatusRequestEntityTooLarge, fiber.StatusUnsupportedMediaType, fiber.StatusUnprocessableEntity,
				fiber.StatusPreconditionRequired},
			security: token, handle: h.patchStatus},
		{method: fiber.MethodPost, path: "/sources", id: "source_create", tag: tagLedger, summary: "Add a source (stewards)",
			description: "The new source's id is in the answer and in Location; cite it in a status change's source_ids.",
			body:        sourcePost{}, resp: sourceCreated{}, status: fiber.StatusCreated, headers: []string{hdrLocation},
			noStore: true, accepted: true,
			problems: []int{fiber.StatusUnauthorized, fiber.StatusForbidden, fiber.StatusConflict, fiber.StatusRequestEntityTooLarge,
				fiber.StatusUnsupportedMediaType, fiber.StatusUnprocessableEntity},
			security: token, handle: h.postSource},
		{method: fiber.MethodPost, path: "/imports/status", id: "status_import", tag: tagLedger,
			summary: "Bulk status update from a CSV of mpp_status_by_region.csv's columns (stewards)",
			description: "First ?dry_run=true: the plan (every field it would change, every problem) and its base. Then the same " +
				"file with If-Match: <base> applies every row or none: 422 with the plan's problems, 409 with a fresh plan when " +
				"the ledger changed since the dry run.",
			params: importParams{}, bodyMedia: "text/csv", resp: importResult{}, noStore: true, accepted: true,
			problems: []int{fiber.StatusUnauthorized, fiber.StatusForbidden, fiber.StatusConflict, fiber.StatusRequestEntityTooLarge,
				fiber.StatusUnsupportedMediaType, fiber.StatusUnprocessableEntity, fiber.StatusPreconditionRequired},
			security: token, handle: h.postStatusImport},
		{method: fiber.MethodGet, path: "/audit", id: "audit", tag: tagLedger, summary: "The audit log, newest first (stewards)",
			params: auditQuery{}, resp: auditResponse{}, noStore: true,
			problems: []int{fiber.StatusUnauthorized, fiber.StatusForbidden}, security: token, handle: h.audit},
	}
}

// The parameters of the write operations (see readOperations' for the tags).

type statusPatchParams struct {
	Code    string `path:"code" vocab:"region_code" example:"32.73" description:"Kemendagri kab/kota code. Malformed: 400; unknown: 404."`
	IfMatch string `header:"If-Match" required:"true" example:"\"8fc582f8cb3edc62c1d7e7fb\"" description:"The ETag of GET /regions/{code} the change is based on (* for any)."`
}

type importParams struct {
	DryRun  string `query:"dry_run" vocab:"bool" example:"true" description:"true: only plan (nothing is written); default false: apply."`
	IfMatch string `header:"If-Match" example:"\"7\"" description:"To apply: the base of the dry run (required unless dry_run=true)."`
}

type auditQuery struct {
	Since  string `query:"since" example:"2026-11-30" description:"Only entries at or after this time: RFC 3339 (2026-11-30T08:00:00Z) or a day (2026-11-30)."`
	Actor  string `query:"actor" example:"user:3" description:"Only this actor (as in entries[].actor)."`
	Action string `query:"action" example:"status.set" description:"Only this action (as in entries[].action)."`
	Target string `query:"target" example:"region:32.73" description:"Only this target (as in entries[].target)."`
	Limit  string `query:"limit" example:"50" description:"At most this many entries, 1 to 1000."`
}

// editor authenticates the request's Bearer token and checks the role may edit: 401 without
// (valid) credentials, 403 for a role without the right.
func (h *Handler) editor(c *fiber.Ctx) (data.Editor, error) {
	if h.writes == nil || h.tokens == nil {
		return data.Editor{}, unavailable("writes are not enabled on this instance")
	}
	authz := c.Get(fiber.HeaderAuthorization)
	scheme, token, ok := strings.Cut(authz, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="mppmap"`)
		return data.Editor{}, problem(fiber.StatusUnauthorized, "unauthorized", "send an API token: Authorization: Bearer <token> (mppmap token create)")
	}
	u, err := h.tokens.UserByToken(c.UserContext(), strings.TrimSpace(token))
	switch {
	case errors.Is(err, data.ErrNotFound):
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="mppmap", error="invalid_token"`)
		return data.Editor{}, problem(fiber.StatusUnauthorized, "unauthorized", "the token is unknown or revoked, or its account is disabled")
	case err != nil:
		return data.Editor{}, writeErr(err)
	}
	if !u.Role.CanEdit() {
		return data.Editor{}, problem(fiber.StatusForbidden, "forbidden", fmt.Sprintf("role %q may not change the ledger", u.Role))
	}
	return data.EditorOf(u, observe.RequestID(c), h.clients.String(c)), nil
}

func unavailable(detail string) *Problem {
	p := problem(fiber.StatusServiceUnavailable, "service unavailable", detail)
	p.RetryAfter = RetryAfterSeconds
	return p
}

// writeErr maps the ledger's errors to problems; anything else is a 500.
func writeErr(err error) error {
	var inv *ledger.InvalidError
	var stale *data.StaleError
	switch {
	case errors.As(err, &inv):
		p := problem(fiber.StatusUnprocessableEntity, "invalid change", "the change breaks the ledger's rules; see errors")
		p.Errors = inv.Problems
		return p
	case errors.As(err, &stale):
		return problem(fiber.StatusPreconditionFailed, "precondition failed",
			fmt.Sprintf("the status of %s changed since you read it (revision %d now): GET it again and re-apply your change", stale.Current.Code, stale.Current.Revision))
	case errors.Is(err, data.ErrExists):
		return problem(fiber.StatusConflict, "conflict", err.Error())
	case errors.Is(err, data.ErrBusy):
		return unavailable("the ledger is busy (a reference import is running); try again shortly")
	case errors.Is(err, data.ErrUnavailable):
		return unavailable("the database is unavailable; public reads still answer from the last read model")
	}
	return err
}

// decodeJSON reads a JSON object body into v strictly: one object, no unknown fields, within
// MaxJSONBody. Malformed JSON is a 400 naming where; the values are checked by the ledger.
func decodeJSON(c *fiber.Ctx, v any) error {
	if ct := c.Get(fiber.HeaderContentType); !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return problem(fiber.StatusUnsupportedMediaType, "unsupported media type", fmt.Sprintf("send application/json, not %q", ct))
	}
	b := c.Body()
	if len(b) > MaxJSONBody {
		return problem(fiber.StatusRequestEntityTooLarge, "request too large", fmt.Sprintf("the body is %d bytes; at most %d", len(b), MaxJSONBody))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return problem(fiber.StatusBadRequest, "malformed JSON", fmt.Sprintf("at byte %d: %v", se.Offset, se))
		case errors.As(err, &te):
			p := problem(fiber.StatusUnprocessableEntity, "invalid change", "a field has the wrong type; see errors")
			p.Errors = []ledger.FieldProblem{{Field: te.Field, Message: fmt.Sprintf("want %s, got %s", te.Type, te.Value)}}
			return p
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			p := problem(fiber.StatusUnprocessableEntity, "invalid change", "the body has a field this endpoint does not know; see errors")
			p.Errors = []ledger.FieldProblem{{Field: f, Message: "unknown field"}}
			return p
		case errors.Is(err, io.EOF):
			return problem(fiber.StatusBadRequest, "malformed JSON", "empty body: send a JSON object")
		}
		return problem(fiber.StatusBadRequest, "malformed JSON", err.Error())
	}
	if dec.More() {
		return problem(fiber.StatusBadRequest, "malformed JSON", "more than one JSON value in the body")
	}
	return nil
}

// statusPatch is the body of PATCH /regions/{code}/status: the region's new status, all of it
// (a PATCH of the status sub-resource, not of the profile). Dates in the reference data's
// notation; as_of may be null only for unknown.
type statusPatch struct {
	Status     string   `json:"status" vocab:"status" description:"The new status. unknown means no source yet, never no."`
	AsOf       *string  `json:"as_of" vocab:"pdate" description:"The date the status rests on, at its source's precision (YYYY-MM-DD, YYYY-MM, YYYY, <=DATE); null only for unknown."`
	FirstKnown *string  `json:"first_known,omitempty" vocab:"pdate" description:"Earliest date a source shows the status, if known."`
	Evidence   string   `json:"evidence" description:"How the status is established (confirmation level, as in the reference data)."`
	SourceIDs  []string `json:"source_ids" vocab:"source_id" description:"Its sources (POST /sources adds one); empty only for unknown."`
	Note       string   `json:"note"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// patchStatus sets a region's status. If-Match must carry the ETag of the region's profile
// (GET /regions/{code}) the change is based on: 428 without it, 412 when the profile changed.
func (h *Handler) patchStatus(c *fiber.Ctx) error {
	by, err := h.editor(c)
	if err != nil {
		return err
	}
	m := h.src.Model()
	r, err := parseRegion(m, "code", c.Params("code"))
	if err != nil {
		return err
	}
	match := c.Get(fiber.HeaderIfMatch)
	if match == "" {
		return problem(fiber.StatusPreconditionRequired, "precondition required",
			"send If-Match with the ETag of GET /api/v1/regions/"+r.Code+", so that a change made meanwhile is not overwritten")
	}
	cur, err := h.profileBody(m, r)
	if err != nil {
		return err
	}
	if !ifMatch(match, cur.ETag) {
		return problem(fiber.StatusPreconditionFailed, "precondition failed",
			"the profile of "+r.Code+" changed since that ETag (now "+cur.ETag+"): GET it again and re-apply your change")
	}
	var in statusPatch
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := h.writes.SetStatus(c.UserContext(), by, r.Code, ledger.StatusInput{Status: in.Status, AsOf: deref(in.AsOf),
		FirstKnown: deref(in.FirstKnown), Evidence: in.Evidence, SourceIDs: in.SourceIDs, Note: in.Note}, r.Revision)
	return h.afterWrite(c, res, err, func(m *figures.Model) error {
		nr, ok := m.Region(r.Code)
		if !ok {
			return notFound("kab/kota", r.Code)
		}
		b, err := h.profileBody(m, nr)
		if err != nil {
			return err
		}
		return serveBody(c, b)
	})
}

// profileBody is the encoded profile of r in m (what GET /regions/{code} serves).
func (h *Handler) profileBody(m *figures.Model, r *figures.Region) (*respond.Body, error) {
	return h.tail.Get(m, "region:"+r.Code, func() (*respond.Body, error) {
		raw, err := marshal(h.profile(m, r))
		if err != nil {
			return nil, err
		}
		return respond.Fast("application/json", raw)
	})
}

// ifMatch reports whether an If-Match header (a list of entity tags, or *) matches etag
// strongly (RFC 9110 §13.1.1: weak tags never match).
func ifMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// afterWrite answers a committed write: with ok's response once the read model shows it, 202
// when it does not within the ledger's wait (the change is committed and will show), or the
// write's error.
func (h *Handler) afterWrite(c *fiber.Ctx, res ledger.Result, err error, ok func(*figures.Model) error) error {
	if errors.Is(err, ledger.ErrNotShown) {
		c.Set(fiber.HeaderRetryAfter, "5")
		return c.Status(fiber.StatusAccepted).JSON(acceptedJSON{Committed: true, LedgerVersion: res.LedgerVersion,
			Detail: "the change is committed; this instance's read model has not shown it yet"})
	}
	if err != nil {
		return writeErr(err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return ok(res.Model)
}

// acceptedJSON is a write's 202: committed, not yet in this instance's read model.
type acceptedJSON struct {
	Committed     bool   `json:"committed" description:"Always true: the change is in the database."`
	Detail        string `json:"detail"`
	LedgerVersion int64  `json:"ledger_version" description:"The ledger version the change made (it increases with every change)."`
}

// sourcePost is the body of POST /sources.
type sourcePost struct {
	URL       string `json:"url" description:"Where the source is (http or https)."`
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	Date      string `json:"date" vocab:"pdate_or_empty" description:"Publication date at its precision; empty when it carries none."`
}

// sourceCreated is POST /sources' answer.
type sourceCreated struct {
	ID            string `json:"id" vocab:"source_id" description:"The new source's id."`
	LedgerVersion int64  `json:"ledger_version" description:"The ledger version the change made."`
}

func (h *Handler) postSource(c *fiber.Ctx) error {
	by, err := h.editor(c)
	if err != nil {
		return err
	}
	var in sourcePost
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	id, res, err := h.writes.AddSource(c.UserContext(), by, ledger.SourceInput{URL: in.URL, Title: in.Title, Publisher: in.Publisher, Date: in.Date})
	return h.afterWrite(c, res, err, func(*figures.Model) error {
		c.Location(Prefix + "/sources/" + id)
		return c.Status(fiber.StatusCreated).JSON(sourceCreated{ID: id, LedgerVersion: res.LedgerVersion})
	})
}

// importResult is a bulk update's answer: its plan (the dry run, or what was applied) and, once
// applied, the ledger version it made.
type importResult struct {
	ledger.Plan
	Applied       bool  `json:"applied" description:"false for a dry run; true when every row was written."`
	LedgerVersion int64 `json:"ledger_version,omitempty" description:"Applied: the ledger version the update made."`
}

// postStatusImport is the CSV bulk update: ?dry_run=true plans, otherwise If-Match: <base>
// applies all rows or none.
func (h *Handler) postStatusImport(c *fiber.Ctx) error {
	by, err := h.editor(c)
	if err != nil {
		return err
	}
	dry := false
	switch v := c.Query("dry_run"); v {
	case "", "false":
	case "true":
		dry = true
	default:
		return badParam("dry_run", v, "true, false")
	}
	b := c.Body()
	if len(b) > MaxCSVBody {
		return problem(fiber.StatusRequestEntityTooLarge, "request too large",
			fmt.Sprintf("the CSV is %d bytes; at most %d (%d MiB): split it", len(b), MaxCSVBody, MaxCSVBody>>20))
	}
	if ct := c.Get(fiber.HeaderContentType); !strings.HasPrefix(ct, "text/csv") {
		return problem(fiber.StatusUnsupportedMediaType, "unsupported media type", fmt.Sprintf("send text/csv, not %q", ct))
	}
	body := append([]byte(nil), b...)
	if dry {
		plan, err := h.writes.PlanCSV(c.UserContext(), body)
		if err != nil {
			return writeErr(err)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(importResult{Plan: wirePlan(plan)})
	}
	match := c.Get(fiber.HeaderIfMatch)
	if match == "" {
		return problem(fiber.StatusPreconditionRequired, "precondition required", "send If-Match with the base of the dry run (?dry_run=true)")
	}
	base, err := ledger.ParseBase(match)
	if err != nil {
		return problem(fiber.StatusBadRequest, "invalid If-Match", "If-Match must be the dry run's base: "+err.Error())
	}
	plan, res, err := h.writes.ApplyCSV(c.UserContext(), by, body, base)
	var bad *ledger.BulkProblemsError
	var stale *ledger.StaleBaseError
	switch {
	case errors.As(err, &bad):
		p := problem(fiber.StatusUnprocessableEntity, "invalid file", fmt.Sprintf("%d problems; nothing was written", len(bad.Plan.Problems)))
		p.Plan = ptr(wirePlan(bad.Plan))
		return p
	case errors.As(err, &stale):
		p := problem(fiber.StatusConflict, "conflict", "the ledger changed since the dry run; nothing was written. Here is a fresh dry run: review it and apply with its base")
		p.Plan = ptr(wirePlan(stale.Plan))
		return p
	}
	return h.afterWrite(c, res, err, func(*figures.Model) error {
		return c.JSON(importResult{Plan: wirePlan(plan), Applied: true, LedgerVersion: res.LedgerVersion})
	})
}

// wirePlan is a plan as the document gives it: its lists are [] when empty, never null (the
// ledger makes them so; the contract test's double did not).
func wirePlan(p ledger.Plan) ledger.Plan {
	p.Changes, p.Problems = nonNil(p.Changes), nonNil(p.Problems)
	return p
}

// auditEntryJSON is one audit-log row as the API shows it to stewards.
type auditEntryJSON struct {
	ID         int64           `json:"id" description:"Entry number, increasing."`
	At         string          `json:"at" vocab:"timestamp" description:"When (RFC 3339, UTC)."`
	Actor      string          `json:"actor" description:"Who: cli, import:<n>, or user:<id>."`
	ActorEmail string          `json:"actor_email" description:"The actor's account email; empty for cli and imports."`
	Action     string          `json:"action"`
	Target     string          `json:"target" description:"What was changed, e.g. region:32.73."`
	Before     json.RawMessage `json:"before" description:"The target before the change (JSON); null for a creation."`
	After      json.RawMessage `json:"after" description:"The target after the change (JSON); null for a removal."`
	RequestID  string          `json:"request_id"`
	Client     string          `json:"client" description:"The client's address."`
}

type auditResponse struct {
	Entries []auditEntryJSON `json:"entries" description:"Newest first."`
}

// audit is GET /audit?since=&actor=&action=&target=&limit= for stewards (token).
func (h *Handler) audit(c *fiber.Ctx) error {
	if _, err := h.editor(c); err != nil {
		return err
	}
	f := data.AuditFilter{Actor: c.Query("actor"), Action: c.Query("action"), Target: c.Query("target")}
	if s := c.Query("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			d, derr := time.Parse("2006-01-02", s)
			if derr != nil {
				return badParam("since", s, "an RFC 3339 time (2026-11-30T08:00:00Z) or a day (2026-11-30)")
			}
			t = d
		}
		f.Since = t
	}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return badParam("limit", s, "1 to 1000")
		}
		f.Limit = n
	}
	entries, err := h.writes.Audit(c.UserContext(), f)
	if err != nil {
		return writeErr(err)
	}
	out := auditResponse{Entries: []auditEntryJSON{}}
	for _, e := range entries {
		out.Entries = append(out.Entries, auditEntryJSON{ID: e.ID, At: e.At.UTC().Format(time.RFC3339), Actor: e.Actor, ActorEmail: e.ActorEmail,
			Action: e.Action, Target: e.Target, Before: nullJSON(e.Before), After: nullJSON(e.After), RequestID: e.RequestID, Client: e.Client})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

func nullJSON(j json.RawMessage) json.RawMessage {
	if len(j) == 0 {
		return json.RawMessage("null")
	}
	return j
}
