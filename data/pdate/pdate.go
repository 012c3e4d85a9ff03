// Package pdate holds dates as precise as their source and no more precise.
//
// The reference data gives dates as a day (2023-10-31), a month (2024-08), a year (2019), or an
// upper bound ("<=2022-05-09": the MPP existed by then). Printing "1 Aug 2024" for a source that
// only says "August 2024" would invent a day, so every date in mppmap travels with its precision,
// and formatting honours it.
package pdate

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Precision says how much of a Date the source actually gave.
type Precision string

// The precisions used by the reference data (mpp_locations.csv `date_precision`).
const (
	Day    Precision = "day"
	Month  Precision = "month"
	Year   Precision = "year"
	Before Precision = "before" // existed by the given date; Date.Time is the bound
)

// Date is a calendar date with the precision its source gave. The zero Date means "no date".
//
// Time is the first day of the period (1 Aug 2024 for "2024-08"); for Before it is the bound
// itself, at the bound's own precision kept in BoundPrecision.
type Date struct {
	Time           time.Time
	Precision      Precision
	BoundPrecision Precision // only for Before: precision of the bound
}

// ErrEmpty is returned by Parse for an empty (or blank) string, and only then; callers decide
// whether a date is required.
var ErrEmpty = errors.New("empty date")

// Parse reads "YYYY-MM-DD", "YYYY-MM", "YYYY" or "<=" followed by one of those.
func Parse(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, ErrEmpty
	}
	if rest, ok := strings.CutPrefix(s, "<="); ok {
		// "<=" alone is a bound without its date, not an empty cell: ErrEmpty would let a caller
		// read it as "no date given" and accept it where a date is optional.
		if strings.TrimSpace(rest) == "" {
			return Date{}, fmt.Errorf("date %q: <= without a date", s)
		}
		d, err := Parse(rest)
		if err != nil {
			return Date{}, err
		}
		if d.Precision == Before {
			return Date{}, fmt.Errorf("date %q: nested <=", s)
		}
		return Date{Time: d.Time, Precision: Before, BoundPrecision: d.Precision}, nil
	}
	layouts := []struct {
		layout string
		p      Precision
	}{{"2006-01-02", Day}, {"2006-01", Month}, {"2006", Year}}
	for _, l := range layouts {
		if len(s) != len(l.layout) {
			continue
		}
		t, err := time.Parse(l.layout, s)
		if err != nil {
			return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
		}
		if t.Year() < 1945 || t.Year() > 2100 {
			return Date{}, fmt.Errorf("date %q: year out of range", s)
		}
		return Date{Time: t, Precision: l.p}, nil
	}
	return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM, YYYY or <=DATE", s)
}

// MustParse is Parse for literals in tests and examples; it panics on a bad date.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d holds no date.
func (d Date) IsZero() bool { return d.Precision == "" }

// String gives the date back in the reference data's own notation ("2024-08", "<=2022").
func (d Date) String() string {
	switch d.Precision {
	case Day:
		return d.Time.Format("2006-01-02")
	case Month:
		return d.Time.Format("2006-01")
	case Year:
		return d.Time.Format("2006")
	case Before:
		return "<=" + Date{Time: d.Time, Precision: d.BoundPrecision}.String()
	}
	return ""
}

// Latest is the last day the date can stand for: 2024-08 → 2024-08-31, 2019 → 2019-12-31,
// <=2022-05-09 → 2022-05-09. "Was it open on day X?" must use Latest ≤ X to never claim an MPP
// existed before a source says so.
func (d Date) Latest() time.Time {
	switch d.Precision {
	case Month:
		return d.Time.AddDate(0, 1, -1)
	case Year:
		return d.Time.AddDate(1, 0, -1)
	case Before:
		return Date{Time: d.Time, Precision: d.BoundPrecision}.Latest()
	}
	return d.Time
}

var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// Format writes the date for people in "id" (default) or "en", never with more precision than
// the source gave: "31 Oktober 2023", "Agustus 2024", "2019", "paling lambat Mei 2022".
func (d Date) Format(lang string) string {
	en := lang == "en"
	month := func(t time.Time) string {
		if en {
			return t.Month().String()
		}
		return monthsID[t.Month()-1]
	}
	switch d.Precision {
	case Day:
		return fmt.Sprintf("%d %s %d", d.Time.Day(), month(d.Time), d.Time.Year())
	case Month:
		return fmt.Sprintf("%s %d", month(d.Time), d.Time.Year())
	case Year:
		return fmt.Sprintf("%d", d.Time.Year())
	case Before:
		inner := Date{Time: d.Time, Precision: d.BoundPrecision}.Format(lang)
		if en {
			return "by " + inner
		}
		return "paling lambat " + inner
	}
	return ""
}
