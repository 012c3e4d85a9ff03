package api

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/respond"
)

// decodeBody undoes the response's Content-Encoding.
func decodeBody(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	out, err := respond.Decode(enc, body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rawGet is a GET through app with header name/value pairs; the body as sent, still encoded.
func rawGet(t testing.TB, app *fiber.App, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// TestEncodingAPIRoutes checks the API's pre-encoded routes end to end with the common browser
// header and with gzip only: the decoded bodies equal the identity body.
func TestEncodingAPIRoutes(t *testing.T) {
	app := newTestApp(t, testSnapshot(t))
	for _, path := range []string{"/api/v1/provinces", "/api/v1/regions/32.73", "/api/v1/regions.geojson?detail=national",
		"/api/v1/regions.geojson?detail=full&province=32"} {
		_, identity := rawGet(t, app, path)
		for _, h := range []string{"gzip, deflate, br, zstd", "gzip", "br;q=0.5, gzip;q=1"} {
			resp, body := rawGet(t, app, path, "Accept-Encoding", h)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			enc := resp.Header.Get("Content-Encoding")
			if want := respond.Negotiate(h, true, true); enc != want {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", path, h, enc, want)
			}
			if got := decodeBody(t, enc, body); !bytes.Equal(got, identity) {
				t.Errorf("%s, Accept-Encoding %q: decoded body differs from the identity body", path, h)
			}
		}
	}
}
