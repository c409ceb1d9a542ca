#!/usr/bin/env bash
# Layout benchmark: release build, then the Khojaly plan and a synthetic program ten times
# larger (about 2,900 buildings on a ~1,000-ha parcel), each RUNS times end to end
# (process start, reading, layout, writing the layers and the report).
# Usage: tools/bench_layout.sh [RUNS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
swift build -c release --product siteplan >/dev/null
bin=$(swift build -c release --show-bin-path)/siteplan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tools/make_synthetic_scenario.py "$work/synthetic" >/dev/null

measure() { # name, args...
  local name=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$bin" "$@" --out "$work/out-$name" --format csv > "$work/$name.csv"
    t1=$(date +%s.%N)
    times+=("$(python3 -c "print($t1 - $t0)")")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v n="$name" -v r="$runs" '
    { a[NR] = $1 } END { printf "%-10s runs %d  min %.3f s  median %.3f s  max %.3f s\n", n, r, a[1], a[int((NR + 1) / 2)], a[NR] }'
  local placed
  placed=$(python3 -c "import csv,sys; print(sum(int(r['buildings']) for r in csv.DictReader(open(sys.argv[1]))))" "$work/$name.csv")
  echo "           buildings placed: $placed"
  sleep 0
}

echo "siteplan layout benchmark, release build, $(nproc) cores, $(date -u +%Y-%m-%d)"
measure khojaly plan
measure synthetic plan --scenario "$work/synthetic"
/usr/bin/time -f "synthetic peak RSS %M KiB" "$bin" plan --scenario "$work/synthetic" --out "$work/out-rss" --format csv > /dev/null
