#!/usr/bin/env bash
# Print benchmark: the Khojaly plan as a PDF sheet on A1 landscape (at the largest standard
# scale that fits, 1:10000), drawn in process by Cairo, RUNS times end to end, against the same
# command writing the SVG map in the same run (the reference: the same plan pipeline without
# the sheet's composition and Cairo's PDF) and, when rsvg-convert is installed, a PNG.
# Usage: tools/bench_print.sh [RUNS]   (default 5; SCRATCH=.build-x for another build folder,
#        BIN=path/to/siteplan to time a binary already built)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
scratch=${SCRATCH:-.build}
if [ -z "${BIN:-}" ]; then
  swift build -c release --scratch-path "$scratch" --product siteplan >/dev/null
  BIN=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/siteplan
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() { # name, output file, extra args...
  local name=$1 out=$2; shift 2
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$BIN" map --out "$work/$out" "$@"
    t1=$(date +%s.%N)
    times+=("$(python3 -c "print($t1 - $t0)")")
  done
  printf '%s\n' "${times[@]}" | median > "$work/$name.median"
  printf '%-22s runs %d  median %.3f s  (%s bytes)\n' "$name" "$runs" "$(cat "$work/$name.median")" "$(stat -c %s "$work/$out")"
}

echo "siteplan print benchmark, $BIN, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
measure "svg map (reference)" map.svg
measure "pdf sheet A1" a1.pdf --paper A1 --landscape
command -v rsvg-convert >/dev/null && measure "png map (rsvg-convert)" map.png
pdfinfo "$work/a1.pdf" | grep -E "^(Pages|Page size|Subject):" || true
python3 -c "import sys; a, b = (float(open(p).read()) for p in sys.argv[1:]); print(f'pdf sheet / svg map: {a / b:.2f}  (pdf sheet - svg map: {a - b:.3f} s)')" \
  "$work/pdf sheet A1.median" "$work/svg map (reference).median"
