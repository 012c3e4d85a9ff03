package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/swaggest/jsonschema-go"

	"mppmap/respond"
)

// The OpenAPI 3.1 document is generated from the operations (operations.go) and the Go types the
// handlers encode: github.com/swaggest/jsonschema-go reflects each wire type into a JSON Schema
// (2020-12, what OpenAPI 3.1 uses), so a field added to a response type is in the document with
// its JSON name, type and nullability without a second edit. Our rules on top of its defaults:
//   - a field without omitempty is required (encoding/json always writes it);
//   - a pointer is nullable; a slice or map is not (handlers send [] and {}, never null);
//   - `vocab:"name"` (and `keys:"name"` for map keys) gives the enum or pattern of vocab.go;
//   - component names are the Go type's, without a JSON suffix (regionJSON → Region).
//
// Examples are the handlers' own responses on the fixture snapshot (figurestest), recorded in
// openapi_examples.json by TestOpenAPIExamples (go test ./api -update).

//go:embed openapi_examples.json
var recordedExamples []byte

// examples are responses recorded on the fixture snapshot.
type examples struct {
	// Operations are each operation's 200 response, by operation id.
	Operations map[string]exampleResponse `json:"operations"`
	// Problems are one problem+json answer per documented status ("400", "404", …).
	Problems map[string]exampleResponse `json:"problems"`
}

// exampleResponse is one recorded response: the request, the documented headers and the body
// (a JSON body as JSON, any other as a JSON string).
type exampleResponse struct {
	Request     string            `json:"request"`
	RequestBody json.RawMessage   `json:"request_body,omitempty"` // what a write sent
	Headers     map[string]string `json:"headers,omitempty"`
	Body        json.RawMessage   `json:"body"`
}

// The document's own shape: the parts of OpenAPI 3.1 mppmap writes.
type (
	document struct {
		OpenAPI    string                              `json:"openapi"`
		Info       docInfo                             `json:"info"`
		Servers    []docServer                         `json:"servers"`
		Tags       []docTag                            `json:"tags"`
		Paths      map[string]map[string]*docOperation `json:"paths"`
		Components docComponents                       `json:"components"`
		schemas    map[string]jsonschema.SchemaOrBool  // collected while reflecting
		problems   map[int]bool                        // problem statuses the operations answer
	}
	docInfo struct {
		Title       string     `json:"title"`
		Version     string     `json:"version"`
		Description string     `json:"description"`
		License     docLicense `json:"license"`
	}
	docLicense struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	}
	docServer struct {
		URL         string `json:"url"`
		Description string `json:"description"`
	}
	docTag struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	docOperation struct {
		OperationID string                `json:"operationId"`
		Tags        []string              `json:"tags"`
		Summary     string                `json:"summary"`
		Description string                `json:"description,omitempty"`
		Parameters  []any                 `json:"parameters"`
		RequestBody *docRequestBody       `json:"requestBody,omitempty"`
		Responses   map[string]any        `json:"responses"`
		Security    []map[string][]string `json:"security"` // [] for a public read: no scheme applies
	}
	docParameter struct {
		Name        string             `json:"name"`
		In          string             `json:"in"`
		Required    bool               `json:"required"`
		Description string             `json:"description"`
		Schema      *jsonschema.Schema `json:"schema"`
		Example     any                `json:"example,omitempty"`
	}
	docRequestBody struct {
		Required bool                    `json:"required"`
		Content  map[string]docMediaType `json:"content"`
	}
	docResponse struct {
		Description string                  `json:"description"`
		Headers     map[string]any          `json:"headers,omitempty"`
		Content     map[string]docMediaType `json:"content,omitempty"`
	}
	docMediaType struct {
		Schema  any             `json:"schema"`
		Example json.RawMessage `json:"example,omitempty"`
	}
	docHeader struct {
		Description string             `json:"description"`
		Required    bool               `json:"required"`
		Schema      *jsonschema.Schema `json:"schema"`
		Example     any                `json:"example,omitempty"`
	}
	docSecurityScheme struct {
		Type         string `json:"type"`
		Scheme       string `json:"scheme"`
		BearerFormat string `json:"bearerFormat,omitempty"`
		Description  string `json:"description"`
	}
	docComponents struct {
		Schemas         map[string]jsonschema.SchemaOrBool `json:"schemas"`
		Parameters      map[string]docParameter            `json:"parameters"`
		Headers         map[string]docHeader               `json:"headers"`
		Responses       map[string]docResponse             `json:"responses"`
		SecuritySchemes map[string]docSecurityScheme       `json:"securitySchemes,omitempty"`
	}
	ref struct {
		Ref string `json:"$ref"`
	}
)

