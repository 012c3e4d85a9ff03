package progress

import (
	"fmt"
	"testing"

	"mppmap/data"
	"mppmap/data/pdate"
)

func ip(v int) *int { return &v }

// snap is a small read model: DKI (two of its kab/kota) and three regions of Jawa Barat, a stated
// national series of 2022–2024, two dated sites and one status history.
func snap() *data.Snapshot {
	d := pdate.MustParse
	return data.NewSnapshot(data.Snapshot{
		DataAsOf:  day("2024-06-30"),
		Provinces: []data.Province{{Code: "31", Name: "DKI Jakarta"}, {Code: "32", Name: "Jawa Barat"}},
		Regions: []data.Region{
			{Code: "31.71", Name: "Jakarta Pusat", ProvinceCode: "31", Kind: "kota", Status: data.StatusYes, StatusAsOf: d("2017")},
			{Code: "31.72", Name: "Jakarta Utara", ProvinceCode: "31", Kind: "kota", Status: data.StatusYes, StatusAsOf: d("2017")},
			{Code: "32.04", Name: "Kabupaten Bandung", ProvinceCode: "32", Kind: "kabupaten", Status: data.StatusNo, StatusAsOf: d("2024-06-24")},
			{Code: "32.05", Name: "Kabupaten Garut", ProvinceCode: "32", Kind: "kabupaten", Status: data.StatusUnknown},
			{Code: "32.73", Name: "Kota Bandung", ProvinceCode: "32", Kind: "kota", Status: data.StatusYes, StatusAsOf: d("2023-10-31"), FirstKnown: d("2023-10")},
		},
		History: map[string][]data.StatusChange{
			"32.04": {{Old: "", New: data.StatusInProgress, AsOf: d("2022-03-01")}, {Old: data.StatusInProgress, New: data.StatusNo, AsOf: d("2024-06-24")}},
		},
		Sites: []data.Site{
			{ProvinceCode: "31", Name: "MPP DKI", Inaugurated: d("2017-11-10")},
			{ProvinceCode: "32", RegionCode: "32.73", Name: "MPP Kota Bandung", Inaugurated: d("2023-10")},
			{ProvinceCode: "32", RegionCode: "32.05", Name: "MPP Garut (undated)"},
		},
		NationalCounts: []data.NationalCount{
			{AsOf: d("2022-01-01"), Cumulative: ip(50), ValueType: data.ValueStated},
			{AsOf: d("2023-06-30"), Cumulative: ip(140), ValueType: data.ValueStated},
			{AsOf: d("2023-06-30"), Cumulative: ip(160), ValueType: data.ValueStatedApprox}, // two figures: averaged to 150
			{AsOf: d("2024-06-30"), Cumulative: ip(200), ValueType: data.ValueStated},
		},
		Targets: []data.Target{
			{ID: "T1", TargetYear: "2025", Target: "all kab/kota", Scope: "all kab/kota"},
			{ID: "T2", TargetYear: "2023", Target: "~100 new MPP in 2023", Scope: "count"},
			{ID: "T3", TargetYear: "2024", Target: "MPP Digital everywhere", Scope: "all kab/kota"},
			{ID: "T4", TargetYear: "ongoing", Target: "more", Scope: "all kab/kota"},
		},
	})
}

func TestShares(t *testing.T) {
	s := snap()
	tests := []struct {
		name         string
		regions      []data.Region
		bskdn, kemen [2]int // units, with
	}{
		{"national: DKI's two kab/kota are one unit", s.Regions, [2]int{5, 3}, [2]int{4, 2}},
		{"Jawa Barat only", s.Regions[2:], [2]int{3, 1}, [2]int{3, 1}},
		{"none", nil, [2]int{0, 0}, [2]int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Shares(tt.regions)
			if a.Denominator != DenomBSKDN || a.Units != tt.bskdn[0] || a.WithMPP != tt.bskdn[1] {
				t.Errorf("bskdn = %+v, want %v", a, tt.bskdn)
			}
			if b.Denominator != DenomKemenPANRB || b.Units != tt.kemen[0] || b.WithMPP != tt.kemen[1] {
				t.Errorf("kemenpanrb = %+v, want %v", b, tt.kemen)
			}
			if (a.Units == 0) != (a.Pct == nil) {
				t.Errorf("pct %v for %d units: no units must be no percentage, not 0", a.Pct, a.Units)
			}
		})
	}
}

