"""One taxonomy for both sources: GIR inventory leaves → Climate Watch sectors (catalog `sector_mapping`).

The mapping is data (a versioned CSV), checked before it is loaded: every GIR leaf maps exactly
once to a known sector, and the mapped leaves of each field add up to GIR's own field totals in
every year, so GIR regrouped into Climate Watch sectors keeps GIR's gross and net totals.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tanso.emissions.national import InputError, require_columns
from tanso.errors import validated
from tanso.sectors import gir
from tanso.sectors.taxonomy import sector_table

SOURCE = "sector_mapping"


class MappingError(InputError):
    """The mapping does not cover the GIR tree exactly once, or its totals differ from GIR's."""


def read_mapping(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    require_columns(frame, ("gir_code", "climatewatch_sector", "note"), source=SOURCE)
    frame["note"] = frame["note"].replace("", pd.NA)
    return validated(SCHEMA, frame, source=path.name)


def check_mapping(categories: pd.DataFrame, mapping: pd.DataFrame, emissions: pd.DataFrame) -> None:
    """Raise MappingError listing every problem: coverage first, then totals."""
    leaves = set(categories.loc[categories["is_leaf"], "code"])
    known = set(sector_table("climatewatch")["sector"])
    counts = mapping["gir_code"].value_counts()
    problems = []
    if missing := sorted(leaves - set(counts.index)):
        problems.append(f"GIR leaves not mapped: {', '.join(missing)}")
    if twice := sorted(counts[counts > 1].index):
        problems.append(f"GIR leaves mapped more than once: {', '.join(twice)}")
    if not_leaves := sorted(set(counts.index) - leaves):
        problems.append(f"codes that are not GIR leaves: {', '.join(not_leaves)}")
    if unknown := sorted(set(mapping["climatewatch_sector"]) - known):
        problems.append(f"unknown Climate Watch sectors: {', '.join(unknown)}")
    if problems:
        raise MappingError(f"{SOURCE}: " + "; ".join(problems))
    mismatches = field_total_mismatches(categories, mapping, emissions)
    if not mismatches.empty:
        first = mismatches.iloc[0]
        raise MappingError(
            f"{SOURCE}: mapped leaves differ from the GIR field totals in {len(mismatches)} "
            f"field-years, e.g. {first['field']} {first['year']}: {first['mapped_kt']:.2f} kt "
            f"mapped vs {first['field_kt']:.2f} kt")


def field_total_mismatches(categories: pd.DataFrame, mapping: pd.DataFrame,
                           emissions: pd.DataFrame) -> pd.DataFrame:
    """field, year, mapped_kt, field_kt where the mapped leaves of a field miss its total."""
    field_of = categories.set_index("code")["field"]
    mapped = emissions.merge(mapping[["gir_code"]], left_on="code", right_on="gir_code")
    mapped = mapped.assign(field=mapped["code"].map(field_of)).dropna(subset=["field"])
    sums = mapped.groupby(["field", "year"])["value_kt"].sum().rename("mapped_kt")
    totals = (emissions[emissions["code"].isin(list(gir.FIELDS))]
              .assign(field=lambda f: f["code"].map(gir.FIELDS))
              .set_index(["field", "year"])["value_kt"].rename("field_kt"))
    both = pd.concat([sums, totals], axis=1).reset_index()
    off = (both["mapped_kt"] - both["field_kt"]).abs() > gir.SUM_TOLERANCE_KT
    return both[off | both["mapped_kt"].isna()].reset_index(drop=True)


def map_to_climatewatch(emissions: pd.DataFrame, mapping: pd.DataFrame) -> pd.DataFrame:
    """GIR leaves regrouped into Climate Watch sectors: year, sector, value_mt."""
    mapped = emissions.merge(mapping, left_on="code", right_on="gir_code")
    grouped = mapped.groupby(["year", "climatewatch_sector"], as_index=False)["value_kt"].sum(min_count=1)
    return pd.DataFrame({"year": grouped["year"], "sector": grouped["climatewatch_sector"],
                         "value_mt": grouped["value_kt"] / 1000.0})


SCHEMA = pa.DataFrameSchema(
    {
        "gir_code": pa.Column("string"),
        "climatewatch_sector": pa.Column("string"),
        "note": pa.Column("string", nullable=True),
    },
    strict=True,
)
