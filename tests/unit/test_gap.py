"""Hand-checked cases for tanso.emissions.gap; the arithmetic is in the comments."""

import math

import numpy as np
import pandas as pd
import pytest

from tanso.emissions.gap import (
    GapInputError,
    analyse_all_gaps,
    analyse_gap,
    analyse_target,
    series_for,
)
from tanso.emissions.targets import Target

# 2021: 121, 2022: 110, 2023: 100 Mt
FALLING = pd.Series([121.0, 110.0, 100.0], index=[2021, 2022, 2023])


def test_gap_hand_checked():
    result = analyse_gap(FALLING, country="XXX", metric="total_ghg", base_year=2021, target_year=2025,
                         target_value=81.0, window=2, net_zero_year=2050)
    d = result.to_dict()
    assert (d["latest_year"], d["latest_value"], d["window_start"]) == (2023, 100.0, 2021)
    # gap now = 100 − 81 = 19 Mt
    assert d["gap_now"] == pytest.approx(19.0)
    # required: (81/100)^(1/2) − 1 = 0.9 − 1 = −10 %/yr; straight line (81 − 100)/2 = −9.5 Mt/yr
    assert d["required_annual_rate_pct"] == pytest.approx(-10.0)
    assert d["required_annual_change_mt"] == pytest.approx(-9.5)
    # recent CAGR 2021–2023: (100/121)^(1/2) − 1 = 1/1.1 − 1 = −9.0909 %/yr
    assert d["recent_annual_rate_pct"] == pytest.approx(-9.090909)
    # OLS: dx = −1, 0, 1; dy = 10.667, −0.333, −10.333 → slope = (−10.667 − 10.333) / 2 = −10.5 Mt/yr
    assert d["trend_slope_per_year"] == pytest.approx(-10.5)
    # projection 2025 = 100 / 1.1² = 82.6446 > 81 → off track by 1.6446 Mt (2.0304 % of 81)
    assert d["projected_value_at_target_year"] == pytest.approx(82.644628)
    assert d["on_track"] is False
    assert d["gap_at_target_year"] == pytest.approx(1.644628)
    assert d["on_track_margin_mt"] == pytest.approx(-1.644628)
    assert d["on_track_margin_pct"] == pytest.approx(-1.644628 / 81 * 100)
    # years: ln(0.81)/ln(1/1.1) = 2.2109 → ⌈⌉ = 3 → 2026; trend 100 − 10.5·2 = 79, (81 − 100)/−10.5 = 1.81 → 2025
    assert d["projected_year_reaching_target"] == 2026
    assert d["projected_value_at_target_year_trend"] == pytest.approx(79.0)
    assert d["projected_year_reaching_target_trend"] == 2025
    assert d["pathway"] == [{"year": 2021, "value": 121.0}, {"year": 2025, "value": 81.0}, {"year": 2050, "value": 0.0}]
    assert d["rebased"] is None


def test_json_fields_of_a_percentage_target_hand_checked():
    d = analyse_gap(FALLING, country="XXX", metric="total_ghg", base_year=2021, target_year=2030,
                    reduction_pct=40, window=2).to_dict()
    approx = pytest.approx
    assert d == {
        "country": "XXX", "metric": "total_ghg", "latest_year": 2023, "latest_value": 100.0,
        "window_start": 2021, "comparable": True, "base_year": 2021, "stated_base_value": None,
        "target_year": 2030, "rebased": None, "caveats": [],
        "recent_annual_rate_pct": approx(-9.090909),         # (100/121)^(1/2) − 1
        "trend_slope_per_year": approx(-10.5),
        "trend_r2": approx(0.999245, abs=1e-6),             # 1 − 0.1667/220.67 (residuals ±0.167)
        "base_value": 121.0,
        "target_value": approx(72.6),                        # −40 % of 121
        "gap_now": approx(27.4),                             # 100 − 72.6
        "required_annual_rate_pct": approx(-4.471314),       # 0.726^(1/7) − 1
        "required_annual_change_mt": approx(-3.914286),      # (72.6 − 100) / 7
        "projected_value_at_target_year": approx(51.315812),  # 100 / 1.1^7
        "projected_value_at_target_year_trend": approx(26.5),  # 100 − 10.5 × 7
        "gap_at_target_year": approx(-21.284188),            # 51.3158 − 72.6
        "on_track": True,
        "on_track_margin_mt": approx(21.284188),
        "on_track_margin_pct": approx(29.317064),            # 21.2842 / 72.6
        "projected_year_reaching_target": 2027,              # ln 0.726 / ln(1/1.1) = 3.36 → 4 years
        "projected_year_reaching_target_trend": 2026,        # 27.4 / 10.5 = 2.61 → 3 years
        "pathway": [{"year": 2021, "value": 121.0}, {"year": 2030, "value": approx(72.6)}],
    }


