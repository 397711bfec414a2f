"""Atomic, idempotent bulk loads: binary COPY into staging tables, swapped in one transaction.

A load either commits every table of a dataset together with its version in
ops.loaded_datasets, or changes nothing; a failed or killed load leaves the previous data.

1. Stage: each frame is COPY'd (binary) into a fresh staging table. The live tables are not
   touched or locked, so apps keep reading them however long this takes.
2. Swap, in the same transaction, briefly:
   - a big fact table is partitioned with a single partition: the staging table (indexed
     after the COPY, which is faster than indexing row by row) replaces that partition by
     DETACH/ATTACH. Views stay valid, as they name the parent, and no row is rewritten;
   - a small table gets DELETE + INSERT ... SELECT from staging;
   - an upsert merges staging into the table on its key (the table keeps other rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
import sqlalchemy as sa
from psycopg import sql

from tanso.db import pgbinary


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


def ident(qualified: str) -> sql.Identifier:
    """`schema.table` (or a bare name) as a quoted identifier — names never enter SQL as text."""
    return sql.Identifier(*qualified.split("."))


def idents(names) -> sql.Composed:
    return sql.SQL(", ").join(sql.Identifier(n) for n in names)


def column_types(cursor, table: str, columns: list[str]) -> list[str]:
    """PostgreSQL type names of `columns` of `table`, in that order."""
    cursor.execute(
        "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped", (table,))
    types = dict(cursor.fetchall())
    if missing := [c for c in columns if c not in types]:
        raise ValueError(f"{table} has no column(s) {', '.join(missing)}")
    return [types[c] for c in columns]


def copy_frame(cursor, table: str, frame: pd.DataFrame) -> None:
    """COPY a frame into `table` (columns by name) in binary format."""
    columns = list(frame.columns)
    types = column_types(cursor, table, columns)
    with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN (FORMAT binary)")
                     .format(ident(table), idents(columns))) as copy:
        for chunk in pgbinary.encode_chunks(frame, types):
            copy.write(chunk)


@dataclass(frozen=True)
class _Staged:
    load: TableLoad
    staging: str
    partition: str | None  # the live partition a partitioned table swaps out


def _single_partition(cursor, table: str) -> str | None:
    """The one partition of a partitioned `table`; None for a plain table."""
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", (table,))
    if cursor.fetchone()[0] != "p":
        return None
    cursor.execute("SELECT inhrelid::regclass::text FROM pg_inherits "
                   "WHERE inhparent = %s::regclass", (table,))
    partitions = [r[0] for r in cursor.fetchall()]
    if len(partitions) != 1:
        raise RuntimeError(f"{table} must have exactly one partition, has {len(partitions)}")
    return partitions[0]


def _stage(cursor, load: TableLoad) -> _Staged:
    partition = _single_partition(cursor, load.table) if load.mode == "replace" else None
    if partition:
        staging = f"{load.table}_staging"
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(ident(staging)))
        cursor.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS)")
                       .format(ident(staging), ident(load.table)))
    else:
        staging = "staging_" + load.table.replace(".", "_")
        cursor.execute(sql.SQL("CREATE TEMP TABLE {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP")
                       .format(ident(staging), ident(load.table)))
    copy_frame(cursor, staging, load.frame)
    if partition:  # the index ATTACH needs, built once over all rows
        cursor.execute(sql.SQL("CREATE UNIQUE INDEX ON {} ({})")
                       .format(ident(staging), idents(load.key)))
    return _Staged(load, staging, partition)


def _swap(cursor, staged: _Staged) -> int:
    load, columns = staged.load, idents(staged.load.frame.columns)
    table, staging = ident(load.table), ident(staged.staging)
    if staged.partition:
        cursor.execute("SELECT pg_get_expr(relpartbound, oid) FROM pg_class "
                       "WHERE oid = %s::regclass", (staged.partition,))
        bounds = sql.SQL(cursor.fetchone()[0])  # PostgreSQL's own rendering of the bound
        partition = ident(staged.partition)
        cursor.execute(sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(table, partition))
        cursor.execute(sql.SQL("ALTER TABLE {} ATTACH PARTITION {} {}")
                       .format(table, staging, bounds))
        cursor.execute(sql.SQL("DROP TABLE {}").format(partition))
        cursor.execute(sql.SQL("ALTER TABLE {} RENAME TO {}")
                       .format(staging, sql.Identifier(staged.partition.split(".")[-1])))
    elif load.mode == "replace":
        cursor.execute(sql.SQL("DELETE FROM {}").format(table))
        cursor.execute(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}")
                       .format(table, columns, columns, staging))
    else:
        updates = [c for c in load.frame.columns if c not in load.key]
        action = (sql.SQL("UPDATE SET {}").format(sql.SQL(", ").join(
            sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in updates))
            if updates else sql.SQL("NOTHING"))
        cursor.execute(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT ({}) DO {}")
                       .format(table, columns, columns, staging, idents(load.key), action))
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
            staged = [_stage(cursor, load) for load in loads]
            rows = sum(_swap(cursor, each) for each in staged)
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
