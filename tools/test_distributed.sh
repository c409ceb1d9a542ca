#!/usr/bin/env bash
# Tests of the distributed audit (issue 14), run by tools/test.sh: real dask.distributed
# clusters on loopback, the real siteplan binary, data from tools/make_audit_dataset.py.
#
#   tools/test_distributed.sh
#
# On 20,000 buildings (make_audit_dataset.py --seed 2: settlements of ~1.5 km in 4 km cells, so a
# region boundary cuts through one and a 2 km halo reaches into the next), each against `siteplan audit` in one process, byte for byte:
#   1. 8 tiles, halo 2 km, 2 workers;
#   2. the same with one task killed mid-run (SIGKILL): the engine retries it;
#   3. a 20 m halo: over a fifth of the buildings go to the second pass;
#   4. bad input in one tile (a bow-tie parcel GEOS cannot clip): the whole run stops, exit 1,
#      with the parcels file, the feature and its id, as the single run says;
#   5. bad input found when cutting (an unclosed ring): the single run's message, exit 1.
# Environment: SITEPLAN (default: the debug build).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${SITEPLAN:-}" ]; then
    # The debug binary `swift test` built (siteplanTests runs it); built here only if missing.
    SITEPLAN="$(cd "$REPO" && swift build --show-bin-path)/siteplan"
    [ -x "$SITEPLAN" ] || (cd "$REPO" && swift build --product siteplan >&2)
fi
export SITEPLAN
VENV=$(bash "$REPO/tools/setup_distributed.sh")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-distributed.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0
pass() { echo "test_distributed: PASS $*" >&2; }
fail() { echo "test_distributed: FAIL $*" >&2; failures=$((failures + 1)); }
same() {  # same NAME DIR: DIR's CSVs equal the single run's
    if cmp -s "$WORK/single/buildings.csv" "$2/buildings.csv" && cmp -s "$WORK/single/parcels.csv" "$2/parcels.csv"; then
        pass "$1: buildings.csv and parcels.csv byte-identical to the single run"
    else
        fail "$1: output differs from the single run"; cmp "$WORK/single/buildings.csv" "$2/buildings.csv" >&2 || true
        cmp "$WORK/single/parcels.csv" "$2/parcels.csv" >&2 || true
    fi
}

DATA=$WORK/data
python3 "$REPO/tools/make_audit_dataset.py" --buildings 20000 --seed 2 --out "$DATA" >/dev/null
"$SITEPLAN" audit --parcels "$DATA/parcels.geojson" --buildings "$DATA/buildings.geojson" --network "$DATA/network.geojson" \
    --out "$WORK/single" --quiet
[ "$(wc -l < "$WORK/single/buildings.csv")" -eq 20001 ] || fail "the single run wrote $(wc -l < "$WORK/single/buildings.csv") lines"

# 1. 8 tiles with a 2 km halo
bash "$REPO/tools/audit_distributed.sh" "$DATA" "$WORK/t1" --workers 2 --tile-buildings 2500 --halo-km 2 --work "$WORK/w1" 2> "$WORK/t1.log" \
    || { cat "$WORK/t1.log" >&2; fail "1: audit_distributed.sh failed"; }
tiles=$(wc -l < "$WORK/w1/tiles/tiles.txt")
[ "$tiles" -ge 8 ] && pass "1: $tiles tiles" || fail "1: only $tiles tiles"
same "1 (8 tiles, 2 km halo)" "$WORK/t1"

# 2. one task killed mid-run (SIGKILL while it runs), retried by the engine
cat > "$WORK/wrapper.sh" <<EOF
#!/bin/sh
# SITEPLAN audit run-tile TILE ...: the first attempt at tile 3 waits to be killed.
echo "\$4" >> "$WORK/attempts.log"
case "\$4" in
    *tile-00003.bin) if mkdir "$WORK/victim.lock" 2>/dev/null; then echo \$\$ > "$WORK/victim.pid"; sleep 60; fi ;;
esac
exec "\$@"
EOF
chmod +x "$WORK/wrapper.sh"
SITEPLAN_TASK_WRAPPER=$WORK/wrapper.sh bash "$REPO/tools/audit_distributed.sh" "$DATA" "$WORK/t2" --workers 2 --tile-buildings 2500 \
    --halo-km 2 --work "$WORK/w2" 2> "$WORK/t2.log" &
run=$!
for _ in $(seq 1 600); do [ -s "$WORK/victim.pid" ] && break; sleep 0.1; done
if [ -s "$WORK/victim.pid" ]; then
    victim=$(cat "$WORK/victim.pid")
    kill -KILL "$victim" && pass "2: killed the task of tile 3 (pid $victim) mid-run"
