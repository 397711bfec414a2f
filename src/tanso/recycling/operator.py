"""The recycling operator's own model (seed 003), read from the pinned `recycling_operator` CSV."""

from __future__ import annotations

import pandas as pd

from tanso import catalog
from tanso.recycling.factors import FactorSet

ASSUMPTION = ("Operator's own model: CO2 avoided = kg × CO2 from incinerating that material × pathway "
              "multiplier (reuse 3.0, upcycling 2.5, recycling 1.0). The multipliers are the operator's "
              "assumption, not IPCC or US EPA figures.")


def tidy_operator_factors(raw: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Split the long CSV (kind, key, value, …) into the tables a FactorSet holds."""
    raw = raw.assign(value=pd.to_numeric(raw["value"], errors="raise"))
    by_kind = {kind: part.drop(columns="kind") for kind, part in raw.groupby("kind", sort=False)}
    materials = by_kind["material"].rename(columns={"key": "material", "value": "base_factor"})
    pathways = by_kind["pathway"].rename(columns={"key": "pathway", "value": "multiplier"})
    tiers = pd.concat([
        by_kind[f"kpi_{period}"].assign(period=period) for period in ("monthly", "yearly")
    ]).rename(columns={"key": "tier", "value": "target_t"})[["period", "tier", "target_t", "note"]]
    equivalents = by_kind["equivalent"].rename(columns={"key": "equivalent"})
    return {"materials": materials.reset_index(drop=True), "pathways": pathways.reset_index(drop=True),
            "kpi_tiers": tiers.reset_index(drop=True), "equivalents": equivalents.reset_index(drop=True)}


def operator_tables() -> tuple[str, dict[str, pd.DataFrame]]:
    """(catalog version, tables) of the pinned operator CSV; other sets borrow its equivalents and KPIs."""
    version = catalog.dataset("recycling_operator").version
    return version, tidy_operator_factors(catalog.read("recycling_operator"))


def factor_set() -> FactorSet:
    version, tables = operator_tables()
    return FactorSet(
        name="operator", version=version,
        label="Operator's own model (seed 003; IPCC 2006 incineration factors × pathway multipliers)",
        assumption=ASSUMPTION, materials=tables["materials"], pathways=tables["pathways"],
        equivalents=dict(zip(tables["equivalents"]["equivalent"], tables["equivalents"]["value"], strict=True)),
        kpi_tiers=tables["kpi_tiers"],
    )
