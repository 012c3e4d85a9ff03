package data

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"mppmap/data/pdate"
	"mppmap/geo"
)

// LoadSnapshot reads everything the public surfaces need in one repeatable-read transaction
// and builds the read model.
func LoadSnapshot(ctx context.Context, pool *pgxpool.Pool) (*Snapshot, error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	s := Snapshot{LoadedAt: time.Now().UTC(), Sources: map[string]Source{},
		Geometry: map[geo.Detail]map[string]orb.MultiPolygon{}, History: map[string][]StatusChange{},
		Values: map[string][]IndicatorValue{}, Neighbours: map[string][]Neighbour{}, RegionFiscal: map[string][]RegionFiscal{}}
	steps := []struct {
		name string
		fn   func(context.Context, pgx.Tx, *Snapshot) error
	}{
		{"provinces", loadProvinces}, {"regions", loadRegions}, {"sources", loadSources}, {"datasets", loadDatasets},
		{"status history", loadHistory}, {"sites", loadSites}, {"national counts", loadNationalCounts},
		{"targets", loadTargets}, {"inhibitors", loadInhibitors}, {"indicators", loadIndicators},
		{"indicator values", loadIndicatorValues}, {"neighbours", loadNeighbours},
		{"fiscal periods", loadFiscalPeriods}, {"region fiscal capacity", loadRegionFiscal},
		{"digital MPP regions", loadDigitalRegions}, {"digital MPP facts", loadDigitalFacts}, {"costs", loadCosts},
		{"ledger version", loadLedgerVersion}, {"open submissions", loadOpenSubmissions},
	}
	for _, st := range steps {
		if err := st.fn(ctx, tx, &s); err != nil {
			return nil, fmt.Errorf("load %s: %w", st.name, err)
		}
	}
	snap := NewSnapshot(s)
	// Geometry last: it checks every code against the regions' index.
	if err := loadGeometry(ctx, tx, snap); err != nil {
		return nil, fmt.Errorf("load geometry: %w", err)
	}
	return snap, nil
}

func loadProvinces(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT code, name, kabupaten_count, kota_count FROM province ORDER BY code`)
	if err != nil {
		return err
	}
	s.Provinces, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Province, error) {
		var p Province
		err := r.Scan(&p.Code, &p.Name, &p.KabupatenCount, &p.KotaCount)
		return p, err
	})
	return err
}

func loadRegions(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `
		SELECT r.code, r.name, r.province_code, p.name, r.kind, coalesce(r.area_km2, 0),
		       coalesce(st.status, 'unknown'), st.as_of, st.first_known,
		       coalesce(st.evidence, ''), coalesce(st.source_ids, '{}'), coalesce(st.note, ''), coalesce(st.revision, 0)
		FROM region r
		JOIN province p ON p.code = r.province_code
		LEFT JOIN region_status st ON st.region_code = r.code
		ORDER BY r.code`)
	if err != nil {
		return err
	}
	s.Regions, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Region, error) {
		var r Region
		var asOf, first dbDate
		err := row.Scan(&r.Code, &r.Name, &r.ProvinceCode, &r.ProvinceName, &r.Kind, &r.AreaKm2,
			&r.Status, &asOf.s, &first.s, &r.Evidence, &r.SourceIDs, &r.Note, &r.Revision)
		r.StatusAsOf, r.FirstKnown = asOf.date(), first.date()
		return r, err
	})
	if err != nil {
		return err
	}
	for _, r := range s.Regions {
		if t := r.StatusAsOf.Latest(); !r.StatusAsOf.IsZero() && t.After(s.DataAsOf) {
			s.DataAsOf = t
		}
	}
	return nil
}

func loadSources(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT id, address, description, published, date_note FROM source`)
	if err != nil {
		return err
	}
	var src Source
	var d dbDate
	_, err = pgx.ForEachRow(rows, []any{&src.ID, &src.Address, &src.Description, &d.s, &src.DateNote}, func() error {
		src.Published = d.date()
		s.Sources[src.ID] = src
		return nil
	})
	return err
}

func loadDatasets(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT path, sha256, title, publisher, licence, attribution, upstream, as_of, imported_at
		FROM dataset_file ORDER BY path`)
	if err != nil {
		return err
	}
	s.Datasets, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (DatasetFile, error) {
		var d DatasetFile
		err := r.Scan(&d.Path, &d.SHA256, &d.Title, &d.Publisher, &d.Licence, &d.Attribution, &d.Upstream, &d.AsOf, &d.ImportedAt)
		return d, err
	})
	for _, d := range s.Datasets {
		if d.ImportedAt.After(s.ImportedAt) {
			s.ImportedAt = d.ImportedAt
		}
	}
	return err
}

// loadGeometry reads every detail level's boundaries. A level without rows (boundaries not yet
// imported) is absent from the map.
func loadGeometry(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT level, region_code, ST_AsBinary(geom) FROM region_geom_level ORDER BY level, region_code`)
	if err != nil {
		return err
	}
	var level, code string
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&level, &code, &raw}, func() error {
		d := geo.Detail(level)
		if _, ok := geo.LevelOf(d); !ok {
			return fmt.Errorf("geometry of %s: unknown level %q", code, level)
		}
		g, err := wkb.Unmarshal(raw)
		if err != nil {
			return fmt.Errorf("geometry of %s: %w", code, err)
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return fmt.Errorf("geometry of %s: %s, want MultiPolygon", code, g.GeoJSONType())
		}
		if _, ok := s.Region(code); !ok {
			return fmt.Errorf("geometry for unknown region %s", code)
		}
		if s.Geometry[d] == nil {
			s.Geometry[d] = map[string]orb.MultiPolygon{}
		}
		s.Geometry[d][code] = mp
		return nil
	})
	return err
}

// dbDate scans a nullable pdate column.
type dbDate struct{ s *string }

func (d dbDate) date() pdate.Date {
	if d.s == nil {
		return pdate.Date{}
	}
	// The schema's pdate domain only admits the notations Parse reads.
	dt, _ := pdate.Parse(*d.s)
	return dt
}