// documentJSON is the outline of this document, the 200 body of /openapi.json; its full schema
// is the OpenAPI 3.1 specification's.
type documentJSON struct {
	OpenAPI    string         `json:"openapi" const:"3.1.0" description:"OpenAPI version of this document."`
	Info       map[string]any `json:"info" description:"Title, version, description and licence of the API."`
	Servers    []any          `json:"servers" description:"Where the API is served: relative to the host serving this document."`
	Tags       []any          `json:"tags" description:"Groups of operations."`
	Paths      map[string]any `json:"paths" description:"Every operation, by path under the server URL."`
	Components map[string]any `json:"components" description:"Schemas, parameters, headers, responses and security schemes the operations refer to."`
}

// Components named in the document.
const (
	hdrETag           = "ETag"
	hdrCacheControl   = "Cache-Control"
	hdrVary           = "Vary"
	hdrEncoding       = "Content-Encoding"
	hdrAllowOrigin    = "Access-Control-Allow-Origin"
	hdrExposeHeaders  = "Access-Control-Expose-Headers"
	hdrDisposition    = "Content-Disposition"
	hdrRetryAfter     = "Retry-After"
	hdrRateLimit      = "X-RateLimit-Limit"
	hdrRateRemaining  = "X-RateLimit-Remaining"
	hdrRateReset      = "X-RateLimit-Reset"
	hdrLocation       = "Location"
	compNoStore       = "CacheControlNoStore" // the Cache-Control header of what is never cached
	paramIfNoneMatch  = "IfNoneMatch"
	mediaJSON         = "application/json"
	mediaProblem      = "application/problem+json"
	exposedHeaders    = "ETag, Content-Disposition" // what cors lets scripts of other origins read
	exampleHeadersFor = "provinces"                 // the operation whose recorded headers the header components show
)

// problemResponses names the component response of each problem status an operation may declare.
func problemResponses() map[int]string {
	return map[int]string{
		fiber.StatusBadRequest:            "BadRequest",
		fiber.StatusUnauthorized:          "Unauthorized",
		fiber.StatusForbidden:             "Forbidden",
		fiber.StatusNotFound:              "NotFound",
		fiber.StatusConflict:              "Conflict",
		fiber.StatusPreconditionFailed:    "PreconditionFailed",
		fiber.StatusRequestEntityTooLarge: "TooLarge",
		fiber.StatusUnsupportedMediaType:  "UnsupportedMediaType",
		fiber.StatusUnprocessableEntity:   "Invalid",
		fiber.StatusPreconditionRequired:  "PreconditionRequired",
		fiber.StatusTooManyRequests:       "TooManyRequests",
		fiber.StatusServiceUnavailable:    "NotReady",
	}
}

