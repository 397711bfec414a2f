"""Input checks that name the field, and checks of stated figures against their own parts.

`validate_entries` refuses negative or non-numeric weights and unknown materials or pathways;
`validate_campaign` refuses an empty name, a period that ends before it starts and a name already
used in the organisation; `check_stated_figures` recomputes what a report states (totals, ratios,
reductions, weighted factor, KPI) and returns each disagreement with the corrected figure — the
seed's own examples contain several (see tests/unit/test_recycling.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from tanso.recycling.factors import MATERIALS, PATHWAYS, FactorSet

PATHWAY_ALIASES = {"upcycling": "upcycle", "recycling": "recycle", "reused": "reuse"}
MATERIAL_ALIASES = {"toys": "mixed", "toy": "mixed", "mixed_plastic": "mixed"}


class RecyclingInputError(ValueError):
    """Bad input; `problems` holds (field, message) pairs, the message names the field."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))


def validate_entries(entries: pd.DataFrame) -> pd.DataFrame:
    """material / pathway normalised to their canonical names and kg as float, or RecyclingInputError."""
    missing = [c for c in ("material", "pathway", "kg") if c not in entries.columns]
    if missing:
        raise RecyclingInputError([(c, "column is missing") for c in missing])
    problems = []
    material = entries["material"].astype(str).str.strip().str.lower().replace(MATERIAL_ALIASES)
    pathway = entries["pathway"].astype(str).str.strip().str.lower().replace(PATHWAY_ALIASES)
    kg = pd.to_numeric(entries["kg"], errors="coerce")
    for row, (raw_m, m, raw_p, p, raw_kg, w) in enumerate(zip(
            entries["material"], material, entries["pathway"], pathway, entries["kg"], kg, strict=True)):
        where = f"entries[{row}]"
        if m not in MATERIALS:
            problems.append((f"{where}.material", f"{raw_m!r} is not one of {', '.join(MATERIALS)}"))
        if p not in PATHWAYS:
            problems.append((f"{where}.pathway", f"{raw_p!r} is not one of {', '.join(PATHWAYS)}"))
        if pd.isna(w) or w in (float("inf"), float("-inf")):
            problems.append((f"{where}.kg", f"{raw_kg!r} is not a number of kilograms"))
        elif w < 0:
            problems.append((f"{where}.kg", f"{raw_kg!r} is negative"))
    if problems:
        raise RecyclingInputError(problems)
    return pd.DataFrame({"material": material.astype(str).to_numpy(), "pathway": pathway.astype(str).to_numpy(),
                         "kg": kg.astype(float).to_numpy()})


def validate_campaign(*, name: str, start: dt.date, end: dt.date,
                      existing_names: set[str] = frozenset()) -> tuple[str, dt.date, dt.date]:
    """(trimmed name, start, end) or RecyclingInputError naming the field."""
    problems = []
    clean = (name or "").strip()
    if not clean:
        problems.append(("name", "a campaign needs a name"))
    elif clean.casefold() in {n.strip().casefold() for n in existing_names}:
        problems.append(("name", f"a campaign named {clean!r} already exists in this organisation"))
    if start is None or end is None:
        problems.append(("period", "a campaign needs a start and an end date"))
    elif end < start:
        problems.append(("period", f"the period ends ({end}) before it starts ({start})"))
    if problems:
        raise RecyclingInputError(problems)
    return clean, start, end


@dataclass(frozen=True)
class StatedFigures:
    """What a campaign or KPI report states; None where it states nothing. Units are in the names."""

    material: str = "mixed"
    total_kg: float | None = None
    weights_kg: dict[str, float] | None = None      # collected kg per pathway
    ratios_pct: dict[str, float] | None = None      # share of the collected kg per pathway
    reductions_kg: dict[str, float] | None = None   # reduction per pathway
    total_reduction_kg: float | None = None
    total_reduction_t: float | None = None
    weighted_factor: float | None = None
    kpi_t: float | None = None                      # the headline KPI figure
    kpi_breakdown_t: dict[str, float] | None = None  # its breakdown per pathway


