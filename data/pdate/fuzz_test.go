package pdate

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse holds Parse to its contract on any string: no panic; ErrEmpty only for a blank
// string (callers read ErrEmpty as "no date given", so anything else that is not a date must be
// a format error); an accepted date prints back to itself (String, then Parse, gives an equal
// Date); Latest is never before Time, and a Before's Latest is its bound's; both languages format
// it to some text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"2023-10-31", "2024-08", "2019", "<=2022-05-09", "<=2022", "<=2024-02",
		"2024-02-29", "2023-02-29", "1945-01-01", "2100-12-31", "1944-12-31", "2101",
		"", " ", "\t2024\r\n", "\ufeff2024", "<=", "<= ", "<=<=2024", "<= <=2024", "<= 2024",
		"0000-00-00", "0000", "9999-99-99", "2024-13", "2024-1-01", "+024", "-2024",
		"2024-08-01T00:00:00Z", "99999999999999999999", "NaN", "\xff\xfe2024", "２０２４",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			if errors.Is(err, ErrEmpty) && strings.TrimSpace(s) != "" {
				t.Fatalf("Parse(%q) = ErrEmpty for a string that is not blank: a caller would read it as no date", s)
			}
			if !d.IsZero() {
				t.Fatalf("Parse(%q) failed (%v) but returned a date %#v", s, err, d)
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("Parse(%q) accepted but gave the zero Date", s)
		}
		switch d.Precision {
		case Day, Month, Year:
			if d.BoundPrecision != "" {
				t.Fatalf("Parse(%q): bound precision %q on a %s date", s, d.BoundPrecision, d.Precision)
			}
			if d.Latest().Before(d.Time) {
				t.Fatalf("Parse(%q): Latest %v before Time %v", s, d.Latest(), d.Time)
			}
		case Before:
			bound := Date{Time: d.Time, Precision: d.BoundPrecision}
			if d.BoundPrecision != Day && d.BoundPrecision != Month && d.BoundPrecision != Year {
				t.Fatalf("Parse(%q): Before with bound precision %q", s, d.BoundPrecision)
			}
			if !d.Latest().Equal(bound.Latest()) {
				t.Fatalf("Parse(%q): Latest %v, its bound's Latest %v", s, d.Latest(), bound.Latest())
			}
		default:
			t.Fatalf("Parse(%q): precision %q", s, d.Precision)
		}
		if y := d.Time.Year(); y < 1945 || y > 2100 {
			t.Fatalf("Parse(%q): year %d outside 1945..2100", s, y)
		}
		back, err := Parse(d.String())
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, d.String(), err)
		}
		if back != d {
			t.Fatalf("round trip of %q: %#v → %q → %#v", s, d, d.String(), back)
		}
		if d.Format("id") == "" || d.Format("en") == "" {
			t.Fatalf("Parse(%q): empty Format (id %q, en %q)", s, d.Format("id"), d.Format("en"))
		}
	})
}
