"""Atomic, idempotent bulk loads: binary COPY into staging tables, swapped in one transaction.

A load either commits every table of a dataset together with its version in
ops.loaded_datasets, or changes nothing; a failed or killed load leaves the previous data.

1. Stage: each frame is converted slice by slice to Arrow typed as its target columns
   (tanso.db.arrow), encoded by pgpq (in Rust) and streamed by binary COPY into a fresh
   staging table. The live tables are not touched or locked, so apps keep reading them
   however long this takes.
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
import psycopg
import sqlalchemy as sa
from psycopg import sql

from tanso.db import arrow


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


def connect(engine: sa.Engine) -> psycopg.Connection:
    """A psycopg connection to the engine's database; not in autocommit."""
    return psycopg.connect(engine.url.set(drivername="postgresql")
                           .render_as_string(hide_password=False))


def _q(statement: str, **identifiers) -> str:
    """`statement` with {name} placeholders filled by quoted identifiers ("schema.table" ok)."""
    parts = {k: sql.Identifier(*v.split(".")) if isinstance(v, str) else
             sql.SQL(", ").join(sql.Identifier(c) for c in v) for k, v in identifiers.items()}
    return sql.SQL(statement).format(**parts).as_string(None)


def column_types(cursor, table: str, columns: list[str]) -> list[tuple[str, int]]:
    """PostgreSQL (type name, typmod) of `columns` of `table`, in that order."""
    cursor.execute(
        "SELECT a.attname, t.typname, a.atttypmod FROM pg_attribute a "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped", (table,))
    types = {name: (typname, typmod) for name, typname, typmod in cursor.fetchall()}
    if missing := [c for c in columns if c not in types]:
        raise ValueError(f"{table} has no column(s) {', '.join(missing)}")
    return [types[c] for c in columns]


# The COPY is written in batches of about this many bytes, so the server parses one while
# the next is converted and encoded (and no encoded copy of the whole frame is ever held).
COPY_BATCH_BYTES = 1 << 20


def copy_frame(cursor, table: str, frame: pd.DataFrame, *, staging: str) -> None:
    """Binary COPY of a frame (columns by name) into `staging`, typed as `table`'s columns."""
    columns = list(frame.columns)
    types = column_types(cursor, table, columns)
    encoder = arrow.copy_encoder(frame, types, table=table)
    # an exception inside the block aborts the COPY (psycopg sends CopyFail) and propagates
    with cursor.copy(_q("COPY {s} ({c}) FROM STDIN (FORMAT binary)", s=staging, c=columns)
                     ) as copy:
        copy.write(encoder.write_header())
        for batch in arrow.batches_for(frame, types, table=table,
                                       batch_bytes=COPY_BATCH_BYTES):
            copy.write(encoder.write_batch(batch))
        copy.write(encoder.finish())


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
        cursor.execute(_q("DROP TABLE IF EXISTS {s}", s=staging))
        cursor.execute(_q("CREATE TABLE {s} (LIKE {t} INCLUDING DEFAULTS)",
                          s=staging, t=load.table))
    else:
        staging = "staging_" + load.table.replace(".", "_")
        cursor.execute(_q("CREATE TEMP TABLE {s} (LIKE {t} INCLUDING DEFAULTS) ON COMMIT DROP",
                          s=staging, t=load.table))
    copy_frame(cursor, load.table, load.frame, staging=staging)
    if partition:  # built once over all rows; ATTACH adopts a primary key, not a bare index
        cursor.execute(_q("ALTER TABLE {s} ADD PRIMARY KEY ({k})", s=staging, k=load.key))
    return _Staged(load, staging, partition)


def _name_primary_key(cursor, partition: str) -> None:
    """Give the swapped-in partition's primary key the partition's own name (<table>_pkey),
    so constraint names do not drift with the staging table's name from load to load."""
    cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
                   "AND contype = 'p'", (partition,))
    name = partition.rpartition(".")[2] + "_pkey"
    if (current := cursor.fetchone()[0]) != name:
        cursor.execute(_q("ALTER TABLE {p} RENAME CONSTRAINT {old} TO {new}",
                          p=partition, old=current, new=name))


def _swap(cursor, staged: _Staged) -> int:
    load, columns = staged.load, list(staged.load.frame.columns)
    if staged.partition:
        cursor.execute("SELECT pg_get_expr(relpartbound, oid) FROM pg_class "
                       "WHERE oid = %s::regclass", (staged.partition,))
        bounds = cursor.fetchone()[0]  # e.g. FOR VALUES FROM (MINVALUE) TO (MAXVALUE)
        cursor.execute(_q("ALTER TABLE {t} DETACH PARTITION {p}",
                          t=load.table, p=staged.partition))
        cursor.execute(_q("ALTER TABLE {t} ATTACH PARTITION {s} ", t=load.table,
                          s=staged.staging) + bounds)
        cursor.execute(_q("DROP TABLE {p}", p=staged.partition))
        name = staged.partition.rpartition(".")[2]
        cursor.execute(_q("ALTER TABLE {s} RENAME TO {name}", s=staged.staging, name=name))
        _name_primary_key(cursor, staged.partition)
    elif load.mode == "replace":
        cursor.execute(_q("DELETE FROM {t}", t=load.table))
        cursor.execute(_q("INSERT INTO {t} ({c}) SELECT {c} FROM {s}", t=load.table,
                          c=columns, s=staged.staging))
    else:
        updates = [sql.SQL("{c} = EXCLUDED.{c}").format(c=sql.Identifier(c))
                   for c in columns if c not in load.key]
        action = (sql.SQL("UPDATE SET ") + sql.SQL(", ").join(updates) if updates
                  else sql.SQL("NOTHING"))
        cursor.execute(sql.SQL("INSERT INTO {t} ({c}) SELECT {c} FROM {s} "
                               "ON CONFLICT ({k}) DO {action}").format(
            t=sql.Identifier(*load.table.split(".")), s=sql.Identifier(staged.staging),
            c=sql.SQL(", ").join(map(sql.Identifier, columns)),
            k=sql.SQL(", ").join(map(sql.Identifier, load.key)), action=action).as_string(None))
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
    with connect(engine) as conn:  # closing without commit rolls back
        with conn.cursor() as cursor:
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
        conn.commit()
    return rows
