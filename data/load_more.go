package data

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"mppmap/data/pdate"
)

// The loaders below fill the rest of the read model: everything the API's profiles, progress,
// changes and exports read, so that no request runs SQL.

func loadHistory(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT region_code, changed_at, coalesce(old_status, ''), new_status, as_of,
		evidence, source_ids, note, changed_by FROM status_history ORDER BY region_code, changed_at, id`)
	if err != nil {
		return err
	}
	var code string
	var c StatusChange
	var d dbDate
	_, err = pgx.ForEachRow(rows, []any{&code, &c.ChangedAt, &c.Old, &c.New, &d.s, &c.Evidence, &c.SourceIDs, &c.Note, &c.ChangedBy}, func() error {
		c.AsOf = d.date()
		c.ChangedAt = c.ChangedAt.UTC()
		s.History[code] = append(s.History[code], c)
		c = StatusChange{}
		return nil
	})
	return err
}

func loadSites(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT id, revision, province_code, coalesce(region_code, ''), name, inaugurated, event_id,
		evidence, source_ids, note FROM mpp_site ORDER BY province_code, region_code NULLS FIRST, name`)
	if err != nil {
		return err
	}
	s.Sites, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Site, error) {
		var x Site
		var d dbDate
		err := r.Scan(&x.ID, &x.Revision, &x.ProvinceCode, &x.RegionCode, &x.Name, &d.s, &x.EventID, &x.Evidence, &x.SourceIDs, &x.Note)
		x.Inaugurated = d.date()
		return x, err
	})
	return err
}

func loadNationalCounts(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT year, as_of, cumulative, value_type, is_year_end_best, denominator_note,
		source_ids, note FROM national_count ORDER BY id`)
	if err != nil {
		return err
	}
	s.NationalCounts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (NationalCount, error) {
		var c NationalCount
		var d dbDate
		err := r.Scan(&c.Year, &d.s, &c.Cumulative, &c.ValueType, &c.YearEndBest, &c.DenominatorNote, &c.SourceIDs, &c.Note)
		c.AsOf = d.date()
		return c, err
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(s.NationalCounts, func(a, b NationalCount) int { return a.AsOf.Latest().Compare(b.AsOf.Latest()) })
	return nil
}

func loadTargets(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT id, set_by, stated_on, target_year, target, scope, outcome_note, source_ids
		FROM target ORDER BY id`)
	if err != nil {
		return err
	}
	s.Targets, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Target, error) {
		var t Target
		var d dbDate
		err := r.Scan(&t.ID, &t.SetBy, &d.s, &t.TargetYear, &t.Target, &t.Scope, &t.OutcomeNote, &t.SourceIDs)
		t.StatedOn = d.date()
		return t, err
	})
	return err
}

func loadInhibitors(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT category, finding, area, region_codes, province_codes, scope, date_text, source_ids
		FROM inhibitor ORDER BY id`)
	if err != nil {
		return err
	}
	s.Inhibitors, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Inhibitor, error) {
		var x Inhibitor
		err := r.Scan(&x.Category, &x.Finding, &x.Area, &x.RegionCodes, &x.ProvinceCodes, &x.Scope, &x.DateText, &x.SourceIDs)
		return x, err
	})
	return err
}

// fiscalPeriodOrder orders PMK periods as refdata does: by year, then regulation number
// (pmk_65_2024 before pmk_127_2024). The schema's CHECK guarantees the pmk_<N>_<YYYY> form.
const fiscalPeriodOrder = `year, split_part(period, '_', 2)::int, period`

func loadFiscalPeriods(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	// regulation and year repeat the period on every row; one value per period is read.
	rows, err := tx.Query(ctx, `SELECT DISTINCT ON (`+fiscalPeriodOrder+`) period, regulation, year
		FROM region_fiscal_capacity ORDER BY `+fiscalPeriodOrder)
	if err != nil {
		return err
	}
	s.FiscalPeriods, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (FiscalPeriod, error) {
		var p FiscalPeriod
		err := r.Scan(&p.ID, &p.Regulation, &p.Year)
		return p, err
	})
	return err
}

func loadRegionFiscal(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT region_code, period, ratio, category, source_ids, note
		FROM region_fiscal_capacity ORDER BY region_code, `+fiscalPeriodOrder)
	if err != nil {
		return err
	}
	var code string
	var v RegionFiscal
	var cat *string
	_, err = pgx.ForEachRow(rows, []any{&code, &v.Period, &v.Ratio, &cat, &v.SourceIDs, &v.Note}, func() error {
		if cat != nil {
			v.Category = FiscalCategory(*cat)
		}
		s.RegionFiscal[code] = append(s.RegionFiscal[code], v)
		v, cat = RegionFiscal{}, nil
		return nil
	})
	return err
}

