package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/figures/figurestest"
	"mppmap/golden"
)

// fixture is the API on the fixture snapshot (figurestest), with the ledger and the
// submissions as doubles (write_test.go's fakeWrites and fakeTokens): the app the examples are
// recorded on and the contract is checked against.
type fixture struct {
	app    *fiber.App
	h      *Handler
	writes *fakeWrites
	subs   *fakeSubmissions
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(log)})
	m := figures.Build(figurestest.Snapshot())
	f := &fixture{app: app, writes: &fakeWrites{m: m}, subs: &fakeSubmissions{}}
	f.h = New(figures.Fixed{M: m}, testCatalog(t), nil, log).WithWrites(f.writes, fakeTokens{
		"mpp_steward": {ID: 3, Email: "s@example.go.id", Role: data.RoleSteward, Unit: "Deputi"},
		"mpp_norole":  {ID: 4, Email: "n@example.go.id", Role: "viewer"},
	}).WithSubmissions(f.subs)
	f.h.Register(app)
	return f
}

// fixtureApp is newFixture's app and handler.
func fixtureApp(t testing.TB) (*fiber.App, *Handler) {
	t.Helper()
	f := newFixture(t)
	return f.app, f.h
}

// stateful operations need a token, a body or a fresh answer: the contract calls them with
// their exampleRequest (openapi_writes_test.go) instead of a plain GET.
func stateful(op operation) bool {
	return op.method != fiber.MethodGet || op.security != nil || op.noStore
}

// notReadyApp is the API before its first read model: every operation answers 503.
func notReadyApp(t testing.TB) *fiber.App {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(log)})
	New(figures.Fixed{}, testCatalog(t), nil, log).Register(app)
	return app
}

// exampleURL is an operation's path under Prefix with its path parameters' examples, and with
// every query parameter's example too when all is set.
func exampleURL(op operation, all bool) string {
	path, query := Prefix+op.path, []string{}
	for _, f := range paramFields(op) {
		switch {
		case f.Tag.Get("header") != "": // sent as a header by exampleRequest
		case f.Tag.Get("path") != "":
			path = strings.Replace(path, "{"+f.Tag.Get("path")+"}", f.Tag.Get("example"), 1)
		case all:
			query = append(query, f.Tag.Get("query")+"="+f.Tag.Get("example"))
		}
	}
	if len(query) > 0 {
		path += "?" + strings.Join(query, "&")
	}
	return path
}

func paramFields(op operation) []reflect.StructField {
	var out []reflect.StructField
	if op.params == nil {
		return out
	}
	t := reflect.TypeOf(op.params)
	for i := range t.NumField() {
		out = append(out, t.Field(i))
	}
	return out
}

// documentedHeaders are the response headers the document gives an operation's 200.
func documentedHeaders(op operation) []string {
	hs := []string{hdrETag, hdrCacheControl, hdrVary, hdrEncoding, hdrAllowOrigin, hdrExposeHeaders}
	if op.download {
		hs = append(hs, hdrDisposition)
	}
	if op.limited {
		hs = append(hs, hdrRateLimit, hdrRateRemaining, hdrRateReset)
	}
	return hs
}

