"""A day's footprint: one typed line per activity, each naming the source of its factor.

Lines are computed from the local factor set; when a remote estimator (Climatiq) is given, the lines it
can price are replaced by its answers and the others keep the local figure with the reason shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import pandas as pd
import pandera.pandas as pa

from tanso.footprint import food
from tanso.footprint.day import Activity
from tanso.footprint.factors import CATEGORIES, FactorSet

LINES_SCHEMA = pa.DataFrameSchema({
    "category": pa.Column(str, pa.Check.isin(CATEGORIES)),
    "item": pa.Column(str),
    "quantity": pa.Column(float, pa.Check.ge(0)),
    "unit": pa.Column(str),
    "factor": pa.Column(float, pa.Check.ge(0)),
    "kg": pa.Column(float, pa.Check.ge(0)),
})


@dataclass(frozen=True)
class Line:
    category: str
    item: str
    quantity: float
    unit: str
    factor: float           # kg CO2e per unit
    kg: float
    source: dict            # provider + factor set/version, or Climatiq factor id + data version
    entered: str = ""
    second_hand: bool = False
    count: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RemoteAnswer:
    """What a remote estimator returned for one activity: kg, or the reason it could not."""

    kg: float | None = None
    source: dict = field(default_factory=dict)
    reason: str = ""


# Prices activities remotely, given the active set (for quantities it converts, e.g. servings → kg).
Remote = Callable[[list[Activity], FactorSet], list[RemoteAnswer | None]]


def local_source(factors: FactorSet, **extra) -> dict:
    return {"provider": "local", "factor_set": factors.name, "version": factors.version} | extra


def local_line(activity: Activity, *, factors: FactorSet) -> Line:
    """The activity priced with the local set (and the food table for dishes built from ingredients)."""
    a, source = activity, local_source(factors)
    label = a.item
    if a.category == "transport":
        factor = factors.get("transport", a.item, "factor")
    elif a.category == "clothing":
        factor = factors.get("clothing", a.item, "factor")
        if a.second_hand:
            factor *= factors.get("clothing", "second_hand", "share")
            label = f"{a.item} (second-hand)"
    elif a.category == "food":
        factor, source = _food_factor(a, factors=factors)
    elif a.category == "waste":
        factor = factors.get("waste", a.item, "factor")
    elif a.category == "electricity":
        factor = factors.get("electricity", "grid", "factor")
    else:  # water
        factor = factors.get("water", "tap", "factor")
    return Line(a.category, label, a.quantity, a.unit, factor, a.quantity * factor, source, a.entered,
                a.second_hand, a.count)


def _food_factor(a: Activity, *, factors: FactorSet) -> tuple[float, dict]:
    table = {"food_table": f"owid_food_pn2018@{food.food_version()}"}
    if a.unit == "kg":  # a product by weight
        return food.product_factor(a.item), local_source(factors, **table)
    if a.ingredients:
        recipe = pd.DataFrame(list(a.ingredients), columns=["product", "kg_per_serving"])
        return food.recipe_factor(recipe), local_source(factors, **table)
    per_serving = factors.get("food", a.item, "factor")
    if per_serving is not None:
        return per_serving, local_source(factors)
    return food.recipe_factor(food.dish_recipe(a.item)), local_source(factors, **table, recipe="tanso dishes.csv")


def calculate_lines(activities: list[Activity], *, factors: FactorSet, remote: Remote | None = None) -> list[Line]:
    lines = [local_line(a, factors=factors) for a in activities]
    if remote is None or not activities:
        return lines
    answers = remote(activities, factors)
    out = []
    for line, answer in zip(lines, answers, strict=True):
        if answer is None:  # the remote does not price this kind of activity
            out.append(line)
        elif answer.kg is None:
            out.append(_with_source(line, line.source | {"fallback_reason": answer.reason}))
        else:
            factor = answer.kg / line.quantity if line.quantity else 0.0
            out.append(Line(line.category, line.item, line.quantity, line.unit, factor, answer.kg,
                            answer.source, line.entered, line.second_hand, line.count))
    return out


def _with_source(line: Line, source: dict) -> Line:
    return Line(**(line.to_dict() | {"source": source}))


def lines_frame(lines: list[Line]) -> pd.DataFrame:
    frame = pd.DataFrame([line.to_dict() for line in lines],
                         columns=list(Line.__dataclass_fields__)).astype(
        {"quantity": float, "factor": float, "kg": float})
    return LINES_SCHEMA.validate(frame)


def by_category(lines: list[Line]) -> dict[str, float]:
    totals = dict.fromkeys(CATEGORIES, 0.0)
    for line in lines:
        totals[line.category] += line.kg
    return totals
