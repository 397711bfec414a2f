"""Recycling-campaign calculator: pure functions on DataFrames and typed results, no Panel, no database.

- `factors`: the `FactorSet` record, the registry of versioned sets and `load_factor_set`.
- `operator`: the operator's own model (seed 003) from the pinned CSV — the default set.
- `epa_hub`: the US EPA GHG Emission Factors Hub 2021, Table 9 (process-only, t CO2e per short ton).
- `calculate`: reduction per entry / pathway / material, weighted pathway factor, equivalents, KPI
  attainment, monthly and quarterly roll-ups, the comparison with PET recycling.
- `validation`: entry input checks (field by field) and stated-figure checks that show the
  discrepancy and the corrected figure.
"""

from tanso.recycling.calculate import (
    CampaignResult,
    Equivalents,
    equivalents_of,
    estimate_entries,
    kpi_attainment,
    roll_up,
    summarise_campaign,
)
from tanso.recycling.factors import (
    MATERIALS,
    PATHWAYS,
    FactorSet,
    factor_set_names,
    load_factor_set,
)
from tanso.recycling.validation import (
    Discrepancy,
    RecyclingInputError,
    StatedFigures,
    check_stated_figures,
    validate_entries,
)

__all__ = [
    "MATERIALS", "PATHWAYS", "CampaignResult", "Discrepancy", "Equivalents", "FactorSet",
    "RecyclingInputError", "StatedFigures", "check_stated_figures", "equivalents_of", "estimate_entries",
    "factor_set_names", "kpi_attainment", "load_factor_set", "roll_up", "summarise_campaign",
    "validate_entries",
]