// recordExamples requests every operation on the fixture and keeps what it answered: the
// examples of the document. The problems are one provoked answer per problem status.
func recordExamples(t *testing.T) examples {
	t.Helper()
	f := newFixture(t)
	app, h := f.app, f.h
	ex := examples{Operations: map[string]exampleResponse{}, Problems: map[string]exampleResponse{}}
	for _, op := range h.operations() {
		if stateful(op) {
			req := exampleRequest(t, f, op, false)
			r := req.send(t, app)
			if r.status != successStatus(op) {
				t.Fatalf("%s: %d %s", req, r.status, r.body)
			}
			e := exampleResponse{Request: req.String(), Headers: map[string]string{}}
			if req.body != "" {
				e.RequestBody = req.rawBody()
			}
			for _, hd := range op.headers {
				e.Headers[hd] = r.header.Get(hd)
			}
			var buf bytes.Buffer
			if err := json.Compact(&buf, r.body); err != nil {
				t.Fatalf("%s: %v", req, err)
			}
			e.Body = buf.Bytes()
			ex.Operations[op.id] = e
			continue
		}
		url := exampleURL(op, false)
		r := get(t, app, url)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", url, r.status, r.body)
		}
		e := exampleResponse{Request: "GET " + url, Headers: map[string]string{}}
		for _, hd := range documentedHeaders(op) {
			// Content-Encoding depends on the request; X-RateLimit-Reset counts down with the clock.
			if v := r.header.Get(hd); v != "" && hd != hdrEncoding && hd != hdrRateReset {
				e.Headers[hd] = v
			}
		}
		switch {
		case op.id == "openapi":
			// The document's own example is its outline: the whole would contain itself.
			var d map[string]json.RawMessage
			if err := json.Unmarshal(r.body, &d); err != nil {
				t.Fatal(err)
			}
			outline := map[string]json.RawMessage{"paths": json.RawMessage("{}"), "components": json.RawMessage("{}")}
			for _, k := range []string{"openapi", "info", "servers", "tags"} {
				outline[k] = d[k]
			}
			e.Body, _ = json.Marshal(outline)
			e.Headers = nil // its ETag would depend on the examples it carries
		case op.resp != nil:
			var buf bytes.Buffer
			if err := json.Compact(&buf, r.body); err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			e.Body = buf.Bytes()
		default:
			e.Body, _ = json.Marshal(string(r.body))
		}
		ex.Operations[op.id] = e
	}
	problems := map[int]func() (string, result){
		http.StatusBadRequest: func() (string, result) {
			u := Prefix + "/regions?province=3"
			return u, get(t, app, u)
		},
		http.StatusNotFound: func() (string, result) {
			u := Prefix + "/regions/99.99"
			return u, get(t, app, u)
		},
		http.StatusTooManyRequests: func() (string, result) {
			u := Prefix + "/export/regions.csv"
			for range ExportsPerMinute {
				get(t, app, u)
			}
			return u, get(t, app, u)
		},
		http.StatusServiceUnavailable: func() (string, result) {
			u := Prefix + "/provinces"
			return u, get(t, notReadyApp(t), u)
		},
	}
	// Every other status: the first operation that documents it, provoked as the contract does.
	for _, op := range h.operations() {
		for _, st := range documentedProblems(op) {
			if _, ok := problems[st]; ok || !stateful(op) {
				continue
			}
			problems[st] = func() (string, result) {
				req, ok := provoke(t, f, op, st)
				if !ok {
					t.Fatalf("%s %d: no way to provoke it", op.id, st)
				}
				defer f.reset()
				return req.String(), req.send(t, app)
			}
		}
	}
	for st, provoke := range problems {
		u, r := provoke()
		if r.status != st {
			t.Fatalf("%s: %d, want %d", u, r.status, st)
		}
		if !strings.Contains(u, " ") {
			u = "GET " + u
		}
		e := exampleResponse{Request: u, Headers: map[string]string{}, Body: r.body}
		for _, hd := range []string{hdrAllowOrigin} { // Retry-After counts down with the clock
			if v := r.header.Get(hd); v != "" {
				e.Headers[hd] = v
			}
		}
		ex.Problems[strconv.Itoa(st)] = e
	}
	return ex
}

