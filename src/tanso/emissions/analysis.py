"""Pure, vectorised analysis functions for national emission series.

Input conventions
-----------------
- **Tidy frame**: one row per (``country_code``, ``year``) with a numeric ``value`` column, plus
  ``population`` / ``gdp`` where a function needs them. ``year`` is an integer calendar year.
  Frame transforms (`yoy_change`, `per_capita`, `per_gdp`, `share_of_world`, `cumulative_since`,
  `index_to_base`) return a copy with new columns added, same rows, same order, same index.
- **Series**: the values of one country indexed by integer year. The summaries (`cagr`,
  `linear_trend`, `peak_year`) take a Series and return a scalar (or `Trend`); given a tidy frame
  they return one result per ``country_code``.

Missing data: an absent year and a year whose value is NaN mean the same thing, "no observation".
Each docstring says what a function does with one. With a Series, bad input raises `ValueError`;
with a frame, a country whose input is unusable gets NaN so one bad country never sinks the rest.

Units: OWID emission columns are Mt (CO2 or CO2e), ``population`` is persons, ``gdp`` is
international-$ (constant 2011 prices). Rates are % per year, negative for decline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import numpy as np
import pandas as pd

COUNTRY, YEAR, VALUE = "country_code", "year", "value"

@dataclass(frozen=True)
class Trend:
    """Ordinary least-squares line value = intercept + slope · year.

    slope in value units per year (Mt/yr for emissions); r2 the coefficient of determination
    (NaN when all values are equal, where it is undefined); n the number of points fitted.
    """

    slope: float
    intercept: float
    r2: float
    n: int

    def at(self, year: float) -> float:
        return self.intercept + self.slope * year


# ---------------------------------------------------------------- helpers


def _require_columns(frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks column(s) {', '.join(missing)}; has {', '.join(map(str, frame.columns))}")


def _require_tidy(frame: pd.DataFrame, extra: tuple[str, ...] = ()) -> None:
    _require_columns(frame, [COUNTRY, YEAR, VALUE, *extra])
    if frame.duplicated([COUNTRY, YEAR]).any():
        first = frame[frame.duplicated([COUNTRY, YEAR])].iloc[0]
        raise ValueError(f"duplicate rows for {first[COUNTRY]} {first[YEAR]}: one row per country and year")


def _observed(series: pd.Series) -> pd.Series:
    """The non-NaN values of a year-indexed Series, sorted by year."""
    if not isinstance(series, pd.Series):
        raise TypeError(f"expected a pandas Series indexed by year, got {type(series).__name__}")
    return series.dropna().sort_index()


def _to_series(frame: pd.DataFrame, country: str) -> pd.Series:
    rows = frame[frame[COUNTRY] == country]
    return pd.Series(rows[VALUE].to_numpy(float), index=rows[YEAR].to_numpy(int))


def _ratio(numerator: pd.Series, denominator: pd.Series, scale: float) -> pd.Series:
    """numerator × scale / denominator, NaN where the denominator is missing or not positive."""
    denominator = denominator.where(denominator > 0)
    return numerator * scale / denominator


def cagr_pct(first: float | np.ndarray, last: float | np.ndarray, years: float | np.ndarray):
    """Compound annual growth rate in % per year: ((last / first) ** (1 / years) − 1) × 100.

    The bare formula, on scalars or arrays, with no checks; `cagr` validates its input.
    """
    return (np.power(last / first, 1.0 / years) - 1.0) * 100.0


def fit_line(years: np.ndarray, values: np.ndarray) -> Trend:
    """OLS fit of values on years (NaN pairs dropped). Needs two distinct years."""
    years, values = np.asarray(years, float), np.asarray(values, float)
    keep = ~np.isnan(values)
    x, y = years[keep], values[keep]
    if len(np.unique(x)) < 2:
        raise ValueError(f"a linear trend needs at least two years with data, got {x.size}")
    # Centre x: years near 2000 squared lose precision in the normal equations.
    x_mean, y_mean = x.mean(), y.mean()
    dx, dy = x - x_mean, y - y_mean
    slope = float((dx * dy).sum() / (dx * dx).sum())
    intercept = float(y_mean - slope * x_mean)
    ss_tot = float((dy * dy).sum())
    ss_res = float(((dy - slope * dx) ** 2).sum())
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else float("nan")
    return Trend(slope=slope, intercept=intercept, r2=r2, n=len(x))


# ---------------------------------------------------------------- frame transforms


def yoy_change(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``change`` = value(t) − value(t−1) (value units) and ``change_pct`` = change / value(t−1) × 100.

    Only against the previous calendar year: when year t−1 is absent or NaN both are NaN, never a
    change across a gap. ``change_pct`` is NaN when value(t−1) is 0.
    """
    _require_tidy(frame)
    previous = frame[[COUNTRY, YEAR, VALUE]].rename(columns={VALUE: "_previous"})
    previous[YEAR] = previous[YEAR] + 1
    merged = frame[[COUNTRY, YEAR]].merge(previous, on=[COUNTRY, YEAR], how="left")
    prior = pd.Series(merged["_previous"].to_numpy(float), index=frame.index)
    out = frame.copy()
    out["change"] = out[VALUE] - prior
    out["change_pct"] = out["change"] * 100.0 / prior.where(prior != 0)
    return out


