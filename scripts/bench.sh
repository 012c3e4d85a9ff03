#!/usr/bin/env bash
# Load test on loopback: the real binary on a throwaway PostGIS with the reference data, wrk with
# 2 threads and 32 connections for 15 s per endpoint; then the clients disconnect and /readyz
# must still answer (a generic feature server measured here deadlocked exactly there).
# Prints req/s, latency percentiles and the server's peak RSS per endpoint. Nothing is asserted
# about speed: the numbers are reported.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${MPPMAP_DATA:-../shared/data}
DUR=${BENCH_DURATION:-15s}
work=$(mktemp -d /tmp/mppmap-bench.XXXXXX)
chmod 755 "$work" # the cluster inside runs as the postgres OS user when we are root
command -v wrk >/dev/null || { echo "bench: wrk missing (apt-get install wrk)" >&2; exit 1; }
url=$(scripts/testdb.sh start "$work/db")
psql "$url" -qc "CREATE DATABASE bench" >/dev/null
dburl=${url/\/postgres\?/\/bench?}
go build -o "$work/mppmap" ./cmd/mppmap
# Import in its own process first, as a deployment does (`mppmap import`), so the server's RSS is
# what serving costs, not what parsing the reference folder once cost.
DATABASE_URL=$dburl "$work/mppmap" import -data "$DATA" -log-level warn >/dev/null
port=$(( 20000 + RANDOM % 20000 ))
DATABASE_URL=$dburl MPPMAP_DATA=$DATA "$work/mppmap" serve -addr 127.0.0.1:$port -log-level warn &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; scripts/testdb.sh stop "$work/db"; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null
echo "server RSS when ready: $(( $(ps -o rss= -p "$pid") / 1024 )) MB"
echo
base="http://127.0.0.1:$port"
printf '| endpoint | req/s | p50 | p99 | peak RSS |\n|---|---|---|---|---|\n'
peak=0
run() { # name path [header] [lua script]
  local name=$1 path=$2 hdr=${3:-} script=${4:-}
  local args=(-t2 -c32 -d"$DUR" --latency)
  [ -n "$hdr" ] && args+=(-H "$hdr")
  [ -n "$script" ] && args+=(-s "$script")
  local rssf; rssf=$(mktemp "$work/rss.XXXXXX")
  ( while kill -0 "$pid" 2>/dev/null; do ps -o rss= -p "$pid"; sleep 0.5; done ) > "$rssf" &
  local sampler=$!
  local out; out=$(wrk "${args[@]}" "$base$path")
  kill "$sampler" 2>/dev/null || true
  local rps p50 p99 rss
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  rss=$(sort -n "$rssf" | tail -1)
  printf '| %s | %s | %s | %s | %d MB |\n' "$name" "$rps" "$p50" "$p99" $(( ${rss:-0} / 1024 ))
}
run "national layer, gzip" "/api/v1/regions.geojson?detail=national" "Accept-Encoding: gzip"
run "national layer, identity" "/api/v1/regions.geojson?detail=national"
for extra in ${BENCH_PATHS:-"/api/v1/regions/32.73" "/api/v1/progress" "/"}; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base$extra")
  if [ "$code" = 200 ]; then run "$extra" "$extra" "Accept-Encoding: gzip"; else echo "| $extra | skipped: HTTP $code | | | |"; fi
done
# The same page with a new tracking parameter on every request: within 2x of "/" is the goal.
run "/?utm_source=<new each request>" "/" "Accept-Encoding: gzip" scripts/wrk-cachebust.lua
sleep 1
if curl -fsS -m 5 "$base/readyz" >/dev/null; then echo; echo "after the clients disconnected: /readyz OK"; else echo "after the clients disconnected: /readyz FAILED" >&2; exit 1; fi
