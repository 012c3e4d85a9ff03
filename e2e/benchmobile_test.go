package e2e

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The phone of issue 12's measurement: Chromium's "Slow 4G" preset (150 ms round trip,
// 1.6 Mbps down, 750 kbps up), the CPU slowed 4×, 360×740 at DPR 2.
const (
	mobileLatencyMs = 150
	mobileDownBps   = 1.6e6 / 8
	mobileUpBps     = 750e3 / 8
	mobileCPU       = 4
)

// mobileTimesJS reads, after the first view, what a phone reader saw when: first contentful
// paint, the render time of the server-drawn map's legend (element timing: the legend follows
// the <svg> in the document, so when it is painted the map is too), and the ECharts map's
// 'finished' (interactive). Times are ms from navigation start.
const mobileTimesJS = `new Promise(resolve => {
  const out = {fcp: 0, mapVisible: 0, interactive: 0};
  for (const e of performance.getEntriesByType('paint')) if (e.name === 'first-contentful-paint') out.fcp = e.startTime;
  const f = (window.mppmap && window.mppmap.finished['status-map']) || null;
  out.interactive = f ? f.ms : 0;
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) if (e.identifier === 'map-legend') out.mapVisible = e.renderTime || e.loadTime;
    }).observe({type: 'element', buffered: true});
  } catch (err) { /* no element timing: mapVisible stays 0 */ }
  setTimeout(() => resolve(out), 50);
})`

// benchMobile loads / as a first-time phone reader would (MPPMAP_BENCH_MOBILE=1; skipped
// otherwise): each load in a fresh browser context (empty profile and cache), throttled as
// above, and reports the median of N (5) loads of first contentful paint, map visible (the
// server-drawn map painted) and map interactive (ECharts finished). It asserts nothing about
// times.
//
//	make bench-mobile   (or MPPMAP_BENCH_MOBILE=1 go test ./e2e -run TestBrowser/bench-mobile -v)
//
// Against a running server: MPPMAP_E2E_URL=http://host:port; MPPMAP_BENCH_N, MPPMAP_BENCH_PATHS.
func benchMobile(t *testing.T, base string, browser context.Context) {
	n, paths := benchKnobs(t, 5)
	out := fmt.Sprintf("\nbench-mobile: %s, %d fresh loads per page, 360×740 DPR 2, %d ms RTT, %.1f Mbps down, CPU ×%d\n",
		base, n, mobileLatencyMs, mobileDownBps*8/1e6, mobileCPU)
	out += fmt.Sprintf("%-22s %10s %12s %14s %9s\n", "page", "FCP med", "map visible", "interactive", "KB med")
	for _, path := range paths {
		var fcp, vis, inter, kb []float64
		for i := 0; i < n; i++ {
			tm, bytes, err := mobileLoad(browser, base+path)
			if err != nil {
				t.Fatalf("%s load %d: %v", path, i+1, err)
			}
			fcp, vis, inter, kb = append(fcp, tm.FCP), append(vis, tm.MapVisible), append(inter, tm.Interactive), append(kb, float64(bytes)/1024)
			t.Logf("%s load %d: FCP %.0f ms, map visible %.0f ms, interactive %.0f ms, %.0f KB", path, i+1, tm.FCP, tm.MapVisible, tm.Interactive, float64(bytes)/1024)
		}
		out += fmt.Sprintf("%-22s %8.0fms %10.0fms %12.0fms %9.1f\n", path, quantile(fcp, 0.5), quantile(vis, 0.5), quantile(inter, 0.5), quantile(kb, 0.5))
	}
	out += "map visible = render time of the server-drawn map's legend (0: the page has none); interactive = ECharts 'finished'\n"
	fmt.Print(out)
}

type mobileTimes struct {
	FCP         float64 `json:"fcp"`
	MapVisible  float64 `json:"mapVisible"`
	Interactive float64 `json:"interactive"`
}

func mobileLoad(browser context.Context, url string) (mobileTimes, int64, error) {
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	defer cancelT()
	var bytes atomic.Int64
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventLoadingFinished); ok {
			bytes.Add(int64(e.EncodedDataLength))
		}
	}); err != nil {
		return mobileTimes{}, 0, err
	}
	if err := chromedp.Do(ctx); err != nil {
		return mobileTimes{}, 0, err
	}
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		return mobileTimes{}, 0, err
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: mobileLatencyMs, DownloadThroughput: mobileDownBps, UploadThroughput: mobileUpBps}},
	}); err != nil {
		return mobileTimes{}, 0, fmt.Errorf("network throttling: %w", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: mobileCPU}); err != nil {
		return mobileTimes{}, 0, fmt.Errorf("CPU throttling: %w", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(url), chromedp.Poll[chromedp.Void](firstViewJS, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		return mobileTimes{}, 0, err
	}
	tm, err := chromedp.Run(ctx, chromedp.Evaluate[mobileTimes](mobileTimesJS, chromedp.EvalAwaitPromise))
	return tm, bytes.Load(), err
}
