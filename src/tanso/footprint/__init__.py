"""Personal carbon-footprint calculator: pure functions and typed results, no Panel, no database.

- `factors`: versioned factor sets from the catalog (`ecojourney` = seed 002 exactly; `korea`).
- `food`: GHG per kg of product (Poore & Nemecek 2018 via OWID) and dishes built from ingredients.
- `day`: DAY.json parsed into activities in base units; every bad field named.
- `calculate`: one typed line per activity, each naming its factor's source.
- `climatiq`: the Climatiq batch-estimate client (first choice when CLIMATIQ_API_KEY is set).
- `points`, `suggestions`, `summary`: reward points, the three biggest reductions, plain-language text.
- `estimate`: `estimate_day`, the one entry point for app, report and CLI.
- `history`: days rolled up by day / week / month, goal progress.
"""

from tanso.footprint.day import FootprintInputError, parse_day, read_day
from tanso.footprint.estimate import DayResult, estimate_day
from tanso.footprint.factors import FactorSet, UnknownFactorSet, load_factor_set, set_names

__all__ = ["DayResult", "FactorSet", "FootprintInputError", "UnknownFactorSet", "estimate_day",
           "load_factor_set", "parse_day", "read_day", "set_names"]
