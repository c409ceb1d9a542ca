#!/usr/bin/env bash
# Benchmark the distributed audit (tools/audit_distributed.sh: dask.distributed, K local worker
# processes) against `siteplan audit` in one process, side by side in one run, on the same data.
#
#   tools/bench_audit_distributed.sh [N] [RUNS] [SEED] [WORKERS] [TILES]
#                                    defaults: N=1000000 RUNS=3 SEED=1 WORKERS=2 TILES=WORKERS
#
# Every siteplan process runs under /usr/bin/time (wall, peak RSS, CPU): the single run, the cut
# (audit tile), each task (audit run-tile) and the merge. Prints the medians, the ratio
# distributed / single, the engine's overhead (the tasks step's wall time minus the tasks'
# own time shared over the workers), peak memory per task, the size of the tiles and parts, and
# checks that both outputs are byte-identical; with a reference output in
# $REFERENCE (default /tmp/h14ref/nN; audit_shapely.py), also compare_reports.py against it.
# Environment: DATA (default /tmp/benchdata), OUT (default /tmp/bench_audit_distributed),
# TASK_THREADS (siteplan threads per task; default: audit_distributed.sh's, cores / workers),
# VENV (the bench venv, as tools/bench_audit.sh), SHARED (default <repo>/../shared/bench).
set -euo pipefail
N=${1:-1000000}; RUNS=${2:-3}; SEED=${3:-1}; K=${4:-2}; TILES=${5:-$K}
REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$REPO/../shared/bench}
VENV=${VENV:-$REPO/.venv}
DATA=${DATA:-/tmp/benchdata}/s$SEED-n$N
OUT=${OUT:-/tmp/bench_audit_distributed}
REFERENCE=${REFERENCE:-/tmp/h14ref/n$N}

if [ ! -s "$DATA/network.geojson" ]; then
    if ! "$VENV/bin/python" -c "import numpy, shapely, pyproj, orjson" 2>/dev/null; then
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q $(grep -E '^(numpy|shapely|pyproj|orjson)==' "$SHARED/requirements.txt")
    fi
    echo "== generating N=$N seed=$SEED in $DATA" >&2
    "$VENV/bin/python" "$SHARED/gen_dataset.py" --buildings "$N" --seed "$SEED" --out "$DATA" >&2
fi
if [ -z "${SITEPLAN:-}" ]; then
    (cd "$REPO" && swift build -c release --product siteplan >&2)
    SITEPLAN="$(cd "$REPO" && swift build -c release --show-bin-path)/siteplan"
fi
bash "$REPO/tools/setup_distributed.sh" >/dev/null
cat "$DATA"/*.geojson > /dev/null   # warm the page cache

rm -rf "$OUT"; mkdir -p "$OUT"
TIMED=$OUT/timed-siteplan.sh
printf '#!/bin/sh\nexec /usr/bin/time -a -o %q -f "%%e %%M $2 %%U %%S" %q "$@"\n' "$OUT/processes.log" "$SITEPLAN" > "$TIMED"
# (its $2 is the subcommand: tile, run-tile, merge, or --parcels for the single run)
chmod +x "$TIMED"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
for run in $(seq 1 "$RUNS"); do
    echo "== run $run of $RUNS (N=$N, $K workers, $TILES tiles)" >&2
    : > "$OUT/processes.log"
    t0=$(now)
    "$TIMED" audit --parcels "$DATA/parcels.geojson" --buildings "$DATA/buildings.geojson" --network "$DATA/network.geojson" \
        --out "$OUT/single" --quiet
    t1=$(now)
    SITEPLAN=$TIMED bash "$REPO/tools/audit_distributed.sh" "$DATA" "$OUT/distributed" --workers "$K" \
        --tile-buildings $(( (N + TILES - 1) / TILES )) ${TASK_THREADS:+--task-threads "$TASK_THREADS"} --work "$OUT/work" 2> "$OUT/distributed.log"
    t2=$(now)
    echo "$(echo "$t1 - $t0" | bc)" >> "$OUT/single.times"
    echo "$(echo "$t2 - $t1" | bc)" >> "$OUT/distributed.times"
    sed -n 's/^audit_distributed: .*cut \([0-9.]*\) s.*tasks \([0-9.]*\) s, merge \([0-9.]*\) s.*/\1 \2 \3/p' "$OUT/distributed.log" >> "$OUT/steps.times"
    # task time shared over the workers
    awk '$3 == "run-tile" { s += $1 } END { print s }' "$OUT/processes.log" >> "$OUT/tasks_busy.times"
    awk '$3 == "run-tile" { if ($2 > m) m = $2 } END { print m }' "$OUT/processes.log" >> "$OUT/task_rss.times"
    awk '$3 == "tile" { print $2 }' "$OUT/processes.log" >> "$OUT/cut_rss.times"
    awk '$3 == "merge" { print $2 }' "$OUT/processes.log" >> "$OUT/merge_rss.times"
    awk '$3 == "--parcels" { print $2 }' "$OUT/processes.log" >> "$OUT/single_rss.times"
    # CPU seconds (user + system) of the siteplan processes: the single run, and the cut, tasks and merge
    awk '$3 == "--parcels" { print $4 + $5 }' "$OUT/processes.log" >> "$OUT/single_cpu.times"
    awk '$3 != "--parcels" { s += $4 + $5 } END { print s }' "$OUT/processes.log" >> "$OUT/distributed_cpu.times"
    grep -E "^audit_dask|second pass" "$OUT/distributed.log" | sed 's/^/   /' >&2
    cmp "$OUT/single/buildings.csv" "$OUT/distributed/buildings.csv" && cmp "$OUT/single/parcels.csv" "$OUT/distributed/parcels.csv" \
        && echo "   byte-identical: buildings.csv, parcels.csv" >&2
