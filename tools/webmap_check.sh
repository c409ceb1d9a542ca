#!/usr/bin/env bash
# The web map in a real browser: starts `siteplan serve` on a free loopback port, loads the
# page in headless Chromium, checks that every layer drew as many features as its
# /layers/<name>.geojson has, clicks a building through the page (/?click=LON,LAT) and checks
# the query's answer, saves a screenshot to out/webmap.png, and checks that bad requests get a
# 4xx JSON error while the server keeps running. Exits non-zero on any failure.
# Usage: tools/webmap_check.sh   (after swift build; needs chromium, curl, python3, libjs-leaflet)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.build/debug/siteplan
[ -x "$bin" ] || swift build
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "webmap_check: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
[ -f /usr/share/javascript/leaflet/leaflet.js ] || { echo "webmap_check: libjs-leaflet is not installed" >&2; exit 1; }

mkdir -p out
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free port: bind to 0, read it back, release it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$bin" serve --port "$port" >"$work/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$base/layers" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "webmap_check: the server exited:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done

passed=0
failed=0
check() { # check NAME COMMAND...: runs the command, counts and prints the outcome
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok    $name"; else failed=$((failed + 1)); echo "FAIL  $name"; fi
}

# The layers and a building's centre to click, from the server's own GeoJSON.
curl -sf "$base/layers" >"$work/layers.json"
for name in $(python3 -c 'import json,sys; print(" ".join(l["name"] for l in json.load(open(sys.argv[1]))))' "$work/layers.json"); do
  curl -sf "$base/layers/$name.geojson" >"$work/$name.geojson"
done
read -r click building < <(python3 - "$work/buildings.geojson" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["features"][0]
ring = f["geometry"]["coordinates"][0][:-1]
print("%.7f,%.7f" % (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)), f["id"])
PY
)

chrome=("$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile"
        --virtual-time-budget=20000 --window-size=1400,1000)
"${chrome[@]}" --dump-dom "$base/?click=$click" >"$work/dom.html" 2>"$work/chromium.log" || true
"${chrome[@]}" --screenshot="$PWD/out/webmap.png" "$base/" >/dev/null 2>>"$work/chromium.log" || true

# Compare what the page says it loaded and drew with the layer files.
python3 - "$work" "$building" >"$work/dom-checks.txt" <<'PY' || true
import html.parser, json, os, sys
work, building = sys.argv[1], sys.argv[2]
class Status(html.parser.HTMLParser):
    attrs = None
    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("id") == "status":
            Status.attrs = dict(attrs)
Status().feed(open(os.path.join(work, "dom.html")).read())
s = Status.attrs or {}
print("page ready", s.get("data-ready") == "true", s.get("data-ready"), s.get("data-error", ""))
for layer in json.load(open(os.path.join(work, "layers.json"))):
    name = layer["name"]
    n = len(json.load(open(os.path.join(work, name + ".geojson")))["features"])
    key = name.replace("_", "-")
    print("layer %s: %d features loaded and drawn" % (name, n),
          s.get("data-" + key) == str(n) and s.get("data-drawn-" + key) == str(n),
          "loaded=%s drawn=%s" % (s.get("data-" + key), s.get("data-drawn-" + key)))
print("a click on building %s queries it" % building, s.get("data-query-status") == "200" and s.get("data-query-building-id") == building,
      "status=%s building=%s" % (s.get("data-query-status"), s.get("data-query-building-id")))
PY
while IFS= read -r line; do
  # Each line: "<name> <True|False> <details>"; the name ends before True/False.
  name=${line%% True*}; name=${name%% False*}
  if [[ "$line" == *" True"* ]]; then check "$name" true; else check "$name (${line##* False })" false; fi
done <"$work/dom-checks.txt"
[ -s "$work/dom-checks.txt" ] || check "the page's DOM could be read" false

check "screenshot saved to out/webmap.png" test -s out/webmap.png

status_and_json() { # status_and_json URL CODE: the answer has that status and a JSON "error"
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' "$1")
  [ "$code" = "$2" ] && python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(0 if isinstance(d.get("error"), str) else 1)' "$work/body"
}
check "unknown layer: 404 with a JSON error" status_and_json "$base/layers/no_such_layer.geojson" 404
check "malformed coordinates: 400 with a JSON error" status_and_json "$base/query?at=46.79;39.91" 400
check "latitude out of range: 400 with a JSON error" status_and_json "$base/query?at=46.79,99" 400
check "query without ?at: 400 with a JSON error" status_and_json "$base/query" 400
check "the server still answers after bad requests" curl -sf -o /dev/null "$base/report"
check "/report is the plan report" python3 -c 'import json,sys,urllib.request; d = json.load(urllib.request.urlopen(sys.argv[1])); sys.exit(0 if d["parcels"] else 1)' "$base/report"

echo "webmap_check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
