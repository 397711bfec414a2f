"""`make lint` stays green: the same ruff and bandit runs, so a landing cannot break it unseen."""

from __future__ import annotations

import subprocess

from tests.conftest import ROOT
from tests.requirements import need_binary

DEV_EXTRA = "pip install -e '.[dev]' (or `make env`)"


def run(tool: str, *args: str) -> None:
    result = subprocess.run([need_binary(tool, install=DEV_EXTRA), *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, (f"`make lint` fails ({tool}); fix these:\n"
                                    + result.stdout + result.stderr)


def test_ruff_is_clean():
    run("ruff", "check", "src", "apps", "tests", "benchmarks")


def test_bandit_is_clean():
    run("bandit", "-q", "-c", "pyproject.toml", "-r", "src", "apps")
