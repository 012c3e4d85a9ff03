package api

import (
	"regexp"
	"sort"
	"strconv"
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/peers"
)

// DKI Jakarta: its six administrative kab/kota are one unit in KemenPANRB's denominator.
const dkiProvince = "31"

// The two denominators.
const (
	DenomBSKDN      = "bskdn"      // 514 kab/kota
	DenomKemenPANRB = "kemenpanrb" // 508 autonomous kab/kota + DKI Jakarta once
)

// fiscalIndicator and fiscalPeriod define the fiscal groups until a PMK category is in the data.
const (
	fiscalIndicator = "pad_share_budget_pct"
	fiscalPeriod    = "2024"
	fiscalNoData    = "no_data"
)

// peerIndicators are compared across peers (each at its latest period in the data).
var peerIndicators = []string{"pad_share_budget_pct", "transfer_central_share_budget_pct", "population_dukcapil", "area_km2", "ipm", "poverty_pct"}

// derived holds lookups computed once per snapshot.
type derived struct {
	latestPeriod map[string]string       // indicator → latest period with any value
	members      map[string]peers.Member // region → status and peer indicator values
	fiscalGroup  map[string]string       // region → "q1".."q5" or no_data
	fiscalValues map[string]float64
	byProvince   map[string][]data.Region
	dataEnd      time.Time // last date of any stated count, site or status
}

func derive(s *data.Snapshot) *derived {
	d := &derived{latestPeriod: map[string]string{}, members: map[string]peers.Member{},
		fiscalGroup: map[string]string{}, fiscalValues: map[string]float64{}, byProvince: map[string][]data.Region{}}
	for _, vs := range s.Values {
		for _, v := range vs {
			if periodAfter(v.Period, d.latestPeriod[v.IndicatorID]) {
				d.latestPeriod[v.IndicatorID] = v.Period
			}
		}
	}
	for _, r := range s.Regions {
		m := peers.Member{Code: r.Code, Status: string(r.Status), Values: map[string]float64{}}
		for _, id := range peerIndicators {
			if v, ok := s.Value(r.Code, id, d.latestPeriod[id]); ok {
				m.Values[id] = v
			}
		}
		d.members[r.Code] = m
		if v, ok := s.Value(r.Code, fiscalIndicator, fiscalPeriod); ok {
			d.fiscalValues[r.Code] = v
		}
		d.byProvince[r.ProvinceCode] = append(d.byProvince[r.ProvinceCode], r)
		if !r.StatusAsOf.IsZero() && r.StatusAsOf.Latest().After(d.dataEnd) {
			d.dataEnd = r.StatusAsOf.Latest()
		}
	}
	q := peers.Quintiles(d.fiscalValues)
	for _, r := range s.Regions {
		if g, ok := q[r.Code]; ok {
			d.fiscalGroup[r.Code] = "q" + strconv.Itoa(g)
		} else {
			d.fiscalGroup[r.Code] = fiscalNoData
		}
	}
	for _, c := range s.NationalCounts {
		if c.Cumulative != nil && c.AsOf.Latest().After(d.dataEnd) {
			d.dataEnd = c.AsOf.Latest()
		}
	}
	for _, x := range s.Sites {
		if !x.Inaugurated.IsZero() && x.Inaugurated.Latest().After(d.dataEnd) {
			d.dataEnd = x.Inaugurated.Latest()
		}
	}
	if d.dataEnd.IsZero() {
		d.dataEnd = s.DataAsOf
	}
	return d
}

