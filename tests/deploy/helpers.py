"""Helpers of the deployment tests: paths, the rendered chart, required binaries."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.requirements import TEST_EXTRA, need_binary, need_module

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CHART = DEPLOY / "helm" / "tanso"
PRODUCTION_VALUES = DEPLOY / "helm" / "values-production.yaml"
RELEASE, NAMESPACE = "tanso", "tanso"


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def render_chart(values: dict | None = None, *, upgrade: bool = False,
                 chart: Path = CHART) -> list[dict]:
    """Every object the chart (by default the repository's) renders, NOTES.txt excluded."""
    helm = need_module("helm_python", install=f"helm-python-sdk: {TEST_EXTRA}")
    with helm.Chart.load(chart) as loaded:
        rendered = loaded.render(values, name=RELEASE, namespace=NAMESPACE,
                                 is_install=not upgrade, is_upgrade=upgrade)
    objects = []
    for template, text in rendered.items():
        if template.endswith("NOTES.txt"):
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                objects.append(doc)
    return objects


def render_notes(values: dict | None = None) -> str:
    helm = need_module("helm_python", install=f"helm-python-sdk: {TEST_EXTRA}")
    with helm.Chart.load(CHART) as chart:
        rendered = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    return next(text for name, text in rendered.items() if name.endswith("NOTES.txt"))


def of_kind(objects: list[dict], kind: str) -> list[dict]:
    return [o for o in objects if o["kind"] == kind]


def binary(name: str) -> str:
    """Path of a Prometheus executable (prometheus, promtool), or skip naming what to install."""
    return need_binary(name, install="apt-get install prometheus (Debian package)")