else
    fail "2: the task of tile 3 never started"
fi
wait "$run" || { cat "$WORK/t2.log" >&2; fail "2: audit_distributed.sh failed after the kill"; }
n=$(grep -c 'tile-00003.bin' "$WORK/attempts.log" || true)
[ "$n" -eq 2 ] && pass "2: tile 3 ran twice (killed, then retried)" || fail "2: tile 3 ran $n times"
others=$(grep -vc 'tile-00003.bin' "$WORK/attempts.log" || true)
[ "$others" -eq $((tiles - 1)) ] && pass "2: every other tile ran once" || fail "2: the other tiles ran $others times"
same "2 (a task killed and retried)" "$WORK/t2"

# 3. a 20 m halo: over a fifth of the buildings go to the second pass
bash "$REPO/tools/audit_distributed.sh" "$DATA" "$WORK/t3" --workers 2 --tile-buildings 2500 --halo-km 0.02 2> "$WORK/t3.log" \
    || { cat "$WORK/t3.log" >&2; fail "3: audit_distributed.sh failed"; }
second=$(sed -n 's/.* \([0-9]*\) in the second pass.*/\1/p' "$WORK/t3.log")
[ "${second:-0}" -ge 4000 ] && pass "3: $second buildings in the second pass" || fail "3: only ${second:-no} buildings in the second pass"
same "3 (20 m halo)" "$WORK/t3"

# 4. a bow-tie parcel: found by the task of its tile; the whole run stops with its file, feature and id
BAD=$WORK/bad-tile
mkdir -p "$BAD"; cp "$DATA/buildings.geojson" "$DATA/network.geojson" "$BAD/"
"$VENV/bin/python" - "$DATA/parcels.geojson" "$BAD/parcels.geojson" <<'EOF'
import json, sys
src, dst = sys.argv[1:]
fc = json.load(open(src))
ring = fc["features"][5]["geometry"]["coordinates"][0]
ring[1], ring[2] = ring[2], ring[1]          # a bow-tie: two edges cross
json.dump(fc, open(dst, "w"))
EOF
"$SITEPLAN" audit --parcels "$BAD/parcels.geojson" --buildings "$BAD/buildings.geojson" --network "$BAD/network.geojson" \
    --out "$WORK/bad-single" --quiet 2> "$WORK/bad-single.log" && fail "4: the single run accepted the bow-tie parcel"
expected=$(sed -n 's/^siteplan: error: \(.*is not a valid polygon\).*/\1/p' "$WORK/bad-single.log")
if bash "$REPO/tools/audit_distributed.sh" "$BAD" "$WORK/t4" --workers 2 --tile-buildings 2500 --halo-km 2 2> "$WORK/t4.log"; then
    fail "4: the distributed run accepted the bow-tie parcel"
elif [ -n "$expected" ] && grep -qF "$expected" "$WORK/t4.log" && [ ! -e "$WORK/t4/buildings.csv" ]; then
    pass "4: stopped with \"$expected\", no output written"
else
    fail "4: expected \"$expected\""; cat "$WORK/bad-single.log" "$WORK/t4.log" >&2
fi

# 5. an unclosed ring, found when cutting
BAD=$WORK/bad-cut
mkdir -p "$BAD"; cp "$DATA/parcels.geojson" "$DATA/network.geojson" "$BAD/"
"$VENV/bin/python" - "$DATA/buildings.geojson" "$BAD/buildings.geojson" <<'EOF'
import json, sys
src, dst = sys.argv[1:]
fc = json.load(open(src))
fc["features"][123]["geometry"]["coordinates"][0].pop()
json.dump(fc, open(dst, "w"))
EOF
"$SITEPLAN" audit --parcels "$BAD/parcels.geojson" --buildings "$BAD/buildings.geojson" --network "$BAD/network.geojson" \
    --out "$WORK/bad-single" --quiet 2> "$WORK/bad-cut-single.log" && fail "5: the single run accepted the unclosed ring"
if bash "$REPO/tools/audit_distributed.sh" "$BAD" "$WORK/t5" --workers 2 --tile-buildings 2500 2> "$WORK/t5.log"; then
    fail "5: the distributed run accepted the unclosed ring"
elif grep -qxF "$(cat "$WORK/bad-cut-single.log")" "$WORK/t5.log"; then
    pass "5: stopped with the single run's message: $(cat "$WORK/bad-cut-single.log")"
else
    fail "5: expected the single run's message"; cat "$WORK/bad-cut-single.log" "$WORK/t5.log" >&2
fi

if [ "$failures" -gt 0 ]; then echo "test_distributed: $failures failed" >&2; exit 1; fi
echo "test_distributed: all passed" >&2
