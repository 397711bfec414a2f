"""The COPY loader: exact round trip, atomic swap, nothing lost on failure or kill."""

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from tanso.db import arrow, load
from tanso.db.load import TableLoad, is_loaded, load_dataset, loaded_version
from tests.conftest import ROOT

pytestmark = pytest.mark.integration


@pytest.fixture
def scratch(backend):
    """A scratch table in ops (dropped afterwards) with one loaded version."""
    with backend.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS ops.scratch"))
        conn.execute(sa.text("CREATE TABLE ops.scratch (k text PRIMARY KEY, x double precision, "
                             "n integer CHECK (n >= 0))"))
        conn.execute(sa.text("DELETE FROM ops.loaded_datasets WHERE dataset = 'scratch'"))
    first = pd.DataFrame({"k": ["a", "b"], "x": [1.5, np.nan], "n": [1, 2]})
    load_dataset(backend.engine, [TableLoad("ops.scratch", first, key=("k",))],
                 dataset="scratch", version="v1", sha256="1" * 64)
    yield backend
    with backend.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE ops.scratch"))
        conn.execute(sa.text("DELETE FROM ops.loaded_datasets WHERE dataset = 'scratch'"))


def rows(backend):
    with backend.engine.connect() as conn:
        return conn.execute(sa.text("SELECT k, x, n FROM ops.scratch ORDER BY k")).all()


def test_floats_and_nulls_round_trip_exactly(scratch):
    values = [0.1, 1 / 3, 1e-300, 123456789.123456789, -0.0, np.nan]
    frame = pd.DataFrame({"k": list("abcdef"), "x": values, "n": range(6)})
    load_dataset(scratch.engine, [TableLoad("ops.scratch", frame, key=("k",))],
                 dataset="scratch", version="v2", sha256="2" * 64)
    got = [r.x for r in rows(scratch)]
    assert got[:5] == values[:5] and got[5] is None
    assert is_loaded(scratch.engine, "scratch", "v2", "2" * 64)


def test_a_failing_load_keeps_the_previous_data_and_version(scratch):
    bad = pd.DataFrame({"k": ["c"], "x": [3.0], "n": [-1]})  # violates the CHECK constraint
    with pytest.raises(Exception, match="check"):
        load_dataset(scratch.engine, [TableLoad("ops.scratch", bad, key=("k",))],
                     dataset="scratch", version="v3", sha256="3" * 64)
    assert rows(scratch) == [("a", 1.5, 1), ("b", None, 2)]
    assert loaded_version(scratch.engine, "scratch").version == "v1"


def test_upsert_keeps_rows_the_frame_lacks(scratch):
    more = pd.DataFrame({"k": ["b", "c"], "x": [2.0, 3.0], "n": [5, 6]})
    load_dataset(scratch.engine, [TableLoad("ops.scratch", more, key=("k",), mode="upsert")],
                 dataset="scratch", version="v4", sha256="4" * 64)
    assert rows(scratch) == [("a", 1.5, 1), ("b", 2.0, 5), ("c", 3.0, 6)]


