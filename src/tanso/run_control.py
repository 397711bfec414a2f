"""One run of a pipeline at a time, runs that died marked `abandoned`, interrupts said plainly.

Each run holds a PostgreSQL session-level advisory lock keyed by its pipeline's name on a
connection of its own. PostgreSQL releases it when that connection ends, however the process
ends (exit, SIGKILL, OOM, a lost network), so:

- a second run of the same pipeline finds the lock taken and says which run holds it
  (or waits for it with `--wait`);
- a row still `running` while nobody holds its pipeline's lock belongs to a process that is
  gone: the next run marks it `abandoned`, and the SQL function `ops.run_status(status,
  pipeline)` (tanso.db.tables.ops) shows it so at once wherever runs are listed.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

import sqlalchemy as sa

from tanso.errors import Interrupted, UserError

ABANDONED_ERROR = ("the process running this step stopped without recording an end "
                   "(killed, or its database connection was lost)")


class PipelineBusy(UserError):
    """Another run of the pipeline holds its lock."""


@contextlib.contextmanager
def pipeline_lock(engine: sa.Engine, pipeline: str, *, wait: bool = False) -> Iterator[None]:
    """Hold the pipeline's advisory lock for the duration; mark its dead runs `abandoned`."""
    with engine.connect() as conn:
        lock_key = conn.execute(sa.text("SELECT ops.pipeline_lock_key(:p)"),
                                {"p": pipeline}).scalar_one()
        if wait:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": lock_key})
        elif not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key}).scalar_one():
            raise PipelineBusy(_busy_message(conn, pipeline))
        conn.commit()  # the lock is the session's, not the transaction's
        try:
            with engine.begin() as other:
                other.execute(sa.text(
                    "UPDATE ops.pipeline_runs SET status = 'abandoned', finished_at = now(), "
                    "error = coalesce(error, :e) WHERE pipeline = :p AND status = 'running'"),
                    {"p": pipeline, "e": ABANDONED_ERROR})
            yield
        finally:
            with contextlib.suppress(sa.exc.DBAPIError):  # a lost connection released it anyway
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key})
                conn.commit()


def _busy_message(conn: sa.Connection, pipeline: str) -> str:
    row = conn.execute(sa.text(
        "SELECT run_id, step, started_at FROM ops.pipeline_runs WHERE pipeline = :p "
        "AND status = 'running' ORDER BY started_at DESC, id DESC LIMIT 1"), {"p": pipeline}).first()
    holder = (f"run {row.run_id} (step {row.step}, started {row.started_at:%Y-%m-%d %H:%M:%S %Z})"
              if row else "another run that is starting")
    return (f"pipeline {pipeline!r} is already running: {holder}; wait for it to finish, or "
            "rerun with --wait to queue behind it")


@contextlib.contextmanager
def interrupts_raise() -> Iterator[None]:
    """SIGTERM (and SIGINT) raise Interrupted, so the run records what happened before exiting."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def handler(signum, _frame):
        name = signal.Signals(signum).name
        raise Interrupted(name, 128 + signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
