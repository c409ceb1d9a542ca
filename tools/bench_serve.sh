#!/usr/bin/env bash
# Load on `siteplan serve` (release build) on loopback, with wrk (Debian's wrk):
#   - 64 connections for SECONDS each on /query, one layer (/layers/buildings.geojson, ETag
#     revalidation off: the full body every time) and /report: requests/s, p50, p99;
#   - the server's RSS before, after each run, and at the end (growth over the whole run);
#   - 1,000 idle /events (live update) connections held at once: what they cost in RSS.
#
#   tools/bench_serve.sh [SECONDS]          default 20
#
# A benchmark, not a test: numbers depend on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-20}
command -v wrk >/dev/null || { echo "bench_serve: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

swift build -c release --product siteplan >&2
bin=$(swift build -c release --show-bin-path)/siteplan
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp)
"$bin" serve --port "$port" --max-connections-per-client 2000 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -sf -o /dev/null "$base/layers" && break; sleep 0.5; done

rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }
# A building's centre, to query.
at=$(curl -s "$base/layers/buildings.geojson" | python3 -c '
import json, sys
ring = json.load(sys.stdin)["features"][0]["geometry"]["coordinates"][0][:-1]
print("%.7f,%.7f" % (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)))')

echo "siteplan serve, release, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); wrk -t2 -c64 -d${SECONDS_EACH}s"
echo "RSS at start: $(rss) MiB"
printf "%-34s %10s %9s %9s %12s\n" route "req/s" "p50 ms" "p99 ms" "RSS after"
for route in "/query?at=$at" "/layers/buildings.geojson" "/report"; do
  out=$(wrk -t2 -c64 -d"${SECONDS_EACH}s" --latency "$base$route")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } }'; }
  p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  printf "%-34s %10s %9s %9s %9s MiB %s\n" "${route%%\?*}" "$rps" "$p50" "$p99" "$(rss)" "$errors"
done

# 1,000 idle live-update connections.
before=$(rss)
python3 - "$port" "$pid" <<'PY'
import socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
def rss():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
held = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    held.append(s)
ok = 0
for s in held:
    s.settimeout(10)
    data = b""
    while b"event: version" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    ok += b"event: version" in data
time.sleep(1)
print("1000 idle /events connections: %d answered with the version, server RSS %.1f MiB" % (ok, rss()))
for s in held:
    s.close()
PY
echo "RSS before them: $before MiB; at the end: $(sleep 2; rss) MiB"