// TestOpenAPIExamples keeps openapi_examples.json what the handlers answer on the fixture
// snapshot: go test ./api -update rewrites it (and testdata/openapi.json with it).
func TestOpenAPIExamples(t *testing.T) {
	got, err := json.MarshalIndent(recordExamples(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "openapi_examples.json", append(got, '\n'))
}

// TestOpenAPIGolden keeps the document under review: go test ./api -update rewrites
// testdata/openapi.json (which make lint-openapi lints) after an intended change. The document
// is built from freshly recorded examples, so one -update run writes both files consistently;
// the served document is the one built from the embedded examples.
func TestOpenAPIGolden(t *testing.T) {
	app, h := fixtureApp(t)
	raw, err := h.document(recordExamples(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	golden.Assert(t, filepath.Join("testdata", "openapi.json"), buf.Bytes())

	served := get(t, app, Prefix+"/openapi.json")
	want, err := h.Document()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(served.body, want) {
		t.Error("/openapi.json is not Document()")
	}
}

// TestRoutesAreDocumented: the routes Register mounts and the operations of openapi.json are the
// same set (method and path), so a route added without its document entry fails here.
func TestRoutesAreDocumented(t *testing.T) {
	app, h := fixtureApp(t)
	routes := map[string]bool{}
	param := regexp.MustCompile(`:([a-z]+)`)
	for _, r := range app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, Prefix+"/") || r.Method == fiber.MethodHead {
			continue
		}
		// Fiber writes path parameters as :code; OpenAPI as {code}.
		routes[r.Method+" "+param.ReplaceAllString(strings.TrimPrefix(r.Path, Prefix), "{$1}")] = true
	}
	documented := map[string]bool{}
	for path, item := range openAPIDoc(t, h)["paths"].(map[string]any) {
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

func openAPIDoc(t testing.TB, h *Handler) map[string]any {
	t.Helper()
	raw, err := h.Document()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// contract compiles the schemas of the document strictly: every object that lists properties
// gets additionalProperties false unless it says otherwise, so a member a handler sends that the
// document does not name fails validation. (The served document leaves objects open, so clients
// keep working when a member is added.)
type contract struct {
	t   testing.TB
	doc map[string]any
	c   *jsonschema.Compiler
}

const contractURL = "mem://mppmap/openapi.json"

func newContract(t testing.TB, h *Handler) *contract {
	t.Helper()
	raw, err := h.Document()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	closeObjects(doc)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(contractURL, doc); err != nil {
		t.Fatal(err)
	}
	return &contract{t: t, doc: doc.(map[string]any), c: c}
}

func closeObjects(v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["properties"]; ok {
			if _, open := x["additionalProperties"]; !open {
				x["additionalProperties"] = false
			}
		}
		for _, e := range x {
			closeObjects(e)
		}
	case []any:
		for _, e := range x {
			closeObjects(e)
		}
	}
}

// pointer is the JSON pointer of a path of keys.
func pointer(keys ...string) string {
	esc := strings.NewReplacer("~", "~0", "/", "~1")
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("/" + esc.Replace(k))
	}
	return b.String()
}

// at is the document's value at a path, following a $ref at the end.
func (k *contract) at(keys ...string) map[string]any {
	var v any = k.doc
	for _, key := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			k.t.Fatalf("no %s in the document", pointer(keys...))
		}
		v = m[key]
	}
	m, _ := v.(map[string]any)
	if r, ok := m["$ref"].(string); ok {
		return k.at(strings.Split(strings.TrimPrefix(r, "#/"), "/")...)
	}
	return m
}

// validate checks a value against the schema at a JSON pointer of the document.
func (k *contract) validate(ptr string, value any) error {
	s, err := k.c.Compile(contractURL + "#" + ptr)
	if err != nil {
		k.t.Fatalf("compile %s: %v", ptr, err)
	}
	return s.Validate(value)
}

func (k *contract) validateBody(ptr string, body []byte, media string) error {
	var v any = string(body)
	if strings.HasSuffix(media, "json") {
		var err error
		if v, err = jsonschema.UnmarshalJSON(bytes.NewReader(body)); err != nil {
			return fmt.Errorf("not JSON: %w", err)
		}
	}
	return k.validate(ptr, v)
}

