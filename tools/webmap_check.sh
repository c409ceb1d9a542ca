#!/usr/bin/env bash
# The web map in a real browser: adopts the Khojaly plan into a throwaway GeoPackage store,
# starts `siteplan serve --store` on a free loopback port, and drives headless Chromium over the
# DevTools protocol (tools/webmap_browser.py): every layer loads and draws, real mouse clicks on
# a building, a block and empty ground fill the query panel, the filters and the search work, an
# event recorded in the store reaches a second page within 2 s, and screenshots of a desktop and
# a phone go to out/. Then checks the HTTP side with curl: ETag and 304, HEAD, CORS, the Host
# check, strict numbers, and 4xx JSON errors while the server keeps running. Exits non-zero on
# any failure.
# Usage: tools/webmap_check.sh   (after swift build; needs chromium, curl, python3, libjs-leaflet)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${SITEPLAN_BIN:-.build/debug/siteplan}
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

store="$work/plan.gpkg"
"$bin" adopt --store "$store" --message "webmap check" --author webmap_check >/dev/null
"$bin" works import geodata/khojaly/status.csv --store "$store" --by webmap_check >/dev/null
# A second revision, for the page's diff view.
"$bin" adopt --store "$store" --seed 7 --message "P1-B frontages varied" --author webmap_check >/dev/null
# Accounts: the browser signs in as an editor through the page's form.
"$bin" users add crew1 --role editor --password-stdin --store "$store" <<< "crew1 long password" >/dev/null

# A free port: bind to 0, read it back, release it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$bin" serve --port "$port" --store "$store" --auth --poll 0.25 >"$work/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -s -o /dev/null "$base/" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "webmap_check: the server exited:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done

passed=0
failed=0
check() { # check NAME COMMAND...: runs the command, counts and prints the outcome
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok    $name"; else failed=$((failed + 1)); echo "FAIL  $name"; fi
}

# The browser part counts its own checks; its failures fail this script.
if python3 tools/webmap_browser.py "$base" --store "$store" --siteplan "$bin" --out out --user crew1 --password "crew1 long password"; then
  check "the page in Chromium (tools/webmap_browser.py)" true
else
  check "the page in Chromium (tools/webmap_browser.py)" false
fi

token=$(curl -s -d '{"name": "crew1", "password": "crew1 long password"}' "$base/api/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
auth=(-H "Authorization: Bearer $token")
check "without a session the layers are refused (401)" test "$(curl -s -o /dev/null -w '%{http_code}' "$base/layers")" = 401
header() { # header URL NAME [curl args...]: the value of a response header
  local url=$1 name=$2; shift 2
  curl -s -o /dev/null -D - "${auth[@]}" "$@" "$url" | tr -d '\r' | awk -v n="$(echo "$name" | tr 'A-Z' 'a-z')" 'BEGIN{FS=": "} tolower($1)==n {print $2}'
}
code() { curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$@"; }
etag=$(header "$base/layers/buildings.geojson" ETag)
check "a layer has an ETag" test -n "$etag"
check "If-None-Match with it: 304" test "$(code -H "If-None-Match: $etag" "$base/layers/buildings.geojson")" = 304
check "HEAD answers 200 with the GET's Content-Length" test "$(header "$base/report" Content-Length -I)" = "$(curl -s "${auth[@]}" "$base/report" | wc -c | tr -d ' ')"
check "CORS: GET from another origin is allowed" test "$(header "$base/layers" Access-Control-Allow-Origin -H 'Origin: https://geojson.io')" = "*"
check "a foreign Host header is refused (421)" test "$(code -H 'Host: attacker.example' "$base/layers")" = 421
check "a hex float in ?at= is refused (400)" test "$(code "$base/query?at=0x1p5,39.91")" = 400
check "a zero-width space in ?at= is refused (400)" test "$(code "$base/query?at=%E2%80%8B46.79,39.91")" = 400
check "a write method on a read route is refused (405)" test "$(code -X PUT "$base/layers")" = 405

status_and_json() { # status_and_json URL CODE: the answer has that status and a JSON "error"
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' "${auth[@]}" "$1")
  [ "$code" = "$2" ] && python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(0 if isinstance(d.get("error"), str) else 1)' "$work/body"
}
check "unknown layer: 404 with a JSON error" status_and_json "$base/layers/no_such_layer.geojson" 404
check "malformed coordinates: 400 with a JSON error" status_and_json "$base/query?at=46.79;39.91" 400
check "latitude out of range: 400 with a JSON error" status_and_json "$base/query?at=46.79,99" 400
check "query without ?at: 400 with a JSON error" status_and_json "$base/query" 400
check "the server still answers after bad requests" curl -sf -o /dev/null "${auth[@]}" "$base/report"
check "/report is the plan report" python3 -c 'import json,sys,urllib.request; d = json.load(urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]}))); sys.exit(0 if d["parcels"] else 1)' "$base/report" "$token"

echo "webmap_check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
