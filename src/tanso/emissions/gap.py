"""Gap to target: how far a country's emissions are from a target and whether the recent pace gets there.

Formulas (values in Mt, rates in % per year, negative for decline; L = latest observed year, v_L its value,
T = target year, V = target level, w = window in years):

- gap now                 = v_L − V  (Mt above the target level; negative when already below)
- required annual rate    r* = ((V / v_L) ** (1 / (T − L)) − 1) × 100
- required annual change  (V − v_L) / (T − L)  Mt/yr (the straight line; the only one that reaches 0)
- recent annual rate      r = CAGR over [L − w, L], from the first observed year in that window
- trend slope             OLS slope over the observed years of the same window, Mt/yr
- projection (rate)       v_L · (1 + r/100) ** (t − L)
- projection (trend)      v_L + slope · (t − L)  (anchored at v_L so both projections start together)
- year reaching target    L + ⌈ln(V / v_L) / ln(1 + r/100)⌉; None when r ≥ 0 or V ≤ 0;
                          trend: L + ⌈(V − v_L) / slope⌉, None when slope ≥ 0; L when v_L ≤ V already
- on track                projection (rate) at T ≤ V; margin = V − projection (Mt; negative = shortfall),
                          margin % = margin / V × 100 (None for a zero target)
- pathway                 straight lines through (base year, base value) → (T, V) → (net-zero year, 0)

When the target states its own base value (e.g. Korea's 727.6 Mt for 2018) and it differs from the
data's base-year value (OWID: 711.2 Mt), the result keeps the stated target as the main measure and adds
`rebased`: the stated reduction % applied to the data's own base-year value, measured the same way.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from tanso.emissions.analysis import COUNTRY, YEAR, cagr_pct, fit_line
from tanso.emissions.inputs import AnalysisInputError, check_target
from tanso.emissions.targets import Target
from tanso.sectors.bases import basis_caveat

# Stated and data base values closer than this (relative) are treated as the same inventory.
BASE_MISMATCH_TOLERANCE = 0.005
# Below this R² the linear trend is flagged as a poor description of the window.
LOW_R2 = 0.5
_NOT_LEVEL = "{name} is a {kind} target: not comparable as an absolute level."


# The series or the target cannot support a gap analysis; the message says which and why.
# One class with the input checks (tanso.emissions.inputs), so callers catch one error.
GapInputError = AnalysisInputError


@dataclass(frozen=True)
class Measurement:
    """The gap against one target level (see the module docstring for the formulas)."""

    target_value: float
    gap_now: float
    required_annual_rate_pct: float | None
    required_annual_change_mt: float | None
    gap_at_target_year: float
    on_track: bool
    on_track_margin_mt: float
    on_track_margin_pct: float | None
    projected_year_reaching_target: int | None
    projected_year_reaching_target_trend: int | None


@dataclass(frozen=True)
class GapResult:
    """Everything the gap view and `tanso analyze gap --json` show for one country, metric and target.

    ``target_value`` and the flat gap fields are the target as stated; ``rebased`` holds the same
    measures for the stated % applied to the data's base-year value, when the two bases differ.
    Fields depending on the target are None when the target sets no absolute level (``comparable``).
    """

    country: str
    metric: str
    latest_year: int
    latest_value: float
    window_start: int
    recent_annual_rate_pct: float
    trend_slope_per_year: float
    trend_r2: float
    comparable: bool = True
    base_year: int | None = None
    base_value: float | None = None          # the data's value in base_year
    stated_base_value: float | None = None   # the target's own base value, if it states one
    target_year: int | None = None
    target_value: float | None = None
    projected_value_at_target_year: float | None = None
    projected_value_at_target_year_trend: float | None = None
    stated: Measurement | None = None
    rebased: Measurement | None = None
    pathway: tuple[tuple[int, float], ...] = ()
    caveats: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        """A JSON-ready dict: the stated measurement's fields flattened, `rebased` nested."""
        out = asdict(self)
        stated = out.pop("stated") or dict.fromkeys(Measurement.__dataclass_fields__)
        stated.pop("target_value")
        tail = {key: out.pop(key) for key in ("rebased", "pathway", "caveats")}
        out.update(stated)
        out["rebased"] = tail["rebased"]
        out["pathway"] = [{"year": year, "value": value} for year, value in self.pathway]
        out["caveats"] = list(self.caveats)
        return out


