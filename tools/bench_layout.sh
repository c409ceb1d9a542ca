#!/usr/bin/env bash
# Layout benchmark: release build, then `siteplan plan` end to end (process start, reading,
# layout, networks, tracing, households, writing every layer and the report) on
#   - Khojaly (289 buildings),
#   - tools/make_synthetic_scenario.py --scale 10  (2,890 buildings, ~1,000 ha),
#   - tools/make_synthetic_scenario.py --scale 100 (28,900 buildings, ~10,000 ha),
# the synthetic ones with utility sources round the parcel, an access point and exclusion
# zones (a crossable stream buffer, a park), so trunk routing, tracing and allocation run at
# scale too. Each job runs RUNS times under /usr/bin/time -v; it prints the median and range of
# wall time, the peak RSS, the buildings placed, the trunk/main crossings the report counts
# (must be 0), the step times of the last run, and the 100x / 10x wall-time ratio (both
# measured in this run), with the CPU time (user + system) beside each wall time; then
# `plan --options 8` on Khojaly. Targets (issue 11): scale 100 under 10 s and 600 MiB, ratio
# <= 12, --options 8 under 3 s.
# Usage: tools/bench_layout.sh [RUNS]   (default 3; SWIFT_SCRATCH picks the build folder)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
scratch=${SWIFT_SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product siteplan >/dev/null
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/siteplan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tools/make_synthetic_scenario.py "$work/synthetic10" --scale 10 >/dev/null
python3 tools/make_synthetic_scenario.py "$work/synthetic100" --scale 100 >/dev/null

declare -A median_s
declare -A median_cpu
# Runs the job RUNS times under /usr/bin/time -v: sets med lo hi (wall, s), cpu (median
# user + system, s: the figure to trust when the machine is shared) and rss (peak, KiB).
timed() { # name, args...
  local name=$1; shift
  local walls=() cpus=()
  rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o "$work/$name.time" "$bin" "$@" > "$work/$name.csv" 2> "$work/$name.err"
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/$name.time")")
    cpus+=("$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/$name.time")")
    local kib
    kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
    (( kib > rss )) && rss=$kib
  done
  local summary
  summary=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "%.3f %.3f %.3f", a[int((NR + 1) / 2)], a[1], a[NR] }')
  read -r med lo hi <<< "$summary"
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }')
  median_s[$name]=$med
  median_cpu[$name]=$cpu
}

measure() { # name, args...
  local name=$1; shift
  timed "$name" "$@" --out "$work/out-$name" --format csv --timings
  local placed crossings
  placed=$(python3 -c "import csv,sys; print(sum(int(r['buildings']) for r in csv.DictReader(open(sys.argv[1]))))" "$work/$name.csv")
  crossings=$(python3 -c "
import json, sys
town = json.load(open(sys.argv[1]))['networks'][0]
print(town['crossings_lots'] + town['crossings_buildings'] + town['crossings_zones'], town['network_m_per_dwelling'], town['water_loops'])" "$work/out-$name/report.json")
  read -r crossed per_dwelling loops <<< "$crossings"
  printf '%-12s runs %d  wall median %s s (%s..%s)  CPU median %s s  peak RSS %d MiB  buildings %s  network %s m/dwelling  crossings %s  water loops %s\n' \
    "$name" "$runs" "$med" "$lo" "$hi" "$cpu" $(( rss / 1024 )) "$placed" "$per_dwelling" "$crossed" "$loops"
  echo "             $(grep '^timings:' "$work/$name.err")"
}

echo "siteplan layout benchmark, release build, $(nproc) cores, $(date -u +%Y-%m-%d)"
measure khojaly plan
measure synthetic10 plan --scenario "$work/synthetic10"
measure synthetic100 plan --scenario "$work/synthetic100"
# The options study (issue 11: under 3 s), laid out on the cores: against one plan of Khojaly.
timed options8 plan --options 8 --out "$work/out-options8" --format csv
printf '%-12s runs %d  wall median %s s (%s..%s)  CPU median %s s  peak RSS %d MiB  (target: wall under 3 s)\n' \
  "options8" "$runs" "$med" "$lo" "$hi" "$cpu" $(( rss / 1024 ))
python3 -c "import sys; w = [float(x) for x in sys.argv[1:]]; print(f'wall time ratio synthetic100 / synthetic10: {w[0] / w[1]:.2f} (target <= 12), CPU ratio {w[2] / w[3]:.2f}; options8 / khojaly: wall {w[4] / w[5]:.2f}, CPU {w[6] / w[7]:.2f}')" \
  "${median_s[synthetic100]}" "${median_s[synthetic10]}" "${median_cpu[synthetic100]}" "${median_cpu[synthetic10]}" \
  "${median_s[options8]}" "${median_s[khojaly]}" "${median_cpu[options8]}" "${median_cpu[khojaly]}"