// checkHeaders validates the response headers the document gives a response: present when
// required, and each value against its schema.
func (k *contract) checkHeaders(where string, resp map[string]any, header http.Header) {
	hs, _ := resp["headers"].(map[string]any)
	for name, hv := range hs {
		ref := strings.TrimPrefix(hv.(map[string]any)["$ref"].(string), "#")
		def := k.at(strings.Split(strings.TrimPrefix(ref, "/"), "/")...)
		v := header.Get(name)
		if v == "" {
			if def["required"] == true {
				k.t.Errorf("%s: header %s missing", where, name)
			}
			continue
		}
		var value any = v
		if def["schema"].(map[string]any)["type"] == "integer" {
			n, err := strconv.Atoi(v)
			if err != nil {
				k.t.Errorf("%s: header %s = %q, not an integer", where, name, v)
				continue
			}
			value = json.Number(strconv.Itoa(n))
		}
		if err := k.validate(ref+"/schema", value); err != nil {
			k.t.Errorf("%s: header %s = %q: %v", where, name, v, err)
		}
	}
}

// checkProblem validates a problem answer against the document's response of that status.
func (k *contract) checkProblem(where string, op operation, r result, want int) {
	if r.status != want {
		k.t.Errorf("%s: %d, want %d: %s", where, r.status, want, r.body)
		return
	}
	resps := k.at("paths", op.path, strings.ToLower(op.method), "responses")
	if _, ok := resps[strconv.Itoa(want)]; !ok {
		k.t.Errorf("%s: %d is not documented for %s", where, want, op.id)
		return
	}
	resp := k.at("paths", op.path, strings.ToLower(op.method), "responses", strconv.Itoa(want))
	if ct := r.header.Get("Content-Type"); ct != mediaProblem {
		k.t.Errorf("%s: content type %q", where, ct)
	}
	if err := k.validateBody(pointer("components", "schemas", "Problem"), r.body, mediaProblem); err != nil {
		k.t.Errorf("%s: problem does not match the document: %v\n%s", where, err, r.body)
	}
	var p Problem
	if err := json.Unmarshal(r.body, &p); err == nil && p.Status != want {
		k.t.Errorf("%s: problem status %d in a %d response", where, p.Status, want)
	}
	k.checkHeaders(where, resp, r.header)
}

