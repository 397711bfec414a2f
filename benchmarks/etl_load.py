"""The project's loader against raw binary COPY of the same frame (printed figures).

    python benchmarks/etl_load.py [--repeat 5]

Loads the tidy OWID frame (50,191 rows × 78 columns) through `tanso.db.load.load_dataset`
into a table shaped like core.national_indicators (partitioned, one partition): binary COPY
into staging, index, partition swap and version record in one transaction. In the same run,
alternating, the baseline: psycopg's binary COPY (`write_row`, C-accelerated) of the same frame
into an empty plain table with the same primary key, timed from the frame (NaN → NULL rows)
and, as a lower bound, from rows already prepared. Uses DATABASE_URL or the embedded server.
Target: loader ≤ 1.5 × raw COPY of the frame.
"""

from __future__ import annotations

import argparse
import statistics
import time

import sqlalchemy as sa

from tanso import catalog
from tanso.db.engine import check_connection, get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.emissions import national

SCRATCH = "ops.bench_raw_copy"
TARGET = "ops.bench_loader"


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    engine = check_connection(get_engine())
    owid = catalog.read("owid_co2")
    countries = national.build_countries(owid)
    frame = national.tidy_owid(owid, countries)
    columns = list(frame.columns)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {SCRATCH}, {TARGET}"))
        conn.execute(sa.text(f"CREATE TABLE {SCRATCH} (LIKE core.national_indicators)"))
        conn.execute(sa.text(f"ALTER TABLE {SCRATCH} ADD PRIMARY KEY (country_code, year)"))
        conn.execute(sa.text(f"CREATE TABLE {TARGET} (LIKE core.national_indicators) "
                             "PARTITION BY RANGE (year)"))
        conn.execute(sa.text(f"ALTER TABLE {TARGET} ADD PRIMARY KEY (country_code, year)"))
        conn.execute(sa.text(f"CREATE TABLE {TARGET}_current PARTITION OF {TARGET} "
                             "FOR VALUES FROM (MINVALUE) TO (MAXVALUE)"))
    types = ["text", "int2"] + ["float8"] * (len(columns) - 2)

    def python_rows() -> list[tuple]:
        return list(frame.astype(object).where(frame.notna(), None)
                    .itertuples(index=False, name=None))

    prepared = python_rows()

    def raw_binary_copy(rows: list[tuple] | None = None) -> None:
        rows = python_rows() if rows is None else rows
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur:
                cur.execute(f"TRUNCATE {SCRATCH}")
                names = ", ".join(f'"{c}"' for c in columns)
                with cur.copy(f"COPY {SCRATCH} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(types)
                    for row in rows:
                        copy.write_row(row)
            raw.commit()
        finally:
            raw.close()

    def project_loader() -> None:
        load_dataset(engine, [TableLoad(TARGET, frame, key=("country_code", "year"))],
                     dataset="bench_owid", version="bench", sha256="0" * 64)

    try:
        raw_samples, prepared_samples, loader_samples = [], [], []
        for _ in range(args.repeat):  # alternate, so background load hits all alike
            raw_samples += timed(raw_binary_copy, 1)
            prepared_samples += timed(lambda: raw_binary_copy(prepared), 1)
            loader_samples += timed(project_loader, 1)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {SCRATCH}, {TARGET}"))
            conn.execute(sa.text("DELETE FROM ops.loaded_datasets WHERE dataset = 'bench_owid'"))

    raw_median, prepared_median, loader_median = map(
        statistics.median, (raw_samples, prepared_samples, loader_samples))
    print(f"frame: {len(frame):,} rows × {len(columns)} columns; {args.repeat} runs each; "
          f"database {engine.url.render_as_string(hide_password=True)}")
    print(f"raw binary COPY of the frame (write_row):          median {raw_median:.3f} s")
    print(f"  of rows already prepared (lower bound):          median {prepared_median:.3f} s")
    print(f"tanso loader (staging COPY + index + swap):        median {loader_median:.3f} s")
    print(f"ratio loader / raw COPY of the frame: {loader_median / raw_median:.2f} (target ≤ 1.5); "
          f"loader / prepared rows: {loader_median / prepared_median:.2f}")


if __name__ == "__main__":
    main()
