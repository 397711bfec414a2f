"""Reward points (seed 002), whole numbers, each part rounded half up:

- saved: kg CO2e saved × 100, where saved = km walked or cycled × the set's car factor;
- second_hand: 10 per second-hand item (its saving is not counted again under `saved`);
- below_average: (benchmark − day total) × 20, floored at 0 and capped at 100.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from tanso.footprint.calculate import Line
from tanso.footprint.factors import FactorSet

ACTIVE_MODES = ("walk", "bike")
POINTS_PER_KG_SAVED = 100
POINTS_PER_SECOND_HAND_ITEM = 10
POINTS_PER_KG_BELOW_AVERAGE = 20
BELOW_AVERAGE_CAP = 100


def round_half_up(value: float) -> int:
    # Round to 9 decimals first so 0.855 × 100 = 85.49999999999999 counts as the 85.5 it is.
    return int(Decimal(repr(round(value, 9))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Points:
    saved: int
    second_hand: int
    below_average: int
    total: int
    saved_kg: float

    def to_dict(self) -> dict:
        return asdict(self)


def award_points(lines: list[Line], *, total_kg: float, factors: FactorSet, average_kg: float) -> Points:
    car = factors.get("transport", "car", "factor")
    active_km = sum(line.quantity for line in lines
                    if line.category == "transport" and line.item in ACTIVE_MODES)
    saved_kg = active_km * car
    items = sum(line.count for line in lines if line.category == "clothing" and line.second_hand)
    saved = round_half_up(saved_kg * POINTS_PER_KG_SAVED)
    second_hand = round_half_up(items * POINTS_PER_SECOND_HAND_ITEM)
    below = round_half_up(min(BELOW_AVERAGE_CAP, max(0.0, (average_kg - total_kg) * POINTS_PER_KG_BELOW_AVERAGE)))
    return Points(saved, second_hand, below, saved + second_hand + below, saved_kg)
