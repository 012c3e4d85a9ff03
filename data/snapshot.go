package data

import (
	"time"

	"github.com/paulmach/orb"

	"mppmap/geo"
)

// Snapshot is the read model: everything the public pages and the API read, loaded from the
// database in one go and never mutated afterwards. A reload builds a new Snapshot and hands it
// on (see Live), so a request always sees one consistent version. It holds data only: the
// figures derived from it live in package figures, and HTTP bodies in the surfaces.
type Snapshot struct {
	LoadedAt time.Time
	// DataAsOf is the latest as-of date of any region status: the "data as of" every page shows.
	DataAsOf time.Time
	// ImportedAt is when the reference data in the database was last imported or changed.
	ImportedAt time.Time
	// LedgerVersion is the ledger version this snapshot was read at (every write bumps it).
	LedgerVersion int64
	// OpenSubmissions counts readers' submissions under review per region code (no personal
	// data: the public pages show the count only).
	OpenSubmissions map[string]int

	Provinces []Province // by code
	Regions   []Region   // by code
	Sources   map[string]Source
	Datasets  []DatasetFile

	// Geometry is each region's boundary per detail level, as simplified by the importer (the
	// coverage simplified as a topology, see package geo). The API encodes it as GeoJSON.
	Geometry map[geo.Detail]map[string]orb.MultiPolygon

	History        map[string][]StatusChange // region code → changes, oldest first
	Sites          []Site                    // by province, region, name
	NationalCounts []NationalCount           // by date, then as stored
	Targets        []Target                  // by id
	Inhibitors     []Inhibitor
	Indicators     []Indicator                 // by id
	Values         map[string][]IndicatorValue // region code → values by indicator, period
	Neighbours     map[string][]Neighbour      // region code → border by length desc, then nearest by distance

	// FiscalPeriods are the PMK periods of the kab/kota fiscal-capacity table, oldest first;
	// RegionFiscal each kab/kota's values by period (absent: no data, never low).
	FiscalPeriods []FiscalPeriod
	RegionFiscal  map[string][]RegionFiscal
	Digital       []DigitalRegion // by region code, model
	DigitalFacts  []DigitalFact   // as stored
	Costs         []Cost          // as stored

	regionIndex   map[string]int
	provinceIndex map[string]int
}

// Region returns the region with the given code.
func (s *Snapshot) Region(code string) (Region, bool) {
	i, ok := s.regionIndex[code]
	if !ok {
		return Region{}, false
	}
	return s.Regions[i], true
}

// Province returns the province with the given code.
func (s *Snapshot) Province(code string) (Province, bool) {
	i, ok := s.provinceIndex[code]
	if !ok {
		return Province{}, false
	}
	return s.Provinces[i], true
}

// Indicator returns the indicator definition with the given id.
func (s *Snapshot) Indicator(id string) (Indicator, bool) {
	for _, d := range s.Indicators {
		if d.ID == id {
			return d, true
		}
	}
	return Indicator{}, false
}

// Value returns a region's value of an indicator for a period; ok is false when there is none.
func (s *Snapshot) Value(region, indicator, period string) (float64, bool) {
	for _, v := range s.Values[region] {
		if v.IndicatorID == indicator && v.Period == period {
			return v.Value, true
		}
	}
	return 0, false
}

// NewSnapshot indexes provinces and regions; the loader and tests build snapshots with it.
func NewSnapshot(s Snapshot) *Snapshot {
	s.regionIndex = make(map[string]int, len(s.Regions))
	for i, r := range s.Regions {
		s.regionIndex[r.Code] = i
	}
	s.provinceIndex = make(map[string]int, len(s.Provinces))
	for i, p := range s.Provinces {
		s.provinceIndex[p.Code] = i
	}
	return &s
}
