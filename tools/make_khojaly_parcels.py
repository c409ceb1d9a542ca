#!/usr/bin/env python3
"""Generate the Khojaly phase-1 parcels and exclusion zones (geodata/khojaly/).

Deterministic: the outlines below are designed by hand in metres on a local
frame anchored at the Khojaly town core (46.79 E, 39.91 N, projected to UTM
zone 38N, EPSG:32638).  Each parcel is rotated, then scaled about its
centroid until its area hits the target.  "Area" here is the midpoint of the
geodesic area on the WGS84 ellipsoid and the planar area in EPSG:32638: the
two differ by the UTM scale factor (about 0.02 % at Khojaly), so aiming at
their midpoint puts both within about 0.011 % of the target (the midpoint itself
is within a few m² of it after rounding to 7 decimals).

Exclusion zones are designed in the same local frame, carried by the same
rotation and scaling as their parcel, then scaled about their own centroid to
their target planar area.  The stream buffer is a 20 m buffer of a stream
centre line clipped to the parcel shrunk by 0.5 m, so that after rounding to
7 decimals (about 1 cm) it stays strictly inside the parcel in both WGS84 and
EPSG:32638.

Outputs (RFC 7946: WGS84 lon/lat, no "crs" member, counter-clockwise
exteriors, clockwise holes, 7 decimals):
  geodata/khojaly/parcels.geojson
  geodata/khojaly/exclusions.geojson
and it updates only the "access_points" member of geodata/khojaly/scenario.json
(an access point is a parcel vertex, so it lies exactly on the parcel edge).

Usage:
  python3 -m venv /tmp/geovenv && /tmp/geovenv/bin/pip install shapely==2.2.0 pyproj==3.7.2
  /tmp/geovenv/bin/python tools/make_khojaly_parcels.py
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

from pyproj import Geod, Transformer
from shapely import affinity
from shapely.geometry import LineString, Polygon
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "geodata" / "khojaly"

DECIMALS = 7
PLANNING_CRS = "EPSG:32638"
CORE_LON, CORE_LAT = 46.79, 39.91  # Khojaly town core (approximate)

TO_UTM = Transformer.from_crs("EPSG:4326", PLANNING_CRS, always_xy=True)
TO_LL = Transformer.from_crs(PLANNING_CRS, "EPSG:4326", always_xy=True)
GEOD = Geod(ellps="WGS84")
ANCHOR_E, ANCHOR_N = TO_UTM.transform(CORE_LON, CORE_LAT)

# --------------------------------------------------------------------------
# Design, in metres on the local frame (x east, y north, origin = town core).
# Exterior rings are listed counter-clockwise, holes clockwise.
# --------------------------------------------------------------------------

PARCELS = [
    {
        "id": "P1-A",
        "name": "Phase 1, section A (north-east)",
        "section": "A",
        "target_m2": 167.0 * 10_000,
        "rotation_deg": 10.0,  # about the town core, counter-clockwise
        # An L that wraps the north-east of the existing core: a north arm
        # running west-east and an east arm running south.  The inner
        # (concave) edge faces the core.
        "exterior": [
            (-650, 720), (-300, 690), (80, 740), (420, 700), (690, 660),
            (720, 300), (700, -80), (760, -460), (1020, -430), (1240, -380),
            (1270, 60), (1230, 520), (1290, 980), (1180, 1260), (700, 1240),
            (250, 1290), (-250, 1230), (-640, 1190), (-700, 950),
        ],
        # An existing block that is kept (not part of the parcel).
        "holes": [
            [(100, 905), (95, 1040), (190, 1075), (340, 1050), (320, 890)],
        ],
        "access_vertex": (420, 700),  # on the edge facing the core road
    },
    {
        "id": "P1-B",
        "name": "Phase 1, section B (south-east)",
        "section": "B",
        "target_m2": 18.0 * 10_000,
        "rotation_deg": -25.0,  # about the parcel's own design centre
        "centre": (450, -1000),
        "exterior": [
            (-250, -170), (-60, -205), (170, -190), (245, -60), (230, 120),
            (120, 200), (-90, 190), (-230, 110), (-265, -20),
        ],
        "holes": [],
        "access_vertex": (-90, 190),  # north edge, facing the core
    },
]

EXCLUSIONS = [
    {
        "id": "A-memorial",
        "parcel_id": "P1-A",
        "kind": "memorial",
        "name": "Khojaly genocide memorial site",
        "target_m2": 15_000,
        "ring": [(-260, 765), (-120, 755), (-105, 860), (-190, 885), (-265, 850)],
    },
    {
        "id": "A-park",
        "parcel_id": "P1-A",
        "kind": "green_space",
        "name": "Neighbourhood park",
        "target_m2": 20_000,
        "ring": [(850, 140), (1010, 120), (1060, 210), (1020, 270), (870, 265)],
    },
    {
        "id": "A-existing-building",
        "parcel_id": "P1-A",
        "kind": "existing_building",
        "name": "Existing pumping station (retained)",
        "target_m2": 1_000,
        "ring": [(932, -264), (968, -264), (968, -236), (932, -236)],
    },
    {
        "id": "A-stream-buffer",
        "parcel_id": "P1-A",
        "kind": "river_buffer",
        "name": "20 m buffer of the stream crossing the north-east corner",
        "buffer_m": 20.0,
        # Centre line of the stream; it crosses the parcel's north-east corner.
        "line": [(900, 1400), (1080, 1180), (1200, 1000), (1400, 880)],
    },
    {
        "id": "B-green",
        "parcel_id": "P1-B",
        "kind": "green_space",
        "name": "Green space and playground",
        "target_m2": 3_000,
        # Relative to P1-B's design centre.
        "ring": [(-30, -25), (32, -28), (35, 22), (-5, 30), (-32, 20)],
    },
]

BOUNDARY_INSET_M = 0.5  # clipped exclusions stay this far inside the parcel


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------

def rnd(v: float) -> float:
    return round(v, DECIMALS)


def to_lonlat(poly_utm: Polygon, decimals: int | None = DECIMALS) -> Polygon:
    """Project a UTM polygon to WGS84 lon/lat, rounded to `decimals` (None: unrounded)."""

    def ring(coords):
        xs, ys = zip(*coords)
        lons, lats = TO_LL.transform(xs, ys)
        if decimals is None:
            return list(zip(lons, lats))
        return [(round(lo, decimals), round(la, decimals)) for lo, la in zip(lons, lats)]

    return orient(Polygon(ring(poly_utm.exterior.coords),
                          [ring(h.coords) for h in poly_utm.interiors]), sign=1.0)


def to_utm(poly_ll: Polygon) -> Polygon:
    def ring(coords):
        xs, ys = zip(*coords)
        es, ns = TO_UTM.transform(xs, ys)
        return list(zip(es, ns))

    return Polygon(ring(poly_ll.exterior.coords), [ring(h.coords) for h in poly_ll.interiors])


def shoelace(coords) -> float:
    pts = list(coords)
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:]))


def planar_area_m2(poly_ll: Polygon) -> float:
    """Area in EPSG:32638 (shoelace on projected vertices), holes subtracted."""
    p = to_utm(poly_ll)
    return abs(shoelace(p.exterior.coords)) - sum(abs(shoelace(h.coords)) for h in p.interiors)


def geodesic_area_m2(poly_ll: Polygon) -> float:
    """Geodesic area on the WGS84 ellipsoid (m²), holes subtracted.

    Each ring is measured on its own (pyproj.Geod.geometry_area_perimeter, abs
    value) so the result does not depend on ring orientation."""
    outer = abs(GEOD.geometry_area_perimeter(Polygon(poly_ll.exterior))[0])
    return outer - sum(abs(GEOD.geometry_area_perimeter(Polygon(h))[0]) for h in poly_ll.interiors)


def local_to_utm(pts, rotation_deg, origin=(0.0, 0.0), centre=(0.0, 0.0)):
    """Rotate design points about `origin` (local metres), shift by `centre`, then to UTM."""
    a = math.radians(rotation_deg)
    c, s = math.cos(a), math.sin(a)
    ox, oy = origin
    out = []
    for x, y in pts:
        dx, dy = x - ox, y - oy
        out.append((ANCHOR_E + centre[0] + ox + c * dx - s * dy,
                    ANCHOR_N + centre[1] + oy + s * dx + c * dy))
    return out


def fit_area(poly_utm: Polygon, target_m2: float, measure) -> tuple[Polygon, float]:
    """Scale poly_utm about its centroid until measure(lon/lat polygon) == target.

    The fit runs on unrounded coordinates (rounding to 7 decimals moves
    vertices by up to ~1 cm, which would make the iteration jitter), then the
    result is rounded once.  Returns the rounded lon/lat polygon and the
    linear scale factor."""
    centroid = poly_utm.centroid
    factor = 1.0
    for _ in range(50):
        candidate = affinity.scale(poly_utm, factor, factor, origin=centroid)
        got = measure(to_lonlat(candidate, decimals=None))
        if abs(got - target_m2) < 1e-3:
            break
        factor *= math.sqrt(target_m2 / got)
    else:
        sys.exit(f"area fit did not converge (target {target_m2} m², got {got} m²)")
    # Rounding shifts the area by a few m²; a few refinement steps on the
    # rounded coordinates take it back to within about 1 m², keeping the best.
    best = None
    for _ in range(20):
        ll = to_lonlat(affinity.scale(poly_utm, factor, factor, origin=centroid))
        got = measure(ll)
        if best is None or abs(got - target_m2) < best[0]:
            best = (abs(got - target_m2), ll, factor)
        if abs(got - target_m2) < 0.5:
            break
        factor *= math.sqrt(target_m2 / got)
    return best[1], best[2]


def midpoint_area(poly_ll: Polygon) -> float:
    return 0.5 * (geodesic_area_m2(poly_ll) + planar_area_m2(poly_ll))


def ring_coords(ring) -> list[list[float]]:
    return [[lo, la] for lo, la in ring.coords]


def feature(fid: str, poly_ll: Polygon, props: dict) -> dict:
    coords = [ring_coords(poly_ll.exterior)] + [ring_coords(h) for h in poly_ll.interiors]
    return {"type": "Feature", "id": fid, "properties": props,
            "geometry": {"type": "Polygon", "coordinates": coords}}


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------

def build():
    parcels_ll: dict[str, Polygon] = {}
    transforms: dict[str, dict] = {}
    access: dict[str, dict] = {}
    parcel_features = []

    for spec in PARCELS:
        centre = spec.get("centre", (0.0, 0.0))
        rot = spec["rotation_deg"]
        ext = local_to_utm(spec["exterior"], rot, centre=centre)
        holes = [local_to_utm(h, rot, centre=centre) for h in spec["holes"]]
        raw = Polygon(ext, holes)
        ll, factor = fit_area(raw, spec["target_m2"], midpoint_area)
        if not ll.is_valid:
            sys.exit(f"{spec['id']}: generated polygon is invalid")
        parcels_ll[spec["id"]] = ll
        transforms[spec["id"]] = {"rot": rot, "centre": centre,
                                  "origin": raw.centroid, "factor": factor}

        # Access point: the designed vertex after rotation and scaling.
        ax, ay = local_to_utm([spec["access_vertex"]], rot, centre=centre)[0]
        o = raw.centroid
        ax, ay = o.x + factor * (ax - o.x), o.y + factor * (ay - o.y)
        alon, alat = TO_LL.transform(ax, ay)
        alon, alat = rnd(alon), rnd(alat)
        ring = list(ll.exterior.coords)[:-1]
        idx = min(range(len(ring)), key=lambda i: (ring[i][0] - alon) ** 2 + (ring[i][1] - alat) ** 2)
        access[spec["id"]] = {"lon": ring[idx][0], "lat": ring[idx][1], "exterior_vertex_index": idx}

        props = {"id": spec["id"], "name": spec["name"], "phase": 1,
                 "section": spec["section"], "target_area_ha": spec["target_m2"] / 10_000}
        parcel_features.append(feature(spec["id"], ll, props))

    exclusion_features = []
    for spec in EXCLUSIONS:
        pid = spec["parcel_id"]
        t = transforms[pid]
        o, f = t["origin"], t["factor"]

        def carry(pts):
            utm = local_to_utm(pts, t["rot"], centre=t["centre"])
            return [(o.x + f * (x - o.x), o.y + f * (y - o.y)) for x, y in utm]

        parcel_utm = to_utm(parcels_ll[pid])
        if "line" in spec:
            stream = LineString(carry(spec["line"]))
            strip = stream.buffer(spec["buffer_m"], quad_segs=4)
            inset = parcel_utm.buffer(-BOUNDARY_INSET_M, join_style="mitre")
            geom = strip.intersection(inset)
            if geom.geom_type != "Polygon":
                sys.exit(f"{spec['id']}: clipped buffer is {geom.geom_type}, expected one Polygon")
            ll = to_lonlat(geom.simplify(0.01))
        else:
            poly = Polygon(carry(spec["ring"]))
            ll, _ = fit_area(poly, spec["target_m2"], planar_area_m2)
        props = {"id": spec["id"], "name": spec["name"], "kind": spec["kind"], "parcel_id": pid}
        if "buffer_m" in spec:
            props["buffer_m"] = spec["buffer_m"]
        exclusion_features.append(feature(spec["id"], ll, props))

    return parcel_features, exclusion_features, access


_POSITION = re.compile(r"\[\s+(-?[0-9.]+),\s+(-?[0-9.]+)\s+\]")


def dump(path: Path, obj: dict) -> None:
    """Write indented JSON with each [lon, lat] position kept on one line."""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    path.write_text(_POSITION.sub(r"[\1, \2]", text) + "\n", encoding="utf-8")


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    parcels, exclusions, access = build()
    dump(OUT_DIR / "parcels.geojson", {"type": "FeatureCollection", "features": parcels})
    dump(OUT_DIR / "exclusions.geojson", {"type": "FeatureCollection", "features": exclusions})

    scenario_path = OUT_DIR / "scenario.json"
    if scenario_path.exists():
        scenario = json.loads(scenario_path.read_text(encoding="utf-8"))
        scenario["access_points"] = access
        dump(scenario_path, scenario)
    else:
        print(f"note: {scenario_path} not found; access points: {access}", file=sys.stderr)

    for feat in parcels:
        ll = Polygon(feat["geometry"]["coordinates"][0], feat["geometry"]["coordinates"][1:])
        print(f"{feat['id']}: geodesic {geodesic_area_m2(ll) / 1e4:.4f} ha, "
              f"EPSG:32638 {planar_area_m2(ll) / 1e4:.4f} ha, "
              f"{len(ll.exterior.coords) - 1} vertices, {len(ll.interiors)} hole(s)")
    for feat in exclusions:
        ll = Polygon(feat["geometry"]["coordinates"][0])
        print(f"  {feat['id']} ({feat['properties']['kind']}): {planar_area_m2(ll) / 1e4:.4f} ha")
    return 0


if __name__ == "__main__":
    sys.exit(main())
