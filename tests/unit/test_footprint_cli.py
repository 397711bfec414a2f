"""`tanso footprint estimate`: the exact JSON interface of issue 14, offline and with a fake Climatiq."""

import json

import pytest
from typer.testing import CliRunner

from tanso.cli import app
from tests.unit.fake_http import Answer, FakeServer

DAY = {"transport": [{"mode": "car", "minutes": 30}], "clothing": [{"item": "tshirt", "count": 1, "second_hand": True}],
       "food": [{"dish": "gimbap", "servings": 1}], "waste": [{"type": "plastic", "kg": 0.5}, {"type": "can", "count": 3}],
       "electricity": [{"appliance": "aircon", "hours": 2}], "water": [{"use": "shower", "count": 1}]}


@pytest.fixture
def day_file(tmp_path):
    path = tmp_path / "DAY.json"
    path.write_text(json.dumps(DAY))
    return path


def run(*args, env=None):
    return CliRunner().invoke(app, ["footprint", "estimate", *args], env=env)


def test_offline_json_has_the_issue_fields(day_file):
    result = run("--input", str(day_file), "--offline", "--json", env={"CLIMATIQ_API_KEY": "unused"})
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["total_kg"] == 6.1995 and out["average_kg"] == 14.5
    assert set(out["by_category"]) == {"transport", "clothing", "food", "waste", "electricity", "water"}
    assert out["points"] == {"saved": 0, "second_hand": 10, "below_average": 100, "total": 110}
    first = out["lines"][0]
    assert {"category", "item", "quantity", "unit", "factor", "kg", "source"} <= set(first)
    assert (first["quantity"], first["unit"], first["factor"], first["kg"]) == (15.0, "km", 0.171, 2.565)
    assert first["source"] == {"provider": "local", "factor_set": "ecojourney", "version": "2025"}
    assert len(out["suggestions"]) == 3 and out["summary"]["source"] == "deterministic"


def test_korea_set_by_name_and_version(day_file):
    out = json.loads(run("--input", str(day_file), "--factors", "korea@2025-12", "--offline", "--json").stdout)
    aircon = next(line for line in out["lines"] if line["item"] == "aircon")
    assert (aircon["factor"], aircon["kg"]) == (0.4173, 1.6692)
    assert out["factor_set"] == {"name": "korea", "version": "2025-12"}


def test_climatiq_first_when_a_key_is_set(day_file):
    with FakeServer() as server:
        server.script = [Answer(400, {"error": "bad_request", "error_code": "no_emission_factors_found",
                                      "message": "none for KR"})]
        env = {"CLIMATIQ_API_KEY": "k", "CLIMATIQ_API_URL": server.url}
        out = json.loads(run("--input", str(day_file), "--json", env=env).stdout)
    assert len(server.requests) == 1
    car = out["lines"][0]
    assert car["source"]["provider"] == "local" and "no_emission_factors_found" in car["source"]["fallback_reason"]


@pytest.mark.parametrize(("content", "args", "message"), [
    ('{"transport": [{"mode": "bus", "km": 2000}]}', [], "transport[0].km: 2,000 km by bus in one day"),
    ('{"transport": [', [], "DAY.json: not valid JSON"),
    ('{"food": [{"dish": "pizza"}]}', [], "food[0].dish: unknown dish 'pizza'"),
    ("{}", ["--factors", "mars"], "--factors: unknown factor set 'mars'"),
    ("{}", ["--lang", "fr"], "--lang: 'fr' is not en or ko"),
])
def test_bad_input_is_one_clear_line(tmp_path, content, args, message):
    path = tmp_path / "DAY.json"
    path.write_text(content)
    result = run("--input", str(path), "--offline", *args)
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_missing_file(tmp_path):
    result = run("--input", str(tmp_path / "nope.json"))
    assert result.exit_code == 1 and "does not exist" in result.stderr
