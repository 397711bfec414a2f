"""Reads of mart.country_boundaries for apps (apps never read core.* directly)."""

from __future__ import annotations

import threading

import pandas as pd
import sqlalchemy as sa

from tanso.geo.boundaries import map_shapes

_CACHE: dict[tuple, pd.DataFrame] = {}
_LOCK = threading.Lock()


def country_boundaries(engine: sa.Engine) -> pd.DataFrame:
    """mart.country_boundaries: country_code (NULL for shapes without one), name, geometry."""
    with engine.connect() as conn:
        return pd.read_sql(sa.text("SELECT country_code, name, geometry FROM mart.country_boundaries ORDER BY name"),
                           conn)


def no_shapes() -> pd.DataFrame:
    """The shapes of a database where no boundaries are loaded: a map draws an empty world."""
    return map_shapes(pd.DataFrame(columns=["country_code", "name", "geometry"]))


def world_map_shapes(engine: sa.Engine, version: str) -> pd.DataFrame:
    """Projected shapes for `tanso.ui.choropleth.Choropleth`, read and projected once per loaded version.

    `version` is the loaded `naturalearth` version (from `ops.loaded_datasets`, which the caller has
    read already), so a new load is picked up without a query per session.
    """
    key = (str(engine.url), version)
    with _LOCK:
        if key not in _CACHE:
            _CACHE.clear()
            _CACHE[key] = map_shapes(country_boundaries(engine))
        return _CACHE[key]
