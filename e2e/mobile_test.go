package e2e

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// noScriptState is what a page shows a reader without JavaScript.
type noScriptState struct {
	H1       string   `json:"h1"`
	SVGs     int      `json:"svgs"`
	Links    int      `json:"links"`    // region links inside the first server-drawn map
	Titled   int      `json:"titled"`   // of them, with a <title> naming the region and status
	Legend   int      `json:"legend"`   // swatches of its HTML legend
	Height   float64  `json:"height"`   // the drawn map's height in CSS px
	Tables   int      `json:"tables"`   // data tables on the page
	Download []string `json:"download"` // download links
	First    string   `json:"first"`    // the first region link's address
}

const noScriptStateJS = `(() => {
  const svg = document.querySelector('.map svg');
  const links = svg ? Array.from(svg.querySelectorAll('a[href]')) : [];
  const box = svg ? svg.getBoundingClientRect() : {height: 0};
  return {
    h1: (document.querySelector('h1') || {}).textContent || '',
    svgs: document.querySelectorAll('.map svg').length,
    links: links.length,
    titled: links.filter(a => { const t = a.querySelector('title'); return t && t.textContent.includes(' — '); }).length,
    legend: document.querySelectorAll('.map-legend li').length,
    height: box.height,
    tables: document.querySelectorAll('table').length,
    download: Array.from(document.querySelectorAll('.downloads a')).map(a => a.getAttribute('href')),
    first: links.length ? links[0].getAttribute('href') : '',
  };
})()`