done

sw=$(median < "$OUT/single.times"); dw=$(median < "$OUT/distributed.times")
cut=$(cut -d' ' -f1 "$OUT/steps.times" | median); tasks=$(cut -d' ' -f2 "$OUT/steps.times" | median); merge=$(cut -d' ' -f3 "$OUT/steps.times" | median)
busy=$(median < "$OUT/tasks_busy.times")
echo
echo "N=$N seed=$SEED runs=$RUNS workers=$K tiles=$TILES ($(nproc) cores, $(uname -m)); medians"
printf '%-46s %9.2f s   peak RSS %5.0f MiB\n' "siteplan audit (one process)" "$sw" "$(echo "$(median < "$OUT/single_rss.times") / 1024" | bc -l)"
printf '%-46s %9.2f s\n' "tools/audit_distributed.sh (whole run)" "$dw"
printf '%-46s %9.3f\n' "ratio distributed / single" "$(echo "$dw / $sw" | bc -l)"
sc=$(median < "$OUT/single_cpu.times"); dc=$(median < "$OUT/distributed_cpu.times")
printf '%-46s %9.2f s / %.2f s = %.3f\n' "siteplan CPU, distributed / single" "$dc" "$sc" "$(echo "$dc / $sc" | bc -l)"
printf '%-46s %9.2f s   peak RSS %5.0f MiB\n' "  cut (audit tile; cluster starts meanwhile)" "$cut" "$(echo "$(median < "$OUT/cut_rss.times") / 1024" | bc -l)"
printf '%-46s %9.2f s   peak RSS per task %5.0f MiB\n' "  tasks (audit run-tile on dask)" "$tasks" "$(echo "$(median < "$OUT/task_rss.times") / 1024" | bc -l)"
printf '%-46s %9.2f s\n' "    of which siteplan, summed over tasks" "$busy"
printf '%-46s %9.2f s\n' "    engine overhead (tasks - busy / workers)" "$(echo "$tasks - $busy / $K" | bc -l)"
printf '%-46s %9.2f s   peak RSS %5.0f MiB\n' "  merge (second pass, CSVs)" "$merge" "$(echo "$(median < "$OUT/merge_rss.times") / 1024" | bc -l)"
printf '%-46s %9s\n' "tiles folder / parts folder" "$(du -sh "$OUT/work/tiles" | cut -f1) / $(du -sh "$OUT/work/parts" | cut -f1)"
printf '%-46s %9s\n' "input GeoJSON" "$(du -shc "$DATA"/*.geojson | tail -1 | cut -f1)"
if [ -f "$REFERENCE/buildings.csv" ]; then
    echo "compare_reports.py reference distributed: $(python3 "$SHARED/compare_reports.py" "$REFERENCE" "$OUT/distributed" | tail -1)"
fi
