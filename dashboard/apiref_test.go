package dashboard

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/figures/figurestest"
)

// withAPIDocument gives h the API's document as go test ./api keeps it (the golden copy of what
// /api/v1/openapi.json serves): the /api page is rendered from the same document.
func withAPIDocument(t testing.TB, h *Handler) *Handler {
	t.Helper()
	raw, err := os.ReadFile("../api/testdata/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.setAPIReference(raw); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestAPIReference: /api and /en/api render every operation, shared response and schema of the
// document, with its data as text, and load nothing but our own assets.
func TestAPIReference(t *testing.T) {
	h, err := newHandler(fixedModel(figurestest.Snapshot()), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	withAPIDocument(t, h)
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(app)
	for _, path := range []string{"/api", "/en/api"} {
		res, body := get(t, app, path)
		if res.StatusCode != fiber.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		for _, want := range []string{`id="op-region"`, `<code>GET /regions/{code}</code>`, `id="response-NotFound"`,
			`id="schema-ProfileResponse"`, `href="#schema-Region"`, `id="header-ETag"`, `href="/api/v1/regions/32.01"`,
			`href="/api/v1/openapi.json"`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: no %s", path, want)
			}
		}
		// The fixture's hostile name travels in the examples: as text.
		if strings.Contains(body, figurestest.HostileName) || !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("GET %s: the hostile name is not escaped text", path)
		}
		for _, m := range regexp.MustCompile(`<(?:script|link|img)[^>]*(?:src|href)="([^"]*)"`).FindAllStringSubmatch(body, -1) {
			if !strings.HasPrefix(m[1], "/") || strings.HasPrefix(m[1], "//") {
				t.Errorf("GET %s loads %q from another host", path, m[1])
			}
		}
	}
	// Every page links the reference from its footer, in its language.
	for path, want := range map[string]string{"/metodologi": `href="/api"`, "/en/metodologi": `href="/en/api"`, "/": `href="/api"`} {
		if _, body := get(t, app, path); strings.Count(body, want) < 1 {
			t.Errorf("GET %s: no link %s", path, want)
		}
	}
}

// TestAPIReferenceWithoutDocument: a server not given the document still answers /api, with
// the link to the document.
func TestAPIReferenceWithoutDocument(t *testing.T) {
	h, err := newHandler(fixedModel(figurestest.Snapshot()), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
	h.Register(app)
	res, body := get(t, app, "/en/api")
	if res.StatusCode != fiber.StatusOK || !strings.Contains(body, `href="/api/v1/openapi.json"`) {
		t.Errorf("GET /en/api = %d", res.StatusCode)
	}
}

// TestAPIReferenceRejectsBadDocument: a document that is not JSON fails at start-up, not on a
// reader's request.
func TestAPIReferenceRejectsBadDocument(t *testing.T) {
	h, err := newHandler(fixedModel(figurestest.Snapshot()), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	if h.setAPIReference([]byte("{")) == nil {
		t.Error("a broken document was accepted")
	}
}