// testNoScript reads the map pages with JavaScript disabled, as a reader behind a strict
// browser or a slow phone before the bundle arrives: the headline, the server-drawn map with
// every region as a link and its legend, the table and the downloads must all be there, and a
// region link must lead to its page.
func testNoScript(t *testing.T, base string, browser context.Context) {
	for _, pg := range []struct {
		path, h1 string
		regions  int // region links on the map
	}{
		{"/", "Peta Mal Pelayanan Publik", regionCount},
		{"/en", "Map of Public Service Malls", regionCount},
		{"/provinsi/32", "Provinsi Jawa Barat", 27},
		{"/wilayah/32.73", "Kota Bandung", 0}, // the locator: Jawa Barat and its neighbours
		{"/fiskal", "Kapasitas fiskal", regionCount},
		{"/hambatan", "Mengapa daerah tertinggal", regionCount},
		{"/en/digital", "Digital MPP", regionCount},
	} {
		for _, vp := range viewports {
			t.Run(strings.Trim(strings.ReplaceAll(pg.path, "/", "-"), "-")+"-"+vp.name, func(t *testing.T) {
				ctx, watch := watchTab(t, browser, base)
				ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				defer cancel()
				if err := chromedp.Do(ctx); err != nil { // opens the tab
					t.Fatal(err)
				}
				if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
				if err := chromedp.Do(ctx, vp.emulate(), chromedp.Navigate(base+pg.path)); err != nil {
					t.Fatal(err)
				}
				st, err := chromedp.Run(ctx, chromedp.Evaluate[noScriptState](noScriptStateJS))
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				if !strings.Contains(st.H1, pg.h1) || st.H1 == "" {
					t.Errorf("h1 %q, want it to contain %q", st.H1, pg.h1)
				}
				if st.SVGs == 0 || st.Height < 100 {
					t.Fatalf("no server-drawn map (%d svg, %.0f px high)", st.SVGs, st.Height)
				}
				if pg.regions > 0 && st.Links != pg.regions {
					t.Errorf("map has %d region links, want %d", st.Links, pg.regions)
				}
				if st.Links == 0 || st.Titled != st.Links {
					t.Errorf("%d of %d region links carry a name and status title", st.Titled, st.Links)
				}
				if st.Legend < 2 || st.Tables == 0 {
					t.Errorf("legend %d swatches, %d tables", st.Legend, st.Tables)
				}
				if pg.path == "/" && len(st.Download) < 2 {
					t.Errorf("downloads %v", st.Download)
				}
				if vp.mobile {
					png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
					if err == nil {
						_ = os.WriteFile(filepath.Join(artifactsDir(t), "nojs"+strings.ReplaceAll(pg.path, "/", "-")+"-"+vp.name+".png"), png, 0o644)
					}
				}
				if pg.path != "/" {
					watch.check(t)
					return
				}
				// Follow the first region's link, as a reader would with a tap.
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.map svg a[href="`+st.First+`"] path`))); err != nil {
					t.Fatalf("click %s: %v", st.First, err)
				}
				if err := waitFor(ctx, `location.pathname === '`+st.First+`' && document.readyState === 'complete' && !!document.querySelector('h1')`); err != nil {
					t.Fatalf("the map's link %s did not open its page: %v", st.First, err)
				}
				watch.check(t)
			})
		}
	}
}

// svgParityJS compares, region by region, the status the server-drawn SVG of / showed (its
// fill and title, fetched again from the page's own URL) with what ECharts draws now: the
// colour of the item after the visual map and the status label of its data.
const svgParityJS = `(async () => {
  const html = await (await fetch(location.href, {credentials: 'same-origin'})).text();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const svg = {};
  for (const p of doc.querySelectorAll('#status-map svg path[data-code]')) {
    const t = p.querySelector('title').textContent;
    svg[p.getAttribute('data-code')] = {fill: p.getAttribute('fill').toUpperCase(), label: t.slice(t.lastIndexOf(' — ') + 3)};
  }
  const chart = window.mppmap.charts['status-map'];
  const data = chart.getModel().getSeriesByIndex(0).getData();
  let compared = 0;
  const diffs = [];
  for (let i = 0; i < data.count(); i++) {
    const code = data.getName(i);
    const item = data.getRawDataItem(i);
    const fill = String(data.getItemVisual(i, 'style').fill).toUpperCase();
    const s = svg[code];
    if (!s) { diffs.push(code + ': not in the SVG'); continue; }
    compared++;
    if (s.fill !== fill || s.label !== item.statusLabel) diffs.push(code + ': svg ' + s.fill + ' ' + s.label + ', echarts ' + fill + ' ' + item.statusLabel);
  }
  return {svg: Object.keys(svg).length, compared: compared, diffs: diffs.slice(0, 10), ndiff: diffs.length};
})()`

// testSVGParity holds the two drawings of the national map together: both colour every region
// by the same status.
func testSVGParity(t *testing.T, base string, browser context.Context) {
	ctx, watch := watchTab(t, browser, base)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, viewports[0].emulate(), chromedp.Navigate(base+"/"),
		chromedp.Poll[chromedp.Void](mapsFinishedJS, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("load: %v", err)
	}
	type parity struct {
		SVG      int      `json:"svg"`
		Compared int      `json:"compared"`
		Diffs    []string `json:"diffs"`
		NDiff    int      `json:"ndiff"`
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[parity](svgParityJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if p.SVG != regionCount || p.Compared != regionCount {
		t.Errorf("SVG has %d regions, %d compared with ECharts; want %d", p.SVG, p.Compared, regionCount)
	}
	if p.NDiff != 0 {
		t.Errorf("%d regions differ between the SVG and the ECharts map, e.g. %v", p.NDiff, p.Diffs)
	}
	t.Logf("SVG and ECharts agree on %d regions", p.Compared)
	watch.check(t)
}

// phoneMapJS drives the national map's controls at a phone's width and reports what happened.
type phoneState struct {
	Controls bool      `json:"controls"`
	Zoom     float64   `json:"zoom"`
	Roam     bool      `json:"roam"`
	Center   []float64 `json:"center"`
}

const phoneStateJS = `(() => {
  const s = window.mppmap.charts['status-map'].getOption().series[0];
  const box = document.querySelector('.map-controls[data-map="status-map"]');
  return {controls: !!box && !box.hidden && box.offsetHeight > 0, zoom: s.zoom || 1, roam: !!s.roam, center: s.center || []};
})()`

// testPhoneMap uses the national map at 360 px as a phone reader would: the zoom buttons and
// the province picker zoom in (and only then does the map take drags), and a tap on a region
// shows its details with a link instead of leaving the page.
func testPhoneMap(t *testing.T, base string, browser context.Context) {
	ctx, watch := watchTab(t, browser, base)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	vp := viewports[1]
	if err := chromedp.Do(ctx, vp.emulate(), chromedp.Navigate(base+"/"),
		chromedp.Poll[chromedp.Void](mapsFinishedJS, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("load: %v", err)
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[phoneState](phoneStateJS))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Controls || st.Zoom != 1 || st.Roam {
		t.Fatalf("at first: controls shown %v, zoom %v, roam %v; want shown, 1, no roam (the page must scroll)", st.Controls, st.Zoom, st.Roam)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.map-controls[data-map="status-map"] button[data-zoom="in"]`)), settle()); err != nil {
		t.Fatal(err)
	}
	if st, err = chromedp.Run(ctx, chromedp.Evaluate[phoneState](phoneStateJS)); err != nil || st.Zoom <= 1 || !st.Roam {
		t.Fatalf("after +: %+v, %v; want zoom > 1 and roam", st, err)
	}
	// Jawa Barat (32) from the picker: centred on the province, zoomed further.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`select[data-pick]`), "32"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('select[data-pick]').dispatchEvent(new Event('change'))`), settle()); err != nil {
		t.Fatal(err)
	}
	if st, err = chromedp.Run(ctx, chromedp.Evaluate[phoneState](phoneStateJS)); err != nil || st.Zoom < 5 || len(st.Center) != 2 ||
		st.Center[0] < 106 || st.Center[0] > 109 || st.Center[1] < -8 || st.Center[1] > -5.8 {
		t.Fatalf("after picking Jawa Barat: %+v, %v; want a zoom ≥ 5 centred in Jawa Barat", st, err)
	}
	// Tap Kota Bandung.
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
	  const el = document.getElementById('status-map');
	  el.scrollIntoView({block: 'center'});
	  const p = window.mppmap.charts['status-map'].convertToPixel({seriesIndex: 0}, [107.62, -6.92]);
	  const r = el.getBoundingClientRect();
	  return [r.left + p[0], r.top + p[1]];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1]), settle()); err != nil {
		t.Fatal(err)
	}
	type detail struct {
		Shown bool   `json:"shown"`
		Text  string `json:"text"`
		Link  string `json:"link"`
		Path  string `json:"path"`
	}
	d, err := chromedp.Run(ctx, chromedp.Evaluate[detail](`(() => {
	  const b = document.getElementById('status-map-detail');
	  const a = b.querySelector('a');
	  return {shown: !b.hidden, text: b.textContent, link: a ? a.getAttribute('href') : '', path: location.pathname};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Shown || !strings.Contains(d.Text, "Kota Bandung") || d.Link != "/wilayah/32.73" || d.Path != "/" {
		t.Errorf("tap on Kota Bandung at %v: details %+v; want them shown with a link to /wilayah/32.73, still on /", xy, d)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		_ = os.WriteFile(filepath.Join(artifactsDir(t), "phone-map-360.png"), png, 0o644)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.map-controls[data-map="status-map"] button[data-zoom="reset"]`)), settle()); err != nil {
		t.Fatal(err)
	}
	if st, err = chromedp.Run(ctx, chromedp.Evaluate[phoneState](phoneStateJS)); err != nil || st.Zoom != 1 || st.Roam {
		t.Errorf("after reset: %+v, %v; want zoom 1 and no roam", st, err)
	}
	watch.check(t)
}

