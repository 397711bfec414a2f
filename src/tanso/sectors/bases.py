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
from functools import lru_cache
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Basis:
    key: str
    name_en: str
    name_ko: str
    includes_lulucf: bool
    note: str
    note_ko: str

    def name(self, lang: str = "en") -> str:
        return self.name_ko if lang == "ko" else self.name_en

    def describe(self, lang: str = "en") -> str:
        return self.note_ko if lang == "ko" else self.note


BASES = (
    Basis("gir_gross", "GIR gross total", "GIR 총배출량", False,
          "Korea's official inventory (GIR, 2024 edition): 2006 IPCC Guidelines, AR5 GWP-100, "
          "six Kyoto gases, excluding LULUCF; the sum of the energy, IPPU, agriculture and waste "
          "fields. Korea's NDC base (727.6 Mt in 2018) comes from an older edition, not this one.",
          "한국의 공식 인벤토리(GIR, 2024년 판): 2006 IPCC 지침, AR5 GWP-100, 6대 온실가스, LULUCF 제외; "
          "에너지·산업공정·농업·폐기물 분야의 합. 한국 NDC의 기준값(2018년 727.6 Mt)은 이 판이 아닌 이전 판의 값입니다."),
    Basis("gir_net", "GIR net total", "GIR 순배출량", True,
          "Same inventory plus LULUCF net removals (negative): gross total + LULUCF field.",
          "같은 인벤토리에 LULUCF 순흡수량(음수)을 더한 값: 총배출량 + LULUCF 분야."),
    Basis("owid_ghg_excl_lulucf", "OWID total GHG excl. LULUCF", "OWID 총 온실가스(LULUCF 제외)", False,
          "Our World in Data `total_ghg_excluding_lucf` (2025 release): an independent estimate, "
          "not the national inventory; GWP-100; see the owid_co2 codebook for its sources.",
          "Our World in Data `total_ghg_excluding_lucf`(2025년 배포): 국가 인벤토리가 아닌 독립 추정치; "
          "GWP-100; 출처는 owid_co2 코드북 참조."),
    Basis("owid_ghg", "OWID total GHG incl. LULUCF", "OWID 총 온실가스(LULUCF 포함)", True,
          "Our World in Data `total_ghg`: as above, including land-use change and forestry.",
          "Our World in Data `total_ghg`: 위와 같되 토지이용 변화와 임업(LULUCF)을 포함."),
    Basis("climatewatch_excl_lulucf", "Climate Watch total excl. LULUCF", "Climate Watch 합계(LULUCF 제외)",
          False, "Sum of the Climate Watch (CAIT method) sectors without LULUCF and bunker fuels: "
          "IEA fuel combustion, other sectors from independent datasets, GWP-100 per Climate Watch.",
          "LULUCF와 국제 벙커링을 뺀 Climate Watch(CAIT 방법) 부문의 합: 연료 연소는 IEA, 그 밖의 부문은 "
          "독립 자료, GWP-100은 Climate Watch 기준."),
    Basis("climatewatch", "Climate Watch total incl. LULUCF", "Climate Watch 합계(LULUCF 포함)", True,
          "Sum of every Climate Watch sector except bunker fuels (Climate Watch's own "
          "'total including LUCF').",
          "국제 벙커링을 뺀 모든 Climate Watch 부문의 합(Climate Watch의 'LUCF 포함 합계')."),
)
REFERENCE = "gir_gross"
BY_KEY = {b.key: b for b in BASES}
# The basis of each OWID series the national app measures targets against (targets.csv `metric`).
SERIES_BASES = {"total_ghg": "owid_ghg", "total_ghg_excluding_lucf": "owid_ghg_excl_lulucf"}
# Which basis each stated target is measured on, with why: target_bases.csv beside this module
# (country_code, target_name as in the targets dataset, basis key, note in English and Korean).
TARGET_BASES_CSV = Path(__file__).with_name("target_bases.csv")


def basis_name(key: str, lang: str = "en") -> str:
    return BY_KEY[key].name(lang)


@lru_cache(maxsize=1)
def target_bases() -> pd.DataFrame:
    """country_code, target_name, basis, note_en, note_ko; every basis a key of BASES (checked)."""
    frame = pd.read_csv(TARGET_BASES_CSV, dtype="string")
    unknown = sorted(set(frame["basis"]) - set(BY_KEY))
    if unknown:
        raise ValueError(f"{TARGET_BASES_CSV.name}: unknown basis {', '.join(unknown)}; "
                         f"known: {', '.join(BY_KEY)}")
    return frame


@lru_cache(maxsize=1)
def _basis_by_target() -> dict[tuple[str, str], str]:
    basis: dict[tuple[str, str], str] = {}
    for code, name, key in target_bases()[["country_code", "target_name", "basis"]].itertuples(index=False):
        basis.setdefault((str(code), str(name)), str(key))  # the first row of a target, as recorded
    return basis


def target_basis(country_code: str, target_name: str) -> str | None:
    """The key of the basis a stated target is measured on; None when it is not recorded.

    A dict lookup: the national chart asks for every drawn target on each change (a filter of the
    frame per call cost ~1–4 ms each, the largest part of a country change)."""
    return _basis_by_target().get((country_code, target_name))


def basis_caveat(country_code: str, target_name: str, metric: str) -> str | None:
    """A sentence naming the target's basis and the basis of the series it is compared with."""
    key = target_basis(country_code, target_name)
    if key is None:
        return None
    series = SERIES_BASES.get(metric)
    against = f"{basis_name(series)} ({series})" if series else f"OWID {metric}"
    return f"Inventory basis: the target is stated on {basis_name(key)} ({key}); this series is {against}."


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
