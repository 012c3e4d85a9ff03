package progress

import (
	"slices"
	"testing"
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
)

// fuzzDate is s parsed, or the zero Date (no date) when s is not a date.
func fuzzDate(s string) pdate.Date {
	d, err := pdate.Parse(s)
	if err != nil {
		return pdate.Date{}
	}
	return d
}

var reasons = []string{ReasonSiteOpened, ReasonDatePrecision, ReasonOpenedLater, ReasonRecordedStatus,
	ReasonNoMPPAtLaterDate, ReasonFirstKnown, ReasonNoSource, ReasonBeforeFirstKnown}

// FuzzStatusAt builds a small snapshot from fuzzed parts — one region with a status, an as-of
// and a first-known date, up to two dated sites (the second DKI Jakarta's provincial site when the
// region is in DKI) and one recorded change with its own date, next to a region with nothing
// known — and asks every status on a day of 1990–2035. Date strings that do not parse are left
// out (no date, no site). It holds StatusAt to the honesty rules of progress.method.status_at:
//
//   - the status is one of the four, with a known reason;
//   - yes needs a site, a recorded yes, or a first-known date on or before the day (Latest);
//   - no needs a recorded no or in_progress, or sites that all opened after the day on a date
//     that says so — a site known only "by X" (Before) says nothing about the days before X,
//     and a month or year that contains the day does not exclude it;
//   - unknown with no site and no dated record stays unknown;
//   - Since is one of the dates the status rests on;
//   - StatusesAt agrees with StatusAt region by region, and its counts add up.
func FuzzStatusAt(f *testing.F) {
	type seed struct {
		status                       uint8
		asOf, firstKnown, site, sit2 string
		histStatus                   uint8
		histAsOf                     string
		dki                          bool
		year, yday                   int
	}
	const yes, inProgress, no, unknown = 0, 1, 2, 3 // index into data.Statuses
	for _, s := range []seed{
		{yes, "2024-08", "<=2023-10-31", "2023-10", "", no, "2022", false, 33, 100},
		{yes, "2024-08", "", "<=2022-05-09", "", no, "", false, 30, 1},
		{yes, "2024-08", "", "<=2022-05-09", "", no, "2023-01", false, 30, 1},
		{yes, "2024", "", "<=2024", "2024-06-01", unknown, "", false, 34, 60},
		{yes, "2024", "", "2024-08", "2024-08-15", unknown, "", false, 34, 222},
		{yes, "2024", "", "2024-08-15", "2024-08", unknown, "", false, 34, 222},
		{yes, "2017", "", "", "2017-10-12", unknown, "", true, 27, 300},
		{yes, "2017", "", "<=2017-11-10", "2017-11-10", unknown, "", true, 27, 312},
		{yes, "2017", "", "2018-01-01", "<=2019", unknown, "", true, 28, 10},
		{inProgress, "2023-01", "", "", "", no, "2021", false, 32, 0},
		{no, "2024-06-24", "", "", "", unknown, "", false, 34, 170},
		{unknown, "", "", "", "", unknown, "", false, 20, 0},
		{unknown, "2024", "", "", "", yes, "", false, 40, 0},
		{yes, "<=2022", "<=2020", "", "", yes, "<=2019", false, 31, 365},
		{yes, "2024-02-29", "2023-02-29", "0000-00-00", "<=<=2024", no, "<=", false, -5, -400},
		{yes, "NaN", "\ufeff2024", "\xff\xfe", "2024-08\r\n", no, "99999999999999999999", false, 1 << 62, 1 << 40},
	} {
		f.Add(s.status, s.asOf, s.firstKnown, s.site, s.sit2, s.histStatus, s.histAsOf, s.dki, s.year, s.yday)
	}
	f.Fuzz(func(t *testing.T, status uint8, asOf, firstKnown, site, site2 string, histStatus uint8, histAsOf string, dki bool, year, yday int) {
		mod := func(n, m int) int { return (n%m + m) % m }
		at := time.Date(1990+mod(year, 46), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, mod(yday, 366))

		prov, code := "32", "32.73"
		if dki {
			prov, code = data.DKIProvince, "31.71"
		}
		main := data.Region{Code: code, Name: "Fuzzed", ProvinceCode: prov, Kind: "kota",
			Status: data.Statuses[int(status)%len(data.Statuses)], StatusAsOf: fuzzDate(asOf), FirstKnown: fuzzDate(firstKnown)}
		blank := data.Region{Code: "32.05", Name: "Nothing known", ProvinceCode: "32", Kind: "kabupaten", Status: data.StatusUnknown}
		var sites []data.Site
		if d := fuzzDate(site); !d.IsZero() {
			sites = append(sites, data.Site{ProvinceCode: prov, RegionCode: code, Name: "own", Inaugurated: d})
		}
		if d := fuzzDate(site2); !d.IsZero() {
			s := data.Site{ProvinceCode: prov, RegionCode: code, Name: "second", Inaugurated: d}
			if dki {
				s.RegionCode, s.Name = "", "DKI Jakarta's provincial MPP"
			}
			sites = append(sites, s)
		}
		change := data.StatusChange{ChangedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			New: data.Statuses[int(histStatus)%len(data.Statuses)], AsOf: fuzzDate(histAsOf)}
		s := data.NewSnapshot(data.Snapshot{
			Provinces: []data.Province{{Code: "31", Name: "DKI Jakarta"}, {Code: "32", Name: "Jawa Barat"}},
			Regions:   []data.Region{main, blank},
			Sites:     sites,
			History:   map[string][]data.StatusChange{code: {change}},
		})

		list, counts := StatusesAt(s, at)
		if len(list) != len(s.Regions) || len(counts) != len(data.Statuses) {
			t.Fatalf("StatusesAt: %d statuses for %d regions, counts %v", len(list), len(s.Regions), counts)
		}
		total := 0
		for _, n := range counts {
			total += n
		}
		if total != len(s.Regions) {
			t.Errorf("counts %v add up to %d, want %d", counts, total, len(s.Regions))
		}
		for i, r := range s.Regions {
			rs := StatusAt(s, r, at)
			if rs != list[i] {
				t.Errorf("%s: StatusAt %+v, StatusesAt %+v", r.Code, rs, list[i])
			}
			checkHonest(t, s, r, at, rs)
		}
	})
}

