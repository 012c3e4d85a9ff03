package data

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sync"
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
	// nearestExact is how many of those are measured on the spheroid before the others are
	// pruned by their box distance, and nearestKmPerDegree a lower bound of the kilometres a
	// degree spans (110.57 along a meridian, 111.32 along the equator), with a margin.
	nearestExact       = 4
	nearestKmPerDegree = 105.0
	// topologySnap (degrees) is how close a vertex must be to another ring's segment to be
	// inserted into it when the coverage is cut into shared arcs.
	topologySnap = coverageGrid / 2
)

// CoverageReport holds what RebuildCoverage measured.
type CoverageReport struct {
	Regions int
	// Before is region.geom as published. Validity and vertices are measured on the features;
	// overlaps and holes are counted on the faces of the noding (see RebuildCoverage), i.e. at
	// coverageGrid: ST_Intersection of the 981 touching pairs and ST_Union of the published
	// boundaries cost 7 s of the first import to say the same (929 pairs, 1,192 km²; the float
	// union has 3,830 holes, the noded faces 3,814, the rest narrower than the grid).
	Before CoverageMeasure
	Clean  CoverageMeasure // region.geom_clean

	Faces          int // faces of all boundaries noded together
	OverlapFaces   int // faces claimed by two or more regions, each given to one of them
	SliversFilled  int // holes in the union given to a neighbour
	HolesKept      int // holes in the union left open (large: real gaps in the source)
	UnownedLeft    int // overlap or sliver faces no pass could place (0 expected)
	CleanFallback  int // regions whose faces were unioned by ST_Union, not geo.Dissolve (0 expected)
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
	// UnionHoles is the number of interior rings in the union of all valid features. For the
	// clean coverage and the levels it is counted by geo.UnionHoles, which needs the coverage
	// edge-matched and without overlaps — what OverlappingPairs measures in PostGIS — and errs
	// towards more holes otherwise; the real-data test checks it against ST_Union.
	UnionHoles int
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
//     every region is a union of faces of one noding, neighbours share identical vertices, and
//     each region's faces are merged in memory (geo.Dissolve) rather than by ST_Union.
//   - region_geom_level: the clean coverage simplified as a topology (package geo) at the
//     national, province and full levels, coordinates snapped to each level's grid.
//   - region_neighbour: 'border' pairs (both directions) with the shared border length on the
//     spheroid, and for regions without a land border their nearest regions by distance.
//
// It measures overlaps, holes, validity and vertices before, after cleaning and per level, and
// logs a summary and progress lines ("import: …").
func RebuildCoverage(ctx context.Context, tx pgx.Tx, log *slog.Logger) (CoverageReport, error) {
	return rebuildCoverage(ctx, tx, newImportProgress(log, time.Now()))
}

func rebuildCoverage(ctx context.Context, tx pgx.Tx, pr *importProgress) (CoverageReport, error) {
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
	if _, err := measureValidity(ctx, tx, &rep.Before, false, `SELECT code, geom FROM region`); err != nil {
		return rep, fmt.Errorf("coverage: measure published: %w", err)
	}
	step("measure published: validity")

	codes, clean, err := cleanCoverage(ctx, tx, &rep, step, pr)
	if err != nil {
		return rep, fmt.Errorf("coverage: clean: %w", err)
	}

	// The topology and the three simplifications are pure CPU in Go: they run on other cores
	// while PostgreSQL measures the clean coverage and finds the neighbours.
	type simplified struct {
		out []orb.MultiPolygon
		st  geo.SimplifyStats
	}
	levels := geo.Levels()
	results := make([]simplified, len(levels))
	topoStats := make(chan geo.TopologyStats, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		topo := geo.NewTopology(clean, topologySnap)
		topoStats <- topo.Stats()
		var lw sync.WaitGroup
		for i, l := range levels {
			lw.Go(func() {
				out, st := topo.Simplify(l)
				results[i] = simplified{out, st}
			})
		}
		lw.Wait()
	})
	defer wg.Wait() // on an early error too: nothing may outlive the call

	if rep.Clean, err = measureCoverage(ctx, tx, step, "measure clean", clean,
		`SELECT code, geom_clean AS geom FROM region`); err != nil {
		return rep, fmt.Errorf("coverage: measure clean: %w", err)
	}
	// The pairs the clean measure intersected are the borders: no second intersection.
	if err := rebuildNeighbours(ctx, tx, &rep); err != nil {
		return rep, fmt.Errorf("coverage: neighbours: %w", err)
	}
	step("neighbours")
	pr.done("clean coverage measured", "overlapping_pairs", rep.Clean.OverlappingPairs,
		"union_holes", rep.Clean.UnionHoles, "invalid", rep.Clean.Invalid,
		"border_pairs", rep.BorderPairs, "nearest_regions", rep.NearestRegions)

	if _, err := tx.Exec(ctx, `DELETE FROM region_geom_level`); err != nil {
		return rep, fmt.Errorf("coverage: clear levels: %w", err)
	}
	rep.Topology = <-topoStats
	wg.Wait()
	step("topology+simplify (waited)")
	for i, l := range levels {
		out, st := results[i].out, results[i].st
		if err := writeLevel(ctx, tx, string(l.Name), codes, out); err != nil {
			return rep, fmt.Errorf("coverage: write level %s: %w", l.Name, err)
		}
		step("write " + string(l.Name))
		m, err := measureCoverage(ctx, tx, step, "measure "+string(l.Name), out,
			`SELECT region_code AS code, geom FROM region_geom_level WHERE level = $1`, string(l.Name))
		if err != nil {
			return rep, fmt.Errorf("coverage: measure level %s: %w", l.Name, err)
		}
		rep.Levels = append(rep.Levels, LevelReport{Level: string(l.Name), Simplify: st, Measure: m})
		pr.done("level simplified", "level", l.Name, "vertices", m.Vertices, "invalid", m.Invalid,
			"overlapping_pairs", m.OverlappingPairs, "union_holes", m.UnionHoles)
	}
	rep.Elapsed = time.Since(start)
	logCoverage(pr.log, rep)
	return rep, nil
}

