#!/usr/bin/env python3
"""A seeded synthetic input for the connection audit (`siteplan audit`): parcels, buildings and
network as three RFC 7946 FeatureCollections (WGS84 lon/lat, one feature per line).

    python3 tools/make_audit_dataset.py --buildings N --seed S --out DIR

The same N and seed give byte-identical files (Python's standard library only: `random`'s
Mersenne Twister, `json`). tools/test_distributed.sh cuts it into tiles; what it needs of the
data is what this draws:

* Settlements in ~4 km cells of a square grid, about two in five cells taken (seeded), so
  settlements stand apart, and a region boundary (a median of footprint centroids, always a
  building's) cuts through one and its halo reaches into the next.
* A settlement has 1-3 rectangular sections (parcels, 9-49 ha, rotated with the settlement)
  and sometimes a "revised boundary" parcel (id ending in -0) overlapping its first section, so
  some footprint centroids fall in two parcels; a few farmsteads stand outside every parcel.
* Inside a section, a street every 70 m and a cross street every 300 m; houses, cottages and
  apartment blocks (some with a courtyard: a polygon with a hole) along both sides of the streets.
* The network: along every street and on a feeder from the settlement's centre to each section,
  one line per utility (water, sewer, power, gas, telecom), a few metres apart, in 50-300 m
  segments. Works status follows a progress per settlement and utility; two settlements
  in five have a utility not built at all, so their nearest usable line of it is in another
  settlement, kilometres away, often beyond a small halo (the second pass of a tiled run).

Geometry is drawn in metres on a local plane around 46.0 E, 40.0 N (in UTM zone 38N, the
audit's default CRS) and placed on the sphere with the local scale of that point: a planar
sketch, not a survey, and all the audit needs.
"""
import argparse
import json
import math
import os
import random
import sys

LON0, LAT0 = 46.0, 40.0
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON = 111_320.0 * math.cos(math.radians(LAT0))
CELL_METRES = 4000.0
UTILITIES = ("water", "sewer", "power", "gas", "telecom")
OFFSET_METRES = (-4.0, -1.5, 4.5, 2.0, 5.5)   # each utility's side of the centreline
LAG = (0.0, 0.08, -0.05, 0.18, 0.25)          # later utilities lag behind water
KINDS = ("house", "cottage", "finnish")


def lon_lat(x, y):
    """Local metres (east, north) to (lon, lat) degrees, rounded to 7 decimals (~1 cm)."""
    return [round(LON0 + x / METRES_PER_DEGREE_LON, 7), round(LAT0 + y / METRES_PER_DEGREE_LAT, 7)]


class Frame:
    """A settlement section's frame: local (u, v) metres, rotated by `angle` about `origin`."""

    def __init__(self, ox, oy, angle):
        self.ox, self.oy, self.c, self.s = ox, oy, math.cos(angle), math.sin(angle)

    def place(self, u, v):
        return self.ox + self.c * u - self.s * v, self.oy + self.s * u + self.c * v


def ring(frame, corners):
    """A closed ring in lon/lat from local corners listed counter-clockwise."""
    points = [lon_lat(*frame.place(u, v)) for u, v in corners]
    return points + [points[0]]


def box(u0, v0, u1, v1):
    """The corners of a local box, counter-clockwise."""
    return [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]


