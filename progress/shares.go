package progress

import (
	"time"

	"mppmap/data"
	"mppmap/round"
)

// The two denominators of coverage.
const (
	DenomBSKDN      = "bskdn"      // all 514 kab/kota (BSKDN Kemendagri)
	DenomKemenPANRB = "kemenpanrb" // 508 autonomous kab/kota + DKI Jakarta once
)

// Share is a count of regions with an MPP over one denominator. Its JSON form is the API's.
type Share struct {
	Denominator string   `json:"denominator"` // DenomBSKDN | DenomKemenPANRB
	Units       int      `json:"units"`
	WithMPP     int      `json:"with_mpp"`
	Pct         *float64 `json:"pct"` // 100*WithMPP/Units, round.Pct; nil when there are no units
}

// NewShare is WithMPP of units over a denominator, with its percentage.
func NewShare(denom string, units, with int) Share {
	s := Share{Denominator: denom, Units: units, WithMPP: with}
	if units > 0 {
		p := round.Pct(100 * float64(with) / float64(units))
		s.Pct = &p
	}
	return s
}

// Shares counts regions with an MPP over both denominators: every region (bskdn), and
// KemenPANRB's units where DKI Jakarta's administrative kab/kota are one (kemenpanrb).
func Shares(regions []data.Region) (bskdn, kemenpanrb Share) {
	units, with, dkiSeen, dkiYes := 0, 0, false, false
	yes := 0
	for _, r := range regions {
		if r.Status == data.StatusYes {
			yes++
		}
		if r.ProvinceCode == data.DKIProvince {
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
	return NewShare(DenomBSKDN, len(regions), yes), NewShare(DenomKemenPANRB, units, with)
}

// Autonomous is the number of units of the kemenpanrb denominator that are autonomous kab/kota:
// every unit but DKI Jakarta's one (508 of 509 nationally).
func (s Share) Autonomous(dkiPresent bool) int {
	if dkiPresent {
		return s.Units - 1
	}
	return s.Units
}

// DataEnd is the last date of any stated count (with a figure), dated site or region status in
// s, or s.DataAsOf when there is none: the "today" of every window, ETA and status-at-a-date.
func DataEnd(s *data.Snapshot) time.Time {
	var end time.Time
	for _, r := range s.Regions {
		if !r.StatusAsOf.IsZero() && r.StatusAsOf.Latest().After(end) {
			end = r.StatusAsOf.Latest()
		}
	}
	for _, c := range s.NationalCounts {
		if c.Cumulative != nil && c.AsOf.Latest().After(end) {
			end = c.AsOf.Latest()
		}
	}
	for _, x := range s.Sites {
		if !x.Inaugurated.IsZero() && x.Inaugurated.Latest().After(end) {
			end = x.Inaugurated.Latest()
		}
	}
	if end.IsZero() {
		end = s.DataAsOf
	}
	return end
}