// checkHonest asserts that rs, r's status on the day at, rests on evidence in s.
func checkHonest(t *testing.T, s *data.Snapshot, r data.Region, at time.Time, rs RegionStatus) {
	t.Helper()
	day := at.Format(time.DateOnly)
	if !rs.Status.Valid() || !slices.Contains(reasons, rs.Reason) || rs.Code != r.Code || rs.Name != r.Name {
		t.Fatalf("%s on %s: %+v", r.Code, day, rs)
	}
	// The evidence: the region's dated sites (DKI's provincial one included) and its dated
	// records (the current status and the history; unknown records nothing).
	var sites []pdate.Date
	for _, x := range s.Sites {
		if !x.Inaugurated.IsZero() && (x.RegionCode == r.Code || (x.RegionCode == "" && x.ProvinceCode == data.DKIProvince && r.ProvinceCode == data.DKIProvince)) {
			sites = append(sites, x.Inaugurated)
		}
	}
	type rec struct {
		st   data.Status
		asOf pdate.Date
	}
	var recs []rec
	for _, x := range append([]rec{{r.Status, r.StatusAsOf}}, func() (out []rec) {
		for _, hc := range s.History[r.Code] {
			out = append(out, rec{hc.New, hc.AsOf})
		}
		return out
	}()...) {
		if !x.asOf.IsZero() && x.st != data.StatusUnknown {
			recs = append(recs, x)
		}
	}
	onOrBefore := func(d pdate.Date) bool { return !d.Latest().After(at) }
	evidence := func() string {
		return "sites " + dates(sites) + ", records " + func() string {
			out := ""
			for _, x := range recs {
				out += string(x.st) + "@" + x.asOf.String() + " "
			}
			return out
		}() + ", first known " + r.FirstKnown.String()
	}

	switch rs.Status {
	case data.StatusYes:
		ok := slices.ContainsFunc(sites, onOrBefore) ||
			slices.ContainsFunc(recs, func(x rec) bool { return x.st == data.StatusYes && onOrBefore(x.asOf) }) ||
			(r.Status == data.StatusYes && !r.FirstKnown.IsZero() && onOrBefore(r.FirstKnown))
		if !ok {
			t.Errorf("%s on %s: yes (%s) without a site, a recorded yes or a first-known date by then; %s", r.Code, day, rs.Reason, evidence())
		}
	case data.StatusNo:
		recordedNo := slices.ContainsFunc(recs, func(x rec) bool { return x.st == data.StatusNo || x.st == data.StatusInProgress })
		allLater := len(sites) > 0 && !slices.ContainsFunc(sites, func(d pdate.Date) bool {
			return d.Precision == pdate.Before || !d.Time.After(at)
		})
		if !recordedNo && !allLater {
			t.Errorf("%s on %s: no (%s), but no record says no and a site may have been open by then; %s", r.Code, day, rs.Reason, evidence())
		}
	}
	if r.Status == data.StatusUnknown && len(sites) == 0 && len(recs) == 0 && rs.Status != data.StatusUnknown {
		t.Errorf("%s on %s: nothing known, but %s (%s)", r.Code, day, rs.Status, rs.Reason)
	}
	if !rs.Since.IsZero() {
		known := slices.Contains(sites, rs.Since) || rs.Since == r.FirstKnown ||
			slices.ContainsFunc(recs, func(x rec) bool { return x.asOf == rs.Since })
		if !known {
			t.Errorf("%s on %s: since %s, which is none of its dates; %s", r.Code, day, rs.Since, evidence())
		}
	}
}

func dates(ds []pdate.Date) string {
	out := "["
	for i, d := range ds {
		if i > 0 {
			out += " "
		}
		out += d.String()
	}
	return out + "]"
}
