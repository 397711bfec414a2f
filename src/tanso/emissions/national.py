"""National emissions: OWID CO2/GHG and Global Carbon Budget frames → core.* tables.

Pure DataFrame → DataFrame steps, each ending in a pandera check, so a bad file stops
before anything is written. Units follow the OWID codebook (Mt, t/person, %).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tanso.db.load import TableLoad
from tanso.errors import narrowed, validated

# OWID entities without an ISO 3166 code (regions, income groups, EU, World, Kosovo…):
# their stable code and kind. A new aggregate in a future release must be added here.
ENTITIES: dict[str, dict[str, str]] = json.loads(
    Path(__file__).with_name("owid_entities.json").read_text(encoding="utf-8")
)

KEY_COLUMNS = ("country", "year", "iso_code")


class InputError(ValueError):
    """The source file does not have the shape the transform needs; says what and where."""


def require_columns(frame: pd.DataFrame, columns, *, source: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{source}: required column(s) missing: {', '.join(missing)}")


def build_countries(owid: pd.DataFrame) -> pd.DataFrame:
    """One row per OWID entity: code (ISO3 or an OWID_* code), name, kind."""
    require_columns(owid, KEY_COLUMNS, source="owid_co2")
    entities = owid[["country", "iso_code"]].drop_duplicates("country")
    known = entities["country"].map(lambda name: ENTITIES.get(name, {}))
    code = entities["iso_code"].where(entities["iso_code"].notna(), known.str.get("code"))
    unknown = entities.loc[code.isna(), "country"].tolist()
    if unknown:
        raise InputError(
            "owid_co2: entities without an ISO code and not in owid_entities.json: "
            + ", ".join(unknown)
        )
    countries = pd.DataFrame(
        {
            "code": code.astype("string"),
            "name": entities["country"].astype("string"),
            "kind": known.str.get("kind").fillna("country").astype("string"),
        }
    )
    return COUNTRIES_SCHEMA.validate(countries.sort_values("code").reset_index(drop=True))


def tidy_owid(owid: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """OWID rows keyed by country_code/year with every indicator column as float."""
    require_columns(owid, KEY_COLUMNS, source="owid_co2")
    codes = dict(zip(countries["name"], countries["code"], strict=True))
    frame = owid.drop(columns=["iso_code"]).rename(columns={"country": "country_code"})
    frame["country_code"] = frame["country_code"].map(codes).astype("string")
    frame["year"] = narrowed(frame["year"], "int16", source="owid_co2")
    indicators = [c for c in frame.columns if c not in ("country_code", "year")]
    frame[indicators] = frame[indicators].astype("float64")
    return validated(national_schema(indicators), frame, source="owid_co2")


def tidy_gcb(gcb: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """GCB annual CO2 (t) → country_code, year, co2_mt (Mt)."""
    require_columns(gcb, ("Entity", "Year", "Emissions"), source="gcb_co2")
    codes = dict(zip(countries["name"], countries["code"], strict=True))
    unknown = sorted(set(gcb["Entity"]) - set(codes))
    if unknown:
        raise InputError(f"gcb_co2: entities not in the country dimension: {', '.join(unknown)}")
    frame = pd.DataFrame(
        {
            "country_code": gcb["Entity"].map(codes).astype("string"),
            "year": gcb["Year"].astype("int16"),
            "co2_mt": pd.to_numeric(gcb["Emissions"], errors="raise") / 1e6,
        }
    )
    return validated(GCB_SCHEMA, frame, source="gcb_co2")


COUNTRIES_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column("string", unique=True, checks=pa.Check.str_length(2, 60)),
        "name": pa.Column("string", unique=True),
        "kind": pa.Column(
            "string", pa.Check.isin(["country", "world", "region", "income_group", "other"])
        ),
    },
    strict=True,
)

YEAR = pa.Column("int16", pa.Check.in_range(1750, 2100))

# Physical quantities that cannot be negative; net figures (incl. land use, trade) can.
NON_NEGATIVE = {
    "population", "gdp", "co2", "coal_co2", "oil_co2", "gas_co2", "cement_co2", "flaring_co2",
    "methane", "nitrous_oxide", "total_ghg_excluding_lucf", "primary_energy_consumption",
    "cumulative_co2", "co2_per_capita", "consumption_co2",
}


def _indicator_checks(name: str) -> list[pa.Check]:
    if name in NON_NEGATIVE:
        return [pa.Check.ge(0)]
    if name.startswith("share_global"):
        # shares of the world total, %: small negatives from land-use sinks, 100.001 from rounding
        return [pa.Check.in_range(-100, 100.5)]
    return []


def national_schema(indicators: list[str]) -> pa.DataFrameSchema:
    columns = {"country_code": pa.Column("string", nullable=False), "year": YEAR}
    columns |= {
        name: pa.Column("float64", _indicator_checks(name), nullable=True) for name in indicators
    }
    return pa.DataFrameSchema(columns, unique=["country_code", "year"], strict=True)


GCB_SCHEMA = pa.DataFrameSchema(
    {
        "country_code": pa.Column("string", nullable=False),
        "year": YEAR,
        "co2_mt": pa.Column("float64", pa.Check.ge(0)),
    },
    unique=["country_code", "year"],
    strict=True,
)


def national_loads(countries: pd.DataFrame, indicators: pd.DataFrame) -> list[TableLoad]:
    # Countries are upserted, never deleted: other datasets (GCB, targets) refer to them.
    return [
        TableLoad("core.countries", countries, key=("code",), mode="upsert"),
        TableLoad("core.national_indicators", indicators, key=("country_code", "year")),
    ]
