"""Korea's emissions on each inventory basis, side by side, with the differences per year.

No single "Korea's emissions" exists: the official inventory (GIR) reports a gross total
without land use and a net total with it, OWID publishes totals with and without land use from
its own sources, and Climate Watch's sectors add up to yet another total. Each basis below
carries a note of its guidelines, GWP set and LULUCF treatment, so a target can say which one
it is measured on (`Basis.key`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Basis:
    key: str
    name_en: str
    name_ko: str
    includes_lulucf: bool
    note: str


BASES = (
    Basis("gir_gross", "GIR gross total", "GIR 총배출량", False,
          "Korea's official inventory (GIR, 2024 edition): 2006 IPCC Guidelines, AR5 GWP-100, "
          "six Kyoto gases, excluding LULUCF; the sum of the energy, IPPU, agriculture and waste "
          "fields. Korea's NDC base (727.6 Mt in 2018) comes from an older edition, not this one."),
    Basis("gir_net", "GIR net total", "GIR 순배출량", True,
          "Same inventory plus LULUCF net removals (negative): gross total + LULUCF field."),
    Basis("owid_ghg_excl_lulucf", "OWID total GHG excl. LULUCF", "OWID 총 온실가스(LULUCF 제외)", False,
          "Our World in Data `total_ghg_excluding_lucf` (2025 release): an independent estimate, "
          "not the national inventory; GWP-100; see the owid_co2 codebook for its sources."),
    Basis("owid_ghg", "OWID total GHG incl. LULUCF", "OWID 총 온실가스(LULUCF 포함)", True,
          "Our World in Data `total_ghg`: as above, including land-use change and forestry."),
    Basis("climatewatch_excl_lulucf", "Climate Watch total excl. LULUCF", "Climate Watch 합계(LULUCF 제외)",
          False, "Sum of the Climate Watch (CAIT method) sectors without LULUCF and bunker fuels: "
          "IEA fuel combustion, other sectors from independent datasets, GWP-100 per Climate Watch."),
    Basis("climatewatch", "Climate Watch total incl. LULUCF", "Climate Watch 합계(LULUCF 포함)", True,
          "Sum of every Climate Watch sector except bunker fuels (Climate Watch's own "
          "'total including LUCF')."),
)
REFERENCE = "gir_gross"


def compare_bases(*, gir_fields: pd.DataFrame, national: pd.DataFrame,
                  climatewatch: pd.DataFrame) -> pd.DataFrame:
    """year, basis, value_mt, difference_mt and difference_pct against GIR's gross total.

    gir_fields: year, sector (energy, ippu, agriculture, lulucf, waste), value_mt.
    national:   year, total_ghg, total_ghg_excluding_lucf (mart.national, Mt).
    climatewatch: year, sector, value_mt (Climate Watch sectors of the same country).
    """
    def total(frame: pd.DataFrame, *, without: set[str]) -> pd.Series:
        kept = frame[~frame["sector"].isin(without)]
        return kept.groupby("year")["value_mt"].agg(lambda v: math.fsum(v) if v.notna().all() else math.nan)

    series = {
        "gir_gross": total(gir_fields, without={"lulucf"}),
        "gir_net": total(gir_fields, without=set()),
        "owid_ghg_excl_lulucf": national.set_index("year")["total_ghg_excluding_lucf"],
        "owid_ghg": national.set_index("year")["total_ghg"],
        "climatewatch_excl_lulucf": total(climatewatch, without={"lulucf", "bunker_fuels"}),
        "climatewatch": total(climatewatch, without={"bunker_fuels"}),
    }
    wide = pd.DataFrame(series).astype(float)
    wide = wide[wide.notna().any(axis=1)].sort_index()
    long = wide.reset_index(names="year").melt(id_vars="year", var_name="basis", value_name="value_mt")
    reference = long["year"].map(wide[REFERENCE])
    long["difference_mt"] = long["value_mt"] - reference
    long["difference_pct"] = long["difference_mt"] / reference * 100
    order = {b.key: i for i, b in enumerate(BASES)}
    long = long.sort_values(["year", "basis"], key=lambda s: s.map(order) if s.name == "basis" else s)
    return long.dropna(subset=["value_mt"]).reset_index(drop=True)
