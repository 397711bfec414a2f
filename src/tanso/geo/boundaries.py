"""Country boundaries: the pinned GeoJSON → one row per shape, and the Equal Earth projection for drawing.

Pure functions (no Panel, no database): the ETL notebook `notebooks/etl/naturalearth.py` loads
`read_boundaries` into `core.country_boundaries`; the choropleth (`tanso.ui.choropleth`) projects the
rows it reads from `mart.country_boundaries` with `map_shapes`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

# Shape codes that differ from core.countries (Kosovo is OWID_KOS there); data, not code.
CODE_FIXES: dict[str, str] = {k: v for k, v in json.loads(
    Path(__file__).with_name("code_fixes.json").read_text(encoding="utf-8")).items() if not k.startswith("_")}

BOUNDARIES_SCHEMA = pa.DataFrameSchema(
    {
        "name": pa.Column(str, unique=True),
        # ISO 3166-1 alpha-3 or an OWID_* code; NULL for shapes without one (Natural Earth's -99)
        "country_code": pa.Column(str, pa.Check.str_matches(r"^([A-Z]{3}|OWID_[A-Z]+)$"), nullable=True),
        "geometry": pa.Column(str, pa.Check.str_startswith('{"type":"MultiPolygon"')),
    },
    checks=pa.Check(lambda f: ~f["country_code"].dropna().duplicated().any(), error="a country code on two shapes"),
    strict=True,
)


class BoundaryInputError(ValueError):
    """The boundaries file is not the GeoJSON the loader expects; says which feature and why."""


def read_boundaries(path: str | Path) -> pd.DataFrame:
    """One row per shape: its name, its country code (fixed to core.countries' codes) and its geometry.

    The geometry is kept as GeoJSON text (a MultiPolygon in longitude/latitude); a code of "-99" or
    none means the shape belongs to no ISO country and is stored with a NULL code.
    """
    try:
        features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BoundaryInputError(f"{path}: not a GeoJSON FeatureCollection ({error})") from error
    rows = []
    for number, feature in enumerate(features, start=1):
        properties, geometry = feature.get("properties") or {}, feature.get("geometry") or {}
        if not properties.get("name"):
            raise BoundaryInputError(f"{path}: feature {number} has no name")
        if geometry.get("type") == "Polygon":
            geometry = {"type": "MultiPolygon", "coordinates": [geometry["coordinates"]]}
        if geometry.get("type") != "MultiPolygon":
            raise BoundaryInputError(f"{path}: feature {number} ({properties['name']}) is a "
                                     f"{geometry.get('type')!r}, not a (Multi)Polygon")
        code = properties.get("iso_a3")
        code = None if code in (None, "", "-99") else CODE_FIXES.get(code, code)
        rows.append({"name": properties["name"], "country_code": code,
                     "geometry": json.dumps(geometry, separators=(",", ":"))})
    frame = pd.DataFrame(rows, columns=["name", "country_code", "geometry"]).astype(
        {"name": "string", "country_code": "string", "geometry": "string"})
    return BOUNDARIES_SCHEMA.validate(frame.sort_values("name", ignore_index=True))


# Equal Earth (Šavrič, Patterson & Jenny 2018): equal-area, so a big country does not look bigger
# than it is, as Web Mercator would make Russia and Canada. Coefficients from the paper.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = np.sqrt(3) / 2


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project degrees to Equal Earth x, y (unit sphere; x spans ±2.71, y ±1.32)."""
    lam, phi = np.radians(lon), np.radians(lat)
    theta = np.arcsin(_M * np.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * np.sqrt(3) * lam * np.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x, y


def map_shapes(boundaries: pd.DataFrame, *, exclude: tuple[str, ...] = ("ATA",)) -> pd.DataFrame:
    """Projected shapes ready for Bokeh's MultiPolygons: columns country_code, name, xs, ys.

    `xs`/`ys` are nested lists (polygons → rings → float32 arrays), the layout MultiPolygons takes.
    Antarctica is left out by default: it has no emissions and takes a fifth of the map.
    """
    shown = boundaries[~boundaries["country_code"].isin(exclude)]
    xs, ys = [], []
    for text in shown["geometry"]:
        polygons_x, polygons_y = [], []
        for polygon in json.loads(text)["coordinates"]:
            rings = [np.asarray(ring, dtype=float) for ring in polygon]
            projected = [equal_earth(ring[:, 0], ring[:, 1]) for ring in rings]
            polygons_x.append([x.astype(np.float32) for x, _ in projected])
            polygons_y.append([y.astype(np.float32) for _, y in projected])
        xs.append(polygons_x)
        ys.append(polygons_y)
    return pd.DataFrame({"country_code": shown["country_code"].to_numpy(), "name": shown["name"].to_numpy(),
                         "xs": xs, "ys": ys})
