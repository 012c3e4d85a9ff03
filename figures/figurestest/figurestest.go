// Package figurestest is a small synthetic read model for tests that need a whole country in
// miniature: the parity test of the two surfaces, the pages' golden files. It has three
// provinces (DKI Jakarta with two administrative units and its provincial MPP, a province with
// four regions of every status, one hostile name among them, and a province without regions'
// data), sources with every date precision, a status history, sites with every date precision,
// conflicting stated counts, targets, an inhibiting factor, indicators with a gap, land and
// nearest neighbours, and square boundaries at every detail level.
package figurestest

import (
	"time"

	"github.com/paulmach/orb"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/geo"
)

// HostileName is the name of region HostileCode: every surface must show it as text.
const (
	HostileName = `<img src=x onerror=alert(1)>`
	HostileCode = "32.04"
)

func ptr[T any](v T) *T { return &v }

// Snapshot builds the read model. Each call returns a fresh one (tests may modify it).
func Snapshot() *data.Snapshot {
	d := pdate.MustParse
	n := func(v int) *int { return &v }
	regions := []data.Region{
		{Code: "31.71", Name: "Kota Adm. Jakarta Pusat", ProvinceCode: "31", ProvinceName: "DKI Jakarta", Kind: "kota",
			Status: data.StatusYes, StatusAsOf: d("2017-10-12"), FirstKnown: d("2017-10-12"), Evidence: "covered_by_provincial_MPP", AreaKm2: 48.13},
		{Code: "31.72", Name: "Kota Adm. Jakarta Utara", ProvinceCode: "31", ProvinceName: "DKI Jakarta", Kind: "kota",
			Status: data.StatusYes, StatusAsOf: d("2017-10-12"), Evidence: "covered_by_provincial_MPP"},
		{Code: "32.01", Name: "Kabupaten Bogor", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten",
			Status: data.StatusYes, StatusAsOf: d("2023-10-31"), FirstKnown: d("2023-10"), Evidence: "confirmed_named", SourceIDs: []string{"S2", "S10"}},
		{Code: HostileCode, Name: HostileName, ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten",
			Status: data.StatusNo, StatusAsOf: d("2024-06-24"), Evidence: "named_as_without_MPP", SourceIDs: []string{"S10"}, Note: "<b>note</b>"},
		{Code: "32.05", Name: "Kabupaten Garut", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten",
			Status: data.StatusUnknown, Evidence: "no_source_found"},
		{Code: "32.73", Name: "Kota Bandung", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kota",
			Status: data.StatusInProgress, StatusAsOf: d("2024-08"), Evidence: "local_news", SourceIDs: []string{"S3"}},
		{Code: "91.01", Name: "Kabupaten Merauke", ProvinceCode: "91", ProvinceName: "Papua", Kind: "kabupaten",
			Status: data.StatusYes, StatusAsOf: d("<=2022-05-09"), Evidence: "confirmed_named", SourceIDs: []string{"S3"}},
	}
	geoms := map[geo.Detail]map[string]orb.MultiPolygon{}
	for _, det := range geo.Details {
		geoms[det] = map[string]orb.MultiPolygon{}
		for i, r := range regions {
			x := 106 + float64(i)*0.5
			geoms[det][r.Code] = orb.MultiPolygon{{{{x, -7}, {x + 0.5, -7}, {x + 0.5, -6.5}, {x, -6.5}, {x, -7}}}}
		}
	}
	return data.NewSnapshot(data.Snapshot{
		LoadedAt:   time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC),
		DataAsOf:   time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC),
		ImportedAt: time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC),
		Provinces: []data.Province{{Code: "31", Name: "DKI Jakarta", KotaCount: 2}, {Code: "32", Name: "Jawa Barat", KabupatenCount: 3, KotaCount: 1},
			{Code: "91", Name: "Papua", KabupatenCount: 1}},
		Regions: regions,
		Sources: map[string]data.Source{
			"S2":  {ID: "S2", Address: "https://example.org/s2", Description: "Inauguration of MPP Kabupaten Bogor", Published: d("2023-10-31")},
			"S3":  {ID: "S3", Address: "https://example.org/s3", Description: "Regional news, " + HostileName, Published: d("2024-08")},
			"S10": {ID: "S10", Address: "javascript:alert(1)", Description: "A release with a bad address", Published: d("2024"), DateNote: "year only"},
			"S11": {ID: "S11", Address: "https://example.org/s11", Description: "National count", Published: d("2025-12-15")},
		},
		Datasets: []data.DatasetFile{{Path: "mpp/mpp_status_by_region.csv", Title: "MPP status per kabupaten/kota", Publisher: "compiled",
			Licence: "facts with per-row sources", AsOf: "2026-11-28", ImportedAt: time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)}},
		Geometry: geoms,
		History: map[string][]data.StatusChange{
			"32.01": {
				{ChangedAt: time.Date(2024, 1, 5, 10, 0, 0, 0, time.UTC), New: data.StatusInProgress, AsOf: d("2022-03"), Evidence: "local_news", ChangedBy: "import:1"},
				{ChangedAt: time.Date(2026, 2, 12, 10, 0, 0, 0, time.UTC), Old: data.StatusInProgress, New: data.StatusYes, AsOf: d("2023-10-31"),
					Evidence: "confirmed_named", SourceIDs: []string{"S2"}, ChangedBy: "import:2"},
			},
			HostileCode: {{ChangedAt: time.Date(2026, 2, 12, 10, 0, 0, 0, time.UTC), New: data.StatusNo, AsOf: d("2024-06-24"), Evidence: "named_as_without_MPP",
				SourceIDs: []string{"S10"}, ChangedBy: "import:2"}},
		},
		Sites: []data.Site{
			{ProvinceCode: "31", Name: "MPP DKI Jakarta", Inaugurated: d("2017-10-12"), Evidence: "confirmed_named", SourceIDs: []string{"S11"}},
			{ProvinceCode: "32", RegionCode: "32.01", Name: "MPP Kabupaten Bogor", Inaugurated: d("2023-10-31"), Evidence: "confirmed_named", SourceIDs: []string{"S2"}},
			{ProvinceCode: "91", RegionCode: "91.01", Name: "MPP Merauke", Inaugurated: d("<=2022-05-09"), Evidence: "confirmed_named", SourceIDs: []string{"S3"}},
			{ProvinceCode: "32", RegionCode: "32.73", Name: "MPP Kota Bandung (planned)", Evidence: "local_news"},
		},
		NationalCounts: []data.NationalCount{
			{Year: 2022, AsOf: d("2022-12-31"), Cumulative: n(1), ValueType: data.ValueStatedApprox},
			{Year: 2024, AsOf: d("2024-06-24"), Cumulative: n(2), ValueType: data.ValueStated, SourceIDs: []string{"S10"}},
			{Year: 2024, AsOf: d("2024-06-24"), Cumulative: n(3), ValueType: data.ValueStated, SourceIDs: []string{"S11"}, Note: "another agency"},
			{Year: 2025, AsOf: d("2025-12-15"), Cumulative: n(4), ValueType: data.ValueStated, YearEndBest: true, SourceIDs: []string{"S11"}},
		},
		Targets: []data.Target{
			{ID: "T1", SetBy: "Presiden", StatedOn: d("2021"), TargetYear: "2024", Target: "100% of kab/kota have MPP", Scope: "508 kab/kota"},
			{ID: "T2", SetBy: "KemenPANRB", TargetYear: "2027", Target: "All kab/kota have MPP", Scope: "all kab/kota", SourceIDs: []string{"S11"}},
			{ID: "T3", SetBy: "KemenPANRB", TargetYear: "2024", Target: "MPP Digital in 199 kab/kota", Scope: "199 kab/kota"},
		},
		Inhibitors: []data.Inhibitor{
			{Category: "budget / fiscal capacity", Finding: "Budget cut; <i>MPP</i> postponed", Area: "Kab Garut",
				RegionCodes: []string{"32.05"}, Scope: data.ScopeRegion, DateText: "2024-07", SourceIDs: []string{"S3"}},
			{Category: "budget / fiscal capacity", Finding: "Building an MPP is hard for regional finances", Area: "Papua (Ombudsman)",
				ProvinceCodes: []string{"91"}, Scope: data.ScopeProvince, DateText: "2022-07-28", SourceIDs: []string{"S3"}},
			{Category: "regulation / institutional", Finding: "No binding deadline", Area: "national", Scope: data.ScopeNational, DateText: "2024", SourceIDs: []string{"S11"}},
		},
		Indicators: []data.Indicator{
			{ID: "pad_share_budget_pct", LabelID: "Rasio PAD", LabelEN: "PAD share", Unit: "%", Dataset: "fiscal/apbd_kabkota_2024.csv"},
			{ID: "ipm", LabelID: "IPM", LabelEN: "HDI", Unit: "index", Dataset: "demography/ipm_bps_2024.csv"},
		},
		Values: map[string][]data.IndicatorValue{
			"32.01":     {{IndicatorID: "ipm", Period: "2024", Value: 73.5}, {IndicatorID: "pad_share_budget_pct", Period: "2024", Value: 31.2}},
			HostileCode: {{IndicatorID: "ipm", Period: "2024", Value: 72.1}, {IndicatorID: "pad_share_budget_pct", Period: "2024", Value: 12.4}},
			"32.73":     {{IndicatorID: "ipm", Period: "2024", Value: 82.9}, {IndicatorID: "pad_share_budget_pct", Period: "2024", Value: 40.5}},
			"91.01":     {{IndicatorID: "ipm", Period: "2024", Value: 70.2}, {IndicatorID: "pad_share_budget_pct", Period: "2024", Value: 4.1}},
		},
		FiscalPeriods: []data.FiscalPeriod{{ID: "pmk_65_2024", Regulation: "PMK 65/2024", Year: 2024}, {ID: "pmk_97_2025", Regulation: "PMK 97/2025", Year: 2025}},
		RegionFiscal: map[string][]data.RegionFiscal{
			"91.01": {{Period: "pmk_65_2024", Ratio: ptr(0.843), Category: "sangat rendah", SourceIDs: []string{"S3"}},
				{Period: "pmk_97_2025", Ratio: ptr(0.048), Category: "rendah", SourceIDs: []string{"S3"}}},
			HostileCode: {{Period: "pmk_65_2024", Ratio: ptr(1.2), Category: "sedang", SourceIDs: []string{"S3"}, Note: "<b>checked</b>"}},
		},
		Digital: []data.DigitalRegion{
			{RegionCode: "32.05", Model: "MPP Digital Nasional (pilot)", AsOf: d("2023-06-20"), SourceIDs: []string{"S11"}, Note: "pilot; no physical MPP known"},
			{RegionCode: "32.01", Model: "own app <script>", AsOf: d("2024"), SourceIDs: []string{"S2"}},
		},
		DigitalFacts: []data.DigitalFact{
			{Date: d("2023-06-20"), DateText: "2023-06-20", Metric: "pilot_count", Value: "21 kab/kota in the soft launch", SourceIDs: []string{"S11"}},
			{DateText: "2024", Date: d("2024"), Metric: "adoption_count", Value: "MPP Digital accessible in 199 kab/kota", SourceIDs: []string{"S11"}},
		},
		Costs: []data.Cost{
			{RegionName: "Kab Bogor", RegionCode: "32.01", Amount: "Rp19 bn", What: "building <i>and</i> fit-out", YearText: "2022", SourceIDs: []string{"S2"}},
			{RegionName: "Somewhere", Amount: "Rp6.5 bn", What: "2-floor building", YearText: "2020", Address: "https://example.org/cost"},
		},
		Neighbours: map[string][]data.Neighbour{
			"32.01":     {{Code: HostileCode, Relation: data.RelationBorder, BorderKm: 61.337}, {Code: "32.73", Relation: data.RelationBorder, BorderKm: 12.5}},
			HostileCode: {{Code: "32.01", Relation: data.RelationBorder, BorderKm: 61.337}, {Code: "32.05", Relation: data.RelationBorder, BorderKm: 40}},
			"32.05":     {{Code: HostileCode, Relation: data.RelationBorder, BorderKm: 40}},
			"32.73":     {{Code: "32.01", Relation: data.RelationBorder, BorderKm: 12.5}},
			"91.01":     {{Code: "32.05", Relation: data.RelationNearest, DistanceKm: 2900.444}},
			"31.71":     {{Code: "31.72", Relation: data.RelationBorder, BorderKm: 7.1}},
			"31.72":     {{Code: "31.71", Relation: data.RelationBorder, BorderKm: 7.1}},
		},
	})
}
