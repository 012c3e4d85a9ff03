package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/figures"
)

// The API reference (/api, /en/api) is the OpenAPI document the API serves, rendered here as
// HTML: readable without JavaScript, at 360 px and in print, and nothing loaded from another
// host. The dashboard does not import the api package: cmd/mppmap hands the document over as
// JSON (Config.APIReference), and this file reads the parts of OpenAPI 3.1 the document uses.

// setAPIReference gives the /api page its document: the API's OpenAPI 3.1 JSON. A document
// that does not parse fails at start-up, not on a reader's request.
func (h *Handler) setAPIReference(openAPI []byte) error {
	ref, err := parseAPIReference(openAPI)
	if err != nil {
		return fmt.Errorf("dashboard: API reference: %w", err)
	}
	h.apiRef = ref
	return nil
}

// apiDocumentURL is where the API serves the document the page renders.
const apiDocumentURL = "/api/v1/openapi.json"

// exampleLines is how much of an example body the page shows; the document has all of it.
const exampleLines = 40

// The OpenAPI document as the page reads it.
type (
	oaDoc struct {
		Info struct {
			Title, Version, Description string
			License                     struct{ Name, URL string }
		}
		Servers    []struct{ URL, Description string }
		Tags       []struct{ Name, Description string }
		Paths      map[string]map[string]oaOperation
		Components struct {
			Schemas         map[string]oaSchema
			Parameters      map[string]oaParameter
			Headers         map[string]oaHeader
			Responses       map[string]oaResponse
			SecuritySchemes map[string]struct{ Type, Scheme, Description string }
		}
	}
	oaOperation struct {
		OperationID string
		Tags        []string
		Summary     string
		Description string
		Parameters  []oaParameter
		Responses   map[string]oaResponse
		Security    []map[string][]string
	}
	oaParameter struct {
		Ref         string `json:"$ref"`
		Name, In    string
		Required    bool
		Description string
		Schema      oaSchema
		Example     any
	}
	oaHeader struct {
		Description string
		Required    bool
		Schema      oaSchema
		Example     any
	}
	oaResponse struct {
		Ref         string `json:"$ref"`
		Description string
		Headers     map[string]struct {
			Ref string `json:"$ref"`
		}
		Content map[string]struct {
			Schema  oaSchema
			Example json.RawMessage
		}
	}
	oaSchema map[string]any
)

// apiReference is the page's view of the document.
type apiReference struct {
	Title, Version      string
	Description         [][]textPart // paragraphs
	Licence, LicenceURL string
	Server              string
	Groups              []apiGroup
	Headers             []apiHeader
	Problems            []apiResponse
	Schemes             []apiScheme
	Schemas             []apiSchema
}

type apiGroup struct {
	Name        string
	Description []textPart
	Ops         []apiOperation
}

type apiOperation struct {
	ID, Method, Path, Summary, Anchor string
	Description                       []textPart
	Params                            []apiParam
	Responses                         []apiResponse
	Security                          []string // scheme names; empty: public
	TryURL                            string   // a GET with the parameters' examples
	Example                           string   // the 200 example, pretty-printed and shortened
	ExampleCut                        bool
}

type apiParam struct {
	Name, In, Example string
	Description       []textPart
	Required          bool
	Type              []typePart
	Values            string
}

type apiResponse struct {
	Status      string
	Description []textPart
	Anchor      string // of a shared response
	Media       string
	Type        []typePart
	Headers     []string
}

type apiHeader struct {
	Name, Example string
	Description   []textPart
	Required      bool
	Type          []typePart
	Values        string
}

type apiScheme struct{ Name, Type, Description string }

type apiSchema struct {
	Name        string
	Description []textPart
	Props       []apiProp
	Type        []typePart // for a schema without properties (an enum, a geometry)
	Values      string
}

type apiProp struct {
	Name, Values string // an inline object's members are named parent.member
	Description  []textPart
	Required     bool
	Type         []typePart
}

// typePart is a piece of a type's label; Anchor links a named schema.
type typePart struct{ Text, Anchor string }

// textPart is a piece of a description: the document's descriptions are CommonMark, of which
// they use `code` spans only; the page shows those as code and everything else as text.
type textPart struct {
	Text string
	Code bool
}

func codeSpans(s string) []textPart {
	var out []textPart
	for i, piece := range strings.Split(s, "`") {
		if piece != "" {
			out = append(out, textPart{Text: piece, Code: i%2 == 1})
		}
	}
	return out
}

