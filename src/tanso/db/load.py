"""Atomic, idempotent bulk loads: COPY into a staging table, swap in one transaction.

A load either commits every table of a dataset together with its version in
ops.loaded_datasets, or changes nothing: readers keep seeing the previous data while a
load runs (MVCC), and a load that fails or is killed midway leaves it in place.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import sqlalchemy as sa


@dataclass(frozen=True)
class TableLoad:
    table: str                      # schema-qualified, e.g. "core.national_indicators"
    frame: pd.DataFrame             # columns named as in the table
    key: tuple[str, ...]            # primary key columns
    mode: Literal["replace", "upsert"] = "replace"  # upsert keeps rows the frame lacks


@dataclass(frozen=True)
class LoadedVersion:
    dataset: str
    version: str
    sha256: str


def loaded_version(engine: sa.Engine, dataset: str) -> LoadedVersion | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT dataset, version, sha256 FROM ops.loaded_datasets WHERE dataset = :d"),
            {"d": dataset},
        ).one_or_none()
    return LoadedVersion(*row) if row else None


def is_loaded(engine: sa.Engine, dataset: str, version: str, sha256: str) -> bool:
    return loaded_version(engine, dataset) == LoadedVersion(dataset, version, sha256)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV without header, written by Arrow's C++ writer (fast, exact floats)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(include_header=False))
    return sink.getvalue()


def copy_frame(cursor, table: str, frame: pd.DataFrame) -> None:
    """COPY a frame into `table` (columns by name) through psycopg 3."""
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(csv_bytes(frame))


def _swap_in(cursor, load: TableLoad) -> int:
    staging = "staging_" + load.table.replace(".", "_")
    cursor.execute(
        f"CREATE TEMP TABLE {staging} (LIKE {load.table} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    copy_frame(cursor, staging, load.frame)
    columns = ", ".join(f'"{c}"' for c in load.frame.columns)
    insert = f"INSERT INTO {load.table} ({columns}) SELECT {columns} FROM {staging}"
    if load.mode == "replace":
        cursor.execute(f"DELETE FROM {load.table}")
    else:
        updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in load.frame.columns
                            if c not in load.key)
        keys = ", ".join(load.key)
        insert += f" ON CONFLICT ({keys}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING")
    cursor.execute(insert)
    return len(load.frame)


def load_dataset(
    engine: sa.Engine,
    loads: list[TableLoad],
    *,
    dataset: str,
    version: str,
    sha256: str,
    run_id: str | None = None,
) -> int:
    """Write all `loads` and record the dataset version in one transaction; return rows written."""
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            rows = sum(_swap_in(cursor, load) for load in loads)
            cursor.execute(
                """
                INSERT INTO ops.loaded_datasets (dataset, version, sha256, rows, run_id, loaded_at)
                VALUES (%s, %s, %s, %s, %s, now())
                ON CONFLICT (dataset) DO UPDATE SET version = EXCLUDED.version,
                    sha256 = EXCLUDED.sha256, rows = EXCLUDED.rows, run_id = EXCLUDED.run_id,
                    loaded_at = EXCLUDED.loaded_at
                """,
                (dataset, version, sha256, rows, run_id),
            )
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    return rows
