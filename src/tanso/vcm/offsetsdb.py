"""CarbonPlan OffsetsDB: its project list (id → project type, 2024-11 snapshot) and its
type → category and protocol mappings (`offsetsdb_*.json`, MIT, see OFFSETSDB_MAPPINGS.md).

OffsetsDB writes Gold Standard as GLD…; its full export is not public without CarbonPlan's
storage, so the project list is what this source contributes to reconciliation, and the
mappings give every project (from any source) an OffsetsDB category where its type or
methodology is known.
"""

from __future__ import annotations

import re

import pandas as pd

from tanso.vcm import ids
from tanso.vcm.checks import (
    InputError,
    clean_text,
    read_mapping,
    require_columns,
    require_unique_ids,
)
from tanso.vcm.schema import conform_projects

SOURCE = "offsetsdb"
TYPE_CATEGORIES: dict[str, dict] = read_mapping(__file__,
                                                "offsetsdb_type_categories.json")
PROTOCOLS: dict[str, dict] = read_mapping(__file__, "offsetsdb_protocols.json")
# Every known registry spelling of a methodology → its protocol id (e.g. 'acm0002')
_KNOWN_STRINGS = {s.strip().lower(): key for key, spec in PROTOCOLS.items()
                  for s in spec.get("known-strings", [])}
_CODE = re.compile(r"\b(A?C?M\d{4}|AMS-[IV]+\.[A-Z]+\.?|VM\d{4}|AR-A?C?M\d{4})\b", re.IGNORECASE)


def parse_project_types(raw: pd.DataFrame, *, file: str = "offsetsdb/project-types.csv"
                        ) -> pd.DataFrame:
    """OffsetsDB project list (project_id, project_type, source) → project rows with the
    type and its category."""
    require_columns(raw, ["project_id", "project_type", "source"], source=file)
    source_id = clean_text(raw["project_id"])
    project_id = ids.canonical_ids(source_id, source=file, column="project_id")
    project_type = clean_text(raw["project_type"]).str.lower()
    unknown = project_type.notna() & ~project_type.isin(list(TYPE_CATEGORIES))
    if unknown.any():
        row = int(raw.index[unknown.to_numpy()][0]) + 2
        raise InputError(f"{file}: column 'project_type' row {row}: type "
                         f"{project_type[unknown].iloc[0]!r} is not in the type → category "
                         "mapping")
    frame = pd.DataFrame({
        "project_id": project_id,
        "source": SOURCE,
        "source_id": source_id,
        "registry": ids.registry_of(project_id),
        # Berkeley's type names (lower case), comparable with VROD's `Type`
        "project_type": project_type,
        "category": project_type.map(
            lambda t: TYPE_CATEGORIES[t]["category"] if isinstance(t, str) else None),
        "notes": "type from " + clean_text(raw["source"]).fillna("unknown"),
    })
    frame["registry_url"] = ids.registry_urls(frame["project_id"], frame["registry"])
    require_unique_ids(frame["project_id"], source=file)
    return conform_projects(frame)


def protocol_of(methodology: pd.Series) -> pd.Series:
    """A registry's methodology text → OffsetsDB protocol id ('acm0002'), by exact known
    string first, then by the first methodology code in the text; None when neither matches
    (OffsetsDB's `protocol_unassigned`)."""
    def match(text):
        if not isinstance(text, str):
            return None
        if key := _KNOWN_STRINGS.get(text.strip().lower()):
            return key
        code = _CODE.search(text)
        key = code[1].lower().replace("-", "").replace(".", "") if code else None
        return key if key in PROTOCOLS else None
    return methodology.map(match).astype("string")


def category_of(*, project_type: pd.Series, methodology: pd.Series) -> pd.Series:
    """OffsetsDB category from the project's type (if an OffsetsDB type) else its protocol."""
    by_type = project_type.str.lower().map(
        lambda t: TYPE_CATEGORIES.get(t, {}).get("category") if isinstance(t, str) else None)
    by_protocol = protocol_of(methodology).map(
        lambda p: PROTOCOLS[p].get("category") if isinstance(p, str) else None)
    return by_type.fillna(by_protocol).astype("string")
