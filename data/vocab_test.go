package data_test

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"

	"mppmap/data"
	"mppmap/data/datatest"
	"mppmap/data/pdate"
	"mppmap/data/refdata"
	"mppmap/geo"
)

// TestSchemaAgreesWithTheTypes: the CHECK constraints of the schema list exactly the values of
// the one Go type for each vocabulary (status, detail level), and the pdate domain takes every
// notation pdate writes and refuses what it does not. Adding a status or a level in one place
// only fails here.
func TestSchemaAgreesWithTheTypes(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	check := func(table, column string) []string {
		var def string
		err := pool.QueryRow(ctx, `
			SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
			JOIN pg_class r ON r.oid = c.conrelid
			WHERE r.relname = $1 AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%' || $2 || '%ANY%'`, table, column).Scan(&def)
		if err != nil {
			t.Fatalf("CHECK on %s.%s: %v", table, column, err)
		}
		var vals []string
		for _, m := range regexp.MustCompile(`'([^']*)'::text`).FindAllStringSubmatch(def, -1) {
			vals = append(vals, m[1])
		}
		sort.Strings(vals)
		return vals
	}
	sorted := func(xs []string) []string { sort.Strings(xs); return xs }
	var statuses, details []string
	for _, s := range data.Statuses {
		statuses = append(statuses, string(s))
	}
	for _, d := range geo.Details {
		details = append(details, string(d))
	}
	var fiscalCategories []string
	for _, c := range refdata.FiscalCategories {
		fiscalCategories = append(fiscalCategories, string(c))
	}
	for _, tc := range []struct {
		table, column string
		want          []string
	}{
		{"region_status", "status", sorted(statuses)},
		{"status_history", "new_status", sorted(statuses)},
		{"status_history", "old_status", sorted(statuses)},
		{"region_geom_level", "level", sorted(details)},
		{"region_fiscal_capacity", "category", sorted(fiscalCategories)},
		{"inhibitor", "scope", sorted([]string{refdata.ScopeRegion, refdata.ScopeProvince, refdata.ScopeNational, refdata.ScopeUnresolved})},
	} {
		if got := check(tc.table, tc.column); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("CHECK on %s.%s allows %v; the Go type has %v", tc.table, tc.column, got, tc.want)
		}
	}
	// pdate: every precision, as String writes it, fits the domain; other text does not.
	for _, s := range []string{"2024-08-17", "2024-08", "2024", "<=2022-05-09", "<=2022-05", "<=2022"} {
		d := pdate.MustParse(s)
		if _, err := pool.Exec(ctx, `SELECT $1::pdate`, d.String()); err != nil {
			t.Errorf("pdate domain refuses %q (%s): %v", d.String(), d.Precision, err)
		}
	}
	for _, bad := range []string{"17 Aug 2024", "2024-8", ">=2024", "2024-08-17T00:00"} {
		if _, err := pool.Exec(ctx, `SELECT $1::pdate`, bad); err == nil {
			t.Errorf("pdate domain accepts %q", bad)
		}
		if _, err := pdate.Parse(bad); err == nil {
			t.Errorf("pdate.Parse accepts %q, which the domain refuses", bad)
		}
	}
}
