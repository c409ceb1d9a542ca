#!/usr/bin/env bash
# Measures the PostGIS store against a throwaway cluster on loopback (tools/pg_test_cluster.sh):
# recording 10,000 works events in one `record` call (binary COPY, then works_periods rebuilt)
# and reading them back with `events(assetID: nil)`. Prints the seconds of each.
# Usage: tools/bench_store_pg.sh [swift test options, e.g. --scratch-path .build-h3]
# Uses SITEPLAN_TEST_POSTGIS_URL when set; otherwise starts the cluster (and stops it after).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SITEPLAN_TEST_POSTGIS_URL:-}" ]; then
  started=$(($(date +%s%N) / 1000000))
  SITEPLAN_TEST_POSTGIS_URL="$(bash tools/pg_test_cluster.sh start)"
  echo "bench_store_pg: cluster started in $(($(date +%s%N) / 1000000 - started)) ms: $SITEPLAN_TEST_POSTGIS_URL" >&2
  trap 'bash tools/pg_test_cluster.sh stop' EXIT
fi
export SITEPLAN_TEST_POSTGIS_URL

# The measurement is the test that records 10,000 events in one call; it prints its timings.
swift test "$@" --filter 'StorePostGISTests.PostGISPlanStoreTests/testRecordTenThousandEventsInOneCall' >/tmp/bench_store_pg.log 2>&1 \
  || { tail -n 30 /tmp/bench_store_pg.log >&2; echo "bench_store_pg: the test failed (log: /tmp/bench_store_pg.log)" >&2; exit 1; }
grep '^StorePostGIS bench:' /tmp/bench_store_pg.log