func periodAfter(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// ---- wire types shared by several endpoints ----

// sourceJSON is a source resolved to its address and date.
type sourceJSON struct {
	ID          string `json:"id"`
	Address     string `json:"address"`
	Description string `json:"description"`
	Published   string `json:"published"` // with its precision; "" when the source has no date
	DateNote    string `json:"date_note,omitempty"`
	Missing     bool   `json:"missing,omitempty"` // cited but not in the source list
}

func resolveSources(s *data.Snapshot, ids ...[]string) []sourceJSON {
	seen := map[string]bool{}
	out := []sourceJSON{}
	for _, list := range ids {
		for _, id := range list {
			if seen[id] {
				continue
			}
			seen[id] = true
			src, ok := s.Sources[id]
			if !ok {
				out = append(out, sourceJSON{ID: id, Missing: true})
				continue
			}
			out = append(out, sourceJSON{ID: id, Address: src.Address, Description: src.Description,
				Published: src.Published.String(), DateNote: src.DateNote})
		}
	}
	sort.Slice(out, func(i, j int) bool { return sourceLess(out[i].ID, out[j].ID) })
	return out
}

// sourceLess orders S2 before S10.
func sourceLess(a, b string) bool {
	na, _ := strconv.Atoi(a[min(1, len(a)):])
	nb, _ := strconv.Atoi(b[min(1, len(b)):])
	if na != nb {
		return na < nb
	}
	return a < b
}

// regionJSON is a region with its current status, as every list shows it.
type regionJSON struct {
	Code         string      `json:"code"`
	Name         string      `json:"name"`
	ProvinceCode string      `json:"province_code"`
	ProvinceName string      `json:"province_name"`
	Kind         string      `json:"kind"`
	Status       data.Status `json:"status"`
	StatusAsOf   *string     `json:"status_as_of"` // with its precision; null when unknown
	FirstKnown   *string     `json:"first_known"`
	Evidence     string      `json:"evidence"`
	SourceIDs    []string    `json:"source_ids"`
	FiscalGroup  string      `json:"fiscal_group"`
}

func toRegionJSON(r data.Region, d *derived) regionJSON {
	return regionJSON{Code: r.Code, Name: r.Name, ProvinceCode: r.ProvinceCode, ProvinceName: r.ProvinceName,
		Kind: r.Kind, Status: r.Status, StatusAsOf: dateOrNil(r.StatusAsOf), FirstKnown: dateOrNil(r.FirstKnown),
		Evidence: r.Evidence, SourceIDs: nonNil(r.SourceIDs), FiscalGroup: d.fiscalGroup[r.Code]}
}

func dateOrNil(d pdate.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func precisionOrNil(d pdate.Date) *string {
	if d.IsZero() {
		return nil
	}
	p := string(d.Precision)
	return &p
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// meta is the header every JSON response carries.
type meta struct {
	DataAsOf   string `json:"data_as_of"`  // latest as-of date of any region status
	ImportedAt string `json:"imported_at"` // when the reference data last changed
	Licence    string `json:"licence_note"`
}

const licenceNote = "Boundaries: MIT licence, © 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries). " +
	"Status, counts and indicators: see each figure's sources and /api/v1/sources."

func metaOf(s *data.Snapshot) meta {
	imp := ""
	if !s.ImportedAt.IsZero() {
		imp = s.ImportedAt.UTC().Format(time.RFC3339)
	}
	return meta{DataAsOf: day(s.DataAsOf), ImportedAt: imp, Licence: licenceNote}
}

var (
	provinceCodeRE = regexp.MustCompile(`^[0-9]{2}$`)
	regionCodeRE   = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}$`)
	sourceIDRE     = regexp.MustCompile(`^S[0-9]+$`)
)

// share is a count over one denominator.
type share struct {
	Denominator string   `json:"denominator"` // bskdn | kemenpanrb
	Units       int      `json:"units"`
	WithMPP     int      `json:"with_mpp"`
	Pct         *float64 `json:"pct"` // null when there are no units
}

func newShare(denom string, units, with int) share {
	s := share{Denominator: denom, Units: units, WithMPP: with}
	if units > 0 {
		p := round1(100 * float64(with) / float64(units))
		s.Pct = &p
	}
	return s
}

func round1(x float64) float64 { return float64(int64(x*10+sign(x)*0.5)) / 10 }
func round2(x float64) float64 { return float64(int64(x*100+sign(x)*0.5)) / 100 }
func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// shares counts regions with an MPP over both denominators: every region, and KemenPANRB's
// units where DKI Jakarta's administrative kab/kota are one.
func shares(regions []data.Region) (bskdn, kemenpanrb share) {
	units, with, dkiSeen, dkiYes := 0, 0, false, false
	yes := 0
	for _, r := range regions {
		if r.Status == data.StatusYes {
			yes++
		}
		if r.ProvinceCode == dkiProvince {
			dkiSeen = true
			dkiYes = dkiYes || r.Status == data.StatusYes
			continue
		}
		units++
		if r.Status == data.StatusYes {
			with++
		}
	}
	if dkiSeen {
		units++
		if dkiYes {
			with++
		}
	}
	return newShare(DenomBSKDN, len(regions), yes), newShare(DenomKemenPANRB, units, with)
}
