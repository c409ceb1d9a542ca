#!/usr/bin/env python3
"""Validate a siteplan scenario directory (default: geodata/khojaly).

Checks, each reported as a failure line:
  * GeoJSON shape: FeatureCollection, no "crs" member, Polygon features with a
    top-level "id" equal to properties.id, closed rings, lon/lat in range,
    at most 7 decimals, counter-clockwise exteriors and clockwise holes
    (RFC 7946 section 3.1.6).
  * Validity (shapely/GEOS is_valid) in WGS84 and in the planning CRS.
  * Parcel areas against the expected areas, within 0.5 %, both geodesic on
    WGS84 (pyproj.Geod) and planar in the planning CRS (shoelace).
  * Parcels do not overlap each other; they lie near the settlement.
  * Exclusion zones: a known kind, a known parcel, covered by that parcel,
    not overlapping each other.
  * Scenario: required keys, layer files present, access points on their
    parcel boundary, programs complete, footprints that fit their lots, and
    the phase-1 totals (P1-A: 140 individual houses, 48 cottages, 9 apartment
    buildings with 110 units; P1-B: 92 Finnish houses).

Prints a short table and exits 1 on any failure.

Usage: /tmp/geovenv/bin/python tools/validate_geodata.py [SCENARIO_DIR]
"""

from __future__ import annotations

import json
import math
import sys
from decimal import Decimal
from pathlib import Path

from pyproj import Geod, Transformer
from shapely.geometry import Point, Polygon
from shapely.validation import explain_validity

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_AREA_HA = {"P1-A": 167.0, "P1-B": 18.0}
AREA_TOLERANCE = 0.005  # 0.5 %
MAX_DECIMALS = 7
SETTLEMENT_LONLAT = (46.79, 39.91)
MAX_DISTANCE_FROM_SETTLEMENT_M = 3_000.0
MAX_CENTROID_SEPARATION_M = 2_500.0
EXCLUSION_KINDS = {"existing_building", "memorial", "green_space", "river_buffer", "utility_easement"}
EXPECTED_PROGRAM = {
    # parcel -> type prefix -> (buildings, units)
    "P1-A": {"individual_house": (140, 140), "cottage": (48, 48), "apartment_building": (9, 110)},
    "P1-B": {"finnish_house": (92, 92)},
}
PROGRAM_KEYS = ("type", "label", "count", "footprint_m", "lot_m2", "storeys", "units_per_building")

GEOD = Geod(ellps="WGS84")
failures: list[str] = []


def fail(msg: str) -> None:
    failures.append(msg)


def load(path: Path):
    """Parse JSON keeping numbers as Decimal so decimals can be counted exactly."""
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
    except (OSError, ValueError) as exc:
        fail(f"{path}: cannot read: {exc}")
        return None


def decimals(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return -exp if exp < 0 else 0


def signed_area(ring) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))


def check_ring(where: str, ring, exterior: bool) -> list[tuple[float, float]] | None:
    if not isinstance(ring, list) or len(ring) < 4:
        fail(f"{where}: a ring needs at least 4 positions")
        return None
    pts = []
    for i, pos in enumerate(ring):
        if not isinstance(pos, list) or len(pos) != 2:
            fail(f"{where}: position {i} is not [lon, lat]")
            return None
        lon, lat = pos
        for v in pos:
            if decimals(v) > MAX_DECIMALS:
                fail(f"{where}: position {i} has more than {MAX_DECIMALS} decimals ({v})")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            fail(f"{where}: position {i} is out of range (lon {lon}, lat {lat})")
        pts.append((float(lon), float(lat)))
    if pts[0] != pts[-1]:
        fail(f"{where}: ring is not closed (first {pts[0]} != last {pts[-1]})")
        return None
    a = signed_area(pts)
    if exterior and a <= 0:
        fail(f"{where}: exterior ring is not counter-clockwise")
    if not exterior and a >= 0:
        fail(f"{where}: hole is not clockwise")
    return pts


