package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts headless Chromium with a fresh profile and returns its context. Without
// Chromium the test skips, except under CI where that is a failure.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found and CI is set: browser tests must run in CI (apt-get install chromium)", chromiumPath)
		}
		t.Skipf("%s not found: skipping browser test", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(bctx); err != nil { // start the browser now, so errors say so
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// pageWatch records what a tab did that a user would call broken: console errors, uncaught
// exceptions, failed requests, and any request to a host other than the server's.
type pageWatch struct {
	host  string
	allow map[string]bool // other hosts a test serves on purpose (the embed's host page)
	urls  []string

	mu       sync.Mutex
	problems []string
	requests int
}

// watchTab opens a new tab under browser and starts recording its events.
func watchTab(t *testing.T, browser context.Context, base string) (context.Context, *pageWatch) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	w := &pageWatch{host: u.Host}
	if err := chromedp.Listen(ctx, w.event); err != nil {
		t.Fatalf("listen: %v", err)
	}
	return ctx, w
}

func (w *pageWatch) add(format string, args ...any) {
	w.mu.Lock()
	w.problems = append(w.problems, fmt.Sprintf(format, args...))
	w.mu.Unlock()
}

// event runs in chromedp's read loop: it must only record, never call back into the browser.
func (w *pageWatch) event(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, string(a.Value))
				}
			}
			w.add("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		w.add("uncaught exception: %s", msg)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			w.add("browser log error (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		w.mu.Lock()
		w.requests++
		w.urls = append(w.urls, ev.Request.URL)
		w.mu.Unlock()
		if !w.local(ev.Request.URL) {
			w.add("request to another host: %s", ev.Request.URL)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			w.add("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
		}
	case *page.EventJavascriptDialogOpening:
		w.add("a %s dialog opened: %q (data reached the page as markup?)", ev.Type, ev.Message)
	case *network.EventLoadingFailed:
		w.add("request failed (%s, blocked %q): %s", ev.Type, ev.BlockedReason, ev.ErrorText)
	}
}

// local reports whether a request stays on the server; data: URLs (the favicon stand-in,
// saveAsImage) never leave the page.
func (w *pageWatch) local(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	}
	return u.Host == w.host || w.allow[u.Host]
}

// requested reports whether a request URL containing part was made.
func (w *pageWatch) requested(part string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, u := range w.urls {
		if strings.Contains(u, part) {
			return true
		}
	}
	return false
}

func (w *pageWatch) check(t *testing.T) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.problems {
		t.Error(p)
	}
	if w.requests == 0 {
		t.Error("no network request seen: is the network listener working?")
	}
}

// settle gives late events (a failed request after 'finished') a moment to arrive, and a
// resized chart time to finish its update animation.
func settle() chromedp.Action[chromedp.Void] { return chromedp.Sleep(800 * time.Millisecond) }
