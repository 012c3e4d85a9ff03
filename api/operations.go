package api

import (
	"reflect"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/geo"
)

// operation is one endpoint, declared once: Register mounts its route from it and the OpenAPI
// document describes it from it (parameters, body types, headers, problems, security), so the
// route, the accepted query parameters and the document cannot drift apart.
type operation struct {
	method string // fiber.MethodGet, …
	path   string // under Prefix, in OpenAPI form: /regions/{code}
	// id is the operationId; it also keys the operation's fixture example (openapi_examples.json).
	id          string
	tag         string
	summary     string
	description string // what the summary cannot say: units, sources, what null and unknown mean
	// params is a struct whose fields declare the parameters with `query:"name"`, `path:"name"`
	// or `header:"Name"` (and description, vocab, example tags; `required:"true"` for a query or
	// header parameter that must be sent). Its query names are the only ones the route accepts:
	// any other is a 400 naming it. nil: no parameters.
	params any
	// body is the request body's type (writes; decoded as application/json); nil: none.
	body any
	// bodyMedia is a request body that is not JSON (text/csv), documented as a string.
	bodyMedia string
	// resp is the type of the 200 body the handler encodes; nil for a body that is not JSON
	// (media then says what it is, and the document types it as a string).
	resp  any
	media string // the success body's content type; "" is application/json
	// status is the success status; 0 is 200 (a POST that creates says 201).
	status int
	// headers are success headers besides those of every GET (header components: Location …).
	headers []string
	// noStore: the answer is Cache-Control: no-store, not a cached body with an ETag (a GET of
	// the audit log, a form token, every write).
	noStore bool
	// accepted: a write may answer 202, committed but not yet in this instance's read model.
	accepted bool
	// download: the 200 carries Content-Disposition (a file to save).
	download bool
	// limited: the per-client export limit applies (429 with Retry-After; X-RateLimit-* headers).
	limited bool
	// problems are the statuses of problem+json answers besides those every operation documents
	// (400 for an unknown or malformed parameter, 503 before the read model is loaded).
	problems []int
	// security names the security schemes (securitySchemes) of which one is required; nil: a
	// public read, documented as `security: []`.
	security []string
	handle   fiber.Handler
}

// Tags group the operations in the document and on /api.
const (
	tagRegions     = "regions"
	tagProgress    = "progress"
	tagAnalysis    = "analysis"
	tagSources     = "sources"
	tagDownloads   = "downloads"
	tagLedger      = "ledger"
	tagSubmissions = "submissions"
	tagMeta        = "meta"
)

// operations is the API, in the order the routes are mounted and the document lists them: the
// public reads here, the writes next to their handlers (writeOperations, submissionOperations).
//
// To add an endpoint: write its handler and wire types (api/<topic>.go), then one entry here.
// A write sets method, body and security (and its own problems: 401, 403, 409, 412 …).
func (h *Handler) operations() []operation {
	ops := h.readOperations()
	ops = append(ops, h.writeOperations()...)
	return append(ops, h.submissionOperations()...)
}

