#!/usr/bin/env bash
# Runs every native Go fuzz target for a bounded time (FUZZTIME, default 15s), one after the
# other. A crasher fails the run and is written to the package's testdata/fuzz/<Target>/: fix
# the bug and keep the file as a regression case (plain `go test` replays it).
# -fuzzminimizetime bounds minimisation, which otherwise holds the CSV targets on one input.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-15s}
while read -r pkg target; do
  echo "fuzz: $pkg $target ($t)"
  go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$t" -fuzzminimizetime 100x -parallel 1
done <<'TARGETS'
./data/pdate FuzzParse
./data/refdata FuzzStatusCSV
./data/refdata FuzzRegionFiscalCSV
./data/refdata FuzzGeoJSON
./api FuzzQuery
./progress FuzzStatusAt
TARGETS