def test_korea_stated_base_differs_from_data():
    # OWID-like 2018 = 700, 2023 = 600 with the years between missing; NDC states 727.6 → −40 %
    series = pd.Series([700.0, np.nan, 600.0], index=[2018, 2020, 2023])
    result = analyse_gap(series, country="KOR", metric="total_ghg", base_year=2018, target_year=2030,
                         reduction_pct=40, stated_base_value=727.6, net_zero_year=2050)
    # as stated: 727.6 × 0.6 = 436.56; gap now 600 − 436.56 = 163.44
    assert result.target_value == pytest.approx(436.56)
    assert result.stated.gap_now == pytest.approx(163.44)
    # rebased: 700 × 0.6 = 420; gap now 180
    assert result.rebased.target_value == pytest.approx(420.0)
    assert result.rebased.gap_now == pytest.approx(180.0)
    # recent CAGR 2018–2023: (600/700)^(1/5) − 1 = exp(0.2 · ln 0.857143) − 1 = −3.0360 %
    assert result.recent_annual_rate_pct == pytest.approx(-3.0360, abs=1e-4)
    # required as stated: (436.56/600)^(1/7) − 1 = exp(ln(0.7276)/7) − 1 = −4.4413 %
    assert result.stated.required_annual_rate_pct == pytest.approx(-4.4413, abs=1e-4)
    assert result.base_value == 700.0 and result.stated_base_value == 727.6
    assert result.pathway[0] == (2018, 727.6)
    assert any("727.6 Mt" in c and "700.0 Mt" in c and "420.0 Mt" in c for c in result.caveats)
    # projection 2030 = 600 × 0.96964^7 = 483.5 > 436.56 → off track
    assert not result.stated.on_track


def test_korea_stated_target_value_implies_the_percentage():
    series = pd.Series([700.0, 600.0], index=[2018, 2023])
    result = analyse_gap(series, country="KOR", metric="total_ghg", base_year=2018, target_year=2030,
                         target_value=436.6, stated_base_value=727.6)
    # implied reduction 1 − 436.6/727.6 = 39.995 %; on the data base 700 × 436.6/727.6 = 420.04
    assert result.target_value == 436.6
    assert result.rebased.target_value == pytest.approx(700 * 436.6 / 727.6)


def test_rising_emissions_never_reach_the_target():
    rising = pd.Series([100.0, 110.0], index=[2022, 2023])
    result = analyse_gap(rising, country="XXX", metric="co2", base_year=2022, target_year=2030, reduction_pct=10)
    assert result.stated.projected_year_reaching_target is None
    assert result.stated.projected_year_reaching_target_trend is None
    assert any("rose" in c for c in result.caveats)


