#!/usr/bin/env bash
# Installs what mppmap needs and is missing, saying what it does:
#   scripts/deps.sh run    PostgreSQL + PostGIS (Debian packages), the npm packages, the ECharts bundle
#   scripts/deps.sh test   the same plus Debian's chromium, nginx and prometheus (promtool) for the e2e tests
# Debian packages are installed only when run as root (apt-get); otherwise it tells you the command.
set -euo pipefail
mode=${1:-run}
cd "$(dirname "$0")/.."

need_pkgs=()
have_postgis() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && [ -f "$("$bin/pg_config" --sharedir)/extension/postgis.control" ]
}
have_postgis || need_pkgs+=(postgresql-15 postgresql-15-postgis-3)
command -v npm >/dev/null || need_pkgs+=(nodejs npm)
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
  # e2e/nginx_test.go runs deploy/nginx/mppmap.conf; e2e/faults_test.go lints /metrics with promtool.
  [ -x /usr/sbin/nginx ] || need_pkgs+=(nginx)
  command -v promtool >/dev/null || need_pkgs+=(prometheus)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: installing Debian packages: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "deps: missing Debian packages: ${need_pkgs[*]}" >&2
    echo "deps: install them with: sudo apt-get install ${need_pkgs[*]}" >&2
    exit 1
  fi
fi

# The ECharts bundle: npm packages pinned by web/package-lock.json, bundled by esbuild into
# dashboard/static/dist (embedded into the binary at build time). Rebuilt when inputs change.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "deps: npm ci (web/)"
  npm ci --prefix web --no-audit --no-fund --loglevel=error
fi
stamp=dashboard/static/dist/.built
if [ ! -f "$stamp" ] || [ -n "$(find web/src web/package-lock.json web/build.mjs -newer "$stamp" 2>/dev/null | head -1)" ]; then
  echo "deps: bundling ECharts with esbuild → dashboard/static/dist/"
  rm -rf dashboard/static/dist
  npm run --prefix web --silent build
  touch "$stamp"
fi
