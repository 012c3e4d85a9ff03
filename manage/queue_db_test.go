package manage

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
)

// addSubmission stores a reader's submission as package submit would (the checks are its own
// tests'), returning its id.
func (e *dbEnv) addSubmission(t *testing.T, code, address, title, note, contact string) int64 {
	t.Helper()
	id, err := data.AddSubmission(context.Background(), e.pool, data.Submission{RegionCode: code, Status: data.StatusYes,
		AsOf: pdate.MustParse("2026-10"), SourceURL: address, SourceTitle: title, Note: note, Contact: contact}, strings.ToLower(address))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// waitPage polls path until its page contains want (the read model follows a NOTIFY).
func (b *browser) waitPage(t *testing.T, path, want string) response {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res := b.get(t, path)
		if strings.Contains(res.body, want) {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %q: %d %.400s", path, want, res.status, res.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSubmissionReviewDB: the queue lists readers' submissions with everything as text; an
// accepted one becomes a status edit citing a new source (credited to a reader, with the
// submission's id in the audit log) and its contact is deleted; a rejection needs a reason; a
// duplicate must repeat a submission about the same region; a stale or repeated review writes
// nothing; the contact is never in the log, the audit log or another page.
func TestSubmissionReviewDB(t *testing.T) {
	e := newDBEnv(t)
	ctx := context.Background()
	hostile := `<script>alert("x")</script>`
	contact := "reader-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@example.id"
	a := e.addSubmission(t, "32.71", "https://radar.example.id/mpp-kota-bogor?x="+url.QueryEscape(hostile), "MPP Kota Bogor <b>diresmikan</b>", hostile, contact)
	bID := e.addSubmission(t, "32.71", "https://blog.example.id/kota-bogor", "", "", contact)
	c := e.addSubmission(t, "32.01", "https://other.example.id/x", hostile, "", "")
	b := e.browser()
	b.login(t, stewardEmail)

	start := b.waitPage(t, "/kelola", "menunggu ditinjau: 3")
	if !strings.Contains(start.body, `href="/kelola/kiriman"`) {
		t.Errorf("no link to the queue on the start page")
	}
	queue := b.get(t, "/kelola/kiriman")
	if queue.status != http.StatusOK {
		t.Fatalf("queue: %d", queue.status)
	}
	for _, id := range []int64{a, bID, c} {
		if !strings.Contains(queue.body, `id="submission-`+strconv.FormatInt(id, 10)+`"`) {
			t.Errorf("submission %d not in the queue", id)
		}
	}
	if strings.Contains(queue.body, hostile) || strings.Contains(queue.body, "<b>diresmikan") || !strings.Contains(queue.body, "&lt;b&gt;diresmikan") {
		t.Errorf("the queue does not show the submissions' HTML as text")
	}
	if regexp.MustCompile(`href="https?://(radar|blog|other)\.example`).MatchString(queue.body) {
		t.Errorf("the queue links a submitted address")
	}
	if strings.Contains(queue.body, contact) {
		t.Errorf("the queue's list shows a contact (only the review page does)")
	}

	review := b.get(t, "/kelola/kiriman/"+strconv.FormatInt(a, 10))
	if review.status != http.StatusOK || !strings.Contains(review.body, contact) || strings.Contains(review.body, hostile) {
		t.Fatalf("review page: %d, contact shown %v", review.status, strings.Contains(review.body, contact))
	}
	dupSelect := regexp.MustCompile(`(?s)<select id="duplicate-of".*?</select>`).FindString(review.body)
	if !strings.Contains(dupSelect, `value="`+strconv.FormatInt(bID, 10)+`"`) || strings.Contains(dupSelect, `value="`+strconv.FormatInt(c, 10)+`"`) {
		t.Errorf("the duplicate choice should offer this region's other submission only")
	}
	form := func(over url.Values) url.Values {
		v := statusFormOf(t, review.body, url.Values{"status": {"yes"}, "as_of_year": {"2026"}, "as_of_month": {"10"}, "evidence": {"local_news"},
			"src_title": {"MPP Kota Bogor diresmikan"}, "src_publisher": {"Radar Bogor"}})
		for k, x := range over {
			v[k] = x
		}
		return v
	}
	accept := "/kelola/kiriman/" + strconv.FormatInt(a, 10) + "/terima"

	t.Run("invalid: 422 at the fields, nothing written", func(t *testing.T) {
		before := e.counts(t)
		res := b.post(t, accept, form(url.Values{"evidence": {""}, "src_title": {""}, "status": {"unknown"}}))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `<div class="field has-problem"><label for="src-title">`) ||
			!strings.Contains(res.body, `<div class="field has-problem"><label for="status">`) || strings.Contains(res.body, "cites S0") {
			t.Fatalf("invalid accept: %d %.600s", res.status, res.body)
		}
		if e.counts(t) != before {
			t.Errorf("an invalid accept wrote: %s → %s", before, e.counts(t))
		}
	})
	t.Run("stale: 409, nothing written, the form on the row as it is now", func(t *testing.T) {
		before := e.counts(t)
		res := b.post(t, accept, form(url.Values{"revision": {"987654"}}))
		if res.status != http.StatusConflict || strings.Contains(res.body, `name="revision" value="987654"`) {
			t.Fatalf("stale accept: %d", res.status)
		}
		if e.counts(t) != before {
			t.Errorf("a stale accept wrote: %s → %s", before, e.counts(t))
		}
	})
	t.Run("accept", func(t *testing.T) {
		res := b.post(t, accept, form(nil))
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/kelola/kiriman?done=accepted") {
			t.Fatalf("accept: %d %q %.400s", res.status, res.header.Get("Location"), res.body)
		}
		done := b.get(t, res.header.Get("Location"))
		src := regexp.MustCompile(`sumber baru (S[0-9]+)`).FindStringSubmatch(done.body)
		if src == nil {
			t.Fatalf("no notice naming the new source: %.600s", done.body)
		}
		cur, err := data.CurrentStatus(ctx, e.pool, "32.71")
		if err != nil || cur.Status.Status != data.StatusYes || !strings.Contains(strings.Join(cur.Status.SourceIDs, ";"), src[1]) ||
			!strings.HasPrefix(cur.RecordedBy, data.SubmissionCredit+strconv.FormatInt(a, 10)+"|") || cur.Status.Evidence != "local_news" {
			t.Errorf("status after accepting: %+v %v", cur, err)
		}
		var address, desc string
		if err := e.pool.QueryRow(ctx, `SELECT address, description FROM source WHERE id = $1`, src[1]).Scan(&address, &desc); err != nil ||
			!strings.HasPrefix(address, "https://radar.example.id/") || !strings.Contains(desc, "Radar Bogor") {
			t.Errorf("new source %s: %q %q %v", src[1], address, desc, err)
		}
		var edits, accepts int
		_ = e.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'status.edit' AND target = 'region:32.71'),
			count(*) FILTER (WHERE action = 'submission.accept' AND target = $1) FROM audit_log`, "submission:"+strconv.FormatInt(a, 10)).Scan(&edits, &accepts)
		if edits != 1 || accepts != 1 {
			t.Errorf("audit: %d status edits, %d accepts", edits, accepts)
		}
		audit := b.get(t, "/kelola/audit?target=submission:"+strconv.FormatInt(a, 10))
		if !strings.Contains(audit.body, "submission.accept") || !strings.Contains(audit.body, `href="/kelola/kiriman/`+strconv.FormatInt(a, 10)+`"`) {
			t.Errorf("the audit page does not show the accept with a link to the submission")
		}
		again := b.get(t, "/kelola/kiriman/"+strconv.FormatInt(a, 10))
		if strings.Contains(again.body, contact) || strings.Contains(again.body, `id="accept-form"`) || !strings.Contains(again.body, src[1]) {
			t.Errorf("the reviewed submission still shows its contact or its forms, or not its source")
		}
		before := e.counts(t)
		if res := b.post(t, accept, form(nil)); res.status != http.StatusConflict {
			t.Errorf("accepting twice: %d", res.status)
		}
		if e.counts(t) != before {
			t.Errorf("a second accept wrote")
		}
	})
	t.Run("reject needs a reason", func(t *testing.T) {
		path := "/kelola/kiriman/" + strconv.FormatInt(bID, 10)
		page := b.get(t, path)
		before := e.counts(t)
		if res := b.post(t, path+"/tolak", url.Values{"csrf": {csrf(t, page.body)}, "reason": {"  "}}); res.status != http.StatusUnprocessableEntity {
			t.Errorf("reject without a reason: %d", res.status)
		}
		if e.counts(t) != before {
			t.Errorf("a refused reject wrote")
		}
		res := b.post(t, path+"/tolak", url.Values{"csrf": {csrf(t, page.body)}, "reason": {"the post is about " + hostile}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("reject: %d %.300s", res.status, res.body)
		}
		sub, _ := data.SubmissionByID(ctx, e.pool, bID)
		if sub.State != data.SubmissionRejected || sub.Contact != "" || !strings.Contains(sub.Reason, hostile) {
			t.Errorf("rejected: %+v", sub)
		}
		if res := b.get(t, path); strings.Contains(res.body, hostile) || !strings.Contains(res.body, "&lt;script&gt;") {
			t.Errorf("the reason is not shown as text")
		}
	})
	t.Run("a duplicate repeats a submission about the same region", func(t *testing.T) {
		path := "/kelola/kiriman/" + strconv.FormatInt(c, 10)
		page := b.get(t, path)
		before := e.counts(t)
		for _, of := range []string{strconv.FormatInt(a, 10), strconv.FormatInt(c, 10), "x", "99999"} {
			if res := b.post(t, path+"/duplikat", url.Values{"csrf": {csrf(t, page.body)}, "duplicate_of": {of}}); res.status != http.StatusUnprocessableEntity {
				t.Errorf("duplicate of %s: %d", of, res.status)
			}
		}
		if e.counts(t) != before {
			t.Errorf("a refused duplicate wrote")
		}
		other := e.addSubmission(t, "32.01", "https://other.example.id/y", "", "", "")
		res := b.post(t, path+"/duplikat", url.Values{"csrf": {csrf(t, page.body)}, "duplicate_of": {strconv.FormatInt(other, 10)}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("duplicate: %d %.300s", res.status, res.body)
		}
		if sub, _ := data.SubmissionByID(ctx, e.pool, c); sub.State != data.SubmissionDuplicate || sub.DuplicateOf != other {
			t.Errorf("duplicate: %+v", sub)
		}
	})
	t.Run("without CSRF or signed out: nothing", func(t *testing.T) {
		other := e.addSubmission(t, "32.01", "https://other.example.id/z", "", "", "")
		path := "/kelola/kiriman/" + strconv.FormatInt(other, 10) + "/tolak"
		if res := b.post(t, path, url.Values{"reason": {"x"}}); res.status != http.StatusForbidden {
			t.Errorf("reject without CSRF: %d", res.status)
		}
		anon := e.browser()
		page := anon.get(t, "/masuk")
		if res := anon.post(t, path, url.Values{"csrf": {csrf(t, page.body)}, "reason": {"x"}}); res.status != http.StatusSeeOther ||
			!strings.HasPrefix(res.header.Get("Location"), "/masuk?next=") {
			t.Errorf("reject signed out: %d %q", res.status, res.header.Get("Location"))
		}
		if sub, _ := data.SubmissionByID(ctx, e.pool, other); sub.State != data.SubmissionOpen {
			t.Errorf("the submission was closed: %+v", sub)
		}
	})
	t.Run("the contact is nowhere else", func(t *testing.T) {
		if strings.Contains(e.log.String(), contact) {
			t.Errorf("the log carries a contact")
		}
		var n int
		_ = e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE strpos(coalesce(before::text, '') || coalesce(after::text, ''), $1) > 0`, contact).Scan(&n)
		if n != 0 {
			t.Errorf("the contact is in %d audit entries", n)
		}
		if res := b.get(t, "/kelola/audit?limit=1000"); strings.Contains(res.body, contact) {
			t.Errorf("the audit page shows a contact")
		}
	})
}