func loadDigitalRegions(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT region_code, model, as_of, source_ids, note FROM mpp_digital_region
		ORDER BY region_code, model`)
	if err != nil {
		return err
	}
	s.Digital, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (DigitalRegion, error) {
		var x DigitalRegion
		var asOf string
		if err := r.Scan(&x.RegionCode, &x.Model, &asOf, &x.SourceIDs, &x.Note); err != nil {
			return x, err
		}
		if asOf == "" {
			return x, nil
		}
		// as_of is plain text in the schema; the importer only writes dates refdata parsed.
		d, err := pdate.Parse(asOf)
		if err != nil {
			return x, fmt.Errorf("digital MPP %s %s: as_of: %w", x.RegionCode, x.Model, err)
		}
		x.AsOf = d
		return x, nil
	})
	return err
}

func loadDigitalFacts(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT date_text, metric, value, source_ids FROM mpp_digital_fact ORDER BY id`)
	if err != nil {
		return err
	}
	s.DigitalFacts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (DigitalFact, error) {
		var x DigitalFact
		err := r.Scan(&x.DateText, &x.Metric, &x.Value, &x.SourceIDs)
		// Dates such as "2023-06 / 2025-09" are kept as text only (refdata warns of them).
		if d, perr := pdate.Parse(x.DateText); perr == nil {
			x.Date = d
		}
		return x, err
	})
	return err
}

func loadCosts(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT region_name, coalesce(region_code, ''), amount, what, year_text, source_ids, address
		FROM mpp_cost ORDER BY id`)
	if err != nil {
		return err
	}
	s.Costs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Cost, error) {
		var x Cost
		err := r.Scan(&x.RegionName, &x.RegionCode, &x.Amount, &x.What, &x.YearText, &x.SourceIDs, &x.Address)
		return x, err
	})
	return err
}

func loadIndicators(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT id, label_id, label_en, unit, dataset, description FROM indicator ORDER BY id`)
	if err != nil {
		return err
	}
	s.Indicators, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Indicator, error) {
		var d Indicator
		err := r.Scan(&d.ID, &d.LabelID, &d.LabelEN, &d.Unit, &d.Dataset, &d.Description)
		return d, err
	})
	return err
}

func loadIndicatorValues(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT region_code, indicator_id, period, value FROM indicator_value
		ORDER BY region_code, indicator_id, period`)
	if err != nil {
		return err
	}
	var code string
	var v IndicatorValue
	_, err = pgx.ForEachRow(rows, []any{&code, &v.IndicatorID, &v.Period, &v.Value}, func() error {
		s.Values[code] = append(s.Values[code], v)
		return nil
	})
	return err
}

func loadNeighbours(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT region_code, neighbour_code, relation, border_km, distance_km FROM region_neighbour
		ORDER BY region_code, (relation = 'border') DESC, border_km DESC, distance_km, neighbour_code`)
	if err != nil {
		return err
	}
	var code string
	var n Neighbour
	_, err = pgx.ForEachRow(rows, []any{&code, &n.Code, &n.Relation, &n.BorderKm, &n.DistanceKm}, func() error {
		s.Neighbours[code] = append(s.Neighbours[code], n)
		return nil
	})
	return err
}

// loadLedgerVersion reads the version every write bumps: a write's caller waits for the read
// model whose version reaches the one its write committed.
func loadLedgerVersion(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	return tx.QueryRow(ctx, `SELECT version FROM ledger_version`).Scan(&s.LedgerVersion)
}
