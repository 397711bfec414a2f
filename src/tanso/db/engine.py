"""One SQLAlchemy engine per process, pointed at DATABASE_URL or the embedded server."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tanso.config import settings


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached; the message says which and why."""


def database_url(*, start_embedded: bool = True) -> str:
    """DATABASE_URL when set, else the embedded server's URL (started on demand)."""
    if url := settings().database_url:
        return _with_psycopg_driver(url)
    from tanso.db import embedded

    if start_embedded:
        return embedded.start()
    if url := embedded.running_url():
        return url
    raise DatabaseUnavailable("the embedded database is not running; run `tanso db start`")


def _with_psycopg_driver(url: str) -> str:
    # Accept plain postgresql:// URLs (as Kubernetes secrets often hold) and use psycopg 3.
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@lru_cache(maxsize=4)
def _engine_for(url: str) -> sa.Engine:
    return sa.create_engine(
        url,
        pool_pre_ping=True,  # a restarted server must not break a running app
        pool_size=5,
        max_overflow=5,
        pool_recycle=1800,
        connect_args={"connect_timeout": 5, "application_name": "tanso"},
    )


def get_engine(*, start_embedded: bool = True) -> sa.Engine:
    return _engine_for(database_url(start_embedded=start_embedded))


def redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def check_connection(engine: sa.Engine | None = None) -> sa.Engine:
    """Open one connection or raise DatabaseUnavailable naming the server and the cause."""
    engine = engine or get_engine()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        cause = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"cannot connect to {redacted(str(engine.url))}: {cause}"
        ) from None
    return engine
