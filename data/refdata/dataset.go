package refdata

import (
	"sort"

	"github.com/paulmach/orb"

	"mppmap/data/pdate"
)

// Dataset is the validated content of one reference-data folder.
//
// Slices keep the order of their file. Empty cells are never turned into zeros: an optional
// number that is missing is simply absent (no IndicatorValue, a nil pointer).
type Dataset struct {
	// Dir is the folder as given to Load.
	Dir string
	// Files lists every file Load read, sorted by path, with its sha256 and the provenance
	// datasets.csv gives for it.
	Files []FileInfo
	// Absent lists the optional files Load knows but did not find, sorted. Absent is not
	// empty: an absent table says nothing, an empty one says "no rows".
	Absent []string
	// Warnings are non-fatal findings, in the same shape as Problems.
	Warnings Problems

	Provinces      []Province       // codes/provinces.csv (+ boundaries/provinces.geojson)
	Regions        []Region         // codes/kabkota.csv + boundaries/kabkota.geojson
	Sources        []Source         // mpp/sources.csv
	Statuses       []RegionStatus   // mpp/mpp_status_by_region.csv, one per region
	Sites          []Site           // mpp/mpp_locations.csv
	NationalCounts []NationalCount  // mpp/national_counts.csv
	Targets        []Target         // mpp/targets.csv
	Inhibitors     []Inhibitor      // mpp/inhibitors.csv
	DigitalFacts   []DigitalFact    // mpp/mpp_digital.csv
	DigitalPilots  []DigitalPilot   // mpp/mpp_digital_pilots_2023.csv
	DigitalRegions []DigitalRegion  // mpp/mpp_digital_regions.csv
	Costs          []Cost           // mpp/mpp_costs.csv
	FiscalCapacity []FiscalCapacity // fiscal/kapasitas_fiskal_provinsi_partial.csv
	// RegionFiscal are the PMK ratio and category per kab/kota and period
	// (fiscal/kapasitas_fiskal_kabkota_partial.csv), by code then period; FiscalPeriods the
	// periods that file has, oldest first.
	RegionFiscal  []RegionFiscal
	FiscalPeriods []FiscalPeriod
	// StatusByProvinceNotes is the note column of mpp/mpp_status_by_province.csv by province
	// code. The rest of that file is counted from Statuses; the note is its only own content.
	StatusByProvinceNotes map[string]string

	// Indicators are the definitions of every indicator with at least one source column in
	// the folder, sorted by ID; IndicatorValues their values, sorted by indicator, period,
	// region.
	Indicators      []IndicatorDef
	IndicatorValues []IndicatorValue
}

// File returns the provenance of the file at path (relative, forward slashes), if Load read it.
func (d *Dataset) File(path string) (FileInfo, bool) {
	i := sort.Search(len(d.Files), func(i int) bool { return d.Files[i].Path >= path })
	if i < len(d.Files) && d.Files[i].Path == path {
		return d.Files[i], true
	}
	return FileInfo{}, false
}

// FileInfo is the provenance of one file read: where, which content, and who to credit.
type FileInfo struct {
	Path     string // relative to the folder, forward slashes: "mpp/targets.csv"
	SHA256   string // lower-case hex of the file's bytes
	Size     int64
	Required bool

	// From datasets.csv (empty when it has no row for this path, or is absent).
	Title       string
	Publisher   string
	Licence     string
	Attribution string // text that must be shown where the data is published
	Upstream    string // datasets.csv "source"
	AsOf        string // as written ("2024-12", "2026-11-28"): kept as text
	// DatasetsLine is the line of datasets.csv that describes the file (0: none), so that
	// Write lists the files in the order the release did.
	DatasetsLine int
}

// Province is one row of codes/provinces.csv.
type Province struct {
	Code           string // "32"
	Name           string
	KabupatenCount int
	KotaCount      int
	// Geom comes from boundaries/provinces.geojson; nil when that optional file is absent.
	// Province outlines were simplified apart from the kab/kota layer: they do not match
	// its edges.
	Geom orb.MultiPolygon
}

// Region is one kabupaten/kota: codes/kabkota.csv and its boundary.
type Region struct {
	Code         string // "32.73"
	Name         string // "Kota Bandung"
	ProvinceCode string
	ProvinceName string
	Kind         string           // "kabupaten" or "kota"
	Geom         orb.MultiPolygon // as published (Polygon features are wrapped); validity unchecked
}

