"""`tanso analyze gap` on the etl-loaded embedded database."""

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GAP = ("analyze", "gap", "--country", "KOR", "--metric", "total_ghg", "--base-year", "2018",
       "--target-year", "2030")


def test_gap_json_has_every_field_the_issue_names(loaded_embedded):
    out = json.loads(loaded_embedded.cli(*GAP, "--reduction-pct", "40", "--window", "5", "--json").stdout)
    # OWID 2025-05, KOR total_ghg: 2018 711.172 Mt, 2023 626.952 Mt
    assert (out["country"], out["metric"], out["base_year"], out["target_year"]) == (
        "KOR", "total_ghg", 2018, 2030)
    assert (out["latest_year"], out["latest_value"]) == (2023, pytest.approx(626.952))
    assert out["base_value"] == pytest.approx(711.172)
    assert out["target_value"] == pytest.approx(426.7032)                # 711.172 × 0.6
    assert out["recent_annual_rate_pct"] == pytest.approx(-2.4894, abs=1e-4)  # (626.952/711.172)^(1/5) − 1
    assert out["required_annual_rate_pct"] == pytest.approx(-5.3485, abs=1e-4)  # (426.7032/626.952)^(1/7) − 1
    assert out["projected_value_at_target_year"] == pytest.approx(525.530, abs=1e-3)  # 626.952 × 0.975106^7
    assert out["gap_at_target_year"] == pytest.approx(98.827, abs=1e-3)  # 525.530 − 426.7032
    assert out["on_track"] is False


def test_target_value_may_replace_the_percentage_and_a_summary_is_readable(loaded_embedded):
    out = json.loads(loaded_embedded.cli(*GAP, "--target-value", "436.6", "--json").stdout)
    assert out["target_value"] == 436.6
    text = loaded_embedded.cli(*GAP, "--reduction-pct", "40", "--stated-base-value", "727.6").stdout
    assert "South Korea (KOR)" in text and "OFF TRACK" in text and "rebased" in text


@pytest.mark.parametrize(("args", "message"), [
    (("--country", "XXX"), "unknown country 'XXX'"),
    (("--metric", "nope"), "unknown metric 'nope'"),
    (("--target-year", "2020"), "before the latest"),
    (("--reduction-pct", "140"), "reduction must be between 0 and 100 %, got 140 %"),
    (("--target-value", "inf"), "target value must be a finite number, got inf"),
    (("--target-value", "nan"), "target value must be a finite number, got nan"),
    (("--target-year", "99999"), "target year must be a year within 1750–2200, got 99999"),
    (("--net-zero-year", "2025"), "net-zero year 2025 is before the target year 2030"),
    (("--stated-base-value", "-5"), "stated base value must not be negative, got -5"),
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
