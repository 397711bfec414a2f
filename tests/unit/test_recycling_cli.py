"""`tanso recycling`: the exact JSON interface of issue 15 and one clear line for bad input."""

import json

import pytest
from typer.testing import CliRunner

from tanso.cli import app


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(app, ["recycling", *args])


def test_estimate_json_has_the_issue_fields(runner):
    result = run(runner, "estimate", "--material", "mixed", "--reuse", "200", "--upcycle", "500",
                 "--recycle", "300", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"material", "base_factor", "total_kg", "reduction_kg_co2", "by_pathway", "weighted_factor",
            "per_kg", "equivalents"} <= set(out)
    assert out["reduction_kg_co2"] == 5912.5 and out["total_kg"] == 1000.0
    assert out["by_pathway"] == {"reuse": 1650.0, "upcycle": 3437.5, "recycle": 825.0}
    assert (out["weighted_factor"], out["per_kg"], out["base_factor"]) == (2.15, 5.9125, 2.75)
    assert out["equivalents"] == {"trees": 268.75, "car_years": 1.285326, "sea_ice_m2": 43.989}
    assert out["factor_set"]["name"] == "operator" and out["factor_set"]["version"] == "2025-12"


def test_estimate_with_the_epa_set(runner):
    result = run(runner, "estimate", "--material", "pet", "--recycle", "1000", "--factors", "epa_warm", "--json")
    out = json.loads(result.stdout)
    assert out["reduction_kg_co2"] == pytest.approx(2006.2066, abs=1e-3)  # 1.82 t/short ton
    assert out["factor_set"]["version"] == "2021"


@pytest.mark.parametrize(("args", "message"), [
    (["--material", "pvc", "--recycle", "1"], "--material: 'pvc' is not one of pet, hdpe, mixed"),
    (["--recycle", "-5"], "--recycle: -5 is not a weight in kg"),
    (["--reuse", "nan"], "--reuse: nan is not a weight in kg"),
    ([], "nothing collected"),
    (["--recycle", "1", "--factors", "ipcc"], "unknown factor set 'ipcc'"),
])
def test_bad_input_is_one_clear_line(runner, args, message):
    result = run(runner, "estimate", *args)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_non_numeric_weight_is_a_usage_error(runner):
    result = run(runner, "estimate", "--recycle", "heavy")
    assert result.exit_code == 2 and "--recycle" in result.stderr


def test_check_reports_the_seed_weighted_factor(runner, tmp_path):
    report = tmp_path / "campaign.json"
    report.write_text(json.dumps({"total_kg": 480, "weights_kg": {"reuse": 120, "upcycle": 264, "recycle": 96},
                                  "weighted_factor": 2.15}))
    result = run(runner, "check", "--input", str(report), "--json")
    assert result.exit_code == 1
    [found] = json.loads(result.stdout)
    assert found["field"] == "weighted_factor" and found["corrected"] == 2.325


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not valid JSON"),
    ('{"colour": "red"}', "unexpected keyword argument 'colour'"),
])
def test_check_bad_file(runner, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = run(runner, "check", "--input", str(path))
    assert result.exit_code == 1 and message in result.stderr
