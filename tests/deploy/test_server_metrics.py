"""tanso.server_metrics: the /metrics plugin, session hooks, callback timer, request counter."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import panel as pn
import pytest
import tornado.web
from bokeh.document import Document
from bokeh.events import DocumentReady
from prometheus_client import REGISTRY
from tornado.httpclient import AsyncHTTPClient

from tanso import server_metrics
from tests.conftest import free_port

pytestmark = pytest.mark.deploy


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_plugin_declares_the_metrics_route():
    assert [("/metrics", server_metrics.MetricsHandler, {})] == server_metrics.ROUTES


@pytest.mark.parametrize(("url", "app"), [("/national_trends", "national_trends"), ("/", "index"),
                                           (None, "index"), ("/vcm_explorer/", "vcm_explorer")])
def test_app_label_is_the_url_path(url, app):
    assert server_metrics.app_name(url) == app


def test_observe_callback_times_blocks_functions_and_coroutines():
    before = sample("tanso_app_callback_seconds_count", app="unit")

    with server_metrics.observe_callback("unit"):
        time.sleep(0.01)

    @server_metrics.observe_callback("unit")
    def sync(x):
        return x + 1

    @server_metrics.observe_callback("unit")
    async def coro(x):
        return x * 2

    assert sync(1) == 2 and sync.__name__ == "sync"
    assert asyncio.run(coro(2)) == 4
    with pytest.raises(ZeroDivisionError), server_metrics.observe_callback("unit"):
        1 / 0  # noqa: B018 - a failing callback is timed too
    assert sample("tanso_app_callback_seconds_count", app="unit") == before + 4
    assert sample("tanso_app_callback_seconds_sum", app="unit") >= 0.01


def test_session_hooks_are_installed_once_at_import():
    server_metrics.install_session_hooks()
    server_metrics.install_session_hooks()
    assert pn.state._on_session_created.count(server_metrics._on_session_created) == 1
    assert pn.state._on_session_destroyed.count(server_metrics._on_session_destroyed) == 1


def fake_session(url: str):
    application_context = SimpleNamespace(url=url)
    server_context = SimpleNamespace(application_context=application_context)
    return SimpleNamespace(server_context=server_context, _document=Document())


def test_session_lifecycle_counts_and_times_the_build():
    labels = {"app": "unit_app"}
    opened = sample("tanso_app_sessions_opened_total", **labels)
    built = sample("tanso_app_session_build_seconds_count", **labels)
    session = fake_session("/unit_app")

    server_metrics._on_session_created(session)
    assert sample("tanso_app_sessions_opened_total", **labels) == opened + 1
    assert sample("tanso_app_sessions_live", **labels) == 1
    # the browser reports the rendered page with a document_ready event
    session._document.callbacks.trigger_event(DocumentReady())
    assert sample("tanso_app_session_build_seconds_count", **labels) == built + 1

    server_metrics._on_session_destroyed(session)
    assert sample("tanso_app_sessions_closed_total", **labels) >= 1
    assert sample("tanso_app_sessions_live", **labels) == 0


def test_request_counter_wraps_bokeh_once_and_counts_by_status():
    from bokeh.server.tornado import BokehTornado

    server_metrics.install_request_counter()
    wrapped = BokehTornado.log_request
    server_metrics.install_request_counter()
    assert BokehTornado.log_request is wrapped  # idempotent

    logged = []
    application = SimpleNamespace(settings={"log_function": logged.append})
    handler = SimpleNamespace(get_status=lambda: 503)
    before = sample("tanso_http_requests_total", status="503")
    BokehTornado.log_request(application, handler)
    assert sample("tanso_http_requests_total", status="503") == before + 1
    assert logged == [handler]  # Tornado's own logging still happens


def test_database_probe_reports_down_without_a_server(monkeypatch):
    from tanso.config import settings

    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x")
    settings.cache_clear()
    try:
        assert asyncio.run(server_metrics.probe_database()) is False
    finally:
        settings.cache_clear()
    assert sample("tanso_database_up") == 0


def test_database_probe_gives_up_after_its_timeout(monkeypatch):
    monkeypatch.setattr(server_metrics, "_database_reachable", lambda: time.sleep(0.5) or True)

    async def probe():
        started = time.monotonic()
        up = await server_metrics.probe_database(timeout=0.05)
        return up, time.monotonic() - started

    up, waited = asyncio.run(probe())
    assert up is False
    assert waited < 0.5  # the scrape does not wait for a hung database


def test_database_probe_reports_up(monkeypatch):
    monkeypatch.setattr(server_metrics, "_database_reachable", lambda: True)
    assert asyncio.run(server_metrics.probe_database()) is True
    assert sample("tanso_database_up") == 1


def test_metrics_endpoint_serves_the_prometheus_text_format(monkeypatch):
    monkeypatch.setattr(server_metrics, "_database_reachable", lambda: False)

    async def scrape():
        server = tornado.web.Application(server_metrics.ROUTES).listen(0, "127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        try:
            return await AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/metrics")
        finally:
            server.stop()

    response = asyncio.run(scrape())
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    body = response.body.decode()
    for family in ("tanso_app_sessions_opened_total", "tanso_app_sessions_live",
                   "tanso_app_session_build_seconds", "tanso_app_callback_seconds",
                   "tanso_http_requests_total", "tanso_database_up", "process_cpu_seconds_total"):
        assert f"# TYPE {family.removesuffix('_total')}" in body or f"{family} " in body, family
    assert "tanso_database_up 0.0" in body
    assert "_created" not in body
