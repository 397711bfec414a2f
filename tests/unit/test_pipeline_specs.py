import pytest

from tanso import pipelines
from tanso.config import settings
from tanso.pipelines import PipelineError, load_pipeline, parse_overrides, step_parameters


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project root with a pipelines/ folder and two trivial notebooks."""
    (tmp_path / "pipelines").mkdir()
    for name in ("a", "b"):
        (tmp_path / f"{name}.py").write_text(
            '# %% tags=["parameters"]\nsize = 1\nrun_id = None\nstep_result_path = None\n')
    monkeypatch.setenv("TANSO_PROJECT_ROOT", str(tmp_path))
    settings.cache_clear()
    yield tmp_path
    settings.cache_clear()


def write(project, name, text):
    (project / "pipelines" / f"{name}.yaml").write_text(text)


def test_the_shipped_etl_pipeline_orders_owid_before_gcb():
    etl = load_pipeline("etl")
    order = [s.name for s in etl.ordered_steps()]
    assert order[0] == "owid_co2" and set(order) == {"owid_co2", "gcb_co2", "targets", "naturalearth"}
    assert etl.schedule and etl.max_age_hours > 0
    assert etl.dependants("owid_co2") == {"gcb_co2", "targets", "naturalearth"}


def test_unknown_pipeline_names_the_known_ones():
    with pytest.raises(PipelineError, match=r"unknown pipeline 'nope'; known: .*etl"):
        load_pipeline("nope")


@pytest.mark.parametrize(("spec", "message"), [
    ("steps: []\n", "missing required key 'schedule'"),
    ("schedule: '@daily'\nsteps:\n  - {name: x}\n", "step #1 needs 'name' and 'notebook'"),
    ("schedule: '@daily'\nsteps:\n  - {name: x, notebook: missing.py}\n",
     "notebook missing.py does not exist"),
    ("schedule: '@daily'\nsteps:\n  - {name: x, notebook: a.py, depends_on: [y]}\n",
     "depends on unknown step"),
    (("schedule: '@daily'\nsteps:\n  - {name: x, notebook: a.py, depends_on: [y]}\n"
      "  - {name: y, notebook: b.py, depends_on: [x]}\n"), "cycle"),
])
def test_bad_specs_say_what_is_wrong(project, spec, message):
    write(project, "bad", spec)
    with pytest.raises(PipelineError, match=message):
        load_pipeline("bad")


def test_overrides_apply_only_where_declared_and_unknown_keys_fail(project):
    write(project, "p", "schedule: '@daily'\nsteps:\n  - {name: x, notebook: a.py, "
                        "parameters: {size: 2}}\n  - {name: y, notebook: b.py, depends_on: [x]}\n")
    p = load_pipeline("p")
    assert step_parameters(p, {"size": 5}) == {"x": {"size": 5}, "y": {"size": 5}}
    assert step_parameters(p, {}) == {"x": {"size": 2}, "y": {}}
    with pytest.raises(PipelineError, match=r"no parameter.* colour; settable: size"):
        step_parameters(p, {"colour": "red"})


def test_parse_overrides_reads_yaml_scalars():
    assert parse_overrides(["force=true", "n=3", "name=KOR", "empty="]) == {
        "force": True, "n": 3, "name": "KOR", "empty": ""}
    with pytest.raises(PipelineError, match="not key=value"):
        parse_overrides(["force"])


def test_record_step_result_is_a_no_op_outside_the_runner(tmp_path):
    pipelines.record_step_result(None, rows_written=3)
    out = tmp_path / "r.json"
    pipelines.record_step_result(str(out), rows_written=3, dataset_version="v1")
    assert '"rows_written": 3' in out.read_text()
