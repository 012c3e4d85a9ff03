package progress

import (
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
)

// Reasons a RegionStatus rests on.
const (
	ReasonSiteOpened       = "site_opened"
	ReasonDatePrecision    = "date_precision"
	ReasonOpenedLater      = "opened_later"
	ReasonRecordedStatus   = "recorded_status"
	ReasonNoMPPAtLaterDate = "no_mpp_at_later_date"
	ReasonFirstKnown       = "first_known"
	ReasonNoSource         = "no_source"
	ReasonBeforeFirstKnown = "before_first_known"
)

// RegionStatus is a region's status on a date (see progress.method.status_at).
type RegionStatus struct {
	Code   string
	Name   string
	Status data.Status
	Since  pdate.Date // the date (with its precision) the status rests on; zero when none
	Reason string     // one of the Reason constants
}

// SiteDate is the earliest-dated site of a region (DKI Jakarta's provincial site for its six
// kab/kota); ok is false when it has no dated site.
func SiteDate(s *data.Snapshot, r data.Region) (pdate.Date, bool) {
	d, ok := SiteDates(s)[r.Code]
	return d, ok
}

// SiteDates is SiteDate of every region that has a dated site, from one pass over the sites:
// what a caller needing many regions (every status on a date, an export, the changes) reads
// instead of a pass over the sites per region. Of sites with the same last day, the first in
// s.Sites wins.
func SiteDates(s *data.Snapshot) map[string]pdate.Date {
	type pick struct {
		d pdate.Date
		i int // position in s.Sites, for ties
	}
	earlier := func(d pdate.Date, i int, cur pick, ok bool) bool {
		return !ok || d.Latest().Before(cur.d.Latest()) || (d.Latest().Equal(cur.d.Latest()) && i < cur.i)
	}
	byRegion := map[string]pick{}
	var dki pick
	dkiOK := false
	for i, x := range s.Sites {
		if x.Inaugurated.IsZero() {
			continue
		}
		switch {
		case x.RegionCode != "":
			if cur, ok := byRegion[x.RegionCode]; earlier(x.Inaugurated, i, cur, ok) {
				byRegion[x.RegionCode] = pick{x.Inaugurated, i}
			}
		case x.ProvinceCode == data.DKIProvince:
			if earlier(x.Inaugurated, i, dki, dkiOK) {
				dki, dkiOK = pick{x.Inaugurated, i}, true
			}
		}
	}
	if dkiOK {
		for _, r := range s.Regions {
			if cur, ok := byRegion[r.Code]; r.ProvinceCode == data.DKIProvince && earlier(dki.d, dki.i, cur, ok) {
				byRegion[r.Code] = dki
			}
		}
	}
	out := make(map[string]pdate.Date, len(byRegion))
	for code, p := range byRegion {
		out[code] = p.d
	}
	return out
}

// StatusAt is r's status on the day at.
func StatusAt(s *data.Snapshot, r data.Region, at time.Time) RegionStatus {
	sd, ok := SiteDate(s, r)
	return statusAt(s, r, at, sd, ok)
}

// statusAt is StatusAt with r's site date (SiteDate) already found.
func statusAt(s *data.Snapshot, r data.Region, at time.Time, sd pdate.Date, hasSite bool) RegionStatus {
	out := RegionStatus{Code: r.Code, Name: r.Name}
	// A site known only as "existed by X" says nothing about the days before X: the recorded
	// statuses may, and otherwise the day is unknown for want of a precise date, never "no".
	byDate := hasSite && sd.Precision == pdate.Before && sd.Latest().After(at)
	if hasSite && !byDate {
		switch {
		case !sd.Latest().After(at):
			out.Status, out.Since, out.Reason = data.StatusYes, sd, ReasonSiteOpened
		case sd.Precision != pdate.Day && !sd.Time.After(at):
			out.Status, out.Since, out.Reason = data.StatusUnknown, sd, ReasonDatePrecision
		default:
			out.Status, out.Since, out.Reason = data.StatusNo, sd, ReasonOpenedLater
		}
		return out
	}
	// Recorded statuses: history entries and the current one, latest as-of on or before the day.
	type rec struct {
		st   data.Status
		asOf pdate.Date
	}
	recs := []rec{{r.Status, r.StatusAsOf}}
	for _, hc := range s.History[r.Code] {
		recs = append(recs, rec{hc.New, hc.AsOf})
	}
	var best, later *rec
	for i := range recs {
		x := &recs[i]
		if x.asOf.IsZero() || x.st == data.StatusUnknown {
			continue
		}
		if !x.asOf.Latest().After(at) {
			if best == nil || x.asOf.Latest().After(best.asOf.Latest()) {
				best = x
			}
		} else if x.st == data.StatusNo || x.st == data.StatusInProgress {
			later = x
		}
	}
	switch {
	case best != nil:
		out.Status, out.Since, out.Reason = best.st, best.asOf, ReasonRecordedStatus
	case later != nil:
		out.Status, out.Since, out.Reason = data.StatusNo, later.asOf, ReasonNoMPPAtLaterDate
	case r.Status == data.StatusYes && !r.FirstKnown.IsZero() && !r.FirstKnown.Latest().After(at):
		out.Status, out.Since, out.Reason = data.StatusYes, r.FirstKnown, ReasonFirstKnown
	case byDate:
		out.Status, out.Since, out.Reason = data.StatusUnknown, sd, ReasonDatePrecision
	default:
		out.Status, out.Reason = data.StatusUnknown, ReasonNoSource
		if r.Status == data.StatusYes {
			out.Reason = ReasonBeforeFirstKnown
		}
	}
	return out
}

// StatusesAt is every region's status on the day at, in s.Regions order, with the count per
// status (all four statuses present, zero included).
func StatusesAt(s *data.Snapshot, at time.Time) ([]RegionStatus, map[data.Status]int) {
	return StatusesAtSites(s, SiteDates(s), at)
}

// StatusesAtSites is StatusesAt with the site dates (SiteDates of s) already found: what a caller
// holding them per snapshot asks on every request.
func StatusesAtSites(s *data.Snapshot, sites map[string]pdate.Date, at time.Time) ([]RegionStatus, map[data.Status]int) {
	counts := make(map[data.Status]int, len(data.Statuses))
	for _, st := range data.Statuses {
		counts[st] = 0
	}
	out := make([]RegionStatus, 0, len(s.Regions))
	for _, r := range s.Regions {
		sd, ok := sites[r.Code]
		rs := statusAt(s, r, at, sd, ok)
		counts[rs.Status]++
		out = append(out, rs)
	}
	return out, counts
}
