package api

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/factors"
	"mppmap/geo"
)

// paramDoc documents one parameter; Example is what the OpenAPI test requests.
type paramDoc struct {
	Name, In, Description, Pattern, Example string
	Enum                                    []string
}

// opDoc documents one GET operation: the test walks these with real requests.
type opDoc struct {
	Path, Summary string
	Params        []paramDoc
	ContentType   string
	Required      []string // top-level members of a JSON body
	Limited       bool     // per-client export limit
	NotFound      bool     // has a path code that can be unknown
}

var (
	pProvince = paramDoc{Name: "province", In: "query", Description: "Kemendagri province code; unknown code → 404", Pattern: `^[0-9]{2}$`, Example: "32"}
	jsonOps   = "application/json"
)

// operations is the documented API; openapi.json is generated from it.
var operations = []opDoc{
	{Path: "/provinces", Summary: "Every province: counts per status, share with an MPP over both denominators, rank",
		ContentType: jsonOps, Required: []string{"meta", "national", "provinces", "method"}},
	{Path: "/provinces/{code}", Summary: "One province with its regions", NotFound: true,
		Params:      []paramDoc{{Name: "code", In: "path", Description: "province code", Pattern: `^[0-9]{2}$`, Example: "32"}},
		ContentType: jsonOps, Required: []string{"meta", "province", "regions", "method"}},
	{Path: "/regions", Summary: "Regions with their current status, filtered",
		Params: []paramDoc{pProvince,
			{Name: "status", In: "query", Description: "status", Enum: statusEnum(), Example: "yes"},
			{Name: "kind", In: "query", Description: "kind", Enum: []string{"kabupaten", "kota"}, Example: "kota"}},
		ContentType: jsonOps, Required: []string{"meta", "filters", "count", "regions"}},
	{Path: "/regions/{code}", Summary: "Region profile: status, evidence, sources, history, sites, indicators, inhibitors, neighbours, peer groups, summary", NotFound: true,
		Params:      []paramDoc{{Name: "code", In: "path", Description: "kab/kota code", Pattern: `^[0-9]{2}\.[0-9]{2}$`, Example: "32.73"}},
		ContentType: jsonOps, Required: []string{"meta", "region", "sources", "history", "sites", "indicators", "inhibitors", "neighbours", "peer_groups", "summary"}},
	{Path: "/regions.geojson", Summary: "Region boundaries with status (RFC 7946) at a detail level, optionally one province",
		Params:      []paramDoc{{Name: "detail", In: "query", Description: "detail level", Enum: detailEnum(), Example: "province"}, pProvince},
		ContentType: "application/geo+json", Required: []string{"type", "features"}},
	{Path: "/progress", Summary: "Stated counts, count from dated sites, pace, ETA, targets and Open SDG categories", Params: []paramDoc{pProvince},
		ContentType: jsonOps, Required: []string{"meta", "scope", "denominators", "stated", "from_sites", "current", "pace", "targets", "method"}},
	{Path: "/status", Summary: "Status of every region on a date",
		Params:      []paramDoc{{Name: "as_of", In: "query", Description: "date YYYY-MM-DD (default: the data's last date)", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Example: "2023-06-30"}},
		ContentType: jsonOps, Required: []string{"meta", "as_of", "counts", "regions", "method"}},
	{Path: "/changes", Summary: "What changed between two dates, newest first",
		Params: []paramDoc{{Name: "from", In: "query", Description: "first day (default: a year before to)", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Example: "2024-01-01"},
			{Name: "to", In: "query", Description: "last day (default: the data's last date)", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Example: "2025-12-31"}},
		ContentType: jsonOps, Required: []string{"meta", "from", "to", "changes", "method"}},
	{Path: "/changes.atom", Summary: "Atom feed of changes", Params: []paramDoc{
		{Name: "from", In: "query", Description: "first day", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Example: "2024-01-01"},
		{Name: "to", In: "query", Description: "last day", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Example: "2025-12-31"}},
		ContentType: "application/atom+xml"},
	{Path: "/fiscal", Summary: "Coverage by fiscal group (quintiles of PAD share, own calculation from APBD 2024)",
		ContentType: jsonOps, Required: []string{"meta", "label", "groups", "method"}},
	{Path: "/inhibitors", Summary: "Inhibiting factors by category, with regions and sources",
		ContentType: jsonOps, Required: []string{"meta", "categories", "sources"}},
	{Path: "/factors", Summary: "The barrier analysis: coverage per group of each structural factor (Wilson 95% intervals), the logistic regression with sensitivity variants, the agency's claim tested",
		Params:      []paramDoc{{Name: "factor", In: "query", Description: "one factor only (its id); unknown → 400 listing the ids", Example: "ipm"}},
		ContentType: jsonOps, Required: []string{"meta", "factors", "model", "sensitivity", "claims", "caveat"}},
	{Path: "/factors/model.csv", Summary: "The design matrix of a model as fitted: code, outcome and one column per term, to refit it",
		Params:      []paramDoc{{Name: "variant", In: "query", Description: "model variant", Enum: factors.Variants, Example: "main"}},
		ContentType: "text/csv"},
	{Path: "/digital", Summary: "Regions with a recorded digital MPP model, the physical × digital table, MPP Digital facts and targets",
		ContentType: jsonOps, Required: []string{"meta", "regions", "cells", "facts", "note"}},
	{Path: "/costs", Summary: "Reported MPP building and fit-out costs, as published, with sources",
		ContentType: jsonOps, Required: []string{"meta", "costs"}},
	{Path: "/sources", Summary: "Every cited source and every dataset file with its licence and attribution",
		ContentType: jsonOps, Required: []string{"meta", "sources", "datasets"}},
	{Path: "/sources/{id}", Summary: "One source and what cites it", NotFound: true,
		Params:      []paramDoc{{Name: "id", In: "path", Description: "source id", Pattern: `^S[0-9]+$`, Example: "S08"}},
		ContentType: jsonOps, Required: []string{"meta", "source", "cited_by"}},
	{Path: "/export/regions.csv", Summary: "Every region as CSV (UTF-8 with BOM), with attribution column", Limited: true, ContentType: "text/csv"},
	{Path: "/export/regions.geojson", Summary: "Every region at full detail with status and indicators; attribution in a top-level member", Limited: true,
		ContentType: "application/geo+json", Required: []string{"type", "features", "attribution", "data_as_of"}},
	{Path: "/openapi.json", Summary: "This document", ContentType: jsonOps, Required: []string{"openapi", "info", "paths"}},
}

