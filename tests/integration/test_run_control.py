"""One run per pipeline at a time, dead runs marked abandoned, an interrupted run says what it kept."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest
import sqlalchemy as sa

from tanso.run_control import ABANDONED_ERROR, PipelineBusy, pipeline_lock
from tests.conftest import ROOT, TANSO

pytestmark = pytest.mark.integration


def _fake_running_row(engine, run_id: str, pipeline: str = "etl") -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO ops.pipeline_runs (run_id, pipeline, step, status, started_at) "
            "VALUES (:r, :p, 'owid_co2', 'running', now() - interval '1 hour')"),
            {"r": run_id, "p": pipeline})


def _status(engine, run_id: str) -> tuple[str, str | None]:
    with engine.connect() as conn:
        return tuple(conn.execute(sa.text(
            "SELECT status, error FROM ops.pipeline_runs WHERE run_id = :r"), {"r": run_id}).one())


def test_a_second_run_says_which_run_holds_the_pipeline(backend):
    engine = backend.engine
    _fake_running_row(engine, "holder-run", pipeline="lockdemo")
    with pipeline_lock(engine, "lockdemo"):  # the live run: its own row stays running
        _fake_running_row(engine, "live-run", pipeline="lockdemo")
        busy = r"pipeline 'lockdemo' is already running: run live-run \(step owid_co2, started "
        with pytest.raises(PipelineBusy, match=busy), pipeline_lock(engine, "lockdemo"):
            pass
        assert _status(engine, "live-run")[0] == "running"
    # taking the lock found holder-run's process gone
    assert _status(engine, "holder-run") == ("abandoned", ABANDONED_ERROR)


def test_a_run_whose_process_is_gone_shows_as_abandoned_at_once(backend):
    _fake_running_row(backend.engine, "ghost-run", pipeline="ghost")
    out = backend.cli("pipeline", "history", "ghost").stdout
    assert "ghost-run  ghost/owid_co2     abandoned" in out
    with backend.engine.connect() as conn:
        shown = conn.execute(sa.text("SELECT ops.run_status(status, pipeline) FROM "
                                     "ops.pipeline_runs WHERE run_id = 'ghost-run'")).scalar_one()
    assert shown == "abandoned"


@pytest.mark.slow
def test_sigterm_during_a_run_records_it_and_keeps_the_loaded_data(loaded_embedded):
    engine = loaded_embedded.engine
    before = loaded_embedded.count("core.national_indicators")
    proc = subprocess.Popen([*TANSO, "pipeline", "run", "etl", "--force"], env=loaded_embedded.env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            with engine.connect() as conn:  # the first step's kernel is at work
                if conn.execute(sa.text("SELECT count(*) FROM ops.pipeline_runs WHERE "
                                        "pipeline = 'etl' AND status = 'running'")).scalar_one():
                    break
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM, err
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "sigterm-run.stderr").write_text(err)
    message = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(message) == 1
    assert "Traceback" not in err, err[err.index("Traceback") - 600:err.index("Traceback") + 1500]
    assert "interrupted by SIGTERM during step 'owid_co2': no step had finished; owid_co2's load " \
           "was rolled back, so the data it would replace is unchanged; not run: " in message[0]
    started = [json.loads(line) for line in err.splitlines() if '"step started"' in line]
    assert (started[0]["step"], started[0]["index"], started[0]["total"]) == ("owid_co2", 1, 4)
    with engine.connect() as conn:
        status = conn.execute(sa.text(
            "SELECT status FROM ops.pipeline_runs WHERE pipeline = 'etl' AND step = 'owid_co2' "
            "ORDER BY id DESC LIMIT 1")).scalar_one()
    assert status == "interrupted"
    assert loaded_embedded.count("core.national_indicators") == before


def test_up_runs_once_the_pipelines_that_never_succeeded(backend):
    from tanso.status import never_succeeded

    with backend.engine.begin() as conn:
        for run_id, pipeline, status in (("nd-1", "never_demo", "failed"), ("ok-1", "ok_demo", "failed"),
                                         ("ok-2", "ok_demo", "succeeded")):
            conn.execute(sa.text(
                "INSERT INTO ops.pipeline_runs (run_id, pipeline, step, status, started_at) "
                "VALUES (:r, :p, 'feeds', :s, now())"), {"r": run_id, "p": pipeline, "s": status})
    assert never_succeeded(backend.engine, {"never_demo", "ok_demo", "fresh_demo"}) == \
        ["fresh_demo", "never_demo"]