func parseAPIReference(raw []byte) (*apiReference, error) {
	var d oaDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	ref := &apiReference{Title: d.Info.Title, Version: d.Info.Version, Licence: d.Info.License.Name, LicenceURL: d.Info.License.URL}
	for _, para := range strings.Split(d.Info.Description, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			ref.Description = append(ref.Description, codeSpans(para))
		}
	}
	if len(d.Servers) > 0 {
		ref.Server = d.Servers[0].URL
	}
	group := map[string]int{} // tag → index in ref.Groups
	for _, t := range d.Tags {
		group[t.Name] = len(ref.Groups)
		ref.Groups = append(ref.Groups, apiGroup{Name: t.Name, Description: codeSpans(t.Description)})
	}
	for _, p := range sortedKeys(d.Paths) {
		for _, m := range sortedKeys(d.Paths[p]) {
			op := d.Paths[p][m]
			tag := ""
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			i, ok := group[tag]
			if !ok {
				i = len(ref.Groups)
				group[tag] = i
				ref.Groups = append(ref.Groups, apiGroup{Name: tag})
			}
			ref.Groups[i].Ops = append(ref.Groups[i].Ops, describeAPIOperation(&d, ref.Server, strings.ToUpper(m), p, op))
		}
	}
	for _, name := range sortedKeys(d.Components.Headers) {
		h := d.Components.Headers[name]
		ref.Headers = append(ref.Headers, apiHeader{Name: name, Description: codeSpans(h.Description), Required: h.Required,
			Type: typeLabel(h.Schema), Values: constraints(h.Schema), Example: exampleText(h.Example)})
	}
	for _, name := range sortedKeys(d.Components.Responses) {
		r := d.Components.Responses[name]
		ar := describeAPIResponse(&d, name, r)
		ar.Anchor = "response-" + name
		ref.Problems = append(ref.Problems, ar)
	}
	for _, name := range sortedKeys(d.Components.SecuritySchemes) {
		s := d.Components.SecuritySchemes[name]
		ref.Schemes = append(ref.Schemes, apiScheme{Name: name, Type: strings.TrimSpace(s.Type + " " + s.Scheme), Description: s.Description})
	}
	for _, name := range sortedKeys(d.Components.Schemas) {
		s := d.Components.Schemas[name]
		as := apiSchema{Name: name, Description: codeSpans(asString(s["description"]))}
		as.Props = properties(s)
		if len(as.Props) == 0 {
			as.Type, as.Values = typeLabel(s), constraints(s)
		}
		ref.Schemas = append(ref.Schemas, as)
	}
	return ref, nil
}

func describeAPIOperation(d *oaDoc, server, method, path string, op oaOperation) apiOperation {
	o := apiOperation{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: codeSpans(op.Description),
		Anchor: "op-" + op.OperationID}
	for _, s := range op.Security {
		for name := range s {
			o.Security = append(o.Security, name)
		}
	}
	sort.Strings(o.Security)
	try, query := server+path, url.Values{}
	for _, p := range op.Parameters {
		if p.Ref != "" {
			p = d.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
		}
		ex := exampleText(p.Example)
		o.Params = append(o.Params, apiParam{Name: p.Name, In: p.In, Description: codeSpans(p.Description), Example: ex,
			Required: p.Required, Type: typeLabel(p.Schema), Values: constraints(p.Schema)})
		switch {
		case p.In == "path":
			try = strings.Replace(try, "{"+p.Name+"}", url.PathEscape(ex), 1)
		case p.In == "query" && ex != "":
			query.Set(p.Name, ex)
		}
	}
	if method == fiber.MethodGet && len(o.Security) == 0 { // a link cannot send a token
		o.TryURL = try
		if len(query) > 0 {
			o.TryURL += "?" + query.Encode()
		}
	}
	for _, st := range sortedKeys(op.Responses) {
		r := op.Responses[st]
		ar := describeAPIResponse(d, st, r)
		ar.Status = st
		o.Responses = append(o.Responses, ar)
		if st != "200" {
			continue
		}
		for _, c := range r.Content {
			o.Example, o.ExampleCut = examplePreview(c.Example)
		}
	}
	return o
}

// describeAPIResponse reads a response, or the shared response it refers to (linked by anchor).
func describeAPIResponse(d *oaDoc, status string, r oaResponse) apiResponse {
	ar := apiResponse{Status: status}
	if r.Ref != "" {
		name := strings.TrimPrefix(r.Ref, "#/components/responses/")
		ar.Anchor = "response-" + name
		r = d.Components.Responses[name]
	}
	ar.Description = codeSpans(r.Description)
	for _, media := range sortedKeys(r.Content) {
		ar.Media, ar.Type = media, typeLabel(r.Content[media].Schema)
	}
	ar.Headers = sortedKeys(r.Headers)
	return ar
}

