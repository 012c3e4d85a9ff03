package e2e

import (
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// mapsFinishedJS is true once every chart container on the page has drawn (or there is none).
const mapsFinishedJS = `(() => {
  const m = window.mppmap;
  if (!m) return false;
  // Charts below the fold draw when they come near the viewport: scroll to them, as a reader
  // would, and back to the top once all are drawn.
  for (const id of Object.keys(m.offscreen || {})) {
    document.getElementById(id).scrollIntoView({block: 'center'});
    window.__scrolled = true;
  }
  const els = Array.from(document.querySelectorAll('.map[data-config], .chart[data-config]'));
  const done = els.every(el => m.finished[el.id]);
  if (done && window.__scrolled) { window.scrollTo(0, 0); window.__scrolled = false; }
  return done;
})()`

// firstViewJS reports whether the first view is drawn: every chart has finished or waits, away
// from the viewport, to be scrolled to.
const firstViewJS = `(() => {
  const m = window.mppmap;
  if (!m) return false;
  const els = Array.from(document.querySelectorAll('.map[data-config], .chart[data-config]'));
  return els.length > 0 && els.every(el => m.finished[el.id] || m.offscreen[el.id]);
})()`

// pageState is what a page reports after loading.
type pageState struct {
	Lang        string  `json:"lang"`
	H1          string  `json:"h1"`
	Maps        int     `json:"maps"`
	Features    int     `json:"features"`
	FinishedMs  float64 `json:"finishedMs"`
	ScrollWidth int     `json:"scrollWidth"`
	Footer      string  `json:"footer"`
	Switch      string  `json:"switch"`
	TooltipTags int     `json:"tooltipTags"`
	NoPNG       int     `json:"noPNG"`  // charts without a visible PNG button that yields a PNG
	CSVs        int     `json:"csvs"`   // "CSV of this table" buttons
	CSVBad      string  `json:"csvBad"` // the first CSV that is empty or lacks its BOM
	CSV         string  `json:"csv"`    // all CSVs, for content checks
	OGImage     string  `json:"ogImage"`
	OGTags      int     `json:"ogTags"`
}

const pageStateJS = `(() => {
  const els = Array.from(document.querySelectorAll('.map[data-config], .chart[data-config]'));
  // Measured before any tooltip is shown: a tooltip element may stick out while it fades.
  const scrollWidth = document.documentElement.scrollWidth;
  let features = 0, finished = 0, tags = 0, noPNG = 0;
  for (const el of els) {
    const chart = window.mppmap.charts[el.id];
    const btn = document.querySelector('button[data-png="' + el.id + '"]');
    if (!btn || btn.hidden || !chart.getDataURL({type: 'png'}).startsWith('data:image/png;base64,')) noPNG++;
    const s = chart.getOption().series[0];
    if (s.type === 'map') {
      const geo = window.echarts.getMap(s.map);
      features += (geo.geoJSON || geo.geoJson).features.length;
    } else {
      features += s.data.length;
    }
    finished = Math.max(finished, window.mppmap.finished[el.id].ms);
    chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
    const tip = el.querySelector('div[style*="z-index"]');
    if (tip) tags += tip.querySelectorAll('*:not(strong):not(br):not(span):not(div)').length;
    chart.dispatchAction({type: 'hideTip'});
  }
  const sw = document.querySelector('.lang-switch');
  const btns = Array.from(document.querySelectorAll('button[data-csv]'));
  let csvBad = '', csv = '';
  for (const b of btns) {
    const c = window.mppmap.tableCSV(b.getAttribute('data-csv'));
    if (b.hidden || c.charCodeAt(0) !== 0xFEFF || c.split('\r\n').length < 3) csvBad = csvBad || b.getAttribute('data-csv');
    csv += c;
  }
  return {
    lang: document.documentElement.lang,
    h1: (document.querySelector('h1') || {}).textContent || '',
    maps: els.length, features: features, finishedMs: finished,
    scrollWidth: scrollWidth,
    footer: document.querySelector('footer').textContent,
    switch: sw ? sw.getAttribute('href') : '',
    tooltipTags: tags,
    noPNG: noPNG, csvs: btns.length, csvBad: csvBad, csv: csv,
    ogImage: (document.querySelector('meta[property="og:image"]') || {}).content || '',
    ogTags: document.querySelectorAll('meta[property^="og:"], meta[name^="twitter:"]').length,
  };
})()`

// openPage navigates a fresh tab to path at vp, waits for its charts, checks it for errors,
// other hosts and horizontal scrolling, and saves a full-page screenshot as name-vp.png.
func openPage(t *testing.T, base string, browser context.Context, path, name string, vp viewport) pageState {
	t.Helper()
	ctx, watch := watchTab(t, browser, base)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, vp.emulate(), chromedp.Navigate(base+path),
		chromedp.Poll[chromedp.Void](mapsFinishedJS, chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		watch.check(t)
		t.Fatalf("%s: charts did not finish: %v", path, err)
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](pageStateJS))
	if err != nil {
		t.Fatalf("%s: read state: %v", path, err)
	}
	if st.ScrollWidth > int(vp.width) {
		t.Errorf("%s: page is %d px wide at %d px", path, st.ScrollWidth, vp.width)
	}
	if !strings.Contains(st.Footer, "© 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), MIT") {
		t.Errorf("%s: footer lacks the boundary attribution: %q", path, st.Footer)
	}
	if st.NoPNG != 0 {
		t.Errorf("%s: %d chart(s) without the PNG download", path, st.NoPNG)
	}
	if st.CSVBad != "" {
		t.Errorf("%s: CSV of %s is hidden, empty or lacks the UTF-8 BOM", path, st.CSVBad)
	}
	if st.TooltipTags != 0 {
		t.Errorf("%s: tooltip holds %d unexpected elements", path, st.TooltipTags)
	}
	checkShareCard(t, base, path, st)
	height, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollHeight`))
	if err != nil {
		t.Fatal(err)
	}
	full := vp
	full.height = height
	if err := chromedp.Do(ctx, full.emulate(), settle()); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	shot := filepath.Join(artifactsDir(t), name+"-"+vp.name+".png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s at %s px: %d map(s), %d features, navigation → last chart 'finished' %.0f ms; %s",
		path, vp.name, st.Maps, st.Features, st.FinishedMs, shot)
	watch.check(t)
	return st
}

// checkShareCard: the page names a share card (og:image, with the rest of the Open Graph and
// Twitter tags) that the server answers with a 1200×630 PNG.
func checkShareCard(t *testing.T, base, path string, st pageState) {
	t.Helper()
	if st.OGImage == "" || st.OGTags < 15 {
		t.Errorf("%s: og:image %q, %d share tags", path, st.OGImage, st.OGTags)
		return
	}
	u := st.OGImage
	if strings.HasPrefix(u, "/") {
		u = base + u
	}
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("%s: share card: %v", path, err)
	}
	defer res.Body.Close()
	cfg, err := png.DecodeConfig(res.Body)
	if res.StatusCode != http.StatusOK || err != nil || cfg.Width != 1200 || cfg.Height != 630 {
		t.Errorf("%s: share card %s: HTTP %d, %dx%d, %v; want a 1200x630 PNG", path, u, res.StatusCode, cfg.Width, cfg.Height, err)
	}
}

// testPages opens every page kind in both languages at both widths.
func testPages(t *testing.T, base string, browser context.Context) {
	for _, pg := range []struct {
		path, name, lang, h1 string
		maps                 int // maps and charts
	}{
		{"/wilayah/32.73", "wilayah", "id", "Kota Bandung", 1},
		{"/en/wilayah/32.73", "wilayah-en", "en", "Kota Bandung", 1},
		{"/provinsi/32", "provinsi", "id", "Provinsi Jawa Barat", 2}, // map and progress chart
		{"/en/provinsi/91", "provinsi-en", "en", "Papua province", 2},
		{"/metodologi", "metodologi", "id", "Metodologi", 0},
		{"/progres", "progres", "id", "Kemajuan nasional", 1},
		{"/en/progres", "progres-en", "en", "National progress", 1},
		{"/progres?province=32", "progres-provinsi", "id", "Kemajuan di Provinsi Jawa Barat", 1},
		{"/en/embed/progres?province=91", "embed-progres-provinsi-en", "en", "", 1},
		{"/fiskal", "fiskal", "id", "Kapasitas fiskal", 3},
		{"/en/fiskal", "fiskal-en", "en", "Fiscal capacity", 3},
		{"/embed/peta", "embed", "id", "", 1},
		{"/embed/progres", "embed-progres", "id", "", 1},
		{"/en/embed/progres", "embed-progres-en", "en", "", 1},
		{"/en", "home-en", "en", "Map of Public Service Malls", 2},
		{"/hambatan", "hambatan", "id", "Mengapa daerah tertinggal", 2},
		{"/en/digital", "digital-en", "en", "Digital MPP", 1},
		{"/wilayah/" + hostileCode, "hostile", "id", hostileName, 1},
		{"/provinsi/11", "hostile-provinsi", "id", "Provinsi Aceh", 2},
		{"/wilayah/99.99", "notfound", "id", "Halaman tidak ditemukan", 0},
	} {
		for _, vp := range viewports {
			t.Run(pg.name+"-"+vp.name, func(t *testing.T) {
				if pg.name == "notfound" {
					t.Skip("a 404 is a failed request by definition; covered by the dashboard unit test")
				}
				st := openPage(t, base, browser, pg.path, pg.name, vp)
				if st.Lang != pg.lang || st.Maps != pg.maps || !strings.Contains(st.H1, pg.h1) {
					t.Errorf("%s: lang %q, %d maps, h1 %q; want %q, %d, %q", pg.path, st.Lang, st.Maps, st.H1, pg.lang, pg.maps, pg.h1)
				}
				if st.Maps > 0 && st.Features == 0 {
					t.Errorf("%s: map drew no feature", pg.path)
				}
				if st.Maps > 0 && !strings.Contains(pg.path, "/embed/") && st.CSVs == 0 {
					t.Errorf("%s: no CSV download of the chart's table", pg.path)
				}
				if pg.name == "hostile-provinsi" && !strings.Contains(st.CSV, hostileName) {
					t.Errorf("%s: the table CSV lacks the hostile name as text", pg.path)
				}
			})
		}
	}
}

// testSearch types "Kota Bandung" into the national page's search and follows the first hit.
func testSearch(t *testing.T, base string, browser context.Context) {
	ctx, watch := watchTab(t, browser, base)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, viewports[1].emulate(), chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#search-input")),
		chromedp.SendKeys(chromedp.CSS("#search-input"), "kota bandung"),
		chromedp.WaitVisible(chromedp.CSS("#search-results a")))
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#search-results a').textContent`))
	if err != nil || first != "Kota Bandung" {
		t.Fatalf("first hit = %q (%v), want Kota Bandung", first, err)
	}
	png, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	_ = os.WriteFile(filepath.Join(artifactsDir(t), "search-360.png"), png, 0o644)
	// "Show on map" highlights the region and opens its tooltip, staying on the page.
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](mapsFinishedJS, chromedp.WithPollingInterval(50*time.Millisecond)),
		chromedp.Click(chromedp.CSS("#search-results li:first-child button"))); err != nil {
		t.Fatalf("show on map: %v", err)
	}
	if err := waitFor(ctx, `location.pathname === '/' && Array.from(document.querySelectorAll('#status-map div')).some(d => d.style.display !== 'none' && d.textContent.indexOf('Kota Bandung') === 0)`); err != nil {
		t.Errorf("show on map: no tooltip of Kota Bandung on the map: %v", err)
	}
	png, _ = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	_ = os.WriteFile(filepath.Join(artifactsDir(t), "search-map-360.png"), png, 0o644)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#search-input")), chromedp.SendKeys(chromedp.CSS("#search-input"), "\r")); err != nil {
		t.Fatal(err)
	}
	if err := waitFor(ctx, `location.pathname === '/wilayah/32.73' && document.readyState === 'complete'`); err != nil {
		t.Fatalf("Enter did not open Kota Bandung's page: %v", err)
	}
	// The hostile region's name is listed as text.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#search-input")),
		chromedp.SendKeys(chromedp.CSS("#search-input"), "onerror"),
		chromedp.WaitVisible(chromedp.CSS("#search-results a"))); err != nil {
		t.Fatalf("search for the hostile name: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.querySelectorAll('#search-results img').length + ' ' + document.querySelector('#search-results a').textContent`))
	if err != nil || got != "0 "+hostileName {
		t.Errorf("search result for the hostile name = %q (%v), want it as text", got, err)
	}
	watch.check(t)
}

// testClickRegion clicks the map of Jawa Barat's province page at Kota Bandung's centre and
// expects that region's page.
func testClickRegion(t *testing.T, base string, browser context.Context) {
	ctx, watch := watchTab(t, browser, base)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, viewports[0].emulate(), chromedp.Navigate(base+"/"),
		chromedp.Poll[chromedp.Void](mapsFinishedJS, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("load: %v", err)
	}
	// A point inside Kabupaten Merauke (Papua Selatan), large enough to hit at national scale.
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
	  const el = document.getElementById('status-map');
	  const p = window.mppmap.charts['status-map'].convertToPixel({seriesIndex: 0}, [140.4, -7.9]);
	  const r = el.getBoundingClientRect();
	  return [r.left + p[0], r.top + p[1]];
	})()`))
	if err != nil {
		t.Fatalf("locate: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	if err := waitFor(ctx, `location.pathname.startsWith('/wilayah/') && document.readyState === 'complete'`); err != nil {
		t.Fatalf("click at %v did not open a region page: %v", xy, err)
	}
	path, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + ' ' + document.querySelector('h1').textContent`))
	t.Logf("click on the national map opened %s", path)
	watch.check(t)
}