@contextmanager
def load_stalled_before_swap(url: str, table: str, frame: dict, key: tuple, dataset: str):
    """A load in another process that stops after its COPY into staging, before the swap and
    COMMIT; the block runs while it waits there, then the process is SIGKILLed."""
    script = textwrap.dedent(f"""
        import time
        import pandas as pd, sqlalchemy as sa
        from tanso.db import load
        def stall(cursor, staged):
            print("staged", flush=True)
            time.sleep(60)
        load._swap = stall
        engine = sa.create_engine({url!r})
        load.load_dataset(engine, [load.TableLoad({table!r}, pd.DataFrame({frame!r}), key={key!r})],
                          dataset={dataset!r}, version="v9", sha256="9" * 64)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "staged"
        yield
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()


def test_a_load_killed_midway_leaves_the_previous_data_readable(scratch):
    with load_stalled_before_swap(scratch.url, "ops.scratch", {"k": ["z"], "x": [9.0], "n": [9]},
                                  ("k",), "scratch"):
        assert rows(scratch) == [("a", 1.5, 1), ("b", None, 2)]  # readers see the old data
    assert rows(scratch) == [("a", 1.5, 1), ("b", None, 2)]
    assert loaded_version(scratch.engine, "scratch").version == "v1"


@pytest.fixture
def partitioned(backend):
    """A table partitioned like core.national_indicators, loaded once."""
    with backend.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS ops.facts"))
        conn.execute(sa.text("CREATE TABLE ops.facts (k text, year smallint, x double precision,"
                             " PRIMARY KEY (k, year)) PARTITION BY RANGE (year)"))
        conn.execute(sa.text("CREATE TABLE ops.facts_current PARTITION OF ops.facts "
                             "FOR VALUES FROM (MINVALUE) TO (MAXVALUE)"))
        conn.execute(sa.text("CREATE VIEW ops.facts_view AS SELECT * FROM ops.facts"))
    yield backend
    with backend.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE ops.facts CASCADE"))
        conn.execute(sa.text("DELETE FROM ops.loaded_datasets WHERE dataset = 'facts'"))


def test_a_partitioned_table_is_swapped_whole_and_its_views_follow(partitioned):
    for version, values in (("v1", [1.0, 2.0]), ("v2", [3.0])):
        frame = pd.DataFrame({"k": ["a", "b"][: len(values)], "year": [2000] * len(values),
                              "x": values})
        load_dataset(partitioned.engine, [TableLoad("ops.facts", frame, key=("k", "year"))],
                     dataset="facts", version=version, sha256=version * 32)
    with partitioned.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT k, x FROM ops.facts_view")).all() == [("a", 3.0)]
        partitions = conn.execute(sa.text(
            "SELECT inhrelid::regclass::text FROM pg_inherits "
            "WHERE inhparent = 'ops.facts'::regclass")).scalars().all()
    assert partitions == ["ops.facts_current"]
    dup = pd.DataFrame({"k": ["a", "a"], "year": [2000, 2000], "x": [1.0, 2.0]})
    with pytest.raises(Exception, match="is duplicated"):  # the unique index is checked
        load_dataset(partitioned.engine, [TableLoad("ops.facts", dup, key=("k", "year"))],
                     dataset="facts", version="v3", sha256="3" * 64)
    assert loaded_version(partitioned.engine, "facts").version == "v2"


def partition_indexes(backend) -> list[tuple[str, bool]]:
    with backend.engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT indexrelid::regclass::text, indisprimary FROM pg_index "
            "WHERE indrelid = 'ops.facts_current'::regclass ORDER BY 1")).all()


def load_facts(backend, version: str, frame: pd.DataFrame) -> None:
    load_dataset(backend.engine, [TableLoad("ops.facts", frame, key=("k", "year"))],
                 dataset="facts", version=version, sha256=version * 32)


def test_the_swapped_partition_has_its_key_built_once_under_a_stable_name(partitioned):
    """ATTACH adopts the staging table's primary key; a bare unique index it would build again."""
    frame = pd.DataFrame({"k": ["a", "b"], "year": [2000, 2001], "x": [1.0, 2.0]})
    for version in ("v1", "v2"):
        load_facts(partitioned, version, frame)
        assert partition_indexes(partitioned) == [("ops.facts_current_pkey", True)]


def test_a_partition_key_named_by_the_former_loader_does_not_block_the_next_load(partitioned):
    """The former loader left the key named after its staging table; the new staging key
    must not collide with it while the old partition still exists."""
    with partitioned.engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE ops.facts_current "
                             "RENAME CONSTRAINT facts_current_pkey TO facts_staging_pkey"))
    load_facts(partitioned, "v1", pd.DataFrame({"k": ["a"], "year": [2000], "x": [1.0]}))
    assert partition_indexes(partitioned) == [("ops.facts_current_pkey", True)]


def test_a_frame_sent_in_many_copy_batches_arrives_whole_and_exact(partitioned, monkeypatch):
    monkeypatch.setattr(load, "COPY_BATCH_BYTES", 256)  # ≈ 10 rows a batch
    monkeypatch.setattr(arrow, "SLICE_ROWS", 64)  # converted 64 rows at a time
    n = 1000
    frame = pd.DataFrame({"k": [f"k{i:04d}" for i in range(n)], "year": np.full(n, 2000),
                          "x": np.where(np.arange(n) % 7 == 0, np.nan, np.arange(n) / 3)})
    load_facts(partitioned, "v1", frame)
    with partitioned.engine.connect() as conn:
        got = conn.execute(sa.text("SELECT k, year, x FROM ops.facts ORDER BY k")).all()
    assert got == [(k, 2000, None if np.isnan(x) else x)
                   for k, x in zip(frame.k, frame.x, strict=True)]