// measureValidity counts the features, invalid and empty ones and vertices of the rows (code,
// geom) that query returns into m. skip[i] is true for the i-th row in code order when it is
// empty or invalid. With dump, the valid features' polygons go to the scratch table
// coverage_measure, indexed, for the overlap measure.
func measureValidity(ctx context.Context, tx pgx.Tx, m *CoverageMeasure, dump bool, query string, args ...any) (skip []bool, err error) {
	if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS coverage_feature, coverage_measure`); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE coverage_feature ON COMMIT DROP AS
		SELECT row_number() OVER (ORDER BY q.code) AS n, q.code, q.geom,
		       q.geom IS NOT NULL AND NOT ST_IsEmpty(q.geom) AS present,
		       q.geom IS NOT NULL AND NOT ST_IsEmpty(q.geom) AND ST_IsValid(q.geom) AS ok
		FROM (`+query+`) q`, args...); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT present, ok, coalesce(ST_NPoints(geom), 0) FROM coverage_feature ORDER BY n`)
	if err != nil {
		return nil, err
	}
	var present, ok bool
	var npoints int
	_, err = pgx.ForEachRow(rows, []any{&present, &ok, &npoints}, func() error {
		m.Features++
		m.Vertices += npoints
		switch {
		case !present:
			m.Empty++
		case !ok:
			m.Invalid++
		}
		skip = append(skip, !ok)
		return nil
	})
	if err != nil || !dump {
		return skip, err
	}
	// One row per polygon: overlaps are then computed between polygons whose boxes meet,
	// not between whole multipolygons carrying every island of both regions.
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE coverage_measure ON COMMIT DROP AS
		SELECT code, (ST_Dump(geom)).geom AS geom FROM coverage_feature WHERE ok`); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `CREATE INDEX ON coverage_measure USING gist (geom)`); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `ANALYZE coverage_measure`); err != nil {
		return nil, err
	}
	return skip, nil
}

