package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"mppmap/data/datatest"
)

// manageWalk is one steward's session in the browser, in one language at one width.
type manageWalk struct {
	vp         viewport
	prefix     string // "" (Indonesian) or "/en"
	login      string // the sign-in path
	start      string
	region     func(code string) string
	importPath string
	audit      string
	code       string // the region edited by hand
	bulkOther  string // a second region the bulk update changes
	savedText  string // the notice after saving
	conflictH1 string
}

// TestManageBrowser walks the stewards' pages in headless Chromium, as a ministry clerk would,
// at 1280 px in Indonesian and at 360 px in English, against the real binary on the real
// reference data: sign in → edit a region's status citing a new source → a second tab saves
// the same region first → the stale save gets the conflict page → resolve it → bulk update
// dry run → confirm → the audit log shows every entry → sign out. Each step is screenshotted
// (manage-<step>-<width>.png in the artifacts) and checked for console errors, requests to
// other hosts and horizontal scrolling. One server, one import for all of it.
func TestManageBrowser(t *testing.T) {
	dbURL, _ := datatest.NewDB(t)
	refData := datatest.RefData(t)
	browser := newBrowser(t)
	bin := buildMppmap(t)
	srv := startInstance(t, bin, dbURL, refData, "manage")
	const password = "a long passphrase for the stewards"
	cli(t, bin, dbURL, password+"\n", "user", "add", "-email", "clerk@example.go.id", "-role", "steward", "-unit", "Deputi Pelayanan Publik", "-password-stdin")

	walks := []manageWalk{
		{vp: viewports[0], login: "/masuk", start: "/kelola", region: func(c string) string { return "/kelola/wilayah/" + c }, importPath: "/kelola/impor",
			audit: "/kelola/audit", code: "32.71", bulkOther: "32.01", savedText: "Status tersimpan", conflictH1: "berubah sementara itu"},
		{vp: viewports[1], prefix: "/en", login: "/en/login", start: "/en/manage", region: func(c string) string { return "/en/manage/regions/" + c },
			importPath: "/en/manage/import", audit: "/en/manage/audit", code: "32.73", bulkOther: "32.04", savedText: "Status saved", conflictH1: "changed meanwhile"},
	}
	for _, w := range walks {
		t.Run(w.vp.name, func(t *testing.T) {
			w.run(t, srv.base, browser, "clerk@example.go.id", password)
		})
	}
	logText, _ := os.ReadFile(srv.log)
	if strings.Contains(string(logText), password) {
		t.Error("the server log carries the password")
	}
}

