"""The sector app's data, read once per process, database and set of loaded versions, shared by threads
(`tanso.ui.per_version`, the kit's cache the world map's geometry uses too)."""

import threading
import time

import pandas as pd
import pytest
import sqlalchemy as sa

from tanso.emissions import queries as emission_queries
from tanso.ui.sectors import store

VERSIONS = {"owid_co2": "2025-05", "gir_inventory": "2024"}


@pytest.fixture
def reads(monkeypatch):
    """Counts the reads of the marts; the loaded versions come from `loaded`, never from a database."""
    calls, loaded = [], dict(VERSIONS)

    def read(engine, versions):
        calls.append(versions)
        time.sleep(0.05)  # long enough for concurrent first calls to overlap
        return store.SectorData(emissions=pd.DataFrame(), tree=pd.DataFrame(), kaya=pd.DataFrame(),
                                versions=versions)

    monkeypatch.setattr(store, "_read", read)
    monkeypatch.setattr(emission_queries, "loaded_versions", lambda engine: dict(loaded))
    store._sector_data.clear()
    yield calls, loaded
    store._sector_data.clear()


def test_same_versions_same_data_and_a_new_load_reads_again(reads):
    calls, loaded = reads
    engine = sa.create_engine("postgresql+psycopg://u:secret@db/tanso")  # never connected: reads are faked
    first = store.load_sector_data(engine)
    assert first.versions == VERSIONS
    assert store.load_sector_data(engine) is first
    assert store.load_sector_data(sa.create_engine("postgresql+psycopg://u:other@db/tanso")) is first
    loaded.clear()
    loaded.update(reversed(list(VERSIONS.items())))  # the same versions listed in another order
    assert store.load_sector_data(engine) is first and len(calls) == 1
    loaded["owid_co2"] = "2025-11"  # a new load while serving
    newer = store.load_sector_data(engine)
    assert newer is not first and newer.versions["owid_co2"] == "2025-11" and len(calls) == 2
    assert store.load_sector_data(sa.create_engine("postgresql+psycopg://u@elsewhere/tanso")) is not newer
    assert len(calls) == 3


def test_concurrent_first_sessions_read_once(reads):
    calls, _ = reads
    engine = sa.create_engine("postgresql+psycopg://u@db/tanso")
    got = []
    threads = [threading.Thread(target=lambda: got.append(store.load_sector_data(engine))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(got) == 6 and all(g is got[0] for g in got)
