"""Loader figures: pgpq vs ADBC vs the numpy encoder vs psycopg write_row vs the floor.

    python benchmarks/etl_load.py [--repeat 5] [--typed-rows 200000]

Two frames, each staged the way tanso.db.load stages a big fact table — a fresh table
LIKE the target, binary COPY, ADD PRIMARY KEY on the key — inside a transaction that is
rolled back, alternating methods so background load hits all alike:

- OWID: the tidy OWID frame (50,191 rows × 78 columns: text, smallint, 76 float8);
- typed: a synthetic frame with dates, timestamps, numeric(14,4), jsonb, bool, float8.

Methods: `floor` = COPY of a pre-encoded binary buffer (taken from the server with COPY TO)
plus the index, the database's own work; `pgpq` = the loader's COPY (tanso.db.load.copy_frame:
the frame converted to Arrow slice by slice, encoded by pgpq and streamed in ~1 MiB batches);
`adbc` = ADBC's adbc_ingest of the same Arrow data in batches of the same size; `encoder` =
tanso's former numpy encoder (benchmarks/pgbinary.py, float/int/bool/text only) → COPY;
`write_row` = psycopg's C-accelerated binary COPY of Python rows. Then the whole loader
(tanso.db.load.load_dataset: stage, swap, version record). Target: loader ≤ 1.2 × floor.
Beside each wall time: CPU seconds of this process and of its server process (from /proc, when
the server runs on this machine) — on a shared machine wall time also measures the queue.
Prepares its own database (DATABASE_URL or the embedded server, migrated to head), and drops
what it creates.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import sqlalchemy as sa
from adbc_driver_postgresql import dbapi as adbc

from tanso import catalog
from tanso.db import arrow, load, migrations
from tanso.db.engine import check_connection, get_engine
from tanso.emissions import national

sys.path.insert(0, str(Path(__file__).parent))
import pgbinary  # the former encoder, kept here as a baseline

OWID_TABLE, TYPED_TABLE = "ops.bench_owid", "ops.bench_typed"
KEY = {OWID_TABLE: ("country_code", "year"), TYPED_TABLE: ("project_id", "year")}
TARGET_RATIO = 1.2


def owid_frame() -> pd.DataFrame:
    owid = catalog.read("owid_co2")
    return national.tidy_owid(owid, national.build_countries(owid))


def typed_frame(n: int) -> pd.DataFrame:
    """Shaped like registry transactions: ids, dates, instants, money-like amounts, JSON."""
    rng = np.random.default_rng(6)
    start = np.datetime64("2010-01-01")
    days = start + rng.integers(0, 5000, n).astype("timedelta64[D]")
    frame = pd.DataFrame({
        "project_id": pd.array([f"VCS-{i // 4:06d}" for i in range(n)], dtype="string"),
        "year": (2000 + np.arange(n) % 4).astype("int16"),
        "issued_on": days.astype("datetime64[s]"),
        "recorded_at": pd.to_datetime(days, utc=True) + pd.to_timedelta(
            rng.integers(0, 86_400_000_000, n), unit="us"),
        "quantity": np.round(rng.random(n) * 1e6, 4),
        "detail": [{"serial": f"S{i}", "vintage": 2000 + i % 20} if i % 5 else None
                   for i in range(n)],
        "share": np.where(rng.random(n) < 0.1, np.nan, rng.random(n)),
        "corsia": rng.random(n) < 0.3,
    })
    frame["issued_on"] = frame["issued_on"].dt.date
    return frame


def create_tables(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {OWID_TABLE}, {TYPED_TABLE}"))
        conn.execute(sa.text(f"CREATE TABLE {OWID_TABLE} (LIKE core.national_indicators) "
                             "PARTITION BY RANGE (year)"))
        conn.execute(sa.text(
            f"CREATE TABLE {TYPED_TABLE} (project_id text NOT NULL, year smallint NOT NULL, "
            "issued_on date, recorded_at timestamptz, quantity numeric(14, 4), detail jsonb, "
            "share double precision, corsia boolean) PARTITION BY RANGE (year)"))
        for table, key in KEY.items():
            conn.execute(sa.text(f"ALTER TABLE {table} ADD PRIMARY KEY ({', '.join(key)})"))
            conn.execute(sa.text(f"CREATE TABLE {table}_current PARTITION OF {table} "
                                 "FOR VALUES FROM (MINVALUE) TO (MAXVALUE)"))


def psycopg_url(engine: sa.Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


class Stage:
    """One staging of `frame` into a table LIKE `table`: COPY by some method, then index."""

    def __init__(self, engine: sa.Engine, table: str, frame: pd.DataFrame):
        self.engine, self.table, self.frame = engine, table, frame
        self.columns = list(frame.columns)
        self.names = ", ".join(f'"{c}"' for c in self.columns)
        with psycopg.connect(psycopg_url(engine)) as conn, conn.cursor() as cur:
            cur.execute("SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t "
                        "ON t.oid = a.atttypid WHERE a.attrelid = %s::regclass AND a.attnum > 0",
                        (table,))
            types = dict(cur.fetchall())
        self.pg_types = [types[c] for c in self.columns]
        with load.connect(engine) as conn, conn.cursor() as cur:
            self.types = load.column_types(cur, table, self.columns)  # with typmods
        # the loader's own statement: ATTACH adopts a primary key (a bare unique index would
        # be built a second time by ATTACH)
        self.index_statement = (f"ALTER TABLE {table}_bench ADD PRIMARY KEY "
                                f"({', '.join(KEY[table])})")

        self.server_cpu: float | None = None  # of the last method's server process

    def _psycopg(self, write) -> None:
        with psycopg.connect(psycopg_url(self.engine)) as conn, conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {self.table}_bench (LIKE {self.table})")
            with cur.copy(f"COPY {self.table}_bench ({self.names}) FROM STDIN (FORMAT binary)"
                          ) as copy:
                write(copy)
            cur.execute(self.index_statement)
            conn.rollback()
            self.server_cpu = backend_cpu(conn.info.backend_pid)

    def pre_encoded(self) -> bytes:
        query = f"COPY (SELECT {self.names} FROM {self.table}) TO STDOUT (FORMAT binary)"
        with (psycopg.connect(psycopg_url(self.engine)) as conn, conn.cursor() as cur,
              cur.copy(query) as copy):
            return b"".join(bytes(block) for block in copy)

    def floor(self, buffer: bytes) -> None:
        self._psycopg(lambda copy: copy.write(buffer))

    def encoder(self) -> None:
        def write(copy):
            for chunk in pgbinary.encode_chunks(self.frame, self.pg_types):
                copy.write(chunk)
        self._psycopg(write)

    def write_row(self) -> None:
        def write(copy):
            copy.set_types(self.pg_types)
            frame = self.frame.astype(object).where(self.frame.notna(), None)
            for column, pg_type in zip(self.columns, self.pg_types, strict=True):
                if pg_type == "numeric":  # psycopg dumps Decimal, not float, as numeric
                    frame[column] = frame[column].map(lambda v: None if v is None
                                                      else Decimal(repr(v)))
            for row in frame.itertuples(index=False, name=None):
                copy.write_row(row)
        self._psycopg(write)

    def pgpq(self) -> None:
        """The loader's COPY (tanso.db.load.copy_frame: pgpq, streamed in batches) + index."""
        with load.connect(self.engine) as conn, conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {self.table}_bench (LIKE {self.table})")
            load.copy_frame(cur, self.table, self.frame, staging=f"{self.table}_bench")
            cur.execute(self.index_statement)
            conn.rollback()
            self.server_cpu = backend_cpu(conn.info.backend_pid)

    def adbc(self) -> None:
        """ADBC's adbc_ingest of the same Arrow data, in batches of the loader's size + index
        (its built-in type table: the default reads pg_type on every connect)."""
        with (adbc.connect(psycopg_url(self.engine),
                           db_kwargs={"adbc.postgresql.type_resolver_mode": "builtin"}) as conn,
              conn.cursor() as cur):
            cur.execute(f"CREATE TABLE {self.table}_bench (LIKE {self.table})")
            data = arrow.table_for(self.frame, self.types, table=self.table)
            rows = max(1, load.COPY_BATCH_BYTES * data.num_rows // max(1, data.nbytes))
            schema, _, name = f"{self.table}_bench".rpartition(".")
            cur.adbc_ingest(name, data.to_reader(max_chunksize=rows), mode="append",
                            db_schema_name=schema)
            cur.execute(self.index_statement)
            conn.rollback()
            cur.execute("SELECT pg_backend_pid()")
            self.server_cpu = backend_cpu(cur.fetchone()[0])

    def loader(self) -> None:
        load.load_dataset(self.engine, [load.TableLoad(self.table, self.frame,
                                                       key=KEY[self.table])],
                          dataset=f"bench_{self.table}", version="bench", sha256="0" * 64)

    def measured_loader(self) -> None:
        """loader(), noting its server process's CPU just before its connection closes."""
        @contextmanager
        def connect(engine):
            with connect_for_load(engine) as conn:
                yield conn
                self.server_cpu = backend_cpu(conn.info.backend_pid)
        connect_for_load, load.connect = load.connect, connect
        try:
            self.loader()
        finally:
            load.connect = connect_for_load


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float | None:
    """CPU seconds used so far by the server process `pid`; None when this machine does not
    run it (a remote server)."""
    try:
        if b"postgres" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return None
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)
    client_cpu: list[float] = field(default_factory=list)  # this process
    server_cpu: list[float] = field(default_factory=list)  # its server process

    @property
    def cpu(self) -> list[float]:
        return [c + s for c, s in zip(self.client_cpu, self.server_cpu, strict=True)]


