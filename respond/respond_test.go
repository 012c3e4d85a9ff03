package respond

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
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

func TestNegotiate(t *testing.T) {
	for _, tc := range encodingCases {
		if got := Negotiate(tc.header, true, true); got != tc.want {
			t.Errorf("Accept-Encoding %q → %q, want %q", tc.header, got, tc.want)
		}
	}
	// A body without a brotli copy falls back to gzip, and the other way round.
	if got := Negotiate("br, gzip;q=0.5", false, true); got != "gzip" {
		t.Errorf("no brotli copy: %q, want gzip", got)
	}
	if got := Negotiate("br;q=0.5, gzip", true, false); got != "br" {
		t.Errorf("no gzip copy: %q, want br", got)
	}
	if got := Negotiate("br", false, true); got != "" {
		t.Errorf("br only, no brotli copy: %q, want raw", got)
	}
}

func TestNoneMatch(t *testing.T) {
	const etag = `"abc"`
	tests := []struct {
		name, header string
		want         bool
	}{
		{"empty", "", false},
		{"star", "*", true},
		{"star with spaces", "  * ", true},
		{"exact", `"abc"`, true},
		{"weak matches strong (weak comparison)", `W/"abc"`, true},
		{"list, second", `"x", "abc"`, true},
		{"list, no spaces", `"x","abc"`, true},
		{"list, none", `"x", "y"`, false},
		{"comma inside a tag", `"a,b", "abc"`, true},
		{"comma inside a tag is not a split", `"ab,c"`, false},
		{"unquoted is malformed", `abc`, false},
		{"prefix only", `"ab"`, false},
		{"unterminated", `"abc`, false},
		{"malformed after a match", `"abc", garbage`, true},
		{"malformed before a match", `garbage, "abc"`, false},
		{"empty members", `,, "abc" ,`, true},
		{"star inside a list is not a wildcard", `"x", *`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NoneMatch(tt.header, etag); got != tt.want {
				t.Errorf("NoneMatch(%q, %s) = %v, want %v", tt.header, etag, got, tt.want)
			}
		})
	}
	if !NoneMatch(`"abc"`, `W/"abc"`) {
		t.Error("a weak ETag of ours must match its strong form")
	}
}

// decodeBody undoes a response's Content-Encoding.
func decodeBody(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	out, err := Decode(enc, body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func get(t *testing.T, app *fiber.App, path string, hdr ...string) (*http.Response, []byte) {
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

func sampleJSON() []byte {
	var sb strings.Builder
	sb.WriteString(`{"features":[`)
	for i := range 3000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"code":"%02d.%02d","name":"Kabupaten %d","v":%d}`, i%97, i%89, i, i*i%1013)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

// TestServe serves bodies built each way under every header of the table: the coding chosen is
// the one negotiated, Vary and Cache-Control are always set, every decoded body is Raw byte for
// byte, and If-None-Match lists are honoured.
func TestServe(t *testing.T) {
	raw := sampleJSON()
	best, err := New("application/json", raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(best.Brotli) == 0 || len(best.Gzip) == 0 || len(best.Brotli) >= len(best.Gzip) {
		t.Fatalf("New: raw %d, gzip %d, brotli %d", len(best.Raw), len(best.Gzip), len(best.Brotli))
	}
	fast, err := NewEncoder().Encode("application/json", raw)
	if err != nil {
		t.Fatal(err)
	}
	if fast.Brotli != nil || fast.Gzip == nil || fast.ETag != best.ETag {
		t.Fatalf("Encode: gzip %d, brotli %d, ETag %s vs %s", len(fast.Gzip), len(fast.Brotli), fast.ETag, best.ETag)
	}
	for name, b := range map[string]*Body{"best": best, "fast": fast} {
		app := fiber.New()
		app.Get("/body", func(c *fiber.Ctx) error { return Serve(c, b, CacheData) })
		for _, tc := range encodingCases {
			resp, body := get(t, app, "/body", "Accept-Encoding", tc.header)
			enc := resp.Header.Get("Content-Encoding")
			if want := Negotiate(tc.header, b.Brotli != nil, b.Gzip != nil); enc != want {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", name, tc.header, enc, want)
			}
			if v := resp.Header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") {
				t.Errorf("%s, Accept-Encoding %q: Vary %q", name, tc.header, v)
			}
			if resp.Header.Get("ETag") != b.ETag || resp.Header.Get("Cache-Control") != CacheData {
				t.Errorf("%s, Accept-Encoding %q: ETag %q, Cache-Control %q", name, tc.header, resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
			}
			if got := decodeBody(t, enc, body); !bytes.Equal(got, b.Raw) {
				t.Errorf("%s, Accept-Encoding %q (%s): decoded body differs from Raw", name, tc.header, enc)
			}
		}
		// 304s carry Vary too, so a cache never serves one coding's validator for another.
		for _, inm := range []string{b.ETag, `"other", ` + b.ETag, "W/" + b.ETag, "*"} {
			resp, body := get(t, app, "/body", "Accept-Encoding", "br", "If-None-Match", inm)
			if resp.StatusCode != http.StatusNotModified || len(body) != 0 || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s, If-None-Match %s: %d, %d bytes, Vary %q", name, inm, resp.StatusCode, len(body), resp.Header.Get("Vary"))
			}
		}
		if resp, _ := get(t, app, "/body", "If-None-Match", `"other"`); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: a stale ETag answered %d", name, resp.StatusCode)
		}
	}
}

// TestServeNeverNotModifiedForErrors: an error page's ETag must not turn a 404 into a 304.
func TestServeNeverNotModifiedForErrors(t *testing.T) {
	b, err := New("text/html", []byte("<p>not found</p>"))
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	app.Get("/gone", func(c *fiber.Ctx) error { c.Status(fiber.StatusNotFound); return Serve(c, b, CachePage) })
	resp, body := get(t, app, "/gone", "If-None-Match", b.ETag)
	if resp.StatusCode != http.StatusNotFound || string(body) != "<p>not found</p>" {
		t.Errorf("GET /gone with its ETag = %d %q, want the 404 page", resp.StatusCode, body)
	}
}

func TestSmallBodiesStayRaw(t *testing.T) {
	b, err := NewEncoder().Encode("application/json", []byte(`{"ok":true}`))
	if err != nil {
		t.Fatal(err)
	}
	if b.Gzip != nil || b.Brotli != nil {
		t.Errorf("a 11-byte body got gzip %d / brotli %d bytes", len(b.Gzip), len(b.Brotli))
	}
	p, err := Precompressed("text/css", []byte(strings.Repeat("a{color:red}", 200)), nil, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Gzip == nil || p.Brotli == nil {
		t.Errorf("Precompressed: gzip %d, brotli %d", len(p.Gzip), len(p.Brotli))
	}
}

func BenchmarkNew(b *testing.B) {
	raw := sampleJSON()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := New("application/json", raw); err != nil {
			b.Fatal(err)
		}
	}
}
