package data

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"
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
	rows, err := tx.Query(ctx, `SELECT province_code, coalesce(region_code, ''), name, inaugurated, event_id,
		evidence, source_ids, note FROM mpp_site ORDER BY province_code, region_code NULLS FIRST, name`)
	if err != nil {
		return err
	}
	s.Sites, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Site, error) {
		var x Site
		var d dbDate
		err := r.Scan(&x.ProvinceCode, &x.RegionCode, &x.Name, &d.s, &x.EventID, &x.Evidence, &x.SourceIDs, &x.Note)
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
	rows, err := tx.Query(ctx, `SELECT category, finding, area, region_codes, date_text, source_ids FROM inhibitor ORDER BY id`)
	if err != nil {
		return err
	}
	s.Inhibitors, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Inhibitor, error) {
		var x Inhibitor
		err := r.Scan(&x.Category, &x.Finding, &x.Area, &x.RegionCodes, &x.DateText, &x.SourceIDs)
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
