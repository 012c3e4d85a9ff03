package api

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"mppmap/data"
)

// encodingCases maps Accept-Encoding headers to the coding a pre-encoded body is served with
// ("" is the raw bytes).
var encodingCases = []struct {
	header, want string
}{
	{"", ""},
	{"   ", ""},
	{"identity", ""},
	{"gzip", "gzip"},
	{"GZIP", "gzip"},
	{"x-gzip", "gzip"},
	{"br", "br"},
	{"gzip, deflate, br", "br"},
	{"gzip, deflate, br, zstd", "br"},
	{"deflate", ""},
	{"zstd", ""},
	{"gzip;q=0", ""},
	{"gzip; q=0", ""},
	{"gzip;q=0.0", ""},
	{"gzip;q=0.000", ""},
	{"gzip;q=0.001", "gzip"},
	{"gzip;q=0.5", "gzip"},
	{"br;q=0", ""},
	{"br;q=0, gzip", "gzip"},
	{"gzip, br;q=0", "gzip"},
	{"br;q=0.5, gzip;q=1", "gzip"},
	{"br;q=0.5, gzip;q=1.0", "gzip"},
	{"br;q=1, gzip;q=0.5", "br"},
	{"br;q=0.8, gzip;q=0.8", "br"},
	{"br;q=0.5, gzip", "gzip"},
	{"gzip;q=0.9, br", "br"},
	{"*", "br"},
	{"*;q=0", ""},
	{"*;q=0.5, br;q=0", "gzip"},
	{"*, gzip;q=0", "br"},
	{"gzip;q=0.2, *;q=0.4", "br"},
	{"br;q=0, gzip;q=0, *", ""},
	{"identity;q=1, gzip;q=0.5", ""},
	{"identity;q=0.5, gzip", "gzip"},
	{"identity;q=0, br;q=0.1", "br"},
	{"gzip;q=abc", ""},
	{"gzip;q=2", ""},
	{"gzip;q=-1", ""},
	{"gzip;q=NaN", ""},
	{"gzip;level=9", "gzip"},
	{"gzip;level=1;q=0", ""},
	{",,gzip,,", "gzip"},
	{"compress, gzip;q=0.3", "gzip"},
}

func TestEncodingNegotiation(t *testing.T) {
	for _, tc := range encodingCases {
		if got := negotiateEncoding(tc.header, true, true); got != tc.want {
			t.Errorf("Accept-Encoding %q → %q, want %q", tc.header, got, tc.want)
		}
	}
	// A body without a brotli copy falls back to gzip, and the other way round.
	if got := negotiateEncoding("br, gzip;q=0.5", false, true); got != "gzip" {
		t.Errorf("no brotli copy: %q, want gzip", got)
	}
	if got := negotiateEncoding("br;q=0.5, gzip", true, false); got != "br" {
		t.Errorf("no gzip copy: %q, want br", got)
	}
	if got := negotiateEncoding("br", false, true); got != "" {
		t.Errorf("br only, no brotli copy: %q, want raw", got)
	}
	// acceptsGzip (bodies encoded per request) follows the same rules.
	for h, want := range map[string]bool{"gzip": true, "gzip;q=0": false, "gzip;q=0.5": true, "br": false, "*": true, "": false} {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}

// decodeBody undoes the response's Content-Encoding.
func decodeBody(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("bad gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", enc, err)
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

// TestEncodingServedBodies serves a pre-encoded body under every header of the table: the coding
// chosen is the one negotiated, Vary is always set, and every decoded body is Raw byte for byte.
func TestEncodingServedBodies(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"features":[`)
	for i := range 3000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"code":"%02d.%02d","name":"Kabupaten %d","v":%d}`, i%97, i%89, i, i*i%1013)
	}
	sb.WriteString(`]}`)
	b, err := data.NewBody("application/json", []byte(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Brotli) == 0 || len(b.Gzip) == 0 || len(b.Brotli) >= len(b.Raw) {
		t.Fatalf("NewBody: raw %d, gzip %d, brotli %d", len(b.Raw), len(b.Gzip), len(b.Brotli))
	}
	app := fiber.New()
	app.Get("/body", func(c *fiber.Ctx) error { return serveBody(c, b) })
	for _, tc := range encodingCases {
		resp, body := rawGet(t, app, "/body", "Accept-Encoding", tc.header)
		enc := resp.Header.Get("Content-Encoding")
		if enc != tc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.header, enc, tc.want)
		}
		if v := resp.Header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: Vary %q", tc.header, v)
		}
		if resp.Header.Get("ETag") != b.ETag {
			t.Errorf("Accept-Encoding %q: ETag %q, want %q for every coding", tc.header, resp.Header.Get("ETag"), b.ETag)
		}
		if got := decodeBody(t, enc, body); !bytes.Equal(got, b.Raw) {
			t.Errorf("Accept-Encoding %q (%s): decoded body (%d bytes) differs from Raw (%d bytes)", tc.header, enc, len(got), len(b.Raw))
		}
	}
	// 304s carry Vary too, so a cache never serves one coding's validator for another.
	resp, _ := rawGet(t, app, "/body", "Accept-Encoding", "br", "If-None-Match", b.ETag)
	if resp.StatusCode != http.StatusNotModified || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("If-None-Match: %d, Vary %q", resp.StatusCode, resp.Header.Get("Vary"))
	}
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
			if want := negotiateEncoding(h, true, true); enc != want {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", path, h, enc, want)
			}
			if got := decodeBody(t, enc, body); !bytes.Equal(got, identity) {
				t.Errorf("%s, Accept-Encoding %q: decoded body differs from the identity body", path, h)
			}
		}
	}
}