def per_capita(frame: pd.DataFrame, *, scale: float = 1e6) -> pd.DataFrame:
    """Add ``value_per_capita`` = value × scale / population.

    With value in Mt and the default scale (10⁶ t per Mt) the result is t per person.
    NaN where population is missing or not positive.
    """
    _require_tidy(frame, ("population",))
    return frame.assign(value_per_capita=_ratio(frame[VALUE], frame["population"], scale))


def per_gdp(frame: pd.DataFrame, *, scale: float = 1e9) -> pd.DataFrame:
    """Add ``value_per_gdp`` = value × scale / gdp.

    With value in Mt and gdp in international-$, the default scale (10⁹ kg per Mt) gives kg per $,
    the unit of OWID's ``co2_per_gdp``. NaN where gdp is missing or not positive.
    """
    _require_tidy(frame, ("gdp",))
    return frame.assign(value_per_gdp=_ratio(frame[VALUE], frame["gdp"], scale))


def share_of_world(
    frame: pd.DataFrame, *, world: pd.Series | None = None, world_code: str = "OWID_WRL"
) -> pd.DataFrame:
    """Add ``share_pct`` = value / world value of the same year × 100.

    The world series is ``world`` (indexed by year) or, when None, the frame's own rows whose
    country_code is ``world_code``. NaN for years without a positive world value.
    """
    _require_tidy(frame)
    if world is None:
        world = _to_series(frame, world_code)
        if world.dropna().empty:
            raise ValueError(f"no world rows (country_code {world_code!r}) in the frame and no world series given")
    world_at_year = frame[YEAR].map(world)
    return frame.assign(share_pct=_ratio(frame[VALUE], world_at_year, 100.0))


def cumulative_since(frame: pd.DataFrame, *, since: int) -> pd.DataFrame:
    """Add ``cumulative`` = Σ value from ``since`` to each year, inclusive (value units, e.g. Mt).

    NaN for years before ``since``. A sum over an unobserved year is unknown, so from the first
    absent or NaN year on (including ``since`` itself) the cumulative value of that country is NaN,
    rather than silently treating the hole as zero.
    """
    _require_tidy(frame)
    window = frame[frame[YEAR] >= since].sort_values([COUNTRY, YEAR])
    groups = window.groupby(COUNTRY, sort=False)
    expected_year = since + groups.cumcount()
    broken = (window[YEAR] != expected_year) | window[VALUE].isna()
    broken = broken.groupby(window[COUNTRY], sort=False).cummax()
    running = window[VALUE].fillna(0.0).groupby(window[COUNTRY], sort=False).cumsum()
    return frame.assign(cumulative=running.mask(broken).reindex(frame.index))