// measureCoverage measures the rows (code, geom) that query returns: validity and vertices
// (measureValidity), overlapping pairs in PostGIS, and the holes of their union with
// geo.UnionHoles on mps, which must be the same geometries in code order. It leaves the
// intersections of touching pairs in the scratch table coverage_pair.
func measureCoverage(ctx context.Context, tx pgx.Tx, step func(string), name string, mps []orb.MultiPolygon, query string, args ...any) (CoverageMeasure, error) {
	var m CoverageMeasure
	skip, err := measureValidity(ctx, tx, &m, true, query, args...)
	if err != nil {
		return m, err
	}
	if len(skip) != len(mps) {
		return m, fmt.Errorf("%d rows measured for %d geometries", len(skip), len(mps))
	}
	step(name + ": validity")
	// The holes are counted in Go while PostgreSQL intersects the pairs.
	valid := make([]orb.MultiPolygon, 0, len(mps))
	for i, mp := range mps {
		if !skip[i] {
			valid = append(valid, mp)
		}
	}
	var holes int
	var wg sync.WaitGroup
	wg.Go(func() { holes = geo.UnionHoles(valid) })
	defer wg.Wait() // on an error too: nothing may outlive the call
	if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS coverage_pair`); err != nil {
		return m, err
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE coverage_pair ON COMMIT DROP AS
		SELECT a.code AS a, b.code AS b, ST_Intersection(a.geom, b.geom) AS i
		FROM coverage_measure a
		JOIN coverage_measure b ON a.code < b.code AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)`); err != nil {
		return m, fmt.Errorf("intersections: %w", err)
	}
	err = tx.QueryRow(ctx, `
		SELECT count(*), coalesce(sum(area), 0), coalesce(sum(km2), 0)
		FROM (SELECT sum(ST_Area(i)) AS area, sum(ST_Area(i::geography)) FILTER (WHERE ST_Area(i) > 0) / 1e6 AS km2
		      FROM coverage_pair GROUP BY a, b) q
		WHERE area > $1`, overlapEpsilon).Scan(&m.OverlappingPairs, &m.OverlapDeg2, &m.OverlapKm2)
	if err != nil {
		return m, fmt.Errorf("overlaps: %w", err)
	}
	step(name + ": overlaps")
	wg.Wait()
	m.UnionHoles = holes
	step(name + ": union holes (waited)")
	return m, nil
}