# ---------------------------------------------------------------- core (numpy, one series)


def _observations(years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = ~np.isnan(values)
    order = np.argsort(years[keep], kind="stable")
    return years[keep][order].astype(int), values[keep][order]


def _year_reaching(latest_year: int, latest: float, target: float, *, rate_pct: float, slope: float):
    """Years the target level is first reached under the rate and under the trend (None: never)."""
    if latest <= target:
        return latest_year, latest_year
    by_rate = None
    if rate_pct < 0 and target > 0:
        # Subtract a hair before ceil so an exact whole number of years is not pushed one year later.
        by_rate = latest_year + math.ceil(math.log(target / latest) / math.log1p(rate_pct / 100) - 1e-9)
    by_trend = latest_year + math.ceil((target - latest) / slope - 1e-9) if slope < 0 else None
    return by_rate, by_trend


def _measure(target: float, *, latest_year: int, latest: float, target_year: int,
             rate_pct: float, slope: float, projected: float) -> Measurement:
    years_left = target_year - latest_year
    if years_left > 0:
        required_change = (target - latest) / years_left
        required_rate = float(cagr_pct(latest, target, years_left)) if target > 0 and latest > 0 else None
    else:
        required_change = required_rate = None
    margin = target - projected
    by_rate, by_trend = _year_reaching(latest_year, latest, target, rate_pct=rate_pct, slope=slope)
    return Measurement(
        target_value=target, gap_now=latest - target,
        required_annual_rate_pct=required_rate, required_annual_change_mt=required_change,
        gap_at_target_year=projected - target, on_track=bool(projected <= target),
        on_track_margin_mt=margin, on_track_margin_pct=margin / target * 100 if target > 0 else None,
        projected_year_reaching_target=by_rate, projected_year_reaching_target_trend=by_trend,
    )


def _recent(years, values, *, country, metric, window):
    """Latest observation, window start, CAGR and OLS trend over [L − window, L]."""
    if window < 1:
        raise GapInputError(f"window must be at least 1 year, got {window}")
    years, values = _observations(np.asarray(years), np.asarray(values, float))
    if len(years) == 0:
        raise GapInputError(f"no {metric} data for {country}")
    latest_year, latest = int(years[-1]), float(values[-1])
    in_window = years >= latest_year - window
    if in_window.sum() < 2:
        raise GapInputError(f"no {metric} data for {country} in {latest_year - window}–{latest_year - 1}: "
                            f"a recent rate needs a second year besides {latest_year}")
    first_year, first = int(years[in_window][0]), float(values[in_window][0])
    if first <= 0 or latest < 0:
        raise GapInputError(f"{metric} for {country} is not positive in {first_year}–{latest_year}: "
                            "a compound rate is undefined")
    trend = fit_line(years[in_window], values[in_window])
    rate = float(cagr_pct(first, latest, latest_year - first_year))
    return years, values, latest_year, latest, first_year, rate, trend


def _gap(years, values, *, country, metric, base_year, target_year, reduction_pct, target_value,
         window, net_zero_year, stated_base_value, extra_caveats=()) -> GapResult:
    try:
        check_target(base_year=base_year, target_year=target_year, reduction_pct=reduction_pct,
                     target_value=target_value, stated_base_value=stated_base_value,
                     net_zero_year=net_zero_year)
    except AnalysisInputError as exc:  # callers catch GapInputError for every bad gap input
        raise GapInputError(str(exc)) from None
    years, values, latest_year, latest, first_year, rate, trend = _recent(
        years, values, country=country, metric=metric, window=window)
    if target_year < latest_year:
        raise GapInputError(f"target year {target_year} is before the latest {metric} year for "
                            f"{country} ({latest_year})")

    at_base = values[years == base_year] if base_year is not None else []
    data_base = float(at_base[0]) if len(at_base) else None
    # The stated target level: a stated value wins, else the stated % on the stated (or data) base.
    pct = reduction_pct
    if pct is None and stated_base_value:
        pct = (1 - target_value / stated_base_value) * 100
    if target_value is None:
        base_for_target = stated_base_value if stated_base_value is not None else data_base
        if base_for_target is None:
            raise GapInputError(f"no {metric} value for {country} in base year {base_year} "
                                "and no stated base value")
        target_value = base_for_target * (1 - pct / 100)

    horizon = target_year - latest_year
    projected = latest * (1 + rate / 100) ** horizon
    projected_trend = latest + trend.slope * horizon
    common = {"latest_year": latest_year, "latest": latest, "target_year": target_year,
              "rate_pct": rate, "slope": trend.slope}
    stated = _measure(target_value, projected=projected, **common)

    rebased = None
    caveats = list(extra_caveats)
    bases_differ = (stated_base_value is not None and data_base is not None
                    and abs(stated_base_value / data_base - 1) > BASE_MISMATCH_TOLERANCE)
    if bases_differ and pct is not None:
        rebased = _measure(data_base * (1 - pct / 100), projected=projected, **common)
        caveats.append(
            f"The target's stated {base_year} base ({stated_base_value:,.1f} Mt) differs from this data's "
            f"{base_year} {metric} ({data_base:,.1f} Mt, {(data_base / stated_base_value - 1) * 100:+.1f} %), "
            f"likely another inventory edition or scope. The gap is shown against the stated target "
            f"({target_value:,.1f} Mt) and against -{pct:g} % applied to the data's own base "
            f"({rebased.target_value:,.1f} Mt).")
    caveats += _pace_caveats(stated, latest_year=latest_year, first_year=first_year, rate=rate, trend=trend)

    base_point = stated_base_value if stated_base_value is not None else data_base
    pathway = [(base_year, base_point)] if base_year is not None and base_point is not None else []
    pathway.append((target_year, target_value))
    if net_zero_year is not None and net_zero_year > target_year:
        pathway.append((net_zero_year, 0.0))

    return GapResult(
        country=country, metric=metric, latest_year=latest_year, latest_value=latest,
        window_start=first_year, recent_annual_rate_pct=rate, trend_slope_per_year=trend.slope,
        trend_r2=trend.r2, base_year=base_year, base_value=data_base, stated_base_value=stated_base_value,
        target_year=target_year, target_value=target_value, projected_value_at_target_year=projected,
        projected_value_at_target_year_trend=projected_trend, stated=stated, rebased=rebased,
        pathway=tuple(pathway), caveats=tuple(caveats),
    )


def _pace_caveats(stated: Measurement, *, latest_year, first_year, rate, trend) -> list[str]:
    caveats = []
    if stated.gap_now <= 0:
        caveats.append(f"Already at or below the target level in {latest_year}.")
    elif rate >= 0:
        caveats.append(f"Emissions rose over {first_year}–{latest_year} ({rate:+.2f} %/yr): "
                       "at this pace the target is not reached.")
    if stated.target_value <= 0:
        caveats.append("A constant percentage rate never reaches zero: use the required annual change "
                       "(Mt/yr, straight line) and the trend-based year instead.")
    if not math.isnan(trend.r2) and trend.r2 < LOW_R2:
        caveats.append(f"The linear trend explains little of {first_year}–{latest_year} (R² = {trend.r2:.2f}).")
    return caveats


# ---------------------------------------------------------------- public API


def _series_arrays(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(series, pd.Series):
        raise TypeError(f"expected a pandas Series indexed by year, got {type(series).__name__}")
    return series.index.to_numpy(dtype=int), series.to_numpy(dtype=float)


def series_for(frame: pd.DataFrame, *, country: str, metric: str) -> pd.Series:
    """One country's metric from a wide frame (country_code, year, metrics…) as a year-indexed Series.

    Raises GapInputError naming the unknown country or metric and the choices, for the CLI and apps.
    """
    metrics = [c for c in frame.columns if c not in (COUNTRY, YEAR)]
    if metric not in metrics:
        raise GapInputError(f"unknown metric {metric!r}; choose one of {', '.join(metrics)}")
    rows = frame[frame[COUNTRY] == country]
    if rows.empty:
        raise GapInputError(f"unknown country {country!r}: no rows with that country_code")
    return pd.Series(rows[metric].to_numpy(float), index=rows[YEAR].to_numpy(int), name=metric)


def analyse_gap(series: pd.Series, *, country: str, metric: str, base_year: int | None, target_year: int,
                reduction_pct: float | None = None, target_value: float | None = None, window: int = 5,
                net_zero_year: int | None = None, stated_base_value: float | None = None) -> GapResult:
    """Gap between a year-indexed emissions series (Mt) and a target; see the module docstring.

    Give ``reduction_pct`` (% below base_year) or ``target_value`` (Mt), or both when the source states
    both. ``stated_base_value`` is the base the target quotes; when it differs from the series' value
    in base_year the result also measures the gap on the data's own base (``rebased``).
    Raises GapInputError for an empty series, fewer than two observed years in the window, a target
    year before the latest data year, or a percentage outside 0–100.
    """
    years, values = _series_arrays(series)
    return _gap(years, values, country=country, metric=metric, base_year=base_year,
                target_year=target_year, reduction_pct=reduction_pct, target_value=target_value,
                window=window, net_zero_year=net_zero_year, stated_base_value=stated_base_value)


def _not_level(years, values, target: Target, *, window: int) -> GapResult:
    _, _, latest_year, latest, first_year, rate, trend = _recent(
        years, values, country=target.country_code, metric=target.metric, window=window)
    return GapResult(
        country=target.country_code, metric=target.metric, latest_year=latest_year, latest_value=latest,
        window_start=first_year, recent_annual_rate_pct=rate, trend_slope_per_year=trend.slope,
        trend_r2=trend.r2, comparable=False, base_year=target.base_year, target_year=target.target_year,
        caveats=(_NOT_LEVEL.format(name=target.name, kind=target.target_type.replace("_", " ")),),
    )


def _target_gap(years, values, target: Target, *, window: int) -> GapResult:
    if not target.sets_level:
        return _not_level(years, values, target, window=window)
    scope = (f"Target scope: {target.scope_note}.",) if target.scope_note else ()
    if basis := basis_caveat(target.country_code, target.name, target.metric):  # issue 11: say the basis
        scope += (basis,)
    return _gap(years, values, country=target.country_code, metric=target.metric,
                base_year=target.base_year, target_year=target.target_year,
                reduction_pct=target.reduction_pct, target_value=target.target_value, window=window,
                net_zero_year=target.net_zero_year, stated_base_value=target.base_value,
                extra_caveats=scope)


def analyse_target(series: pd.Series, target: Target, *, window: int = 5) -> GapResult:
    """`analyse_gap` for a `Target` record; intensity, BAU and peak targets come back with
    ``comparable=False`` and a caveat instead of an error."""
    return _target_gap(*_series_arrays(series), target, window=window)


def analyse_all_gaps(frame: pd.DataFrame, targets: list[Target], *, window: int = 5) -> pd.DataFrame:
    """One row per target: the flattened `GapResult.to_dict()` plus target_name, target_type and error.

    ``frame`` is wide: country_code, year and one column per metric (as `analysis.frame_from_owid`
    returns). A target whose country or metric has no usable data gets its message in ``error``
    instead of failing the whole table. Cost: one sort and group of the frame, then numpy per target.
    """
    ordered = frame.sort_values([COUNTRY, YEAR])
    positions = ordered.groupby(COUNTRY, sort=False).indices
    years_all = ordered[YEAR].to_numpy(dtype=int)
    columns = {}  # metric -> its values as one float array, converted once
    rows = []
    for target in targets:
        head = {"target_name": target.name, "target_type": target.target_type, "conditional": target.conditional}
        try:
            if target.metric not in frame.columns:
                raise GapInputError(f"no column {target.metric!r} in the data")
            where = positions.get(target.country_code)
            if where is None:
                raise GapInputError(f"no data for country {target.country_code}")
            if target.metric not in columns:
                columns[target.metric] = ordered[target.metric].to_numpy(dtype=float)
            values = columns[target.metric][where]
            result = _target_gap(years_all[where], values, target, window=window)
            rows.append(head | result.to_dict() | {"error": None})
        except GapInputError as error:
            rows.append(head | {"country": target.country_code, "metric": target.metric, "error": str(error)})
    return pd.DataFrame(rows)
