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
// what a caller needing many regions (an export, the changes) reads instead of a pass over the
// sites per region. Of sites with the same last day, the first in s.Sites wins.
func SiteDates(s *data.Snapshot) map[string]pdate.Date {
	return IndexSites(s).Dates()
}

// Sites is what each region's dated sites say about when it got its MPP (IndexSites): what
// StatusesAtSites reads, held per snapshot by a caller asking on every request.
//
// One date per region is not enough for a status on a day: of a site dated 2024-08-15 and one
// dated only 2024-08 (or "by 2024"), the first is the earlier last day (SiteDate), but the second
// may have opened before 15 August, so a day before it is unknown, not "no".
type Sites struct {
	spans map[string]siteSpan
}

// siteSpan is what a region's dated sites say, each field the first in s.Sites of its ties.
type siteSpan struct {
	first  pdate.Date // earliest last day (Latest): yes from then on; SiteDate
	opened pdate.Date // of the sites dated on a day, month or year, the earliest first day; zero when none
	by     pdate.Date // of the sites known only "by" a date, the earliest bound; zero when none
}

// IndexSites reads every region's dated sites in one pass; DKI Jakarta's provincial site counts
// for each of its kab/kota.
func IndexSites(s *data.Snapshot) Sites {
	type pick struct {
		d pdate.Date
		i int // position in s.Sites, for ties
	}
	type acc struct{ first, opened, by *pick }
	// better reports whether p goes before cur by key (then by position in s.Sites).
	better := func(p pick, cur *pick, key func(pdate.Date) time.Time) bool {
		return cur == nil || key(p.d).Before(key(cur.d)) || (key(p.d).Equal(key(cur.d)) && p.i < cur.i)
	}
	latest := func(d pdate.Date) time.Time { return d.Latest() }
	earliest := func(d pdate.Date) time.Time { return d.Time }
	add := func(a *acc, p pick) {
		if better(p, a.first, latest) {
			a.first = &p
		}
		switch {
		case p.d.Precision != pdate.Before && better(p, a.opened, earliest):
			a.opened = &p
		case p.d.Precision == pdate.Before && better(p, a.by, latest):
			a.by = &p
		}
	}
	byRegion := map[string]*acc{}
	get := func(code string) *acc {
		if byRegion[code] == nil {
			byRegion[code] = &acc{}
		}
		return byRegion[code]
	}
	var dki []pick
	for i, x := range s.Sites {
		if x.Inaugurated.IsZero() {
			continue
		}
		switch {
		case x.RegionCode != "":
			add(get(x.RegionCode), pick{x.Inaugurated, i})
		case x.ProvinceCode == data.DKIProvince:
			dki = append(dki, pick{x.Inaugurated, i})
		}
	}
	if len(dki) > 0 {
		for _, r := range s.Regions {
			if r.ProvinceCode == data.DKIProvince {
				for _, p := range dki {
					add(get(r.Code), p)
				}
			}
		}
	}
	out := Sites{spans: make(map[string]siteSpan, len(byRegion))}
	for code, a := range byRegion {
		sp := siteSpan{first: a.first.d}
		if a.opened != nil {
			sp.opened = a.opened.d
		}
		if a.by != nil {
			sp.by = a.by.d
		}
		out.spans[code] = sp
	}
	return out
}

// Dates is SiteDate of every region with a dated site.
func (ss Sites) Dates() map[string]pdate.Date {
	out := make(map[string]pdate.Date, len(ss.spans))
	for code, sp := range ss.spans {
		out[code] = sp.first
	}
	return out
}

// StatusAt is r's status on the day at.
func StatusAt(s *data.Snapshot, r data.Region, at time.Time) RegionStatus {
	sp, ok := IndexSites(s).spans[r.Code]
	return statusAt(s, r, at, sp, ok)
}

// statusAt is StatusAt with r's sites (IndexSites) already read.
func statusAt(s *data.Snapshot, r data.Region, at time.Time, sp siteSpan, hasSite bool) RegionStatus {
	out := RegionStatus{Code: r.Code, Name: r.Name}
	// A site known only as "existed by X" says nothing about the days before X: the recorded
	// statuses may, and otherwise the day is unknown for want of a precise date, never "no".
	byDate := false
	if hasSite {
		switch {
		case !sp.first.Latest().After(at):
			out.Status, out.Since, out.Reason = data.StatusYes, sp.first, ReasonSiteOpened
			return out
		case !sp.opened.IsZero() && !sp.opened.Time.After(at):
			// A month or year that contains the day (a day-precise site would be open already).
			out.Status, out.Since, out.Reason = data.StatusUnknown, sp.opened, ReasonDatePrecision
			return out
		case sp.by.IsZero():
			// Every site opened after the day, on a date that says so.
			out.Status, out.Since, out.Reason = data.StatusNo, sp.opened, ReasonOpenedLater
			return out
		}
		byDate = true
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
		out.Status, out.Since, out.Reason = data.StatusUnknown, sp.by, ReasonDatePrecision
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
	return StatusesAtSites(s, IndexSites(s), at)
}

// StatusesAtSites is StatusesAt with the sites (IndexSites of s) already read: what a caller
// holding them per snapshot asks on every request.
func StatusesAtSites(s *data.Snapshot, sites Sites, at time.Time) ([]RegionStatus, map[data.Status]int) {
	counts := make(map[data.Status]int, len(data.Statuses))
	for _, st := range data.Statuses {
		counts[st] = 0
	}
	out := make([]RegionStatus, 0, len(s.Regions))
	for _, r := range s.Regions {
		sp, ok := sites.spans[r.Code]
		rs := statusAt(s, r, at, sp, ok)
		counts[rs.Status]++
		out = append(out, rs)
	}
	return out, counts
}
