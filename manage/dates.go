package manage

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data/pdate"
)

// dateParts is a date as the forms ask for it: a year, and a month and a day only when the
// source gives them, plus "at the latest" for a source that only says the MPP existed by then.
// What is filled in is the precision — a clerk never writes the reference data's notation
// (2024-08, <=2022-05-09) nor picks a precision that contradicts the date.
type dateParts struct {
	Year, Month, Day string
	Before           bool
}

// partsOf is d as the form shows it.
func partsOf(d pdate.Date) dateParts {
	if d.IsZero() {
		return dateParts{}
	}
	p := d.Precision
	before := p == pdate.Before
	if before {
		p = d.BoundPrecision
	}
	out := dateParts{Year: strconv.Itoa(d.Time.Year()), Before: before}
	if p == pdate.Month || p == pdate.Day {
		out.Month = strconv.Itoa(int(d.Time.Month()))
	}
	if p == pdate.Day {
		out.Day = strconv.Itoa(d.Time.Day())
	}
	return out
}

// readDate reads the fields prefix_year, prefix_month, prefix_day and prefix_before.
func readDate(c *fiber.Ctx, prefix string) dateParts {
	return dateParts{
		Year:   strings.TrimSpace(formValue(c, prefix+"_year")),
		Month:  strings.TrimSpace(formValue(c, prefix+"_month")),
		Day:    strings.TrimSpace(formValue(c, prefix+"_day")),
		Before: formValue(c, prefix+"_before") != "",
	}
}

// Empty reports whether nothing was filled in.
func (p dateParts) Empty() bool { return p.Year == "" && p.Month == "" && p.Day == "" }

// notation is the date in the reference data's notation and its precision (day, month, year,
// before), or "" for an empty date; problem is a catalog key saying what is wrong.
func (p dateParts) notation() (s, precision, problem string) {
	if p.Empty() {
		if p.Before {
			return "", "", "manage.date.need_year"
		}
		return "", "", ""
	}
	y, err := strconv.Atoi(p.Year)
	if p.Year == "" || err != nil || y < 1945 || y > 2100 {
		return "", "", "manage.date.bad_year"
	}
	s, precision = fmt.Sprintf("%04d", y), "year"
	if p.Month != "" {
		m, err := strconv.Atoi(p.Month)
		if err != nil || m < 1 || m > 12 {
			return "", "", "manage.date.bad_month"
		}
		s, precision = fmt.Sprintf("%s-%02d", s, m), "month"
		if p.Day != "" {
			d, err := strconv.Atoi(p.Day)
			if err != nil || d < 1 || d > 31 || time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
				return "", "", "manage.date.bad_day"
			}
			s, precision = fmt.Sprintf("%s-%02d", s, d), "day"
		}
	} else if p.Day != "" {
		return "", "", "manage.date.need_month"
	}
	if p.Before {
		return "<=" + s, "before", ""
	}
	return s, precision, ""
}
