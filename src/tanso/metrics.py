"""Prometheus metrics of pipeline runs, handed on after every run.

A scheduled run is a short-lived process, so the metrics are pushed to a Pushgateway
(TANSO_PUSHGATEWAY_URL) or written as a node-exporter textfile under $TANSO_HOME/metrics.
Counts and the last success time come from ops.pipeline_runs, so they survive restarts
and a failed run still reports when the pipeline last succeeded (for staleness alerts).
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Gauge, push_to_gateway, write_to_textfile

from tanso.config import settings
from tanso.pipelines import PipelineRun

log = logging.getLogger(__name__)

PUSH_JOB = "tanso_pipeline"


def pipeline_registry(run: PipelineRun, engine: sa.Engine) -> CollectorRegistry:
    registry = CollectorRegistry()
    name = run.pipeline.name

    def gauge(metric: str, doc: str, labels=("pipeline",)) -> Gauge:
        return Gauge(metric, doc, labels, registry=registry)

    gauge("tanso_pipeline_last_run_success", "1 if every step of the last run succeeded"
          ).labels(name).set(int(run.succeeded))
    gauge("tanso_pipeline_run_duration_seconds", "Wall time of the last run"
          ).labels(name).set(run.seconds)
    gauge("tanso_pipeline_max_age_seconds", "Data is stale when the last success is older"
          ).labels(name).set(run.pipeline.max_age_hours * 3600)

    step_labels = ("pipeline", "step")
    duration = gauge("tanso_pipeline_step_duration_seconds", "Step wall time, last run",
                     step_labels)
    rows = gauge("tanso_pipeline_step_rows_written", "Rows the step wrote, last run", step_labels)
    success = gauge("tanso_pipeline_step_success", "1 if the step succeeded in the last run",
                    step_labels)
    for step in run.steps:
        duration.labels(name, step.step).set(step.seconds)
        rows.labels(name, step.step).set(step.rows_written or 0)
        success.labels(name, step.step).set(int(step.status == "succeeded"))

    with engine.connect() as conn:
        counts = conn.execute(sa.text(
            "SELECT step, status, count(*) FROM ops.pipeline_runs WHERE pipeline = :p "
            "AND status <> 'running' GROUP BY step, status"), {"p": name}).all()
        times = conn.execute(sa.text(
            "SELECT max(finished_at), "
            "max(finished_at) FILTER (WHERE run_id IN (SELECT run_id FROM ops.pipeline_runs "
            "  WHERE pipeline = :p GROUP BY run_id HAVING bool_and(status = 'succeeded'))) "
            "FROM ops.pipeline_runs WHERE pipeline = :p"), {"p": name}).one()
    runs = gauge("tanso_pipeline_step_runs_total", "Step runs by final status (from history)",
                 ("pipeline", "step", "status"))
    for step, status, count in counts:
        runs.labels(name, step, status).set(count)
    last_run, last_success = times
    if last_run is not None:
        gauge("tanso_pipeline_last_run_timestamp_seconds", "When the last run finished"
              ).labels(name).set(last_run.timestamp())
    # 0 when it never succeeded: any max-age rule then fires, which is what we want
    gauge("tanso_pipeline_last_success_timestamp_seconds", "When a run last fully succeeded"
          ).labels(name).set(last_success.timestamp() if last_success else 0)
    return registry


def textfile_path(pipeline: str) -> Path:
    return settings().metrics_dir / f"tanso_pipeline_{pipeline}.prom"


def publish(run: PipelineRun, engine: sa.Engine) -> str:
    """Push or write the run's metrics; returns where they went. Never fails the run."""
    registry = pipeline_registry(run, engine)
    gateway = settings().pushgateway_url
    try:
        if gateway:
            push_to_gateway(gateway, job=PUSH_JOB, registry=registry,
                            grouping_key={"pipeline": run.pipeline.name}, timeout=10)
            return gateway
        path = textfile_path(run.pipeline.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(path), registry)
        return str(path)
    except OSError as exc:
        log.error("could not publish pipeline metrics", extra={"error": str(exc)})
        return f"not published: {exc}"