def test_already_below_target_and_net_zero():
    result = analyse_gap(FALLING, country="XXX", metric="co2", base_year=None, target_year=2030, target_value=150)
    assert result.stated.projected_year_reaching_target == 2023 and result.stated.on_track
    zero = analyse_gap(FALLING, country="XXX", metric="co2", base_year=None, target_year=2050,
                       target_value=0, window=2)
    # a constant % never reaches zero; the trend does: (0 − 100)/−10.5 = 9.52 → 10 → 2033
    assert zero.stated.required_annual_rate_pct is None
    assert zero.stated.projected_year_reaching_target is None
    assert zero.stated.projected_year_reaching_target_trend == 2033
    assert zero.stated.on_track_margin_pct is None
    assert any("never reaches zero" in c for c in zero.caveats)


@pytest.mark.parametrize(
    ("series", "kwargs", "message"),
    [
        (pd.Series([], dtype=float), {}, "no total_ghg data for KOR$"),
        (pd.Series([1.0, 2.0], index=[2015, 2023]), {}, "no total_ghg data for KOR in 2018–2022"),
        (FALLING, {"target_year": 2020, "base_year": 2010}, "target year 2020 is before the latest"),
        (FALLING, {"reduction_pct": 140}, "reduction must be between 0 and 100 %, got 140 %"),
        (FALLING, {"reduction_pct": None}, "give a reduction percentage or a target value"),
        (FALLING, {"base_year": 2000}, "no total_ghg value for KOR in base year 2000"),
        (FALLING, {"window": 0}, "window must be at least 1"),
    ],
)
def test_gap_errors(series, kwargs, message):
    args = {"country": "KOR", "metric": "total_ghg", "base_year": 2021, "target_year": 2030,
            "reduction_pct": 40} | kwargs
    with pytest.raises(GapInputError, match=message):
        analyse_gap(series, **args)


def test_intensity_target_is_a_caveat_not_a_crash():
    target = Target(country_code="CHN", country_name="China", name="2030 CO2 intensity", metric="co2",
                    target_type="intensity_per_gdp", target_year=2030, base_year=2005, reduction_pct=65)
    result = analyse_target(FALLING, target)
    assert result.comparable is False and result.target_value is None
    assert "not comparable as an absolute level" in result.caveats[0]
    assert result.to_dict()["on_track"] is None


def test_analyse_all_gaps_table():
    frame = pd.DataFrame({"country_code": ["AAA"] * 3 + ["BBB"] * 2, "year": [2021, 2022, 2023, 2022, 2023],
                          "total_ghg": [121.0, 110.0, 100.0, 5.0, 6.0]})
    targets = [
        Target(country_code="AAA", country_name="A", name="t1", metric="total_ghg",
               target_type="absolute_level", target_year=2025, target_value=81.0),
        Target(country_code="BBB", country_name="B", name="peak", metric="total_ghg",
               target_type="peak", target_year=2030),
        Target(country_code="ZZZ", country_name="Z", name="t3", metric="total_ghg",
               target_type="absolute_level", target_year=2030, target_value=1.0),
        Target(country_code="AAA", country_name="A", name="t4", metric="co2",
               target_type="absolute_level", target_year=2030, target_value=1.0),
    ]
    table = analyse_all_gaps(frame, targets, window=2)
    assert table.loc[0, "projected_year_reaching_target"] == 2026
    assert not table.loc[1, "comparable"]
    assert table.loc[2, "error"] == "no data for country ZZZ"
    assert "no column 'co2'" in table.loc[3, "error"]
    assert math.isclose(table.loc[0, "target_value"], 81.0)


def test_series_for_names_unknown_country_and_metric():
    frame = pd.DataFrame({"country_code": ["KOR", "KOR"], "year": [2022, 2023], "total_ghg": [2.0, 1.0]})
    assert series_for(frame, country="KOR", metric="total_ghg").to_dict() == {2022: 2.0, 2023: 1.0}
    with pytest.raises(GapInputError, match="unknown country 'XYZ'"):
        series_for(frame, country="XYZ", metric="total_ghg")
    with pytest.raises(GapInputError, match="unknown metric 'co2'; choose one of total_ghg"):
        series_for(frame, country="KOR", metric="co2")
