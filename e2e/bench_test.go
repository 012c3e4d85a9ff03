package e2e

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// benchWeb measures pages the way a first-time visitor meets them (MPPMAP_BENCH_WEB=1; skipped
// otherwise): for each path, N fresh tabs at 1280 px with the HTTP cache disabled, the time from
// navigation start to the last ECharts 'finished' event of the first view (performance.now() in
// app.js, whose origin is the navigation) — on / the map; charts further down draw when scrolled
// to, and their time from coming into view to 'finished' is the "below" column — and the bytes
// transferred by then, all charts drawn (encodedDataLength of every response, headers included,
// as Chromium's network panel counts them). It prints a table and asserts nothing about times.
//
//	MPPMAP_BENCH_WEB=1 go test ./e2e -run 'TestBrowser/bench-web' -count=1 -v
//
// Against a running server: MPPMAP_E2E_URL=http://host:port. Knobs: MPPMAP_BENCH_N (15),
// MPPMAP_BENCH_PATHS (comma-separated, "/").
func benchWeb(t *testing.T, base string, browser context.Context) {
	n, paths := benchKnobs(t, 15)
	vp := viewports[0] // 1280 px
	type result struct {
		path             string
		ms, below, kb    []float64
		requests, charts int
	}
	var results []result
	for _, path := range paths {
		res := result{path: path}
		for i := 0; i < n; i++ {
			ms, below, bytes, reqs, charts, err := benchLoad(browser, base+path, vp)
			if err != nil {
				t.Fatalf("%s load %d: %v", path, i+1, err)
			}
			res.ms = append(res.ms, ms)
			res.below = append(res.below, below)
			res.kb = append(res.kb, float64(bytes)/1024)
			res.requests, res.charts = reqs, charts
		}
		results = append(results, res)
	}
	out := fmt.Sprintf("\nbench-web: %s, %d fresh loads per page at %d px, HTTP cache disabled\n", base, n, vp.width)
	out += fmt.Sprintf("%-22s %7s %7s %7s %7s %9s %9s %9s %5s %6s\n", "page", "median", "p90", "min", "max", "below med", "KB med", "KB max", "reqs", "charts")
	for _, r := range results {
		out += fmt.Sprintf("%-22s %5.0fms %5.0fms %5.0fms %5.0fms %7.0fms %9.1f %9.1f %5d %6d\n", r.path,
			quantile(r.ms, 0.5), quantile(r.ms, 0.9), quantile(r.ms, 0), quantile(r.ms, 1), quantile(r.below, 0.5),
			quantile(r.kb, 0.5), quantile(r.kb, 1), r.requests, r.charts)
	}
	out += "time = navigation start → last ECharts 'finished' of the first view; below = slowest chart below\n" +
		"the fold, from coming into view to 'finished'; KB = encodedDataLength summed over the load, all charts drawn\n"
	fmt.Print(out)
}

// benchLoad opens url in a fresh tab with the cache disabled, waits for the first view, then
// scrolls to the charts below the fold and waits for them too.
func benchLoad(browser context.Context, url string, vp viewport) (ms, below float64, bytes int64, requests, charts int, err error) {
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	var mu sync.Mutex
	if err = chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventLoadingFinished:
			mu.Lock()
			bytes += int64(ev.EncodedDataLength)
			requests++
			mu.Unlock()
		}
	}); err != nil {
		return
	}
	if err = chromedp.Do(ctx); err != nil { // open the tab
		return
	}
	if _, err = chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		return
	}
	if err = chromedp.Do(ctx, vp.emulate(), chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void](firstViewJS, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		return
	}
	type st struct {
		Ms     float64 `json:"ms"`
		Charts int     `json:"charts"`
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[st](`(() => {
  const f = Object.values(window.mppmap.finished).map(x => x.ms);
  return {ms: f.length ? Math.max(...f) : 0, charts: f.length};
})()`))
	if err != nil {
		return
	}
	if err = chromedp.Do(ctx, chromedp.Poll[chromedp.Void](mapsFinishedJS, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		return
	}
	all, err := chromedp.Run(ctx, chromedp.Evaluate[st](`(() => {
  const f = Object.values(window.mppmap.finished);
  const lazy = f.filter(x => x.drawMs !== undefined && x.ms > `+strconv.FormatFloat(first.Ms+0.5, 'f', 3, 64)+`).map(x => x.drawMs);
  return {ms: lazy.length ? Math.max(...lazy) : 0, charts: f.length};
})()`))
	if err != nil {
		return
	}
	// Let LoadingFinished events of the last responses arrive.
	_ = chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond))
	mu.Lock()
	defer mu.Unlock()
	return first.Ms, all.Ms, bytes, requests, all.Charts, nil
}

// benchKnobs reads MPPMAP_BENCH_N (loads per page, default n) and MPPMAP_BENCH_PATHS
// (comma-separated, default "/").
func benchKnobs(t *testing.T, n int) (int, []string) {
	t.Helper()
	if s := os.Getenv("MPPMAP_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("MPPMAP_BENCH_N=%q: want a positive integer", s)
		}
		n = v
	}
	paths := []string{"/"}
	if s := os.Getenv("MPPMAP_BENCH_PATHS"); s != "" {
		paths = splitComma(s)
	}
	return n, paths
}

// quantile is the q-quantile of xs by linear interpolation between order statistics.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}
