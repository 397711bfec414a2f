"""The checks of analysis inputs, written once for the CLI, the gap analysis and the scenarios.

Every check raises AnalysisInputError (a ValueError, and a UserError so the CLI prints it as one
line) naming the input and the value. Impossible inputs are refused rather than analysed:
years far outside any emissions record, a net-zero year before the target year, a negative or
infinite level, a percentage outside 0–100.
"""

from __future__ import annotations

import math

from tanso.errors import UserError

# Emissions records start in 1750 (OWID); targets and pathways end well before 2200.
FIRST_YEAR, LAST_YEAR = 1750, 2200


class AnalysisInputError(UserError, ValueError):
    """An analysis input is impossible; the message names it and its value."""


def check_finite(value: float | None, *, name: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise AnalysisInputError(f"{name} must be a finite number, got {value}")
    return value


def check_percent(value: float, *, name: str) -> float:
    """A reduction in % of something: 0 (none) … 100 (all of it)."""
    check_finite(value, name=name)
    if not 0 <= value <= 100:
        raise AnalysisInputError(f"{name} must be between 0 and 100 %, got {value:g} %")
    return value


def check_year(value: int | None, *, name: str) -> int | None:
    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        raise AnalysisInputError(f"{name} must be a year within {FIRST_YEAR}–{LAST_YEAR}, got {value}")
    return value


def check_level(value: float | None, *, name: str) -> float | None:
    """An emissions level in Mt: finite and not negative (net removals are not a target base)."""
    check_finite(value, name=name)
    if value is not None and value < 0:
        raise AnalysisInputError(f"{name} must not be negative, got {value:g}")
    return value


def check_target(*, base_year: int | None, target_year: int, reduction_pct: float | None,
                 target_value: float | None, stated_base_value: float | None = None,
                 net_zero_year: int | None = None) -> None:
    """A target as the CLI, the gap analysis and the apps take it."""
    if reduction_pct is None and target_value is None:
        raise AnalysisInputError("give a reduction percentage or a target value")
    check_year(base_year, name="base year")
    check_year(target_year, name="target year")
    check_year(net_zero_year, name="net-zero year")
    if reduction_pct is not None:
        check_percent(reduction_pct, name="reduction")
        if target_value is None and base_year is None:
            raise AnalysisInputError("a reduction percentage needs a base year")
    check_level(target_value, name="target value")
    check_level(stated_base_value, name="stated base value")
    if base_year is not None and target_year <= base_year:
        raise AnalysisInputError(f"target year {target_year} must be after base year {base_year}")
    if net_zero_year is not None and net_zero_year < target_year:
        raise AnalysisInputError(f"net-zero year {net_zero_year} is before the target year {target_year}")