def index_to_base(frame: pd.DataFrame, *, base_year: int, base: float = 100.0) -> pd.DataFrame:
    """Add ``index`` = value / value(base_year) × base (dimensionless; base year = 100 by default).

    NaN for every year of a country whose base-year value is absent, NaN or 0.
    """
    _require_tidy(frame)
    at_base = frame.loc[frame[YEAR] == base_year].set_index(COUNTRY)[VALUE]
    base_values = frame[COUNTRY].map(at_base)
    return frame.assign(index=frame[VALUE] * base / base_values.where(base_values != 0))


# ---------------------------------------------------------------- summaries


@overload
def cagr(data: pd.Series, *, start: int, end: int) -> float: ...
@overload
def cagr(data: pd.DataFrame, *, start: int, end: int) -> pd.Series: ...


def cagr(data, *, start, end):
    """Compound annual growth rate between two years, % per year (negative for decline).

    CAGR = ((value(end) / value(start)) ** (1 / (end − start)) − 1) × 100.
    Series: raises ValueError when end ≤ start, either year is unobserved, value(start) ≤ 0 or
    value(end) < 0. Frame: a Series by country_code, NaN for countries failing those conditions.
    """
    if end <= start:
        raise ValueError(f"CAGR needs end > start, got {start}–{end}")
    if isinstance(data, pd.DataFrame):
        _require_tidy(data)
        wide = data.pivot(index=COUNTRY, columns=YEAR, values=VALUE)
        first = wide[start] if start in wide else pd.Series(np.nan, index=wide.index)
        last = wide[end] if end in wide else pd.Series(np.nan, index=wide.index)
        rate = cagr_pct(first.where(first > 0), last.where(last >= 0), end - start)
        return rate.rename("cagr_pct")
    observed = _observed(data)
    for year in (start, end):
        if year not in observed.index:
            raise ValueError(f"no value for {year}: CAGR {start}–{end} needs both years")
    first, last = float(observed[start]), float(observed[end])
    if first <= 0:
        raise ValueError(f"CAGR needs a positive start value, got {first} in {start}")
    if last < 0:
        raise ValueError(f"CAGR is undefined for a negative end value ({last} in {end})")
    return float(cagr_pct(first, last, end - start))


def linear_trend(data, *, start: int | None = None, end: int | None = None):
    """OLS trend over the years start..end inclusive (None: open-ended), NaN values skipped.

    Series: a `Trend`; raises ValueError with fewer than two observed years in the window.
    Frame: a DataFrame by country_code with columns slope, intercept, r2, n (NaN, n = count, for
    countries with fewer than two points).
    """
    def in_window(years):
        return (years >= (start if start is not None else -np.inf)) & (years <= (end if end is not None else np.inf))

    if isinstance(data, pd.DataFrame):
        _require_tidy(data)
        rows = data[in_window(data[YEAR]) & data[VALUE].notna()]
        fits = {}
        for country, group in rows.groupby(COUNTRY, sort=True):
            try:
                fits[country] = fit_line(group[YEAR].to_numpy(), group[VALUE].to_numpy())
            except ValueError:
                fits[country] = Trend(np.nan, np.nan, np.nan, len(group))
        return pd.DataFrame.from_dict({k: vars(v) for k, v in fits.items()}, orient="index")
    observed = _observed(data)
    observed = observed[in_window(observed.index)]
    if len(observed) < 2:
        raise ValueError(f"a linear trend needs at least two observed years in {start}–{end}, got {len(observed)}")
    return fit_line(observed.index.to_numpy(), observed.to_numpy())


def peak_year(data):
    """The year of the highest observed value (the earliest of ties); NaN values are ignored.

    Series: an int; raises ValueError when nothing is observed. Frame: a Series of int by
    country_code; countries with no observation are absent.
    """
    if isinstance(data, pd.DataFrame):
        _require_tidy(data)
        rows = data.dropna(subset=[VALUE]).sort_values([COUNTRY, YEAR])
        best = rows.groupby(COUNTRY)[VALUE].idxmax()  # first occurrence = earliest year of a tie
        return rows.loc[best.to_numpy()].set_index(COUNTRY)[YEAR].rename("peak_year")
    observed = _observed(data)
    if observed.empty:
        raise ValueError("no observed values: a peak year needs data")
    return int(observed.idxmax())