// testChartSVG asks for charts as SVG files the way the page's button does (ECharts' SVG
// renderer from the lazily loaded bundle) and checks each parses as SVG with its title and
// source line; the bundle must not be part of the page's first load.
func testChartSVG(t *testing.T, base string, browser context.Context) {
	for _, pg := range []struct{ path, chart string }{
		{"/fiskal", "fiscal-bar"},
		{"/fiskal", "fiscal-scatter"},
		{"/progres", "progress-chart"},
		{"/en/barriers", "factor-bar"},
	} {
		t.Run(pg.chart, func(t *testing.T) {
			ctx, watch := watchTab(t, browser, base)
			ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx, viewports[0].emulate(), chromedp.Navigate(base+pg.path),
				chromedp.Poll[chromedp.Void](mapsFinishedJS, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
				t.Fatalf("load: %v", err)
			}
			if watch.requested("echarts-svg") {
				t.Errorf("%s loaded the SVG bundle before anyone asked", pg.path)
			}
			visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const b = document.querySelector('button[data-svg-chart="`+pg.chart+`"]'); return !!b && !b.hidden; })()`))
			if err != nil || !visible {
				t.Errorf("no visible SVG button for %s (%v)", pg.chart, err)
			}
			svg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.mppmap.chartSVG('`+pg.chart+`')`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("chartSVG: %v", err)
			}
			texts, root, _, err := parseSVGText(svg)
			if err != nil || root != "svg" {
				t.Fatalf("%s: not SVG (root %q): %v\n%.300s", pg.chart, root, err, svg)
			}
			for _, want := range []string{"Peta MPP", "MPP Map", "KemenPANRB"} {
				if want == "Peta MPP" && strings.HasPrefix(pg.path, "/en") || want == "MPP Map" && !strings.HasPrefix(pg.path, "/en") {
					continue
				}
				if !strings.Contains(texts, want) {
					t.Errorf("%s: SVG text lacks %q", pg.chart, want)
				}
			}
			t.Logf("%s on %s: %d bytes of SVG", pg.chart, pg.path, len(svg))
			watch.check(t)
		})
	}
}

// parseSVGText decodes an SVG strictly: its root element and its character data.
func parseSVGText(doc string) (texts, root string, elements int, err error) {
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	var b strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return b.String(), root, elements, nil
		}
		if err != nil {
			return "", root, elements, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			elements++
			if root == "" {
				root = tk.Name.Local
			}
		case xml.CharData:
			b.Write(tk)
			b.WriteByte(' ')
		}
	}
}
