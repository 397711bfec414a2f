"""How countries-110m-simplified.geojson was made from world-atlas 2.0.2 (kept for provenance; not run by Tanso).

    python simplify.py /path/to/countries-110m.json /path/to/countries-110m.geojson 0.2 > countries-110m-simplified.geojson

Douglas–Peucker runs on the TopoJSON *arcs*, not on each country, so a border shared by two countries is
simplified once and both keep the same line (no slivers or gaps). ISO alpha-3 codes and names come from
the GeoJSON copy in /work/shared/data/geo (derived from the ISO numeric ids with pycountry); coordinates
are rounded to 2 decimals (≈1 km, below a pixel on a world map).
"""

import json
import sys

import numpy as np


def decode_arcs(topology: dict) -> list[np.ndarray]:
    scale, translate = np.array(topology["transform"]["scale"]), np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    if len(points) < 3:
        return points
    start, end = points[0], points[-1]
    if np.allclose(start, end):  # a closed arc (an island): split at the point farthest from its start
        far = int(np.argmax(np.hypot(*(points - start).T)))
        if far == 0:
            return points[:1]
        return np.vstack([douglas_peucker(points[: far + 1], tolerance)[:-1], douglas_peucker(points[far:], tolerance)])
    direction = end - start
    length = np.hypot(*direction)
    offset = points - start
    distance = np.abs(direction[0] * offset[:, 1] - direction[1] * offset[:, 0]) / length
    far = int(np.argmax(distance))
    if distance[far] <= tolerance:
        return np.vstack([start, end])
    return np.vstack([douglas_peucker(points[: far + 1], tolerance)[:-1], douglas_peucker(points[far:], tolerance)])


def ring(arc_ids: list[int], arcs: list[np.ndarray]) -> list[list[float]]:
    points = []
    for index in arc_ids:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc.tolist() if not points else arc[1:].tolist())
    return [[round(x, 2), round(y, 2)] for x, y in points]


def clip(points: list[list[float]], edge: float, keep_below: bool) -> list[list[float]]:
    """Sutherland–Hodgman: the part of a ring on one side of the meridian `edge`."""
    inside = (lambda p: p[0] <= edge) if keep_below else (lambda p: p[0] >= edge)
    out = []
    for a, b in zip(points, points[1:] + points[:1]):
        if inside(b):
            if not inside(a):
                out.append([edge, a[1] + (b[1] - a[1]) * (edge - a[0]) / (b[0] - a[0])])
            out.append(b)
        elif inside(a):
            out.append([edge, a[1] + (b[1] - a[1]) * (edge - a[0]) / (b[0] - a[0])])
    return out + out[:1] if out else out


def split_at_antimeridian(points: list[list[float]]) -> list[list[list[float]]]:
    """A ring that crosses 180° (Russia's Chukotka, Fiji) as one ring each side, as RFC 7946 asks;
    drawn uncut it would streak across the whole map."""
    lons = np.array([p[0] for p in points])
    if not (np.abs(np.diff(lons)) > 180).any():
        return [points]
    unwrapped = np.degrees(np.unwrap(np.radians(lons)))
    ring = [[float(x), y] for x, (_, y) in zip(unwrapped, points)]
    if unwrapped.max() > 180:  # spills east of 180°: that part goes to the western edge
        inside, spill = clip(ring, 180.0, keep_below=True), clip(ring, 180.0, keep_below=False)
        spill = [[x - 360, y] for x, y in spill]
    else:  # spills west of -180°
        inside, spill = clip(ring, -180.0, keep_below=False), clip(ring, -180.0, keep_below=True)
        spill = [[x + 360, y] for x, y in spill]
    return [[[round(x, 2), round(y, 2)] for x, y in part] for part in (inside, spill) if len(part) >= 4]


def main(topojson_path: str, geojson_path: str, tolerance: float) -> None:
    topology = json.load(open(topojson_path))
    codes = {f["properties"]["name"]: f["properties"] for f in json.load(open(geojson_path))["features"]}
    arcs = [douglas_peucker(arc, tolerance) for arc in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        kept = []
        for polygon in polygons:
            rings = [ring(r, arcs) for r in polygon]
            rings = [r for r in rings if len(r) >= 4]  # a ring simplified to a line is dropped
            if not rings:
                continue
            exterior = split_at_antimeridian(rings[0])
            if len(exterior) == 1:
                kept.append(rings)
            else:  # holes never cross 180° in this file
                kept.extend([part] for part in exterior)
        properties = codes[geometry["properties"]["name"]]
        features.append({"type": "Feature",
                         "properties": {"iso_a3": properties["iso_a3"], "name": properties["name"]},
                         "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
