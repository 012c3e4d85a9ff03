package data_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"mppmap/data"
	"mppmap/data/datatest"
	"mppmap/geo"
)

type covTestRegion struct {
	code, name, provinceCode, provinceName, kind string
	geom                                         orb.MultiPolygon
}

// covInsertRegions writes provinces and regions the way the importer does.
func covInsertRegions(t *testing.T, pool *pgxpool.Pool, regions []covTestRegion) {
	t.Helper()
	ctx := context.Background()
	provs := map[string]string{}
	for _, r := range regions {
		provs[r.provinceCode] = r.provinceName
	}
	var b pgx.Batch
	for code, name := range provs {
		b.Queue(`INSERT INTO province (code, name, kabupaten_count, kota_count) VALUES ($1, $2, 0, 0)`, code, name)
	}
	for _, r := range regions {
		b.Queue(`INSERT INTO region (code, name, province_code, kind, geom)
		         VALUES ($1, $2, $3, $4, ST_Multi(ST_GeomFromWKB($5, 4326)))`,
			r.code, r.name, r.provinceCode, r.kind, wkb.Value(r.geom))
	}
	if err := pool.SendBatch(ctx, &b).Close(); err != nil {
		t.Fatalf("insert regions: %v", err)
	}
}

func covRebuild(t *testing.T, pool *pgxpool.Pool) data.CoverageReport {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if testing.Verbose() == false {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	rep, err := data.RebuildCoverage(ctx, tx, log)
	if err != nil {
		t.Fatalf("RebuildCoverage: %v", err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return rep
}

// covCheckCoverage asserts the properties every geometry set must have.
func covCheckCoverage(t *testing.T, name string, m data.CoverageMeasure, features, maxHoles int) {
	t.Helper()
	if m.Features != features || m.Invalid != 0 || m.Empty != 0 {
		t.Errorf("%s: %d features (want %d), %d invalid, %d empty", name, m.Features, features, m.Invalid, m.Empty)
	}
	if m.OverlappingPairs != 0 {
		t.Errorf("%s: %d neighbouring pairs overlap (%.3g deg²)", name, m.OverlappingPairs, m.OverlapDeg2)
	}
	if m.UnionHoles > maxHoles {
		t.Errorf("%s: %d holes in the union, want <= %d", name, m.UnionHoles, maxHoles)
	}
}

func covSquare(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func TestCoverageSynthetic(t *testing.T) {
	_, pool := datatest.NewDB(t)
	lake := covSquare(3.5, 0.5, 4.5, 1.5)
	lake.Reverse()
	regions := []covTestRegion{
		// 11.01 and 11.02 overlap on a 0.01° strip.
		{code: "11.01", geom: orb.MultiPolygon{{covSquare(0, 0, 1, 1)}}},
		{code: "11.02", geom: orb.MultiPolygon{{covSquare(0.99, 0, 2, 1)}}},
		// 11.03 leaves a thin triangular gap above 11.01: a sliver hole in the union.
		{code: "11.03", geom: orb.MultiPolygon{{{{0, 1}, {0.5, 1}, {0.6, 1.001}, {0.7, 1}, {2, 1}, {2, 2}, {0, 2}, {0, 1}}}}},
		// 11.04 has a real lake (1 deg²): it stays a hole.
		{code: "11.04", geom: orb.MultiPolygon{{covSquare(2, 0, 5, 2), lake}}},
		// 11.05 is an island with no land border.
		{code: "11.05", geom: orb.MultiPolygon{{covSquare(0, -3, 0.5, -2.5)}}},
	}
	for i := range regions {
		regions[i].name, regions[i].provinceCode, regions[i].provinceName, regions[i].kind = "Kabupaten "+regions[i].code, "11", "Aceh", "kabupaten"
	}
	covInsertRegions(t, pool, regions)
	rep := covRebuild(t, pool)

	if rep.Before.OverlappingPairs != 1 || rep.Before.UnionHoles != 2 {
		t.Errorf("before: %d overlapping pairs, %d holes; want 1 and 2 (sliver and lake)", rep.Before.OverlappingPairs, rep.Before.UnionHoles)
	}
	covCheckCoverage(t, "clean", rep.Clean, 5, 1)
	if rep.Clean.UnionHoles != 1 || rep.SliversFilled != 1 || rep.HolesKept != 1 {
		t.Errorf("clean: %d holes, %d slivers filled, %d kept; want the lake only", rep.Clean.UnionHoles, rep.SliversFilled, rep.HolesKept)
	}
	for _, l := range rep.Levels {
		covCheckCoverage(t, l.Level, l.Measure, 5, 1)
	}
	// Total area is kept: the overlap counted once, the sliver filled.
	var area float64
	if err := pool.QueryRow(context.Background(), `SELECT sum(ST_Area(geom_clean)) FROM region`).Scan(&area); err != nil {
		t.Fatal(err)
	}
	if want := 1 + 1.01 - 0.01 + 2 + 5 + 0.25; covAbs(area-want) > 1e-9 {
		t.Errorf("clean area %.7f, want %.7f", area, want)
	}
	nb := covNeighbours(t, pool)
	for _, want := range []string{"11.01 11.02 border", "11.02 11.01 border", "11.01 11.03 border", "11.02 11.04 border", "11.03 11.04 border"} {
		if !nb[want] {
			t.Errorf("missing neighbour %q in %v", want, nb)
		}
	}
	for _, n := range []string{"11.01", "11.02", "11.04"} {
		if !nb["11.05 "+n+" nearest"] {
			t.Errorf("11.05 should have %s as nearest: %v", n, nb)
		}
	}
}

func covAbs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func covNeighbours(t *testing.T, pool *pgxpool.Pool) map[string]bool {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT region_code || ' ' || neighbour_code || ' ' || relation FROM region_neighbour`)
	if err != nil {
		t.Fatal(err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, s := range list {
		m[s] = true
	}
	return m
}

// TestCoverageRealBoundaries imports the real reference folder the way `mppmap import` does
// (boundaries, statuses and all) and checks the coverage it builds and the national layer the
// read model serves from it.
func TestCoverageRealBoundaries(t *testing.T) {
	_, pool := datatest.NewDB(t)
	var logged bytes.Buffer
	var out io.Writer = &logged
	if testing.Verbose() {
		out = io.MultiWriter(&logged, os.Stderr)
	}
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	imp, err := data.Import(context.Background(), pool, datatest.RefData(t), log)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if imp.Coverage == nil {
		t.Fatal("import of an empty database reported no coverage rebuild")
	}
	rep := *imp.Coverage
	// The progress lines a newcomer watches, in order, each with how long it took.
	at := 0
	for _, stage := range []string{"files read and validated", "boundaries checked", "boundaries noded",
		"boundaries cleaned", "clean coverage measured", "level simplified", "tables written", "import committed"} {
		i := strings.Index(logged.String()[at:], `msg="import: `+stage+`"`)
		if stage == "import committed" {
			i = strings.Index(logged.String()[at:], `msg="import committed"`)
		}
		if i < 0 {
			t.Errorf("no progress line %q after byte %d of the log:\n%s", stage, at, logged.String())
			break
		}
		at += i
		if line, _, _ := strings.Cut(logged.String()[at:], "\n"); !strings.Contains(line, " took=") {
			t.Errorf("progress line without took=: %s", line)
		}
	}
	if imp.Rows["boundaries/kabkota.geojson"] != 514 {
		t.Errorf("kabkota.geojson: %d rows read, want 514 (%v)", imp.Rows["boundaries/kabkota.geojson"], imp.Rows)
	}

	t.Logf("before: %+v", rep.Before)
	t.Logf("clean:  %+v", rep.Clean)
	t.Logf("faces %d, overlap faces %d, slivers filled %d, holes kept %d, unowned %d; topology %+v",
		rep.Faces, rep.OverlapFaces, rep.SliversFilled, rep.HolesKept, rep.UnownedLeft, rep.Topology)
	for _, l := range rep.Levels {
		t.Logf("%s: %+v | %+v", l.Level, l.Measure, l.Simplify)
	}
	for _, s := range rep.Steps {
		t.Logf("step %-22s %v", s.Step, s.Duration)
	}
	t.Logf("border pairs %d, nearest regions %d, elapsed %v", rep.BorderPairs, rep.NearestRegions, rep.Elapsed)

	if rep.Before.OverlappingPairs < 900 || rep.Before.UnionHoles < 3000 {
		t.Errorf("published boundaries: %d overlapping pairs, %d holes; the source documents 929 and 3,830",
			rep.Before.OverlappingPairs, rep.Before.UnionHoles)
	}
	covCheckCoverage(t, "clean", rep.Clean, 514, 30)
	if rep.CleanFallback != 0 || rep.UnownedLeft != 0 {
		t.Errorf("%d regions needed ST_Union after geo.Dissolve, %d faces left unowned", rep.CleanFallback, rep.UnownedLeft)
	}
	if len(rep.Levels) != 3 {
		t.Fatalf("%d levels", len(rep.Levels))
	}
	for _, l := range rep.Levels {
		covCheckCoverage(t, l.Level, l.Measure, 514, 30)
		// Unresolved arcs are reported, not failed: two arcs left lying on each other once the
		// sliver between them collapsed are still a valid coverage, which the checks above prove.
	}
	if !(rep.Levels[0].Measure.Vertices < rep.Levels[1].Measure.Vertices && rep.Levels[1].Measure.Vertices <= rep.Levels[2].Measure.Vertices) {
		t.Errorf("vertices should grow with detail: national %d, province %d, full %d",
			rep.Levels[0].Measure.Vertices, rep.Levels[1].Measure.Vertices, rep.Levels[2].Measure.Vertices)
	}

	ctx := context.Background()
	// The import counts union holes without a union (geo.UnionHoles); PostGIS's ST_Union must
	// agree on every layer it measured.
	stUnionHoles := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(ctx, `SELECT coalesce(sum(ST_NumInteriorRings(d.geom)), 0)
			FROM ST_Dump((SELECT ST_Union(geom) FROM (`+query+`) q)) d`, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := stUnionHoles(`SELECT geom_clean AS geom FROM region`); n != rep.Clean.UnionHoles {
		t.Errorf("clean: ST_Union has %d holes, the import counted %d", n, rep.Clean.UnionHoles)
	}
	for _, l := range rep.Levels {
		if n := stUnionHoles(`SELECT geom FROM region_geom_level WHERE level = $1`, l.Level); n != l.Measure.UnionHoles {
			t.Errorf("%s: ST_Union has %d holes, the import counted %d", l.Level, n, l.Measure.UnionHoles)
		}
	}
	if rows, err := pool.Query(ctx, `SELECT level, region_code, ST_IsValidReason(geom) FROM region_geom_level WHERE NOT ST_IsValid(geom) ORDER BY 1, 2`); err == nil {
		for rows.Next() {
			var l, c, why string
			rows.Scan(&l, &c, &why)
			t.Logf("invalid %s %s: %s", l, c, why)
		}
		rows.Close()
	}
	// Areas: the cleaned total stays close to the published one (overlaps counted once).
	var pub, clean float64
	if err := pool.QueryRow(ctx, `SELECT sum(ST_Area(geom::geography)) / 1e6, sum(area_km2) FROM region`).Scan(&pub, &clean); err != nil {
		t.Fatal(err)
	}
	t.Logf("area published %.0f km², clean %.0f km²", pub, clean)
	if clean > pub || clean < pub-2*rep.Before.OverlapKm2 {
		t.Errorf("clean area %.0f km² against published %.0f km² with %.0f km² of overlaps", clean, pub, rep.Before.OverlapKm2)
	}

	nb := covNeighbours(t, pool)
	for _, want := range []string{"32.73 32.04 border", "32.04 32.73 border", "32.71 32.01 border", "32.01 32.71 border"} {
		if !nb[want] {
			t.Errorf("missing neighbour %q", want)
		}
	}
	var bogor []string
	rows, err := pool.Query(ctx, `SELECT neighbour_code FROM region_neighbour WHERE region_code = '32.71' AND relation = 'border'`)
	if err == nil {
		bogor, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(bogor) != 1 || bogor[0] != "32.01" {
		t.Errorf("Kota Bogor borders %v, want only 32.01", bogor)
	}
	var seribu int
	var km float64
	if err := pool.QueryRow(ctx, `SELECT count(*), min(distance_km) FROM region_neighbour WHERE region_code = '31.01' AND relation = 'nearest'`).Scan(&seribu, &km); err != nil {
		t.Fatal(err)
	}
	if seribu != 3 || km <= 0 || km > 100 {
		t.Errorf("Kepulauan Seribu: %d nearest covNeighbours, nearest %.1f km; want 3 within 100 km", seribu, km)
	}
	var borderKm float64
	if err := pool.QueryRow(ctx, `SELECT border_km FROM region_neighbour WHERE region_code = '32.73' AND neighbour_code = '32.04'`).Scan(&borderKm); err != nil {
		t.Fatal(err)
	}
	if borderKm < 10 || borderKm > 80 {
		t.Errorf("Kota Bandung – Kabupaten Bandung border %.1f km", borderKm)
	}

	// The read model carries every level's geometry for every region; the served layer's byte
	// budget is the API's to keep (api.TestRealData).
	snap, err := data.LoadSnapshot(ctx, pool)
	if err != nil {
		t.Fatalf("LoadSnapshot: %v", err)
	}
	for _, d := range geo.Details {
		if n := len(snap.Geometry[d]); n != 514 {
			t.Errorf("%s geometry in the read model: %d regions, want 514", d, n)
		}
	}
	t.Logf("national level: %d vertices, %d polygons", rep.Levels[0].Simplify.Vertices, rep.Levels[0].Simplify.Polygons)
	// Every region keeps its largest polygon: its national geometry overlaps the largest
	// polygon of its clean geometry (islands may go, the main body may not). It need not stay
	// the largest: a long thin island shrinks more (81.02's Kei Besar ends up smaller than Kei
	// Kecil), and small kota become triangles of a third of their area or less.
	var crumbs int
	if err := pool.QueryRow(ctx, `
		WITH clean AS (SELECT DISTINCT ON (r.code) r.code, (d).geom
		               FROM region r, ST_Dump(r.geom_clean) d ORDER BY r.code, ST_Area((d).geom) DESC)
		SELECT count(*) FROM clean
		LEFT JOIN region_geom_level g ON g.region_code = clean.code AND g.level = 'national'
		WHERE g.geom IS NULL OR NOT ST_Intersects(g.geom, clean.geom)`).Scan(&crumbs); err != nil {
		t.Fatal(err)
	}
	if crumbs != 0 {
		t.Errorf("%d regions lost their largest polygon at the national level", crumbs)
	}
}
