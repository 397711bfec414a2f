"""What is pinned, what is loaded, what ran: the frames behind `Data & runs` and `tanso up`."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from tanso.catalog import datasets
from tanso.pipelines import dataset_pipelines


def catalog_frame() -> pd.DataFrame:
    rows = [
        {"dataset": d.name, "version": d.version, "licence": d.licence,
         "file_check": d.verify() or "ok", "sha256": d.sha256, "source": d.source_url,
         "attribution": d.attribution}
        for d in datasets()
    ]
    return pd.DataFrame(rows)


def loaded_frame(engine: sa.Engine) -> pd.DataFrame:
    """One row per catalog dataset a pipeline loads, with the version loaded (if any)."""
    with engine.connect() as conn:
        loaded = pd.read_sql(sa.text("SELECT dataset, version AS loaded_version, sha256 AS "
                                     "loaded_sha256, rows, loaded_at, run_id "
                                     "FROM ops.loaded_datasets"), conn)
    pinned = pd.DataFrame([{"dataset": d.name, "catalog_version": d.version, "sha256": d.sha256}
                           for d in datasets() if d.name in dataset_pipelines()])
    frame = pinned.merge(loaded, on="dataset", how="left")
    frame["up_to_date"] = frame["loaded_sha256"].eq(frame["sha256"])
    return frame.drop(columns=["sha256", "loaded_sha256"])


def datasets_to_load(engine: sa.Engine) -> list[str]:
    frame = loaded_frame(engine)
    return frame.loc[~frame["up_to_date"], "dataset"].tolist()


def never_succeeded(engine: sa.Engine, pipelines: set[str]) -> list[str]:
    """Those of `pipelines` with no succeeded step on record (never run here, or only failed)."""
    with engine.connect() as conn:
        ran = set(conn.execute(sa.text(
            "SELECT DISTINCT pipeline FROM ops.pipeline_runs WHERE status = 'succeeded'")).scalars())
    return sorted(pipelines - ran)


def runs_frame(engine: sa.Engine, limit: int = 50) -> pd.DataFrame:
    query = sa.text(
        "SELECT run_id, pipeline, step, ops.run_status(status, pipeline) AS status, "
        "dataset_version, started_at, "
        "extract(epoch FROM finished_at - started_at) AS seconds, rows_written, "
        "split_part(error, E'\\n', 1) AS error "
        "FROM ops.pipeline_runs ORDER BY started_at DESC, id DESC LIMIT :n")
    with engine.connect() as conn:
        return pd.read_sql(query, conn, params={"n": limit})
