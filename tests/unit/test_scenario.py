"""Hand-checked cases for tanso.emissions.scenario; the arithmetic is in the comments."""

import pytest

from tanso.emissions.scenario import (
    cumulative,
    project_scenario,
    straight_line_to_net_zero,
    summarise_scenario,
    year_target_met,
)


def test_single_rate():
    # 100 Mt in 2023, −10 %/yr: 2024 = 90, 2025 = 81
    projection = project_scenario(2023, 100.0, rates=10, until=2025)
    assert projection["year"].tolist() == [2023, 2024, 2025]
    assert projection["value"].tolist() == pytest.approx([100.0, 90.0, 81.0])
    assert projection["rate_pct"].iloc[1:].tolist() == [10.0, 10.0]


def test_rates_by_period():
    # 2024–2025 at 10 %: 90, 81; 2026 at 50 %: 40.5
    projection = project_scenario(2023, 100.0, rates=[(2024, 2025, 10), (2026, 2026, 50)], until=2026)
    assert projection["value"].tolist() == pytest.approx([100.0, 90.0, 81.0, 40.5])


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        (120, "between 0 and 100 %, got 120 %"),
        (-5, "between 0 and 100 %, got -5 %"),
        ([(2024, 2030, 5)], "no rate for 2031–2050"),
        ([(2024, 2040, 5), (2035, 2050, 3)], "overlaps"),
        ([(2030, 2024, 5)], "ends before it starts"),
    ],
)
def test_invalid_rates(rates, message):
    with pytest.raises(ValueError, match=message):
        project_scenario(2023, 100.0, rates=rates, until=2050)


def test_until_must_follow_latest_year():
    with pytest.raises(ValueError, match="must be after the latest year"):
        project_scenario(2023, 100.0, rates=5, until=2023)


def test_year_met_and_cumulative():
    projection = project_scenario(2023, 100.0, rates=10, until=2025)
    assert year_target_met(projection, 81.0) == 2025
    assert year_target_met(projection, 80.0) is None
    # 2024–2025: 90 + 81 = 171 Mt
    assert cumulative(projection, 2024, 2025) == pytest.approx(171.0)
    with pytest.raises(ValueError, match="does not cover every year of 2024–2030"):
        cumulative(projection, 2024, 2030)


def test_straight_line_to_net_zero():
    # 100 in 2023 → 0 in 2025: 100, 50, 0
    line = straight_line_to_net_zero(2023, 100.0, 2025)
    assert line["value"].tolist() == pytest.approx([100.0, 50.0, 0.0])
    with pytest.raises(ValueError, match="net-zero year"):
        straight_line_to_net_zero(2023, 100.0, 2020)


def test_summary_against_straight_line():
    projection = project_scenario(2023, 100.0, rates=10, until=2026)
    summary = summarise_scenario(projection, net_zero_year=2025, targets={"half": 50.0, "80": 81.0})
    # scenario 2024–2026: 90 + 81 + 72.9 = 243.9; line: 50 + 0 + 0 (zero after net zero) = 50
    assert (summary["start_year"], summary["end_year"]) == (2024, 2026)
    assert summary["cumulative_scenario_mt"] == pytest.approx(243.9)
    assert summary["cumulative_straight_line_mt"] == pytest.approx(50.0)
    assert summary["cumulative_excess_mt"] == pytest.approx(193.9)
    assert summary["target_years"] == {"half": None, "80": 2025}
