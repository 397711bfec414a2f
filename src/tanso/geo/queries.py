"""Reads of mart.country_boundaries for apps (apps never read core.* directly).

Panel-free: the UI kit caches what these return once per process and loaded version
(`tanso.ui.geometry.world_geometry`).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from tanso.geo.boundaries import map_shapes


def country_boundaries(engine: sa.Engine) -> pd.DataFrame:
    """mart.country_boundaries: country_code (NULL for shapes without one), name, geometry."""
    with engine.connect() as conn:
        return pd.read_sql(sa.text("SELECT country_code, name, geometry FROM mart.country_boundaries ORDER BY name"),
                           conn)


def world_shapes(engine: sa.Engine) -> pd.DataFrame:
    """The loaded boundaries projected for drawing (`map_shapes`): read and projected on every call."""
    return map_shapes(country_boundaries(engine))


def no_shapes() -> pd.DataFrame:
    """The shapes of a database where no boundaries are loaded: a map draws an empty world."""
    return map_shapes(pd.DataFrame(columns=["country_code", "name", "geometry"]))
