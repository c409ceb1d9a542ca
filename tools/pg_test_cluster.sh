#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for the PostGIS store's tests (StorePostGISTests)
# and tools/bench_store_pg.sh: initdb + pg_ctl, data under /tmp, listening on 127.0.0.1 only,
# trust authentication (loopback and the Unix socket in the data folder), a `siteplan` role
# with CREATEDB, a `siteplan` database, and postgis + btree_gist installed in template1 so every
# database the tests create has them (creating them needs a superuser; the store only runs
# CREATE EXTENSION IF NOT EXISTS).
#
# Usage: tools/pg_test_cluster.sh start|stop|url
#   start  creates and starts the cluster (or finds it running) and prints its URL
#   stop   stops it and removes its folder
#   url    prints the URL of the running cluster
#
#   SITEPLAN_PG_DIR   the cluster's folder (default /tmp/siteplan-pg-test)
#   SITEPLAN_PG_PORT  the first port tried (default 55432; the next free one up is taken)
#
#   export SITEPLAN_TEST_POSTGIS_URL="$(tools/pg_test_cluster.sh start)"
#   swift test --filter StorePostGISTests
#
# Needs postgresql-15 and postgresql-15-postgis-3 (tools/setup.sh installs them). As root (CI)
# the server runs as the `postgres` user, which PostgreSQL requires; otherwise as the caller.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
dir="${SITEPLAN_PG_DIR:-/tmp/siteplan-pg-test}"
first_port="${SITEPLAN_PG_PORT:-55432}"

die() { echo "pg_test_cluster: $*" >&2; exit 1; }

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgresql://siteplan@127.0.0.1:$(cat "$dir/port")/siteplan"; }

# Running means answering on its port: after a kill -9 (or a CI runner ending the session's
# processes) pg_ctl status may still see the server's pid, as a zombie.
running() { [ -f "$dir/port" ] && "$bin/pg_isready" -q -h 127.0.0.1 -p "$(cat "$dir/port")" -t 3; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  [ -x "$bin/initdb" ] || die "no PostgreSQL 15 in $bin (install postgresql-15 postgresql-15-postgis-3: bash tools/setup.sh)"
  [ -f /usr/share/postgresql/15/extension/postgis.control ] || die "PostGIS is not installed for PostgreSQL 15 (apt-get install postgresql-15-postgis-3)"
  if running; then url; return; fi
  if [ "$(id -u)" -eq 0 ]; then id postgres >/dev/null 2>&1 || die "there is no postgres user (it comes with postgresql-15)"; fi
  # A cluster left behind that does not answer: stopped if it can be, then made anew.
  if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  port="$first_port"
  while ! port_free "$port"; do
    port=$((port + 1))
    [ "$port" -lt $((first_port + 100)) ] || die "no free port in $first_port..$((first_port + 99)) on 127.0.0.1"
  done
  echo "$port" >"$dir/port"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || die "the server did not start: $(tail -n 5 "$dir/server.log")"
  psql() { as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$@"; }
  psql -d postgres -c "CREATE ROLE siteplan LOGIN CREATEDB" -c "CREATE DATABASE siteplan OWNER siteplan" >/dev/null
  psql -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis" -c "CREATE EXTENSION IF NOT EXISTS btree_gist" >/dev/null
  psql -d siteplan -c "CREATE EXTENSION IF NOT EXISTS postgis" -c "CREATE EXTENSION IF NOT EXISTS btree_gist" >/dev/null
  url
}

stop() {
  if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) running || die "no cluster is running in $dir (tools/pg_test_cluster.sh start)"; url ;;
  *) echo "usage: tools/pg_test_cluster.sh start|stop|url" >&2; exit 2 ;;
esac
