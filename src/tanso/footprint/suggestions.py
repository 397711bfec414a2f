"""The three reductions that would save the most for this day's own pattern, with the saving in kg.

Each candidate changes one thing the person did (the same trip by subway, the same item second-hand, the
same meal as a lower-carbon dish, an hour less of an appliance, half the plastic waste, showers half as
long) and is priced with the same factors as the day itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tanso.footprint import food
from tanso.footprint.calculate import Line
from tanso.footprint.factors import FactorSet
from tanso.footprint.korean import item_name, with_object_particle

SHORT_TRIP_KM = 5.0  # a car trip this short can be cycled or walked

TEXT = {
    "car_to_bike": ("Cycle or walk the {km:.1f} km you drove", "자동차로 간 {km:.1f} km를 자전거나 걸어서 이동하기"),
    "car_to_subway": ("Take the subway instead of the car for {km:.0f} km", "자동차 대신 지하철로 {km:.0f} km 이동하기"),
    "bus_to_subway": ("Take the subway instead of the bus for {km:.0f} km", "버스 대신 지하철로 {km:.0f} km 이동하기"),
    "second_hand": ("Buy the {item} second-hand", "{item_ko_object} 중고로 사기"),
    "dish_swap": ("Have {alt} instead of {item}", "{item_ko} 대신 {alt_ko} 먹기"),
    "product_swap": ("Replace the {item} with tofu", "{item_ko} 대신 두부 먹기"),
    "less_waste": ("Halve your {item} waste", "{item_ko} 쓰레기를 절반으로 줄이기"),
    "appliance_hour": ("Run the {item} one hour less", "{item_ko_object} 1시간 덜 사용하기"),
    "shorter_shower": ("Take showers half as long", "샤워 시간을 절반으로 줄이기"),
}
KOREAN_KEYS = ("item_ko", "item_ko_object", "alt_ko")  # derived from item/alt, never passed back in


@dataclass(frozen=True)
class Suggestion:
    action: str
    saving_kg: float
    text: str
    text_ko: str
    params: dict

    def to_dict(self) -> dict:
        return asdict(self)


def _suggestion(action: str, saving: float, **params) -> Suggestion:
    item_ko = item_name(params.get("item", ""))
    params = params | {"item_ko": item_ko, "item_ko_object": with_object_particle(item_ko),
                       "alt_ko": item_name(params.get("alt", ""))}
    en, ko = TEXT[action]
    return Suggestion(action, saving, en.format(**params), ko.format(**params), params)


def _lowest_dish(factors: FactorSet) -> tuple[str, float]:
    per_serving = {d: factors.get("food", d, "factor") for d in factors.items("food")}
    for dish in food.dishes()["dish"].unique():
        per_serving.setdefault(dish, food.recipe_factor(food.dish_recipe(dish)))
    options = {d: f for d, f in per_serving.items() if f is not None}
    return min(options.items(), key=lambda kv: kv[1])


def candidates(lines: list[Line], *, factors: FactorSet) -> list[Suggestion]:
    out = []
    subway = factors.get("transport", "subway", "factor")
    alt_dish, alt_factor = _lowest_dish(factors)
    tofu = food.product_factor("Tofu")
    for line in lines:
        c, item, q = line.category, line.item, line.quantity
        if c == "transport" and item == "car":
            if q <= SHORT_TRIP_KM:
                out.append(_suggestion("car_to_bike", line.kg, km=q, item=item))
            else:
                out.append(_suggestion("car_to_subway", line.kg - q * subway, km=q, item=item))
        elif c == "transport" and item == "bus":
            out.append(_suggestion("bus_to_subway", line.kg - q * subway, km=q, item=item))
        elif c == "clothing" and not line.second_hand:
            share = factors.get("clothing", "second_hand", "share")
            out.append(_suggestion("second_hand", line.kg * (1 - share), item=item))
        elif c == "food" and line.unit == "serving" and line.factor > alt_factor:
            out.append(_suggestion("dish_swap", line.kg - q * alt_factor, item=item, alt=alt_dish))
        elif c == "food" and line.unit == "kg" and line.factor > tofu:
            out.append(_suggestion("product_swap", q * (line.factor - tofu), item=item))
        elif c == "waste" and item in ("plastic", "general"):
            out.append(_suggestion("less_waste", line.kg / 2, item=item))
        elif c == "electricity" and item in ("aircon", "heater"):
            power = factors.get("electricity", item, "power")
            hours = q / power if power else 0.0
            out.append(_suggestion("appliance_hour", min(1.0, hours) * power * line.factor, item=item))
        elif c == "water" and item == "shower":
            out.append(_suggestion("shorter_shower", line.kg / 2, item=item))
    return out


def suggest_reductions(lines: list[Line], *, factors: FactorSet, count: int = 3) -> list[Suggestion]:
    """The `count` largest savings, one per action and item (repeated trips add up), largest first."""
    merged: dict[tuple[str, str], Suggestion] = {}
    for s in candidates(lines, factors=factors):
        key = (s.action, s.params.get("item", ""))
        if key in merged:
            old = merged[key]
            params = old.params | ({"km": old.params["km"] + s.params["km"]} if "km" in s.params else {})
            merged[key] = _suggestion(s.action, old.saving_kg + s.saving_kg,
                                      **{k: v for k, v in params.items() if k not in KOREAN_KEYS})
        else:
            merged[key] = s
    ranked = sorted((s for s in merged.values() if s.saving_kg > 1e-9), key=lambda s: (-s.saving_kg, s.action))
    return ranked[:count]