// problemDescriptions say when each problem is answered.
func problemDescriptions() map[int]string {
	return map[int]string{
		fiber.StatusBadRequest: "A query parameter the operation does not know, or a malformed value: `parameter` names it " +
			"and `detail` says what is allowed; for a body, malformed JSON (where) or a refused submission token.",
		fiber.StatusUnauthorized: "No bearer token, or one that is unknown, revoked or of a disabled account " +
			"(WWW-Authenticate: Bearer).",
		fiber.StatusForbidden:          "The token's account has a role that may not change the ledger.",
		fiber.StatusNotFound:           "A well-formed code or id that names nothing (`detail` repeats it).",
		fiber.StatusConflict:           "The change conflicts with the ledger: the source exists already, the ledger changed since the bulk update's dry run (`plan` is a fresh one), or the submission is a duplicate or its region's queue is full.",
		fiber.StatusPreconditionFailed: "If-Match does not match: the region changed since its profile was read. GET it again and re-apply the change.",
		fiber.StatusRequestEntityTooLarge: fmt.Sprintf("The body is too large (JSON at most %d KiB, CSV at most %d MiB).",
			MaxJSONBody>>10, MaxCSVBody>>20),
		fiber.StatusUnsupportedMediaType: "The body is not of the content type the operation takes.",
		fiber.StatusUnprocessableEntity:  "The change breaks the ledger's rules: `errors` names each bad field, `plan` each problem of a bulk file. Nothing was written.",
		fiber.StatusPreconditionRequired: "If-Match is missing: a change must name what it was based on.",
		fiber.StatusTooManyRequests: fmt.Sprintf("Too many requests from one client (by IP; behind trusted proxies, the "+
			"client they name): more than %d exports a minute, or too many submissions. Retry-After says when to try again.", ExportsPerMinute),
		fiber.StatusServiceUnavailable: "The read model is not loaded yet (the server is starting and importing), or a " +
			"geometry layer is missing from it; for a write, writes are not enabled on this instance, or the database is " +
			"unavailable or busy with an import (Retry-After). Retry shortly.",
	}
}

// securitySchemes are the schemes an operation may name; the document declares those in use.
func securitySchemes() map[string]docSecurityScheme {
	return map[string]docSecurityScheme{
		"bearerAuth": {Type: "http", Scheme: "bearer", BearerFormat: "opaque",
			Description: "An API token (`mppmap token create`), sent as `Authorization: Bearer <token>`. Tokens belong to a steward or admin account; writes are audited."},
	}
}

// Document is the OpenAPI 3.1 document of the API as served at /api/v1/openapi.json, with the
// examples recorded on the fixture snapshot. It does not depend on the data: cmd/mppmap hands it
// to the dashboard's /api page.
func (h *Handler) Document() ([]byte, error) {
	var ex examples
	if err := json.Unmarshal(recordedExamples, &ex); err != nil {
		return nil, fmt.Errorf("openapi examples: %w", err)
	}
	return h.document(ex)
}