@dataclass(frozen=True)
class Discrepancy:
    field: str
    stated: float
    corrected: float
    reason: str
    difference: float = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "difference", self.corrected - self.stated)

    def message(self) -> str:
        return (f"{self.field}: stated {self.stated:g}, but {self.reason} gives {self.corrected:g} "
                f"(difference {self.difference:+g})")


def _tolerance(stated: float) -> float:
    """Half a unit in the last decimal the figure was stated with (2.8 → 0.05, 3.069 → 0.0005)."""
    exponent = Decimal(repr(float(stated))).normalize().as_tuple().exponent
    return 0.5 * 10.0 ** min(int(exponent), 0) + 1e-9


def _differs(stated: float, corrected: float) -> bool:
    return abs(stated - corrected) > _tolerance(stated)


def check_stated_figures(stated: StatedFigures, *, factors: FactorSet) -> list[Discrepancy]:
    """Every stated figure that disagrees with its parts or with the factor set, with the corrected value.

    A figure stated with fewer decimals is accepted within half a unit of its last decimal.
    """
    found: list[Discrepancy] = []

    def check(name: str, value: float | None, corrected: float, reason: str) -> None:
        if value is not None and _differs(value, corrected):
            found.append(Discrepancy(name, float(value), float(corrected), reason))

    base = factors.base_factor(stated.material)
    weights = stated.weights_kg
    if weights:
        collected = sum(weights.values())
        check("total_kg", stated.total_kg, collected, "the sum of the pathway weights")
        shares = {p: kg / collected * 100 for p, kg in weights.items()} if collected else {}
        for p, pct in (stated.ratios_pct or {}).items():
            check(f"ratios_pct.{p}", pct, shares.get(p, 0.0), f"{weights.get(p, 0):g} kg of {collected:g} kg")
        expected = {p: kg * base * factors.multiplier(p) for p, kg in weights.items()}
        for p, value in (stated.reductions_kg or {}).items():
            check(f"reductions_kg.{p}", value, expected.get(p, 0.0),
                  f"{weights.get(p, 0):g} kg × {base:g} × {factors.multiplier(p):g}")
        for p, value in (stated.kpi_breakdown_t or {}).items():
            check(f"kpi_breakdown_t.{p}", value, expected.get(p, 0.0) / 1000,
                  f"{weights.get(p, 0):g} kg × {base:g} × {factors.multiplier(p):g} ÷ 1000")
        computed_total = sum(expected.values())
        check("total_reduction_kg", stated.total_reduction_kg, computed_total, "the pathway weights")
        check("total_reduction_t", stated.total_reduction_t, computed_total / 1000, "the pathway weights")
        check("kpi_t", stated.kpi_t, computed_total / 1000, "the pathway weights")
    if stated.ratios_pct:
        check("ratios_pct (sum)", sum(stated.ratios_pct.values()), 100.0, "shares that cover everything")
    ratios = ({p: kg / sum(weights.values()) for p, kg in weights.items()} if weights and sum(weights.values())
              else {p: pct / 100 for p, pct in (stated.ratios_pct or {}).items()})
    if ratios:
        terms = " + ".join(f"{r:g} × {factors.multiplier(p):g}" for p, r in ratios.items())
        check("weighted_factor", stated.weighted_factor,
              sum(r * factors.multiplier(p) for p, r in ratios.items()), terms)
    if stated.reductions_kg:
        parts = sum(stated.reductions_kg.values())
        check("total_reduction_kg", stated.total_reduction_kg, parts, "the sum of the stated pathway reductions")
        check("total_reduction_t", stated.total_reduction_t, parts / 1000,
              "the sum of the stated pathway reductions")
    if stated.kpi_breakdown_t:
        check("kpi_t", stated.kpi_t, sum(stated.kpi_breakdown_t.values()), "the sum of its own breakdown")
    return found