def test_a_bad_value_met_after_batches_were_sent_stops_the_load_naming_it(scratch, monkeypatch):
    monkeypatch.setattr(load, "COPY_BATCH_BYTES", 64)
    monkeypatch.setattr(arrow, "SLICE_ROWS", 8)
    frame = pd.DataFrame({"k": [f"k{i}" for i in range(40)], "x": 1.0,
                          "n": [*range(30), 2**40, *range(9)]})  # n is an integer column
    with pytest.raises(ValueError, match=r"ops\.scratch\.n: cannot load as int4"):
        load_dataset(scratch.engine, [TableLoad("ops.scratch", frame, key=("k",))],
                     dataset="scratch", version="v6", sha256="6" * 64)
    assert rows(scratch) == [("a", 1.5, 1), ("b", None, 2)]
    assert loaded_version(scratch.engine, "scratch").version == "v1"


def test_a_partitioned_load_killed_before_its_swap_leaves_the_old_partition(partitioned):
    load_facts(partitioned, "v1", pd.DataFrame({"k": ["a"], "year": [2000], "x": [1.0]}))
    with load_stalled_before_swap(partitioned.url, "ops.facts",
                                  {"k": ["z"], "year": [2000], "x": [9.0]}, ("k", "year"), "facts"):
        pass
    with partitioned.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT k, x FROM ops.facts")).all() == [("a", 1.0)]
    assert loaded_version(partitioned.engine, "facts").version == "v1"
    load_facts(partitioned, "v2", pd.DataFrame({"k": ["b"], "year": [2000], "x": [2.0]}))
    assert partition_indexes(partitioned) == [("ops.facts_current_pkey", True)]


@pytest.fixture
def typed(backend):
    with backend.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS ops.typed"))
        conn.execute(sa.text("CREATE TABLE ops.typed (k text PRIMARY KEY, day date, "
                             "at timestamptz, amount numeric(12, 4), detail jsonb, y smallint)"))
    yield backend
    with backend.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE ops.typed"))
        conn.execute(sa.text("DELETE FROM ops.loaded_datasets WHERE dataset = 'typed'"))


def test_dates_timestamps_numerics_and_json_round_trip(typed):
    frame = pd.DataFrame({
        "k": ["a", "b"],
        "day": [dt.date(2024, 2, 29), None],
        "at": pd.to_datetime(["2024-02-29T12:34:56.789012Z", None], utc=True),
        "amount": [Decimal("12345678.1234"), None],
        "detail": [{"serial": "S-1", "blocks": [1, 2]}, None],
        "y": [2024, 1999],
    })
    load_dataset(typed.engine, [TableLoad("ops.typed", frame, key=("k",))],
                 dataset="typed", version="v1", sha256="1" * 64)
    with typed.engine.connect() as conn:
        got = conn.execute(sa.text("SELECT * FROM ops.typed ORDER BY k")).all()
    assert got == [
        ("a", dt.date(2024, 2, 29), dt.datetime(2024, 2, 29, 12, 34, 56, 789012, tzinfo=dt.UTC),
         Decimal("12345678.1234"), {"serial": "S-1", "blocks": [1, 2]}, 2024),
        ("b", None, None, None, None, 1999),
    ]


def test_a_value_too_big_for_its_column_is_refused_naming_it(scratch):
    frame = pd.DataFrame({"k": ["c"], "x": [3.0], "n": [2**40]})  # n is an integer column
    with pytest.raises(ValueError, match=r"ops\.scratch\.n: cannot load as int4"):
        load_dataset(scratch.engine, [TableLoad("ops.scratch", frame, key=("k",))],
                     dataset="scratch", version="v5", sha256="5" * 64)
    assert rows(scratch) == [("a", 1.5, 1), ("b", None, 2)]
