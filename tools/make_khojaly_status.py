#!/usr/bin/env python3
"""Writes geodata/khojaly/status.csv: the works status of the Khojaly networks, encoding
the situation the planners reported (see geodata/khojaly/README.md):

* 167-ha section (P1-A): every trunk and main laid or commissioned (water, sewer and power
  commissioned 2025-10-01; gas and telecom laid 2026-03-15);
* the first 50 individual houses (lowest building ids) connected for every utility: their
  service lines commissioned (2026-05-20 for 25, 2026-08-26 for the rest);
* the other P1-A buildings: water, sewer, power and telecom service lines laid 2026-10-30;
  gas connections not yet laid (planned);
* where a P1-A utility is fed through P1-B's trunk and mains (routed so, issue 11), that
  feeding path built with P1-A's trunk of the same utility (same status and date);
* 18-ha section (P1-B): the other trunks laid 2026-06-10; mains laid 2026-10-15 in the order the
  network reaches them (nearest the access point first, utility by utility), then service
  lines laid 2026-11-20 (water first, building by building) until the whole town's works
  stand at 90 % of length; mains not reached by then under construction, the other service
  lines planned.

This script only writes data a planner could have typed; siteplan computes every figure
from it. Usage: python3 tools/make_khojaly_status.py [path/to/siteplan]
"""
import csv, io, subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
scenario = root / "geodata" / "khojaly"
status_path = scenario / "status.csv"
binary = sys.argv[1] if len(sys.argv) > 1 else None

status_path.write_text("segment_id,status,date\n")  # start from nothing built
cmd = [binary] if binary else ["swift", "run", "-q", "siteplan"]
listing = subprocess.run(cmd + ["network", "--segments", "--format", "csv", "--scenario", str(scenario)],
                         check=True, capture_output=True, text=True, cwd=root).stdout
segments = list(csv.DictReader(io.StringIO(listing)))
total = sum(float(s["length_m"]) for s in segments)

status = {}
def mark(s, word, date):
    status[s["segment_id"]] = (word, date)

early = {"water", "sewer", "power"}
for s in segments:
    if s["parcel_id"] == "P1-A" and s["kind"] in ("trunk", "main"):
        mark(s, "commissioned", "2025-10-01") if s["utility"] in early else mark(s, "laid", "2026-03-15")

houses = sorted({s["building_id"] for s in segments if s["parcel_id"] == "P1-A" and s["kind"] == "service"})
kinds = {}
# Building types come from the buildings layer of a plan run; the first 50 individual houses:
plan_dir = root / "out" / "status-gen"
subprocess.run(cmd + ["plan", "--scenario", str(scenario), "--out", str(plan_dir), "--format", "csv"],
               check=True, capture_output=True, text=True, cwd=root)
import json
for f in json.loads((plan_dir / "buildings.geojson").read_text())["features"]:
    kinds[f["id"]] = f["properties"]["type"]
first50 = [b for b in houses if kinds.get(b) == "individual_house"][:50]
assert len(first50) == 50, len(first50)
for s in segments:
    if s["parcel_id"] != "P1-A" or s["kind"] != "service":
        continue
    if s["building_id"] in first50:
        mark(s, "commissioned", "2026-05-20" if first50.index(s["building_id"]) < 25 else "2026-08-26")
    elif s["utility"] != "gas":
        mark(s, "laid", "2026-10-30")

# Where a P1-A utility is fed through P1-B (its trunk routed to P1-B's mains, issue 11), the
# feeding path was built with P1-A's own trunk: a line cannot be commissioned before the pipe
# that feeds it. The path comes from siteplan's own trace (nothing is built yet, so it is the
# shortest path from the first connected house to the source).
by_id = {s["segment_id"]: s for s in segments}
p1a_trunk = {u: ("commissioned", "2025-10-01") if u in early else ("laid", "2026-03-15")
             for u in ("water", "sewer", "power", "gas", "telecom")}
traced = json.loads(subprocess.run(cmd + ["trace", "--building", first50[0], "--format", "json", "--scenario", str(scenario)],
                                   check=True, capture_output=True, text=True, cwd=root).stdout)
feeding = set()
for t in traced:
    for step in t["path"]:
        s = by_id[step["segment_id"]]
        if s["parcel_id"] != "P1-A" and s["kind"] in ("trunk", "main"):
            mark(s, *p1a_trunk[s["utility"]])
            feeding.add(s["segment_id"])

for s in segments:
    if s["parcel_id"] == "P1-B" and s["kind"] == "trunk" and s["segment_id"] not in feeding:
        mark(s, "laid", "2026-06-10")

def built():
    return sum(float(s["length_m"]) for s in segments if status.get(s["segment_id"], ("planned",))[0] in ("laid", "commissioned"))

target = 0.90 * total
mains_b = [s for s in segments if s["parcel_id"] == "P1-B" and s["kind"] == "main"]
utilities = ["water", "sewer", "power", "gas", "telecom"]
# Mains are numbered along the tree (M001, ...); water's loop closures (L001, ...) come after.
def main_order(s):
    tag = s["segment_id"].rsplit("-", 1)[1]
    return (tag[0] != "M", tag[1:], utilities.index(s["utility"]))
by_index = sorted(mains_b, key=main_order)
# Then P1-B service lines, utility by utility (water first), building by building.
services_b = sorted((s for s in segments if s["parcel_id"] == "P1-B" and s["kind"] == "service"),
                    key=lambda s: (utilities.index(s["utility"]), s["building_id"]))
for s in by_index + services_b:
    if s["segment_id"] in feeding:
        continue
    if built() + float(s["length_m"]) / 2 > target:
        break
    mark(s, "laid", "2026-10-15" if s["kind"] == "main" else "2026-11-20")
for s in mains_b:
    status.setdefault(s["segment_id"], ("under_construction", "2026-10-15"))

with status_path.open("w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["segment_id", "status", "date"])
    for s in segments:
        if s["segment_id"] in status:
            w.writerow([s["segment_id"], *status[s["segment_id"]]])
print(f"wrote {status_path}: {len(status)} records; built {built() / total * 100:.2f} % of {total:.0f} m")
