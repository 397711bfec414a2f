"""The national indicators the apps, CLI and reports offer: one table, one row per indicator.

``column`` is the mart.national column; ``codebook`` names the owid_co2_codebook row (or the GCB
entry) that defines it, so a label can always be traced to its source definition. Units follow
the OWID codebook.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    key: str
    column: str
    unit: str
    label_en: str
    label_ko: str
    codebook: str            # owid_co2_codebook row, or "gcb_co2" for the GCB series
    group: str               # total | fuel | other | normalised
    is_level: bool = True    # an annual amount in Mt that a target level or a scenario applies to
    source: str = "owid_co2"

    def label(self, lang: str) -> str:
        return self.label_ko if lang == "ko" else self.label_en


INDICATORS: tuple[Indicator, ...] = (
    Indicator("co2", "co2", "Mt CO₂", "Fossil CO₂ (total, excl. land use)", "화석 CO₂ 총배출(토지이용 제외)",
              "co2", "total"),
    Indicator("co2_gcb", "co2_gcb", "Mt CO₂", "Fossil CO₂, GCB 2025 (to 2024)", "화석 CO₂, GCB 2025(2024년까지)",
              "gcb_co2", "total", source="gcb_co2"),
    Indicator("total_ghg", "total_ghg", "Mt CO₂e", "Total GHG (incl. land use)", "온실가스 총배출(토지이용 포함)",
              "total_ghg", "total"),
    Indicator("total_ghg_excluding_lucf", "total_ghg_excluding_lucf", "Mt CO₂e", "Total GHG (excl. land use)",
              "온실가스 총배출(토지이용 제외)", "total_ghg_excluding_lucf", "total"),
    Indicator("coal_co2", "coal_co2", "Mt CO₂", "CO₂ from coal", "석탄 CO₂", "coal_co2", "fuel"),
    Indicator("oil_co2", "oil_co2", "Mt CO₂", "CO₂ from oil", "석유 CO₂", "oil_co2", "fuel"),
    Indicator("gas_co2", "gas_co2", "Mt CO₂", "CO₂ from gas", "가스 CO₂", "gas_co2", "fuel"),
    Indicator("cement_co2", "cement_co2", "Mt CO₂", "CO₂ from cement", "시멘트 CO₂", "cement_co2", "fuel"),
    Indicator("flaring_co2", "flaring_co2", "Mt CO₂", "CO₂ from flaring", "플레어링 CO₂", "flaring_co2", "fuel"),
    Indicator("land_use_change_co2", "land_use_change_co2", "Mt CO₂", "CO₂ from land-use change",
              "토지이용 변화 CO₂", "land_use_change_co2", "other"),
    Indicator("consumption_co2", "consumption_co2", "Mt CO₂", "Consumption-based CO₂", "소비 기반 CO₂",
              "consumption_co2", "other"),
    Indicator("co2_per_capita", "co2_per_capita", "t CO₂/person", "CO₂ per capita", "1인당 CO₂",
              "co2_per_capita", "normalised", is_level=False),
    Indicator("ghg_per_capita", "ghg_per_capita", "t CO₂e/person", "GHG per capita", "1인당 온실가스",
              "ghg_per_capita", "normalised", is_level=False),
    Indicator("co2_per_gdp", "co2_per_gdp", "kg CO₂/int-$", "CO₂ per unit of GDP", "GDP당 CO₂",
              "co2_per_gdp", "normalised", is_level=False),
    Indicator("share_global_co2", "share_global_co2", "%", "Share of world CO₂", "세계 CO₂ 중 비중",
              "share_global_co2", "normalised", is_level=False),
    Indicator("cumulative_co2", "cumulative_co2", "Mt CO₂", "Cumulative CO₂", "누적 CO₂",
              "cumulative_co2", "normalised", is_level=False),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
# Indicators a target level, a pathway or a scenario can be drawn on.
LEVEL_KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS if i.is_level)


def indicator(key: str) -> Indicator:
    """The indicator with ``key``; KeyError naming the choices otherwise."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown indicator {key!r}; choose one of {', '.join(BY_KEY)}") from None


def target_metric_matches(indicator_key: str, metric: str) -> bool:
    """Whether a target stated on ``metric`` can be drawn on the chart of ``indicator_key``.

    The GCB series is the same quantity as OWID ``co2`` (fossil CO2), one year longer.
    """
    return indicator_key == metric or (indicator_key == "co2_gcb" and metric == "co2")
