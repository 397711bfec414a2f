"""Steps shared by the raw registry export parsers: select and rename the mapped columns,
then type them into harmonised transaction or project rows.

The column mapping of every registry and file is data (`registry_columns.json`); a new
export version with the same header loads the same way, a renamed column stops with its name.
"""

from __future__ import annotations

import pandas as pd

from tanso.vcm import ids
from tanso.vcm.checks import (
    clean_text,
    collapse_headers,
    parse_dates,
    parse_quantities,
    parse_years,
    read_mapping,
    require_columns,
    require_unique_ids,
)
from tanso.vcm.schema import conform_projects, conform_transactions

MAPPINGS: dict[str, dict[str, dict[str, str]]] = read_mapping(__file__,
                                                             "registry_columns.json")
TEXT = ("beneficiary", "reason", "serial")


def select_columns(raw: pd.DataFrame, *, registry: str, table: str, file: str) -> pd.DataFrame:
    """The mapped columns of one export file, renamed to harmonised fields; `source_row` is
    the file's line number (header = 1) so every value can be traced back."""
    mapping = MAPPINGS[registry][table]
    frame = collapse_headers(raw)
    require_columns(frame, mapping, source=file)
    out = frame[list(mapping)].rename(columns=mapping)
    out["source_row"] = out.index.astype("int64") + 2
    return out


def type_transactions(frame: pd.DataFrame, *, registry: str, kind: str, source: str,
                      file: str, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """Renamed export rows → checked transaction rows. `columns` maps fields back to raw
    headers for messages; `frame` must already carry `project_id` or `source_id`."""
    raw_name = {v: k for k, v in (columns or {}).items()}
    out = pd.DataFrame(index=frame.index)
    out["project_id"] = (frame["project_id"] if "project_id" in frame
                         else ids.canonical_ids(frame["source_id"], registry=registry,
                                                source=file,
                                                column=raw_name.get("source_id", "source_id")))
    out["source"] = source
    out["source_file"] = file
    out["source_row"] = frame["source_row"]
    out["registry"] = registry
    out["kind"] = kind
    out["quantity"] = parse_quantities(frame["quantity"], source=file,
                                       column=raw_name.get("quantity", "quantity"))
    out["vintage"] = (parse_years(frame["vintage"], source=file,
                                  column=raw_name.get("vintage", "vintage"))
                      if "vintage" in frame else pd.NA)
    out["transaction_date"] = parse_dates(frame["transaction_date"], source=file,
                                          column=raw_name.get("transaction_date", "date"))
    for field in TEXT:
        out[field] = clean_text(frame[field]) if field in frame else pd.NA
    return conform_transactions(out)


def transactions(raw: pd.DataFrame, *, registry: str, kind: str, file: str,
                 table: str | None = None, source: str | None = None) -> pd.DataFrame:
    """An export whose rows are one kind of transaction each (APX, Gold Standard, VROD tabs)."""
    table = table or kind + "s"
    frame = select_columns(raw, registry=source or registry, table=table, file=file)
    return type_transactions(frame, registry=registry, kind=kind, source=source or registry,
                             file=file, columns=MAPPINGS[source or registry][table])


def projects(raw: pd.DataFrame, *, registry: str, file: str,
             extra: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """A registry's project list → harmonised project rows (source = the registry)."""
    frame = select_columns(raw, registry=registry, table="projects", file=file)
    columns = MAPPINGS[registry]["projects"]
    raw_name = {v: k for k, v in columns.items()}
    out = pd.DataFrame(index=frame.index)
    for field in frame.columns.drop("source_row"):
        if field in ("issued", "retired"):
            out[field] = parse_quantities(frame[field], source=file, column=raw_name[field],
                                          allow_missing=True)
        elif field in ("listed_at", "registered_at"):
            out[field] = parse_dates(frame[field], source=file, column=raw_name[field])
        else:
            out[field] = clean_text(frame[field])
    for field, values in (extra or {}).items():
        out[field] = values
    if "project_id" not in out:
        out["project_id"] = ids.canonical_ids(out["source_id"], registry=registry, source=file,
                                              column=raw_name["source_id"])
    out["source"] = registry
    out["registry"] = registry
    if "registry_url" not in out:
        out["registry_url"] = ids.registry_urls(out["project_id"], out["registry"])
    require_unique_ids(out["project_id"], source=file)
    return conform_projects(out)
