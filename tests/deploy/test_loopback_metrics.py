"""End to end on loopback: `panel serve --plugins tanso.server_metrics` scraped by a real
Prometheus every second; opening an app session shows up in Prometheus' query API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.deploy.helpers import DEPLOY, binary
from tests.requirements import CHROMIUM_ARGS, chromium

pytestmark = pytest.mark.deploy

FIXTURE_APP = Path(__file__).parent / "fixtures" / "hello_app.py"
WAIT_SECONDS = 60  # an upper bound for slow CI machines, not a timing assertion


def get(url: str, timeout: float = 5) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def wait_until(condition, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process exited with {process.returncode}")
        try:
            if result := condition():
                return result
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"gave up waiting for {what}")


def start(args: list[str], log: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=log.open("wb"), stderr=subprocess.STDOUT, **kwargs)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The fixture app and a Prometheus scraping it; yields (app_url, query)."""
    prometheus_binary = binary("prometheus")
    tmp = tmp_path_factory.mktemp("loopback")
    app_port, prometheus_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"TANSO_HOME": str(tmp / "home"), "PYTHONWARNINGS": "ignore"}
    app = start([sys.executable, "-m", "panel", "serve", str(FIXTURE_APP),
                 "--address", "127.0.0.1", "--port", str(app_port),
                 "--allow-websocket-origin", f"127.0.0.1:{app_port}",
                 "--plugins", "tanso.server_metrics", "--liveness"],
                tmp / "panel.log", env=env, cwd=tmp)
    config = tmp / "prometheus.yml"
    config.write_text(json.dumps({  # JSON is YAML
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(DEPLOY / "prometheus" / "rules.yml")],
        "scrape_configs": [{"job_name": "tanso-apps", "scrape_timeout": "1s",
                            "static_configs": [{"targets": [f"127.0.0.1:{app_port}"]}]}],
    }))
    prometheus = start([prometheus_binary, f"--config.file={config}",
                        f"--storage.tsdb.path={tmp / 'tsdb'}",
                        f"--web.listen-address=127.0.0.1:{prometheus_port}"],
                       tmp / "prometheus.log", cwd=tmp)
    app_url = f"http://127.0.0.1:{app_port}"
    prometheus_url = f"http://127.0.0.1:{prometheus_port}"

    def query(promql: str) -> float | None:
        answer = json.loads(get(f"{prometheus_url}/api/v1/query?"
                                + urllib.parse.urlencode({"query": promql})))
        assert answer["status"] == "success", answer
        result = answer["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    try:
        wait_until(lambda: get(f"{app_url}/liveness"), "panel serve", app)
        wait_until(lambda: get(f"{prometheus_url}/-/ready"), "prometheus", prometheus)
        wait_until(lambda: query('up{job="tanso-apps"}') == 1, "the first scrape", prometheus)
        yield app_url, query
    finally:
        stop(prometheus)
        stop(app)


def sessions_opened(query) -> float:
    return query('sum(tanso_app_sessions_opened_total{job="tanso-apps",app="hello_app"})') or 0


def test_prometheus_scrapes_the_app_and_loads_the_rules(stack):
    _, query = stack
    assert query('up{job="tanso-apps"}') == 1
    assert query("count(process_resident_memory_bytes)") == 1
    assert query("tanso_database_up") == 0  # no database in this test
    # Prometheus may have scraped before the app listened: TansoAppDown is then pending until
    # the next rule evaluation sees up == 1, however busy the machine is
    wait_until(lambda: query('count(ALERTS{alertname="TansoAppDown"})') is None,
               "the TansoAppDown alert to clear once the app is up")


def test_an_http_page_load_is_a_counted_session(stack):
    app_url, query = stack
    before = sessions_opened(query)
    assert b"<html" in get(f"{app_url}/hello_app").lower()
    wait_until(lambda: sessions_opened(query) > before, "the session count to increase")
    wait_until(lambda: query('sum(tanso_http_requests_total{status="200"})'), "HTTP 200 count")


def test_a_browser_session_is_counted_and_its_build_timed(stack):
    executable = chromium()
    from playwright.sync_api import sync_playwright

    app_url, query = stack
    before = sessions_opened(query)
    built = query('sum(tanso_app_session_build_seconds_count{app="hello_app"})') or 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{app_url}/hello_app")
            page.get_by_text("Hello, world!").wait_for()
        finally:
            browser.close()
    wait_until(lambda: sessions_opened(query) > before, "the browser session to be counted")
    wait_until(lambda: (query('sum(tanso_app_session_build_seconds_count{app="hello_app"})')
                        or 0) > built, "the rendered page to be timed")
    # the fixture app's callback ran under observe_callback
    assert query('sum(tanso_app_callback_seconds_count{app="hello_app"})') >= 1
