package manage

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
)

// auditActions are the actions the audit log records, for the filter's choices.
var auditActions = []string{"status.edit", "status.bulk", "bulk.apply", "source.add", "site.add", "site.edit",
	"submission.accept", "submission.reject", "submission.duplicate",
	data.ActionUserAdd, data.ActionUserDisable, data.ActionTokenCreate, data.ActionTokenRevoke}

// The shapes of the audit filters: exact values as the log writes them.
var (
	actorRE  = regexp.MustCompile(`^(cli|(user|import):[0-9]{1,18})$`)
	actionRE = regexp.MustCompile(`^[a-z_]{1,30}(\.[a-z_]{1,30}){0,3}$`)
	targetRE = regexp.MustCompile(`^[a-z_]{1,20}(:[A-Za-z0-9._-]{1,60})?$`)
)

// Paging: the log shows defaultAuditLimit entries, and a link for more up to maxAuditLimit.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// auditView is templates/audit.html.
type auditView struct {
	page
	Action                    string
	Since, Actor, Act, Target string
	Limit                     int
	Actions                   []option
	Entries                   []auditRow
	More                      string // the same filters with a larger limit; "" when all are shown
	Filtered                  bool
}

type auditRow struct {
	At, Actor, ActorEmail, ActorURL, Action, ActionURL, Target, TargetURL, RegionURL string
	SubmissionURL                                                                    string
	Before, After                                                                    string
	Fields                                                                           []fieldDiff
	RequestID, Client                                                                string
}

// fieldDiff is one value an entry changed: what was there before and after.
type fieldDiff struct{ Key, Before, After string }

// diffJSON lists the top-level values of two snapshots that differ (all of them when only one
// is given), by key; nil when the snapshots are not JSON objects.
func diffJSON(before, after json.RawMessage) []fieldDiff {
	obj := func(j json.RawMessage) (map[string]json.RawMessage, bool) {
		if len(j) == 0 {
			return map[string]json.RawMessage{}, true
		}
		var m map[string]json.RawMessage
		return m, json.Unmarshal(j, &m) == nil
	}
	b, ok1 := obj(before)
	a, ok2 := obj(after)
	if !ok1 || !ok2 {
		return nil
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []fieldDiff
	for k := range keys {
		bt, at := valueText(b[k]), valueText(a[k])
		if bt != at || len(before) == 0 || len(after) == 0 {
			out = append(out, fieldDiff{Key: k, Before: bt, After: at})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// valueText is a snapshot value as a steward reads it: text as it is, a list of texts joined
// with "; ", anything else as compact JSON.
func valueText(j json.RawMessage) string {
	if len(j) == 0 || string(j) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(j, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(j, &list) == nil {
		return strings.Join(list, "; ")
	}
	var buf bytes.Buffer
	if json.Compact(&buf, j) == nil {
		return buf.String()
	}
	return string(j)
}

// parseAuditFilter reads the filters; bad lists each bad parameter with what it allows.
func parseAuditFilter(l *lang, c *fiber.Ctx) (data.AuditFilter, []string) {
	var bad []string
	f := data.AuditFilter{Limit: defaultAuditLimit}
	param := func(name string) string { return strings.TrimSpace(formValue(c, name)) }
	if s := param("since"); s != "" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			t, err = time.Parse(time.RFC3339, s)
		}
		if err != nil {
			bad = append(bad, l.T("manage.error.bad_param", "Name", "since", "Allowed", l.T("manage.audit.since_allowed")))
		}
		f.Since = t
	}
	for _, p := range []struct {
		name    string
		re      *regexp.Regexp
		allowed string
		into    *string
	}{
		{"actor", actorRE, "user:3, import:12, cli", &f.Actor},
		{"action", actionRE, strings.Join(auditActions, ", "), &f.Action},
		{"target", targetRE, "region:32.73, site:7, source:S9001, submission:4, user:3, token:2, ledger", &f.Target},
	} {
		if s := param(p.name); s != "" {
			if !p.re.MatchString(s) {
				bad = append(bad, l.T("manage.error.bad_param", "Name", p.name, "Allowed", p.allowed))
			}
			*p.into = s
		}
	}
	if s := param("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxAuditLimit {
			bad = append(bad, l.T("manage.error.bad_param", "Name", "limit", "Allowed", "1–1000"))
		}
		f.Limit = n
	}
	return f, bad
}

func (h *Handler) auditPage(rq *req) error {
	l, c := rq.l, rq.c
	f, bad := parseAuditFilter(l, c)
	if len(bad) > 0 {
		return h.errorPage(rq, fiber.StatusBadRequest, "manage.error.bad_param_title", "manage.error.bad_param_text", bad...)
	}
	entries, err := h.d.Ledger.Audit(c.UserContext(), f)
	if err != nil {
		return h.fail(rq, err)
	}
	v := auditView{page: h.base(rq, "manage.audit.title"), Action: l.url("audit"), Actor: f.Actor, Act: f.Action, Target: f.Target, Limit: f.Limit,
		Filtered: !f.Since.IsZero() || f.Actor != "" || f.Action != "" || f.Target != ""}
	if !f.Since.IsZero() {
		v.Since = f.Since.UTC().Format("2006-01-02")
	}
	v.Actions = append(v.Actions, option{Value: "", Label: l.T("manage.audit.any_action"), Selected: f.Action == ""})
	for _, a := range auditActions {
		v.Actions = append(v.Actions, option{Value: a, Label: a, Selected: a == f.Action})
	}
	filter := func(k, val string) string {
		q := url.Values{k: {val}}
		return l.url("audit") + "?" + q.Encode()
	}
	for _, e := range entries {
		row := auditRow{At: e.At.UTC().Format("2006-01-02 15:04:05 UTC"), Actor: e.Actor, ActorEmail: e.ActorEmail, ActorURL: filter("actor", e.Actor),
			Action: e.Action, ActionURL: filter("action", e.Action), Target: e.Target, RequestID: e.RequestID, Client: e.Client,
			Before: prettyJSON(e.Before), After: prettyJSON(e.After), Fields: diffJSON(e.Before, e.After)}
		if e.Target != "" {
			row.TargetURL = filter("target", e.Target)
		}
		if code, ok := strings.CutPrefix(e.Target, "region:"); ok {
			row.RegionURL = l.url("region", code)
		}
		if id, ok := strings.CutPrefix(e.Target, "submission:"); ok && idRE.MatchString(id) {
			row.SubmissionURL = l.url("submission", id)
		}
		v.Entries = append(v.Entries, row)
	}
	if len(entries) == f.Limit && f.Limit < maxAuditLimit {
		q := c.Request().URI().QueryArgs()
		vals := url.Values{}
		q.VisitAll(func(k, val []byte) { vals.Set(string(k), string(val)) })
		vals.Set("limit", strconv.Itoa(min(f.Limit*2, maxAuditLimit)))
		v.More = l.url("audit") + "?" + vals.Encode()
	}
	return h.render(rq, fiber.StatusOK, "audit.html", v)
}

// prettyJSON indents a snapshot for reading; html/template escapes it where it is shown.
func prettyJSON(j json.RawMessage) string {
	if len(j) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, j, "", "  "); err != nil {
		return string(j)
	}
	return buf.String()
}
