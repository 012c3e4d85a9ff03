package figures

import (
	"sort"
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
)

// Kinds of Change.
const (
	ChangeSiteOpened   = "site_opened"            // a dated MPP site
	ChangeStatus       = "status_changed"         // a recorded change of a region's status
	ChangeFullCoverage = "province_full_coverage" // a province's last kab/kota got its MPP
)

// Change is one thing that changed, dated as precisely as its source (progress.method.changes
// describes the rules). The home page's "latest changes", /api/v1/changes and the Atom feed are
// all this one list.
type Change struct {
	Kind         string
	Date         pdate.Date // as the source gives it; for a status change without an as-of date, the day it was recorded
	Code         string     // region code; the province's for ChangeFullCoverage
	Name         string     // region or province name; the site's for a provincial site
	ProvinceCode string
	Site         string      // the site's name (ChangeSiteOpened)
	Old, New     data.Status // ChangeStatus
	SourceIDs    []string
	// At orders the list: the last day the date can stand for. from–to is the period the date
	// covers ("2024-08" is all of August), for range queries.
	At       time.Time
	from, to time.Time
}

// ChangesBetween lists the changes whose date overlaps [from, to], newest first: a month or year
// counts when its period overlaps the range.
func (m *Model) ChangesBetween(from, to time.Time) []Change {
	out := []Change{}
	for _, c := range m.Changes {
		if !c.from.After(to) && !c.to.Before(from) {
			out = append(out, c)
		}
	}
	return out
}

// LatestChanges is the n newest changes.
func (m *Model) LatestChanges(n int) []Change {
	return m.Changes[:min(n, len(m.Changes))]
}

// period is the span of days a date can stand for; "by X" stands for X alone (it says nothing
// of the days before).
func period(d pdate.Date) (time.Time, time.Time) {
	if d.Precision == pdate.Before {
		return d.Latest(), d.Latest()
	}
	return d.Time, d.Latest()
}

func changes(m *Model) []Change {
	var out []Change
	for _, x := range m.Snap.Sites {
		if x.Inaugurated.IsZero() {
			continue
		}
		c := Change{Kind: ChangeSiteOpened, Date: x.Inaugurated, Code: x.RegionCode, Name: x.Name, ProvinceCode: x.ProvinceCode,
			Site: x.Name, SourceIDs: x.SourceIDs, At: x.Inaugurated.Latest()}
		if r, ok := m.regions[x.RegionCode]; ok {
			c.Name = r.Name
		}
		c.from, c.to = period(x.Inaugurated)
		out = append(out, c)
	}
	for _, r := range m.Regions {
		for _, h := range r.History {
			if h.Old == "" || h.Old == h.New {
				continue // the first recording is not a change
			}
			d := h.AsOf
			if d.IsZero() {
				d = pdate.Date{Time: h.ChangedAt.UTC().Truncate(24 * time.Hour), Precision: pdate.Day}
			}
			c := Change{Kind: ChangeStatus, Date: d, Code: r.Code, Name: r.Name, ProvinceCode: r.ProvinceCode,
				Old: h.Old, New: h.New, SourceIDs: h.SourceIDs, At: d.Latest()}
			c.from, c.to = d.Latest(), d.Latest()
			out = append(out, c)
		}
	}
	for _, p := range m.Provinces {
		if p.FullCoverage.IsZero() {
			continue
		}
		c := Change{Kind: ChangeFullCoverage, Date: p.FullCoverage, Code: p.Code, Name: p.Name, ProvinceCode: p.Code,
			SourceIDs: []string{}, At: p.FullCoverage.Latest()}
		c.from, c.to = period(p.FullCoverage)
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}
