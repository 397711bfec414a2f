"""The etl pipeline on the real shipped data: load, idempotent rerun, injected failure."""

import shutil
import time

import pytest
import sqlalchemy as sa
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXPECTED_ROWS = {"core.countries": 255, "core.national_indicators": 50191,
                 "core.gcb_co2": 29384, "core.targets": 38, "core.country_boundaries": 177}


def counts(backend) -> dict[str, int]:
    return {table: backend.count(table) for table in EXPECTED_ROWS}


def metrics(backend, pipeline="etl") -> dict[str, float]:
    from pathlib import Path

    text = (Path(backend.env["TANSO_HOME"]) / "metrics" / f"tanso_pipeline_{pipeline}.prom"
            ).read_text()
    return {f"{s.name}{'{' + s.labels.get('step', '') + '}' if 'step' in s.labels else ''}": s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_etl_loads_everything_and_a_rerun_changes_nothing(backend):
    backend.cli("pipeline", "run", "etl")
    assert counts(backend) == EXPECTED_ROWS
    with backend.engine.connect() as conn:
        korea = conn.execute(sa.text(
            "SELECT total_ghg, co2_gcb FROM mart.national WHERE country_code = 'KOR' "
            "AND year = 2023")).one()
        kinds = dict(conn.execute(sa.text(
            "SELECT kind, count(*) FROM core.countries GROUP BY kind")).all())
        shapes = dict(conn.execute(sa.text(
            "SELECT name, country_code FROM mart.country_boundaries WHERE country_code IN ('KOR', 'FRA', 'OWID_KOS')"
        )).all())
    assert korea.total_ghg == pytest.approx(627.0, abs=0.05)
    assert kinds["income_group"] == 4 and kinds["world"] == 1
    assert shapes == {"South Korea": "KOR", "France": "FRA", "Kosovo": "OWID_KOS"}  # OWID's names

    rerun = backend.cli("pipeline", "run", "etl").stdout
    assert counts(backend) == EXPECTED_ROWS
    for step in ("owid_co2", "gcb_co2", "targets", "naturalearth"):
        assert f"{step}" in rerun and "rows=0" in rerun.split(step, 1)[1].splitlines()[0]

    history = backend.cli("pipeline", "history", "etl").stdout
    assert history.count("succeeded") >= 6
    seen = metrics(backend)
    assert seen["tanso_pipeline_last_run_success"] == 1
    assert seen["tanso_pipeline_step_success{owid_co2}"] == 1
    assert seen["tanso_pipeline_last_success_timestamp_seconds"] > time.time() - 600


@pytest.fixture
def damaged_project(tmp_path):
    """A copy of the project whose OWID file has one changed byte and whose data goes stale fast."""
    for folder in ("catalog", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "notebooks").symlink_to(ROOT / "notebooks")
    (tmp_path / "pipelines").mkdir()
    spec = yaml.safe_load((ROOT / "pipelines" / "etl.yaml").read_text())
    spec["max_age_hours"] = 0.0001  # 0.36 s
    (tmp_path / "pipelines" / "etl.yaml").write_text(yaml.safe_dump(spec))
    parquet = tmp_path / "data/raw/owid_co2/2025-05/owid-co2-data.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF
    parquet.write_bytes(bytes(data))
    return tmp_path


def test_a_failing_step_stops_its_dependants_and_keeps_the_data(backend, damaged_project):
    backend.cli("pipeline", "run", "etl")  # a good state to keep
    before = counts(backend)
    env = backend.env | {"TANSO_PROJECT_ROOT": str(damaged_project)}
    from tests.conftest import run_cli

    verify = run_cli("catalog", "verify", env=env, check=False)
    assert verify.returncode == 1 and "owid_co2" in verify.stderr and "sha256" in verify.stderr

    time.sleep(0.5)
    result = run_cli("pipeline", "run", "etl", "--force", env=env, check=False)
    assert result.returncode == 1
    assert "step 'owid_co2' failed: ChecksumMismatch" in result.stderr
    assert "Traceback" not in result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "failed" in lines["owid_co2"]
    assert "skipped" in lines["gcb_co2"] and "skipped" in lines["targets"]
    assert counts(backend) == before

    seen = metrics(backend)
    assert seen["tanso_pipeline_last_run_success"] == 0  # the TansoPipelineFailed alert
    # the TansoDataStale rule: time() - last_success > max_age
    stale = time.time() - seen["tanso_pipeline_last_success_timestamp_seconds"]
    assert stale > seen["tanso_pipeline_max_age_seconds"]
    with backend.engine.connect() as conn:
        statuses = dict(conn.execute(sa.text(
            "SELECT step, status FROM ops.pipeline_runs WHERE run_id = (SELECT run_id FROM "
            "ops.pipeline_runs ORDER BY id DESC LIMIT 1)")).all())
    assert statuses == {"owid_co2": "failed", "gcb_co2": "skipped", "targets": "skipped", "naturalearth": "skipped"}


def test_unknown_pipeline_and_parameter_exit_non_zero(backend):
    result = backend.cli("pipeline", "run", "nope", check=False)
    assert result.returncode == 1 and "unknown pipeline 'nope'" in result.stderr
    result = backend.cli("pipeline", "run", "etl", "-p", "colour=red", check=False)
    assert result.returncode == 1 and "no parameter(s) colour" in result.stderr
    plan = backend.cli("pipeline", "run", "etl", "--dry-run").stdout
    assert plan.splitlines()[0].startswith("owid_co2") and "after owid_co2" in plan