func (h *Handler) readOperations() []operation {
	get := fiber.MethodGet
	return []operation{
		{method: get, path: "/openapi.json", id: "openapi", tag: tagMeta, summary: "This document (OpenAPI 3.1)",
			resp: documentJSON{}, handle: h.openAPI},
		{method: get, path: "/provinces", id: "provinces", tag: tagRegions,
			summary:     "Every province: counts per status, share with an MPP over both denominators, rank",
			description: "National figures first (`national`), then every province in code order. Counts are numbers of kab/kota; unknown is counted apart, never as no.",
			resp:        provincesResponse{}, handle: h.provinces},
		{method: get, path: "/provinces/{code}", id: "province", tag: tagRegions, summary: "One province with its kab/kota",
			params: provincePath{}, resp: provinceResponse{}, problems: []int{fiber.StatusNotFound}, handle: h.province},
		{method: get, path: "/regions.geojson", id: "regions_geojson", tag: tagRegions,
			summary:     "Region boundaries with their status (RFC 7946) at a detail level, optionally one province",
			description: "The layer every map draws. Geometries are simplified as a topology (shared borders simplified once) at each detail level; coordinates are WGS 84 longitude, latitude in degrees, rounded to what the level needs.",
			params:      layerQuery{}, media: "application/geo+json", resp: layerCollection{}, problems: []int{fiber.StatusNotFound}, handle: h.regionsGeoJSON},
		{method: get, path: "/regions", id: "regions", tag: tagRegions, summary: "Kab/kota with their current status, filtered",
			params: regionsQuery{}, resp: regionsResponse{}, problems: []int{fiber.StatusNotFound}, handle: h.regions},
		{method: get, path: "/regions/{code}", id: "region", tag: tagRegions,
			summary:     "Region profile: status, evidence, sources, history, sites, indicators, inhibitors, neighbours, peer groups, summary",
			description: "Everything known about one kab/kota, each figure with its sources. Indicators absent from the data are absent here (never 0); peer medians and ranks are null where no peer has a value.",
			params:      regionPath{}, resp: profileResponse{}, problems: []int{fiber.StatusNotFound}, handle: h.region},
		{method: get, path: "/progress", id: "progress", tag: tagProgress,
			summary:     "Stated counts, count from dated sites, pace, ETA, targets and Open SDG categories",
			description: "National by default: the stated counts (conflicting figures side by side, each with its sources) and the count from dated MPP sites. With ?province=, that province's count from its dated sites. Paces are MPPs per month; ETAs are dates.",
			params:      provinceQuery{}, resp: progressResponse{}, problems: []int{fiber.StatusNotFound}, handle: h.progress},
		{method: get, path: "/status", id: "status", tag: tagProgress, summary: "Status of every kab/kota on a date",
			description: "Rests on the dates the sources give, at their precision: a region whose source gives only a month is unknown on the days of that month before its end, never guessed.",
			params:      statusQuery{}, resp: statusResponse{}, handle: h.status},
		{method: get, path: "/changes.atom", id: "changes_atom", tag: tagProgress, summary: "Atom feed of the changes between two dates",
			params: rangeQuery{}, media: "application/atom+xml", handle: h.changesAtom},
		{method: get, path: "/changes", id: "changes", tag: tagProgress, summary: "What changed between two dates, newest first",
			params: rangeQuery{}, resp: changesResponse{}, handle: h.changes},
		{method: get, path: "/fiscal", id: "fiscal", tag: tagAnalysis,
			summary:     "Coverage by fiscal group (quintiles of PAD share, own calculation from APBD 2024)",
			description: "Our own grouping of the 2024 regional budgets (PAD share of total revenue), not the Finance Ministry's fiscal-capacity category; regions without a budget in the data are kept apart as no_data.",
			resp:        fiscalResponse{}, handle: h.fiscal},
		{method: get, path: "/inhibitors", id: "inhibitors", tag: tagAnalysis, summary: "Inhibiting factors by category, with regions and sources",
			resp: inhibitorsResponse{}, handle: h.inhibitors},
		{method: get, path: "/factors", id: "factors", tag: tagAnalysis,
			summary: "The barrier analysis: coverage per group of each structural factor (Wilson 95% intervals), the logistic regression with sensitivity variants, the agency's claim tested",
			params:  factorQuery{}, resp: factorsResponse{}, handle: h.factors},
		{method: get, path: "/factors/model.csv", id: "factors_model_csv", tag: tagAnalysis,
			summary:     "The design matrix of a model as fitted: code, outcome and one column per term, to refit it",
			description: "CSV (UTF-8, no BOM): `code`, `outcome` (1 = has an MPP), then one column per term in the model's order.",
			params:      variantQuery{}, media: "text/csv", download: true, handle: h.modelCSV},
		{method: get, path: "/digital", id: "digital", tag: tagAnalysis,
			summary: "Regions with a recorded digital MPP model, the physical × digital table, MPP Digital facts and targets",
			resp:    digitalResponse{}, handle: h.digital},
		{method: get, path: "/costs", id: "costs", tag: tagAnalysis, summary: "Reported MPP building and fit-out costs, as published, with sources",
			resp: costsResponse{}, handle: h.costs},
		{method: get, path: "/sources", id: "sources", tag: tagSources, summary: "Every cited source and every dataset file with its licence and attribution",
			resp: sourcesResponse{}, handle: h.sources},
		{method: get, path: "/sources/{id}", id: "source", tag: tagSources, summary: "One source and what cites it",
			params: sourcePath{}, resp: sourceResponse{}, problems: []int{fiber.StatusNotFound}, handle: h.source},
		{method: get, path: "/export/regions.csv", id: "export_regions_csv", tag: tagDownloads,
			summary:     "Every kab/kota as CSV (UTF-8 with BOM), with an attribution column",
			description: "One row per kab/kota: code, names, kind, status with its date and that date's precision, first known date, MPP inauguration, evidence, source ids (`;`-separated), fiscal group, one column per indicator and period (empty: no data, never 0), data_as_of, attribution.",
			media:       "text/csv", download: true, limited: true, handle: h.exportCSV},
		{method: get, path: "/export/regions.geojson", id: "export_regions_geojson", tag: tagDownloads,
			summary: "Every kab/kota at full detail with status and indicators; attribution in a top-level member",
			media:   "application/geo+json", resp: exportCollection{}, download: true, limited: true, handle: h.exportGeoJSON},
	}
}

