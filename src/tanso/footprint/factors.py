"""Footprint factor sets: versioned catalog data, one row per (category, item, parameter) with its source.

Two sets: ``ecojourney`` (seed 002 reproduced exactly; the default) and ``korea`` (Korean published
factors over it: grid 0.4173 kg/kWh for 2023, …). Every result names the set and version it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from tanso import catalog

SETS = {"ecojourney": "footprint_ecojourney", "korea": "footprint_korea"}
DEFAULT_SET = "ecojourney"
CATEGORIES = ("transport", "clothing", "food", "waste", "electricity", "water")

FACTORS_SCHEMA = pa.DataFrameSchema({
    "category": pa.Column(str, pa.Check.isin((*CATEGORIES, "benchmark"))),
    "item": pa.Column(str),
    "parameter": pa.Column(str),
    "value": pa.Column(float, pa.Check.ge(0)),
    "unit": pa.Column(str),
    "source": pa.Column(str),
    "status": pa.Column(str, pa.Check.isin(("seed", "primary", "secondary", "assumption"))),
}, unique=["category", "item", "parameter"])


class UnknownFactorSet(ValueError):
    pass


@dataclass(frozen=True)
class FactorSet:
    name: str
    version: str
    table: pd.DataFrame  # category, item, parameter, value, unit, source, year, region, status, note

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def describe(self) -> dict:
        return {"name": self.name, "version": self.version}

    def get(self, category: str, item: str, parameter: str) -> float | None:
        key = (category, item, parameter)
        return float(self._index[key]) if key in self._index else None

    def row(self, category: str, item: str, parameter: str) -> dict:
        rows = self.table[(self.table["category"] == category) & (self.table["item"] == item)
                          & (self.table["parameter"] == parameter)]
        return rows.iloc[0].to_dict() if len(rows) else {}

    def items(self, category: str) -> list[str]:
        return list(dict.fromkeys(self.table.loc[self.table["category"] == category, "item"]))

    @property
    def _index(self) -> dict:
        return dict(zip(zip(self.table["category"], self.table["item"], self.table["parameter"], strict=True),
                        self.table["value"], strict=True))


def tidy_factors(raw: pd.DataFrame) -> pd.DataFrame:
    frame = raw.assign(value=pd.to_numeric(raw["value"], errors="raise").astype(float))
    for column in ("source", "unit", "status", "note", "region"):
        frame[column] = frame[column].fillna("").astype(str)
    return FACTORS_SCHEMA.validate(frame)


def set_names() -> list[str]:
    return list(SETS)


@lru_cache(maxsize=8)
def load_factor_set(spec: str | None = None) -> FactorSet:
    """The set named `spec` ("ecojourney", "korea", optionally "@version"); default: the seed's."""
    name, _, version = (spec or DEFAULT_SET).partition("@")
    if name not in SETS:
        raise UnknownFactorSet(f"unknown factor set {name!r}; choose one of: {', '.join(SETS)}")
    pinned = catalog.dataset(SETS[name]).version
    if version and version != pinned:
        raise UnknownFactorSet(f"factor set {name!r} has version {pinned!r} in the catalog, not {version!r}")
    return FactorSet(name=name, version=pinned, table=tidy_factors(catalog.read(SETS[name])))
