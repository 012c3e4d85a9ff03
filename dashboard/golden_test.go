package dashboard

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/figures/figurestest"
	"mppmap/golden"
)

// TestGoldenPages renders every page kind in both languages on the fixture model and compares
// the HTML with testdata/golden (go test ./dashboard -update rewrites them after an intended
// change; review the diff). Error pages too: a 404 code, an unknown path.
func TestGoldenPages(t *testing.T) {
	h, err := newHandler(fixedModel(figurestest.Snapshot()), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	withAPIDocument(t, h)
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(app)
	for _, tc := range []struct {
		path, name string
		status     int
	}{
		{"/", "home", 200},
		{"/en", "home-en", 200},
		{"/wilayah/32.01", "region", 200},
		{"/en/wilayah/" + figurestest.HostileCode, "region-hostile-en", 200},
		{"/wilayah/31.71", "region-dki", 200},
		{"/wilayah/91.01", "region-island", 200},
		{"/provinsi/32", "province", 200},
		{"/en/provinsi/31", "province-en", 200},
		{"/metodologi", "method", 200},
		{"/en/metodologi", "method-en", 200},
		{"/progres", "progress", 200},
		{"/en/progres?province=32", "progress-province-en", 200},
		{"/fiskal", "fiscal", 200},
		{"/hambatan", "barriers", 200},
		{"/en/barriers?factor=pmk_65_2024&category=budget-fiscal-capacity", "barriers-pmk-en", 200},
		{"/hambatan?factor=nope", "barriers-bad-factor", 400},
		{"/digital", "digital", 200},
		{"/en/digital", "digital-en", 200},
		{"/en/fiskal", "fiscal-en", 200},
		{"/api", "api", 200},
		{"/en/api", "api-en", 200},
		{"/embed/peta?as_of=2020-02-10", "embed-map", 200},
		{"/en/embed/progres", "embed-progress-en", 200},
		{"/wilayah/99.99", "notfound-code", 404},
		{"/en/peta-lama", "notfound-path-en", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, app, tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("GET %s = %d, want %d", tc.path, res.StatusCode, tc.status)
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Errorf("GET %s: Content-Type %q", tc.path, res.Header.Get("Content-Type"))
			}
			if strings.Contains(body, "⟦") {
				t.Errorf("GET %s: a text without a catalog entry: %s", tc.path, body[strings.Index(body, "⟦"):][:60])
			}
			golden.Assert(t, filepath.Join("testdata", "golden", tc.name+".html"), []byte(body))
		})
	}
	// A dead link gets the site's own page, not problem+json.
	res, _ := get(t, app, "/peta-lama")
	if res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /peta-lama = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
