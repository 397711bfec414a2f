"""Prometheus metrics of the Panel apps: `panel serve ... --plugins tanso.server_metrics`.

Panel has no /metrics endpoint, so this plugin adds one (Panel reads the module's ROUTES)
and, when imported, registers the session hooks and the HTTP request counter. Importing
it anywhere else (a `--setup` script, a test, `pn.serve`) does the same; every hook is
installed once per process.

One process per pod: with `--num-procs N` each forked process keeps its own counters and a
scrape reaches only one of them, so scale with replicas and `--num-threads` instead.
"""

from __future__ import annotations

import asyncio
import time
from functools import wraps
from typing import Self

import tornado.web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

# `*_created` timestamps only double the series count; rate() does not need them.
disable_created_metrics()

# The names are a contract with deploy/grafana and deploy/prometheus (tests check both).
SESSIONS_OPENED = Counter(
    "tanso_app_sessions_opened", "App sessions created (one per page load)", ["app"])
SESSIONS_CLOSED = Counter(
    "tanso_app_sessions_closed", "App sessions destroyed (closed tab or expired)", ["app"])
SESSIONS_LIVE = Gauge(
    "tanso_app_sessions_live", "App sessions created and not yet destroyed", ["app"])
SESSION_BUILD_SECONDS = Histogram(
    "tanso_app_session_build_seconds",
    "From session creation on the server to the browser reporting the page rendered",
    ["app"], buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60))
CALLBACK_SECONDS = Histogram(
    "tanso_app_callback_seconds", "Wall time of app callbacks timed with observe_callback",
    ["app"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
HTTP_REQUESTS = Counter(
    "tanso_http_requests", "HTTP requests answered by the app server, by status code",
    ["status"])
DATABASE_UP = Gauge(
    "tanso_database_up", "1 if `SELECT 1` on the app database succeeded during this scrape")

DATABASE_PROBE_TIMEOUT_SECONDS = 2.0


def app_name(url: str | None) -> str:
    """The `app` label: the app's URL path without slashes, `index` for `/`."""
    return (url or "").strip("/") or "index"


# --- sessions -------------------------------------------------------------------------

def _session_app(session_context) -> str:
    application_context = session_context.server_context.application_context
    return app_name(application_context.url if application_context else None)


def _on_session_created(session_context) -> None:
    app = _session_app(session_context)
    started = time.monotonic()
    SESSIONS_OPENED.labels(app).inc()
    SESSIONS_LIVE.labels(app).inc()

    def rendered(_event) -> None:
        SESSION_BUILD_SECONDS.labels(app).observe(time.monotonic() - started)

    # the browser sends document_ready once the page has rendered (a bare HTTP GET never does)
    session_context._document.on_event("document_ready", rendered)


def _on_session_destroyed(session_context) -> None:
    app = _session_app(session_context)
    SESSIONS_CLOSED.labels(app).inc()
    SESSIONS_LIVE.labels(app).dec()


def install_session_hooks() -> None:
    """Count sessions of every app served by this process (idempotent).

    Must run outside a session: at import of this plugin, or in a `--setup` script.
    """
    import panel as pn

    if _on_session_created not in pn.state._on_session_created:
        pn.state.on_session_created(_on_session_created)
    if _on_session_destroyed not in pn.state._on_session_destroyed:
        pn.state.on_session_destroyed(_on_session_destroyed)


# --- callbacks ------------------------------------------------------------------------

class observe_callback:  # lower case: it reads as a function at the call site
    """Time an app callback into `tanso_app_callback_seconds{app}`, failures included.

    As a context manager, `with observe_callback("national_trends"): ...` (a fresh one per
    `with`); as a decorator, `@observe_callback("national_trends")` on a sync or async
    function, timing every call.
    """

    def __init__(self, app: str):
        self.app = app
        self._started = 0.0

    def __enter__(self) -> Self:
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc_info) -> None:
        CALLBACK_SECONDS.labels(self.app).observe(time.perf_counter() - self._started)

    def __call__(self, func):
        app = self.app
        if asyncio.iscoroutinefunction(func):
            @wraps(func)
            async def timed_async(*args, **kwargs):
                with observe_callback(app):
                    return await func(*args, **kwargs)
            return timed_async

        @wraps(func)
        def timed(*args, **kwargs):
            with observe_callback(app):
                return func(*args, **kwargs)
        return timed


# --- HTTP requests --------------------------------------------------------------------

def install_request_counter() -> None:
    """Count every HTTP response of the Bokeh/Panel server by status (idempotent).

    Tornado calls `Application.log_request(handler)` once per finished request; Bokeh's
    server application is `BokehTornado`, so wrapping its method sees every route
    (apps, static files, websocket upgrades, /liveness, /metrics) and keeps Tornado's
    access log as it was.
    """
    from bokeh.server.tornado import BokehTornado

    original = BokehTornado.log_request
    if getattr(original, "_tanso_counts_requests", False):
        return

    @wraps(original)
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        HTTP_REQUESTS.labels(str(handler.get_status())).inc()
        original(self, handler)

    log_request._tanso_counts_requests = True
    BokehTornado.log_request = log_request


# --- database -------------------------------------------------------------------------

def _database_reachable() -> bool:
    try:
        import sqlalchemy as sa

        from tanso.db.engine import get_engine

        # never start the embedded server from a scrape: no server means "down"
        with get_engine(start_embedded=False).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        return False


async def probe_database(timeout: float = DATABASE_PROBE_TIMEOUT_SECONDS) -> bool:
    """Set `tanso_database_up` from one `SELECT 1`, off the event loop, within `timeout`."""
    loop = asyncio.get_running_loop()
    try:
        up = await asyncio.wait_for(loop.run_in_executor(None, _database_reachable), timeout)
    except TimeoutError:
        up = False
    DATABASE_UP.set(int(up))
    return up


# --- the endpoint ---------------------------------------------------------------------

class MetricsHandler(tornado.web.RequestHandler):
    """`GET /metrics` in the Prometheus text format (default registry: ours + process)."""

    async def get(self) -> None:
        await probe_database()
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.write(generate_latest(REGISTRY))


ROUTES = [("/metrics", MetricsHandler, {})]

install_session_hooks()
install_request_counter()
