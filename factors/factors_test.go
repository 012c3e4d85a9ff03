package factors

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"mppmap/data"
	_ "mppmap/golden"
	"mppmap/stats"
)

// country is a synthetic snapshot of n regions in four provinces (one of them a lagging one, 53)
// with statuses, APBD shares, IPM, poverty, population and area drawn from a fixed seed, some
// values missing, and PMK categories for the lagging province only.
func country(n int) *data.Snapshot {
	rng := rand.New(rand.NewPCG(7, 9))
	provs := []string{"32", "33", "53", "35"}
	s := data.Snapshot{Values: map[string][]data.IndicatorValue{}, RegionFiscal: map[string][]data.RegionFiscal{},
		FiscalPeriods: []data.FiscalPeriod{{ID: "pmk_65_2024", Regulation: "PMK 65/2024", Year: 2024}}}
	statuses := []data.Status{data.StatusYes, data.StatusYes, data.StatusYes, data.StatusNo, data.StatusInProgress, data.StatusUnknown}
	for i := range n {
		p := provs[i%4]
		code := fmt.Sprintf("%s.%02d", p, i/4+1)
		kind := "kabupaten"
		if i%3 == 0 {
			kind = "kota"
		}
		st := statuses[rng.IntN(len(statuses))]
		s.Regions = append(s.Regions, data.Region{Code: code, Name: "R" + code, ProvinceCode: p, Kind: kind, Status: st})
		add := func(id, period string, v float64) {
			if rng.IntN(10) == 0 {
				return // no data
			}
			s.Values[code] = append(s.Values[code], data.IndicatorValue{IndicatorID: id, Period: period, Value: v})
		}
		add("pad_share_budget_pct", "2024", 2+rng.Float64()*30)
		add("personnel_share_budget_pct", "2024", 20+rng.Float64()*25)
		add("transfer_central_share_budget_pct", "2024", 60+rng.Float64()*30)
		add("ipm", "2024", 60+rng.Float64()*25)
		add("poverty_pct", "2024", 3+rng.Float64()*25)
		add("population_dukcapil", "2024", float64(50_000+rng.IntN(2_000_000)))
		add("area_km2", "2024", 20+rng.Float64()*9000)
		if p == "53" && rng.IntN(5) > 0 {
			s.RegionFiscal[code] = []data.RegionFiscal{{Period: "pmk_65_2024", Category: data.FiscalCategories[rng.IntN(5)]}}
		}
	}
	s.Indicators = []data.Indicator{{ID: "pad_share_budget_pct", Dataset: "fiscal/apbd_kabkota_2024.csv"}, {ID: "ipm", Dataset: "demography/ipm_bps_2024.csv"}}
	return data.NewSnapshot(s)
}

func latest(string) (string, bool) { return "2024", true }

