#!/usr/bin/env bash
# Benchmark `siteplan audit` against the reference (audit_shapely.py --threads 2), side by side
# on the same machine in one run.
#
#   tools/bench_audit.sh [N] [RUNS] [SEED]        defaults: N=1000000 RUNS=3 SEED=1
#
# Environment: VENV (default: <repo>/.venv), DATA (default: /tmp/benchdata), OUT (default:
# /tmp/bench_audit_out), SHARED (default: <repo>/../shared/bench).
#
# Creates the venv from ../shared/bench/requirements.txt (if the full set cannot be installed,
# only the core packages the reference needs: numpy shapely pyproj orjson), generates the
# dataset, builds siteplan in release, runs the reference and siteplan alternately under
# /usr/bin/time -v, compares the outputs with compare_reports.py and prints the medians and
# the ratios (siteplan / reference) of wall time and peak memory.
set -euo pipefail

N=${1:-1000000}
RUNS=${2:-3}
SEED=${3:-1}
REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$REPO/../shared/bench}
VENV=${VENV:-$REPO/.venv}
DATA=${DATA:-/tmp/benchdata}/s$SEED-n$N
OUT=${OUT:-/tmp/bench_audit_out}
PY=$VENV/bin/python

if ! "$PY" -c "import numpy, shapely, pyproj, orjson" 2>/dev/null; then
    echo "== creating the venv in $VENV" >&2
    python3 -m venv "$VENV"
    if ! "$VENV/bin/pip" install -q -r "$SHARED/requirements.txt"; then
        echo "== the full requirements failed; installing the core packages only" >&2
        "$VENV/bin/pip" install -q $(grep -E '^(numpy|shapely|pyproj|orjson)==' "$SHARED/requirements.txt")
    fi
fi

if [ ! -s "$DATA/network.geojson" ]; then
    echo "== generating N=$N seed=$SEED in $DATA" >&2
    "$PY" "$SHARED/gen_dataset.py" --buildings "$N" --seed "$SEED" --out "$DATA" >&2
fi

echo "== building siteplan (release)" >&2
(cd "$REPO" && swift build -c release >&2)
SITEPLAN=$REPO/.build/release/siteplan

# Warm the page cache, so both read from memory.
cat "$DATA"/*.geojson > /dev/null

measure() {  # measure NAME LOG command...: appends "wall rss_kib" to $OUT/NAME.times
    local name=$1 log=$2; shift 2
    /usr/bin/time -v "$@" 2> "$log" >/dev/null || { cat "$log" >&2; echo "$name failed" >&2; exit 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
    echo "$wall $rss" >> "$OUT/$name.times"
    printf '   %-9s wall %7.2f s   max RSS %7.0f MiB   %s\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)" \
        "$(grep -E '^(siteplan audit: threads|parse=)' "$log" | tail -1)" >&2
}

rm -rf "$OUT"; mkdir -p "$OUT"
for run in $(seq 1 "$RUNS"); do
    echo "== run $run of $RUNS (N=$N)" >&2
    measure reference "$OUT/reference.log" "$PY" "$SHARED/audit_shapely.py" "$DATA" "$OUT/reference" --threads 2
    measure siteplan "$OUT/siteplan.log" "$SITEPLAN" audit --parcels "$DATA/parcels.geojson" \
        --buildings "$DATA/buildings.geojson" --network "$DATA/network.geojson" --out "$OUT/siteplan" --quiet --verbose
done

echo "== compare_reports.py reference siteplan" >&2
"$PY" "$SHARED/compare_reports.py" "$OUT/reference" "$OUT/siteplan" | tail -1

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rw=$(cut -d' ' -f1 "$OUT/reference.times" | median); rm_=$(cut -d' ' -f2 "$OUT/reference.times" | median)
sw=$(cut -d' ' -f1 "$OUT/siteplan.times" | median); sm=$(cut -d' ' -f2 "$OUT/siteplan.times" | median)
echo
echo "N=$N seed=$SEED runs=$RUNS ($(nproc) cores, $(uname -m))"
printf '%-34s %10s %14s\n' "" "wall (s)" "max RSS (MiB)"
printf '%-34s %10.2f %14.0f\n' "audit_shapely.py --threads 2" "$rw" "$(echo "$rm_ / 1024" | bc -l)"
printf '%-34s %10.2f %14.0f\n' "siteplan audit (release)" "$sw" "$(echo "$sm / 1024" | bc -l)"
printf '%-34s %10.3f %14.3f\n' "ratio siteplan / reference" "$(echo "$sw / $rw" | bc -l)" "$(echo "$sm / $rm_" | bc -l)"
