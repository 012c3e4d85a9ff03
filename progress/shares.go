package progress

import (
	"time"

	"mppmap/data"
)

// The two denominators of coverage.
const (
	DenomBSKDN      = "bskdn"      // all 514 kab/kota (BSKDN Kemendagri)
	DenomKemenPANRB = "kemenpanrb" // 508 autonomous kab/kota + DKI Jakarta once
)

// SharesMethod is the published description of the two denominators.
const SharesMethod = "Shares use two denominators: bskdn = all 514 kab/kota (BSKDN Kemendagri); kemenpanrb = " +
	"508 autonomous kab/kota + DKI Jakarta counted once (its six administrative kab/kota share one provincial MPP). " +
	"Only status yes counts as having an MPP; unknown (no source yet) is not counted as no."

// Share is a count of regions with an MPP over one denominator. Its JSON form is the API's.
type Share struct {
	Denominator string   `json:"denominator"` // DenomBSKDN | DenomKemenPANRB
	Units       int      `json:"units"`
	WithMPP     int      `json:"with_mpp"`
	Pct         *float64 `json:"pct"` // 100*WithMPP/Units rounded to 1 decimal; nil when there are no units
}

// NewShare is WithMPP of units over a denominator, with its percentage.
func NewShare(denom string, units, with int) Share {
	s := Share{Denominator: denom, Units: units, WithMPP: with}
	if units > 0 {
		p := Round1(100 * float64(with) / float64(units))
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

// Round1 rounds half away from zero to 1 decimal, as every published share is.
func Round1(x float64) float64 { return float64(int64(x*10+sign(x)*0.5)) / 10 }

// Round2 rounds half away from zero to 2 decimals, as every published pace, ratio and count is.
func Round2(x float64) float64 { return float64(int64(x*100+sign(x)*0.5)) / 100 }

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
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