def read_polygons(path: Path, layer: str) -> list[tuple[str, dict, Polygon]]:
    doc = load(path)
    if doc is None:
        return []
    if doc.get("type") != "FeatureCollection":
        fail(f"{path.name}: not a FeatureCollection")
        return []
    if "crs" in doc:
        fail(f"{path.name}: has a 'crs' member (RFC 7946 forbids it)")
    out = []
    for i, feat in enumerate(doc.get("features", [])):
        fid = feat.get("id")
        props = feat.get("properties") or {}
        where = f"{path.name} feature {i} ({fid})"
        if fid is None or props.get("id") != fid:
            fail(f"{where}: top-level id and properties.id must both be set and equal")
        if "crs" in feat:
            fail(f"{where}: has a 'crs' member")
        geom = feat.get("geometry") or {}
        if geom.get("type") != "Polygon":
            fail(f"{where}: geometry is {geom.get('type')}, expected Polygon")
            continue
        rings = geom.get("coordinates") or []
        parsed = [check_ring(f"{where} ring {r}", ring, r == 0) for r, ring in enumerate(rings)]
        if not parsed or any(p is None for p in parsed):
            continue
        poly = Polygon(parsed[0], parsed[1:])
        if not poly.is_valid:
            fail(f"{where}: invalid in WGS84: {explain_validity(poly)}")
        out.append((str(fid), props, poly))
    return out


def project(poly: Polygon, tr: Transformer) -> Polygon:
    def ring(coords):
        xs, ys = zip(*coords)
        return list(zip(*tr.transform(xs, ys)))

    return Polygon(ring(poly.exterior.coords), [ring(h.coords) for h in poly.interiors])


def planar_area(p: Polygon) -> float:
    """Shoelace area of a projected polygon, holes subtracted (m²)."""
    return abs(signed_area(list(p.exterior.coords))) - sum(abs(signed_area(list(h.coords))) for h in p.interiors)


def geodesic_area(poly: Polygon) -> float:
    """Geodesic area on the WGS84 ellipsoid (m²), holes subtracted.

    Each ring is measured on its own (pyproj.Geod.geometry_area_perimeter, abs
    value) so the result does not depend on ring orientation."""
    outer = abs(GEOD.geometry_area_perimeter(Polygon(poly.exterior))[0])
    return outer - sum(abs(GEOD.geometry_area_perimeter(Polygon(h))[0]) for h in poly.interiors)


def to_int(v) -> int | None:
    return int(v) if isinstance(v, Decimal) and v == int(v) else None


def check_program(pid: str, entries, rules) -> dict[str, tuple[int, int]]:
    """Validate one parcel's program; return type -> (buildings, units)."""
    setbacks = rules.get("setbacks_m", {})
    side, front, rear = (float(setbacks.get(k, 0)) for k in ("side", "front", "rear"))
    totals: dict[str, tuple[int, int]] = {}
    for j, e in enumerate(entries):
        where = f"scenario programs.{pid}[{j}] ({e.get('type')})"
        missing = [k for k in PROGRAM_KEYS if k not in e]
        if missing:
            fail(f"{where}: missing {', '.join(missing)}")
            continue
        count, units, storeys = to_int(e["count"]), to_int(e["units_per_building"]), to_int(e["storeys"])
        if count is None or count <= 0 or units is None or units <= 0 or storeys is None or storeys <= 0:
            fail(f"{where}: count, units_per_building and storeys must be positive integers")
            continue
        w, d = (float(v) for v in e["footprint_m"])
        lo, hi = (float(v) for v in e["lot_m2"])
        if not (w > 0 and d > 0 and 0 < lo <= hi):
            fail(f"{where}: footprint and lot range must be positive, lot min <= max")
        if (w + 2 * side) * (d + front + rear) > hi:
            fail(f"{where}: footprint plus setbacks ({(w + 2 * side) * (d + front + rear):.0f} m²) exceeds the largest lot")
        if "lot_frontage_m" in e and "lot_depth_m" in e:
            fmin, fmax = (float(v) for v in e["lot_frontage_m"])
            depth = float(e["lot_depth_m"])
            if w + 2 * side > fmin + 1e-9:
                fail(f"{where}: footprint width {w} m + side setbacks does not fit the minimum frontage {fmin} m")
            if d + front + rear > depth:
                fail(f"{where}: footprint depth {d} m + front/rear setbacks exceeds lot depth {depth} m")
            if fmin * depth < lo - 1e-6 or fmax * depth > hi + 1e-6:
                fail(f"{where}: frontage x depth ({fmin * depth:.0f}-{fmax * depth:.0f} m²) leaves lot_m2 [{lo:.0f}, {hi:.0f}]")
        prefix = next((p for p in EXPECTED_PROGRAM.get(pid, {}) if e["type"].startswith(p)), e["type"])
        b, u = totals.get(prefix, (0, 0))
        totals[prefix] = (b + count, u + count * units)
    return totals


