"""promtool accepts the rules and the example config, and the alerts fire from synthetic series."""

from __future__ import annotations

import subprocess

import pytest

from tests.deploy.helpers import DEPLOY, binary

pytestmark = pytest.mark.deploy

PROMETHEUS = DEPLOY / "prometheus"


def promtool(*args: str) -> str:
    result = subprocess.run([binary("promtool"), *args], check=False, cwd=PROMETHEUS,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_rules_are_valid():
    assert "SUCCESS" in promtool("check", "rules", "rules.yml")


def test_example_config_is_valid():
    assert "SUCCESS" in promtool("check", "config", "prometheus.yml")


def test_failure_staleness_and_app_alerts_fire_from_synthetic_series():
    assert "SUCCESS" in promtool("test", "rules", "rules_test.yml")


def test_the_chart_uses_this_rules_file():
    linked = DEPLOY / "helm" / "tanso" / "files" / "prometheus-rules.yml"
    assert linked.resolve() == (PROMETHEUS / "rules.yml").resolve()
