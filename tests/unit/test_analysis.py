"""Hand-checked cases for tanso.emissions.analysis; the arithmetic is in the comments."""

import numpy as np
import pandas as pd
import pytest

from tanso.emissions import analysis as an


def tidy(rows):
    return pd.DataFrame(rows, columns=["country_code", "year", "value"])


def test_yoy_change_uses_previous_calendar_year_only():
    frame = tidy([("A", 2000, 100.0), ("A", 2001, 110.0), ("A", 2003, 121.0), ("B", 2000, 0.0), ("B", 2001, 5.0)])
    out = an.yoy_change(frame)
    # 2001: 110 − 100 = 10 Mt, 10 / 100 = 10 %
    assert out.loc[1, "change"] == pytest.approx(10.0)
    assert out.loc[1, "change_pct"] == pytest.approx(10.0)
    # 2003: 2002 is missing, so no change across the gap
    assert np.isnan(out.loc[2, "change"])
    # B 2001: +5 Mt from 0, percentage undefined
    assert out.loc[4, "change"] == pytest.approx(5.0)
    assert np.isnan(out.loc[4, "change_pct"])
    assert list(out.index) == list(frame.index)


def test_duplicate_country_year_is_rejected():
    with pytest.raises(ValueError, match="duplicate rows for A 2000"):
        an.yoy_change(tidy([("A", 2000, 1.0), ("A", 2000, 2.0)]))


def test_cagr_series_hand_checked():
    # 100 → 121 over 2 years: (121/100)^(1/2) − 1 = 1.1 − 1 = 10 % per year
    series = pd.Series([100.0, 110.0, 121.0], index=[2000, 2001, 2002])
    assert an.cagr(series, start=2000, end=2002) == pytest.approx(10.0)
    # decline 121 → 100: (100/121)^(1/2) − 1 = 1/1.1 − 1 = −9.0909 %
    assert an.cagr(pd.Series([121.0, 100.0], index=[2000, 2002]), start=2000, end=2002) == pytest.approx(-9.090909)


@pytest.mark.parametrize(
    ("series", "start", "end", "message"),
    [
        (pd.Series([0.0, 5.0], index=[2000, 2001]), 2000, 2001, "positive start value"),
        (pd.Series([-1.0, 5.0], index=[2000, 2001]), 2000, 2001, "positive start value"),
        (pd.Series([5.0, -1.0], index=[2000, 2001]), 2000, 2001, "negative end value"),
        (pd.Series([5.0, np.nan], index=[2000, 2001]), 2000, 2001, "no value for 2001"),
        (pd.Series([5.0, 6.0], index=[2000, 2001]), 2001, 2001, "end > start"),
    ],
)
def test_cagr_errors(series, start, end, message):
    with pytest.raises(ValueError, match=message):
        an.cagr(series, start=start, end=end)


def test_cagr_frame_gives_nan_for_unusable_countries():
    frame = tidy([("A", 2000, 100.0), ("A", 2002, 121.0), ("B", 2000, 0.0), ("B", 2002, 5.0), ("C", 2000, 3.0)])
    rates = an.cagr(frame, start=2000, end=2002)
    assert rates["A"] == pytest.approx(10.0)
    assert np.isnan(rates["B"]) and np.isnan(rates["C"])


def test_linear_trend_three_points():
    # x = 2000, 2001, 2002; y = 1, 3, 2. x̄ = 2001, ȳ = 2; dx = −1, 0, 1; dy = −1, 1, 0
    # slope = Σdx·dy / Σdx² = 1 / 2 = 0.5; intercept = 2 − 0.5·2001 = −998.5
    # fitted 1.5, 2.0, 2.5 → residuals −0.5, 1, −0.5 → SSres = 1.5; SStot = 1 + 1 + 0 = 2; R² = 1 − 1.5/2 = 0.25
    trend = an.linear_trend(pd.Series([1.0, 3.0, 2.0], index=[2000, 2001, 2002]))
    assert trend.slope == pytest.approx(0.5)
    assert trend.intercept == pytest.approx(-998.5)
    assert trend.r2 == pytest.approx(0.25)
    assert trend.n == 3
    assert trend.at(2002) == pytest.approx(2.5)


