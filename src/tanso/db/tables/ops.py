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
    # interrupted: Ctrl-C/SIGTERM recorded by the run; abandoned: its process died (migration 0009)
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
