package api

import (
	"net/http"
	"strings"
	"testing"
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
