"""The two sector taxonomies (GIR fields, Climate Watch sectors) as data: sectors.csv beside this module.

Each sector says whether it counts in the gross total (excluding LULUCF) and in the net total;
LULUCF is listed but outside gross totals, bunker fuels outside both (a memo item).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tanso.db.load import TableLoad
from tanso.errors import validated

SECTORS_CSV = Path(__file__).with_name("sectors.csv")
TAXONOMIES = ("gir", "climatewatch")


@cache
def sectors() -> pd.DataFrame:
    frame = pd.read_csv(SECTORS_CSV, dtype={"source_column": "string"})
    frame = frame.astype({"taxonomy": "string", "sector": "string", "name_en": "string",
                          "name_ko": "string", "position": "int16"})
    return validated(SECTORS_SCHEMA, frame, source=SECTORS_CSV.name)


def sector_table(taxonomy: str) -> pd.DataFrame:
    """The sectors of one taxonomy in display order."""
    frame = sectors()
    return frame[frame["taxonomy"] == taxonomy].sort_values("position").reset_index(drop=True)


SECTORS_SCHEMA = pa.DataFrameSchema(
    {
        "taxonomy": pa.Column("string", pa.Check.isin(TAXONOMIES)),
        "sector": pa.Column("string", pa.Check.str_matches(r"^[a-z_]+$")),
        "position": pa.Column("int16"),
        "name_en": pa.Column("string"),
        "name_ko": pa.Column("string"),
        "energy": pa.Column(bool),
        "in_gross_total": pa.Column(bool),
        "in_net_total": pa.Column(bool),
        "source_column": pa.Column("string"),
    },
    unique=["taxonomy", "sector"],
    strict=True,
)


def sectors_load() -> TableLoad:
    """Upserted by every sector step (like countries): each source's rows refer to it."""
    return TableLoad("core.sectors", sectors().drop(columns="source_column"),
                     key=("taxonomy", "sector"), mode="upsert")
