#!/usr/bin/env python3
"""Writes a synthetic scenario ten times Khojaly phase 1: one ~1,000-ha parcel near Khojaly
with 2,890 buildings (Khojaly's program x 10), for the layout benchmark. `--scale 100` gives
28,900 buildings on ~10,000 ha.

    python3 tools/make_synthetic_scenario.py OUT_DIR [--scale 10]

So that the network side is exercised at scale too, the scenario has an access point (a
boundary vertex), the five utility sources outside the parcel (each on a different side, so
trunks are routed around the parcel over its edge easement and open land), and exclusion zones
inside it: a 20-m stream buffer across one corner (a kind marked crossable in
`rules.crossings.kinds`, so streets and utilities may bridge it) and a park.

Standard library only. The parcel is drawn in metres (a rotated, slightly concave outline)
and converted to WGS84 with a local equirectangular approximation, which is plenty for a
benchmark input; siteplan itself measures it with PROJ.
"""
import argparse, json, math, os

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--scale", type=int, default=10)
args = ap.parse_args()

lon0, lat0 = 46.86, 39.95
m_per_deg_lat = 111_030.0
m_per_deg_lon = 111_320.0 * math.cos(math.radians(lat0))
side = math.sqrt(args.scale * 100 * 10_000)  # ~1,000 ha at scale 10
outline = [(0, 0), (1.25, 0.05), (1.3, 0.55), (1.05, 0.62), (1.1, 1.0), (0.1, 0.95), (-0.05, 0.5), (0, 0)]
angle = math.radians(17)
def lonlat(u, v):
    """A point given in units of the outline (0..1.3 x 0..1) as [lon, lat]."""
    x, y = u * side * 0.92, v * side * 0.92
    xr, yr = x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle)
    return [round(lon0 + xr / m_per_deg_lon, 7), round(lat0 + yr / m_per_deg_lat, 7)]

ring = [lonlat(u, v) for u, v in outline]
ring[-1] = ring[0]

def polygon_feature(fid, name, kind, points):
    coords = [lonlat(u, v) for u, v in points]
    coords.append(coords[0])
    return {"type": "Feature", "id": fid, "properties": {"id": fid, "name": name, "kind": kind, "parcel_id": "SYN"},
            "geometry": {"type": "Polygon", "coordinates": [coords]}}

# A stream across the north-east corner, buffered 20 m each side (in outline units), and a park.
w = 20.0 / (side * 0.92)
stream = [(0.8, 1.1), (1.2, 0.5)]
(u0, v0), (u1, v1) = stream
du, dv = u1 - u0, v1 - v0
norm = math.hypot(du, dv)
nu, nv = -dv / norm * w, du / norm * w
exclusions = {"type": "FeatureCollection", "features": [
    polygon_feature("SYN-stream-buffer", "20 m buffer of a stream", "river_buffer",
                    [(u0 + nu, v0 + nv), (u1 + nu, v1 + nv), (u1 - nu, v1 - nv), (u0 - nu, v0 - nv)]),
    polygon_feature("SYN-park", "Park", "green_space", [(0.45, 0.35), (0.6, 0.35), (0.6, 0.47), (0.45, 0.47)]),
]}

os.makedirs(args.out, exist_ok=True)
parcels = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "SYN", "properties": {"id": "SYN", "name": "Synthetic", "phase": 1},
           "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
json.dump(parcels, open(os.path.join(args.out, "parcels.geojson"), "w"))
json.dump(exclusions, open(os.path.join(args.out, "exclusions.geojson"), "w"))

k = args.scale
def t(key, label, count, fp, lot, front, storeys, units, depth=None):
    d = {"type": key, "label": label, "count": count, "footprint_m": fp, "lot_m2": lot, "lot_frontage_m": front, "storeys": storeys, "units_per_building": units}
    if depth: d["lot_depth_m"] = depth
    return d
scenario = {
    "name": f"Synthetic x{k}", "settlement": "Synthetic", "planning_crs": "EPSG:32638", "as_of": "2026-11-27",
    "layers": {"parcels": "parcels.geojson", "exclusions": "exclusions.geojson"},
    "rules": {"street_width_m": {"primary": 14.0, "local": 10.0}, "setbacks_m": {"front": 5.0, "side": 3.0, "rear": 5.0},
              "min_building_spacing_m": 6.0, "block_depth_m": 70.0, "max_block_length_m": 250.0,
              "crossings": {"kinds": ["river_buffer"]}},
    # The access point: the outline's first vertex (the south-west corner).
    "access_points": {"SYN": {"lon": ring[0][0], "lat": ring[0][1], "exterior_vertex_index": 0}},
    # Sources outside the parcel, on every side: trunks must go round it, never across it.
    "utilities": {"service_distance_m": 30.0, "sources": {
        "water": dict(zip(("lon", "lat"), lonlat(0.5, 1.15)), name="Water intake (north)"),
        "sewer": dict(zip(("lon", "lat"), lonlat(1.4, -0.1)), name="Treatment plant (south-east)"),
        "power": dict(zip(("lon", "lat"), lonlat(-0.2, 0.6)), name="Substation (west)"),
        "gas": dict(zip(("lon", "lat"), lonlat(0.6, -0.15)), name="Gas station (south)"),
        "telecom": dict(zip(("lon", "lat"), lonlat(1.45, 0.8)), name="Exchange (east)"),
    }},
    "programs": {"SYN": [
        t("individual_house", "Individual house", 140 * k, [12, 10], [600, 900], [18, 25], 2, 1),
        t("cottage", "Cottage-style house", 48 * k, [10, 9], [450, 700], [16, 20], 2, 1),
        t("apartment_building_12", "Apartment building", 7 * k, [48, 14], [2500, 4000], [54, 57], 4, 12, 70),
        t("apartment_building_13", "Apartment building", 2 * k, [48, 14], [2500, 4000], [54, 57], 4, 13, 70),
        t("finnish_house", "Finnish-style house", 92 * k, [10, 8], [450, 700], [16, 20], 1, 1),
    ]},
}
json.dump(scenario, open(os.path.join(args.out, "scenario.json"), "w"), indent=1)
print(f"wrote {args.out}: 1 parcel, {sum(e['count'] for e in scenario['programs']['SYN'])} buildings, "
      f"{len(exclusions['features'])} exclusion zones, {len(scenario['utilities']['sources'])} utility sources")
