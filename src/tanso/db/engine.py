"""One SQLAlchemy engine per process, pointed at DATABASE_URL or the embedded server."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, unquote

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tanso.config import settings
from tanso.errors import UserError


class DatabaseUnavailable(UserError):
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


URL_FORM = "postgresql://user:password@host:5432/database"
# query parameters libpq treats as secrets; shown as *** like the password
SECRET_PARAMETERS = {"password", "sslpassword", "passfile"}


def parse_database_url(raw: str) -> sa.URL:
    """DATABASE_URL as a psycopg 3 URL: a URL or a libpq keyword string (`host=… dbname=…`).

    A password holding an unescaped `@` is read up to the last `@`, as libpq and browsers do.
    Errors never repeat the value, which may hold a password.
    """
    raw = raw.strip()
    if "://" not in raw and "=" in raw:
        url = _from_keywords(raw)
    else:
        scheme, sep, rest = raw.partition("://")
        netloc, slash, path = rest.partition("/")
        if sep and netloc.count("@") > 1:  # p@ss in the password: escape all but the last @
            userinfo, _, hostport = netloc.rpartition("@")
            user, colon, password = userinfo.partition(":")
            netloc = f"{quote(unquote(user), safe='')}{colon}{quote(unquote(password), safe='')}@{hostport}"
            raw = f"{scheme}://{netloc}{slash}{path}"
        try:
            url = make_url(raw)
        except (sa.exc.ArgumentError, ValueError) as exc:
            problem = "its port is not a number" if "int()" in str(exc) else "it cannot be parsed"
            raise DatabaseUnavailable(f"DATABASE_URL is not a database URL ({problem}); "
                                      f"expected {URL_FORM}") from None
    backend = url.get_backend_name()
    if backend not in ("postgresql", "postgres"):
        raise DatabaseUnavailable(f"DATABASE_URL names a {backend!r} database; Tanso needs "
                                  f"PostgreSQL: {URL_FORM}")
    # plain postgresql:// URLs (as Kubernetes secrets often hold) use psycopg 3, the driver installed
    return url.set(drivername="postgresql+psycopg")


def _from_keywords(raw: str) -> sa.URL:
    from psycopg import conninfo

    try:
        params = conninfo.conninfo_to_dict(raw)
    except Exception:  # psycopg.ProgrammingError; the value is not repeated (password)
        raise DatabaseUnavailable("DATABASE_URL is neither a URL nor a valid libpq keyword "
                                  f"string (host=… dbname=…); expected {URL_FORM}") from None
    port = params.pop("port", None)
    if port is not None and not str(port).isdigit():
        raise DatabaseUnavailable(f"DATABASE_URL: port {port!r} is not a number")
    return sa.URL.create("postgresql+psycopg", username=params.pop("user", None),
                         password=params.pop("password", None), host=params.pop("host", None),
                         port=int(port) if port else None, database=params.pop("dbname", None),
                         query={k: str(v) for k, v in params.items()})


def _with_psycopg_driver(url: str) -> str:
    return parse_database_url(url).render_as_string(hide_password=False)


@lru_cache(maxsize=4)
def _engine_for(url: str, *, pre_ping: bool = True, application_name: str = "tanso") -> sa.Engine:
    return sa.create_engine(
        url,
        pool_pre_ping=pre_ping,  # a restarted server must not break a running app
        pool_size=5,
        max_overflow=5,
        pool_recycle=1800,
        connect_args={"connect_timeout": 5, "application_name": application_name},
    )


def get_engine(*, start_embedded: bool = True, pre_ping: bool = True,
               application_name: str = "tanso") -> sa.Engine:
    """The process's engine for the configured database. `pre_ping=False` saves the round trip
    that checks each connection before use; the caller then retries once after a disconnect
    (tanso.auth.web does, for the session check on every request)."""
    return _engine_for(database_url(start_embedded=start_embedded), pre_ping=pre_ping,
                       application_name=application_name)


def redacted(url: str | sa.URL) -> str:
    """The URL to show or log: password and secret query parameters as ***, by parsing."""
    try:
        parsed = url if isinstance(url, sa.URL) else parse_database_url(url)
    except DatabaseUnavailable:
        return "<DATABASE_URL that cannot be parsed>"
    query = {k: ("***" if k.lower() in SECRET_PARAMETERS else v) for k, v in parsed.query.items()}
    return parsed.set(query=query).render_as_string(hide_password=True)


def _without_secrets(text: str, url: sa.URL) -> str:
    """A driver message may quote the connection string: never let it carry the password."""
    for secret in [url.password, *(v for k, v in url.query.items() if k.lower() in SECRET_PARAMETERS)]:
        if secret:
            text = text.replace(str(secret), "***")
    return text


def check_connection(engine: sa.Engine | None = None) -> sa.Engine:
    """Open one connection or raise DatabaseUnavailable naming the server and the cause."""
    engine = engine or get_engine()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        cause = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"cannot connect to {redacted(engine.url)}: {_without_secrets(cause, engine.url)}"
        ) from None
    return engine
