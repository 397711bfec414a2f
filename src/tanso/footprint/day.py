"""A day's activities (DAY.json) parsed into base quantities, refusing what cannot be right.

Input units follow the seed: transport in minutes or km, clothing in items, food in servings (or kg of a
product), waste in kg or items, electricity in hours of an appliance (or kWh), water in uses or minutes.
Every problem names its field (``transport[0].km``); nothing is computed from a partly valid day.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from tanso.footprint import food
from tanso.footprint.factors import CATEGORIES, FactorSet

ALIASES = {
    "transport": {"cycling": "bike", "bicycle": "bike", "walking": "walk", "metro": "subway", "train": "subway"},
    "clothing": {"t-shirt": "tshirt", "t_shirt": "tshirt", "shirt": "tshirt", "shoe": "shoes"},
    "waste": {"bottle": "glass", "cans": "can"},
    "electricity": {"air_conditioner": "aircon", "ac": "aircon"},
    "water": {"dishwashing": "dishes"},
    "food": {"naengmyeon": "mul-naengmyeon"},
}
# What one person cannot plausibly do in one day; beyond this the input is a typo (2,000 km by bus).
MAX_PER_DAY = {
    ("transport", "km"): {"car": 1500, "bus": 1200, "subway": 500, "walk": 80, "bike": 300},
    ("transport", "minutes"): 1440,
    ("clothing", "count"): 50,
    ("food", "servings"): 10,
    ("food", "kg"): 5,
    ("waste", "kg"): 50,
    ("waste", "count"): 500,
    ("electricity", "hours"): 24,
    ("electricity", "kwh"): 300,
    ("water", "count"): 20,
    ("water", "minutes"): 240,
}
ITEM_KEY = {"transport": "mode", "clothing": "item", "food": "dish", "waste": "type",
            "electricity": "appliance", "water": "use"}


class FootprintInputError(ValueError):
    """Bad DAY input; `problems` holds (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))


@dataclass(frozen=True)
class Activity:
    category: str
    item: str
    quantity: float          # in `unit`, the unit the factor applies to
    unit: str                # km, item, serving, kg, kWh, L
    field: str               # where it came from in DAY.json
    entered: str             # what the user typed, e.g. "30 minutes"
    second_hand: bool = False
    count: float = 0.0       # items (clothing), for points
    ingredients: tuple = field(default=())  # (product, kg per serving) for food built from ingredients


def read_day(text: str) -> dict:
    try:
        day = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FootprintInputError([("DAY.json", (f"not valid JSON ({exc.msg} at line {exc.lineno}, "
                                                f"column {exc.colno})"))]) from None
    if not isinstance(day, dict):
        raise FootprintInputError([("DAY.json", "must be an object with categories as keys")])
    return day


