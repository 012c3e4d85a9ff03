package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// regionCount is the number of kabupaten/kota in the reference data (BSKDN's denominator).
const regionCount = 514

// homeState is what the page's test hook (window.mppmap) reports about the drawn map.
type homeState struct {
	Features     int     `json:"features"`
	Items        int     `json:"items"`
	FinishedMs   float64 `json:"finishedMs"`
	SinceFetchMs float64 `json:"sinceFetchMs"`
	Tooltip      string  `json:"tooltip"`
	TooltipTags  int     `json:"tooltipTags"`
	Figures      int     `json:"figures"`
	TableRows    int     `json:"tableRows"`
	ScrollWidth  int     `json:"scrollWidth"`
}

const homeStateJS = `(() => {
  const chart = window.mppmap.charts['status-map'];
  const opt = chart.getOption();
  const s = opt.series[0];
  const scrollWidth = document.documentElement.scrollWidth;
  const geo = window.echarts.getMap(s.map);
  chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
  const tip = document.querySelector('#status-map div[style*="z-index"]');
  const f = window.mppmap.finished['status-map'];
  return {
    features: (geo.geoJSON || geo.geoJson).features.length,
    items: s.data.length,
    finishedMs: f.ms,
    sinceFetchMs: f.sinceFetch,
    tooltip: tip ? tip.textContent : '',
    tooltipTags: tip ? tip.querySelectorAll('*:not(strong):not(br):not(span):not(div)').length : -1,
    figures: document.querySelectorAll('.figures .figure').length,
    tableRows: document.querySelectorAll('#status-table tbody tr').length,
    scrollWidth: scrollWidth,
  };
})()`

// viewport is a screen the pages must work on.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var viewports = []viewport{{"1280", 1280, 900, false}, {"360", 360, 740, true}}

func (vp viewport) emulate() chromedp.Action[chromedp.Void] {
	opts := []chromedp.EmulateViewportOption{}
	if vp.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(vp.width, vp.height, opts...)
}

// TestBrowser starts one server (one import) and one browser for every browser check.
func TestBrowser(t *testing.T) {
	base := startServer(t)
	browser := newBrowser(t)
	t.Run("home", func(t *testing.T) { testHomePage(t, base, browser) })
	t.Run("pages", func(t *testing.T) { testPages(t, base, browser) })
	t.Run("search", func(t *testing.T) { testSearch(t, base, browser) })
	t.Run("click", func(t *testing.T) { testClickRegion(t, base, browser) })
	t.Run("language", func(t *testing.T) { testLanguageSwitch(t, base, browser) })
	t.Run("time", func(t *testing.T) { testTimeSlider(t, base, browser) })
	t.Run("embed-iframe", func(t *testing.T) { testEmbedInIframe(t, base, browser) })
	t.Run("noscript", func(t *testing.T) { testNoScript(t, base, browser) })
	t.Run("svg-parity", func(t *testing.T) { testSVGParity(t, base, browser) })
	t.Run("phone-map", func(t *testing.T) { testPhoneMap(t, base, browser) })
	t.Run("chart-svg", func(t *testing.T) { testChartSVG(t, base, browser) })
	t.Run("bench-mobile", func(t *testing.T) {
		if os.Getenv("MPPMAP_BENCH_MOBILE") != "1" {
			t.Skip("set MPPMAP_BENCH_MOBILE=1 to measure phone loads (see benchMobile)")
		}
		benchMobile(t, base, browser)
	})
	t.Run("bench-web", func(t *testing.T) {
		if os.Getenv("MPPMAP_BENCH_WEB") != "1" {
			t.Skip("set MPPMAP_BENCH_WEB=1 to measure page loads (see benchWeb)")
		}
		benchWeb(t, base, browser)
	})
}

// testHomePage opens / at a desktop and a phone width and checks the national map draws all
// regions, with no error and no request leaving the server.
func testHomePage(t *testing.T, base string, browser context.Context) {
	artifacts := artifactsDir(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			ctx, watch := watchTab(t, browser, base)
			ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
			defer cancel()
			viewport := []chromedp.EmulateViewportOption{}
			if vp.mobile {
				viewport = append(viewport, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(vp.width, vp.height, viewport...),
				chromedp.Navigate(base+"/"),
				chromedp.Poll[chromedp.Void](`window.mppmap && window.mppmap.finished && window.mppmap.finished['status-map']`,
					chromedp.WithPollingInterval(50*time.Millisecond)),
			)
			if err != nil {
				watch.check(t)
				t.Fatalf("page did not reach the chart's 'finished' event: %v", err)
			}
			st, err := chromedp.Run(ctx, chromedp.Evaluate[homeState](homeStateJS))
			if err != nil {
				t.Fatalf("read page state: %v", err)
			}
			if st.Features != regionCount {
				t.Errorf("map registered %d features, want %d", st.Features, regionCount)
			}
			if st.Items != regionCount {
				t.Errorf("map series has %d data items, want %d", st.Items, regionCount)
			}
			if st.Figures != 4 {
				t.Errorf("%d headline figures, want one per status (4)", st.Figures)
			}
			if st.TableRows != regionCount {
				t.Errorf("the map's table twin has %d rows, want %d", st.TableRows, regionCount)
			}
			if st.Tooltip == "" {
				t.Error("no tooltip shown for the first region")
			}
			if st.TooltipTags != 0 {
				t.Errorf("tooltip holds %d unexpected elements: data text reached it as HTML", st.TooltipTags)
			}
			if st.ScrollWidth > int(vp.width) {
				t.Errorf("page is %d px wide at a %d px viewport: horizontal scrolling", st.ScrollWidth, vp.width)
			}
			t.Logf("%s px: navigation → chart 'finished' %.0f ms (geometry fetch → finished %.0f ms); tooltip %q",
				vp.name, st.FinishedMs, st.SinceFetchMs, st.Tooltip)

			// Hide the tooltip again so the screenshot shows the map as a visitor first sees it.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
				`window.mppmap.charts['status-map'].dispatchAction({type: 'hideTip'}), true`)); err != nil {
				t.Fatalf("hide tooltip: %v", err)
			}
			// Grow the viewport to the whole page and let the chart redraw for it: a full-page
			// capture otherwise resizes the viewport behind the page's back, and the chart is
			// caught mid-animation.
			height, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollHeight`))
			if err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, height, viewport...), settle()); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			shot := filepath.Join(artifacts, "home-"+vp.name+".png")
			if err := os.WriteFile(shot, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", shot)
			watch.check(t)
		})
	}
}
