"""Sector shares and contributions to the change between two years.

Input: a long frame year, sector, value_mt for one country and one taxonomy, plus which
sectors count in the total (gross: LULUCF and bunker fuels are listed but left out).

- share of sector i in year t     = vᵢₜ / Σ_{j in total} vⱼₜ × 100
- change of sector i              = vᵢ(to) − vᵢ(from)
- share of the total change       = changeᵢ / (total(to) − total(from)) × 100
The sector changes of the counted sectors add up to the total change exactly: the totals are
the sums of the same sector values (math.fsum), never a separately published total. A sector
without a value in one of the two years is never counted as 0: its change and shares are None,
it is left out of both totals (so they still compare like with like) and `missing` names it
with the year, for the page to say.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

UNIT = "Mt CO2e"


class ContributionError(ValueError):
    """Years or data that cannot support the comparison; the message says which."""


@dataclass(frozen=True)
class SectorChange:
    sector: str
    value_from: float | None
    value_to: float | None
    change: float | None
    share_of_change_pct: float | None
    share_to_pct: float | None
    in_total: bool


@dataclass(frozen=True)
class Contributions:
    year_from: int
    year_to: int
    unit: str
    total_from: float
    total_to: float
    total_change: float
    sectors: list[SectorChange]
    missing: tuple[tuple[str, int], ...] = ()  # (sector, year) without a value, left out of the totals

    def to_dict(self) -> dict:
        out = asdict(self)
        out["from"], out["to"] = out.pop("year_from"), out.pop("year_to")
        return out


def check_years(years, *, year_from: int, year_to: int, what: str) -> None:
    """Raise ContributionError unless from < to and both years have data."""
    available = sorted({int(y) for y in years})
    if not available:
        raise ContributionError(f"no data for {what}")
    if year_from >= year_to:
        raise ContributionError(f"--from ({year_from}) must be before --to ({year_to})")
    for year in (year_from, year_to):
        if year not in available:
            raise ContributionError(f"no data for {what} in {year}; "
                                    f"data covers {available[0]}–{available[-1]}")


def sector_shares(frame: pd.DataFrame, *, in_total: set[str]) -> pd.DataFrame:
    """year, sector, value_mt, share_pct (of the year's total of the counted sectors)."""
    counted = frame[frame["sector"].isin(in_total)]
    totals = counted.groupby("year")["value_mt"].apply(math.fsum).rename("total_mt")
    out = frame.merge(totals, left_on="year", right_index=True, how="left")
    out["share_pct"] = out["value_mt"] / out["total_mt"] * 100
    return out.drop(columns="total_mt")


def contributions_to_change(frame: pd.DataFrame, *, year_from: int, year_to: int,
                            in_total: set[str], sectors: list[str], what: str) -> Contributions:
    """Each sector's change between two years and its share of the total change."""
    check_years(frame["year"], year_from=year_from, year_to=year_to, what=what)
    # `pivot`, not `pivot_table(aggfunc="sum")`: a sum would turn a missing value into 0
    wide = frame.pivot(index="sector", columns="year", values="value_mt").reindex(sectors)
    start, end = wide[year_from], wide[year_to]
    missing = tuple((sector, year) for sector in sectors for year, values in ((year_from, start), (year_to, end))
                    if pd.isna(values[sector]))
    incomplete = {sector for sector, _ in missing}
    counted = [s for s in sectors if s in in_total and s not in incomplete]
    total_from = math.fsum(start[counted])
    total_to = math.fsum(end[counted])
    total_change = total_to - total_from

    def number(value) -> float | None:
        return None if pd.isna(value) else float(value)

    rows = []
    for sector in sectors:
        v0, v1 = number(start[sector]), number(end[sector])
        complete = sector not in incomplete
        change = v1 - v0 if complete else None
        rows.append(SectorChange(
            sector=sector, value_from=v0, value_to=v1, change=change,
            share_of_change_pct=(None if change is None or total_change == 0
                                 else change / total_change * 100),
            share_to_pct=None if not complete or total_to == 0 else v1 / total_to * 100,
            in_total=sector in in_total,
        ))
    return Contributions(year_from, year_to, UNIT, total_from, total_to, total_change, rows, missing)
