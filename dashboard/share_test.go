package dashboard

import (
	"bytes"
	"html"
	"image/png"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/figures/figurestest"
)

func newFixtureApp(t *testing.T) *fiber.App {
	t.Helper()
	h, err := newHandler(fixedModel(figurestest.Snapshot()), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	h.publicURL = "https://mpp.example.go.id"
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(app)
	return app
}

var metaRe = regexp.MustCompile(`<meta (?:property|name)="([a-z:_]+)" content="([^"]*)">`)

// metaTags reads a page's <meta property/name content> tags, unescaped.
func metaTags(body string) map[string]string {
	out := map[string]string{}
	for _, m := range metaRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// TestShareTags: every public page, in both languages, carries the Open Graph and Twitter card
// tags, its og:image is an absolute URL of a card that decodes as a 1200×630 PNG, and the
// description carries the page's headline figure and the data's as-of date.
func TestShareTags(t *testing.T) {
	app := newFixtureApp(t)
	year := strconv.Itoa(figurestest.Snapshot().DataAsOf.Year())
	for _, tc := range []struct {
		path, image, inDesc string
	}{
		{"/", "/share/id/indonesia.png", "kabupaten/kota"},
		{"/en", "/share/en/indonesia.png", "regencies and cities"},
		{"/provinsi/32", "/share/id/32.png", "Jawa Barat"},
		{"/en/provinsi/32", "/share/en/32.png", "Jawa Barat"},
		{"/wilayah/32.73", "/share/id/32.73.png", "Kota Bandung"},
		{"/wilayah/" + figurestest.HostileCode, "/share/id/" + figurestest.HostileCode + ".png", figurestest.HostileName},
		{"/progres?province=32", "/share/id/32.png", "Jawa Barat"},
		{"/progres", "/share/id/indonesia.png", ""},
		{"/fiskal", "/share/id/indonesia.png", ""},
		{"/en/barriers", "/share/en/indonesia.png", ""},
		{"/digital", "/share/id/indonesia.png", ""},
		{"/metodologi", "/share/id/indonesia.png", ""},
		{"/embed/peta", "/share/id/indonesia.png", ""},
	} {
		res, body := get(t, app, tc.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", tc.path, res.StatusCode)
		}
		tags := metaTags(body)
		for _, k := range []string{"og:title", "og:description", "og:image", "og:image:width", "og:image:height", "og:url",
			"og:locale", "twitter:card", "twitter:image", "description"} {
			if tags[k] == "" {
				t.Errorf("%s: no %s tag", tc.path, k)
			}
		}
		if want := "https://mpp.example.go.id" + tc.image; tags["og:image"] != want || tags["twitter:image"] != want {
			t.Errorf("%s: og:image %q, twitter:image %q; want %q", tc.path, tags["og:image"], tags["twitter:image"], want)
		}
		if !strings.HasPrefix(tags["og:url"], "https://mpp.example.go.id/") {
			t.Errorf("%s: og:url %q is not absolute", tc.path, tags["og:url"])
		}
		if !strings.Contains(tags["og:description"], tc.inDesc) || !strings.Contains(tags["og:description"], year) {
			t.Errorf("%s: og:description %q lacks %q or the as-of year", tc.path, tags["og:description"], tc.inDesc)
		}
		if strings.Contains(body, `content="`+figurestest.HostileName) {
			t.Errorf("%s: a tag carries the hostile name unescaped", tc.path)
		}
		img, ct := get(t, app, strings.TrimPrefix(tags["og:image"], "https://mpp.example.go.id"))
		if img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s: card %s = %d %s", tc.path, tags["og:image"], img.StatusCode, img.Header.Get("Content-Type"))
		}
		cfg, err := png.DecodeConfig(bytes.NewReader([]byte(ct)))
		if err != nil || cfg.Width != 1200 || cfg.Height != 630 {
			t.Errorf("%s: card decodes as %dx%d (%v), want 1200x630", tc.path, cfg.Width, cfg.Height, err)
		}
	}
}

// TestShareCardCache: a card is rendered once per Model (same ETag, a 304 on revalidation) and
// unknown scopes or languages are 404s.
func TestShareCardCache(t *testing.T) {
	app := newFixtureApp(t)
	a, _ := get(t, app, "/share/en/32.73.png")
	b, _ := get(t, app, "/share/en/32.73.png", "If-None-Match", a.Header.Get("ETag"))
	if a.StatusCode != http.StatusOK || b.StatusCode != http.StatusNotModified {
		t.Errorf("card then revalidation: %d, %d; want 200, 304", a.StatusCode, b.StatusCode)
	}
	for _, p := range []string{"/share/en/99.99.png", "/share/xx/32.png", "/share/id/32.jpg", "/share/id/3.png", "/share/id/indonesia"} {
		if res, _ := get(t, app, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
		}
	}
}