func TestBuild(t *testing.T) {
	s := snap()
	tests := []struct {
		name           string
		province       string
		scope, basis   string
		count          float64
		pace12         *float64
		targets, sites int
	}{
		{"national on the stated series", "", "national", BasisStated, 200, ptr(4.16), 4, 2},
		{"window before the first site: no pace", "32", "province", BasisSites, 1, nil, 0, 1},
		{"DKI", "31", "province", BasisSites, 1, ptr(0.0), 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Build(s, tt.province)
			if r.Scope != tt.scope || r.Current.Basis != tt.basis || r.Current.Count != tt.count {
				t.Errorf("scope %s basis %s count %v, want %s %s %v", r.Scope, r.Current.Basis, r.Current.Count, tt.scope, tt.basis, tt.count)
			}
			if !r.End.Equal(day("2024-06-30")) || !r.Current.Date.Equal(r.End) {
				t.Errorf("end %v, current %v; want 2024-06-30", r.End, r.Current.Date)
			}
			if len(r.Paces) != 3 || r.Paces[0].Window != WindowSince2022 || r.Paces[1].Window != WindowLast12Months || r.Paces[2].Window != WindowLast6Months {
				t.Fatalf("paces %+v", r.Paces)
			}
			p12, _ := r.Pace(WindowLast12Months)
			if (p12.PerMonth == nil) != (tt.pace12 == nil) || (p12.PerMonth != nil && *p12.PerMonth != *tt.pace12) {
				t.Errorf("12-month pace %v, want %v", deref(p12.PerMonth), deref(tt.pace12))
			}
			if len(r.Targets) != tt.targets || len(r.Sites.Series) != tt.sites {
				t.Errorf("%d targets, %d site points; want %d, %d", len(r.Targets), len(r.Sites.Series), tt.targets, tt.sites)
			}
			// The goal comes from the data: the country's kemenpanrb units, whatever the scope.
			if _, nat := Shares(s.Regions); r.Goal != nat.Units || r.Autonomous != nat.Units-1 {
				t.Errorf("goal %d (autonomous %d), want %d (%d)", r.Goal, r.Autonomous, nat.Units, nat.Units-1)
			}
		})
	}
	// National: 200 on 2024-06-30, 150 a year before (two figures averaged): 50 in 12 months.
	r := Build(s, "")
	p12, _ := r.Pace(WindowLast12Months)
	if eta := p12.ETA[DenomKemenPANRB]; eta == nil || !eta.Equal(r.End) {
		t.Errorf("ETA over 4 units with 200 counted: %v, want the end (reached)", eta)
	}
	if r.Sites.Undated != 1 {
		t.Errorf("undated sites = %d, want 1", r.Sites.Undated)
	}
}

func TestAssess(t *testing.T) {
	series := Merge([]Point{{day("2022-01-01"), 50}, {day("2023-01-01"), 100}, {day("2023-12-31"), 210}, {day("2024-06-30"), 300}})
	end := day("2024-06-30")
	paces := map[string]float64{WindowLast12Months: 10, WindowLast6Months: 20}
	tests := []struct {
		name           string
		target         data.Target
		kind, status   string
		achieved, goal float64
		category       Category
	}{
		{"coverage, open, slow", data.Target{TargetYear: "2025", Scope: "all kab/kota"}, KindCoverage, TargetOpen, 300, 509, AccelerationNeeded},
		{"coverage, missed", data.Target{TargetYear: "2023", Scope: "all kab/kota"}, KindCoverage, TargetMissed, 210, 509, ""},
		{"count in year, met", data.Target{TargetYear: "2023", Target: "~100 new MPP in 2023", Scope: "count"}, KindCountInYear, TargetMet, 110.14, 100, ""},
		{"last year named is the deadline", data.Target{TargetYear: "2022-2025", Scope: "508 kab/kota"}, KindCoverage, TargetOpen, 300, 509, AccelerationNeeded},
		{"regional", data.Target{TargetYear: "2025", Scope: "20 kab/kota"}, KindNotAssessed, TargetNotAssessed, 0, 0, ""},
		{"digital", data.Target{TargetYear: "2025", Target: "MPP Digital", Scope: "all kab/kota"}, KindNotAssessed, TargetNotAssessed, 0, 0, ""},
		{"no year", data.Target{TargetYear: "ongoing", Scope: "all kab/kota"}, KindNotAssessed, TargetNotAssessed, 0, 0, ""},
		{"before the series", data.Target{TargetYear: "2019", Scope: "all kab/kota"}, KindNotAssessed, TargetNotAssessed, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Assess(tt.target, series, end, paces, 509, 508)
			if a.Kind != tt.kind || a.Status != tt.status {
				t.Fatalf("kind %s status %s, want %s %s", a.Kind, a.Status, tt.kind, tt.status)
			}
			if tt.kind == KindNotAssessed {
				if a.Goal != nil || a.Deadline != nil || a.Achieved != nil {
					t.Errorf("not assessed but %+v", a)
				}
				return
			}
			if *a.Achieved != tt.achieved || *a.Goal != tt.goal {
				t.Errorf("achieved %v of %v, want %v of %v", *a.Achieved, *a.Goal, tt.achieved, tt.goal)
			}
			if tt.category == "" {
				if a.Category != nil || a.RequiredPerMonth != nil || len(a.CategoryByWindow) != 0 {
					t.Errorf("a closed target is not categorised: %+v", a)
				}
				return
			}
			if a.Category == nil || *a.Category != tt.category || len(a.CategoryByWindow) != 2 || a.RequiredPerMonth == nil || a.Ratio == nil {
				t.Errorf("category %v ratio %v required %v by window %v, want %s", a.Category, a.Ratio, a.RequiredPerMonth, a.CategoryByWindow, tt.category)
			}
		})
	}
}