class _Parser:
    def __init__(self, factors: FactorSet):
        self.factors = factors
        self.problems: list[tuple[str, str]] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    def number(self, entry: dict, key: str, where: str, *, limit: float | None, unit: str,
               whole: bool = False) -> float | None:
        value = entry.get(key)
        if value is None:
            self.problem(f"{where}.{key}", "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problem(f"{where}.{key}", f"{value!r} is not a number")
            return None
        if value < 0:
            self.problem(f"{where}.{key}", f"{value:g} is negative")
            return None
        if whole and value != int(value):
            self.problem(f"{where}.{key}", f"{value:g} is not a whole number")
            return None
        if limit is not None and value > limit:
            self.problem(f"{where}.{key}", f"{value:,g} {unit} in one day is more than the plausible "
                                           f"{limit:,g}; check the number")
            return None
        return float(value)

    def one_of(self, entry: dict, keys: tuple[str, ...], where: str) -> str | None:
        given = [k for k in keys if k in entry]
        if len(given) != 1:
            self.problem(where, f"give exactly one of {', '.join(keys)}" + (f" (got {', '.join(given)})"
                                                                            if given else ""))
            return None
        return given[0]

    def item(self, category: str, entry: dict, where: str, known: list[str]) -> str | None:
        key = ITEM_KEY[category]
        raw = entry.get(key)
        if not isinstance(raw, str) or not raw.strip():
            self.problem(f"{where}.{key}", "missing (a name such as " + ", ".join(known[:4]) + ")")
            return None
        name = raw.strip().lower().replace(" ", "-" if category == "food" else "_")
        name = ALIASES.get(category, {}).get(name, name)
        if name not in known:
            self.problem(f"{where}.{key}", f"unknown {key} {raw!r}; known: {', '.join(known)}")
            return None
        return name

    def unexpected(self, entry: dict, allowed: set[str], where: str) -> None:
        for key in sorted(set(entry) - allowed):
            self.problem(f"{where}.{key}", "unexpected field")


def _transport(p: _Parser, entry: dict, where: str) -> list[Activity]:
    p.unexpected(entry, {"mode", "minutes", "km"}, where)
    mode = p.item("transport", entry, where, p.factors.items("transport"))
    unit = p.one_of(entry, ("minutes", "km"), where)
    if mode is None or unit is None:
        return []
    if unit == "km":
        km = p.number(entry, "km", where, limit=MAX_PER_DAY[("transport", "km")][mode], unit=f"km by {mode}")
        entered = f"{km:g} km" if km is not None else ""
    else:
        minutes = p.number(entry, "minutes", where, limit=MAX_PER_DAY[("transport", "minutes")], unit="minutes")
        km = None if minutes is None else minutes / 60 * p.factors.get("transport", mode, "speed")
        entered = f"{minutes:g} minutes" if minutes is not None else ""
    return [] if km is None else [Activity("transport", mode, km, "km", where, entered)]


def _clothing(p: _Parser, entry: dict, where: str) -> list[Activity]:
    p.unexpected(entry, {"item", "count", "second_hand"}, where)
    known = [i for i in p.factors.items("clothing") if i != "second_hand"]
    item = p.item("clothing", entry, where, known)
    count = p.number(entry | {"count": entry.get("count", 1)}, "count", where,
                     limit=MAX_PER_DAY[("clothing", "count")], unit="items", whole=True)
    second_hand = entry.get("second_hand", False)
    if not isinstance(second_hand, bool):
        p.problem(f"{where}.second_hand", f"{second_hand!r} is not true or false")
        return []
    if item is None or count is None:
        return []
    return [Activity("clothing", item, count, "item", where, f"{count:g} item(s)", second_hand, count)]


def _food(p: _Parser, entry: dict, where: str) -> list[Activity]:
    p.unexpected(entry, {"dish", "servings", "product", "kg", "ingredients"}, where)
    if "product" in entry:
        product = entry["product"]
        found = food.find_product(product) if isinstance(product, str) else None
        if found is None:
            p.problem(f"{where}.product", f"unknown product {product!r}; known: "
                      + ", ".join(food.food_table()["product"]))
        kg = p.number(entry | {"kg": entry.get("kg")}, "kg", where, limit=MAX_PER_DAY[("food", "kg")], unit="kg")
        if found is None or kg is None:
            return []
        return [Activity("food", found, kg, "kg", where, f"{kg:g} kg")]
    servings = p.number(entry | {"servings": entry.get("servings", 1)}, "servings", where,
                        limit=MAX_PER_DAY[("food", "servings")], unit="servings")
    if "ingredients" in entry:
        ingredients = _ingredients(p, entry["ingredients"], f"{where}.ingredients")
        name = entry.get("dish") or "own dish"
        if ingredients is None or servings is None:
            return []
        return [Activity("food", str(name), servings, "serving", where, f"{servings:g} serving(s)",
                         ingredients=ingredients)]
    known = list(dict.fromkeys(p.factors.items("food") + list(food.dishes()["dish"])))
    dish = p.item("food", entry, where, known)
    if dish is None or servings is None:
        return []
    return [Activity("food", dish, servings, "serving", where, f"{servings:g} serving(s)")]


def _ingredients(p: _Parser, raw, where: str) -> tuple | None:
    if not isinstance(raw, list) or not raw:
        p.problem(where, "must be a list of {product, kg}")
        return None
    out = []
    for i, ingredient in enumerate(raw):
        here = f"{where}[{i}]"
        if not isinstance(ingredient, dict) or "product" not in ingredient or "kg" not in ingredient:
            p.problem(here, "must be {\"product\": name, \"kg\": weight per serving}")
            continue
        found = food.find_product(str(ingredient["product"]))
        if found is None:
            p.problem(f"{here}.product", f"unknown product {ingredient['product']!r}")
        kg = p.number(ingredient, "kg", here, limit=MAX_PER_DAY[("food", "kg")], unit="kg")
        if found is not None and kg is not None:
            out.append((found, kg))
    return tuple(out) if len(out) == len(raw) else None


def _waste(p: _Parser, entry: dict, where: str) -> list[Activity]:
    p.unexpected(entry, {"type", "kg", "count"}, where)
    kind = p.item("waste", entry, where, p.factors.items("waste"))
    unit = p.one_of(entry, ("kg", "count"), where)
    if kind is None or unit is None:
        return []
    if unit == "kg":
        kg = p.number(entry, "kg", where, limit=MAX_PER_DAY[("waste", "kg")], unit="kg")
        return [] if kg is None else [Activity("waste", kind, kg, "kg", where, f"{kg:g} kg")]
    per_item = p.factors.get("waste", kind, "kg_per_item")
    if per_item is None:
        p.problem(f"{where}.count", f"{kind} waste is weighed in kg, not counted")
        return []
    count = p.number(entry, "count", where, limit=MAX_PER_DAY[("waste", "count")], unit="items", whole=True)
    return [] if count is None else [Activity("waste", kind, count * per_item, "kg", where, f"{count:g} item(s)")]


def _electricity(p: _Parser, entry: dict, where: str) -> list[Activity]:
    p.unexpected(entry, {"appliance", "hours", "kwh"}, where)
    if "kwh" in entry and "appliance" not in entry:
        kwh = p.number(entry, "kwh", where, limit=MAX_PER_DAY[("electricity", "kwh")], unit="kWh")
        return [] if kwh is None else [Activity("electricity", "grid", kwh, "kWh", where, f"{kwh:g} kWh")]
    known = [i for i in p.factors.items("electricity") if i != "grid"]
    appliance = p.item("electricity", entry, where, known)
    if "hours" not in entry:
        p.problem(f"{where}.hours", "missing (hours the appliance ran)")
        return []
    hours = p.number(entry, "hours", where, limit=MAX_PER_DAY[("electricity", "hours")], unit="hours")
    if appliance is None or hours is None:
        return []
    kwh = hours * p.factors.get("electricity", appliance, "power")
    return [Activity("electricity", appliance, kwh, "kWh", where, f"{hours:g} hours")]


def _water(p: _Parser, entry: dict, where: str) -> list[Activity]:
    p.unexpected(entry, {"use", "count", "minutes"}, where)
    known = [i for i in p.factors.items("water") if i != "tap"]
    use = p.item("water", entry, where, known)
    unit = p.one_of(entry, ("count", "minutes"), where)
    if use is None or unit is None:
        return []
    if unit == "count":
        count = p.number(entry, "count", where, limit=MAX_PER_DAY[("water", "count")], unit="uses")
        litres = None if count is None else count * p.factors.get("water", use, "litres_per_use")
        entered = f"{count:g} time(s)" if count is not None else ""
    else:
        per_minute = p.factors.get("water", use, "litres_per_minute")
        if per_minute is None:
            p.problem(f"{where}.minutes", f"{use} is counted in uses, not minutes")
            return []
        minutes = p.number(entry, "minutes", where, limit=MAX_PER_DAY[("water", "minutes")], unit="minutes")
        litres = None if minutes is None else minutes * per_minute
        entered = f"{minutes:g} minutes" if minutes is not None else ""
    return [] if litres is None else [Activity("water", use, litres, "L", where, entered)]


PARSERS = {"transport": _transport, "clothing": _clothing, "food": _food, "waste": _waste,
           "electricity": _electricity, "water": _water}


def parse_day(day: dict, *, factors: FactorSet) -> list[Activity]:
    """The day's activities in base units, or FootprintInputError listing every problem by field."""
    p = _Parser(factors)
    if not isinstance(day, dict):
        raise FootprintInputError([("DAY.json", "must be an object with categories as keys")])
    activities: list[Activity] = []
    for category, entries in day.items():
        if category not in CATEGORIES:
            p.problem(category, f"unknown category; use {', '.join(CATEGORIES)}")
            continue
        if not isinstance(entries, list):
            p.problem(category, "must be a list of entries")
            continue
        for i, entry in enumerate(entries):
            where = f"{category}[{i}]"
            if not isinstance(entry, dict):
                p.problem(where, "must be an object")
                continue
            activities += PARSERS[category](p, entry, where)
    if p.problems:
        raise FootprintInputError(p.problems)
    return activities