// The parameters of the operations. A field's `query` or `path` tag names the parameter; vocab
// gives its pattern or values; example is what the document shows and the contract test sends
// (values of the fixture, figurestest).

type provincePath struct {
	Code string `path:"code" vocab:"province_code" example:"32" description:"Kemendagri province code (two digits). Malformed: 400; unknown: 404."`
}

type regionPath struct {
	Code string `path:"code" vocab:"region_code" example:"32.01" description:"Kemendagri kab/kota code (province code, dot, two digits). Malformed: 400; unknown: 404."`
}

type sourcePath struct {
	ID string `path:"id" vocab:"source_id" example:"S2" description:"Source id as cited by the data (S and digits). Malformed: 400; unknown: 404."`
}

type provinceQuery struct {
	Province string `query:"province" vocab:"province_code" example:"32" description:"Only this province (Kemendagri code, two digits). Malformed: 400; unknown: 404."`
}

type regionsQuery struct {
	Province string      `query:"province" vocab:"province_code" example:"32" description:"Only this province (Kemendagri code). Malformed: 400; unknown: 404."`
	Status   data.Status `query:"status" example:"yes" description:"Only this status. unknown means no source yet, not no MPP."`
	Kind     string      `query:"kind" vocab:"kind" example:"kabupaten" description:"Only kabupaten (regencies) or kota (cities)."`
}

type layerQuery struct {
	Detail   geo.Detail `query:"detail" example:"national" description:"Detail level (default national): national for the country map, province for one province, full for the cleaned boundaries."`
	Province string     `query:"province" vocab:"province_code" example:"31" description:"Only this province's kab/kota. Malformed: 400; unknown: 404."`
}

type statusQuery struct {
	AsOf string `query:"as_of" vocab:"day" example:"2024-06-30" description:"The day (YYYY-MM-DD, 1945–2100); default: the data's last date."`
}

type rangeQuery struct {
	From string `query:"from" vocab:"day" example:"2023-01-01" description:"First day (YYYY-MM-DD); default: a year before to."`
	To   string `query:"to" vocab:"day" example:"2025-12-31" description:"Last day (YYYY-MM-DD), on or after from; default: the data's last date."`
}

type factorQuery struct {
	Factor string `query:"factor" example:"ipm" description:"Only this factor's table (its id, as in factors[].id); an unknown id is a 400 listing the ids."`
}

type variantQuery struct {
	Variant string `query:"variant" vocab:"variant" example:"main" description:"Model variant (default main: unknown status left out; the sensitivity variants count unknown as no or as yes)."`
}

// queryNames are the query parameters a params struct declares: what its route accepts.
func queryNames(params any) []string {
	var names []string
	if params == nil {
		return names
	}
	t := reflect.TypeOf(params)
	for i := range t.NumField() {
		if q := t.Field(i).Tag.Get("query"); q != "" {
			names = append(names, q)
		}
	}
	return names
}

// fiberPath is an OpenAPI path in Fiber's syntax: /regions/{code} → /regions/:code.
func fiberPath(p string) string {
	return strings.NewReplacer("{", ":", "}", "").Replace(p)
}

// onlyParams answers a query parameter the operation does not declare with a 400 naming it.
func onlyParams(names []string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := checkParams(c, names...); err != nil {
			return err
		}
		return c.Next()
	}
}
