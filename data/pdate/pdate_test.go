package pdate

import (
	"fmt"
	"testing"
	"time"
)

func TestParseRoundTrip(t *testing.T) {
	tests := []struct {
		in        string
		precision Precision
		latest    string
		id, en    string
	}{
		{"2023-10-31", Day, "2023-10-31", "31 Oktober 2023", "31 October 2023"},
		{"2024-08", Month, "2024-08-31", "Agustus 2024", "August 2024"},
		{"2024-02", Month, "2024-02-29", "Februari 2024", "February 2024"},
		{"2019", Year, "2019-12-31", "2019", "2019"},
		{"<=2022-05-09", Before, "2022-05-09", "paling lambat 9 Mei 2022", "by 9 May 2022"},
		{"<=2022", Before, "2022-12-31", "paling lambat 2022", "by 2022"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if d.Precision != tc.precision {
				t.Errorf("precision = %s, want %s", d.Precision, tc.precision)
			}
			if got := d.String(); got != tc.in {
				t.Errorf("String() = %q, want %q", got, tc.in)
			}
			if got := d.Latest().Format(time.DateOnly); got != tc.latest {
				t.Errorf("Latest() = %s, want %s", got, tc.latest)
			}
			if got := d.Format("id"); got != tc.id {
				t.Errorf("Format(id) = %q, want %q", got, tc.id)
			}
			if got := d.Format("en"); got != tc.en {
				t.Errorf("Format(en) = %q, want %q", got, tc.en)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"2024-13", "2024-02-30", "24-01-01", "2024/01/01", "<=<=2024", "1900", "abc", "2024-1"} {
		if d, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, d)
		}
	}
	if _, err := Parse(" "); err != ErrEmpty {
		t.Errorf("Parse of blank = %v, want ErrEmpty", err)
	}
}

func ExampleDate_Format() {
	d := MustParse("2024-08")
	fmt.Println(d.Format("id"), "|", d.Format("en"), "|", d.Latest().Format(time.DateOnly))
	// Output: Agustus 2024 | August 2024 | 2024-08-31
}