func (h *Handler) document(ex examples) ([]byte, error) {
	doc, err := buildDocument(h.operations(), ex)
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

// buildDocument describes ops; ex gives the examples (missing ones are left out).
func buildDocument(ops []operation, ex examples) (*document, error) {
	doc := &document{
		OpenAPI: "3.1.0",
		Info: docInfo{Title: "mppmap open data API", Version: "1",
			Description: "Mal Pelayanan Publik (MPP) coverage of Indonesia's 514 kab/kota, served from an in-memory read model.\n\n" +
				"Every JSON response carries `meta`: the data's as-of date, when the reference data was imported, and the licence note. " +
				"Figures carry their sources (`sources`, `source_ids`: see /sources). Four statuses are kept apart: `yes` (has an MPP), " +
				"`in_progress` (in preparation), `no` (no MPP, according to a source) and `unknown` (no source yet) — unknown is never counted or drawn as no. " +
				"Shares use two denominators: `bskdn` (all 514 kab/kota) and `kemenpanrb` (508 autonomous kab/kota plus DKI Jakarta once). " +
				"Dates keep the precision of their source: YYYY-MM-DD, YYYY-MM, YYYY, or <=DATE (existed by that date); nothing is made more precise.\n\n" +
				"Bodies are encoded once per data snapshot with a strong ETag: send If-None-Match to get 304 Not Modified; " +
				"gzip and brotli are negotiated by Accept-Encoding. CORS is open (Access-Control-Allow-Origin: *) for GET. " +
				"Errors are application/problem+json (RFC 9457) naming the bad parameter and what is allowed; bad input is always a 4xx.",
			License: docLicense{Name: "Per dataset (see /api/v1/sources); boundaries MIT, © 2024 Cahya DSN",
				URL: "https://github.com/cahyadsn/wilayah_boundaries"}},
		Servers: []docServer{{URL: Prefix, Description: "This host"}},
		Tags: []docTag{
			{Name: tagRegions, Description: "Provinces and kab/kota: status, profiles, boundaries."},
			{Name: tagProgress, Description: "Counts over time, pace, targets, status on a date, changes."},
			{Name: tagAnalysis, Description: "Fiscal groups, inhibiting factors, the barrier analysis, digital MPP, costs."},
			{Name: tagSources, Description: "The sources every figure cites, and the dataset files."},
			{Name: tagDownloads, Description: "Everything in one file (limited per client)."},
			{Name: tagLedger, Description: "Stewards' changes to the ledger and its audit log, with an API token (bearerAuth); every change is audited and reaches every instance's read model."},
			{Name: tagSubmissions, Description: "Readers' sources for a region's status, reviewed by stewards before anything changes."},
			{Name: tagMeta, Description: "This document."},
		},
		Paths:    map[string]map[string]*docOperation{},
		schemas:  map[string]jsonschema.SchemaOrBool{},
		problems: map[int]bool{},
	}
	r := newReflector(doc)
	used := map[string]bool{}
	for _, op := range ops {
		o, err := describeOperation(r, op, ex, doc.problems)
		if err != nil {
			return nil, fmt.Errorf("openapi: %s %s: %w", op.method, op.path, err)
		}
		for _, s := range op.security {
			used[s] = true
		}
		if doc.Paths[op.path] == nil {
			doc.Paths[op.path] = map[string]*docOperation{}
		}
		doc.Paths[op.path][strings.ToLower(op.method)] = o
	}
	comps, err := components(r, used, doc.problems, ex)
	if err != nil {
		return nil, err
	}
	comps.Schemas = doc.schemas
	doc.Components = comps
	return doc, nil
}

// newReflector is jsonschema-go's reflector with our rules (see the top of this file); the
// definitions it collects land in doc's component schemas.
func newReflector(doc *document) *reflector {
	vocabs, types := vocabularies(), typeVocab()
	r := &reflector{vocabs: vocabs}
	r.DefaultOptions = append(r.DefaultOptions,
		// A nullable field of a named struct type is anyOf null and its $ref.
		func(rc *jsonschema.ReflectContext) { rc.EnvelopNullability = true },
		jsonschema.DefinitionsPrefix("#/components/schemas/"),
		jsonschema.CollectDefinitions(func(name string, s jsonschema.Schema) { doc.schemas[name] = s.ToSchemaOrBool() }),
		jsonschema.InterceptDefName(func(t reflect.Type, _ string) string {
			n := strings.TrimSuffix(t.Name(), "JSON")
			return strings.ToUpper(n[:1]) + n[1:]
		}),
		jsonschema.InterceptNullability(func(p jsonschema.InterceptNullabilityParams) {
			if k := p.Type.Kind(); p.NullAdded && (k == reflect.Slice || k == reflect.Map) {
				p.Schema.RemoveType(jsonschema.Null)
			}
		}),
		jsonschema.InterceptSchema(func(p jsonschema.InterceptSchemaParams) (bool, error) {
			if !p.Processed || !p.Value.IsValid() {
				return false, nil
			}
			t := p.Value.Type()
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if name, ok := types[t]; ok {
				return false, applyVocab(vocabs, p.Schema, name)
			}
			if t.Kind() == reflect.Map {
				if name, ok := types[t.Key()]; ok {
					keys := &jsonschema.Schema{}
					keys.AddType(jsonschema.String)
					if err := applyVocab(vocabs, keys, name); err != nil {
						return false, err
					}
					p.Schema.WithPropertyNames(keys.ToSchemaOrBool())
				}
			}
			return false, nil
		}),
		jsonschema.InterceptProp(func(p jsonschema.InterceptPropParams) error {
			if !p.Processed {
				return nil
			}
			if tag := p.Field.Tag.Get("json"); !strings.Contains(tag, ",omitempty") {
				p.ParentSchema.Required = append(p.ParentSchema.Required, p.Name)
			}
			nullableRefValues(p.PropertySchema, p.Field.Type)
			return fieldVocab(vocabs, p.PropertySchema, p.Field)
		}),
	)
	return r
}

// reflector is jsonschema-go's, with the vocabularies the parameters also read.
type reflector struct {
	jsonschema.Reflector
	vocabs map[string]vocab
}

// schemaRef reflects a body type: a $ref to its component schema.
func (r *reflector) schemaRef(v any) (any, error) {
	s, err := r.Reflect(v, jsonschema.RootRef)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// nullableRefValues lets the values of a map of pointers to a named struct (or the items of such
// a slice) be null: jsonschema-go gives them the bare $ref.
func nullableRefValues(s *jsonschema.Schema, t reflect.Type) {
	var target *jsonschema.SchemaOrBool
	switch {
	case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Pointer:
		target = s.AdditionalProperties
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Pointer && s.Items != nil:
		target = s.Items.SchemaOrBool
	}
	if target == nil || target.TypeObject == nil || target.TypeObject.Ref == nil {
		return
	}
	inner := *target.TypeObject
	null := jsonschema.Schema{}
	null.AddType(jsonschema.Null)
	*target.TypeObject = jsonschema.Schema{AnyOf: []jsonschema.SchemaOrBool{null.ToSchemaOrBool(), inner.ToSchemaOrBool()}}
}

// fieldVocab applies a field's vocab and keys tags to its schema: to the items of a slice, the
// values (vocab) and keys (keys) of a map, else the field itself.
func fieldVocab(vocabs map[string]vocab, s *jsonschema.Schema, f reflect.StructField) error {
	if name := f.Tag.Get("vocab"); name != "" {
		target := s
		t := f.Type
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			if s.Items == nil || s.Items.SchemaOrBool == nil || s.Items.SchemaOrBool.TypeObject == nil {
				return fmt.Errorf("field %s: vocab on a slice without items", f.Name)
			}
			target = s.Items.SchemaOrBool.TypeObject
		case reflect.Map:
			if s.AdditionalProperties == nil || s.AdditionalProperties.TypeObject == nil {
				return fmt.Errorf("field %s: vocab on a map without values", f.Name)
			}
			target = s.AdditionalProperties.TypeObject
		}
		if err := applyVocab(vocabs, target, name); err != nil {
			return fmt.Errorf("field %s: %w", f.Name, err)
		}
	}
	if name := f.Tag.Get("keys"); name != "" {
		keys := &jsonschema.Schema{}
		keys.AddType(jsonschema.String)
		if err := applyVocab(vocabs, keys, name); err != nil {
			return fmt.Errorf("field %s: %w", f.Name, err)
		}
		s.WithPropertyNames(keys.ToSchemaOrBool())
	}
	return nil
}

// applyVocab gives s the values, pattern or format of a vocabulary; a nullable s keeps null
// among its values.
func applyVocab(vocabs map[string]vocab, s *jsonschema.Schema, name string) error {
	v, ok := vocabs[name]
	if !ok {
		return fmt.Errorf("unknown vocabulary %q (vocab.go)", name)
	}
	switch {
	case v.values != nil:
		enum := make([]any, 0, len(v.values)+1)
		for _, x := range v.values {
			enum = append(enum, x)
		}
		if s.HasType(jsonschema.Null) {
			enum = append(enum, nil)
		}
		s.WithEnum(enum...)
	case v.pattern != "":
		s.WithPattern(v.pattern)
	case v.format != "":
		s.WithFormat(v.format)
	}
	return nil
}

// describeOperation writes one operation: its parameters from op.params, its 200 body from
// op.resp (or op.media), the headers and problems every operation shares, and its own.
func describeOperation(r *reflector, op operation, ex examples, problems map[int]bool) (*docOperation, error) {
	o := &docOperation{OperationID: op.id, Tags: []string{op.tag}, Summary: op.summary, Description: op.description,
		Parameters: []any{}, Responses: map[string]any{}, Security: []map[string][]string{}}
	for _, s := range op.security {
		o.Security = append(o.Security, map[string][]string{s: {}})
	}
	params, err := parameters(r, op.params)
	if err != nil {
		return nil, err
	}
	for _, p := range params {
		o.Parameters = append(o.Parameters, p)
	}
	get := op.method == fiber.MethodGet
	cached := get && !op.noStore // a body encoded once per snapshot, with its ETag
	if cached {
		o.Parameters = append(o.Parameters, ref{"#/components/parameters/" + paramIfNoneMatch})
	}
	if op.body != nil || op.bodyMedia != "" {
		bm := docMediaType{Schema: map[string]string{"type": "string"}}
		bodyMedia := op.bodyMedia
		if op.body != nil {
			s, err := r.schemaRef(op.body)
			if err != nil {
				return nil, fmt.Errorf("request body: %w", err)
			}
			bm.Schema, bodyMedia = s, mediaJSON
		}
		if e, ok := ex.Operations[op.id]; ok {
			bm.Example = e.RequestBody
		}
		o.RequestBody = &docRequestBody{Required: true, Content: map[string]docMediaType{bodyMedia: bm}}
	}

	media := op.media
	if media == "" {
		media = mediaJSON
	}
	var body any = map[string]string{"type": "string"}
	if op.resp != nil {
		if body, err = r.schemaRef(op.resp); err != nil {
			return nil, fmt.Errorf("response body: %w", err)
		}
	}
	mt := docMediaType{Schema: body}
	if e, ok := ex.Operations[op.id]; ok {
		mt.Example = e.Body
	}
	headers := map[string]any{}
	if get { // cors opens the reads, not the writes
		headers = refs(hdrAllowOrigin, hdrExposeHeaders)
	}
	if cached {
		for _, hd := range []string{hdrETag, hdrCacheControl, hdrVary, hdrEncoding} {
			headers[hd] = ref{"#/components/headers/" + hd}
		}
	}
	if op.noStore {
		headers[hdrCacheControl] = ref{"#/components/headers/" + compNoStore}
	}
	for _, hd := range op.headers {
		headers[hd] = ref{"#/components/headers/" + hd}
	}
	if op.download {
		headers[hdrDisposition] = ref{"#/components/headers/" + hdrDisposition}
	}
	if op.limited {
		for _, hd := range []string{hdrRateLimit, hdrRateRemaining, hdrRateReset} {
			headers[hd] = ref{"#/components/headers/" + hd}
		}
	}
	status := op.status
	if status == 0 {
		status = fiber.StatusOK
	}
	desc := http.StatusText(status) + "."
	if cached {
		desc += " The body is encoded once per data snapshot: a strong ETag, Cache-Control, and gzip or brotli when accepted."
	}
	if op.download {
		desc += " A file to save (Content-Disposition)."
	}
	o.Responses[strconv.Itoa(status)] = docResponse{Description: desc, Headers: headers, Content: map[string]docMediaType{media: mt}}
	if cached {
		o.Responses["304"] = ref{"#/components/responses/NotModified"}
	}
	if op.accepted {
		o.Responses["202"] = ref{"#/components/responses/Accepted"}
		problems[fiber.StatusAccepted] = true
	}
	statuses := append([]int{fiber.StatusBadRequest, fiber.StatusServiceUnavailable}, op.problems...)
	if op.limited {
		statuses = append(statuses, fiber.StatusTooManyRequests)
	}
	names := problemResponses()
	for _, st := range statuses {
		name, ok := names[st]
		if !ok {
			return nil, fmt.Errorf("no problem response for status %d (problemResponses)", st)
		}
		o.Responses[strconv.Itoa(st)] = ref{"#/components/responses/" + name}
		problems[st] = true
	}
	return o, nil
}

// parameters declares the fields of a params struct (see operation.params).
func parameters(r *reflector, params any) ([]docParameter, error) {
	var out []docParameter
	if params == nil {
		return out, nil
	}
	t := reflect.TypeOf(params)
	for i := range t.NumField() {
		f := t.Field(i)
		in, name := "query", f.Tag.Get("query")
		for _, where := range []string{"path", "header"} {
			if p := f.Tag.Get(where); p != "" {
				in, name = where, p
			}
		}
		if name == "" {
			return nil, fmt.Errorf("parameter field %s has no query, path or header tag", f.Name)
		}
		s, err := r.Reflect(reflect.Zero(f.Type).Interface(), jsonschema.InlineRefs)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", name, err)
		}
		if err := fieldVocab(r.vocabs, &s, f); err != nil {
			return nil, err
		}
		p := docParameter{Name: name, In: in, Required: in == "path" || f.Tag.Get("required") == "true",
			Description: f.Tag.Get("description"), Schema: &s}
		if e := f.Tag.Get("example"); e != "" {
			p.Example = e
		}
		out = append(out, p)
	}
	return out, nil
}

