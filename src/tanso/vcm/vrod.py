"""Berkeley Carbon Trading Project's Voluntary Registry Offsets Database (VROD), PROJECTS sheet.

v2025-12 has 168 columns, headers with newlines, and four yearly blocks 1996–2025 that the
spreadsheet export de-duplicates with suffixes: "1996" issued by vintage, "1996.1" retired or
cancelled by retirement year (plus "Year Unknown"), "1996.2" remaining by vintage, "1996.3"
issued by issuance year. Each block sums to its total column in every row of v2025-12, which
the unit tests pin. Remaining and issuance-year cells can be negative (registry corrections,
retired > issued); they are kept signed and flagged, never clipped.
"""

from __future__ import annotations

import re

import pandas as pd

from tanso.errors import validated
from tanso.vcm import ids
from tanso.vcm.checks import (
    InputError,
    clean_text,
    collapse_headers,
    parse_dates,
    parse_quantities,
    parse_years,
    read_mapping,
    require_columns,
)
from tanso.vcm.schema import (
    CREDIT_YEAR_COLUMNS,
    CREDIT_YEARS,
    SIGNED_CREDIT_YEAR_KINDS,
    conform_projects,
)

COLUMNS: dict[str, str] = read_mapping(__file__, "vrod_columns.json")
BLOCKS = {"": "issued_by_vintage", "1": "retired_by_year", "2": "remaining_by_vintage",
          "3": "issued_by_issuance_year"}
SIGNED_FIELDS = {"remaining"}
_YEAR_HEADER = re.compile(r"^(\d{4})(?:\.(\d))?$")
SOURCE = "vrod"


def year_columns(frame: pd.DataFrame) -> dict[str, dict[int, str]]:
    """{kind: {year: header}} for the four yearly blocks."""
    blocks: dict[str, dict[int, str]] = {kind: {} for kind in BLOCKS.values()}
    for header in frame.columns:
        if match := _YEAR_HEADER.match(header):
            year, suffix = int(match[1]), match[2] or ""
            if suffix in BLOCKS:
                blocks[BLOCKS[suffix]][year] = header
    return blocks


def parse_projects(raw: pd.DataFrame, *, file: str = SOURCE) -> pd.DataFrame:
    """VROD PROJECTS rows → harmonised project rows (source 'vrod')."""
    frame = collapse_headers(raw)
    require_columns(frame, COLUMNS, source=file)
    blocks = year_columns(frame)
    if not blocks["issued_by_vintage"] or len({len(b) for b in blocks.values()}) != 1:
        sizes = ", ".join(f"{kind}: {len(years)} years" for kind, years in blocks.items())
        raise InputError(f"{file}: the four yearly blocks (1996…, 1996.1…, 1996.2…, "
                         f"1996.3…) are incomplete or uneven ({sizes})")
    out = pd.DataFrame(index=frame.index)
    for header, field in COLUMNS.items():
        values = frame[header]
        if field in ("issued", "retired", "remaining", "buffer_deposits", "reversals_covered",
                     "reversals_not_covered", "buffer_released", "retired_year_unknown"):
            if field in SIGNED_FIELDS:
                out[field] = pd.to_numeric(values, errors="raise").astype("float64")
            else:
                out[field] = parse_quantities(values, source=file, column=header,
                                              allow_missing=True)
        elif field == "first_vintage":
            out[field] = parse_years(values, source=file, column=header)
        elif field in ("listed_at", "registered_at"):
            out[field] = parse_dates(values, source=file, column=header)
        else:
            out[field] = clean_text(values)
    out["registry"] = ids.normalise_registries(out["registry"], source=file,
                                               column="Voluntary Registry")
    out["project_id"] = ids.canonical_ids(out["source_id"], registry=out["registry"],
                                          source=file, column="Project ID")
    out["source"] = SOURCE
    certifications = out["certifications"].fillna("")
    out["corsia"] = certifications.str.contains("CORSIA", case=False)
    out["ccb"] = certifications.str.contains(r"\bCCB", case=False)
    return conform_projects(out)


def parse_credit_years(raw: pd.DataFrame, *, file: str = SOURCE) -> pd.DataFrame:
    """The four yearly blocks as long rows (project_id, source, year, kind, quantity); zeros dropped."""
    frame = collapse_headers(raw)
    require_columns(frame, ["Project ID", "Voluntary Registry"], source=file)
    registry = ids.normalise_registries(frame["Voluntary Registry"], source=file,
                                        column="Voluntary Registry")
    project_id = ids.canonical_ids(frame["Project ID"], registry=registry, source=file,
                                   column="Project ID")
    parts = []
    for kind, years in year_columns(frame).items():
        if not years:
            continue
        block = frame[list(years.values())]
        block.columns = list(years)
        if kind not in SIGNED_CREDIT_YEAR_KINDS:
            for header in years.values():
                parse_quantities(frame[header], source=file, column=header)
        long = block.set_axis(project_id.to_numpy()).stack()
        long = long[long != 0]
        parts.append(pd.DataFrame({
            "project_id": long.index.get_level_values(0).astype("string"),
            "source": SOURCE,
            "year": long.index.get_level_values(1).astype("int16"),
            "kind": kind,
            "quantity": pd.to_numeric(long.to_numpy(), errors="raise").astype("float64"),
        }))
    years = pd.concat(parts, ignore_index=True)[list(CREDIT_YEAR_COLUMNS)]
    years["source"] = years["source"].astype("string")
    years["kind"] = years["kind"].astype("string")
    return validated(CREDIT_YEARS, years, source=file, key=("project_id", "year", "kind"))
