package api

import (
	"regexp"
	"sort"
	"strconv"
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/peers"
	"mppmap/progress"
)

// derived holds lookups computed once per snapshot. The figures themselves are computed by the
// pure packages progress, peers and fiscal, which the dashboard calls too.
type derived struct {
	peers      *peers.Index // statuses, peer indicator values, latest periods, fiscal groups
	byProvince map[string][]data.Region
	dataEnd    time.Time             // progress.DataEnd: last date of any stated count, site or status
	siteDates  map[string]pdate.Date // progress.SiteDates: each region's earliest dated site
}

// period is the latest period of an indicator, "" when it has no value.
func (d *derived) period(id string) string {
	p, _ := d.peers.LatestPeriod(id)
	return p
}

func derive(s *data.Snapshot) *derived {
	d := &derived{peers: peers.NewIndex(s), byProvince: map[string][]data.Region{}, dataEnd: progress.DataEnd(s),
		siteDates: progress.SiteDates(s)}
	for _, r := range s.Regions {
		d.byProvince[r.ProvinceCode] = append(d.byProvince[r.ProvinceCode], r)
	}
	return d
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
		Evidence: r.Evidence, SourceIDs: nonNil(r.SourceIDs), FiscalGroup: d.peers.Fiscal.Of(r.Code)}
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
