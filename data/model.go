package data

import (
	"time"

	"mppmap/data/pdate"
	"mppmap/data/refdata"
)

// Status is a region's MPP status; the type is refdata.Status (one type from the CSV through
// the schema to the API), named here because the read model is where most code meets it.
type Status = refdata.Status

// The four statuses, in legend order (see refdata.Status).
const (
	StatusYes        = refdata.StatusYes
	StatusInProgress = refdata.StatusInProgress
	StatusNo         = refdata.StatusNo
	StatusUnknown    = refdata.StatusUnknown
)

// Statuses lists the four statuses in legend order.
var Statuses = refdata.Statuses

// DKIProvince is DKI Jakarta's province code: its six administrative kab/kota are served by one
// provincial MPP and are one unit in KemenPANRB's denominator.
const DKIProvince = "31"

// Province is one of the 38 provinces.
type Province struct {
	Code           string
	Name           string
	KabupatenCount int
	KotaCount      int
}

// Region is one of the 514 kabupaten/kota with its current MPP status.
type Region struct {
	Code         string // Kemendagri code, "32.73"
	Name         string // "Kota Bandung"
	ProvinceCode string
	ProvinceName string
	Kind         string // kabupaten | kota
	AreaKm2      float64

	Status     Status
	StatusAsOf pdate.Date // zero when unknown
	FirstKnown pdate.Date
	Evidence   string
	SourceIDs  []string
	Note       string
	Revision   int64 // of its status row: a steward's form saves against it (optimistic concurrency)
}

// Source is one cited document (mpp/sources.csv).
type Source struct {
	ID          string
	Address     string
	Description string
	Published   pdate.Date // zero when the source carries no date
	DateNote    string
}

// DatasetFile is the provenance of one imported file.
type DatasetFile struct {
	Path        string
	SHA256      string
	Title       string
	Publisher   string
	Licence     string
	Attribution string
	Upstream    string
	AsOf        string
	ImportedAt  time.Time
}

// StatusChange is one recorded change of a region's status (status_history), oldest first.
type StatusChange struct {
	ChangedAt time.Time  // when the change was recorded (import or steward), not when it happened
	Old       Status     // "" for the first status an import recorded
	New       Status     //
	AsOf      pdate.Date // the source's date for the new status; zero when none
	Evidence  string
	SourceIDs []string
	Note      string
	ChangedBy string
}

// Site is one MPP identified (mpp_site). RegionCode is empty for DKI Jakarta's province-level
// MPP, which serves its six administrative kab/kota.
type Site struct {
	ID           int64 // mpp_site.id; 0 in fixtures
	Revision     int64 // a steward's edit saves against it
	ProvinceCode string
	RegionCode   string
	Name         string
	Inaugurated  pdate.Date // zero for province-total rows without a date
	EventID      string
	Evidence     string
	SourceIDs    []string
	Note         string
}

// National count value types (national_count.value_type): the reference files' own.
const (
	ValueStated       = refdata.ValueStated
	ValueStatedApprox = refdata.ValueStatedApprox
	ValueDerived      = refdata.ValueDerived
	ValueUnknown      = refdata.ValueUnknown
)

// NationalCount is one cumulative national MPP count as stated (or derived) by a source. Two
// figures for one date are two rows; neither is silently picked.
type NationalCount struct {
	Year            int
	AsOf            pdate.Date
	Cumulative      *int // nil: the source gives no figure
	ValueType       string
	YearEndBest     bool
	DenominatorNote string
	SourceIDs       []string
	Note            string
}

// Target is an official target as published (targets.csv); its text is not structured.
type Target struct {
	ID          string
	SetBy       string
	StatedOn    pdate.Date
	TargetYear  string // "2024", "2022-2025", "ongoing", ""
	Target      string
	Scope       string // "all kab/kota", "508 kab/kota", "count", …
	OutcomeNote string
	SourceIDs   []string
}

// Inhibitor is an inhibiting factor as cited; RegionCodes are the kab/kota the place resolved to,
// ProvinceCodes the provinces, Scope what the finding is about (refdata.Scope*).
type Inhibitor struct {
	Category      string
	Finding       string
	Area          string
	RegionCodes   []string
	ProvinceCodes []string
	Scope         string
	DateText      string
	SourceIDs     []string
}

// Scopes of an inhibiting factor (refdata.Scope*).
const (
	ScopeRegion     = refdata.ScopeRegion
	ScopeProvince   = refdata.ScopeProvince
	ScopeNational   = refdata.ScopeNational
	ScopeUnresolved = refdata.ScopeUnresolved
)

// FiscalCategory is a PMK fiscal-capacity category (refdata.FiscalCategory).
type FiscalCategory = refdata.FiscalCategory

// FiscalCategories lists the PMK categories lowest first.
var FiscalCategories = refdata.FiscalCategories

// FiscalPeriod is a PMK period of the kab/kota fiscal-capacity table (refdata.FiscalPeriod).
type FiscalPeriod = refdata.FiscalPeriod

// RegionFiscal is a kab/kota's PMK ratio and category for one period.
type RegionFiscal struct {
	Period    string         // FiscalPeriod.ID, e.g. "pmk_65_2024"
	Ratio     *float64       // nil: no ratio given for the period
	Category  FiscalCategory // "": no category for the period (no data, never low)
	SourceIDs []string
	Note      string
}

// DigitalRegion is a kab/kota recorded with a digital MPP model (mpp/mpp_digital_regions.csv):
// an MPP Digital Nasional pilot, the MPPI trial, its own app…
type DigitalRegion struct {
	RegionCode string
	Model      string
	AsOf       pdate.Date // zero when the row gives none
	SourceIDs  []string
	Note       string
}

// DigitalFact is one fact about MPP Digital (mpp/mpp_digital.csv), as published.
type DigitalFact struct {
	Date      pdate.Date // zero when the date is not a plain date (DateText keeps it)
	DateText  string
	Metric    string
	Value     string
	SourceIDs []string
}

// Cost is one reported MPP building or fit-out cost (mpp/mpp_costs.csv), amounts as published.
type Cost struct {
	RegionName string
	RegionCode string // "" when the file gives none
	Amount     string
	What       string
	YearText   string
	SourceIDs  []string // the cited source ids; empty when the file gives an address instead
	Address    string   // the address the file gives instead of source ids
}

// Indicator describes one indicator series; Dataset is the file it came from.
type Indicator struct {
	ID          string
	LabelID     string
	LabelEN     string
	Unit        string
	Dataset     string
	Description string
}

// IndicatorValue is one region's value of an indicator for a period (a year). Absent values are
// absent: there is no zero standing in for "no data".
type IndicatorValue struct {
	IndicatorID string
	Period      string
	Value       float64
}

// Neighbour relations (region_neighbour.relation).
const (
	RelationBorder  = "border"  // shares a land border; BorderKm is its length
	RelationNearest = "nearest" // no land neighbour: one of the nearest regions by DistanceKm
)

// Neighbour is a region next to another one.
type Neighbour struct {
	Code       string
	Relation   string
	BorderKm   float64
	DistanceKm float64
}
