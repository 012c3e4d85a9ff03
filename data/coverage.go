package data

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"mppmap/geo"
)

// Cleaning parameters for the published boundaries (see RebuildCoverage).
const (
	// coverageGrid is the fixed precision (degrees, ~0.1 m) at which all boundaries are noded
	// together; the published coordinates have 5 decimals, so nothing real is lost.
	coverageGrid = 1e-6
	// A hole in the union of all regions is a sliver to fill when it is smaller than
	// sliverMaxArea (degrees², ~12 km²) or thinner on average than sliverMaxWidth (degrees,
	// ~550 m; width = 2·area/perimeter). What stays are the large unassigned areas of Papua.
	sliverMaxArea  = 1e-3
	sliverMaxWidth = 0.005
	// overlapEpsilon (degrees²) is the overlap area below which two regions are not counted as
	// overlapping: fixed-precision noding leaves nothing larger.
	overlapEpsilon = 1e-8
	// sliverRounds bounds the passes that hand slivers to a neighbour: a sliver touching only
	// other slivers is assigned in a later pass, once they have owners.
	sliverRounds = 6
	// nearestCount is how many nearest regions a region without land border gets.
	nearestCount = 3
	// nearestCandidates is how many regions nearest by bounding box are measured on the
	// spheroid to pick those nearestCount (on the real data 20 gives the same answer as the
	// exact planar distance).
	nearestCandidates = 20
	// topologySnap (degrees) is how close a vertex must be to another ring's segment to be
	// inserted into it when the coverage is cut into shared arcs.
	topologySnap = coverageGrid / 2
)

// CoverageReport holds what RebuildCoverage measured.
type CoverageReport struct {
	Regions int
	Before  CoverageMeasure // region.geom as published
	Clean   CoverageMeasure // region.geom_clean

	Faces          int // faces of all boundaries noded together
	OverlapFaces   int // faces claimed by two or more regions, each given to one of them
	SliversFilled  int // holes in the union given to a neighbour
	HolesKept      int // holes in the union left open (large: real gaps in the source)
	UnownedLeft    int // overlap or sliver faces no pass could place (0 expected)
	Topology       geo.TopologyStats
	Levels         []LevelReport
	BorderPairs    int // unordered pairs of regions sharing a border
	NearestRegions int // regions without a land border, given their nearest regions
	Steps          []StepTiming
	Elapsed        time.Duration
}

// CoverageMeasure is a set of region geometries measured in PostGIS.
type CoverageMeasure struct {
	Features         int
	Invalid          int // not ST_IsValid
	Empty            int
	Vertices         int
	OverlappingPairs int     // pairs of valid features overlapping by more than overlapEpsilon
	OverlapDeg2      float64 // total area of those overlaps, planar degrees²
	OverlapKm2       float64 // the same on the spheroid
	UnionHoles       int     // interior rings in the union of all valid features
}

// LevelReport is one simplified detail level.
type LevelReport struct {
	Level    string
	Simplify geo.SimplifyStats
	Measure  CoverageMeasure
}

// StepTiming is how long one step of RebuildCoverage took.
type StepTiming struct {
	Step     string
	Duration time.Duration
}