// Source is one cited document (mpp/sources.csv).
type Source struct {
	ID          string // "S09"
	Address     string
	Description string
	Date        pdate.Date // zero when unknown; never Before
	DateNote    string
	Line        int // the row's line in its file (0 for a source not read from a file)
}

// Status is a region's MPP status: the one type for it, from the CSV through the schema's CHECK
// constraints (a test compares them) to the API's enum. The four states are distinct
// everywhere: Unknown means "no source found", never "no MPP".
type Status string

// The four statuses, in the order legends list them.
const (
	StatusYes        Status = "yes"
	StatusInProgress Status = "in_progress"
	StatusNo         Status = "no"
	StatusUnknown    Status = "unknown"
)

// Statuses lists the four statuses in legend order.
var Statuses = [...]Status{StatusYes, StatusInProgress, StatusNo, StatusUnknown}

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// statusNames are the statuses as the enum check lists them.
func statusNames() []string {
	out := make([]string, len(Statuses))
	for i, s := range Statuses {
		out[i] = string(s)
	}
	return out
}

// EvidenceProvincialMPP is the evidence of DKI Jakarta's six administrative units: covered by
// the one provincial MPP, so a "yes" without a source of its own.
const EvidenceProvincialMPP = "covered_by_provincial_MPP"

// RegionStatus is one row of mpp/mpp_status_by_region.csv.
type RegionStatus struct {
	RegionCode string
	Status     Status
	AsOf       pdate.Date // zero only for unknown
	FirstKnown pdate.Date // zero when no date is known
	Evidence   string     // confirmation level, e.g. "confirmed_named"
	SourceIDs  []string   // empty for unknown
	Note       string
	Line       int // the row's line in its file (0 for a status not read from a file)
}

// Site is one MPP identified (mpp/mpp_locations.csv).
type Site struct {
	ProvinceCode string
	// ProvinceName is the province column as written. It may differ from the province's name
	// in codes/provinces.csv (DKI Jakarta's site says "DKI Jakarta"), and Write gives it back.
	ProvinceName string
	// RegionCode is empty for a province-level MPP (DKI Jakarta's, written
	// "31 (province-level)" in the file).
	RegionCode  string
	Name        string
	Inaugurated pdate.Date // precision checked against the date_precision column
	EventID     string
	Evidence    string
	SourceIDs   []string
	Note        string
	Line        int // the row's line in its file (0 for a site not read from a file)
}

// The value types of national_counts.csv.
const (
	ValueStated       = "stated"
	ValueStatedApprox = "stated_approx"
	ValueDerived      = "derived"
	ValueUnknown      = "unknown"
)

// NationalCount is one cumulative national count (mpp/national_counts.csv).
type NationalCount struct {
	Year            int
	AsOf            pdate.Date // day, month or year precision
	Cumulative      *int       // nil: the source gives no figure (value type unknown)
	ValueType       string     // ValueStated, ValueStatedApprox, ValueDerived or ValueUnknown
	IsYearEndBest   bool
	DenominatorNote string
	SourceIDs       []string
	Note            string
}

// Target is one official target (mpp/targets.csv).
type Target struct {
	ID          string
	SetBy       string
	StatedOn    pdate.Date // zero when not stated
	TargetYear  string     // free text: "2024", "2022-2025", "ongoing"
	Target      string
	Scope       string
	OutcomeNote string
	SourceIDs   []string
}

// Inhibitor is one inhibiting factor as cited (mpp/inhibitors.csv).
type Inhibitor struct {
	Category string
	Finding  string
	// Where is the place as the source words it ("Kab Blitar", "national (Wapres)").
	Where string
	// RegionCodes are the kab/kota Where names unambiguously, in the order named; empty for
	// national or provincial statements and for names that match no or several kab/kota.
	RegionCodes []string
	// ProvinceCodes are the provinces Where names ("NTT (Ombudsman)"): a finding about a
	// province, drawn on the province, never copied onto each of its kab/kota.
	ProvinceCodes []string
	// Scope says what the finding is about: ScopeRegion, ScopeProvince, ScopeNational or
	// ScopeUnresolved (a place that names no kab/kota or province, e.g. "8 kabupaten").
	Scope     string
	DateText  string // as published, e.g. "c. 2020-2022", "2023-07..2023-10"
	SourceIDs []string
}

