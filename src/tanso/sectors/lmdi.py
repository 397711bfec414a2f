"""Additive LMDI-I decomposition (Ang 2005), with the analytical limits for zero values.

The aggregate is V = Σᵢ Vᵢ with Vᵢ = x₁ᵢ·x₂ᵢ·…·xₙᵢ (i = sub-category, k = factor). Between a
start 0 and an end T:

    ΔV = Vᵀ − V⁰ = Σₖ ΔV_k,     ΔV_k = Σᵢ Zᵢₖ,     Zᵢₖ = L(Vᵢᵀ, Vᵢ⁰) · ln(xₖᵢᵀ / xₖᵢ⁰)
    L(a, b) = (a − b) / (ln a − ln b),   L(a, a) = a
    multiplicative D_k = exp(ΔV_k / L(Vᵀ, V⁰)),   Π D_k = Vᵀ / V⁰

Zero values use the limits of Ang, Zhang & Choi (1998, Table 2) as LMDIR implements them
(Wood & Lenzen 2006), not a small δ: a sub-category that appears (Vᵢ⁰ = 0) puts its whole
Vᵢᵀ on the factor that was zero, one that disappears puts −Vᵢ⁰ on the factor that becomes
zero, and every other term of that sub-category is 0. When several factors are zero at once
the change is split equally between them, so the effects still sum exactly to ΔV.

Negative aggregates (a net sink) decompose as long as a sub-category keeps its sign: the ratio
xᵀ/x⁰ stays positive and L(a, b) of two negatives is negative. A sign change is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Effects must sum to the change within this relative tolerance (issue 11: 1e-9).
SUM_TOLERANCE = 1e-9

KAYA_FACTORS = ("population", "affluence", "energy_intensity", "carbon_intensity")


class DecompositionError(ValueError):
    """The inputs cannot be decomposed; the message names the factor, sub-category or year."""


def logmean(a, b):
    """L(a, b) elementwise: (a − b) / ln(a / b), a where a = b, 0 where either is 0 or signs differ."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    out = np.zeros(a.shape)
    same = (a == b)
    out[same] = a[same]
    ok = ~same & (a * b > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[ok] = (a[ok] - b[ok]) / np.log(a[ok] / b[ok])
    return out if out.ndim else float(out)


def _z_matrix(x0: np.ndarray, xt: np.ndarray) -> np.ndarray:
    """Zᵢₖ for factor matrices of shape (sub-categories, factors), zero cases included."""
    v0, vt = x0.prod(axis=1), xt.prod(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = xt / x0
    regular = (v0 != 0) & (vt != 0)
    bad = regular[:, None] & ~(ratio > 0)
    if bad.any():
        i, k = np.argwhere(bad)[0]
        raise DecompositionError(f"factor {k} of sub-category {i} changes sign "
                                 f"({x0[i, k]:g} → {xt[i, k]:g}); LMDI needs a constant sign")
    z = np.zeros_like(x0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z[regular] = logmean(vt[regular], v0[regular])[:, None] * np.log(ratio[regular])
    appears = (v0 == 0) & (vt != 0)
    vanishes = (v0 != 0) & (vt == 0)
    for rows, zero_at, amount in ((appears, x0, vt), (vanishes, xt, -v0)):
        for i in np.flatnonzero(rows):
            zeros = zero_at[i] == 0
            z[i, zeros] = amount[i] / zeros.sum()
    return z


@dataclass(frozen=True)
class Decomposition:
    """Effects of each factor on the change of an aggregate between two points."""

    factors: tuple[str, ...]
    value_from: float
    value_to: float
    effects: dict[str, float]               # additive, same unit as the aggregate
    ratios: dict[str, float]                # multiplicative D_k (None-free only for V⁰, Vᵀ > 0)
    by_subcategory: pd.DataFrame = field(repr=False)  # Zᵢₖ: sub-categories × factors

    @property
    def change(self) -> float:
        return self.value_to - self.value_from

    def residual(self) -> float:
        return math.fsum(self.effects.values()) - self.change


def lmdi_additive(x_from: pd.DataFrame, x_to: pd.DataFrame) -> Decomposition:
    """Decompose Σᵢ Πₖ xₖᵢ between two factor tables (rows sub-categories, columns factors)."""
    if list(x_from.columns) != list(x_to.columns) or list(x_from.index) != list(x_to.index):
        raise DecompositionError("the start and end factor tables must have the same rows and columns")
    x0, xt = x_from.to_numpy(dtype=float), x_to.to_numpy(dtype=float)
    for name, values in (("start", x0), ("end", xt)):
        if not np.isfinite(values).all():
            i, k = np.argwhere(~np.isfinite(values))[0]
            raise DecompositionError(f"{x_from.columns[k]} of {x_from.index[i]} is missing at the {name}")
    z = _z_matrix(x0, xt)
    v0, vt = math.fsum(x0.prod(axis=1)), math.fsum(xt.prod(axis=1))
    effects = {str(f): math.fsum(z[:, k]) for k, f in enumerate(x_from.columns)}
    weight = logmean(vt, v0)
    ratios = {f: (math.exp(e / weight) if weight else math.nan) for f, e in effects.items()}
    result = Decomposition(tuple(effects), v0, vt, effects, ratios,
                           pd.DataFrame(z, index=x_from.index, columns=x_from.columns))
    _check_sum(result)
    return result


def _check_sum(result: Decomposition) -> None:
    scale = max(abs(result.value_from), abs(result.value_to), 1e-300)
    if abs(result.residual()) > SUM_TOLERANCE * scale:
        raise DecompositionError(f"effects do not sum to the change (residual {result.residual():g})")


# ---------------------------------------------------------------- national Kaya
KAYA_INPUTS = ("population", "gdp", "primary_energy_consumption", "co2")


def kaya_factors(row: pd.Series | dict) -> dict[str, float]:
    """C = P · (G/P) · (E/G) · (C/E) from population, GDP, primary energy and CO2."""
    p, g, e, c = (float(row[k]) for k in KAYA_INPUTS)
    return {"population": p, "affluence": g / p, "energy_intensity": e / g, "carbon_intensity": c / e}


def decompose_kaya(start: pd.Series | dict, end: pd.Series | dict) -> Decomposition:
    """National Kaya decomposition of the CO2 change between two rows of OWID indicators."""
    x0 = pd.DataFrame([kaya_factors(start)], index=["national"])
    xt = pd.DataFrame([kaya_factors(end)], index=["national"])
    return lmdi_additive(x0, xt)


def kaya_between(series: pd.DataFrame, *, country: str, year_from: int, year_to: int) -> Decomposition:
    """Kaya decomposition for one country's yearly rows (year + KAYA_INPUTS), with clear refusals."""
    if year_from >= year_to:
        raise DecompositionError(f"--from ({year_from}) must be before --to ({year_to})")
    rows = series.set_index("year")
    years = sorted(int(y) for y in rows.index)
    for year in (year_from, year_to):
        if year not in rows.index:
            raise DecompositionError(f"no data for {country} in {year}; data covers "
                                     f"{years[0]}–{years[-1]}")
        for name in KAYA_INPUTS:
            value = rows.at[year, name]
            if pd.isna(value) or value <= 0:
                known = rows[name].dropna()
                span = (f"{name} data for {country} covers {int(known.index.min())}–"
                        f"{int(known.index.max())}" if len(known) else f"no {name} data for {country}")
                raise DecompositionError(f"{name} has no value for {country} in {year} ({span})")
    return decompose_kaya(rows.loc[year_from], rows.loc[year_to])


def decompose_kaya_panel(start: pd.DataFrame, end: pd.DataFrame) -> pd.DataFrame:
    """Kaya effects for many countries at once (rows aligned by index; all inputs positive).

    Vectorised form of `decompose_kaya` for the one-category case: ΔC_k = L(Cᵀ, C⁰)·ln(xₖᵀ/xₖ⁰).
    Rows with a missing or non-positive input are dropped.
    """
    s, e = start[list(KAYA_INPUTS)].astype(float), end[list(KAYA_INPUTS)].astype(float)
    ok = (s > 0).all(axis=1) & (e > 0).all(axis=1)
    s, e = s[ok], e[ok]
    weight = logmean(e["co2"].to_numpy(), s["co2"].to_numpy())
    logs = {
        "population": np.log(e["population"] / s["population"]),
        "affluence": np.log((e["gdp"] / e["population"]) / (s["gdp"] / s["population"])),
        "energy_intensity": np.log((e["primary_energy_consumption"] / e["gdp"])
                                   / (s["primary_energy_consumption"] / s["gdp"])),
        "carbon_intensity": np.log((e["co2"] / e["primary_energy_consumption"])
                                   / (s["co2"] / s["primary_energy_consumption"])),
    }
    out = pd.DataFrame({k: weight * v for k, v in logs.items()}, index=s.index)
    out.insert(0, "co2_to", e["co2"])
    out.insert(0, "co2_from", s["co2"])
    out["total_change"] = out["co2_to"] - out["co2_from"]
    return out


# ---------------------------------------------------------------- multi-sector
def decompose_sectors(emissions_from: pd.Series, emissions_to: pd.Series, *,
                      activity_from: float | pd.Series,
                      activity_to: float | pd.Series) -> Decomposition:
    """Cᵢ = Q · (Qᵢ/Q) · (Cᵢ/Qᵢ): activity, structure and intensity effects over sectors i.

    `activity_*` is either each sector's activity Qᵢ (a Series by sector; Q = Σ Qᵢ), giving all
    three effects, or one national activity Q (a number, e.g. GDP), giving Cᵢ = Q · (Cᵢ/Q):
    activity and per-sector intensity only — no source here has value added per emission
    sector for every country, and the result says so by having no `structure` factor.
    """
    sectors = emissions_from.index
    if not emissions_to.index.equals(sectors):
        raise DecompositionError("start and end emissions must list the same sectors")
    frames = []
    for emissions, activity, end in ((emissions_from, activity_from, "start"),
                                     (emissions_to, activity_to, "end")):
        if isinstance(activity, pd.Series):
            qi = activity.reindex(sectors).astype(float)
            if not (qi > 0).all():
                raise DecompositionError(f"sector activity must be positive at the {end}: "
                                         f"{', '.join(map(str, qi.index[~(qi > 0)]))}")
            q = math.fsum(qi)
            frames.append(pd.DataFrame({"activity": q, "structure": qi / q,
                                        "intensity": emissions / qi}, index=sectors))
        else:
            if not activity > 0:
                raise DecompositionError(f"activity must be positive at the {end}, got {activity}")
            frames.append(pd.DataFrame({"activity": float(activity),
                                        "intensity": emissions / float(activity)}, index=sectors))
    return lmdi_additive(*frames)


def sectors_by_gdp_between(emissions: pd.DataFrame, gdp: pd.Series, *, what: str, year_from: int,
                           year_to: int) -> Decomposition:
    """Cᵢ = GDP · (Cᵢ/GDP) over sectors i between two years: an `activity` effect (GDP) and an
    `intensity` effect whose per-sector terms are in `by_subcategory`.

    emissions: year, sector, value_mt of the sectors to decompose (e.g. those of a gross total);
    gdp: GDP by year. No structure effect: that needs each sector's own activity (value added or
    energy use by sector), which none of the loaded sources has (see docs/design.md).
    """
    if year_from >= year_to:
        raise DecompositionError(f"--from ({year_from}) must be before --to ({year_to})")
    # `pivot`, not `pivot_table(aggfunc="sum")`: a sum would turn a missing value into 0
    wide = emissions.pivot(index="sector", columns="year", values="value_mt")
    activity = []
    for year in (year_from, year_to):
        if year not in wide.columns:
            raise DecompositionError(f"no sector data for {what} in {year}")
        missing = wide.index[wide[year].isna()]
        if len(missing):
            raise DecompositionError(f"{', '.join(map(str, missing))} has no value for {what} in {year}")
        value = gdp.get(year)
        if value is None or pd.isna(value) or value <= 0:
            known = gdp.dropna()
            span = (f"gdp data for {what} covers {int(known.index.min())}–{int(known.index.max())}"
                    if len(known) else f"no gdp data for {what}")
            raise DecompositionError(f"gdp has no value for {what} in {year} ({span})")
        activity.append(float(value))
    return decompose_sectors(wide[year_from], wide[year_to], activity_from=activity[0], activity_to=activity[1])


def decompose_kaya_countries(frame: pd.DataFrame, *, year_from: int, year_to: int) -> pd.DataFrame:
    """Kaya effects of every country with the four inputs in both years (rows by country_code).

    `frame`: long rows country_code, year and KAYA_INPUTS (mart.national or OWID).
    """
    indexed = frame.set_index(["country_code", "year"])[list(KAYA_INPUTS)]
    start = indexed.xs(year_from, level="year")
    end = indexed.xs(year_to, level="year")
    start, end = start.align(end, join="inner")
    return decompose_kaya_panel(start, end)
