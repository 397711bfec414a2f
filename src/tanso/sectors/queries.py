"""Reads of the sector marts (mart.sector_emissions, mart.gir_tree, mart.national) for app, report, CLI."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from tanso.sectors.lmdi import KAYA_INPUTS

SOURCES = ("gir", "climatewatch")
# GIR is Korea's own inventory; Climate Watch covers every country.
GIR_COUNTRY = "KOR"


def sector_emissions(engine: sa.Engine, *, source: str, country: str,
                     taxonomy: str | None = None) -> pd.DataFrame:
    """year, sector, position, names, in_gross_total, in_net_total, value_mt of one country."""
    query = sa.text(
        "SELECT country, year, sector, position, name_en, name_ko, in_gross_total, in_net_total, "
        "value_mt FROM mart.sector_emissions WHERE source = :source AND taxonomy = :taxonomy "
        "AND country_code = :country ORDER BY year, position")
    with engine.connect() as conn:
        return pd.read_sql(query, conn, params={"source": source, "country": country,
                                                "taxonomy": taxonomy or source})


def gir_tree(engine: sa.Engine, *, year: int | None = None) -> pd.DataFrame:
    where, params = ("WHERE year = :year", {"year": year}) if year is not None else ("", {})
    query = sa.text(f"SELECT * FROM mart.gir_tree {where} ORDER BY year, position")  # nosec B608
    with engine.connect() as conn:
        return pd.read_sql(query, conn, params=params)


def kaya_inputs(engine: sa.Engine, *, countries: list[str] | None = None) -> pd.DataFrame:
    """country_code, country, kind, year and the four Kaya inputs from mart.national."""
    columns = ", ".join(KAYA_INPUTS)
    where = "WHERE country_code = ANY(:codes)" if countries else ""
    query = sa.text(f"SELECT country_code, country, kind, year, {columns} FROM mart.national "  # nosec B608
                    f"{where} ORDER BY country_code, year")
    with engine.connect() as conn:
        return pd.read_sql(query, conn, params={"codes": countries} if countries else None)