func TestStatusAt(t *testing.T) {
	s := snap()
	tests := []struct {
		name, code, at string
		status         data.Status
		reason         string
	}{
		{"DKI's provincial site opened", "31.72", "2018-01-01", data.StatusYes, ReasonSiteOpened},
		{"before DKI's site", "31.71", "2017-11-09", data.StatusNo, ReasonOpenedLater},
		{"site dated by month, asked inside it", "32.73", "2023-10-15", data.StatusUnknown, ReasonDatePrecision},
		{"site dated by month, after it", "32.73", "2023-11-01", data.StatusYes, ReasonSiteOpened},
		{"site dated by month, before it", "32.73", "2023-09-30", data.StatusNo, ReasonOpenedLater},
		{"recorded status", "32.04", "2023-01-01", data.StatusInProgress, ReasonRecordedStatus},
		{"a later no implies no", "32.04", "2021-01-01", data.StatusNo, ReasonNoMPPAtLaterDate},
		{"unknown stays unknown", "32.05", "2024-01-01", data.StatusUnknown, ReasonNoSource},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := s.Region(tt.code)
			got := StatusAt(s, r, day(tt.at))
			if got.Status != tt.status || got.Reason != tt.reason {
				t.Errorf("got %s (%s), want %s (%s)", got.Status, got.Reason, tt.status, tt.reason)
			}
		})
	}
	// A site known only as "existed by" a date: before it the day is unknown (date precision),
	// never no; a recorded no before it still counts; from the bound on it is yes.
	byDate := *s
	byDate.Sites = append(append([]data.Site(nil), s.Sites...),
		data.Site{ProvinceCode: "32", RegionCode: "32.05", Name: "MPP Garut", Inaugurated: pdate.MustParse("<=2022-05-09")},
		data.Site{ProvinceCode: "32", RegionCode: "32.04", Name: "MPP Kabupaten Bandung", Inaugurated: pdate.MustParse("<=2025-01")})
	bs := data.NewSnapshot(byDate)
	for _, tt := range []struct {
		name, code, at string
		status         data.Status
		reason         string
	}{
		{"by a date, asked long before", "32.05", "2019-01-01", data.StatusUnknown, ReasonDatePrecision},
		{"by a date, asked the day before", "32.05", "2022-05-08", data.StatusUnknown, ReasonDatePrecision},
		{"by a date, on the bound", "32.05", "2022-05-09", data.StatusYes, ReasonSiteOpened},
		{"by a date, a recorded status before it still holds", "32.04", "2023-01-01", data.StatusInProgress, ReasonRecordedStatus},
		{"by a date, the bound's month end", "32.04", "2025-01-31", data.StatusYes, ReasonSiteOpened},
	} {
		r, _ := bs.Region(tt.code)
		if got := StatusAt(bs, r, day(tt.at)); got.Status != tt.status || got.Reason != tt.reason {
			t.Errorf("%s: got %s (%s), want %s (%s)", tt.name, got.Status, got.Reason, tt.status, tt.reason)
		}
	}
	list, counts := StatusesAt(s, day("2024-06-30"))
	if len(list) != 5 || len(counts) != 4 || counts[data.StatusYes] != 3 || counts[data.StatusInProgress] != 0 {
		t.Errorf("StatusesAt: %d regions, counts %v", len(list), counts)
	}
}

