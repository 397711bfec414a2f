"""GitHub Actions: CI runs the test suite on Python 3.11; the image goes to GHCR with
provenance and SBOM attestations."""

from __future__ import annotations

import pytest

from tests.deploy.helpers import ROOT, load_yaml

pytestmark = pytest.mark.deploy

WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict:
    data = load_yaml(WORKFLOWS / name)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def test_ci_runs_the_suite_on_python_311_for_pushes_and_pull_requests():
    ci = workflow("ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    (job,) = ci["jobs"].values()
    assert job["runs-on"].startswith("ubuntu")
    assert job["container"].startswith("python:3.11")
    commands = " ".join(s.get("run", "") for s in job["steps"])
    assert "bash .ci/run" in commands or "make test" in commands
    assert (ROOT / ".ci" / "run").exists()


def test_image_workflow_pushes_to_ghcr_on_main_and_tags_with_attestations():
    image = workflow("image.yml")
    assert image["on"]["push"]["branches"] == ["main"] and image["on"]["push"]["tags"]
    assert image["permissions"]["packages"] == "write"
    (job,) = image["jobs"].values()
    (meta,) = steps_using(job, "docker/metadata-action")
    assert meta["with"]["images"] == "ghcr.io/${{ github.repository }}"
    (build,) = steps_using(job, "docker/build-push-action")
    options = build["with"]
    assert options["provenance"] is True and options["sbom"] is True
    assert options["cache-from"] == "type=gha" and options["cache-to"].startswith("type=gha")
    assert (ROOT / options["file"]).exists()
    assert options["tags"] == "${{ steps.meta.outputs.tags }}"
    assert steps_using(job, "docker/setup-buildx-action") and steps_using(job, "docker/login-action")


def test_ci_lints_and_turns_skips_into_failures():
    script = (ROOT / ".ci" / "run").read_text()
    assert 'export CI="${CI:-true}"' in script
    assert script.index("make lint") < script.index("make test")