// TestContract holds the handlers to the document: every GET operation, called on the fixture
// snapshot without and with its example parameters, answers what its schema says (no member
// more, none missing, each of its type, enum and pattern), with the documented headers, and
// 304 to its own ETag; every documented problem is provoked and its problem+json checked.
func TestContract(t *testing.T) {
	app, h := fixtureApp(t)
	k := newContract(t, h)
	notReady := notReadyApp(t)
	calls, problems := 0, 0
	// A well-formed value that names nothing in the fixture, per vocabulary.
	unknown := map[string]string{"province_code": "99", "region_code": "99.99", "source_id": "S999"}
	for _, op := range h.operations() {
		if stateful(op) {
			continue // TestContractWrites
		}
		for _, all := range []bool{false, true} {
			url := exampleURL(op, all)
			if all && url == exampleURL(op, false) {
				continue
			}
			calls++
			k.checkOK(app, op, url)
		}

		// 400: an unknown parameter, and a malformed value of each declared one.
		base := exampleURL(op, false)
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		bad := []struct{ url, param string }{{base + sep + "colour=red", "colour"}}
		for _, f := range paramFields(op) {
			if p := f.Tag.Get("path"); p != "" {
				bad = append(bad, struct{ url, param string }{strings.Replace(Prefix+op.path, "{"+p+"}", "x!", 1), p})
			} else {
				bad = append(bad, struct{ url, param string }{base + sep + f.Tag.Get("query") + "=x!", f.Tag.Get("query")})
			}
		}
		for _, b := range bad {
			r := get(t, app, b.url)
			problems++
			k.checkProblem(b.url, op, r, http.StatusBadRequest)
			if p := decode(t, r.body); p["parameter"] != b.param {
				t.Errorf("%s: problem names parameter %v, want %s", b.url, p["parameter"], b.param)
			}
		}
		// 404: a well-formed code or id that names nothing.
		if slices.Contains(op.problems, http.StatusNotFound) {
			provoked := false
			for _, f := range paramFields(op) {
				v, ok := unknown[f.Tag.Get("vocab")]
				if !ok {
					continue
				}
				url := base
				if p := f.Tag.Get("path"); p != "" {
					url = strings.Replace(Prefix+op.path, "{"+p+"}", v, 1)
				} else {
					url += sep + f.Tag.Get("query") + "=" + v
				}
				problems++
				provoked = true
				k.checkProblem(url, op, get(t, app, url), http.StatusNotFound)
			}
			if !provoked {
				t.Errorf("%s documents 404 but no parameter names something that could be unknown", op.id)
			}
		}
		// 429: the export limit.
		if op.limited {
			limited, url := fixtureAppFresh(t), exampleURL(op, false)
			for range ExportsPerMinute {
				get(t, limited, url)
			}
			problems++
			k.checkProblem(url, op, get(t, limited, url), http.StatusTooManyRequests)
		}
		// 503: before the read model is loaded.
		problems++
		k.checkProblem(base+" (not ready)", op, get(t, notReady, base), http.StatusServiceUnavailable)
		for _, st := range op.problems {
			if st != http.StatusNotFound {
				t.Errorf("%s documents %d: provoke it here", op.id, st)
			}
		}
	}
	t.Logf("contract (reads): %d operations, %d successful calls (each with its 304), %d problems provoked", len(h.operations()), calls, problems)
}

// checkOK calls a GET operation and checks its 200 (body, content type, headers) and the 304
// to its ETag against the document.
func (k *contract) checkOK(app *fiber.App, op operation, url string) {
	t := k.t
	method := strings.ToLower(op.method)
	resp := k.at("paths", op.path, method, "responses", "200")
	r := get(t, app, url)
	if r.status != http.StatusOK {
		t.Errorf("%s: %d %s", url, r.status, r.body)
		return
	}
	for media := range resp["content"].(map[string]any) {
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, media) {
			t.Errorf("%s: content type %q, documented %q", url, ct, media)
		}
		ptr := pointer("paths", op.path, method, "responses", "200", "content", media, "schema")
		if err := k.validateBody(ptr, r.body, media); err != nil {
			t.Errorf("%s: body does not match the document: %v", url, err)
		}
	}
	k.checkHeaders(url, resp, r.header)
	nm := get(t, app, url, "If-None-Match", r.header.Get("ETag"))
	if nm.status != http.StatusNotModified || len(nm.body) != 0 {
		t.Errorf("%s: If-None-Match its ETag → %d with %d bytes, want 304 without a body", url, nm.status, len(nm.body))
	}
	k.checkHeaders(url+" (304)", k.at("components", "responses", "NotModified"), nm.header)
}

// TestContractRealData holds the handlers to the document on the reference data (a database
// test): every GET operation without parameters or with its example query, every province and
// source, and the profile of every kab/kota — encoded as the handler encodes it, without the
// round trip (brotli at its best level for 514 bodies would cost minutes under -race).
func TestContractRealData(t *testing.T) {
	s := realSnapshot(t)
	app := newTestApp(t, s)
	m := figures.Build(s)
	h := New(figures.Fixed{M: m}, testCatalog(t), nil, nil)
	k := newContract(t, h)
	n := 0
	for _, op := range h.operations() {
		if stateful(op) || op.limited {
			continue
		}
		var urls []string
		switch op.id {
		case "region":
			ptr := pointer("paths", op.path, "get", "responses", "200", "content", mediaJSON, "schema")
			for _, r := range m.Regions {
				raw, err := marshal(h.profile(m, r))
				if err != nil {
					t.Fatal(err)
				}
				if err := k.validateBody(ptr, raw, mediaJSON); err != nil {
					t.Errorf("profile of %s does not match the document: %v", r.Code, err)
				}
				n++
			}
			continue
		case "province":
			for _, p := range s.Provinces {
				urls = append(urls, Prefix+"/provinces/"+p.Code)
			}
		case "source":
			for id := range s.Sources {
				urls = append(urls, Prefix+"/sources/"+id)
			}
		default: // the fixture's codes and ids are not the reference data's: no path parameters here
			urls = []string{exampleURL(op, false), exampleURL(op, true)}
		}
		for _, u := range urls {
			k.checkOK(app, op, u)
			n++
		}
	}
	t.Logf("contract on the reference data: %d bodies", n)
}