def main() -> int:
    sdir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "geodata" / "khojaly"
    scenario = load(sdir / "scenario.json") or {}
    for key in ("name", "settlement", "country", "planning_crs", "as_of", "layers", "rules", "programs", "sources"):
        if key not in scenario:
            fail(f"scenario.json: missing '{key}'")
    crs = scenario.get("planning_crs", "EPSG:32638")
    to_plan = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    layers = scenario.get("layers", {})
    parcels = read_polygons(sdir / layers.get("parcels", "parcels.geojson"), "parcels")
    exclusions = read_polygons(sdir / layers.get("exclusions", "exclusions.geojson"), "exclusions")

    by_id: dict[str, tuple[Polygon, Polygon]] = {}
    rows = []
    sx, sy = to_plan.transform(*SETTLEMENT_LONLAT)
    for pid, props, poly in parcels:
        if to_int(props.get("phase")) is None:
            fail(f"parcel {pid}: properties.phase must be an integer")
        if not props.get("name"):
            fail(f"parcel {pid}: properties.name is missing")
        pp = project(poly, to_plan)
        if not pp.is_valid:
            fail(f"parcel {pid}: invalid in {crs}: {explain_validity(pp)}")
        by_id[pid] = (poly, pp)
        geo, pla = geodesic_area(poly), planar_area(pp)
        expected = EXPECTED_AREA_HA.get(pid)
        if expected is None:
            fail(f"parcel {pid}: unexpected parcel id")
            continue
        ge, pe = geo / 1e4 / expected - 1, pla / 1e4 / expected - 1
        for label, err in (("geodesic", ge), (crs, pe)):
            if abs(err) > AREA_TOLERANCE:
                fail(f"parcel {pid}: {label} area off by {err * 100:+.3f} % (limit 0.5 %)")
        c = poly.centroid
        dist = math.hypot(pp.centroid.x - sx, pp.centroid.y - sy)
        if dist > MAX_DISTANCE_FROM_SETTLEMENT_M:
            fail(f"parcel {pid}: centroid is {dist:.0f} m from {SETTLEMENT_LONLAT}")
        rows.append((pid, expected, geo / 1e4, ge, pla / 1e4, pe, len(poly.exterior.coords) - 1,
                     len(poly.interiors), poly.is_valid and pp.is_valid, c.x, c.y))
    for pid in EXPECTED_AREA_HA:
        if pid not in by_id:
            fail(f"parcels: {pid} is missing")

    ids = sorted(by_id)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if by_id[a][1].intersection(by_id[b][1]).area > 0:
                fail(f"parcels {a} and {b} overlap")
    if len(ids) == 2:
        sep = by_id[ids[0]][1].centroid.distance(by_id[ids[1]][1].centroid)
        gap = by_id[ids[0]][1].distance(by_id[ids[1]][1])
        if sep > MAX_CENTROID_SEPARATION_M:
            fail(f"parcels {ids[0]} and {ids[1]}: centroids {sep:.0f} m apart")
    else:
        sep = gap = float("nan")

    ex_rows = []
    ex_by_parcel: dict[str, list[tuple[str, Polygon]]] = {}
    for xid, props, poly in exclusions:
        kind, pid = props.get("kind"), props.get("parcel_id")
        if kind not in EXCLUSION_KINDS:
            fail(f"exclusion {xid}: unknown kind {kind!r}")
        if not props.get("name"):
            fail(f"exclusion {xid}: properties.name is missing")
        if pid not in by_id:
            fail(f"exclusion {xid}: unknown parcel_id {pid!r}")
            continue
        pp = project(poly, to_plan)
        if not pp.is_valid:
            fail(f"exclusion {xid}: invalid in {crs}: {explain_validity(pp)}")
        inside_ll = by_id[pid][0].covers(poly)
        inside_plan = by_id[pid][1].covers(pp)
        if not (inside_ll and inside_plan):
            fail(f"exclusion {xid}: not inside parcel {pid} (WGS84 {inside_ll}, {crs} {inside_plan})")
        ex_by_parcel.setdefault(pid, []).append((xid, pp))
        ex_rows.append((xid, kind, pid, planar_area(pp) / 1e4, inside_ll and inside_plan))
    for pid, items in ex_by_parcel.items():
        for i, (a, pa) in enumerate(items):
            for b, pb in items[i + 1:]:
                if pa.intersection(pb).area > 0.01:
                    fail(f"exclusions {a} and {b} overlap")

    rules = scenario.get("rules", {})
    for key in ("street_width_m", "setbacks_m", "min_building_spacing_m", "block_depth_m"):
        if key not in rules:
            fail(f"scenario rules: missing '{key}'")
    for k, v in rules.get("setbacks_m", {}).items():
        if float(v) < 0:
            fail(f"scenario rules.setbacks_m.{k} is negative")

    for pid, ap in (scenario.get("access_points") or {}).items():
        if pid not in by_id:
            fail(f"scenario access_points: unknown parcel {pid}")
            continue
        e, n = to_plan.transform(float(ap["lon"]), float(ap["lat"]))
        d = by_id[pid][1].exterior.distance(Point(e, n))
        if d > 0.01:
            fail(f"scenario access_points.{pid}: {d:.3f} m off the parcel edge")

    programs = scenario.get("programs", {})
    prog_rows = []
    for pid, expected in EXPECTED_PROGRAM.items():
        if pid not in programs:
            fail(f"scenario programs: {pid} is missing")
            continue
        totals = check_program(pid, programs[pid], rules)
        for t in set(totals) - set(expected):
            fail(f"scenario programs.{pid}: unexpected type {t}")
        for t, (eb, eu) in expected.items():
            b, u = totals.get(t, (0, 0))
            ok = (b, u) == (eb, eu)
            if not ok:
                fail(f"scenario programs.{pid}.{t}: {b} buildings / {u} units, expected {eb} / {eu}")
            prog_rows.append((pid, t, b, u, eb, eu, ok))
    for pid in programs:
        if pid not in by_id:
            fail(f"scenario programs: {pid} is not a parcel")

    print(f"Parcels ({crs} = planar; tolerance ±{AREA_TOLERANCE * 100:.1f} %)")
    print(f"{'id':<6}{'target_ha':>10}{'geodesic_ha':>13}{'err_%':>8}{'planar_ha':>12}{'err_%':>8}"
          f"{'vertices':>10}{'holes':>7}{'valid':>7}{'centroid_lon':>14}{'centroid_lat':>14}")
    for pid, exp, geo, ge, pla, pe, nv, nh, ok, lon, lat in rows:
        print(f"{pid:<6}{exp:>10.1f}{geo:>13.4f}{ge * 100:>+8.3f}{pla:>12.4f}{pe * 100:>+8.3f}"
              f"{nv:>10}{nh:>7}{'yes' if ok else 'NO':>7}{lon:>14.7f}{lat:>14.7f}")
    if len(ids) == 2:
        print(f"centroid separation {sep:.0f} m, nearest edges {gap:.0f} m apart, no overlap: "
              f"{'yes' if by_id[ids[0]][1].intersection(by_id[ids[1]][1]).area == 0 else 'NO'}")
    print()
    print("Exclusion zones")
    print(f"{'id':<22}{'kind':<19}{'parcel':<8}{'area_ha':>9}{'inside':>8}")
    for xid, kind, pid, ha, ok in ex_rows:
        print(f"{xid:<22}{kind:<19}{pid:<8}{ha:>9.4f}{'yes' if ok else 'NO':>8}")
    print()
    print("Programs")
    print(f"{'parcel':<8}{'type':<20}{'buildings':>10}{'units':>7}{'expected':>12}{'ok':>5}")
    for pid, t, b, u, eb, eu, ok in prog_rows:
        print(f"{pid:<8}{t:<20}{b:>10}{u:>7}{f'{eb}/{eu}':>12}{'yes' if ok else 'NO':>5}")
    print()
    if failures:
        print(f"FAILED: {len(failures)} problem(s)")
        for f in failures:
            print(f"  - {f}")
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