// RebuildCoverage derives everything geometric from the region rows (region.geom as
// published) inside the caller's transaction:
//
//   - region.geom_clean and area_km2: an edge-matched coverage. All region boundaries are noded
//     together at a fixed grid (ST_Union of the boundaries with a gridSize, one robust noding
//     instead of 514 pairwise overlays) and polygonised into faces. A face inside exactly one
//     published region belongs to it. A face inside two or more (an overlap), and a hole of the
//     union that is small or thin (a sliver gap), goes to the region it shares the longest
//     border with — among its claimants for an overlap. Large holes (real gaps) stay open, and
//     enclaves stay with the enclave (Kota Bogor fills its hole in Kabupaten Bogor). Because
//     every region is a union of faces of one noding, neighbours share identical vertices.
//   - region_geom_level: the clean coverage simplified as a topology (package geo) at the
//     national, province and full levels, coordinates snapped to each level's grid.
//   - region_neighbour: 'border' pairs (both directions) with the shared border length on the
//     spheroid, and for regions without a land border their nearest regions by distance.
//
// It measures overlaps, holes, validity and vertices before, after cleaning and per level, and
// logs a summary.
func RebuildCoverage(ctx context.Context, tx pgx.Tx, log *slog.Logger) (CoverageReport, error) {
	var rep CoverageReport
	start := time.Now()
	last := start
	step := func(name string) {
		now := time.Now()
		rep.Steps = append(rep.Steps, StepTiming{name, now.Sub(last)})
		last = now
	}
	// JIT compilation costs more than it saves on these few, geometry-heavy rows.
	if _, err := tx.Exec(ctx, `SET LOCAL jit = off`); err != nil {
		return rep, fmt.Errorf("coverage: %w", err)
	}
	// The regions were usually just written in this transaction, where autovacuum cannot see
	// them: without statistics the planner guesses, and the geometry joins below go astray.
	if _, err := tx.Exec(ctx, `ANALYZE region`); err != nil {
		return rep, fmt.Errorf("coverage: analyze regions: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM region`).Scan(&rep.Regions); err != nil {
		return rep, fmt.Errorf("coverage: count regions: %w", err)
	}
	if rep.Regions == 0 {
		return rep, fmt.Errorf("coverage: no regions")
	}

	var err error
	if rep.Before, err = measureCoverage(ctx, tx, step, "measure published", `SELECT code, geom FROM region`); err != nil {
		return rep, fmt.Errorf("coverage: measure published: %w", err)
	}

	if err := cleanCoverage(ctx, tx, &rep, step); err != nil {
		return rep, fmt.Errorf("coverage: clean: %w", err)
	}
	step("clean: analyze")
	if rep.Clean, err = measureCoverage(ctx, tx, step, "measure clean", `SELECT code, geom_clean AS geom FROM region`); err != nil {
		return rep, fmt.Errorf("coverage: measure clean: %w", err)
	}

	if err := rebuildNeighbours(ctx, tx, &rep); err != nil {
		return rep, fmt.Errorf("coverage: neighbours: %w", err)
	}
	step("neighbours")

	codes, mps, err := readClean(ctx, tx)
	if err != nil {
		return rep, fmt.Errorf("coverage: read clean geometry: %w", err)
	}
	step("read clean")
	topo := geo.NewTopology(mps, topologySnap)
	rep.Topology = topo.Stats()
	step("topology")

	if _, err := tx.Exec(ctx, `DELETE FROM region_geom_level`); err != nil {
		return rep, fmt.Errorf("coverage: clear levels: %w", err)
	}
	for _, l := range geo.Levels() {
		out, st := topo.Simplify(l)
		step("simplify " + string(l.Name))
		if err := writeLevel(ctx, tx, string(l.Name), codes, out); err != nil {
			return rep, fmt.Errorf("coverage: write level %s: %w", l.Name, err)
		}
		step("write " + string(l.Name))
		m, err := measureCoverage(ctx, tx, step, "measure "+string(l.Name), `SELECT region_code AS code, geom FROM region_geom_level WHERE level = $1`, string(l.Name))
		if err != nil {
			return rep, fmt.Errorf("coverage: measure level %s: %w", l.Name, err)
		}
		rep.Levels = append(rep.Levels, LevelReport{Level: string(l.Name), Simplify: st, Measure: m})

	}
	rep.Elapsed = time.Since(start)
	logCoverage(log, rep)
	return rep, nil
}

// measureCoverage copies the rows (code, geom) that query returns into a scratch table and
// measures them.
func measureCoverage(ctx context.Context, tx pgx.Tx, step func(string), name, query string, args ...any) (CoverageMeasure, error) {
	var m CoverageMeasure
	if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS coverage_measure`); err != nil {
		return m, err
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE coverage_measure ON COMMIT DROP AS `+query, args...); err != nil {
		return m, err
	}
	err := tx.QueryRow(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom) AND NOT ST_IsValid(geom)),
		       count(*) FILTER (WHERE geom IS NULL OR ST_IsEmpty(geom)),
		       coalesce(sum(ST_NPoints(geom)), 0)
		FROM coverage_measure`).Scan(&m.Features, &m.Invalid, &m.Empty, &m.Vertices)
	if err != nil {
		return m, err
	}
	if _, err := tx.Exec(ctx, `
		DELETE FROM coverage_measure WHERE geom IS NULL OR ST_IsEmpty(geom) OR NOT ST_IsValid(geom)`); err != nil {
		return m, err
	}
	step(name + ": validity")
	err = tx.QueryRow(ctx, `
		SELECT count(*), coalesce(sum(area), 0), coalesce(sum(ST_Area(i::geography)), 0) / 1e6
		FROM (SELECT i, ST_Area(i) AS area
		      FROM (SELECT ST_Intersection(a.geom, b.geom) AS i
		            FROM coverage_measure a
		            JOIN coverage_measure b ON a.code < b.code AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)) p) q
		WHERE area > $1`, overlapEpsilon).Scan(&m.OverlappingPairs, &m.OverlapDeg2, &m.OverlapKm2)
	if err != nil {
		return m, fmt.Errorf("overlaps: %w", err)
	}
	step(name + ": overlaps")
	err = tx.QueryRow(ctx, `
		SELECT coalesce(sum(ST_NumInteriorRings(d.geom)), 0)
		FROM ST_Dump((SELECT ST_Union(geom) FROM coverage_measure)) d`).Scan(&m.UnionHoles)
	if err != nil {
		return m, fmt.Errorf("union holes: %w", err)
	}
	step(name + ": union holes")
	return m, nil
}

// cleanCoverage writes region.geom_clean and area_km2 (see RebuildCoverage).
func cleanCoverage(ctx context.Context, tx pgx.Tx, rep *CoverageReport, step func(string)) error {
	stmts := []struct {
		sql  string
		args []any
	}{
		{`DROP TABLE IF EXISTS coverage_face`, nil},
		// Every boundary noded together at a fixed grid, then polygonised: the faces of the
		// arrangement, none overlapping another. Each face is claimed by the published regions
		// that contain it (tested at a point inside it); a face claimed by one region is its own,
		// an overlap or a sliver hole is to fill.
		//
		// All columns are computed here, in one statement: updating the rows and then creating
		// the GiST index in the same transaction would leave heap-only-tuple chains behind, and
		// PostgreSQL cannot use an index built over such chains (indcheckxmin) until the
		// creating transaction is older than every snapshot, i.e. never within it — the sliver
		// join below then ran as a 150-million-row nested loop.
		{`CREATE TEMP TABLE coverage_face ON COMMIT DROP AS
		  WITH face AS (
		    SELECT row_number() OVER () AS id, f.geom
		    FROM (SELECT (ST_Dump(ST_Polygonize(l.geom))).geom AS geom
		          FROM (SELECT (ST_Dump(ST_Union(ST_Boundary(geom), $1::float8))).geom AS geom FROM region) l) f
		  ), claimed AS MATERIALIZED ( -- else the claims subquery runs once per use below
		    SELECT f.id, f.geom, ARRAY(
		             SELECT r.code FROM region r
		             WHERE r.geom && p.pt AND ST_Intersects(r.geom, p.pt) ORDER BY r.code) AS claims
		    FROM face f CROSS JOIN LATERAL (SELECT ST_PointOnSurface(f.geom) AS pt) p
		  )
		  SELECT id, geom, claims,
		         CASE WHEN cardinality(claims) = 1 THEN claims[1] END AS owner,
		         cardinality(claims) > 1 OR
		           (cardinality(claims) = 0 AND (ST_Area(geom) < $2 OR 2 * ST_Area(geom) < $3 * ST_Perimeter(geom))) AS fill
		  FROM claimed`,
			[]any{coverageGrid, sliverMaxArea, sliverMaxWidth}},
		{`ALTER TABLE coverage_face ADD PRIMARY KEY (id), ALTER COLUMN fill SET NOT NULL`, nil},
		{`CREATE INDEX ON coverage_face USING gist (geom)`, nil},
		{`ANALYZE coverage_face`, nil},
	}
	for i, s := range stmts {
		if _, err := tx.Exec(ctx, s.sql, s.args...); err != nil {
			return err
		}
		step("clean: " + []string{"drop", "faces+claims", "keys", "index", "analyze faces"}[i])
	}
	err := tx.QueryRow(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE cardinality(claims) > 1),
		       count(*) FILTER (WHERE cardinality(claims) = 0 AND fill),
		       count(*) FILTER (WHERE cardinality(claims) = 0 AND NOT fill)
		FROM coverage_face`).Scan(&rep.Faces, &rep.OverlapFaces, &rep.SliversFilled, &rep.HolesKept)
	if err != nil {
		return err
	}
	// Hand each overlap or sliver face to the region it shares the longest border with (an
	// overlap only to one of its claimants). Faces are noded together, so the intersection of
	// two adjacent faces is exactly their shared edges.
	for round := 0; round < sliverRounds; round++ {
		tag, err := tx.Exec(ctx, `
			-- Big faces are clipped to the sliver's box first: only the border near it counts.
			WITH cand AS (
			  SELECT t.id, o.owner AS code,
			         sum(ST_Length(ST_Intersection(ST_Boundary(t.geom),
			             ST_ClipByBox2D(ST_Boundary(o.geom), ST_Expand(box2d(t.geom), $1::float8))))) AS len
			  FROM coverage_face t
			  JOIN coverage_face o ON o.geom && t.geom AND o.id <> t.id AND o.owner IS NOT NULL
			  WHERE t.owner IS NULL AND t.fill
			    AND (cardinality(t.claims) = 0 OR o.owner = ANY (t.claims))
			  GROUP BY t.id, o.owner
			), best AS (
			  SELECT DISTINCT ON (id) id, code FROM cand WHERE len > 0 ORDER BY id, len DESC, code
			)
			UPDATE coverage_face f SET owner = best.code FROM best WHERE f.id = best.id`, coverageGrid)
		if err != nil {
			return fmt.Errorf("assign slivers: %w", err)
		}
		step("clean: assign slivers")
		if tag.RowsAffected() == 0 {
			break
		}
	}
	// An overlap no pass could place goes to its first claimant.
	if _, err := tx.Exec(ctx, `UPDATE coverage_face SET owner = claims[1] WHERE owner IS NULL AND cardinality(claims) > 1`); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM coverage_face WHERE owner IS NULL AND fill`).Scan(&rep.UnownedLeft); err != nil {
		return err
	}
	step("clean: fallback owners")
	tag, err := tx.Exec(ctx, `
		UPDATE region r SET geom_clean = c.geom, area_km2 = ST_Area(c.geom::geography) / 1e6
		FROM (SELECT owner, ST_Multi(ST_CollectionExtract(ST_Union(geom, $1::float8), 3)) AS geom
		      FROM coverage_face WHERE owner IS NOT NULL GROUP BY owner) c
		WHERE c.owner = r.code`, coverageGrid)
	if err != nil {
		return fmt.Errorf("write geom_clean: %w", err)
	}
	if int(tag.RowsAffected()) != rep.Regions {
		var missing []string
		rows, err := tx.Query(ctx, `SELECT code FROM region r WHERE NOT EXISTS (SELECT 1 FROM coverage_face WHERE owner = r.code) ORDER BY code`)
		if err == nil {
			missing, err = pgx.CollectRows(rows, pgx.RowTo[string])
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("regions left without any area after cleaning: %v", missing)
	}
	step("clean: union faces per owner")
	// geom_clean is new: statistics for the neighbour joins on it.
	if _, err := tx.Exec(ctx, `ANALYZE region`); err != nil {
		return fmt.Errorf("analyze regions: %w", err)
	}
	return nil
}

// rebuildNeighbours fills region_neighbour from geom_clean.
func rebuildNeighbours(ctx context.Context, tx pgx.Tx, rep *CoverageReport) error {
	if _, err := tx.Exec(ctx, `DELETE FROM region_neighbour`); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `
		WITH pair AS (
		  SELECT a.code AS a, b.code AS b,
		         ST_Length(ST_CollectionExtract(ST_Intersection(a.geom_clean, b.geom_clean), 2)::geography) / 1000 AS km
		  FROM region a
		  JOIN region b ON a.code < b.code AND a.geom_clean && b.geom_clean AND ST_Intersects(a.geom_clean, b.geom_clean)
		)
		INSERT INTO region_neighbour (region_code, neighbour_code, relation, border_km)
		SELECT a, b, 'border', km FROM pair WHERE km > 0
		UNION ALL
		SELECT b, a, 'border', km FROM pair WHERE km > 0`)
	if err != nil {
		return fmt.Errorf("borders: %w", err)
	}
	rep.BorderPairs = int(tag.RowsAffected()) / 2
	// Nearest by true distance on the spheroid, among the nearest few by bounding-box distance
	// (<#>, answered from the index alone; <-> would compute the exact planar distance to every
	// candidate the index returns, seconds for these large polygons).
	tag, err = tx.Exec(ctx, `
		INSERT INTO region_neighbour (region_code, neighbour_code, relation, distance_km)
		SELECT r.code, n.code, 'nearest', n.km
		FROM region r
		CROSS JOIN LATERAL (
		  SELECT c.code, ST_Distance(r.geom_clean::geography, c.geom_clean::geography) / 1000 AS km
		  FROM (SELECT o.code, o.geom_clean FROM region o WHERE o.code <> r.code
		        ORDER BY o.geom_clean <#> r.geom_clean LIMIT $1) c
		  ORDER BY km, c.code LIMIT $2) n
		WHERE NOT EXISTS (SELECT 1 FROM region_neighbour b WHERE b.region_code = r.code)`,
		nearestCandidates, nearestCount)
	if err != nil {
		return fmt.Errorf("nearest: %w", err)
	}
	rep.NearestRegions = int(tag.RowsAffected()) / nearestCount
	return nil
}

// readClean returns every region's clean geometry in code order.
func readClean(ctx context.Context, tx pgx.Tx) ([]string, []orb.MultiPolygon, error) {
	rows, err := tx.Query(ctx, `SELECT code, ST_AsBinary(geom_clean) FROM region ORDER BY code`)
	if err != nil {
		return nil, nil, err
	}
	var codes []string
	var mps []orb.MultiPolygon
	var code string
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&code, &raw}, func() error {
		g, err := wkb.Unmarshal(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
		switch g := g.(type) {
		case orb.MultiPolygon:
			mps = append(mps, g)
		case orb.Polygon:
			mps = append(mps, orb.MultiPolygon{g})
		default:
			return fmt.Errorf("%s: geom_clean is a %s", code, g.GeoJSONType())
		}
		codes = append(codes, code)
		return nil
	})
	return codes, mps, err
}

// writeLevel stores one simplified level.
func writeLevel(ctx context.Context, tx pgx.Tx, level string, codes []string, mps []orb.MultiPolygon) error {
	var b pgx.Batch
	for i, code := range codes {
		b.Queue(`INSERT INTO region_geom_level (region_code, level, geom)
		         VALUES ($1, $2, ST_Multi(ST_GeomFromWKB($3, 4326)))`, code, level, wkb.Value(mps[i]))
	}
	return tx.SendBatch(ctx, &b).Close()
}

func logCoverage(log *slog.Logger, rep CoverageReport) {
	if log == nil {
		return
	}
	log.Info("coverage rebuilt",
		"regions", rep.Regions,
		"overlapping_pairs_before", rep.Before.OverlappingPairs, "overlap_km2_before", rep.Before.OverlapKm2,
		"overlapping_pairs_after", rep.Clean.OverlappingPairs, "overlap_km2_after", rep.Clean.OverlapKm2,
		"union_holes_before", rep.Before.UnionHoles, "union_holes_after", rep.Clean.UnionHoles,
		"invalid_after", rep.Clean.Invalid, "faces", rep.Faces, "slivers_filled", rep.SliversFilled,
		"holes_kept", rep.HolesKept, "border_pairs", rep.BorderPairs, "nearest_regions", rep.NearestRegions,
		"arcs", rep.Topology.Arcs, "elapsed", rep.Elapsed.Round(time.Millisecond))
	for _, l := range rep.Levels {
		log.Info("coverage level",
			"level", l.Level, "features", l.Measure.Features, "vertices", l.Measure.Vertices,
			"invalid", l.Measure.Invalid, "empty", l.Measure.Empty,
			"overlapping_pairs", l.Measure.OverlappingPairs, "union_holes", l.Measure.UnionHoles,
			"arcs_restored", l.Simplify.ArcsRestored, "unresolved", l.Simplify.Unresolved,
			"islands_dropped", l.Simplify.DroppedIslands, "rounds", l.Simplify.Rounds)
	}
	for _, s := range rep.Steps {
		log.Debug("coverage step", "step", s.Step, "duration", s.Duration.Round(time.Millisecond))
	}
}

// Summary is a one-line account of the rebuild for the import report.
func (r CoverageReport) Summary() string {
	s := fmt.Sprintf("%d regions; overlaps %d pairs (%.0f km²) -> %d, union holes %d -> %d",
		r.Regions, r.Before.OverlappingPairs, r.Before.OverlapKm2, r.Clean.OverlappingPairs,
		r.Before.UnionHoles, r.Clean.UnionHoles)
	for _, l := range r.Levels {
		s += fmt.Sprintf("; %s %d vertices, %d invalid, %d holes", l.Level, l.Measure.Vertices, l.Measure.Invalid, l.Measure.UnionHoles)
	}
	return s + fmt.Sprintf("; %d border pairs; in %s", r.BorderPairs, r.Elapsed.Round(time.Millisecond))
}
