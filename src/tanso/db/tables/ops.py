"""`ops.*`: what the pipelines did (runs, loaded dataset versions). Alembic's version table is here too."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from tanso.db.tables import metadata

pipeline_runs = sa.Table(
    "pipeline_runs", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("run_id", sa.Text, nullable=False),
    sa.Column("pipeline", sa.Text, nullable=False),
    sa.Column("step", sa.Text, nullable=False),
    sa.Column("dataset_version", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("rows_written", sa.BigInteger),
    sa.Column("error", sa.Text),
    sa.Column("output_path", sa.Text),
    sa.Column("parameters", JSONB),
    # interrupted: Ctrl-C/SIGTERM recorded by the run; abandoned: its process died (tanso.run_control)
    sa.CheckConstraint("status IN ('running', 'succeeded', 'failed', 'skipped', 'interrupted', "
                       "'abandoned')", name="status_known"),
    sa.Index("pipeline_runs_by_pipeline", "pipeline", "started_at"),
    schema="ops",
)

loaded_datasets = sa.Table(
    "loaded_datasets", metadata,
    sa.Column("dataset", sa.Text, primary_key=True),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("rows", sa.BigInteger, nullable=False),
    sa.Column("run_id", sa.Text),
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False,
              server_default=sa.func.now()),
    schema="ops",
)

# The advisory lock a run holds (tanso.run_control), and a status that reads `abandoned` for a
# row still `running` whose pipeline nobody holds the lock of: its process is gone.
PIPELINE_LOCK_KEY = """
CREATE FUNCTION ops.pipeline_lock_key(pipeline text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT hashtextextended('tanso.pipeline:' || pipeline, 0) $$
"""
RUN_STATUS = """
CREATE FUNCTION ops.run_status(status text, pipeline text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN status = 'running' AND NOT EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.classid = ((ops.pipeline_lock_key(pipeline) >> 32) & 4294967295)::oid
      AND l.objid = (ops.pipeline_lock_key(pipeline) & 4294967295)::oid)
  THEN 'abandoned' ELSE status END
$$
"""
for _function in (PIPELINE_LOCK_KEY, RUN_STATUS):
    sa.event.listen(pipeline_runs, "after_create", sa.DDL(_function))