// Every group's counts equal a direct count over the regions, unknown kept apart; groups cover
// every region exactly once; the share is Wilson's interval.
func TestFactorGroups(t *testing.T) {
	s := country(120)
	a := Analyse(s, latest)
	wantIDs := "[pmk_65_2024 pad_share transfer_share personnel_share ipm poverty population area density kind lagging_provinces new_province]"
	if got := fmt.Sprint(a.FactorIDs()); got != wantIDs {
		t.Fatalf("factors %s, want %s", got, wantIDs)
	}
	for _, f := range a.Factors {
		total := 0
		for _, g := range f.Groups {
			var n, yes, ip, no, unk int
			for _, r := range s.Regions {
				if f.GroupOf(r.Code) != g.Key {
					continue
				}
				n++
				switch r.Status {
				case data.StatusYes:
					yes++
				case data.StatusInProgress:
					ip++
				case data.StatusNo:
					no++
				case data.StatusUnknown:
					unk++
				}
			}
			if g.N != n || g.Yes != yes || g.InProgress != ip || g.No != no || g.Unk != unk || len(g.Codes) != n {
				t.Errorf("%s/%s: n %d yes %d ip %d no %d unknown %d; counted %d %d %d %d %d", f.ID, g.Key, g.N, g.Yes, g.InProgress, g.No, g.Unk, n, yes, ip, no, unk)
			}
			total += g.N
			if n == 0 {
				if g.Share != nil {
					t.Errorf("%s/%s: a share of an empty group", f.ID, g.Key)
				}
				continue
			}
			// Wilson's closed form, independently.
			z, p, nn := 1.959963984540054, float64(yes)/float64(n), float64(n)
			c := (p + z*z/(2*nn)) / (1 + z*z/nn)
			h := z / (1 + z*z/nn) * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
			if math.Abs(g.Share.Share-100*p) > 0.051 || math.Abs(g.Share.Low-100*(c-h)) > 0.051 || math.Abs(g.Share.High-100*(c+h)) > 0.051 {
				t.Errorf("%s/%s: share %+v, Wilson gives %.2f (%.2f–%.2f)", f.ID, g.Key, *g.Share, 100*p, 100*(c-h), 100*(c+h))
			}
		}
		if total != len(s.Regions) {
			t.Errorf("%s: groups hold %d regions of %d", f.ID, total, len(s.Regions))
		}
	}
	pmk, _ := a.Factor("pmk_65_2024")
	if nd, _ := pmk.Group(NoData); nd.N < 90 {
		t.Errorf("regions without a PMK category: %d, want every region outside province 53 and more", nd.N)
	}
	lag, _ := a.Factor(Lagging)
	if g, _ := lag.Group("maluku_ntt"); g.N != 30 {
		t.Errorf("lagging group maluku_ntt has %d regions, want the 30 of province 53", g.N)
	}
}

// The model fits the regions with every predictor and a known status (main variant), and the
// sensitivity variants add the unknowns; refitting the design rows gives the published terms.
func TestModels(t *testing.T) {
	s := country(400)
	a := Analyse(s, latest)
	main, _ := a.Model(VariantMain)
	if main.Err != "" {
		t.Fatalf("main model: %s", main.Err)
	}
	unknown := 0
	for _, r := range s.Regions {
		if r.Status == data.StatusUnknown {
			unknown++
		}
	}
	if main.ExcludedUnknown != unknown || main.N+main.ExcludedUnknown+main.ExcludedMissing != len(s.Regions) {
		t.Errorf("main: n %d, unknown %d (want %d), missing %d", main.N, main.ExcludedUnknown, unknown, main.ExcludedMissing)
	}
	asNo, _ := a.Model(VariantUnknownAsNo)
	asYes, _ := a.Model(VariantUnknownAsYes)
	if asNo.N <= main.N || asNo.N != asYes.N || asYes.Events-asNo.Events <= 0 {
		t.Errorf("sensitivity: n %d / %d (main %d), events %d / %d", asNo.N, asYes.N, main.N, asNo.Events, asYes.Events)
	}
	X := make([][]float64, len(main.Rows))
	y := make([]float64, len(main.Rows))
	for i, r := range main.Rows {
		X[i], y[i] = r.X, r.Outcome
	}
	fit, err := stats.Logistic(X, y, Terms, Confidence)
	if err != nil {
		t.Fatal(err)
	}
	if len(main.Terms) != len(Terms)+1 {
		t.Fatalf("%d terms", len(main.Terms))
	}
	for i, term := range fit.Terms {
		got := main.Terms[i]
		if got.Name != term.Name || math.Abs(got.Coef-term.Coef) > 1e-4 || math.Abs(got.OddsRatio-term.OddsRatio) > 0.006 {
			t.Errorf("term %s: published %+v, refit %+v", term.Name, got, term)
		}
	}
	// Standardised columns: mean 0 over the rows fitted.
	for j := 0; j < 5; j++ {
		sum := 0.0
		for _, r := range main.Rows {
			sum += r.X[j]
		}
		if math.Abs(sum/float64(len(main.Rows))) > 1e-9 {
			t.Errorf("column %s not standardised: mean %v", Terms[j], sum/float64(len(main.Rows)))
		}
	}
}