// testLanguageSwitch follows the visible switch on a region page and back.
func testLanguageSwitch(t *testing.T, base string, browser context.Context) {
	ctx, watch := watchTab(t, browser, base)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, viewports[1].emulate(), chromedp.Navigate(base+"/wilayah/32.73"),
		chromedp.Click(chromedp.CSS(".lang-switch"))); err != nil {
		t.Fatal(err)
	}
	if err := waitFor(ctx, `location.pathname === '/en/wilayah/32.73' && document.documentElement.lang === 'en' && document.readyState === 'complete'`); err != nil {
		t.Fatalf("switch to English: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".lang-switch"))); err != nil {
		t.Fatal(err)
	}
	if err := waitFor(ctx, `location.pathname === '/wilayah/32.73' && document.documentElement.lang === 'id' && document.readyState === 'complete'`); err != nil {
		t.Fatalf("switch back to Indonesian: %v", err)
	}
	watch.check(t)
}

// waitFor evaluates cond until it is true; unlike Poll it survives the navigation that the
// previous action started (the old page's execution context disappears mid-poll).
func waitFor(ctx context.Context, cond string) error {
	var last error
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
			}
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// testTimeSlider opens a permalink of the national map at a past date and checks the map
// shows fewer MPPs than today, then follows the language switch and expects the same date.
func testTimeSlider(t *testing.T, base string, browser context.Context) {
	ctx, watch := watchTab(t, browser, base)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, viewports[0].emulate(), chromedp.Navigate(base+"/?as_of=2019-12-31")); err != nil {
		t.Fatal(err)
	}
	if err := waitFor(ctx, `window.mppmap && window.mppmap.asOf === '2019-12-31'`); err != nil {
		watch.check(t)
		t.Fatalf("map never showed 2019-12-31: %v", err)
	}
	type counts struct {
		Yes, Total int
		Figure     string
		Switch     string
		Label      string
	}
	js := `(() => {
	  const d = window.mppmap.charts['status-map'].getOption().series[0].data;
	  return {Yes: d.filter(x => x.status === 'yes').length, Total: d.length,
	    Figure: document.querySelector('.figure[data-status=yes] .count').textContent,
	    Switch: document.querySelector('.lang-switch').getAttribute('href'),
	    Label: document.querySelector('label[for=time-slider]').textContent.replace(/\s+/g, ' ').trim()};
	})()`
	past, err := chromedp.Run(ctx, chromedp.Evaluate[counts](js))
	if err != nil {
		t.Fatal(err)
	}
	if past.Total != regionCount || past.Yes == 0 || past.Yes >= 300 || past.Figure == "" {
		t.Errorf("as of 2019-12-31: %+v, want some but far fewer than today's MPPs", past)
	}
	if past.Label != "Status per 31 Desember 2019" {
		t.Errorf("slider label = %q, want %q", past.Label, "Status per 31 Desember 2019")
	}
	if past.Switch != "/en?as_of=2019-12-31" {
		t.Errorf("language switch = %q, want the date kept", past.Switch)
	}
	if err := chromedp.Do(ctx, settle()); err != nil {
		t.Fatal(err)
	}
	png, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	_ = os.WriteFile(filepath.Join(artifactsDir(t), "time-2019-1280.png"), png, 0o644)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".lang-switch"))); err != nil {
		t.Fatal(err)
	}
	if err := waitFor(ctx, `location.pathname === '/en' && window.mppmap && window.mppmap.asOf === '2019-12-31'`); err != nil {
		t.Fatalf("English page lost the date: %v", err)
	}
	if en, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('label[for=time-slider]').textContent.replace(/\s+/g, ' ').trim()`)); err != nil || en != "Status as of 31 December 2019" {
		t.Errorf("English slider label = %q (%v), want %q", en, err, "Status as of 31 December 2019")
	}
	t.Logf("as of 2019-12-31: %d of %d regions had an MPP (figure %s)", past.Yes, past.Total, past.Figure)
	// The map embed takes the same parameter, and its link back keeps it.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/embed/peta?as_of=2019-12-31")); err != nil {
		t.Fatal(err)
	}
	if err := waitFor(ctx, `window.mppmap && window.mppmap.asOf === '2019-12-31'`); err != nil {
		t.Fatalf("the map embed never showed 2019-12-31: %v", err)
	}
	type embedState struct {
		Yes  int
		Link string
	}
	em, err := chromedp.Run(ctx, chromedp.Evaluate[embedState](`({
	  Yes: window.mppmap.charts['status-map'].getOption().series[0].data.filter(x => x.status === 'yes').length,
	  Link: document.querySelector('a[data-keep-query]').getAttribute('href')})`))
	if err != nil || em.Yes != past.Yes || em.Link != "/?as_of=2019-12-31" {
		t.Errorf("embed as of 2019-12-31: %+v (%v), want %d with an MPP and the link back keeping the date", em, err, past.Yes)
	}
	watch.check(t)
}

// testEmbedInIframe serves a page on another origin that frames /embed/peta and /embed/progres,
// and checks the browser let them draw: no "refused to frame" error, and the embed fetched its geometry.
func testEmbedInIframe(t *testing.T, base string, browser context.Context) {
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>news site</title><h1>A story</h1>
<iframe src="%s/embed/peta" width="600" height="420" title="MPP"></iframe>
<iframe src="%s/embed/progres" width="600" height="420" title="MPP progress"></iframe>`, base, base)
	}))
	defer host.Close()
	hu, _ := url.Parse(host.URL)
	ctx, watch := watchTab(t, browser, base)
	watch.allow = map[string]bool{hu.Host: true}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, viewports[0].emulate(), chromedp.Navigate(host.URL+"/")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !watch.requested("/api/v1/regions.geojson") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if !watch.requested("/api/v1/regions.geojson") {
		t.Error("the framed embed never fetched its geometry: framing blocked?")
	}
	for !watch.requested("echarts-progress") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if !watch.requested("echarts-progress") {
		t.Error("the framed progress embed never loaded its bundle: framing blocked?")
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	_ = os.WriteFile(filepath.Join(artifactsDir(t), "embed-iframe-1280.png"), png, 0o644)
	watch.check(t)
}
