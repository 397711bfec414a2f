"""Pipeline run statuses `interrupted` (Ctrl-C or SIGTERM, recorded by the run itself) and
`abandoned` (the process stopped without recording an end: killed, or its connection lost).

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"

STATUSES = ("running", "succeeded", "failed", "skipped", "interrupted", "abandoned")


def _status_check(statuses) -> None:
    op.drop_constraint("status_known", "pipeline_runs", schema="ops", type_="check")
    op.create_check_constraint("status_known", "pipeline_runs",
                               "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")",
                               schema="ops")


# The advisory lock a run holds (tanso.run_control), and a status that reads `abandoned` for a
# row still `running` whose pipeline nobody holds the lock of: its process is gone.
LOCK_KEY = """
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


def upgrade() -> None:
    _status_check(STATUSES)
    op.execute(LOCK_KEY)
    op.execute(RUN_STATUS)


def downgrade() -> None:
    op.execute("DROP FUNCTION ops.run_status(text, text)")
    op.execute("DROP FUNCTION ops.pipeline_lock_key(text)")
    op.execute("UPDATE ops.pipeline_runs SET status = 'failed' "
               "WHERE status IN ('interrupted', 'abandoned')")
    _status_check(STATUSES[:4])
