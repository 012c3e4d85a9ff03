#!/usr/bin/env bash
# Load test on loopback: the real binary on a throwaway PostGIS with the reference data, wrk with
# 2 threads and 32 connections for 15 s per endpoint; then the clients disconnect and /readyz
# must still answer (a generic feature server measured here deadlocked exactly there).
# Prints req/s, latency percentiles and the server's peak RSS per endpoint. Then a mixed load
# (scripts/wrk-mixed.lua: pages, layers, profiles, exports, unknown query parameters,
# conditional requests) on 64 connections while other clients drop large responses half-read,
# a health check, and the server's VmHWM (peak RSS since it started, the read model's build
# included). BENCH_MIXED_ONLY=1 runs only that. Nothing is asserted about speed: the numbers
# are reported.
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
# Trusting 127.0.0.1 as a proxy lets the mixed load's exports name many clients (see wrk-mixed.lua).
DATABASE_URL=$dburl MPPMAP_DATA=$DATA "$work/mppmap" serve -addr 127.0.0.1:$port -log-level warn -trusted-proxies 127.0.0.1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; scripts/testdb.sh stop "$work/db"; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null
hwm() { awk '/^VmHWM/ {printf "%d MB", $2/1024}' "/proc/$pid/status"; }
echo "server RSS when ready: $(( $(ps -o rss= -p "$pid") / 1024 )) MB (VmHWM $(hwm))"
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
if [ -z "${BENCH_MIXED_ONLY:-}" ]; then
run "national layer, gzip" "/api/v1/regions.geojson?detail=national" "Accept-Encoding: gzip"
run "national layer, identity" "/api/v1/regions.geojson?detail=national"
for extra in ${BENCH_PATHS:-"/api/v1/regions/32.73" "/api/v1/progress" "/"}; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base$extra")
  if [ "$code" = 200 ]; then run "$extra" "$extra" "Accept-Encoding: gzip"; else echo "| $extra | skipped: HTTP $code | | | |"; fi
done
# The same page with a new tracking parameter on every request: within 2x of "/" is the goal.
run "/?utm_source=<new each request>" "/" "Accept-Encoding: gzip" scripts/wrk-cachebust.lua
fi

# The mixed load: 64 connections over 60 kab/kota, their provinces, and ETags for revalidation.
codes=$(awk -F, 'NR > 1 && NR % 9 == 2 {print $1}' "$DATA/codes/kabkota.csv" | head -60)
etags=()
for p in / /en /progres /embed/peta /api/v1/progress "/api/v1/regions.geojson?detail=national" \
    $(for c in $(head -12 <<<"$codes"); do echo "/wilayah/$c /api/v1/regions/$c"; done); do
  e=$(curl -fsS -o /dev/null -D - "$base$p" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
  [ -n "$e" ] && etags+=("$p|$e")
done
# Clients that go away mid-response: read 64 KB of the full layer or the GeoJSON export
# (identity: megabytes) and close; and slow readers cut off after a second.
secs=${BENCH_MIXED_SECONDS:-30}
dropper() { # id drops-file
  local i=0 deadline=$(( SECONDS + secs ))
  while [ $SECONDS -lt $deadline ]; do
    i=$(( i + 1 ))
    # curl fails (write error, time-out) by design here.
    { curl -sN "$base/api/v1/regions.geojson?detail=full" | head -c 65536 >/dev/null; } 2>/dev/null || true
    { curl -sN -H "X-Forwarded-For: 2001:db8:ffff::$1:$i" "$base/api/v1/export/regions.geojson" | head -c 65536 >/dev/null; } 2>/dev/null || true
    curl -s -o /dev/null --limit-rate 64k -m 1 "$base/api/v1/regions.geojson?detail=province" 2>/dev/null || true
    echo 3 >> "$2"
  done
}
# Twice: first on the read model as loaded (every page and body encoded on its first request,
# as after every import), then on the same, warm, read model.
mixed() { # label
  echo
  echo "mixed load, $1: 64 connections, ${secs}s; meanwhile 4 clients that read part of a large response and hang up"
  local drops; drops=$(mktemp "$work/drops.XXXXXX")
  local dpids=() d
  for d in 1 2 3 4; do dropper "$d" "$drops" & dpids+=($!); done
  local rssf; rssf=$(mktemp "$work/rss.XXXXXX")
  ( while kill -0 "$pid" 2>/dev/null; do ps -o rss= -p "$pid"; sleep 0.5; done ) > "$rssf" &
  local sampler=$!
  local out; out=$(wrk -t2 -c64 -d"${secs}s" --latency -s scripts/wrk-mixed.lua "$base" -- $codes "${etags[@]}")
  wait "${dpids[@]}" || true
  kill "$sampler" 2>/dev/null || true
  awk -v l="$1" '/Requests\/sec/ {r=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} /Socket errors/ {sub(/^ +/, ""); se=$0} /Non-2xx/ {nx=$NF}
       END {printf "| mixed, %s | %s req/s | p50 %s | p99 %s | non-2xx/3xx: %s | %s |\n", l, r, p50, p99, nx ? nx : 0, se ? se : "no socket errors"}' <<<"$out"
  grep -E '^(status codes|requests sent by kind):' <<<"$out"
  echo "clients that hung up mid-response: $(awk '{s+=$1} END {print s+0}' "$drops")"
  echo "peak RSS sampled: $(( $(sort -n "$rssf" | tail -1) / 1024 )) MB; VmHWM since the server started: $(hwm)"
}
mixed "read model as loaded"
mixed "warm"
sleep 1
if curl -fsS -m 5 "$base/readyz" >/dev/null; then echo; echo "after the clients disconnected: /readyz OK; VmHWM $(hwm), RSS now $(( $(ps -o rss= -p "$pid") / 1024 )) MB"; else echo "after the clients disconnected: /readyz FAILED" >&2; exit 1; fi