func (w manageWalk) run(t *testing.T, base string, browser context.Context, email, password string) {
	ctx, watch := watchTab(t, browser, base)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	step := func(name string) { manageShot(t, ctx, w.vp, name) }
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			watch.check(t)
			t.Fatalf("%s: %v", what, err)
		}
	}

	// Signed out, the start page sends to the sign-in page, keeping where to go.
	must("open the start page", chromedp.Do(ctx, clearCookies(), w.vp.emulate(), chromedp.Navigate(base+w.start)))
	must("redirected to sign in", waitFor(ctx, `location.pathname === '`+w.login+`' && document.readyState === 'complete'`))
	step("login")
	must("sign in", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("form button.primary"))))
	must("signed in", waitFor(ctx, `location.pathname === '`+w.start+`' && document.readyState === 'complete' && !!document.querySelector('#regions-table')`))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#regions-table tbody tr').length`))
	if err != nil || rows != regionCount {
		t.Errorf("start page lists %d regions (%v), want %d", rows, err, regionCount)
	}
	step("start")
	// The search narrows the list; its first hit opens the region's form.
	must("search", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#q"), w.code), chromedp.Click(chromedp.CSS(".filter button"))))
	must("search results", waitFor(ctx, `document.readyState === 'complete' && location.search.includes('q=') && document.querySelectorAll('#regions-table tbody tr').length >= 1`))
	must("open the region", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#regions-table tbody tr:first-child a"))))
	must("region form", waitFor(ctx, `location.pathname === '`+w.region(w.code)+`' && document.readyState === 'complete' && !!document.querySelector('#status-form')`))
	step("region")

	// A second tab opens the same form now, at the same revision.
	ctxB, watchB := watchTab(t, browser, base)
	ctxB, cancelB := context.WithTimeout(ctxB, 2*time.Minute)
	defer cancelB()
	must("second tab", chromedp.Do(ctxB, w.vp.emulate(), chromedp.Navigate(base+w.region(w.code))))
	must("second tab form", waitFor(ctxB, `document.readyState === 'complete' && !!document.querySelector('#status-form')`))

	// Tab A: a new status citing a new source, added from the form itself.
	must("fill the status", chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#status"), "yes"),
		chromedp.SetValue(chromedp.CSS(`input[name=as_of_day]`), "30"),
		chromedp.SetValue(chromedp.CSS(`select[name=as_of_month]`), "11"),
		chromedp.SetValue(chromedp.CSS(`input[name=as_of_year]`), "2026"),
		chromedp.SetValue(chromedp.CSS("#evidence"), "confirmed_named"),
		clearField("#note"),
		chromedp.SendKeys(chromedp.CSS("#note"), `Diresmikan <b>Bupati</b>; "uji" & 'coba'`),
		chromedp.Click(chromedp.CSS("#new-source summary")),
		chromedp.SendKeys(chromedp.CSS("#src-url"), "https://example.org/peresmian-mpp-"+w.vp.name),
		chromedp.SendKeys(chromedp.CSS("#src-title"), "MPP diresmikan "+w.vp.name),
		chromedp.SendKeys(chromedp.CSS("#src-publisher"), "Pemerintah Daerah"),
		chromedp.SetValue(chromedp.CSS(`input[name=src_date_year]`), "2026"),
	))
	step("region-filled")
	must("add the source", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#add-source"))))
	must("source added", waitFor(ctx, `document.readyState === 'complete' && !!document.querySelector('.notice') && !!document.querySelector('#sources input[type=checkbox][value^="S9"]:checked')`))
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#note').value + '|' + document.querySelector('#status').value + '|' + document.querySelector('input[name=as_of_day]').value`))
	if err != nil || kept != `Diresmikan <b>Bupati</b>; "uji" & 'coba'|yes|30` {
		t.Errorf("the form after adding a source kept %q (%v)", kept, err)
	}
	step("source-added")

	// Tab B saves first.
	must("tab B saves", chromedp.Do(ctxB, chromedp.SetValue(chromedp.CSS("#status"), "in_progress"),
		chromedp.SetValue(chromedp.CSS(`input[name=as_of_year]`), "2026"), chromedp.SetValue(chromedp.CSS("#evidence"), "local_news"),
		chromedp.SendKeys(chromedp.CSS("#sources-more"), "S01"),
		clearField("#note"), chromedp.SendKeys(chromedp.CSS("#note"), "saved first in the other tab"),
		chromedp.Click(chromedp.CSS("#save-status"))))
	must("tab B saved", waitFor(ctxB, `document.readyState === 'complete' && location.search.includes('saved=status')`))
	manageShot(t, ctxB, w.vp, "other-tab-saved")
	watchB.check(t)

	// Tab A's save is stale: the conflict page, both versions side by side.
	must("tab A saves", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#save-status"))))
	must("conflict page", waitFor(ctx, `document.readyState === 'complete' && !!document.querySelector('#conflict-table')`))
	conflict, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').textContent`))
	if err != nil || !strings.Contains(conflict, w.conflictH1) || !strings.Contains(conflict, "saved first in the other tab") ||
		!strings.Contains(conflict, `Diresmikan <b>Bupati</b>`) || !strings.Contains(conflict, "Deputi Pelayanan Publik") {
		t.Errorf("conflict page: %q (%v)", conflict, err)
	}
	step("conflict")
	must("reapply", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#reapply"))))
	must("resolved", waitFor(ctx, `document.readyState === 'complete' && location.search.includes('saved=status') && document.querySelector('.notice').textContent.includes('`+w.savedText+`')`))
	note, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#note').value`))
	if note != `Diresmikan <b>Bupati</b>; "uji" & 'coba'` {
		t.Errorf("after resolving, the note is %q", note)
	}
	step("resolved")

	// Bulk update: upload, dry run, confirm.
	csv := filepath.Join(t.TempDir(), "update.csv")
	body := "code,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n" +
		w.code + ",yes,2026-11-30,,confirmed_named,S01,bulk update " + w.vp.name + "\n" +
		w.bulkOther + ",in_progress,2026-11,,local_news,S01,bulk update " + w.vp.name + "\n"
	if err := os.WriteFile(csv, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	must("import page", chromedp.Do(ctx, chromedp.Navigate(base+w.importPath)))
	must("import form", waitFor(ctx, `document.readyState === 'complete' && !!document.querySelector('#csv')`))
	step("import")
	must("upload", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#csv"), []string{csv}), chromedp.Click(chromedp.CSS("#dry-run"))))
	must("dry run", waitFor(ctx, `document.readyState === 'complete' && !!document.querySelector('#changes-table') && !!document.querySelector('#apply')`))
	changes, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#changes-table tbody tr').length`))
	if changes < 3 {
		t.Errorf("dry run shows %d changes", changes)
	}
	step("plan")
	must("apply", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#apply"))))
	must("applied", waitFor(ctx, `document.readyState === 'complete' && !!document.querySelector('.notice') && !document.querySelector('#apply')`))
	step("applied")

	// The audit log shows every entry of the walk, newest first.
	must("audit", chromedp.Do(ctx, chromedp.Navigate(base+w.audit+"?since="+time.Now().UTC().Add(-time.Hour).Format("2006-01-02"))))
	must("audit page", waitFor(ctx, `document.readyState === 'complete' && !!document.querySelector('#audit-log')`))
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#audit-log').textContent`))
	for _, action := range []string{"bulk.apply", "status.bulk", "status.edit", "source.add", "region:" + w.code, "clerk@example.go.id"} {
		if !strings.Contains(text, action) {
			t.Errorf("the audit page lacks %s", action)
		}
	}
	if strings.Index(text, "bulk.apply") > strings.Index(text, "source.add") {
		t.Error("the audit log is not newest first")
	}
	step("audit")

	// Sign out: the public home; the stewards' pages ask to sign in again; the public region
	// page shows the change without an account.
	must("sign out", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".logout button"))))
	home := "/"
	if w.prefix != "" {
		home = w.prefix
	}
	must("signed out", waitFor(ctx, `location.pathname === '`+home+`' && document.readyState === 'complete'`))
	must("start page again", chromedp.Do(ctx, chromedp.Navigate(base+w.start)))
	must("asks to sign in", waitFor(ctx, `location.pathname === '`+w.login+`' && document.readyState === 'complete'`))
	step("logout")
	res, err := http.Get(base + w.prefix + "/wilayah/" + w.code)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("public region page without an account: %d", res.StatusCode)
	}
	must("public region page", chromedp.Do(ctx, chromedp.Navigate(base+w.prefix+"/wilayah/"+w.code)))
	must("public region page loaded", waitFor(ctx, `document.readyState === 'complete' && document.body.textContent.includes('bulk update `+w.vp.name+`')`))
	watch.checkExcept(t, "HTTP 409 for "+base+w.region(w.code),
		"browser log error (network): Failed to load resource: the server responded with a status of 409 (Conflict) "+base+w.region(w.code))
}

// clearField empties a text field (chromedp's SetValue does not take textareas).
func clearField(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(() => { document.querySelector(`+jsonString(sel)+`).value = ''; return true })()`)(ctx, t)
		return err
	})
}

// clearCookies signs the browser out of everything (each walk starts as a visitor).
func clearCookies() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
		return err
	})
}

// checkExcept is check with the problems that start with one of expected let through (the
// conflict page is a 409 by design).
func (w *pageWatch) checkExcept(t *testing.T, expected ...string) {
	t.Helper()
	w.mu.Lock()
	kept := w.problems[:0]
	for _, p := range w.problems {
		ok := false
		for _, e := range expected {
			ok = ok || strings.HasPrefix(p, e)
		}
		if !ok {
			kept = append(kept, p)
		}
	}
	w.problems = kept
	w.mu.Unlock()
	w.check(t)
}

// manageShot checks the page fits the width and saves a screenshot of it (its first 4000 px:
// the start page lists 514 regions) as manage-<name>-<width>.png.
func manageShot(t *testing.T, ctx context.Context, vp viewport, name string) {
	t.Helper()
	type dims struct{ Width, Height int64 }
	d, err := chromedp.Run(ctx, chromedp.Evaluate[dims](`({Width: document.documentElement.scrollWidth, Height: document.documentElement.scrollHeight})`))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if d.Width > vp.width {
		t.Errorf("%s at %s px: the page is %d px wide", name, vp.name, d.Width)
	}
	full := vp
	full.height = min(max(d.Height, vp.height), 4000)
	if err := chromedp.Do(ctx, full.emulate()); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := chromedp.Do(ctx, vp.emulate()); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifactsDir(t), "manage-"+name+"-"+vp.name+".png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
