package progress

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCategorize(t *testing.T) {
	tests := []struct {
		name              string
		observed, require float64
		reached           bool
		want              Category
	}{
		{"reached", 1, 10, true, Achieved},
		{"nothing required", 1, 0, false, Achieved},
		{"exactly on track", 9.5, 10, false, OnTrack},
		{"faster", 20, 10, false, OnTrack},
		{"just below on track", 9.49, 10, false, AccelerationNeeded},
		{"acceleration lower bound", 6, 10, false, AccelerationNeeded},
		{"limited", 5.99, 10, false, LimitedProgress},
		{"standing still", 0, 10, false, LimitedProgress},
		{"going back", -1, 10, false, Deterioration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Categorize(tt.observed, tt.require, tt.reached); got != tt.want {
				t.Errorf("Categorize(%v, %v, %v) = %s, want %s", tt.observed, tt.require, tt.reached, got, tt.want)
			}
		})
	}
}

func TestMergeAndValueAt(t *testing.T) {
	s := Merge([]Point{{day("2024-06-24"), 208}, {day("2024-01-01"), 100}, {day("2024-06-24"), 206}})
	if len(s) != 2 || s[1].Count != 207 {
		t.Fatalf("Merge = %v, want two points, same-day figures averaged to 207", s)
	}
	tests := []struct {
		at     string
		want   float64
		wantOK bool
	}{
		{"2023-12-31", 0, false},
		{"2024-01-01", 100, true},
		{"2024-06-24", 207, true},
		{"2025-01-01", 207, true},
	}
	for _, tt := range tests {
		got, ok := ValueAt(s, day(tt.at))
		if ok != tt.wantOK || got != tt.want {
			t.Errorf("ValueAt(%s) = %v, %v; want %v, %v", tt.at, got, ok, tt.want, tt.wantOK)
		}
	}
	mid, _ := ValueAt([]Point{{day("2024-01-01"), 0}, {day("2024-01-11"), 10}}, day("2024-01-06"))
	if mid != 5 {
		t.Errorf("interpolated = %v, want 5", mid)
	}
}

func TestPaceETARequired(t *testing.T) {
	s := []Point{{day("2022-01-01"), 50}, {day("2025-01-01"), 230}}
	p, ok := Pace(s, day("2022-01-01"), day("2025-01-01"))
	if !ok || math.Abs(p-180/Months(day("2022-01-01"), day("2025-01-01"))) > 1e-9 {
		t.Errorf("Pace = %v, %v", p, ok)
	}
	if _, ok := Pace(s, day("2021-01-01"), day("2025-01-01")); ok {
		t.Error("Pace before the series should not be known")
	}
	if _, ok := ETA(day("2025-01-01"), 100, 514, 0); ok {
		t.Error("ETA at zero pace should be never")
	}
	if e, ok := ETA(day("2025-01-01"), 514, 514, 0); !ok || !e.Equal(day("2025-01-01")) {
		t.Errorf("ETA when reached = %v, %v", e, ok)
	}
	e, ok := ETA(day("2025-01-01"), 500, 510, 10)
	if !ok || e.Before(day("2025-01-31")) || e.After(day("2025-02-01")) {
		t.Errorf("ETA one month ahead = %v", e)
	}
	r, ok := Required(300, 509, day("2025-01-01"), day("2025-12-31"))
	if !ok || math.Abs(r-209/Months(day("2025-01-01"), day("2025-12-31"))) > 1e-9 {
		t.Errorf("Required = %v, %v", r, ok)
	}
	if _, ok := Required(300, 509, day("2025-01-01"), day("2024-12-31")); ok {
		t.Error("Required after the deadline should not be known")
	}
}

func TestCumulative(t *testing.T) {
	c := Cumulative([]time.Time{day("2024-02-01"), day("2024-01-01"), day("2024-02-01")})
	if len(c) != 2 || c[0].Count != 1 || c[1].Count != 3 {
		t.Fatalf("Cumulative = %v", c)
	}
	for at, want := range map[string]float64{"2023-12-31": 0, "2024-01-01": 1, "2024-01-31": 1, "2024-02-01": 3} {
		if got := StepAt(c, day(at)); got != want {
			t.Errorf("StepAt(%s) = %v, want %v", at, got, want)
		}
	}
}

func Example() {
	series := Merge([]Point{
		{day("2023-12-31"), 175}, {day("2024-12-12"), 272}, {day("2025-12-15"), 305},
	})
	last := series[len(series)-1]
	pace, _ := Pace(series, day("2024-12-15"), last.Date)
	eta, _ := ETA(last.Date, last.Count, 509, pace)
	req, _ := Required(last.Count, 509, last.Date, day("2026-12-31"))
	fmt.Printf("pace %.1f/month, all 509 by %s, required %.1f/month: %s\n",
		pace, eta.Format("2006-01"), req, Categorize(pace, req, false))
	// Output: pace 2.7/month, all 509 by 2032-03, required 16.3/month: limited_progress
}
