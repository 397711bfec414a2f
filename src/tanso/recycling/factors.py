"""Factor sets for the recycling calculator: versioned, sourced, chosen by name.

A set gives a base factor per material (kg CO2e avoided per kg collected, before the pathway
multiplier), a multiplier per pathway, the equivalents and the KPI tiers. Every result carries the
set's name and version so a figure can always be traced to the numbers that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

MATERIALS = ("pet", "hdpe", "mixed")
PATHWAYS = ("reuse", "upcycle", "recycle")
DEFAULT_SET = "operator"


class UnknownFactorSet(ValueError):
    """The requested factor set or version is not in the catalog."""


@dataclass(frozen=True)
class FactorSet:
    name: str
    version: str
    label: str
    assumption: str          # what the model assumes, shown beside every result
    materials: pd.DataFrame  # material, base_factor (kg CO2e/kg), unit, source, year, region, note
    pathways: pd.DataFrame   # pathway, multiplier, source, note
    equivalents: dict[str, float] = field(default_factory=dict)  # tree/car/sea-ice factors
    kpi_tiers: pd.DataFrame = field(default_factory=pd.DataFrame)  # period, tier, target_t

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def base_factor(self, material: str) -> float:
        return float(self.materials.set_index("material").at[material, "base_factor"])

    def multiplier(self, pathway: str) -> float:
        return float(self.pathways.set_index("pathway").at[pathway, "multiplier"])

    def describe(self) -> dict:
        return {"name": self.name, "version": self.version, "label": self.label,
                "assumption": self.assumption}


def _builders():
    # Imported here: each source module imports FactorSet from this one.
    from tanso.recycling import epa_hub, operator

    return {"operator": operator.factor_set, "epa_warm": epa_hub.factor_set}


def factor_set_names() -> list[str]:
    return list(_builders())


@lru_cache(maxsize=8)
def load_factor_set(spec: str | None = None) -> FactorSet:
    """The set named `spec` ("operator", "epa_warm", optionally "@version"); default: the operator's."""
    name, _, version = (spec or DEFAULT_SET).partition("@")
    builders = _builders()
    if name not in builders:
        raise UnknownFactorSet(f"unknown factor set {name!r}; choose one of: {', '.join(builders)}")
    result = builders[name]()
    if version and version != result.version:
        raise UnknownFactorSet(f"factor set {name!r} has version {result.version!r} in the catalog, "
                               f"not {version!r}")
    return result
