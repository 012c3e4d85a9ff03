package observe

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus/testutil"

	_ "mppmap/golden"
)

func testApp(m *Metrics, log *slog.Logger) *fiber.App {
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		var fe *fiber.Error
		if errors.As(err, &fe) {
			return c.Status(fe.Code).SendString(fe.Message)
		}
		return c.Status(500).SendString("internal")
	}})
	app.Use(Middleware(m, log, func(*fiber.Ctx) string { return "198.51.100.7" }))
	app.Get("/api/v1/regions/:code", func(c *fiber.Ctx) error { return c.SendString("region " + c.Params("code")) })
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("home") })
	app.Get("/boom", func(c *fiber.Ctx) error { return errors.New("boom") })
	return app
}

func do(t *testing.T, app *fiber.App, path string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	return res
}

// Requests are counted by route pattern (never the raw path), with their status; errors are
// written by the error handler before they are logged, so the log says what the client got.
func TestMiddleware(t *testing.T) {
	m := NewMetrics()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	app := testApp(m, log)
	for _, code := range []string{"32.73", "32.04", "99.99"} {
		do(t, app, "/api/v1/regions/"+code+"?token=secret&password=x")
	}
	do(t, app, "/")
	do(t, app, "/nope/at/all")
	res := do(t, app, "/boom", RequestIDHeader, "abc-123")
	if res.Header.Get(RequestIDHeader) != "abc-123" {
		t.Errorf("request id not echoed: %q", res.Header.Get(RequestIDHeader))
	}
	if n := testutil.ToFloat64(m.requests.WithLabelValues("/api/v1/regions/:code", "GET", "200")); n != 3 {
		t.Errorf("region requests = %v, want 3 under the pattern", n)
	}
	if n := testutil.ToFloat64(m.requests.WithLabelValues("/boom", "GET", "500")); n != 1 {
		t.Errorf("/boom 500 = %v", n)
	}
	if n := testutil.ToFloat64(m.requests.WithLabelValues("unmatched", "GET", "404")); n != 1 {
		t.Errorf("unmatched 404 = %v", n)
	}
	if n := testutil.CollectAndCount(m.requests); n != 4 {
		t.Errorf("%d series, want 4 (raw paths never make a series)", n)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d log lines, want 6:\n%s", len(lines), buf.String())
	}
	var last map[string]any
	if err := json.Unmarshal([]byte(lines[5]), &last); err != nil {
		t.Fatal(err)
	}
	if last["route"] != "/boom" || last["status"] != 500.0 || last["request_id"] != "abc-123" || last["client"] != "198.51.100.7" {
		t.Errorf("log line %v", last)
	}
	if strings.Contains(buf.String(), "secret") || strings.Contains(buf.String(), "token=") || strings.Contains(buf.String(), "99.99") {
		t.Errorf("the log carries a query string or a raw path:\n%s", buf.String())
	}
	// An id that could smuggle text into a log is replaced.
	if got := do(t, app, "/", RequestIDHeader, "x\ny").Header.Get(RequestIDHeader); got == "x\ny" || len(got) != 32 {
		t.Errorf("request id %q", got)
	}
}

func TestMetricsOutput(t *testing.T) {
	m := NewMetrics()
	m.Reload(nil)
	m.Reload(errors.New("x"))
	m.Import("changed", 2e9)
	m.GaugeFunc("mppmap_read_model_age_seconds", "Age of the read model.", func() float64 { return 12 })
	out, err := testutil.GatherAndCount(m.Registry)
	if err != nil || out == 0 {
		t.Fatalf("gather: %d %v", out, err)
	}
	if n := testutil.ToFloat64(m.reloads.WithLabelValues("error")); n != 1 {
		t.Errorf("failed reloads %v", n)
	}
}
