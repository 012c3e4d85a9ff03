package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// fuzzEndpoints are the endpoints FuzzQuery tries, each with the fuzzed path suffix appended (for
// the three ending in "/" the suffix is the code or id) and the fuzzed query string. The exports
// are left out: their per-client limit would turn every input after the 30th into a 429.
var fuzzEndpoints = []string{
	"/api/v1/regions",
	"/api/v1/regions.geojson",
	"/api/v1/status",
	"/api/v1/changes",
	"/api/v1/changes.atom",
	"/api/v1/progress",
	"/api/v1/provinces/",
	"/api/v1/regions/",
	"/api/v1/sources/",
	"/api/v1/factors",
	"/api/v1/factors/model.csv",
}

// pathParams are the path parameters a problem may name instead of a query parameter.
var pathParams = []string{"code", "id"}

// FuzzQuery requests an endpoint with a fuzzed path suffix and query string, and holds the API
// to its error contract: never a 5xx (bad input is the client's, and nothing here may fail on
// it); every 4xx is application/problem+json whose status is the response's; every 400 is a
// parameter problem naming the parameter (a query key of the request, or the path's code or
// id); a 200 body parses as what the endpoint serves.
func FuzzQuery(f *testing.F) {
	for _, s := range []struct {
		endpoint      uint8
		suffix, query string
	}{
		{0, "", "province=32&status=no&kind=kabupaten"},
		{0, "", "province=3"},
		{0, "", "status=YES"},
		{0, "", "colour=red"},
		{0, "", "province=32&province=99"},
		{0, "", "=1"},
		{0, "", "&&"},
		{0, "", "%FF%FE=1"},
		{0, "", "status=%FF%FE"},
		{1, "", "detail=full&province=32"},
		{1, "", "detail="},
		{1, "", "detail=<script>"},
		{2, "", "as_of=2023-10-15"},
		{2, "", "as_of=2024-02-29"},
		{2, "", "as_of=2023-02-29"},
		{2, "", "as_of=0000-00-00"},
		{2, "", "as_of=1945-01-01"},
		{2, "", "as_of=2100-12-31"},
		{2, "", "as_of=99999999999999999999"},
		{2, "", "as_of=NaN"},
		{2, "", "as_of=<=2024"},
		{2, "", "as_of=%3C%3D%3C%3D2024"},
		{3, "", "from=2017-01-01&to=2025-12-31"},
		{3, "", "from=2025-01-01&to=2024-01-01"},
		{3, "", "from=1945-01-01&to=2100-12-31"},
		{4, "", "from=x"},
		{4, "", "from=2017-01-01"},
		{5, "", "province=32"},
		{5, "", "province=99"},
		{6, "32", ""},
		{6, "3x", ""},
		{6, "99", "x=1"},
		{7, "32.04", ""},
		{7, "32.7", ""},
		{7, "99.99", ""},
		{7, "32.04/", ""},
		{7, "%3Cimg%3E", ""},
		{8, "S08", ""},
		{8, "S999", ""},
		{8, "12", ""},
		{8, "S99999999999999999999999", ""},
		{9, "", "factor=fiscal"},
		{9, "", "factor=nope"},
		{10, "", "variant=main"},
		{10, "", "variant="},
		{10, "", "variant=%00"},
		{0, "/../provinces", ""},
		{0, "//", "province=32"},
	} {
		f.Add(s.endpoint, s.suffix, s.query)
	}
	app := newTestApp(f, testSnapshot(f))
	f.Fuzz(func(t *testing.T, endpoint uint8, suffix, query string) {
		target := fuzzEndpoints[int(endpoint)%len(fuzzEndpoints)] + suffix
		if query != "" {
			target += "?" + query
		}
		// httptest.NewRequest panics on a target that is no request line's, and a '#' never
		// reaches a server (RFC 9112 §3.2: no fragment in a request target; fasthttp would cut
		// it off as one); such input is not a request our server could receive.
		if strings.ContainsFunc(target, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '#' }) {
			t.Skip("not a request target")
		}
		if _, err := url.ParseRequestURI(target); err != nil {
			t.Skip("not a request target")
		}
		// A request line past the server's read buffer (fasthttp's 4 KiB default, which the
		// app keeps) never reaches a handler: fasthttp answers 431 itself, and app.Test reports
		// it as an error. The handlers' own limits are what is fuzzed here.
		if len(target) > 3500 {
			t.Skip("request line longer than the server reads")
		}
		resp, err := app.Test(httptest.NewRequest(http.MethodGet, target, nil), -1)
		if err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("GET %s = %d: %s", target, resp.StatusCode, body)
		}
		if resp.StatusCode >= 400 {
			checkProblem(t, target, resp, body)
			return
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d, want 200 or a problem: %s", target, resp.StatusCode, body)
		}
		// By the content type, not the endpoint: a suffix may reach another route
		// ("/factors" + "/model.csv", "/regions" + "/../openapi.json").
		ct := resp.Header.Get("Content-Type")
		if err := parses(ct, body); err != nil {
			t.Fatalf("GET %s = 200 with a body that is not %s: %v\n%s", target, ct, err, body)
		}
	})
}

