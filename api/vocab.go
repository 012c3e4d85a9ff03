package api

import (
	"reflect"
	"strings"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/factors"
	"mppmap/figures"
	"mppmap/fiscal"
	"mppmap/geo"
	"mppmap/locale"
	"mppmap/peers"
	"mppmap/progress"
)

// vocab is the set of values a string may take on the wire: a list (an enum in the document) or
// a pattern. Wire fields name one with the struct tag `vocab:"name"` (for a slice: its items; for
// a map: its values; `keys:"name"` for a map's keys), so the document's enums and patterns come
// from the constants and expressions the handlers and the figures use, not from a copy.
type vocab struct {
	values  []string
	pattern string
	format  string // a JSON Schema format (date-time) where a pattern would say less
}

// vocabularies are the named vocabularies of the API. Each list is built from the constants of
// the package that writes the values; a handler writing a value outside its list fails the
// contract test (TestContract).
func vocabularies() map[string]vocab {
	return map[string]vocab{
		"status":                 {values: strs(data.Statuses[:])},
		"kind":                   {values: regionKinds()},
		"detail":                 {values: strs(geo.Details[:])},
		"precision":              {values: strs([]pdate.Precision{pdate.Day, pdate.Month, pdate.Year, pdate.Before})},
		"pdate":                  {pattern: pdatePattern},
		"pdate_or_empty":         {pattern: orEmpty(pdatePattern)},
		"day":                    {pattern: dayPattern},
		"day_or_empty":           {pattern: orEmpty(dayPattern)},
		"timestamp":              {format: "date-time"},
		"timestamp_or_empty":     {pattern: orEmpty(`[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})`)},
		"province_code":          {pattern: provinceCodeRE.String()},
		"province_code_or_empty": {pattern: orEmpty(provinceCodeRE.String())},
		"region_code":            {pattern: regionCodeRE.String()},
		"source_id":              {pattern: sourceIDRE.String()},
		"relation":               {values: []string{data.RelationBorder, data.RelationNearest}},
		"inhibitor_scope":        {values: []string{data.ScopeRegion, data.ScopeProvince, data.ScopeNational, data.ScopeUnresolved}},
		"peer_group":             {values: []string{peers.GroupNeighbours, peers.GroupProvince, peers.GroupKind, peers.GroupFiscal}},
		"peer_indicator":         {values: peers.Indicators},
		"window":                 {values: []string{progress.WindowSince2022, progress.WindowLast12Months, progress.WindowLast6Months}},
		"denominator":            {values: []string{progress.DenomBSKDN, progress.DenomKemenPANRB}},
		"basis":                  {values: []string{progress.BasisStated, progress.BasisSites}},
		// progress.Report.Scope is written as these two literals (progress/report.go).
		"progress_scope": {values: []string{"national", "province"}},
		"target_kind":    {values: []string{progress.KindCoverage, progress.KindCountInYear, progress.KindNotAssessed}},
		"target_status":  {values: []string{progress.TargetMet, progress.TargetMissed, progress.TargetOpen, progress.TargetNotAssessed}},
		"sdg_category": {values: strs([]progress.Category{progress.Achieved, progress.OnTrack, progress.AccelerationNeeded,
			progress.LimitedProgress, progress.Deterioration})},
		"value_type":  {values: []string{data.ValueStated, data.ValueStatedApprox, data.ValueDerived, data.ValueUnknown}},
		"change_kind": {values: []string{figures.ChangeSiteOpened, figures.ChangeStatus, figures.ChangeFullCoverage}},
		"status_reason": {values: []string{progress.ReasonSiteOpened, progress.ReasonDatePrecision, progress.ReasonOpenedLater,
			progress.ReasonRecordedStatus, progress.ReasonNoMPPAtLaterDate, progress.ReasonFirstKnown, progress.ReasonNoSource,
			progress.ReasonBeforeFirstKnown}},
		"factor_kind":     {values: []string{factors.KindCategory, factors.KindQuintile, factors.KindGroup}},
		"model_error":     {values: []string{factors.ErrNoData, factors.ErrNoVariance, factors.ErrSeparation, factors.ErrCollinear, factors.ErrFailed}},
		"variant":         {values: factors.Variants},
		"digital_cell":    {values: figures.DigitalCells},
		"fiscal_group":    {values: fiscal.Keys},
		"fiscal_category": {values: strs(data.FiscalCategories[:])},
		// The languages of the API's texts: summaries are given in both.
		"language": {values: []string{locale.Default, "en"}},
		// A boolean query parameter as the handlers read it.
		"bool": {values: []string{"true", "false"}},
	}
}

// typeVocab names the vocabulary of a named Go type wherever it appears on the wire.
func typeVocab() map[reflect.Type]string {
	return map[reflect.Type]string{
		reflect.TypeFor[data.Status](): "status",
		reflect.TypeFor[geo.Detail]():  "detail",
	}
}

// pdatePattern is a date at its source's precision as pdate.Date.String writes it; dayPattern
// a calendar day.
const (
	pdatePattern = `^(<=)?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`
	dayPattern   = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
)

// orEmpty widens an anchored pattern (or a bare expression) to allow the empty string too.
func orEmpty(p string) string {
	return "^(" + strings.TrimSuffix(strings.TrimPrefix(p, "^"), "$") + ")?$"
}

// regionKinds are the two kinds of kab/kota: what ?kind= accepts and regions carry.
func regionKinds() []string { return []string{"kabupaten", "kota"} }

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}
