"""The world map's geometry cache: one build per process, database and boundaries version, shared by threads."""

import json
import threading
import time

import pandas as pd
import pytest
import sqlalchemy as sa

from tanso.geo.boundaries import map_shapes
from tanso.ui import geometry


def _shapes() -> pd.DataFrame:
    ring = [[0, 0], [10, 0], [10, 10], [0, 0]]
    return map_shapes(pd.DataFrame({"country_code": ["KOR"], "name": ["Korea"],
                                    "geometry": [json.dumps({"type": "MultiPolygon", "coordinates": [[ring]]})]}))


@pytest.fixture
def reads(monkeypatch):
    """Counts the reads of the boundaries (each one a query and a projection in the served app)."""
    calls = []

    def world_shapes(engine):
        calls.append(str(engine.url))
        time.sleep(0.05)  # long enough for concurrent first calls to overlap
        return _shapes()

    monkeypatch.setattr(geometry, "world_shapes", world_shapes)
    geometry._world_geometry.clear()
    yield calls
    geometry._world_geometry.clear()


def test_one_build_per_version_and_database(reads):
    engine = sa.create_engine("postgresql+psycopg://u:secret@db/tanso")  # never connected: reads are faked
    first = geometry.world_geometry(engine, "2.0.2")
    assert geometry.world_geometry(engine, "2.0.2") is first  # shapes and rings: the same objects
    assert geometry.world_geometry(sa.create_engine("postgresql+psycopg://u:other@db/tanso"), "2.0.2") is first
    assert len(reads) == 1
    newer = geometry.world_geometry(engine, "2.1.0")  # a new load while serving: rebuilt
    assert newer is not first and newer.xs is not first.xs and len(reads) == 2
    assert geometry.world_geometry(sa.create_engine("postgresql+psycopg://u@elsewhere/tanso"), "2.0.2") is not first
    assert len(reads) == 3


def test_concurrent_first_sessions_build_once(reads):
    engine = sa.create_engine("postgresql+psycopg://u@db/tanso")
    got = []
    threads = [threading.Thread(target=lambda: got.append(geometry.world_geometry(engine, "2.0.2")))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 1 and all(g is got[0] for g in got)


def test_no_boundaries_loaded_is_an_empty_world_without_a_query(reads):
    empty = geometry.world_geometry(None, None)
    assert empty.shapes.empty and len(empty.xs) == len(empty.ys) == 0 and reads == []


def test_rings_hold_the_shapes_rounded(reads):
    built = geometry.world_geometry(sa.create_engine("postgresql+psycopg://u@db/tanso"), "2.0.2")
    assert len(built.xs) == len(built.shapes) == 1
    assert built.xs[0][0][0] == [round(float(x), geometry.DIGITS) for x in built.shapes["xs"].iat[0][0][0]]
