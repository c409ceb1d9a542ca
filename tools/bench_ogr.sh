#!/usr/bin/env bash
# GDAL/OGR driver benchmark, release build, end to end (process start included), in one run:
#
# 1. Import of a 100,000-building Shapefile (EPSG:32638, five attributes) as a scenario's parcels:
#    through the driver (`siteplan import buildings.shp`) against the reference, ogr2ogr to a
#    WGS84 GeoJSON and siteplan's own GeoJSON reader (`ogr2ogr` + `siteplan import b.geojson`).
#    Both check and write the same 100,000 polygons; only the reading differs.
# 2. Export of every Khojaly layer (all nine, 2,043 features for DXF) to each format, the write
#    alone as `siteplan export --timings` reports it, against siteplan's own GeoJSON writer.
#
# Usage: tools/bench_ogr.sh [RUNS] [BUILDINGS]   (default 3 runs, median; 100000 buildings)
# Needs gdal-bin (ogr2ogr) for the reference and to write the input Shapefile once.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
n=${2:-100000}
# SCRATCH: the build folder (default .build), e.g. SCRATCH=.build-mine on a shared machine.
scratch=${SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product siteplan >/dev/null
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/siteplan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 100,000 buildings: 10 x 12 m rectangles on a 20 m grid south-west of Khojaly, in UTM 38N.
python3 - "$n" "$work/buildings_utm.geojson" <<'PY'
import json, math, sys
n, out = int(sys.argv[1]), sys.argv[2]
side = math.ceil(math.sqrt(n))
x0, y0 = 640000.0, 4400000.0
with open(out, "w") as f:
    f.write('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32638"}},"features":[\n')
    for k in range(n):
        x, y = x0 + 20 * (k % side), y0 + 20 * (k // side)
        ring = [[x, y], [x + 10, y], [x + 10, y + 12], [x, y + 12], [x, y]]
        p = {"id": "B%06d" % (k + 1), "type": "individual_house", "units": 1 + k % 3, "storeys": 1 + k % 2, "footprint_m2": 120.0}
        f.write(("," if k else "") + json.dumps({"type": "Feature", "properties": p, "geometry": {"type": "Polygon", "coordinates": [ring]}}) + "\n")
    f.write("]}\n")
PY
ogr2ogr -f "ESRI Shapefile" "$work/buildings.shp" "$work/buildings_utm.geojson" -lco ENCODING=UTF-8 2>/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

driver=(); reference=()
for _ in $(seq "$runs"); do
  rm -rf "$work/a" "$work/b" "$work/b.geojson"
  driver+=("$(seconds "$bin" import "$work/buildings.shp" --scenario "$work/a")")
  reference+=("$(seconds bash -c "ogr2ogr -f GeoJSON -t_srs EPSG:4326 -lco RFC7946=YES '$work/b.geojson' '$work/buildings.shp' && '$bin' import '$work/b.geojson' --scenario '$work/b'")")
done
d=$(printf '%s\n' "${driver[@]}" | median); r=$(printf '%s\n' "${reference[@]}" | median)
cmp -s <(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$work/a/parcels.geojson") \
       <(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$work/b/parcels.geojson") || { echo "bench: the two imports differ" >&2; exit 1; }
printf 'import of %d buildings (Shapefile, EPSG:32638), median of %d:\n' "$n" "$runs"
printf '  siteplan import buildings.shp (DriverOGR)              %6.2f s\n' "$d"
printf '  ogr2ogr -> GeoJSON + siteplan import b.geojson (reference) %6.2f s\n' "$r"
printf '  ratio driver / reference                                 %6.2f\n' "$(div "$d" "$r")"

echo "export of every Khojaly layer (write time from --timings, median of $runs):"
total=0
for f in geojson gpkg csv shp fgb kml dxf xlsx; do
  times=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/x"; mkdir -p "$work/x"
    layers=$([ "$f" = geojson ] || [ "$f" = csv ] && echo "--layers parcels,exclusions,streets,blocks,lots,buildings,network,service_lines,households" || true)
    crs=$([ "$f" = shp ] || [ "$f" = fgb ] || [ "$f" = gpkg ] && echo "--crs planning" || true)
    t=$("$bin" export --scenario geodata/khojaly $layers $crs --out "$work/x/khojaly.$f" --timings 2>&1 >/dev/null | sed -n 's/.*write \([0-9.]*\) s.*/\1/p')
    times+=("$t")
  done
  m=$(printf '%s\n' "${times[@]}" | median)
  [ "$f" = geojson ] && ref=$m
  total=$(awk -v a="$total" -v b="$m" 'BEGIN { print a + b }')
  printf '  %-8s %6.3f s  (%5s x GeoJSON)\n' "$f" "$m" "$(div "$m" "$ref")"
done
printf '  all eight formats %6.3f s\n' "$total"
