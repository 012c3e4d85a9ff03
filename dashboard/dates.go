package dashboard

import (
	"time"

	"mppmap/data/pdate"
)

// formatDate writes a source date at the precision the source gave, or the "no date" mark.
func formatDate(d pdate.Date, m *messages) string {
	if d.IsZero() {
		return m.NoDate
	}
	return d.Format(m.Lang)
}

// formatDay writes a timestamp as a calendar day; the zero time is "no date".
func formatDay(t time.Time, m *messages) string {
	if t.IsZero() {
		return m.NoDate
	}
	return pdate.Date{Time: t, Precision: pdate.Day}.Format(m.Lang)
}

// monthDate is a computed date (an ETA) shown at month precision: more would be false precision.
func monthDate(t time.Time) pdate.Date {
	return pdate.Date{Time: time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), Precision: pdate.Month}
}
