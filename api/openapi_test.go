package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/golden"
)

// TestOpenAPIMatchesResponses walks every documented path with its example parameters and checks
// the status, the content type and the required top-level members against the document.
func TestOpenAPIMatchesResponses(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	doc := decode(t, get(t, app, "/api/v1/openapi.json").body)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v", doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	if len(paths) != len(operations) {
		t.Fatalf("paths = %d, operations = %d", len(paths), len(operations))
	}
	for path, item := range paths {
		op := item.(map[string]any)["get"].(map[string]any)
		url, query := "/api/v1"+path, []string{}
		for _, p := range op["parameters"].([]any) {
			pm := p.(map[string]any)
			ex := pm["example"].(string)
			if pm["in"] == "path" {
				url = strings.Replace(url, "{"+pm["name"].(string)+"}", ex, 1)
			} else {
				query = append(query, pm["name"].(string)+"="+ex)
			}
		}
		if len(query) > 0 {
			url += "?" + strings.Join(query, "&")
		}
		r := get(t, app, url)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d %s", url, r.status, r.body)
			continue
		}
		content := op["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)
		for ct, c := range content {
			if !strings.HasPrefix(r.header.Get("Content-Type"), ct) {
				t.Errorf("%s: content type %q, documented %q", url, r.header.Get("Content-Type"), ct)
			}
			req, _ := c.(map[string]any)["schema"].(map[string]any)["required"].([]any)
			if len(req) == 0 {
				continue
			}
			body := decode(t, r.body)
			for _, f := range req {
				if _, ok := body[f.(string)]; !ok {
					t.Errorf("%s: required member %q missing", url, f)
				}
			}
		}
		if strings.HasPrefix(path, "/export/") && !strings.Contains(op["description"].(string), "per minute per client") {
			t.Errorf("%s: export limit not documented", path)
		}
	}
}

// TestRoutesAreDocumented: the routes Register mounts and the operations of openapi.json are the
// same set (method and path), so a route added without its document entry fails here.
func TestRoutesAreDocumented(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	routes := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, Prefix+"/") || r.Method == fiber.MethodHead {
			continue
		}
		// Fiber writes path parameters as :code; OpenAPI as {code}.
		p := regexp.MustCompile(`:([a-z]+)`).ReplaceAllString(strings.TrimPrefix(r.Path, Prefix), "{$1}")
		routes[r.Method+" "+p] = true
	}
	documented := map[string]bool{}
	for path, item := range OpenAPI()["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for r := range routes {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for d := range documented {
		if !routes[d] {
			t.Errorf("openapi.json documents %s, which no route serves", d)
		}
	}
	if len(routes) < 10 {
		t.Errorf("only %d routes found", len(routes))
	}
}

// TestOpenAPIGolden keeps openapi.json under review: go test ./api -update rewrites
// testdata/openapi.json after an intended change.
func TestOpenAPIGolden(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	r := get(t, app, "/api/v1/openapi.json")
	var buf bytes.Buffer
	if err := json.Indent(&buf, r.body, "", "  "); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	golden.Assert(t, filepath.Join("testdata", "openapi.json"), buf.Bytes())
}
