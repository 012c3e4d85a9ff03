// Package progress owns the arithmetic of progress toward a coverage target: cumulative series,
// pace in MPPs per month over a window, the date all regions would be covered at a pace (ETA),
// the pace a target requires, and the Open SDG progress category. On top of that arithmetic it
// builds from a *data.Snapshot every published progress figure, so the API and the dashboard
// show the same numbers: Build (the whole progress report: shares, series, windows, paces, ETAs,
// targets with required pace and category), Shares (the two denominators),
// DataEnd (the "today" of every window), StatusAt/StatusesAt (a region's status on a past day).
// It is pure: no I/O, no clock. The published descriptions of these methods are texts of the
// catalogs (package locale, keys progress.method.*).
package progress

import (
	"math"
	"sort"
	"time"
)

// DaysPerMonth is the mean Gregorian month; paces are per month of this length.
const DaysPerMonth = 365.2425 / 12

// Point is a cumulative count on a day.
type Point struct {
	Date  time.Time
	Count float64
}

// Months is the length of [from, to] in months of DaysPerMonth days.
func Months(from, to time.Time) float64 {
	return to.Sub(from).Hours() / 24 / DaysPerMonth
}

// Merge sorts points by date and averages the counts of points on the same day.
func Merge(ps []Point) []Point {
	s := append([]Point(nil), ps...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Date.Before(s[j].Date) })
	var out []Point
	for i := 0; i < len(s); {
		j, sum := i, 0.0
		for ; j < len(s) && s[j].Date.Equal(s[i].Date); j++ {
			sum += s[j].Count
		}
		out = append(out, Point{s[i].Date, sum / float64(j-i)})
		i = j
	}
	return out
}

// ValueAt is the count on t in a merged series: linear between points, the first value before
// the first point is not known (ok false), the last value after the last point.
func ValueAt(series []Point, t time.Time) (float64, bool) {
	if len(series) == 0 || t.Before(series[0].Date) {
		return 0, false
	}
	for i := 1; i < len(series); i++ {
		a, b := series[i-1], series[i]
		if !t.After(b.Date) {
			span := b.Date.Sub(a.Date)
			if span <= 0 {
				return b.Count, true
			}
			f := float64(t.Sub(a.Date)) / float64(span)
			return a.Count + f*(b.Count-a.Count), true
		}
	}
	return series[len(series)-1].Count, true
}

// Pace is the change per month of a merged series over [from, to]; ok is false when the window
// is empty or starts before the series.
func Pace(series []Point, from, to time.Time) (float64, bool) {
	m := Months(from, to)
	if m <= 0 {
		return 0, false
	}
	a, ok1 := ValueAt(series, from)
	b, ok2 := ValueAt(series, to)
	if !ok1 || !ok2 {
		return 0, false
	}
	return (b - a) / m, true
}

// ETA is the date on which count reaches goal at pace per month, counting from `from`. ok is false
// when the pace is not positive (never at this pace); a goal already reached returns from.
func ETA(from time.Time, count, goal, pace float64) (time.Time, bool) {
	if count >= goal {
		return from, true
	}
	if pace <= 0 || math.IsNaN(pace) {
		return time.Time{}, false
	}
	days := (goal - count) / pace * DaysPerMonth
	return from.Add(time.Duration(days * 24 * float64(time.Hour))).Truncate(24 * time.Hour), true
}

// Required is the pace per month needed to go from count on `now` to goal by deadline; ok is false
// when the deadline is not after now.
func Required(count, goal float64, now, deadline time.Time) (float64, bool) {
	m := Months(now, deadline)
	if m <= 0 {
		return 0, false
	}
	return math.Max(goal-count, 0) / m, true
}

// Category is an Open SDG progress category.
type Category string

// The Open SDG categories.
const (
	Achieved           Category = "achieved"
	OnTrack            Category = "on_track"
	AccelerationNeeded Category = "acceleration_needed"
	LimitedProgress    Category = "limited_progress"
	Deterioration      Category = "deterioration"
)

// Categorize names the progress of an open target from the observed and required paces.
// reached says the count already meets the target.
func Categorize(observed, required float64, reached bool) Category {
	if reached || required <= 0 {
		return Achieved
	}
	r := observed / required
	switch {
	case r >= 0.95:
		return OnTrack
	case r >= 0.6:
		return AccelerationNeeded
	case r >= 0:
		return LimitedProgress
	}
	return Deterioration
}

// Ratio is observed / required, the number the category is read from.
func Ratio(observed, required float64) float64 {
	if required <= 0 {
		return math.Inf(1)
	}
	return observed / required
}

// Cumulative turns event days into a step series: the count of events on or before each day.
func Cumulative(days []time.Time) []Point {
	s := append([]time.Time(nil), days...)
	sort.Slice(s, func(i, j int) bool { return s[i].Before(s[j]) })
	var out []Point
	for i, d := range s {
		if len(out) > 0 && out[len(out)-1].Date.Equal(d) {
			out[len(out)-1].Count = float64(i + 1)
			continue
		}
		out = append(out, Point{d, float64(i + 1)})
	}
	return out
}

// StepAt is the value of a step series (Cumulative) on t: the last point on or before t, 0 before
// the first.
func StepAt(steps []Point, t time.Time) float64 {
	v := 0.0
	for _, p := range steps {
		if p.Date.After(t) {
			break
		}
		v = p.Count
	}
	return v
}