class Writer:
    """One FeatureCollection file, a feature per line."""

    def __init__(self, path):
        self.f = open(path, "w", encoding="utf-8")
        self.f.write('{"type":"FeatureCollection","features":[\n')
        self.first = True

    def add(self, properties, geometry):
        feature = {"type": "Feature", "properties": properties, "geometry": geometry}
        self.f.write(("" if self.first else ",\n") + json.dumps(feature, separators=(",", ":")))
        self.first = False

    def close(self):
        self.f.write("\n]}\n")
        self.f.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--buildings", type=int, required=True, help="exactly this many buildings")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="folder for parcels.geojson, buildings.geojson, network.geojson")
    a = ap.parse_args()
    if a.buildings < 1:
        sys.exit("make_audit_dataset: --buildings must be at least 1")
    rng = random.Random(a.seed)
    uniform = rng.uniform

    # Cells: enough for ~250 buildings a settlement, two in five of them taken.
    settlements = max(4, -(-a.buildings // 250))
    side = math.ceil(math.sqrt(settlements * 2.5))
    cells = [(i % side, i // side) for i in range(side * side)]
    for i in range(len(cells) - 1, 0, -1):    # Fisher-Yates on random() alone: stable across Pythons
        j = int(rng.random() * (i + 1))
        cells[i], cells[j] = cells[j], cells[i]

    os.makedirs(a.out, exist_ok=True)
    parcels = Writer(os.path.join(a.out, "parcels.geojson"))
    buildings = Writer(os.path.join(a.out, "buildings.geojson"))
    network = Writer(os.path.join(a.out, "network.geojson"))
    counts = {"buildings": 0, "farmsteads": 0, "parcels": 0, "lines": 0}

    def building(frame, corners, kind, storeys, hole=None, farm=False):
        if counts["buildings"] >= a.buildings:
            return
        counts["buildings"] += 1
        rings = [ring(frame, corners)]
        if hole:
            rings.append(ring(frame, list(reversed(hole))))   # holes clockwise
        if farm:
            counts["farmsteads"] += 1
            bid = "F%07d" % counts["farmsteads"]             # sorts after the B ids: not input order
        else:
            bid = "B%08d" % (counts["buildings"] - counts["farmsteads"])
        buildings.add({"id": bid, "kind": kind, "storeys": storeys}, {"type": "Polygon", "coordinates": rings})

    def line(points, progress, dead):
        """The five utilities along `points` (metres, a polyline), in 50-300 m segments."""
        for u, name in enumerate(UTILITIES):
            # the polyline offset to this utility's side, then cut into segments
            shifted = []
            for k, (x, y) in enumerate(points):
                (x0, y0), (x1, y1) = points[max(0, k - 1)], points[min(len(points) - 1, k + 1)]
                length = math.hypot(x1 - x0, y1 - y0) or 1.0
                shifted.append((x - OFFSET_METRES[u] * (y1 - y0) / length, y + OFFSET_METRES[u] * (x1 - x0) / length))
            for (x0, y0), (x1, y1) in zip(shifted, shifted[1:]):
                length = math.hypot(x1 - x0, y1 - y0)
                at = 0.0
                while at < length - 1e-6:
                    step = min(length - at, uniform(50.0, 300.0))
                    t0, t1 = at / length, (at + step) / length
                    p = progress[u] + uniform(-0.15, 0.15)
                    if u in dead:
                        status = "planned"
                    elif rng.random() < p:
                        status = "commissioned" if rng.random() < 0.6 else "laid"
                    else:
                        status = "under_construction" if rng.random() < 0.3 else "planned"
                    counts["lines"] += 1
                    network.add({"id": "N%08d" % counts["lines"], "utility": name, "status": status},
                                {"type": "LineString", "coordinates": [lon_lat(x0 + t0 * (x1 - x0), y0 + t0 * (y1 - y0)),
                                                                       lon_lat(x0 + t1 * (x1 - x0), y0 + t1 * (y1 - y0))]})
                    at += step

    s = 0
    while counts["buildings"] < a.buildings:
        if s == len(cells):   # more buildings than the cells hold: a second ring of cells beyond
            cells += [(c[0] + side, c[1]) for c in cells[:side]]
        cx, cy = cells[s]
        centre = ((cx + 0.5) * CELL_METRES + uniform(-300, 300), (cy + 0.5) * CELL_METRES + uniform(-300, 300))
        angle = uniform(-0.6, 0.6)
        base = min(0.95, max(0.05, rng.random()))
        progress = [base - LAG[u] for u in range(len(UTILITIES))]
        sections = 1 + int(rng.random() * 3)
        dead = {int(rng.random() * len(UTILITIES))} if rng.random() < 0.4 else set()
        quadrants = [(1, 1), (-1, 1), (-1, -1), (1, -1)]
        for k in range(sections):
            qx, qy = quadrants[(s + k) % 4]
            hu, hv = uniform(150, 350), uniform(150, 350)   # half sizes: 9-49 ha
            origin = Frame(*centre, angle).place(qx * 500.0, qy * 500.0)
            frame = Frame(origin[0], origin[1], angle)
            counts["parcels"] += 1
            pid = "P%05d-%d" % (s, k + 1)
            parcels.add({"id": pid}, {"type": "Polygon", "coordinates": [ring(frame, box(-hu, -hv, hu, hv))]})
            if k == 0 and rng.random() < 0.3:
                # a revised boundary overlapping the first section
                parcels.add({"id": "P%05d-0" % s},
                            {"type": "Polygon", "coordinates": [ring(frame, box(-hu + 200, -hv + 150, hu + 150, hv - 100))]})
            # the feeder from the settlement's centre
            line([centre, origin], progress, dead)
            # streets along u every 70 m, cross streets along v every 300 m
            v = -hv + 35.0
            while v < hv:
                line([frame.place(-hu, v), frame.place(hu, v)], progress, dead)
                u = -hu + 15.0
                while u < hu - 15.0:
                    for side_sign in (1, -1):
                        if rng.random() < 0.5:
                            kind = KINDS[int(rng.random() * 3)] if rng.random() < 0.93 else "apartment"
                            w, d = (uniform(8, 14), uniform(8, 12)) if kind != "apartment" else (24.0, 24.0)
                            setback = uniform(8, 15)
                            v0 = v + side_sign * setback
                            v1 = v0 + side_sign * d
                            lo, hi = min(v0, v1), max(v0, v1)
                            hole = None
                            if kind == "apartment" and rng.random() < 0.5:
                                hole = box(u + 8, lo + 8, u + 16, hi - 8)
                            building(frame, box(u, lo, u + w, hi), kind, 5 if kind == "apartment" else 1 + int(rng.random() * 2), hole)
                    u += uniform(22, 35)
                v += 70.0
            u = -hu + 150.0
            while u < hu:
                line([frame.place(u, -hv), frame.place(u, hv)], progress, dead)
                u += 300.0
        # farmsteads: hundreds of metres from any line, outside the sections
        for _ in range(int(rng.random() * 3)):
            t = uniform(0, 2 * math.pi)
            farm = Frame(centre[0] + 1500 * math.cos(t), centre[1] + 1500 * math.sin(t), angle)
            building(farm, box(0, 0, uniform(10, 16), uniform(8, 12)), "house", 1, farm=True)
        s += 1

    for w in (parcels, buildings, network):
        w.close()
    print(f"make_audit_dataset: {counts['buildings']} buildings ({counts['farmsteads']} farmsteads) in {s} settlements, "
          f"{counts['parcels']} sections, {counts['lines']} network segments in {a.out}")


if __name__ == "__main__":
    main()