// checkProblem asserts a 4xx response is a problem+json document for its own status and, for a
// 400, that it names the parameter at fault.
func checkProblem(t *testing.T, target string, resp *http.Response, body []byte) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("GET %s = %d with content type %q, want application/problem+json: %s", target, resp.StatusCode, ct, body)
	}
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("GET %s = %d: problem is not JSON: %v\n%s", target, resp.StatusCode, err, body)
	}
	if st, _ := p["status"].(float64); int(st) != resp.StatusCode {
		t.Errorf("GET %s = %d: problem says status %v", target, resp.StatusCode, p["status"])
	}
	if title, _ := p["title"].(string); title == "" {
		t.Errorf("GET %s = %d: problem without a title: %s", target, resp.StatusCode, body)
	}
	if resp.StatusCode != http.StatusBadRequest {
		return
	}
	// The API's 400s are all about a parameter (badParam, checkParams): the problem names it
	// (as "" for an argument without a name, which must then be in the query).
	param, ok := p["parameter"].(string)
	if !ok {
		t.Fatalf("GET %s = 400 without a parameter: %s", target, body)
	}
	if slices.Contains(pathParams, param) {
		return
	}
	u, _ := url.ParseRequestURI(target)
	if !slices.Contains(queryKeys(u.RawQuery), param) {
		t.Errorf("GET %s = 400 naming parameter %q, which the query does not have (keys %q)", target, param, queryKeys(u.RawQuery))
	}
}

// queryKeys are the keys of a raw query as a problem's JSON can show them: decoded as fasthttp
// decodes them (unescapeQuery) and through a JSON round trip (invalid UTF-8 becomes U+FFFD).
func queryKeys(raw string) []string {
	var keys []string
	for _, part := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(part, "=")
		b, _ := json.Marshal(unescapeQuery(k))
		var back string
		_ = json.Unmarshal(b, &back)
		keys = append(keys, back)
	}
	return keys
}

// unescapeQuery decodes a query key as fasthttp does (decodeArgAppend), leniently: "+" is a
// space, "%" and two hex digits a byte, any other "%" stays itself ("%%00" is "%\x00", which
// url.QueryUnescape rejects), and a "%" among the last two bytes leaves the rest undecoded.
func unescapeQuery(s string) string {
	unhex := func(c byte) (byte, bool) {
		switch {
		case '0' <= c && c <= '9':
			return c - '0', true
		case 'a' <= c && c <= 'f':
			return c - 'a' + 10, true
		case 'A' <= c && c <= 'F':
			return c - 'A' + 10, true
		}
		return 0, false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b.WriteByte(' ')
		case '%':
			if i+2 >= len(s) {
				b.WriteString(s[i:]) // fasthttp keeps a short tail as it is, "+" included
				return b.String()
			}
			hi, okHi := unhex(s[i+1])
			lo, okLo := unhex(s[i+2])
			if okHi && okLo {
				b.WriteByte(hi<<4 | lo)
				i += 2
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// parses checks a 200 body is a document of its content type.
func parses(contentType string, body []byte) error {
	switch mt, _, _ := strings.Cut(contentType, ";"); mt {
	case "application/json", "application/geo+json":
		if !json.Valid(body) {
			return errors.New("invalid JSON")
		}
		return nil
	case "application/atom+xml":
		d := xml.NewDecoder(bytes.NewReader(body))
		for {
			_, err := d.Token()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	case "text/csv":
		_, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		return err
	}
	return fmt.Errorf("unexpected content type %q", contentType)
}