// components are the parameters, headers and responses the operations refer to, and the
// security schemes in use (the document declares only what it uses).
func components(r *reflector, usedSchemes map[string]bool, problems map[int]bool, ex examples) (docComponents, error) {
	str := func(mod func(s *jsonschema.Schema)) *jsonschema.Schema {
		s := &jsonschema.Schema{}
		s.AddType(jsonschema.String)
		if mod != nil {
			mod(s)
		}
		return s
	}
	integer := func() *jsonschema.Schema {
		s := &jsonschema.Schema{}
		s.AddType(jsonschema.Integer)
		s.WithMinimum(0)
		return s
	}
	// A header's example is its value in a recorded response: exampleHeadersFor's first, then
	// the other operations' and the problems' in key order.
	recorded := []exampleResponse{ex.Operations[exampleHeadersFor]}
	for _, k := range slices.Sorted(maps.Keys(ex.Operations)) {
		recorded = append(recorded, ex.Operations[k])
	}
	for _, k := range slices.Sorted(maps.Keys(ex.Problems)) {
		recorded = append(recorded, ex.Problems[k])
	}
	example := func(h string) any {
		for _, e := range recorded {
			if v, ok := e.Headers[h]; ok {
				if n, err := strconv.Atoi(v); err == nil && h != hdrETag {
					return n
				}
				return v
			}
		}
		return nil
	}
	c := docComponents{
		Parameters: map[string]docParameter{
			paramIfNoneMatch: {Name: "If-None-Match", In: "header", Description: "The ETag of a copy you have: when it is still " +
				"current the answer is 304 Not Modified without a body (RFC 9110 §13.1.2; weak comparison, several tags or * allowed).",
				Schema: str(nil), Example: example(hdrETag)},
		},
		Headers: map[string]docHeader{
			hdrETag: {Description: "Strong entity tag of the body (before content coding). It changes when the data changes " +
				"(a new snapshot), not otherwise: send it back as If-None-Match.", Required: true,
				Schema: str(func(s *jsonschema.Schema) { s.WithPattern(`^"[0-9a-f]{24}"$`) }), Example: example(hdrETag)},
			hdrCacheControl: {Description: "Cacheable by anyone for 5 minutes, then revalidate (If-None-Match).", Required: true,
				Schema: str(func(s *jsonschema.Schema) { s.WithConst(respond.CacheData) }), Example: example(hdrCacheControl)},
			hdrVary: {Description: "The body's content coding depends on Accept-Encoding.", Required: true,
				Schema: str(func(s *jsonschema.Schema) { s.WithConst(fiber.HeaderAcceptEncoding) }), Example: example(hdrVary)},
			hdrEncoding: {Description: "br or gzip when the client accepts it (by q-value; br on a tie) and it makes the body " +
				"smaller; absent for the raw bytes.", Schema: str(func(s *jsonschema.Schema) { s.WithEnum("br", "gzip") }), Example: "br"},
			hdrAllowOrigin: {Description: "Open data: any origin may read the API (CORS).", Required: true,
				Schema: str(func(s *jsonschema.Schema) { s.WithConst("*") }), Example: example(hdrAllowOrigin)},
			hdrExposeHeaders: {Description: "Response headers scripts of other origins may read.", Required: true,
				Schema: str(func(s *jsonschema.Schema) { s.WithConst(exposedHeaders) }), Example: example(hdrExposeHeaders)},
			hdrDisposition: {Description: "A download: the file name to save the body as.", Required: true,
				Schema:  str(func(s *jsonschema.Schema) { s.WithPattern(`^attachment; filename="mppmap-[a-z0-9.-]+"$`) }),
				Example: example(hdrDisposition)},
			hdrRetryAfter: {Description: "Seconds to wait before trying again: until the client's allowance is renewed (429), " +
				"or until this instance's read model shows a committed change (202).", Required: true,
				Schema: integer(), Example: int(exportWindow.Seconds())},
			hdrLocation: {Description: "Where the created resource is read.", Required: true,
				Schema: str(func(s *jsonschema.Schema) { s.WithPattern("^" + Prefix + "/") }), Example: example(hdrLocation)},
			compNoStore: {Description: "Never cached: the answer is for this request (a token, the audit log, a write's result).",
				Required: true, Schema: str(func(s *jsonschema.Schema) { s.WithConst("no-store") }), Example: "no-store"},
			hdrRateLimit: {Description: "Export requests one client may make per minute.", Required: true,
				Schema: integer(), Example: example(hdrRateLimit)},
			hdrRateRemaining: {Description: "Export requests left to this client in the current minute.", Required: true,
				Schema: integer(), Example: example(hdrRateRemaining)},
			hdrRateReset: {Description: "Seconds until the current minute's allowance is renewed.", Required: true,
				Schema: integer(), Example: int(exportWindow.Seconds())},
		},
		Responses: map[string]docResponse{
			"NotModified": {Description: "Not Modified: the If-None-Match tag is current; no body.",
				Headers: refs(hdrETag, hdrCacheControl, hdrVary, hdrAllowOrigin)},
		},
		SecuritySchemes: map[string]docSecurityScheme{},
	}
	problemSchema, err := r.schemaRef(Problem{})
	if err != nil {
		return c, fmt.Errorf("problem schema: %w", err)
	}
	descs := problemDescriptions()
	names := problemResponses()
	for st := range problems {
		mt := docMediaType{Schema: problemSchema}
		if e, ok := ex.Problems[strconv.Itoa(st)]; ok {
			mt.Example = e.Body
		}
		if st == fiber.StatusAccepted {
			accepted, err := r.schemaRef(acceptedJSON{})
			if err != nil {
				return c, err
			}
			c.Responses["Accepted"] = docResponse{Description: "Accepted: the change is committed but this instance's read " +
				"model has not shown it yet; it will with the next reload. Retry-After says when to look.",
				Headers: refs(hdrRetryAfter), Content: map[string]docMediaType{mediaJSON: {Schema: accepted, Example: ex.Problems["202"].Body}}}
			continue
		}
		// Access-Control-Allow-Origin comes with a read's problem, not a write's: not declared.
		resp := docResponse{Description: http.StatusText(st) + ". " + descs[st], Content: map[string]docMediaType{mediaProblem: mt}}
		if st == fiber.StatusTooManyRequests {
			resp.Headers = refs(hdrRetryAfter)
		}
		c.Responses[names[st]] = resp
	}
	known := securitySchemes()
	for name := range usedSchemes {
		s, ok := known[name]
		if !ok {
			return c, fmt.Errorf("unknown security scheme %q (securitySchemes)", name)
		}
		c.SecuritySchemes[name] = s
	}
	return c, nil
}

func refs(headers ...string) map[string]any {
	out := map[string]any{}
	for _, h := range headers {
		out[h] = ref{"#/components/headers/" + h}
	}
	return out
}

func (h *Handler) openAPI(c *fiber.Ctx) error {
	b, err := body(h.src.Model(), "openapi", func() (*respond.Body, error) {
		raw, err := h.Document()
		if err != nil {
			return nil, err
		}
		return h.comp.New(mediaJSON, raw)
	})
	if err != nil {
		return err
	}
	return serveBody(c, b)
}