// fixtureAppFresh is a fixture app of its own, with a fresh export allowance.
func fixtureAppFresh(t testing.TB) *fiber.App {
	app, _ := fixtureApp(t)
	return app
}

// TestContractFailsOnDrift: the contract catches a member the document does not name, a
// renamed member and a retyped one.
func TestContractFailsOnDrift(t *testing.T) {
	_, h := fixtureApp(t)
	k := newContract(t, h)
	ptr := pointer("components", "schemas", "Share")
	good := `{"denominator":"bskdn","units":5,"with_mpp":3,"pct":60}`
	if err := k.validateBody(ptr, []byte(good), mediaJSON); err != nil {
		t.Fatalf("a valid share fails: %v", err)
	}
	for name, body := range map[string]string{
		"added":   `{"denominator":"bskdn","units":5,"with_mpp":3,"pct":60,"extra":1}`,
		"renamed": `{"denominator":"bskdn","units":5,"with":3,"pct":60}`,
		"retyped": `{"denominator":"bskdn","units":"5","with_mpp":3,"pct":60}`,
		"enum":    `{"denominator":"bps","units":5,"with_mpp":3,"pct":60}`,
		"null":    `{"denominator":"bskdn","units":null,"with_mpp":3,"pct":60}`,
	} {
		if k.validateBody(ptr, []byte(body), mediaJSON) == nil {
			t.Errorf("%s member not caught: %s", name, body)
		}
	}
}

// TestDocumentSaysUnitsAndNulls: every number says its unit and every nullable member says
// what null means, in its description; every operation has an example and every parameter one.
func TestDocumentSaysUnitsAndNulls(t *testing.T) {
	_, h := fixtureApp(t)
	doc := openAPIDoc(t, h)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var missing []string
	var walk func(where string, s map[string]any)
	walk = func(where string, s map[string]any) {
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			pm := p.(map[string]any)
			types := fmt.Sprint(pm["type"])
			_, described := pm["description"]
			if !described && (strings.Contains(types, "number") || strings.Contains(types, "integer") || strings.Contains(types, "null")) {
				missing = append(missing, where+"."+name)
			}
			walk(where+"."+name, pm)
			if items, ok := pm["items"].(map[string]any); ok {
				walk(where+"."+name+"[]", items)
			}
		}
	}
	for name, s := range schemas {
		walk(name, s.(map[string]any))
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s: a number or a nullable member without a description (its unit, what null means)", m)
	}
	ex := examples{}
	if err := json.Unmarshal(recordedExamples, &ex); err != nil {
		t.Fatal(err)
	}
	for _, op := range h.operations() {
		if _, ok := ex.Operations[op.id]; !ok {
			t.Errorf("%s: no recorded example (go test ./api -update)", op.id)
		}
		for _, f := range paramFields(op) {
			if f.Tag.Get("example") == "" || f.Tag.Get("description") == "" {
				t.Errorf("%s: parameter %s without an example or a description", op.id, f.Name)
			}
		}
		if op.summary == "" || op.tag == "" || op.id == "" {
			t.Errorf("%s %s: no id, tag or summary", op.method, op.path)
		}
	}
	for st, name := range problemResponses() {
		if _, ok := ex.Problems[strconv.Itoa(st)]; !ok && schemasUse(doc, name) {
			t.Errorf("problem %d (%s) is documented without a recorded example", st, name)
		}
	}
}