// OpenAPI returns the OpenAPI 3.1 document of the API.
func OpenAPI() map[string]any {
	paths := map[string]any{}
	problemRef := map[string]any{"$ref": "#/components/responses/Problem"}
	for _, op := range operations {
		var params []any
		for _, p := range op.Params {
			schema := map[string]any{"type": "string"}
			if p.Pattern != "" {
				schema["pattern"] = p.Pattern
			}
			if len(p.Enum) > 0 {
				schema["enum"] = p.Enum
			}
			params = append(params, map[string]any{"name": p.Name, "in": p.In, "required": p.In == "path",
				"description": p.Description, "schema": schema, "example": p.Example})
		}
		content := map[string]any{"schema": map[string]any{"type": "string"}}
		if len(op.Required) > 0 {
			content = map[string]any{"schema": map[string]any{"type": "object", "required": op.Required}}
		}
		resp := map[string]any{
			"200": map[string]any{"description": "OK; ETag, Cache-Control, gzip when accepted",
				"headers": map[string]any{"ETag": map[string]any{"schema": map[string]any{"type": "string"}}},
				"content": map[string]any{op.ContentType: content}},
			"304": map[string]any{"description": "Not modified (If-None-Match)"},
			"400": problemRef,
		}
		if op.NotFound || hasParam(op, "province") {
			resp["404"] = problemRef
		}
		desc := op.Summary
		if op.Limited {
			resp["429"] = problemRef
			desc += fmt.Sprintf(". Limited to %d requests per minute per client (IP).", ExportsPerMinute)
		}
		id := strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(strings.TrimPrefix(op.Path, "/"))
		paths[op.Path] = map[string]any{"get": map[string]any{"operationId": id, "summary": op.Summary, "description": desc,
			"parameters": nonNil(params), "responses": resp}}
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "mppmap open data API", "version": "1",
			"description": "Mal Pelayanan Publik coverage of Indonesia's 514 kab/kota, from an in-memory read model. " +
				"Every response carries the data's as-of date; figures carry their sources. Unknown status means no source yet, never no MPP. " +
				"Shares use two denominators (bskdn: 514; kemenpanrb: 508 autonomous + DKI Jakarta once). Dates keep the precision of their " +
				"source (YYYY-MM-DD, YYYY-MM, YYYY, <=DATE). CORS is open for GET. Errors are application/problem+json (RFC 9457).",
			"license": map[string]any{"name": "see /api/v1/sources (per dataset); boundaries MIT, © 2024 Cahya DSN"}},
		"servers": []any{map[string]any{"url": "/api/v1"}},
		"paths":   paths,
		"components": map[string]any{"responses": map[string]any{"Problem": map[string]any{
			"description": "RFC 9457 problem; 400 names the parameter and what is allowed",
			"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{
				"type": "object", "required": []string{"type", "title", "status"},
				"properties": map[string]any{"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"},
					"status": map[string]any{"type": "integer"}, "detail": map[string]any{"type": "string"}, "parameter": map[string]any{"type": "string"}}}}}}}},
	}
}

func hasParam(op opDoc, name string) bool {
	for _, p := range op.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

func (h *Handler) openAPI(c *fiber.Ctx) error {
	if err := checkParams(c); err != nil {
		return err
	}
	return serveJSON(c, h.src.Model(), "openapi", func() any { return OpenAPI() })
}

// statusEnum and detailEnum are the one Status and Detail types' values, so the document's
// enums cannot drift from what the handlers accept.
func statusEnum() []string {
	out := make([]string, len(data.Statuses))
	for i, s := range data.Statuses {
		out[i] = string(s)
	}
	return out
}

func detailEnum() []string {
	out := make([]string, len(geo.Details))
	for i, d := range geo.Details {
		out[i] = string(d)
	}
	return out
}
