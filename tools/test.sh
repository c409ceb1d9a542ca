#!/usr/bin/env bash
# The test command: `swift test` with a real PostgreSQL 15 + PostGIS for the PostGIS store's
# tests. Uses $SITEPLAN_TEST_POSTGIS_URL when it is set; otherwise starts a throwaway cluster on
# loopback (tools/pg_test_cluster.sh, about 2 s) and removes it when the tests end. Arguments
# go to `swift test` (e.g. tools/test.sh --filter StoreGeoPackageTests); without arguments it then runs
# tools/test_distributed.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SITEPLAN_TEST_POSTGIS_URL:-}" ] && SITEPLAN_TEST_POSTGIS_URL="$(bash tools/pg_test_cluster.sh url 2>/dev/null)"; then
    export SITEPLAN_TEST_POSTGIS_URL   # a cluster already running: used, and left running
elif [ -z "${SITEPLAN_TEST_POSTGIS_URL:-}" ]; then
    SITEPLAN_TEST_POSTGIS_URL="$(bash tools/pg_test_cluster.sh start)"
    export SITEPLAN_TEST_POSTGIS_URL
    trap 'bash tools/pg_test_cluster.sh stop >/dev/null' EXIT
fi
echo "tests use PostGIS at $SITEPLAN_TEST_POSTGIS_URL" >&2
swift test "$@"
# The distributed audit on real dask clusters (issue 14), with the binary swift test built; only
# in a full run (no arguments), as CI runs it. About 70 s, plus the venv's install the first time.
if [ $# -eq 0 ]; then bash tools/test_distributed.sh; fi
