package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mppmap/data/datatest"
)

// TestSubmissionFlow is a reader's submission from the region page to the map, in headless
// Chromium against two instances on one database, on the real reference data: a reader on a
// phone sends a source for a region whose status is unknown (instance A) → both instances say
// a submission is under review → the abuse cases are refused, with nothing stored → a steward
// at 1280 px (instance B) reviews it in the queue, every field shown as text, and accepts it →
// the map, the region page and the API of both instances show the new status, credited to a
// reader → the contact is in no log, audit entry, export or public page. Screenshots are
// submission-<step>-<width>.png in the artifacts.
func TestSubmissionFlow(t *testing.T) {
	dbURL, pool := datatest.NewDB(t)
	refData := datatest.RefData(t)
	bin := buildMppmap(t)
	a := startInstance(t, bin, dbURL, refData, "submission-a")
	b := startInstance(t, bin, dbURL, refData, "submission-b")
	browser := newBrowser(t)
	ctx := context.Background()
	const password = "a long passphrase for the review"
	cli(t, bin, dbURL, password+"\n", "user", "add", "-email", "reviewer@example.go.id", "-role", "steward", "-unit", "Deputi Pelayanan Publik", "-password-stdin")
	tokenOut := strings.Split(strings.TrimSpace(cli(t, bin, dbURL, "", "token", "create", "-email", "reviewer@example.go.id", "-name", "e2e-audit")), "\n")
	bearer := "Bearer " + strings.TrimSpace(tokenOut[len(tokenOut)-1])

	// Regions whose status is unknown: the first gets the reader's submission, the others the
	// scripted ones of the abuse cases.
	var codes []string
	rows, err := pool.Query(ctx, `SELECT region_code FROM region_status WHERE status = 'unknown' ORDER BY region_code LIMIT 5`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	rows.Close()
	if len(codes) < 5 {
		t.Fatalf("only %d unknown regions", len(codes))
	}
	code := codes[0]
	contact := fmt.Sprintf("reader-%d@example.id", time.Now().UnixNano())
	hostile := `<script>alert("x")</script> & "q"`
	address := "https://radar.example.id/berita/mpp-" + code + "?ref=" + url.QueryEscape(`<b>`)
	title := `MPP <b>diresmikan</b> bupati`
	phone, desktop := viewports[1], viewports[0]
	shot := func(ctx context.Context, vp viewport, name string) { manageShot(t, ctx, vp, "submission-"+name) }

	// 1. The reader, on a phone, on instance A.
	rctx, rwatch := watchTab(t, browser, a.base)
	rctx, cancel := context.WithTimeout(rctx, 2*time.Minute)
	defer cancel()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			rwatch.check(t)
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("region page", chromedp.Do(rctx, phone.emulate(), chromedp.Navigate(a.base+"/wilayah/"+code)))
	must("form", waitFor(rctx, `document.readyState === 'complete' && !!document.querySelector('form.submit-form')`))
	must("fill", chromedp.Do(rctx,
		chromedp.SetValue(chromedp.CSS("#sub-status"), "yes"),
		chromedp.SendKeys(chromedp.CSS("#sub-as-of"), "2026-11"),
		chromedp.SendKeys(chromedp.CSS("#sub-url"), address),
		chromedp.SendKeys(chromedp.CSS("#sub-title"), title),
		chromedp.SendKeys(chromedp.CSS("#sub-note"), hostile),
		chromedp.SendKeys(chromedp.CSS("#sub-contact"), contact)))
	must("token fetched", waitFor(rctx, `document.querySelector('form.submit-form input[name=token]').value !== ''`))
	must("scroll to the form", chromedp.Do(rctx, chromedp.ScrollIntoView(chromedp.CSS("form.submit-form"))))
	shot(rctx, phone, "form")
	time.Sleep(3500 * time.Millisecond) // a person takes longer than the token's minimum age
	must("send", chromedp.Do(rctx, chromedp.Click(chromedp.CSS("form.submit-form button[type=submit]"))))
	must("thanks", waitFor(rctx, `document.readyState === 'complete' && location.pathname.endsWith('/kirim') && document.querySelector('h1').textContent.includes('Terima kasih')`))
	shot(rctx, phone, "thanks")
	must("desktop width", chromedp.Do(rctx, desktop.emulate()))
	shot(rctx, desktop, "thanks")
	must("phone width", chromedp.Do(rctx, phone.emulate()))
	rwatch.check(t)
	var subID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM submission WHERE region_code = $1 AND state = 'open'`, code).Scan(&subID); err != nil {
		t.Fatalf("the reader's submission was not stored: %v", err)
	}

	// 2. Both instances say so on the region page, without personal data.
	for _, in := range []instance{a, b} {
		waitBody(t, in.base+"/wilayah/"+code, "1 kiriman pembaca sedang ditinjau", func(body string) {
			if strings.Contains(body, contact) || strings.Contains(body, "radar.example.id") {
				t.Errorf("%s: the public page shows the submission's contact or address", in.base)
			}
		})
	}

	// 3. The abuse cases, against instance A's API and form (the reader's one submission counts
	// against the per-client limit too; a duplicate passes the checks and so counts as well).
	api := a.base + "/api/v1"
	tokenFor := func(c string) string {
		res, body := call(t, http.MethodGet, api+"/submissions/token?region="+c, nil)
		var tok struct{ Token string }
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &tok) != nil || tok.Token == "" {
			t.Fatalf("token for %s: %d %s", c, res.StatusCode, body)
		}
		return tok.Token
	}
	tokens := map[string]string{}
	for _, c := range codes {
		tokens[c] = tokenFor(c)
	}
	post := func(c, status, src string, tok string) (int, string) {
		body, _ := json.Marshal(map[string]string{"region": c, "status": status, "as_of": "2026-11", "source_url": src, "token": tok, "contact": contact})
		res, out := call(t, http.MethodPost, api+"/submissions", body, "Content-Type", "application/json")
		return res.StatusCode, string(out)
	}
	stored := func() int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM submission`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	n0 := stored()
	type abuse struct{ name, want string }
	var tried []abuse
	expect := func(name string, got, want int, body string) {
		t.Helper()
		tried = append(tried, abuse{name, fmt.Sprintf("%d %s", got, firstLine(body))})
		if got != want {
			t.Errorf("%s: %d, want %d: %s", name, got, want, body)
		}
	}
	// Too fast: a token used at once.
	got, body := post(codes[1], "yes", "https://example.org/fast", tokenFor(codes[1]))
	expect("too fast (token used at once)", got, http.StatusBadRequest, body)
	time.Sleep(3500 * time.Millisecond)
	got, body = post(codes[1], "yes", "javascript:alert(document.cookie)", tokens[codes[1]])
	expect("javascript: URL", got, http.StatusUnprocessableEntity, body)
	got, body = post(codes[1], "yes", "https://user:secret@example.org/x", tokens[codes[1]])
	expect("URL with credentials", got, http.StatusUnprocessableEntity, body)
	big, _ := json.Marshal(map[string]string{"region": codes[1], "status": "yes", "source_url": "https://example.org/big", "token": tokens[codes[1]],
		"note": strings.Repeat("x", 20<<10)})
	res, out := call(t, http.MethodPost, api+"/submissions", big, "Content-Type", "application/json")
	expect("oversized body (20 KiB)", res.StatusCode, http.StatusRequestEntityTooLarge, string(out))
	form := url.Values{"status": {"yes"}, "as_of": {"2026-11"}, "source_url": {"https://example.org/bot"}, "token": {tokens[codes[1]]}, "website": {"http://spam.example"}}
	res, out = call(t, http.MethodPost, a.base+"/wilayah/"+codes[1]+"/kirim", []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	expect("honeypot filled (region page form)", res.StatusCode, http.StatusBadRequest, pageH1(out))
	if n := stored(); n != n0 {
		t.Errorf("refused submissions stored %d rows", n-n0)
	}
	got, body = post(code, "yes", strings.Replace(address, "https://", "http://", 1), tokens[code])
	expect("duplicate (same region, same address)", got, http.StatusConflict, body)
	for i, c := range codes[2:5] {
		got, body = post(c, "in_progress", fmt.Sprintf("https://example.org/ok-%d", i), tokens[c])
		expect("valid submission "+c, got, http.StatusCreated, body)
	}
	got, body = post(codes[1], "yes", "https://example.org/one-too-many", tokens[codes[1]])
	expect("6th submission within the hour from one address", got, http.StatusTooManyRequests, body)
	if n := stored(); n != n0+3 {
		t.Errorf("after the abuse cases %d rows were stored, want the 3 valid ones", n-n0)
	}
	for _, c := range tried {
		t.Logf("abuse case %-50s → %s", c.name, c.want)
	}

	// 4. The steward, at 1280 px, on instance B (once B's read model has every submission).
	for _, c := range codes[2:5] {
		waitBody(t, b.base+"/wilayah/"+c, "1 kiriman pembaca sedang ditinjau", func(string) {})
	}
	sctx, swatch := watchTab(t, browser, b.base)
	sctx, cancelS := context.WithTimeout(sctx, 2*time.Minute)
	defer cancelS()
	smust := func(what string, err error) {
		t.Helper()
		if err != nil {
			swatch.check(t)
			t.Fatalf("%s: %v", what, err)
		}
	}
	smust("sign in", chromedp.Do(sctx, desktop.emulate(), chromedp.Navigate(b.base+"/kelola")))
	smust("login page", waitFor(sctx, `location.pathname === '/masuk' && document.readyState === 'complete'`))
	smust("credentials", chromedp.Do(sctx, chromedp.SendKeys(chromedp.CSS("#email"), "reviewer@example.go.id"),
		chromedp.SendKeys(chromedp.CSS("#password"), password), chromedp.Click(chromedp.CSS("form button.primary"))))
	smust("start page counts", waitFor(sctx, `location.pathname === '/kelola' && document.readyState === 'complete' && !!document.querySelector('nav .badge')`))
	badge, _ := chromedp.Run(sctx, chromedp.Evaluate[string](`document.querySelector('nav .badge').textContent`))
	if badge != "4" {
		t.Errorf("the stewards' menu counts %q open submissions, want 4", badge)
	}
	smust("queue", chromedp.Do(sctx, chromedp.Click(chromedp.CSS("ul.tasks li.waiting a"))))
	smust("queue page", waitFor(sctx, `location.pathname === '/kelola/kiriman' && !!document.querySelector('#submission-`+fmt.Sprint(subID)+`')`))
	links, _ := chromedp.Run(sctx, chromedp.Evaluate[int](`[...document.querySelectorAll('main a')].filter(a => a.href.includes('example')).length`))
	if links != 0 {
		t.Errorf("the queue links %d submitted addresses", links)
	}
	shot(sctx, desktop, "queue")
	// The same pages at phone width: a steward reviewing on the road (each shot checks the page
	// fits the width).
	atPhone := func(name string) {
		smust("phone width", chromedp.Do(sctx, phone.emulate()))
		shot(sctx, phone, name)
		smust("desktop width", chromedp.Do(sctx, desktop.emulate()))
	}
	atPhone("queue")
	smust("review", chromedp.Do(sctx, chromedp.Click(chromedp.CSS(`#submission-`+fmt.Sprint(subID)+` a.button`))))
	smust("review page", waitFor(sctx, `document.readyState === 'complete' && !!document.querySelector('#accept-form')`))
	type shown struct{ Note, Title, Address, Contact string }
	sh, err := chromedp.Run(sctx, chromedp.Evaluate[shown](`({Note: document.querySelector('#claim-note').textContent,
		Title: document.querySelector('#src-title').value, Address: document.querySelector('#claim-address').textContent,
		Contact: document.querySelector('#claim-contact').firstChild.textContent})`))
	if err != nil || sh.Note != hostile || sh.Title != title || sh.Address != address || sh.Contact != contact {
		t.Errorf("the review page shows %+v (%v)", sh, err)
	}
	injected, _ := chromedp.Run(sctx, chromedp.Evaluate[int](`document.querySelectorAll('main script, main b').length`))
	if injected != 0 {
		t.Errorf("the submission's HTML became %d elements on the review page", injected)
	}
	shot(sctx, desktop, "review")
	atPhone("review")
	smust("accept", chromedp.Do(sctx, chromedp.SetValue(chromedp.CSS("#evidence"), "local_news"),
		chromedp.SendKeys(chromedp.CSS("#src-publisher"), "Radar"),
		chromedp.SendKeys(chromedp.CSS("#note"), "Source checked by the steward."),
		chromedp.Click(chromedp.CSS("#accept"))))
	smust("accepted", waitFor(sctx, `location.pathname === '/kelola/kiriman' && document.readyState === 'complete' && !!document.querySelector('.notice')`))
	notice, _ := chromedp.Run(sctx, chromedp.Evaluate[string](`document.querySelector('.notice').textContent`))
	src := regexp.MustCompile(`S[0-9]+`).FindString(notice)
	if src == "" {
		t.Fatalf("the notice names no source: %q", notice)
	}
	shot(sctx, desktop, "accepted")
	atPhone("accepted")
	swatch.check(t)

	// 5. Every instance shows the new status: the map (server-drawn SVG and the GeoJSON layer),
	// the region page with the reader credited, the API.
	mapPath := regexp.MustCompile(`<path id="[a-z-]+-` + regexp.QuoteMeta(code) + `" data-code="` + regexp.QuoteMeta(code) + `" class="st-yes"`)
	for _, in := range []instance{a, b} {
		deadline := time.Now().Add(30 * time.Second)
		for {
			res, body := call(t, http.MethodGet, in.base+"/", nil)
			if res.StatusCode == http.StatusOK && mapPath.Match(body) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the national map never showed %s as having an MPP", in.base, code)
			}
			time.Sleep(100 * time.Millisecond)
		}
		res, body := call(t, http.MethodGet, in.base+"/api/v1/regions/"+code, nil)
		var prof struct {
			Region struct {
				Status string `json:"status"`
			} `json:"region"`
			Sources []struct {
				ID string `json:"id"`
			} `json:"sources"`
		}
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &prof) != nil || prof.Region.Status != "yes" || !bytes.Contains(body, []byte(`"`+src+`"`)) {
			t.Errorf("%s: the API's profile after accepting: %d %.300s", in.base, res.StatusCode, body)
		}
		waitBody(t, in.base+"/wilayah/"+code, "dilaporkan pembaca, diverifikasi kementerian", func(body string) {
			if strings.Contains(body, "kiriman pembaca sedang ditinjau") {
				t.Errorf("%s: the region page still counts the accepted submission as under review", in.base)
			}
		})
	}
	must("public page after", chromedp.Do(rctx, chromedp.Navigate(a.base+"/wilayah/"+code)))
	must("public page loaded", waitFor(rctx, `document.readyState === 'complete' && document.body.textContent.includes('dilaporkan pembaca')`))
	shot(rctx, phone, "region-after")
	rwatch.check(t)

	// 6. How the submission moved through the audit log (the API's view, for stewards).
	var actions []string
	for _, target := range []string{"submission:" + fmt.Sprint(subID), "region:" + code} {
		res, body := call(t, http.MethodGet, a.base+"/api/v1/audit?target="+url.QueryEscape(target), nil, "Authorization", bearer)
		var entries struct {
			Entries []struct {
				Action, Target, Actor string
				After                 json.RawMessage
			} `json:"entries"`
		}
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &entries) != nil {
			t.Fatalf("audit %s: %d %.300s", target, res.StatusCode, body)
		}
		for _, e := range entries.Entries {
			actions = append(actions, e.Action+" "+e.Target)
			t.Logf("audit: %-18s %-22s by %s: %s", e.Action, e.Target, e.Actor, e.After)
		}
		if bytes.Contains(body, []byte(contact)) {
			t.Errorf("the audit log's entries for %s carry the contact", target)
		}
	}
	all := strings.Join(actions, "\n")
	for _, want := range []string{"submission.accept submission:" + fmt.Sprint(subID), "status.edit region:" + code} {
		if !strings.Contains(all, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, all)
		}
	}

	// 7. The contact: deleted from the reviewed submission, never in a log or an export.
	var kept int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM submission WHERE id = $1 AND contact IS NOT NULL`, subID).Scan(&kept)
	if kept != 0 {
		t.Error("the accepted submission keeps its contact")
	}
	for _, in := range []instance{a, b} {
		if log, _ := os.ReadFile(in.log); bytes.Contains(log, []byte(contact)) {
			t.Errorf("%s's log carries a contact", in.log)
		}
	}
	exportDir := t.TempDir()
	cmd := exec.Command(bin, "export", "-data", exportDir)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	found := false
	_ = filepath.WalkDir(exportDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if body, _ := os.ReadFile(p); bytes.Contains(body, []byte(contact)) {
				t.Errorf("the export's %s carries a contact", filepath.Base(p))
			}
			if body, _ := os.ReadFile(p); bytes.Contains(body, []byte("radar.example.id/berita/mpp-"+code)) {
				found = true
			}
		}
		return nil
	})
	if !found {
		t.Error("the export lacks the accepted submission's source")
	}
}

// waitBody polls url until its body contains want, then runs check on it.
func waitBody(t *testing.T, url, want string, check func(string)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, body := call(t, http.MethodGet, url, nil)
		if res.StatusCode == http.StatusOK && strings.Contains(string(body), want) {
			check(string(body))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %q: %d", url, want, res.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var h1RE = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>.*?<p class="[^"]*notice-error[^"]*"[^>]*>(.*?)</p>`)

// pageH1 is a page's heading and first problem message, for the abuse cases' report.
func pageH1(body []byte) string {
	if m := h1RE.FindSubmatch(body); m != nil {
		return string(m[1]) + ": " + string(m[2])
	}
	return ""
}
