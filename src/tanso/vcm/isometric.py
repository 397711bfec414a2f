"""Isometric registry exports (projects, issuances, retirements; 2026 API dumps).

Projects have an internal id (prj_…) and a short code; the canonical id is ISO<short code>
(OffsetsDB's). Transactions name the internal id, so they are mapped through the project
list; a transaction of a project missing from the list keeps ISO<internal id> and is
flagged downstream as a project without a project row.
"""

from __future__ import annotations

import pandas as pd

from tanso.vcm import exports, ids

REGISTRY = "isometric"


def parse_projects(raw: pd.DataFrame, *, file: str = "isometric/projects.csv") -> pd.DataFrame:
    codes = exports.select_columns(raw, registry=REGISTRY, table="projects", file=file)
    project_id = ids.canonical_ids("ISO" + codes["source_id"].astype("string"), source=file,
                                   column="short_code")
    return exports.projects(raw, registry=REGISTRY, file=file, extra={"project_id": project_id})


def short_codes(raw_projects: pd.DataFrame) -> dict[str, str]:
    """Internal project id → canonical id, from the raw project list."""
    projects = parse_projects(raw_projects)
    internal = exports.select_columns(raw_projects, registry=REGISTRY, table="projects",
                                      file="isometric/projects.csv")["isometric_id"]
    return dict(zip(internal.astype(str), projects["project_id"]))


def parse_transactions(raw: pd.DataFrame, *, kind: str, project_ids: dict[str, str],
                       file: str | None = None) -> pd.DataFrame:
    file = file or f"{REGISTRY}/{kind}s.csv"
    table = kind + "s"
    frame = exports.select_columns(raw, registry=REGISTRY, table=table, file=file)
    internal = frame["isometric_id"].astype("string").str.strip()
    fallback = "ISO" + internal.str.removeprefix("prj_").str.upper()
    frame["project_id"] = internal.map(project_ids).astype("string").fillna(fallback)
    return exports.type_transactions(frame, registry=REGISTRY, kind=kind, source=REGISTRY,
                                     file=file, columns=exports.MAPPINGS[REGISTRY][table])
