"""`tanso analyze gap` on the etl-loaded embedded database."""

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GAP = ("analyze", "gap", "--country", "KOR", "--metric", "total_ghg", "--base-year", "2018",
       "--target-year", "2030")


def test_gap_json_has_every_field_the_issue_names(loaded_embedded):
    out = json.loads(loaded_embedded.cli(*GAP, "--reduction-pct", "40", "--window", "5", "--json").stdout)
    for key in ("country", "metric", "base_year", "base_value", "target_year", "target_value", "latest_year",
                "latest_value", "required_annual_rate_pct", "recent_annual_rate_pct", "trend_slope_per_year",
                "projected_value_at_target_year", "projected_year_reaching_target", "gap_at_target_year",
                "on_track"):
        assert key in out, key
    assert out["country"] == "KOR" and out["latest_year"] == 2023
    assert out["base_value"] == pytest.approx(711.172)
    assert out["target_value"] == pytest.approx(711.172 * 0.6)
    assert out["required_annual_rate_pct"] < out["recent_annual_rate_pct"] < 0  # a decline, not fast enough
    latest, rate = out["latest_value"], out["recent_annual_rate_pct"]
    assert out["projected_value_at_target_year"] == pytest.approx(latest * (1 + rate / 100) ** 7)
    assert out["on_track"] is False and out["gap_at_target_year"] > 0


def test_target_value_may_replace_the_percentage_and_a_summary_is_readable(loaded_embedded):
    out = json.loads(loaded_embedded.cli(*GAP, "--target-value", "436.6", "--json").stdout)
    assert out["target_value"] == 436.6
    text = loaded_embedded.cli(*GAP, "--reduction-pct", "40", "--stated-base-value", "727.6").stdout
    assert "South Korea (KOR)" in text and "OFF TRACK" in text and "rebased" in text


@pytest.mark.parametrize(("args", "message"), [
    (("--country", "XXX"), "unknown country 'XXX'"),
    (("--metric", "nope"), "unknown metric 'nope'"),
    (("--target-year", "2020"), "before the latest"),
    (("--reduction-pct", "140"), "within 0–100"),
])
def test_bad_input_is_one_clear_error(loaded_embedded, args, message):
    base = dict(zip(GAP[2::2], GAP[3::2], strict=True)) | {"--reduction-pct": "40"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [item for pair in base.items() for item in pair]
    result = loaded_embedded.cli("analyze", "gap", *flat, check=False)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr


def test_no_data_in_the_window_is_an_error(loaded_embedded):
    # OWID has no consumption-based CO2 for Anguilla
    result = loaded_embedded.cli("analyze", "gap", "--country", "AIA", "--metric", "consumption_co2",
                                 "--target-year", "2030", "--target-value", "1", check=False)
    assert result.returncode != 0 and "no consumption_co2 data for AIA" in result.stderr
