"""Sector shares and contributions to the change between two years.

Input: a long frame year, sector, value_mt for one country and one taxonomy, plus which
sectors count in the total (gross: LULUCF and bunker fuels are listed but left out).

- share of sector i in year t     = vᵢₜ / Σ_{j in total} vⱼₜ × 100
- change of sector i              = vᵢ(to) − vᵢ(from)
- share of the total change       = changeᵢ / (total(to) − total(from)) × 100
The sector changes of the counted sectors add up to the total change exactly: the totals are
the sums of the same sector values (math.fsum), never a separately published total, and a
sector without a value in one of the two years counts as 0 in that year.
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
    wide = frame.pivot_table(index="sector", columns="year", values="value_mt", aggfunc="sum")
    wide = wide.reindex(sectors)
    start, end = wide[year_from], wide[year_to]
    counted = [s for s in sectors if s in in_total]
    # a sector without a value in one year counts as 0 there, so the changes still add up
    total_from = math.fsum(start[counted].fillna(0.0))
    total_to = math.fsum(end[counted].fillna(0.0))
    total_change = total_to - total_from

    def number(value) -> float | None:
        return None if pd.isna(value) else float(value)

    rows = []
    for sector in sectors:
        v0, v1 = number(start[sector]), number(end[sector])
        change = None if v0 is None and v1 is None else (v1 or 0.0) - (v0 or 0.0)
        rows.append(SectorChange(
            sector=sector, value_from=v0, value_to=v1, change=change,
            share_of_change_pct=(None if change is None or total_change == 0
                                 else change / total_change * 100),
            share_to_pct=None if v1 is None or total_to == 0 else v1 / total_to * 100,
            in_total=sector in in_total,
        ))
    return Contributions(year_from, year_to, UNIT, total_from, total_to, total_change, rows)