func ExampleBuild() {
	// Five kab/kota (DKI's two count once: four units) and stated counts to match them.
	s := *snap()
	s.NationalCounts = []data.NationalCount{
		{AsOf: pdate.MustParse("2022-01-01"), Cumulative: ip(1), ValueType: data.ValueStated},
		{AsOf: pdate.MustParse("2023-06-30"), Cumulative: ip(2), ValueType: data.ValueStated},
		{AsOf: pdate.MustParse("2024-06-30"), Cumulative: ip(3), ValueType: data.ValueStated},
	}
	r := Build(data.NewSnapshot(s), "")
	p, _ := r.Pace(WindowLast12Months)
	fmt.Printf("%s: %.0f MPPs on %s (%s); 12-month pace %.2f/month\n", r.Scope, r.Current.Count,
		r.Current.Date.Format("2006-01-02"), r.Current.Basis, *p.PerMonth)
	for _, a := range r.Targets {
		fmt.Println(a.Target.ID, a.Kind, a.Status)
	}
	// Output:
	// national: 3 MPPs on 2024-06-30 (stated); 12-month pace 0.08/month
	// T1 coverage open
	// T2 count_in_year missed
	// T3 not_assessed not_assessed
	// T4 not_assessed not_assessed
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// SiteDates gives each region its earliest dated site in one pass: DKI Jakarta's provincial site
// for its kab/kota, a region's own site when earlier, the first listed of two with the same last
// day, no entry for undated sites; and StatusesAt agrees with StatusAt region by region.
func TestSiteDates(t *testing.T) {
	base := snap()
	s := *base
	d := pdate.MustParse
	s.Sites = append(append([]data.Site(nil), base.Sites...),
		data.Site{ProvinceCode: "31", RegionCode: "31.71", Name: "own, earlier", Inaugurated: d("2017-05-02")},
		data.Site{ProvinceCode: "31", RegionCode: "31.72", Name: "own, same last day, listed later", Inaugurated: d("<=2017-11-10")},
		data.Site{ProvinceCode: "32", RegionCode: "32.73", Name: "second site, later", Inaugurated: d("2024-02-01")},
	)
	snap2 := data.NewSnapshot(s)
	got := SiteDates(snap2)
	want := map[string]string{"31.71": "2017-05-02", "31.72": "2017-11-10", "32.73": "2023-10"}
	if len(got) != len(want) {
		t.Errorf("SiteDates = %v, want %v", got, want)
	}
	for code, w := range want {
		if g, ok := got[code]; !ok || g.String() != w {
			t.Errorf("%s: site date %v (%v), want %s", code, g, ok, w)
		}
		r, _ := snap2.Region(code)
		if one, _ := SiteDate(snap2, r); one != got[code] {
			t.Errorf("%s: SiteDate %v, SiteDates %v", code, one, got[code])
		}
	}
	// The earliest last day is not the whole story: 31.72's own site is known only "by"
	// 2017-11-10, so the day before DKI's provincial site opened it may already have had one.
	for _, tt := range []struct {
		code, at string
		status   data.Status
		reason   string
	}{
		{"31.72", "2017-11-09", data.StatusUnknown, ReasonDatePrecision},
		{"31.72", "2017-11-10", data.StatusYes, ReasonSiteOpened},
		{"31.71", "2017-05-01", data.StatusNo, ReasonOpenedLater},
	} {
		r, _ := snap2.Region(tt.code)
		if got := StatusAt(snap2, r, day(tt.at)); got.Status != tt.status || got.Reason != tt.reason {
			t.Errorf("%s on %s: got %s (%s), want %s (%s)", tt.code, tt.at, got.Status, got.Reason, tt.status, tt.reason)
		}
	}
	for _, at := range []string{"2017-06-01", "2017-11-09", "2017-11-10", "2023-10-15", "2024-06-30"} {
		list, _ := StatusesAt(snap2, day(at))
		for i, r := range snap2.Regions {
			if one := StatusAt(snap2, r, day(at)); one != list[i] {
				t.Errorf("%s on %s: StatusesAt %+v, StatusAt %+v", r.Code, at, list[i], one)
			}
		}
	}
}