// properties are a schema's members in name order, an inline object's members below it.
func properties(s oaSchema) []apiProp {
	props, _ := s["properties"].(map[string]any)
	required := map[string]bool{}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			required[asString(r)] = true
		}
	}
	var out []apiProp
	for _, name := range sortedKeys(props) {
		p, _ := props[name].(map[string]any)
		out = append(out, apiProp{Name: name, Description: codeSpans(asString(p["description"])), Values: constraints(p),
			Required: required[name], Type: typeLabel(p)})
		if _, inline := p["properties"]; inline {
			for _, sub := range properties(p) {
				sub.Name = name + "." + sub.Name
				out = append(out, sub)
			}
		}
		if items, ok := p["items"].(map[string]any); ok {
			if _, inline := items["properties"]; inline {
				for _, sub := range properties(items) {
					sub.Name = name + "[]." + sub.Name
					out = append(out, sub)
				}
			}
		}
	}
	return out
}

// typeLabel names a schema's type: string, integer or null, array of Region (linked), …
func typeLabel(s map[string]any) []typePart {
	if r := asString(s["$ref"]); r != "" {
		name := r[strings.LastIndex(r, "/")+1:]
		return []typePart{{Text: name, Anchor: "schema-" + name}}
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		if alts, ok := s[key].([]any); ok {
			var out []typePart
			// null last, as for a list of types.
			sort.SliceStable(alts, func(i, j int) bool { return isNull(alts[j]) && !isNull(alts[i]) })
			for i, a := range alts {
				if i > 0 {
					out = append(out, typePart{Text: " or "})
				}
				am, _ := a.(map[string]any)
				out = append(out, typeLabel(am)...)
			}
			return out
		}
	}
	var types []string
	switch t := s["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			types = append(types, asString(x))
		}
		// "number or null" reads better than "null or number".
		sort.SliceStable(types, func(i, j int) bool { return types[j] == "null" && types[i] != "null" })
	}
	var out []typePart
	for i, t := range types {
		if i > 0 {
			out = append(out, typePart{Text: " or "})
		}
		switch t {
		case "array":
			items, _ := s["items"].(map[string]any)
			out = append(out, typePart{Text: "array of "})
			out = append(out, typeLabel(items)...)
		case "object":
			if ap, ok := s["additionalProperties"].(map[string]any); ok {
				out = append(out, typePart{Text: "map of "})
				out = append(out, typeLabel(ap)...)
			} else {
				out = append(out, typePart{Text: "object"})
			}
		default:
			out = append(out, typePart{Text: t})
		}
	}
	if len(out) == 0 {
		if c, ok := s["const"]; ok {
			return []typePart{{Text: exampleText(c)}}
		}
		return []typePart{{Text: "any"}}
	}
	return out
}

// constraints says what a schema allows beyond its type: its values, pattern, format, keys.
func constraints(s map[string]any) string {
	var out []string
	if e, ok := s["enum"].([]any); ok {
		vals := make([]string, len(e))
		for i, v := range e {
			vals[i] = exampleText(v)
		}
		out = append(out, "one of: "+strings.Join(vals, ", "))
	}
	if c, ok := s["const"]; ok {
		out = append(out, "always "+exampleText(c))
	}
	for _, k := range []string{"pattern", "format"} {
		if v := asString(s[k]); v != "" {
			out = append(out, k+" "+v)
		}
	}
	if pn, ok := s["propertyNames"].(map[string]any); ok {
		if v := constraints(pn); v != "" {
			out = append(out, "keys "+v)
		}
	}
	for _, k := range []string{"items", "additionalProperties"} {
		if sub, ok := s[k].(map[string]any); ok {
			if v := constraints(sub); v != "" {
				out = append(out, map[string]string{"items": "items ", "additionalProperties": "values "}[k]+v)
			}
		}
	}
	return strings.Join(out, "; ")
}

// examplePreview is an example body as the page shows it: JSON indented, text as is, cut after
// exampleLines lines.
func examplePreview(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	var text string
	if json.Unmarshal(raw, &text) != nil {
		var buf bytes.Buffer
		if err := json.Indent(&buf, raw, "", "  "); err != nil {
			return "", false
		}
		text = buf.String()
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) <= exampleLines {
		return strings.Join(lines, "\n"), false
	}
	return strings.Join(lines[:exampleLines], "\n") + "\n…", true
}

// exampleText is a value as the page writes it: a string as is, anything else as JSON.
func exampleText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func isNull(schema any) bool {
	m, _ := schema.(map[string]any)
	return len(m) == 1 && m["type"] == "null"
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// apiView is what templates/api.html renders.
type apiView struct {
	page
	Ref         *apiReference
	DocumentURL string
}

func (h *Handler) apiView(_ *figures.Model, l *lang, _ request, base page) (string, any, int) {
	base = titled(base, l.T("nav.api"))
	base.Bundle = ""
	return "api.html", apiView{page: base, Ref: h.apiRef, DocumentURL: apiDocumentURL}, fiber.StatusOK
}
