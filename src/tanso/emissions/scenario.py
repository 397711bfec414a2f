"""What-if scenarios: user-set annual reduction rates projected from the latest year.

A projection is a frame with columns ``year``, ``value`` (Mt) and ``rate_pct`` (the reduction applied
in that year, NaN in the first row), starting at the latest observed year:

    value(t) = value(t − 1) × (1 − rate(t) / 100)

``rate(t)`` is the annual reduction in % (0–100; 0 = flat, 100 = zero the next year) of the period
containing year t. Growth (a negative reduction) is refused, so the apps can show the same message for
any rate outside 0–100 %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from tanso.emissions.inputs import check_percent

Period = tuple[int, int, float]  # first year, last year (inclusive), annual reduction %


def _check_rate(pct: float) -> None:
    check_percent(pct, name="an annual reduction rate")


def _rates_by_year(rates: float | Sequence[Period], years: np.ndarray) -> np.ndarray:
    if isinstance(rates, (int, float)):
        _check_rate(rates)
        return np.full(len(years), float(rates))
    by_year = np.full(len(years), np.nan)
    for start, end, pct in rates:
        _check_rate(pct)
        if end < start:
            raise ValueError(f"period {start}–{end} ends before it starts")
        inside = (years >= start) & (years <= end)
        if (inside & ~np.isnan(by_year)).any():
            raise ValueError(f"period {start}–{end} overlaps another period")
        by_year[inside] = pct
    if np.isnan(by_year).any():
        uncovered = years[np.isnan(by_year)]
        raise ValueError(f"no rate for {uncovered.min()}–{uncovered.max()}: "
                         f"periods must cover {years.min()}–{years.max()}")
    return by_year


def project_scenario(latest_year: int, latest_value: float, *, rates: float | Sequence[Period],
                     until: int = 2050) -> pd.DataFrame:
    """Project ``latest_value`` (Mt in ``latest_year``) to ``until`` under annual reduction rates.

    ``rates`` is one reduction % for every year, or periods ``(first_year, last_year, pct)`` that
    together cover latest_year + 1 … until without overlapping. Raises ValueError for a rate outside
    0–100 %, uncovered or overlapping periods, ``until`` ≤ latest_year or a negative latest value.
    """
    if until <= latest_year:
        raise ValueError(f"until ({until}) must be after the latest year ({latest_year})")
    if latest_value < 0:
        raise ValueError(f"latest value must not be negative, got {latest_value}")
    years = np.arange(latest_year + 1, until + 1)
    rate = _rates_by_year(rates, years)
    values = latest_value * np.cumprod(1 - rate / 100)
    return pd.DataFrame({
        "year": np.concatenate([[latest_year], years]),
        "value": np.concatenate([[float(latest_value)], values]),
        "rate_pct": np.concatenate([[np.nan], rate]),
    })


def year_target_met(projection: pd.DataFrame, target_value: float) -> int | None:
    """The first year whose value is at or below ``target_value`` (Mt); None if never within the frame."""
    met = projection.loc[projection["value"] <= target_value, "year"]
    return int(met.iloc[0]) if len(met) else None


def cumulative(projection: pd.DataFrame, start: int, end: int) -> float:
    """Σ value for start ≤ year ≤ end (Mt summed over years = Mt). Raises ValueError if a year is missing."""
    window = projection[(projection["year"] >= start) & (projection["year"] <= end)]
    if len(window) != end - start + 1 or window["value"].isna().any():
        raise ValueError(f"the projection does not cover every year of {start}–{end}")
    return float(window["value"].sum())


def straight_line_to_net_zero(latest_year: int, latest_value: float, net_zero_year: int) -> pd.DataFrame:
    """Linear path from ``latest_value`` in ``latest_year`` to 0 in ``net_zero_year``: year, value (Mt)."""
    if net_zero_year <= latest_year:
        raise ValueError(f"net-zero year ({net_zero_year}) must be after the latest year ({latest_year})")
    years = np.arange(latest_year, net_zero_year + 1)
    values = latest_value * (net_zero_year - years) / (net_zero_year - latest_year)
    return pd.DataFrame({"year": years, "value": values.astype(float)})


def summarise_scenario(projection: pd.DataFrame, *, net_zero_year: int,
                       targets: Mapping[str, float] | None = None) -> dict:
    """Cumulative emissions of the scenario vs the straight line to net zero, and when each target is met.

    The cumulative window runs from the first projected year (latest + 1) to the projection's last year,
    e.g. 2024–2050; the straight line is 0 after ``net_zero_year``. ``targets`` maps a label to a level
    in Mt; the result gives the year each is first met (None: not by the last year).
    """
    latest_year, latest_value = int(projection["year"].iloc[0]), float(projection["value"].iloc[0])
    start, end = latest_year + 1, int(projection["year"].iloc[-1])
    line = straight_line_to_net_zero(latest_year, latest_value, net_zero_year)
    line = line.set_index("year")["value"].reindex(range(start, end + 1), fill_value=0.0)
    scenario_total = cumulative(projection, start, end)
    line_total = float(line.sum())
    return {
        "start_year": start,
        "end_year": end,
        "cumulative_scenario_mt": scenario_total,
        "cumulative_straight_line_mt": line_total,
        "cumulative_excess_mt": scenario_total - line_total,
        "target_years": {name: year_target_met(projection, level) for name, level in (targets or {}).items()},
    }
