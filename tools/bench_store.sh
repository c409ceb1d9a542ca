#!/usr/bin/env bash
# Plan-of-record benchmark, release build, end to end (process start included), on a GeoPackage
# store and on PostGIS on loopback (a throwaway cluster from tools/pg_test_cluster.sh, unless
# SITEPLAN_TEST_POSTGIS_URL is set):
#   adopt of Khojaly (first revision, then a seed-7 re-plan around what is built),
#   diff between the two revisions,
#   import of 10,000 works events (one CSV, one transaction), then progress.
# The reference, measured in the same run: `siteplan progress` without a store (status.csv).
# Usage: tools/bench_store.sh [RUNS]   (default 5; each figure is the median)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
swift build -c release --product siteplan >/dev/null
bin=$(swift build -c release --show-bin-path)/siteplan
work=$(mktemp -d)
export SITEPLAN_SCENARIO="$PWD/geodata/khojaly" SITEPLAN_AUTHOR=bench
if [ -z "${SITEPLAN_TEST_POSTGIS_URL:-}" ] && ! SITEPLAN_TEST_POSTGIS_URL="$(bash tools/pg_test_cluster.sh url 2>/dev/null)"; then
  # No cluster running: start one, and remove it at the end (a running one is left as it is).
  SITEPLAN_TEST_POSTGIS_URL="$(bash tools/pg_test_cluster.sh start)"
  trap 'rm -rf "$work"; bash tools/pg_test_cluster.sh stop >/dev/null' EXIT
else
  trap 'rm -rf "$work"' EXIT
fi
base=${SITEPLAN_TEST_POSTGIS_URL%/*}

# 10,000 events on the segments of a store's latest revision: every segment in turn, a day
# apart per round from 2023-01-01, statuses rising under_construction → laid.
events() { # store, file
  "$bin" network --segments --format csv --store "$1" | python3 -c '
import csv, sys, datetime
ids = [r["segment_id"] for r in csv.DictReader(sys.stdin)]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["asset_id", "status", "date", "note"])
start = datetime.date(2023, 1, 1)
for k in range(10000):
    round_ = k // len(ids)
    w.writerow([ids[k % len(ids)], "under_construction" if round_ == 0 else "laid", (start + datetime.timedelta(days=round_)).isoformat(), "bench"])
' > "$2"
}

median() { sort -g | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }'; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null || { echo "bench_store: failed: $*" >&2; exit 1; }; t1=$(date +%s.%N); python3 -c "print($t1 - $t0)"; }

# One complete round on a store; prints "adopt1 adopt7 diff import progress" seconds.
round() { # store
  local s=$1 a1 a7 d i p
  a1=$(seconds "$bin" adopt --store "$s" --message one)
  a7=$(seconds "$bin" adopt --store "$s" --seed 7 --message two)
  d=$(seconds "$bin" diff --store "$s")
  events "$s" "$work/events.csv"
  i=$(seconds "$bin" works import "$work/events.csv" --store "$s")
  p=$(seconds "$bin" progress --store "$s")
  echo "$a1 $a7 $d $i $p"
}

echo "siteplan plan-of-record benchmark, release build, $(nproc) cores, $(date -u +%Y-%m-%d), median of $runs runs"
ref=$(for _ in $(seq "$runs"); do seconds "$bin" progress; done | median)
echo "reference: progress without a store (status.csv)  $ref s"
for kind in gpkg postgis; do
  : > "$work/$kind.txt"
  for r in $(seq "$runs"); do
    if [ $kind = gpkg ]; then store="$work/r$r.gpkg"; else
      db="bench_$$_$r"; psql "$SITEPLAN_TEST_POSTGIS_URL" -q -c "CREATE DATABASE $db"; store="$base/$db"; fi
    round "$store" >> "$work/$kind.txt"
    [ $kind = postgis ] && psql "$SITEPLAN_TEST_POSTGIS_URL" -q -c "DROP DATABASE $db"
  done
  for col in 1 2 3 4 5; do
    name=$(echo "adopt_first adopt_seed7 diff import_10000 progress_after" | cut -d' ' -f$col)
    value=$(awk -v c=$col '{ print $c }' "$work/$kind.txt" | median)
    printf '%-8s %-16s %6s s   %5.2f × reference\n' "$kind" "$name" "$value" "$(python3 -c "print($value / $ref)")"
  done
done
/usr/bin/time -f "peak RSS of adopt --seed 7 on a GeoPackage: %M KiB" "$bin" adopt --store "$work/r1.gpkg" --seed 7 --message rss >/dev/null
