"""Campaign results: reduction per entry, pathway, material and in total; weighted pathway factor;
equivalents; KPI attainment; roll-ups by month, quarter or year.

Entries are a DataFrame of ``material``, ``pathway``, ``kg`` (plus, for roll-ups, ``organisation``
and ``date``). Reductions are kg CO2e: ``kg × base_factor(material) × multiplier(pathway)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd
import pandera.pandas as pa

from tanso.recycling.factors import MATERIALS, PATHWAYS, FactorSet
from tanso.recycling.validation import validate_entries

ESTIMATE_SCHEMA = pa.DataFrameSchema({
    "material": pa.Column(str, pa.Check.isin(MATERIALS)),
    "pathway": pa.Column(str, pa.Check.isin(PATHWAYS)),
    "kg": pa.Column(float, pa.Check.ge(0)),
    "base_factor": pa.Column(float, pa.Check.gt(0)),
    "multiplier": pa.Column(float, pa.Check.gt(0)),
    "reduction_kg": pa.Column(float, pa.Check.ge(0)),
})
FREQUENCIES = {"month": "M", "quarter": "Q", "year": "Y"}


@dataclass(frozen=True)
class Equivalents:
    trees: float       # trees' yearly uptake
    car_years: float   # passenger cars driven for a year
    sea_ice_m2: float  # Arctic sea ice, at the set's m² per kg

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CampaignResult:
    factor_set: dict
    total_kg: float
    reduction_kg: float
    collected_by_pathway: dict[str, float]
    by_pathway: dict[str, float]        # kg CO2e
    by_material: dict[str, float]       # kg CO2e
    weighted_factor: float              # Σ share of kg × pathway multiplier
    per_kg: float                       # kg CO2e per kg collected = t CO2e per t collected
    times_pet_recycling: float          # reduction ÷ the same kg of PET sent to recycling
    equivalents: Equivalents

    @property
    def reduction_t(self) -> float:
        return self.reduction_kg / 1000.0

    def to_dict(self) -> dict:
        return asdict(self) | {"reduction_t": self.reduction_t}


def estimate_entries(entries: pd.DataFrame, *, factors: FactorSet) -> pd.DataFrame:
    """Each entry with its base factor, pathway multiplier and reduction (kg CO2e)."""
    frame = validate_entries(entries)
    base = factors.materials.set_index("material")["base_factor"].astype(float)
    multiplier = factors.pathways.set_index("pathway")["multiplier"].astype(float)
    frame = frame.assign(base_factor=frame["material"].map(base).astype(float),
                         multiplier=frame["pathway"].map(multiplier).astype(float))
    frame["reduction_kg"] = frame["kg"] * frame["base_factor"] * frame["multiplier"]
    return ESTIMATE_SCHEMA.validate(frame)


def equivalents_of(reduction_kg: float, *, factors: FactorSet) -> Equivalents:
    eq = factors.equivalents
    return Equivalents(trees=reduction_kg / eq["tree_kg_per_year"],
                       car_years=reduction_kg / eq["car_kg_per_year"],
                       sea_ice_m2=reduction_kg * eq["sea_ice_m2_per_kg"])


def weighted_factor(collected_by_pathway: dict[str, float], *, factors: FactorSet) -> float:
    """Σ (share of the collected kg on each pathway × its multiplier); 0 when nothing was collected."""
    total = sum(collected_by_pathway.values())
    if total == 0:
        return 0.0
    return sum(kg / total * factors.multiplier(p) for p, kg in collected_by_pathway.items())


def summarise_campaign(entries: pd.DataFrame, *, factors: FactorSet) -> CampaignResult:
    estimated = estimate_entries(entries, factors=factors)
    total_kg = float(estimated["kg"].sum())
    reduction = float(estimated["reduction_kg"].sum())
    collected = estimated.groupby("pathway")["kg"].sum().reindex(PATHWAYS, fill_value=0.0)
    by_pathway = estimated.groupby("pathway")["reduction_kg"].sum().reindex(PATHWAYS, fill_value=0.0)
    by_material = estimated.groupby("material")["reduction_kg"].sum()
    pet_recycling = total_kg * factors.base_factor("pet") * factors.multiplier("recycle")
    return CampaignResult(
        factor_set=factors.describe(), total_kg=total_kg, reduction_kg=reduction,
        collected_by_pathway={p: float(v) for p, v in collected.items()},
        by_pathway={p: float(v) for p, v in by_pathway.items()},
        by_material={m: float(v) for m, v in by_material.items()},
        weighted_factor=weighted_factor(collected.to_dict(), factors=factors),
        per_kg=reduction / total_kg if total_kg else 0.0,
        times_pet_recycling=reduction / pet_recycling if pet_recycling else 0.0,
        equivalents=equivalents_of(reduction, factors=factors),
    )


def kpi_attainment(reduction_t: float, *, period: str, factors: FactorSet) -> pd.DataFrame:
    """Attainment (%) of a period's reduction against each KPI tier: reduction ÷ target × 100."""
    tiers = factors.kpi_tiers
    if period not in set(tiers["period"]):
        raise ValueError(f"period must be one of {sorted(set(tiers['period']))}, not {period!r}")
    out = tiers.loc[tiers["period"] == period, ["tier", "target_t"]].reset_index(drop=True)
    out["reduction_t"] = float(reduction_t)
    out["attainment_pct"] = out["reduction_t"] / out["target_t"] * 100.0
    out["met"] = out["reduction_t"] >= out["target_t"]
    return out


def roll_up(entries: pd.DataFrame, *, factors: FactorSet, freq: str = "month") -> pd.DataFrame:
    """Collected kg and reduction per organisation and period (month, quarter or year).

    Monthly and yearly rows also carry the attainment of each KPI tier (``kpi_<tier>_pct``).
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, not {freq!r}")
    estimated = estimate_entries(entries, factors=factors)
    estimated["period"] = pd.to_datetime(entries["date"]).dt.to_period(FREQUENCIES[freq]).astype(str).values
    estimated["organisation"] = entries["organisation"].values
    out = (estimated.groupby(["organisation", "period"], as_index=False)
           .agg(collected_kg=("kg", "sum"), reduction_kg=("reduction_kg", "sum")))
    out["reduction_t"] = out["reduction_kg"] / 1000.0
    kpi_period = {"month": "monthly", "year": "yearly"}.get(freq)
    if kpi_period:
        tiers = factors.kpi_tiers[factors.kpi_tiers["period"] == kpi_period]
        for tier in tiers.itertuples():
            out[f"kpi_{tier.tier}_pct"] = out["reduction_t"] / tier.target_t * 100.0
    return out