// DigitalFact is one MPP Digital fact (mpp/mpp_digital.csv).
type DigitalFact struct {
	DateText  string
	Date      pdate.Date // DateText parsed; zero when it is not a plain date (warned)
	Metric    string
	Value     string
	SourceIDs []string
}

// DigitalPilot is one MPP Digital pilot, named as published (mpp/mpp_digital_pilots_2023.csv).
type DigitalPilot struct {
	NameAsPublished string
	EventDate       string
	SourceIDs       []string
	Note            string
}

// DigitalRegion is a kab/kota known to use a digital MPP (mpp/mpp_digital_regions.csv).
type DigitalRegion struct {
	RegionCode string
	Model      string
	AsOf       string // as written; parses as a date (checked)
	SourceIDs  []string
	Note       string
}

// Cost is one reported MPP building/fit-out cost (mpp/mpp_costs.csv). Amounts are free text
// ("Rp7.5 bn (2019) + …") and kept as such.
type Cost struct {
	RegionName string
	RegionCode string // empty when the file gives none
	Amount     string
	What       string
	YearText   string
	// Source is the source_ids_or_address cell as written: source ids ("S59;S60") or an address.
	Source string
	// SourceIDs are the cell's source ids, each checked against mpp/sources.csv; nil when the
	// cell is an address.
	SourceIDs []string
	// Address is the cell when it is an http(s) address; "" when it lists source ids.
	Address string
}

// FiscalCapacity is one quoted PMK fiscal-capacity category
// (fiscal/kapasitas_fiskal_provinsi_partial.csv).
type FiscalCapacity struct {
	Level          string // "province", "kabupaten" or "kota"
	ProvinceCode   string
	RegionCode     string // empty for province rows
	Regulation     string // "PMK 65/2024"
	RegulationDate pdate.Date
	Category       string // "sangat rendah" … "sangat tinggi"
	SourceIDs      []string
	Note           string
}

// Scopes of an inhibiting factor.
const (
	ScopeRegion     = "region"
	ScopeProvince   = "province"
	ScopeNational   = "national"
	ScopeUnresolved = "unresolved"
)

// FiscalCategory is a PMK fiscal-capacity category, the one type from the CSV to the schema's
// CHECK and the API.
type FiscalCategory string

// The five PMK categories, lowest first.
const (
	FiscalVeryLow  FiscalCategory = "sangat rendah"
	FiscalLow      FiscalCategory = "rendah"
	FiscalMedium   FiscalCategory = "sedang"
	FiscalHigh     FiscalCategory = "tinggi"
	FiscalVeryHigh FiscalCategory = "sangat tinggi"
)

// FiscalCategories lists the categories lowest first.
var FiscalCategories = [...]FiscalCategory{FiscalVeryLow, FiscalLow, FiscalMedium, FiscalHigh, FiscalVeryHigh}

// FiscalPeriod is one PMK period of the kab/kota fiscal-capacity table: its id (the column
// suffix, written "pmk_65_2024"), the regulation ("PMK 65/2024") and its year. Which PMK a
// column is is the compiler's inference (fiscal/README.md); ratios of different periods are on
// different scales and are never compared.
type FiscalPeriod struct {
	ID         string // "pmk_65_2024"
	Regulation string // "PMK 65/2024"
	Year       int
}

// RegionFiscal is one kab/kota's PMK fiscal capacity for one period.
type RegionFiscal struct {
	RegionCode string
	Period     string         // FiscalPeriod.ID
	Ratio      *float64       // RKFD ratio; nil when the row gives none for the period
	Category   FiscalCategory // empty when the row gives none for the period (no data)
	SourceIDs  []string
	Note       string
}

// IndicatorDef describes one indicator (a column of a fiscal or demographic table).
type IndicatorDef struct {
	ID          string // e.g. "pad_share_budget_pct", "population_dukcapil"
	LabelID     string // Bahasa Indonesia
	LabelEN     string
	Unit        string // "Rp", "%", "persons", "km2", "index"
	Dataset     string // the file the values come from, e.g. "fiscal/apbd_kabkota.csv"
	Description string
}

// IndicatorValue is one value of an indicator for a region and period. Missing values are
// absent, never zero.
type IndicatorValue struct {
	RegionCode  string
	IndicatorID string
	Period      string // year, e.g. "2024"
	Value       float64
}