// cleanCoverage writes region.geom_clean and area_km2 (see RebuildCoverage) and returns every
// region's clean geometry in code order.
func cleanCoverage(ctx context.Context, tx pgx.Tx, rep *CoverageReport, step func(string), pr *importProgress) ([]string, []orb.MultiPolygon, error) {
	stmts := []struct {
		name string
		sql  string
		args []any
	}{
		{"drop", `DROP TABLE IF EXISTS coverage_face_point, coverage_face`, nil},
		// Every boundary noded together at a fixed grid, then polygonised: the faces of the
		// arrangement, none overlapping another, each with a point inside it.
		{"node+polygonize", `CREATE TEMP TABLE coverage_face_point ON COMMIT DROP AS
		  SELECT row_number() OVER () AS id, f.geom, ST_PointOnSurface(f.geom) AS pt
		  FROM (SELECT (ST_Dump(ST_Polygonize(l.geom))).geom AS geom
		        FROM (SELECT (ST_Dump(ST_Union(ST_Boundary(geom), $1::float8))).geom AS geom FROM region) l) f`,
			[]any{coverageGrid}},
		{"index points", `CREATE INDEX ON coverage_face_point USING gist (pt)`, nil},
		{"analyze points", `ANALYZE coverage_face_point`, nil},
		// Each face is claimed by the published regions that contain its point; a face claimed
		// by one region is its own, an overlap or a sliver hole is to fill. The join runs from
		// the region side, so that each region's geometry is read once and probed with the
		// points in its box (probing 26,800 points one by one, each reading its regions'
		// TOASTed multipolygons again, took five times as long).
		//
		// All columns are computed here, in one statement, and the table is never updated: an
		// index built over rows updated earlier in the same transaction is unusable in it
		// (indcheckxmin; the sliver join once ran as a 150-million-row nested loop that way).
		{"claims", `CREATE TEMP TABLE coverage_face ON COMMIT DROP AS
		  WITH claim AS (
		    SELECT p.id, array_agg(r.code ORDER BY r.code) AS claims
		    FROM region r JOIN coverage_face_point p ON r.geom && p.pt AND ST_Intersects(r.geom, p.pt)
		    GROUP BY p.id
		  ), claimed AS (
		    SELECT f.id, f.geom, coalesce(c.claims, '{}') AS claims
		    FROM coverage_face_point f LEFT JOIN claim c USING (id)
		  )
		  SELECT id, geom, claims,
		         CASE WHEN cardinality(claims) = 1 THEN claims[1] END AS owner,
		         cardinality(claims) > 1 OR
		           (cardinality(claims) = 0 AND (ST_Area(geom) < $1 OR 2 * ST_Area(geom) < $2 * ST_Perimeter(geom))) AS fill
		  FROM claimed`,
			[]any{sliverMaxArea, sliverMaxWidth}},
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s.sql, s.args...); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.name, err)
		}
		step("clean: " + s.name)
	}
	err := tx.QueryRow(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE cardinality(claims) > 1),
		       count(*) FILTER (WHERE cardinality(claims) = 0 AND fill),
		       count(*) FILTER (WHERE cardinality(claims) = 0 AND NOT fill)
		FROM coverage_face`).Scan(&rep.Faces, &rep.OverlapFaces, &rep.SliversFilled, &rep.HolesKept)
	if err != nil {
		return nil, nil, err
	}
	// The published coverage's overlaps and holes, from the faces: a face claimed by several
	// regions is part of each pair's overlap, a face claimed by none is a hole of the union
	// (two unclaimed faces never share an edge: every edge is some region's boundary).
	rep.Before.UnionHoles = rep.SliversFilled + rep.HolesKept
	err = tx.QueryRow(ctx, `
		SELECT count(*), coalesce(sum(area), 0), coalesce(sum(km2), 0)
		FROM (SELECT sum(a.area) AS area, sum(a.km2) AS km2
		      FROM (SELECT claims, ST_Area(geom) AS area, ST_Area(geom::geography) / 1e6 AS km2
		            FROM coverage_face WHERE cardinality(claims) > 1) a,
		           unnest(a.claims) c1, unnest(a.claims) c2
		      WHERE c1 < c2 GROUP BY c1, c2) p
		WHERE area > $1`, overlapEpsilon).Scan(&rep.Before.OverlappingPairs, &rep.Before.OverlapDeg2, &rep.Before.OverlapKm2)
	if err != nil {
		return nil, nil, fmt.Errorf("published overlaps: %w", err)
	}
	step("clean: published overlaps")
	pr.done("boundaries noded", "faces", rep.Faces, "overlap_faces", rep.OverlapFaces,
		"overlapping_pairs", rep.Before.OverlappingPairs, "union_holes", rep.Before.UnionHoles)

	// Hand each overlap or sliver face to the region it shares the longest border with (an
	// overlap only to one of its claimants). Faces are noded together, so the border two faces
	// share is exactly their common edges: measured in memory (geo.SharedBorders), not by
	// intersecting boundaries in PostGIS.
	codes, faces, err := readFaces(ctx, tx)
	if err != nil {
		return nil, nil, fmt.Errorf("read faces: %w", err)
	}
	step("clean: read faces")
	rep.UnownedLeft = assignFaces(faces)
	step("clean: assign slivers")
	groups := make([][]orb.Polygon, len(codes))
	at := make(map[string]int, len(codes))
	for i, c := range codes {
		at[c] = i
	}
	for _, f := range faces {
		if i, ok := at[f.owner]; ok {
			groups[i] = append(groups[i], f.geom)
		}
	}
	var missing []string
	for i, g := range groups {
		if len(g) == 0 {
			missing = append(missing, codes[i])
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("regions left without any area after cleaning: %v", missing)
	}
	mps, bad := geo.Dissolve(groups)
	wkbs := make([][]byte, len(codes))
	for i, mp := range mps {
		if mp == nil {
			continue // bad: unioned in PostGIS below
		}
		if wkbs[i], err = wkb.Marshal(mp); err != nil {
			return nil, nil, fmt.Errorf("encode %s: %w", codes[i], err)
		}
	}
	step("clean: dissolve faces")
	tag, err := tx.Exec(ctx, `
		UPDATE region r SET geom_clean = c.geom, area_km2 = ST_Area(c.geom::geography) / 1e6
		FROM (SELECT u.code, ST_Multi(ST_GeomFromWKB(u.wkb, 4326)) AS geom
		      FROM unnest($1::text[], $2::bytea[]) AS u(code, wkb) WHERE u.wkb IS NOT NULL) c
		WHERE c.code = r.code`, codes, wkbs)
	if err != nil {
		return nil, nil, fmt.Errorf("write geom_clean: %w", err)
	}
	if n := int(tag.RowsAffected()); n != len(codes)-len(bad) {
		return nil, nil, fmt.Errorf("write geom_clean: %d regions written of %d", n, len(codes)-len(bad))
	}
	step("clean: write geom_clean")
	// Should the merge in memory ever meet faces it cannot assemble, or assemble a region
	// PostGIS finds invalid, that region's faces are unioned by PostGIS instead (slowly).
	rows, err := tx.Query(ctx, `SELECT code FROM region WHERE NOT ST_IsValid(geom_clean) ORDER BY code`)
	if err != nil {
		return nil, nil, fmt.Errorf("check geom_clean: %w", err)
	}
	invalid, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, nil, fmt.Errorf("check geom_clean: %w", err)
	}
	fallback := map[string]bool{}
	for _, c := range invalid {
		fallback[c] = true
	}
	for _, gi := range bad {
		fallback[codes[gi]] = true
	}
	step("clean: check geom_clean")
	if len(fallback) > 0 {
		var ids []int64
		var owners []string
		for _, f := range faces {
			if fallback[f.owner] {
				ids, owners = append(ids, f.id), append(owners, f.owner)
			}
		}
		tag, err := tx.Exec(ctx, `
			UPDATE region r SET geom_clean = c.geom, area_km2 = ST_Area(c.geom::geography) / 1e6
			FROM (SELECT u.owner, ST_Multi(ST_CollectionExtract(ST_Union(f.geom, $1::float8), 3)) AS geom
			      FROM unnest($2::bigint[], $3::text[]) AS u(id, owner) JOIN coverage_face f ON f.id = u.id
			      GROUP BY u.owner) c
			WHERE c.owner = r.code`, coverageGrid, ids, owners)
		if err != nil {
			return nil, nil, fmt.Errorf("write geom_clean by ST_Union: %w", err)
		}
		rep.CleanFallback = int(tag.RowsAffected())
		// What PostGIS wrote is what is measured and simplified.
		if codes, mps, err = readClean(ctx, tx); err != nil {
			return nil, nil, fmt.Errorf("read clean geometry: %w", err)
		}
		step("clean: fallback unions")
	}
	// geom_clean is new: statistics for the neighbour joins on it.
	if _, err := tx.Exec(ctx, `ANALYZE region`); err != nil {
		return nil, nil, fmt.Errorf("analyze regions: %w", err)
	}
	step("clean: analyze")
	pr.done("boundaries cleaned", "regions", rep.Regions,
		"overlapping_pairs_fixed", rep.Before.OverlappingPairs, "overlap_km2", math.Round(rep.Before.OverlapKm2),
		"slivers_filled", rep.SliversFilled, "holes_kept", rep.HolesKept,
		"unowned", rep.UnownedLeft, "fallback_unions", rep.CleanFallback)
	return codes, mps, nil
}

// face is one face of the noded boundaries (coverage_face).
type face struct {
	id     int64
	geom   orb.Polygon
	claims []string // the published regions containing it, in code order
	fill   bool     // an overlap or a sliver: to give to a neighbour
	owner  string   // the region it goes to; "" for none (yet)
}

// readFaces returns every region's code, in code order, and every face of coverage_face.
func readFaces(ctx context.Context, tx pgx.Tx) ([]string, []face, error) {
	rows, err := tx.Query(ctx, `SELECT code FROM region ORDER BY code`)
	if err != nil {
		return nil, nil, err
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, nil, err
	}
	rows, err = tx.Query(ctx, `SELECT id, claims, fill, ST_AsBinary(geom) FROM coverage_face ORDER BY id`)
	if err != nil {
		return nil, nil, err
	}
	var faces []face
	var f face
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&f.id, &f.claims, &f.fill, &raw}, func() error {
		g, err := wkb.Unmarshal(raw)
		if err != nil {
			return fmt.Errorf("face %d: %w", f.id, err)
		}
		p, ok := g.(orb.Polygon)
		if !ok {
			return fmt.Errorf("face %d is a %s", f.id, g.GeoJSONType())
		}
		faces = append(faces, face{id: f.id, geom: p, claims: f.claims, fill: f.fill})
		return nil
	})
	return codes, faces, err
}

// assignFaces sets every face's owner: its claimant when it has one; for an overlap or sliver
// the owner it shares the longest border with (among its claimants for an overlap; ties to the
// smaller code), in up to sliverRounds rounds so that a sliver touching only other slivers is
// placed once they are; an overlap still unplaced then goes to its first claimant. It returns
// how many overlap or sliver faces are left without an owner.
func assignFaces(faces []face) int {
	polys := make([]orb.Polygon, len(faces))
	for i, f := range faces {
		polys[i] = f.geom
		if len(f.claims) == 1 {
			faces[i].owner = f.claims[0]
		}
	}
	type side struct {
		face   int
		length float64
	}
	adj := make([][]side, len(faces))
	for _, b := range geo.SharedBorders(polys) {
		adj[b.A] = append(adj[b.A], side{b.B, b.Length})
		adj[b.B] = append(adj[b.B], side{b.A, b.Length})
	}
	type pick struct {
		face  int
		owner string
	}
	for round := 0; round < sliverRounds; round++ {
		// Owners as they were at the start of the round, like one UPDATE … FROM.
		var picks []pick
		for t, f := range faces {
			if f.owner != "" || !f.fill {
				continue
			}
			lens := map[string]float64{}
			for _, s := range adj[t] {
				o := faces[s.face].owner
				if o != "" && (len(f.claims) == 0 || slices.Contains(f.claims, o)) {
					lens[o] += s.length
				}
			}
			best, bestLen := "", 0.0
			for o, l := range lens {
				if l > bestLen || l == bestLen && l > 0 && o < best {
					best, bestLen = o, l
				}
			}
			if best != "" {
				picks = append(picks, pick{t, best})
			}
		}
		if len(picks) == 0 {
			break
		}
		for _, p := range picks {
			faces[p.face].owner = p.owner
		}
	}
	unowned := 0
	for i, f := range faces {
		if f.owner == "" && len(f.claims) > 1 {
			faces[i].owner = f.claims[0]
		}
		if faces[i].owner == "" && f.fill {
			unowned++
		}
	}
	return unowned
}

// rebuildNeighbours fills region_neighbour from geom_clean, taking the shared borders from the
// intersections the clean measure left in coverage_pair.
func rebuildNeighbours(ctx context.Context, tx pgx.Tx, rep *CoverageReport) error {
	if _, err := tx.Exec(ctx, `DELETE FROM region_neighbour`); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `
		WITH pair AS (
		  SELECT a, b, sum(ST_Length(ST_CollectionExtract(i, 2)::geography)) / 1000 AS km
		  FROM coverage_pair GROUP BY a, b
		)
		INSERT INTO region_neighbour (region_code, neighbour_code, relation, border_km)
		SELECT a, b, 'border', km FROM pair WHERE km > 0
		UNION ALL
		SELECT b, a, 'border', km FROM pair WHERE km > 0`)
	if err != nil {
		return fmt.Errorf("borders: %w", err)
	}
	rep.BorderPairs = int(tag.RowsAffected()) / 2
	// Nearest by true distance on the spheroid, among the nearestCandidates nearest by
	// bounding-box distance (<#>, answered from the index alone; <-> would compute the exact
	// planar distance to every candidate the index returns, seconds for these large polygons).
	// The spheroid distance between large multipolygons is the cost (~4 ms a pair), so it is
	// computed for the nearestExact nearest boxes first and then only for the candidates whose
	// box is close enough to beat the nearestCount-th distance found: a box distance of d
	// degrees means at least d · nearestKmPerDegree · cos(latitude) km on the spheroid (the
	// cosine taken 2° poleward of both boxes, for the geodesic's bulge). Same answer as
	// measuring all candidates, at a third of the distances.
	tag, err = tx.Exec(ctx, `
		WITH lonely AS MATERIALIZED (
		  SELECT r.code, r.geom_clean FROM region r
		  WHERE NOT EXISTS (SELECT 1 FROM region_neighbour b WHERE b.region_code = r.code)
		), cand AS MATERIALIZED (
		  SELECT r.code, c.code AS cand, c.k,
		         c.box * $3::float8 * cos(radians(least(85, 2 + greatest(abs(ST_YMin(r.geom_clean)),
		           abs(ST_YMax(r.geom_clean)), abs(c.ymin), abs(c.ymax))))) AS lower_km
		  FROM lonely r
		  CROSS JOIN LATERAL (
		    SELECT o.code, o.geom_clean <#> r.geom_clean AS box, ST_YMin(o.geom_clean) AS ymin, ST_YMax(o.geom_clean) AS ymax,
		           row_number() OVER (ORDER BY o.geom_clean <#> r.geom_clean, o.code) AS k
		    FROM region o WHERE o.code <> r.code
		    ORDER BY o.geom_clean <#> r.geom_clean LIMIT $1) c
		), near AS MATERIALIZED (
		  SELECT c.code, c.cand, ST_Distance(r.geom_clean::geography, o.geom_clean::geography) / 1000 AS km
		  FROM cand c JOIN region r ON r.code = c.code JOIN region o ON o.code = c.cand
		  WHERE c.k <= $4
		), bound AS (
		  SELECT code, (array_agg(km ORDER BY km))[$2] AS km_n FROM near GROUP BY code
		), far AS (
		  SELECT c.code, c.cand, ST_Distance(r.geom_clean::geography, o.geom_clean::geography) / 1000 AS km
		  FROM cand c JOIN bound USING (code) JOIN region r ON r.code = c.code JOIN region o ON o.code = c.cand
		  WHERE c.k > $4 AND (bound.km_n IS NULL OR c.lower_km <= bound.km_n)
		), ranked AS (
		  SELECT code, cand, km, row_number() OVER (PARTITION BY code ORDER BY km, cand) AS rank
		  FROM (SELECT * FROM near UNION ALL SELECT * FROM far) d
		)
		INSERT INTO region_neighbour (region_code, neighbour_code, relation, distance_km)
		SELECT code, cand, 'nearest', km FROM ranked WHERE rank <= $2`,
		nearestCandidates, nearestCount, nearestKmPerDegree, nearestExact)
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
