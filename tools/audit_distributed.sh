#!/usr/bin/env bash
# The national audit on a local dask.distributed cluster: a scheduler and K worker processes on
# loopback, the tiles of `siteplan audit tile` as its tasks, then `siteplan audit merge`. Writes
# OUT/buildings.csv and OUT/parcels.csv, byte-identical to `siteplan audit` on the same DATA.
#
#   tools/audit_distributed.sh DATA OUT [--workers K] [--tile-buildings N] [--halo-km H]
#                              [--work DIR] [--retries N] [--task-threads T]
#
# DATA holds parcels.geojson, buildings.geojson and network.geojson. Defaults: K=2 workers, one
# tile per worker (N = buildings / K, rounded up), H=5 km, T = cores / K threads per task; the tiles and parts go to a
# temporary folder (--work DIR keeps them). Environment: SITEPLAN (default: the release build,
# built if missing), DISTRIBUTED_VENV (see tools/setup_distributed.sh),
# SITEPLAN_TASK_WRAPPER (a program run as `WRAPPER SITEPLAN ARGS...` for each task; the tests
# use it to kill a task mid-run). Prints the time of each step on stderr. Exit 1 on bad input
# (siteplan's message names the file, feature and id).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
DATA=$1; OUT=$2; shift 2
K=2; N=""; HALO=5; WORK=""; RETRIES=3; TASK_THREADS=""
while [ $# -gt 0 ]; do
    case $1 in
        --workers) K=$2; shift 2 ;;
        --tile-buildings) N=$2; shift 2 ;;
        --halo-km) HALO=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --retries) RETRIES=$2; shift 2 ;;
        --task-threads) TASK_THREADS=$2; shift 2 ;;
        *) usage ;;
    esac
done
[ "$K" -ge 1 ] 2>/dev/null || { echo "audit_distributed: --workers must be at least 1" >&2; exit 2; }
for f in parcels buildings network; do
    [ -f "$DATA/$f.geojson" ] || { echo "audit_distributed: $DATA/$f.geojson: no such file" >&2; exit 1; }
done

if [ -z "${SITEPLAN:-}" ]; then
    (cd "$REPO" && swift build -c release --product siteplan >&2)
    SITEPLAN="$(cd "$REPO" && swift build -c release --show-bin-path)/siteplan"
fi
VENV=$(bash "$REPO/tools/setup_distributed.sh")
PY=$VENV/bin/python

now() { date +%s.%N; }
t0=$(now)
if [ -z "$WORK" ]; then WORK=$(mktemp -d "${TMPDIR:-/tmp}/audit-distributed.XXXXXX"); trap_rm=$WORK; else trap_rm=""; mkdir -p "$WORK"; fi
rm -rf "$WORK/tiles" "$WORK/parts"
LOG=$WORK/cluster.log
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pids=()
stop() {  # the driver shut the cluster down; this is for a run stopped before that
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    # A dask worker whose scheduler is gone may wait for it forever: TERM, 5 s, then KILL.
    for _ in $(seq 1 50); do
        alive=0
        for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
        [ "$alive" -eq 1 ] || break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    [ -z "$trap_rm" ] || rm -rf "$trap_rm"
}
trap stop EXIT

# The cluster starts while the tiles are cut: the driver, hosting dask's scheduler, and K
# single-threaded worker processes (no nanny: fewer Python processes on a small machine; the
# scheduler moves the task of a worker that dies to another). The driver waits for tiles.txt.
CORES=$(nproc)
[ -n "$TASK_THREADS" ] || TASK_THREADS=$(( CORES / K > 0 ? CORES / K : 1 ))
task=$SITEPLAN
if [ -n "${SITEPLAN_TASK_WRAPPER:-}" ]; then
    task=$WORK/task.sh
    printf '#!/bin/sh\nexec %q %q "$@"\n' "$SITEPLAN_TASK_WRAPPER" "$SITEPLAN" > "$task"
    chmod +x "$task"
fi
"$PY" "$REPO/distributed/audit_dask.py" --serve-scheduler "127.0.0.1:$PORT" --tiles "$WORK/tiles" --parts "$WORK/parts" \
    --siteplan "$task" --threads-per-task "$TASK_THREADS" --retries "$RETRIES" --wait-workers "$K" --wait-tiles 3600 --shutdown &
driver=$!
pids+=("$driver")
for _ in $(seq 1 "$K"); do
    "$VENV/bin/dask" worker "tcp://127.0.0.1:$PORT" --host 127.0.0.1 --no-nanny --nthreads 1 --memory-limit 0 \
        --dashboard-address 127.0.0.1:0 --local-directory "$WORK" >>"$LOG" 2>&1 &
    pids+=($!)
done

# The tiles: one per worker unless told otherwise.
if [ -z "$N" ]; then size=(--tiles "$K"); else size=(--tile-buildings "$N"); fi
status=0
"$SITEPLAN" audit tile --parcels "$DATA/parcels.geojson" --buildings "$DATA/buildings.geojson" --network "$DATA/network.geojson" \
    "${size[@]}" --halo-km "$HALO" --out "$WORK/tiles" --verbose >&2 || status=$?
[ "$status" -eq 0 ] || exit "$status"   # the trap stops the driver and the cluster
t1=$(now)
wait "$driver" || exit $?
t2=$(now)

"$SITEPLAN" audit merge --tiles "$WORK/tiles" --parts "$WORK/parts" --out "$OUT" --verbose
t3=$(now)
printf 'audit_distributed: %d workers: cut %.2f s (cluster starting meanwhile), tasks %.2f s, merge %.2f s, total %.2f s\n' \
    "$K" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$(echo "$t3 - $t2" | bc)" "$(echo "$t3 - $t0" | bc)" >&2