def sample(stage: Stage, fn, samples: Samples) -> None:
    stage.server_cpu = None
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    samples.wall.append(time.perf_counter() - start)
    if stage.server_cpu is not None:
        samples.client_cpu.append(time.process_time() - start_cpu)
        samples.server_cpu.append(stage.server_cpu)


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values):6.3f} s  p95 {p95:6.3f} s"


def bench(stage: Stage, repeat: int, methods: list[str]) -> dict[str, Samples]:
    stage.loader()  # loads the table once, so the floor's buffer comes from the server
    buffer = stage.pre_encoded()
    runs = {"floor": lambda: stage.floor(buffer), "pgpq": stage.pgpq, "adbc": stage.adbc,
            "encoder": stage.encoder,
            "write_row": stage.write_row, "loader": stage.measured_loader}
    samples = {m: Samples() for m in methods}
    for _ in range(repeat):  # alternate, so background load hits all alike
        for method in methods:
            sample(stage, runs[method], samples[method])
    return samples


def report(title: str, samples: dict[str, Samples]) -> None:
    print(f"\n{title}")
    labels = {"floor": "floor: COPY pre-encoded buffer + index",
              "pgpq": "pgpq + COPY, streamed + index (loader's)",
              "adbc": "ADBC adbc_ingest, Arrow batches + index",
              "encoder": "numpy encoder + COPY + index",
              "write_row": "psycopg write_row + index",
              "loader": "tanso loader (stage + swap + version)"}
    floor, floor_cpu = samples["floor"].wall, samples["floor"].cpu
    for method, each in samples.items():
        line = (f"  {labels[method]:<42} {summary(each.wall)}  "
                f"{statistics.median(each.wall) / statistics.median(floor):5.2f}× floor")
        if each.cpu and floor_cpu:
            line += (f"  | CPU {statistics.median(each.cpu):6.3f} s "
                     f"{statistics.median(each.cpu) / statistics.median(floor_cpu):5.2f}× "
                     f"(client {statistics.median(each.client_cpu):.3f} + server "
                     f"{statistics.median(each.server_cpu):.3f})")
        print(line)
    ratio = statistics.median(samples["loader"].wall) / statistics.median(floor)
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"  loader / floor = {ratio:.2f} (target ≤ {TARGET_RATIO}: {verdict})")
    if floor_cpu and samples["loader"].cpu:
        print(f"  CPU (client process + its server process), loader / floor = "
              f"{statistics.median(samples['loader'].cpu) / statistics.median(floor_cpu):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--typed-rows", type=int, default=200_000)
    args = parser.parse_args()

    engine = check_connection(get_engine())
    migrations.upgrade(engine)  # a fresh home has an empty database
    create_tables(engine)
    try:
        owid = Stage(engine, OWID_TABLE, owid_frame())
        typed = Stage(engine, TYPED_TABLE, typed_frame(args.typed_rows))
        print(f"database {engine.url.render_as_string(hide_password=True)}; "
              f"{args.repeat} runs of each, alternating")
        report(f"OWID frame: {len(owid.frame):,} rows × {len(owid.columns)} columns",
               bench(owid, args.repeat, ["floor", "pgpq", "adbc", "encoder", "write_row", "loader"]))
        report(f"typed frame: {len(typed.frame):,} rows (text, smallint, date, timestamptz, "
               "numeric, jsonb, float8, bool); the encoder has no dates, numerics or JSON",
               bench(typed, args.repeat, ["floor", "pgpq", "adbc", "write_row", "loader"]))
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {OWID_TABLE}, {TYPED_TABLE}"))
            conn.execute(sa.text("DELETE FROM ops.loaded_datasets WHERE dataset LIKE 'bench_%'"))


if __name__ == "__main__":
    main()
