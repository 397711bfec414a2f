"""Climate Watch sector emissions via Our World in Data (catalog entry `climatewatch_sectors`).

The OWID grapher table is wide (Entity, Code, Year + 11 sector columns in t CO2e); this module
turns it into country_code, year, sector, value_mt with the sector keys of sectors.csv.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from tanso.db.load import TableLoad
from tanso.emissions.national import InputError, require_columns
from tanso.errors import narrowed, validated
from tanso.sectors.taxonomy import sector_table, sectors_load

SOURCE = "climatewatch_sectors"


def tidy_climatewatch(frame: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Long Mt CO2e by country code, year and sector; entities matched by OWID name.

    Cells without a value are left out (not zero): Climate Watch has no sector row for them.
    """
    columns = dict(zip(sector_table("climatewatch")["source_column"],
                       sector_table("climatewatch")["sector"], strict=True))
    require_columns(frame, ["Entity", "Year", *columns], source=SOURCE)
    codes = dict(zip(countries["name"], countries["code"], strict=True))
    unknown = sorted(set(frame["Entity"]) - set(codes))
    if unknown:
        raise InputError(f"{SOURCE}: entities not in the country dimension: {', '.join(unknown)}")
    long = frame.rename(columns=columns).melt(id_vars=["Entity", "Year"], value_vars=list(columns.values()),
                                              var_name="sector", value_name="value_t")
    long = long.dropna(subset=["value_t"])
    tidy = pd.DataFrame({
        "country_code": long["Entity"].map(codes).astype("string").to_numpy(),
        "year": narrowed(long["Year"], "int16", source=SOURCE).to_numpy(),
        "sector": long["sector"].astype("string").to_numpy(),
        "value_mt": pd.to_numeric(long["value_t"], errors="raise").to_numpy() / 1e6,
    })
    return validated(SCHEMA, tidy.sort_values(["country_code", "sector", "year"]).reset_index(drop=True),
                     source=SOURCE, key=("country_code", "year", "sector"))


SCHEMA = pa.DataFrameSchema(
    {
        "country_code": pa.Column("string"),
        "year": pa.Column("int16", pa.Check.in_range(1990, 2100)),
        "sector": pa.Column("string", pa.Check.isin(list(sector_table("climatewatch")["sector"]))),
        "value_mt": pa.Column("float64"),
    },
    # only land use can be a net sink; a negative value elsewhere is a broken file
    checks=[pa.Check(lambda df: df["sector"].eq("lulucf") | df["value_mt"].ge(0),
                     name="only_lulucf_is_negative")],
    unique=["country_code", "year", "sector"],
    strict=True,
)


def climatewatch_loads(emissions: pd.DataFrame) -> list[TableLoad]:
    return [sectors_load(),
            TableLoad("core.climatewatch_emissions", emissions, key=("country_code", "year", "sector"))]
