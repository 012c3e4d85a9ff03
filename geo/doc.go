// Package geo owns mppmap's pure geometry on orb types: topology-preserving simplification of
// the kabupaten/kota coverage at several detail levels, a compact GeoJSON geometry writer, and
// the bookkeeping on polygons that share their edges exactly (Dissolve, UnionHoles,
// SharedBorders) that lets the importer skip PostGIS overlays whose answer the noding already
// fixed. It does no I/O.
//
// # Why a topology, and why our own
//
// The published boundaries were simplified one unit at a time, so per-feature simplification
// (ST_SimplifyPreserveTopology, orb's simplify) treats each side of a border on its own: the two
// copies of a border move differently, opening gaps and overlaps, and PostGIS 3.3 made up to 161
// of 514 features invalid that way. PostGIS 3.3 / GEOS 3.11 has no ST_CoverageSimplify.
// postgis_topology could hold the coverage as edges and faces, but building it from ~19,000
// polygons is slow (minutes, against a tight import budget), it is stateful (a schema per
// topology), and it still leaves simplification and repair to us. So the database does what it
// is good at — robust fixed-precision noding that turns the overlapping, gappy source into an
// edge-matched coverage in which neighbours share exactly the same vertices (see
// data.RebuildCoverage) — and this package does the rest in memory, in well under a second:
//
//  1. Node: a vertex lying on another ring's segment (a T-junction) is inserted into that
//     segment, so both sides of every border carry the same vertices.
//  2. Junctions: a vertex is a junction where its neighbours differ between the rings that use
//     it (where three regions meet, or a border meets the coast), as in TopoJSON.
//  3. Arcs: rings are cut at junctions; an arc used by two rings (forwards by one, backwards by
//     the other) is stored once. A ring without junctions is one closed arc, started at its
//     smallest vertex so that an enclave and the hole it fills dedupe too.
//  4. Per level: each arc is snapped to the level's grid and simplified once (Douglas–Peucker,
//     endpoints kept), so a border stays shared by construction and no gap or overlap can open
//     between neighbours.
//  5. Repair: simplified arcs are checked for crossings, touches and folds against every other
//     arc and themselves; offending arcs get a smaller tolerance and the check runs again until
//     nothing crosses. Rings that collapse are dropped, except that each region always keeps
//     its largest polygon (its arcs are restored instead).
//  6. Rebuild polygons with RFC 7946 orientation (exterior counter-clockwise, holes clockwise);
//     at the national level small islands are dropped.
package geo
