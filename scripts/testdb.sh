#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS cluster for the tests.
#   scripts/testdb.sh start DIR   → initdb + start in DIR, print the DATABASE_URL on stdout
#   scripts/testdb.sh stop DIR    → stop it and delete DIR
#   scripts/testdb.sh pause DIR   → stop the server, keep DIR (fault tests: the database goes away)
#   scripts/testdb.sh resume DIR  → start the paused server again, same socket and data
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` OS user.
# It listens only on a unix socket inside DIR (no TCP port to collide with), trust auth.
set -euo pipefail
cmd=${1:?start|stop|pause|resume}; dir=${2:?data dir}
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bindir/initdb" ] || { echo "testdb: PostgreSQL server binaries not found (apt-get install postgresql-15-postgis-3)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_start() {
  as_pg "$bindir/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || { cat "$dir/pg.log" >&2; exit 1; }
}
case "$cmd" in
start)
  mkdir -p "$dir"; chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_pg "$bindir/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  pg_start
  echo "postgres://postgres@/postgres?host=$dir&port=5432&sslmode=disable"
  ;;
stop)
  [ -d "$dir/pg" ] && as_pg "$bindir/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
pause) as_pg "$bindir/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null ;;
resume) pg_start ;;
*) echo "usage: $0 start|stop|pause|resume DIR" >&2; exit 2;;
esac
