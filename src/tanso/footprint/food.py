"""Food: GHG per kg of product (Poore & Nemecek 2018 via OWID) and dishes built from ingredients.

A dish is either a per-serving factor of the active set (the seed's gimbap 0.4, mul-naengmyeon 2.4) or a
recipe in ``dishes.csv`` (product, raw kg per serving — Tanso's recipes, labelled so) priced with the
per-kg table. A day may also list products by weight directly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tanso import catalog

GHG_COLUMN = "GHG emissions per kilogram (Poore & Nemecek, 2018)"
DISHES_PATH = Path(__file__).with_name("dishes.csv")

FOOD_SCHEMA = pa.DataFrameSchema({
    "product": pa.Column(str, unique=True),
    "kg_co2e_per_kg": pa.Column(float, pa.Check.gt(0)),
})
DISHES_SCHEMA = pa.DataFrameSchema({
    "dish": pa.Column(str), "product": pa.Column(str), "kg_per_serving": pa.Column(float, pa.Check.gt(0)),
})


def tidy_food_table(raw: pd.DataFrame) -> pd.DataFrame:
    """product → kg CO2e per kg; products without a per-kg value (oils, "Grains") are left out."""
    frame = raw.rename(columns={"Entity": "product", GHG_COLUMN: "kg_co2e_per_kg"})[["product", "kg_co2e_per_kg"]]
    return FOOD_SCHEMA.validate(frame.dropna().astype({"kg_co2e_per_kg": float}).reset_index(drop=True))


@lru_cache(maxsize=1)
def food_table() -> pd.DataFrame:
    return tidy_food_table(catalog.read("owid_food_pn2018"))


def food_version() -> str:
    return catalog.dataset("owid_food_pn2018").version


@lru_cache(maxsize=1)
def dishes() -> pd.DataFrame:
    frame = pd.read_csv(DISHES_PATH)[["dish", "product", "kg_per_serving"]]
    return DISHES_SCHEMA.validate(frame)


def find_product(name: str) -> str | None:
    """The table's product name for `name`, case-insensitive ("beef" finds "Beef (beef herd)")."""
    products = food_table()["product"]
    wanted = name.strip().casefold()
    exact = products[products.str.casefold() == wanted]
    if len(exact):
        return exact.iloc[0]
    starts = products[products.str.casefold().str.startswith(wanted)]
    return starts.iloc[0] if len(starts) else None


def product_factor(product: str) -> float:
    table = food_table().set_index("product")["kg_co2e_per_kg"]
    return float(table[product])


def recipe_factor(ingredients: pd.DataFrame) -> float:
    """kg CO2e of one serving: Σ kg × the product's per-kg factor."""
    table = food_table().set_index("product")["kg_co2e_per_kg"]
    return float((ingredients["kg_per_serving"] * ingredients["product"].map(table)).sum())


def dish_recipe(dish: str) -> pd.DataFrame:
    frame = dishes()
    return frame[frame["dish"] == dish].reset_index(drop=True)
