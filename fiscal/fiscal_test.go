package fiscal

import (
	"fmt"
	"testing"

	"mppmap/data"
	"mppmap/locale"
)

// snap has ten regions with a 2024 PAD share 0..9 %, one with only a 2023 value and one with none.
func snap() *data.Snapshot {
	s := data.Snapshot{Values: map[string][]data.IndicatorValue{}}
	for i := 0; i < 10; i++ {
		code := fmt.Sprintf("32.%02d", i+1)
		s.Regions = append(s.Regions, data.Region{Code: code, Status: data.StatusYes})
		s.Values[code] = []data.IndicatorValue{{IndicatorID: Indicator, Period: Period, Value: float64(i)}}
	}
	s.Regions = append(s.Regions, data.Region{Code: "33.01"}, data.Region{Code: "33.02"})
	s.Values["33.01"] = []data.IndicatorValue{{IndicatorID: Indicator, Period: "2023", Value: 50}}
	return data.NewSnapshot(s)
}

func TestCompute(t *testing.T) {
	g := Compute(snap())
	tests := []struct {
		name, code, want string
	}{
		{"lowest value", "32.01", "q1"},
		{"second of ten is still q1", "32.02", "q1"},
		{"middle", "32.06", "q3"},
		{"highest", "32.10", "q5"},
		{"another period is no data, not a low group", "33.01", NoData},
		{"no value", "33.02", NoData},
		{"not a region", "99.99", NoData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Of(tt.code); got != tt.want {
				t.Errorf("Of(%s) = %s, want %s", tt.code, got, tt.want)
			}
		})
	}
	if lo, hi, ok := g.Range("q3"); !ok || lo != 4 || hi != 5 {
		t.Errorf("Range(q3) = %v, %v, %v; want 4, 5", lo, hi, ok)
	}
	if _, _, ok := g.Range(NoData); ok {
		t.Error("no_data has no range")
	}
	if n := len(g.Members(snap(), NoData)); n != 2 {
		t.Errorf("%d regions without data, want 2", n)
	}
}

func TestQuintiles(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]float64
		want   map[string]int
	}{
		{"ten values, two per fifth", map[string]float64{"a": 0, "b": 1, "c": 2, "d": 3, "e": 4, "f": 5, "g": 6, "h": 7, "i": 8, "j": 9},
			map[string]int{"a": 1, "b": 1, "c": 2, "f": 3, "j": 5}},
		{"ties share the first one's quintile", map[string]float64{"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, map[string]int{"a": 1, "e": 1}},
		{"one value", map[string]float64{"a": 3}, map[string]int{"a": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Quintiles(tt.values)
			for c, want := range tt.want {
				if q[c] != want {
					t.Errorf("quintile of %s = %d, want %d", c, q[c], want)
				}
			}
		})
	}
}

func TestQuintilesLeaveMissingOut(t *testing.T) {
	if _, ok := Quintiles(map[string]float64{"a": 3})["missing"]; ok {
		t.Error("a region without a value must get no quintile (the caller says no data)")
	}
}

func TestLabel(t *testing.T) {
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, key, want string }{
		{"en", "q1", "q1, lowest PAD share (own calculation from APBD 2024)"},
		{"en", "q3", "q3 of PAD share (own calculation from APBD 2024)"},
		{"en", NoData, "no data (own calculation from APBD 2024)"},
		{"id", "q5", "q5, porsi PAD tertinggi (perhitungan sendiri dari APBD 2024)"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.key, func(t *testing.T) {
			if got := cat.MustLang(tt.lang).Msg(Label(tt.key)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func Example() {
	g := Compute(snap())
	cat, _ := locale.Load()
	en := cat.MustLang("en")
	for _, code := range []string{"32.01", "32.10", "33.02"} {
		fmt.Println(code, g.Of(code), en.Msg(Label(g.Of(code))))
	}
	// Output:
	// 32.01 q1 q1, lowest PAD share (own calculation from APBD 2024)
	// 32.10 q5 q5, highest PAD share (own calculation from APBD 2024)
	// 33.02 no_data no data (own calculation from APBD 2024)
}
