"""Dashboards and alerts only query metrics the code exports; the Loki config fits the logs."""

from __future__ import annotations

import json
import re

import pytest

from tests.deploy.helpers import DEPLOY, ROOT, load_yaml

pytestmark = pytest.mark.deploy

DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and",
                "or", "unless", "offset", "le", "inf", "nan"}
APP_METRICS = {
    "tanso_app_sessions_opened_total", "tanso_app_sessions_closed_total",
    "tanso_app_sessions_live", "tanso_app_session_build_seconds_bucket",
    "tanso_app_callback_seconds_bucket", "tanso_http_requests_total", "tanso_database_up"}
PIPELINE_METRICS = {
    "tanso_pipeline_last_run_success", "tanso_pipeline_last_run_timestamp_seconds",
    "tanso_pipeline_last_success_timestamp_seconds", "tanso_pipeline_max_age_seconds",
    "tanso_pipeline_run_duration_seconds", "tanso_pipeline_step_duration_seconds",
    "tanso_pipeline_step_rows_written", "tanso_pipeline_step_success",
    "tanso_pipeline_step_runs_total"}


def exported_metric_names() -> set[str]:
    """Sample names of the app server's registry, the pipeline metrics, and Prometheus' `up`."""
    from prometheus_client import REGISTRY

    import tanso.auth.audit  # registers the sign-in failure counter (served with auth)
    import tanso.server_metrics  # noqa: F401 - registers the app metrics

    suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"],
                "summary": ["_sum", "_count"]}
    names = {"up"}
    for family in REGISTRY.collect():
        names.add(family.name)
        names.update(family.name + s for s in suffixes.get(family.type, []))
        names.update(sample.name for sample in family.samples)
    # src/tanso/metrics.py builds its gauges per run; their names are literals in the source
    pipeline_source = (ROOT / "src" / "tanso" / "metrics.py").read_text()
    names.update(re.findall(r'"(tanso_pipeline_\w+)"', pipeline_source))
    return names


def metric_names(expr: str) -> set[str]:
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)             # label values
    expr = re.sub(r"\{[^}]*\}", "", expr)                      # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)                     # ranges
    expr = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", expr)
    expr = re.sub(r"\$\w+", "", expr)                          # dashboard variables
    tokens = re.findall(r"(?<![\w.:])([A-Za-z_:][\w:]*)(?![\w:]|\s*\()", expr)
    return {t for t in tokens if t.lower() not in PROMQL_WORDS}


def dashboard_queries(dashboard: dict) -> list[str]:
    queries = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            query = variable["query"]["query"]
            queries.append(re.fullmatch(r"label_values\((\w+), *\w+\)", query).group(1))
    return queries


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_dashboard_is_valid_grafana_json(path):
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    assert dashboard["uid"] == path.stem and dashboard["title"].startswith("Tanso / ")
    assert "id" not in dashboard  # Grafana assigns it; a fixed id clashes on import
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"]), panel["title"]
        assert panel["targets"], panel["title"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_dashboard_queries_use_exported_metrics(path):
    exported = exported_metric_names()
    for query in dashboard_queries(json.loads(path.read_text(encoding="utf-8"))):
        unknown = metric_names(query) - exported
        assert not unknown, f"{path.name}: {query!r} uses {unknown}"


def test_dashboards_cover_every_app_and_pipeline_metric():
    used = set()
    for path in DASHBOARDS:
        for query in dashboard_queries(json.loads(path.read_text(encoding="utf-8"))):
            used |= metric_names(query)
    assert used >= APP_METRICS | PIPELINE_METRICS, (APP_METRICS | PIPELINE_METRICS) - used


def test_alert_rules_use_exported_metrics():
    exported = exported_metric_names()
    rules = load_yaml(DEPLOY / "prometheus" / "rules.yml")
    for group in rules["groups"]:
        for rule in group["rules"]:
            unknown = metric_names(rule["expr"]) - exported
            assert not unknown, f"{rule['alert']} uses {unknown}"


def test_metric_names_of_the_contract_are_exported():
    assert exported_metric_names() >= APP_METRICS | PIPELINE_METRICS


def test_metric_name_extraction():
    assert metric_names('histogram_quantile(0.95, sum by (app, le) '
                        '(rate(tanso_app_callback_seconds_bucket{app=~"$app"}[5m]))) > 2') == {
        "tanso_app_callback_seconds_bucket"}
    assert metric_names("time() - a_seconds > b_seconds") == {"a_seconds", "b_seconds"}


def test_promtail_parses_the_json_log_keys():
    import logging

    from tanso.logs import JsonFormatter

    line = JsonFormatter().format(logging.makeLogRecord({"name": "tanso.x", "msg": "hi"}))
    keys = set(json.loads(line))
    config = load_yaml(DEPLOY / "loki" / "promtail.yaml")
    (job,) = config["scrape_configs"]
    stages = {next(iter(stage)): next(iter(stage.values())) for stage in job["pipeline_stages"]}
    assert set(stages["json"]["expressions"].values()) <= keys
    assert set(stages["json"]["expressions"]) == {"ts", "level", "logger", "msg", "run_id"}
    assert stages["timestamp"]["source"] == "ts"
    assert "run_id" not in stages["labels"]  # unbounded values never become labels
