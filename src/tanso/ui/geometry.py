"""The world map's geometry, built once per process and loaded boundaries version (`per_version`).

`tanso.geo` reads and projects the shapes (no Panel there); this module adds the rings the
choropleth's Bokeh source sends and caches both together, so every session of every app showing the
map (national trends, the VCM explorer) shares one `MapGeometry` per loaded `naturalearth` version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import sqlalchemy as sa
from bokeh.core.serialization import Serializable

from tanso.geo.queries import no_shapes, world_shapes
from tanso.ui.per_version import per_version

DIGITS = 4  # map units are Earth radii: 1e-4 ≈ 0.6 km, far below what 1:110m boundaries resolve


class Rings(Sequence, Serializable):
    """A geometry column (per shape: polygons → rings → coordinates) that Bokeh sends as it is.

    As float arrays, every ring became one binary websocket frame (~560 for the world), each
    received and decoded on its own: a tenth of a second before the browser could draw the map tab.
    Here the rings are plain rounded numbers, converted once per process; Bokeh neither walks nor
    encodes them again for each session (not a list: Bokeh recurses into lists when it looks for
    models), and the JSON text is about the size of the float32 buffers.
    """

    def __init__(self, shapes):
        self._rep = [[[np.round(np.asarray(ring, dtype=float), DIGITS).tolist() for ring in polygon]
                      for polygon in shape] for shape in shapes]

    def __getitem__(self, index):
        return self._rep[index]

    def __len__(self) -> int:
        return len(self._rep)

    def to_serializable(self, serializer):
        return self._rep


class MapGeometry(NamedTuple):
    """Projected shapes (`tanso.geo.boundaries.map_shapes`: country_code, name, xs, ys) and their rings."""

    shapes: pd.DataFrame
    xs: Rings
    ys: Rings


def map_geometry(shapes: pd.DataFrame) -> MapGeometry:
    """The geometry of projected shapes (for shapes not from the database: tests, an empty world)."""
    return MapGeometry(shapes, Rings(shapes["xs"]), Rings(shapes["ys"]))


@per_version(max_items=2)  # a new version loaded while serving: old + new
def _world_geometry(engine: sa.Engine, version: str) -> MapGeometry:
    return map_geometry(world_shapes(engine))


def world_geometry(engine: sa.Engine | None, version: str | None) -> MapGeometry:
    """The world's geometry for the loaded `naturalearth` version (read by the caller from
    `ops.loaded_datasets`, so a new load is picked up without a query per session); an empty world when
    no boundaries are loaded (`version` None: the engine is not used).

    Built once per process, database and version (`per_version`), even when sessions open the map at once.
    """
    if not version:
        return map_geometry(no_shapes())
    return _world_geometry(engine, version)
