"""Cercarbono (EcoRegistry) exports: projects, issuances, retirements (2026 dumps).

Project ids are EcoRegistry's numbers; canonical CCB<number> (OffsetsDB's). Issuances name no
project: the project number is the second field of the serial (CDC_<project>_…). Locations
are a list of dicts written with Python quoting; the country is the first location's.
"""

from __future__ import annotations

import ast

import pandas as pd

from tanso.vcm import exports, ids
from tanso.vcm.checks import InputError

REGISTRY = "cercarbono"


def first_country(locations: pd.Series, *, file: str) -> pd.Series:
    def country(text, row):
        if not isinstance(text, str) or not text.strip():
            return None
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError) as exc:
            raise InputError(f"{file}: column 'locations' row {row}: not a list of "
                             f"locations ({exc.__class__.__name__})") from None
        return parsed[0].get("country") if parsed and isinstance(parsed[0], dict) else None
    return pd.Series([country(t, i + 2) for i, t in zip(locations.index, locations)],
                     index=locations.index, dtype="string")


def parse_projects(raw: pd.DataFrame, *, file: str = "cercarbono/projects.csv") -> pd.DataFrame:
    frame = exports.select_columns(raw, registry=REGISTRY, table="projects", file=file)
    return exports.projects(raw, registry=REGISTRY, file=file,
                            extra={"country": first_country(frame["locations"], file=file)})


def parse_transactions(raw: pd.DataFrame, *, kind: str, file: str | None = None) -> pd.DataFrame:
    file = file or f"{REGISTRY}/{kind}s.csv"
    table = kind + "s"
    frame = exports.select_columns(raw, registry=REGISTRY, table=table, file=file)
    if kind == "issuance":
        number = frame["serial"].astype("string").str.split("_").str[1]
        frame["project_id"] = ids.canonical_ids(number, registry=REGISTRY, source=file,
                                                column="serial")
        # '2010-01-01 / 2018-09-30' → vintage of the period's end, as OffsetsDB reads it
        frame["vintage"] = frame["vintage_period"].astype("string").str.split(" / ").str[-1] \
            .str[:4]
    return exports.type_transactions(frame, registry=REGISTRY, kind=kind, source=REGISTRY,
                                     file=file, columns=exports.MAPPINGS[REGISTRY][table])