func schemasUse(doc map[string]any, response string) bool {
	_, ok := doc["components"].(map[string]any)["responses"].(map[string]any)[response]
	return ok
}

// TestVocabularies: every vocabulary named by a wire type exists, and the ones from lists are
// what the handlers validate against.
func TestVocabularies(t *testing.T) {
	if v := vocabularies()["status"].values; len(v) != len(data.Statuses) {
		t.Errorf("status vocabulary %v", v)
	}
	if got := queryNames(regionsQuery{}); !slices.Equal(got, []string{"province", "status", "kind"}) {
		t.Errorf("queryNames = %v", got)
	}
	if fiberPath("/regions/{code}") != "/regions/:code" {
		t.Error("fiberPath")
	}
}

// TestWriteOperationDeclaration: a write is one more entry of the table (here a stand-in for
// PATCH /regions/{code}/status): its body, If-Match header, bearer security and problems reach
// the document, and the bearerAuth scheme is declared once an operation uses it (and only then:
// an unused scheme fails the lint).
func TestWriteOperationDeclaration(t *testing.T) {
	type statusPatchParams struct {
		Code    string `path:"code" vocab:"region_code" example:"32.01" description:"The kab/kota."`
		IfMatch string `header:"If-Match" required:"true" example:"\"8fc582f8cb3edc62c1d7e7fb\"" description:"The ETag of the profile the change was made on."`
	}
	type statusPatch struct {
		Status    data.Status `json:"status"`
		AsOf      string      `json:"as_of" vocab:"pdate" description:"The source's date."`
		SourceIDs []string    `json:"source_ids" vocab:"source_id"`
	}
	_, h := fixtureApp(t)
	public, err := buildDocument(h.readOperations(), examples{})
	if err != nil {
		t.Fatal(err)
	}
	if len(public.Components.SecuritySchemes) != 0 {
		t.Errorf("security schemes declared without an operation using them: %v", public.Components.SecuritySchemes)
	}
	write := operation{method: fiber.MethodPatch, path: "/regions/{code}/status", id: "region_status_patch", tag: tagLedger,
		summary: "Change a region's status", params: statusPatchParams{}, body: statusPatch{}, resp: regionJSON{},
		problems: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusPreconditionFailed},
		security: []string{"bearerAuth"}}
	doc, err := buildDocument(append(h.readOperations(), write), examples{})
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := doc.Components.SecuritySchemes["bearerAuth"]; !ok || s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("bearerAuth = %+v", doc.Components.SecuritySchemes)
	}
	op := doc.Paths["/regions/{code}/status"]["patch"]
	if op == nil || len(op.Security) != 1 || op.RequestBody == nil {
		t.Fatalf("patch = %+v", op)
	}
	if _, ok := op.Security[0]["bearerAuth"]; !ok {
		t.Errorf("security = %v", op.Security)
	}
	for _, st := range []string{"200", "400", "401", "403", "404", "412", "503"} {
		if _, ok := op.Responses[st]; !ok {
			t.Errorf("no %s response", st)
		}
	}
	if _, ok := op.Responses["304"]; ok {
		t.Error("a write documents 304")
	}
	found := false
	for _, p := range op.Parameters {
		if dp, ok := p.(docParameter); ok && dp.Name == "If-Match" && dp.In == "header" && dp.Required {
			found = true
		}
	}
	if !found {
		t.Errorf("If-Match not documented: %v", op.Parameters)
	}
	if _, ok := doc.Components.Responses["PreconditionFailed"]; !ok {
		t.Error("the 412 response is not declared")
	}
}