def test_linear_trend_window_nan_and_errors():
    series = pd.Series([50.0, 1.0, np.nan, 3.0], index=[1990, 2000, 2001, 2002])
    # window 2000–2002 with 2001 NaN: points (2000, 1), (2002, 3) → slope 1, exact fit
    trend = an.linear_trend(series, start=2000, end=2002)
    assert (trend.slope, trend.n, trend.r2) == (pytest.approx(1.0), 2, pytest.approx(1.0))
    assert np.isnan(an.linear_trend(pd.Series([2.0, 2.0], index=[2000, 2001])).r2)  # flat: R² undefined
    with pytest.raises(ValueError, match="at least two observed years"):
        an.linear_trend(series, start=2002, end=2010)


def test_linear_trend_frame():
    frame = tidy([("A", 2000, 1.0), ("A", 2001, 3.0), ("A", 2002, 2.0), ("B", 2000, 4.0)])
    out = an.linear_trend(frame)
    assert out.loc["A", "slope"] == pytest.approx(0.5)
    assert np.isnan(out.loc["B", "slope"]) and out.loc["B", "n"] == 1


def test_per_capita_and_per_gdp_units():
    frame = pd.DataFrame({"country_code": ["A", "B"], "year": [2020, 2020], "value": [12.0, 1.0],
                          "population": [1_000_000, 0], "gdp": [2e9, np.nan]})
    # 12 Mt = 12e6 t over 1e6 people = 12 t/person; population 0 → NaN
    capita = an.per_capita(frame)["value_per_capita"]
    assert capita[0] == pytest.approx(12.0) and np.isnan(capita[1])
    # 12 Mt = 12e9 kg over 2e9 $ = 6 kg/$
    assert an.per_gdp(frame)["value_per_gdp"][0] == pytest.approx(6.0)


def test_share_of_world_from_rows_and_from_series():
    frame = tidy([("A", 2020, 10.0), ("OWID_WRL", 2020, 40.0), ("A", 2021, 5.0)])
    out = an.share_of_world(frame)
    # 10 / 40 = 25 %; the world is 100 % of itself; 2021 has no world value
    assert out["share_pct"].tolist()[:2] == [pytest.approx(25.0), pytest.approx(100.0)]
    assert np.isnan(out["share_pct"].iloc[2])
    out = an.share_of_world(frame, world=pd.Series({2020: 40.0, 2021: 50.0}))
    assert out["share_pct"].iloc[2] == pytest.approx(10.0)
    with pytest.raises(ValueError, match="no world rows"):
        an.share_of_world(tidy([("A", 2020, 1.0)]))


def test_cumulative_since_stops_at_holes():
    frame = tidy([("A", 2000, 1.0), ("A", 2001, 2.0), ("A", 2002, 3.0),
                  ("B", 2001, 4.0), ("B", 2002, np.nan), ("B", 2003, 1.0),
                  ("C", 2002, 7.0)])
    out = an.cumulative_since(frame, since=2001).set_index(["country_code", "year"])["cumulative"]
    # A: before 2001 NaN; 2001 → 2; 2002 → 2 + 3 = 5
    assert np.isnan(out["A", 2000]) and out["A", 2001] == 2.0 and out["A", 2002] == 5.0
    # B: 2002 is NaN, so the running sum is unknown from 2002 on
    assert out["B", 2001] == 4.0 and np.isnan(out["B", 2002]) and np.isnan(out["B", 2003])
    # C starts after 2001: the sum since 2001 is unknown
    assert np.isnan(out["C", 2002])


def test_peak_year_earliest_of_ties_and_nan_ignored():
    series = pd.Series([1.0, 5.0, np.nan, 5.0, 2.0], index=[2000, 2001, 2002, 2003, 2004])
    assert an.peak_year(series) == 2001
    frame = tidy([("A", 2001, 5.0), ("A", 2000, 5.0), ("B", 2000, np.nan), ("C", 2005, 1.0)])
    peaks = an.peak_year(frame)
    assert peaks.to_dict() == {"A": 2000, "C": 2005}
    with pytest.raises(ValueError, match="no observed values"):
        an.peak_year(pd.Series([np.nan], index=[2000]))


def test_index_to_base():
    frame = tidy([("A", 1990, 50.0), ("A", 2000, 75.0), ("B", 1990, 0.0), ("B", 2000, 3.0), ("C", 2000, 1.0)])
    out = an.index_to_base(frame, base_year=1990)["index"]
    # 75 / 50 × 100 = 150; B's base is 0 and C has none → NaN
    assert out[1] == pytest.approx(150.0) and out[0] == pytest.approx(100.0)
    assert out[2:].isna().all()


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"lacks column.*population"):
        an.per_capita(tidy([("A", 2000, 1.0)]))