// The claim counts regions with a sourced no and with an MPP in the lowest two PAD fifths.
func TestClaims(t *testing.T) {
	s := country(200)
	a := Analyse(s, latest)
	pad, _ := a.Factor(PADShare)
	var c *Claim
	for i := range a.Claims {
		if a.Claims[i].Factor == PADShare {
			c = &a.Claims[i]
		}
	}
	if c == nil {
		t.Fatal("no PAD claim")
	}
	no, noLow, yes, yesLow := 0, 0, 0, 0
	for _, r := range s.Regions {
		g := pad.GroupOf(r.Code)
		if g == NoData {
			continue
		}
		low := g == "q1" || g == "q2"
		if r.Status == data.StatusNo {
			no++
			if low {
				noLow++
			}
		}
		if r.Status == data.StatusYes {
			yes++
			if low {
				yesLow++
			}
		}
	}
	if c.No != no || c.NoLow != noLow || c.Yes != yes || c.YesLow != yesLow {
		t.Errorf("claim %+v, counted no %d/%d yes %d/%d", *c, noLow, no, yesLow, yes)
	}
	if len(a.Claims) != 2 {
		t.Errorf("%d claims, want PAD and the one PMK period", len(a.Claims))
	}
}

// Similar regions: nearest on the standardised variables, with an MPP, never the region itself.
func TestSimilar(t *testing.T) {
	v := func(pad, ipm, pov, pop, area float64) []data.IndicatorValue {
		return []data.IndicatorValue{{IndicatorID: "pad_share_budget_pct", Period: "2024", Value: pad}, {IndicatorID: "ipm", Period: "2024", Value: ipm},
			{IndicatorID: "poverty_pct", Period: "2024", Value: pov}, {IndicatorID: "population_dukcapil", Period: "2024", Value: pop},
			{IndicatorID: "area_km2", Period: "2024", Value: area}}
	}
	s := data.NewSnapshot(data.Snapshot{
		Regions: []data.Region{
			{Code: "11.01", Status: data.StatusNo}, {Code: "11.02", Status: data.StatusYes}, {Code: "11.03", Status: data.StatusYes},
			{Code: "11.04", Status: data.StatusUnknown}, {Code: "11.05", Status: data.StatusYes}, {Code: "11.06", Status: data.StatusYes},
		},
		Values: map[string][]data.IndicatorValue{
			"11.01": v(5, 65, 20, 100_000, 5000),
			"11.02": v(6, 66, 19, 110_000, 5000), // nearly the same as 11.01
			"11.03": v(30, 80, 5, 2_000_000, 100),
			"11.04": v(5, 65, 20, 100_000, 5000), // identical to 11.01 but not yet known to have one
			"11.05": v(10, 70, 15, 300_000, 2000),
			"11.06": {{IndicatorID: "ipm", Period: "2024", Value: 65}}, // too few shared variables
		},
	})
	a := Analyse(s, latest)
	got := a.Similar["11.01"]
	var codes []string
	for _, x := range got {
		codes = append(codes, x.Code)
	}
	if fmt.Sprint(codes) != "[11.02 11.05 11.03]" {
		t.Errorf("similar to 11.01: %v, want 11.02 (nearly equal), 11.05, 11.03; never 11.04 (unknown) or 11.06 (one shared variable)", codes)
	}
	if len(got) > 0 && (got[0].Shared != 5 || got[0].Distance >= got[1].Distance) {
		t.Errorf("distances %+v", got)
	}
	for _, x := range a.Similar["11.02"] {
		if x.Code == "11.02" {
			t.Error("a region is similar to itself")
		}
	}
}

func BenchmarkAnalyse(b *testing.B) {
	s := country(514)
	for b.Loop() {
		Analyse(s, latest)
	}
}
