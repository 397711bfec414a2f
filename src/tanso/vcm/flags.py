"""Data-quality flags, one row per (project, flag): what is wrong and the evidence.

Flags never drop or change data; they are stored and shown next to the project.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from tanso.errors import validated

FLAGS = {
    "retired_exceeds_issued": "a source reports more credits retired than issued",
    "negative_remaining": "a source reports negative remaining credits",
    "negative_issuance_year": "VROD records a negative issuance in a year (a registry correction)",
    "totals_differ_from_years": "VROD's total differs from the sum of its yearly block",
    "transactions_without_project": "credit transactions name a project no project list has",
    "vintage_after_transaction": "a transaction's vintage is after the year of the transaction",
    "sources_disagree": "sources disagree on registry, country, type or totals",
    "no_category": "neither the type nor the methodology maps to an OffsetsDB category",
}

SCHEMA = pa.DataFrameSchema(
    {"project_id": pa.Column("string"), "flag": pa.Column("string", pa.Check.isin(list(FLAGS))),
     "detail": pa.Column("string")},
    unique=["project_id", "flag"], strict=True, name="vcm data-quality flags")


def _rows(project_ids, flag: str, details) -> pd.DataFrame:
    project_ids = list(project_ids)
    details = list(details) if not isinstance(details, str) else [details] * len(project_ids)
    return pd.DataFrame({"project_id": pd.array(project_ids, dtype="string"), "flag": flag,
                         "detail": pd.array(details, dtype="string")})


def flag_totals(source_projects: pd.DataFrame) -> list[pd.DataFrame]:
    frames = []
    over = source_projects[source_projects["retired"] > source_projects["issued"]]
    frames.append(_rows(over["project_id"], "retired_exceeds_issued",
                        [f"{s}: retired {r:,.0f} > issued {i:,.0f}" for s, r, i
                         in zip(over["source"], over["retired"], over["issued"])]))
    negative = source_projects[source_projects["remaining"] < 0]
    frames.append(_rows(negative["project_id"], "negative_remaining",
                        [f"{s}: remaining {m:,.0f}" for s, m
                         in zip(negative["source"], negative["remaining"])]))
    return frames


def flag_credit_years(source_projects: pd.DataFrame, credit_years: pd.DataFrame
                      ) -> list[pd.DataFrame]:
    negative = credit_years[(credit_years["kind"] == "issued_by_issuance_year")
                            & (credit_years["quantity"] < 0)]
    negative = negative.groupby("project_id").agg(
        detail=("year", lambda y: "years " + ", ".join(str(v) for v in sorted(y))))
    frames = [_rows(negative.index, "negative_issuance_year", negative["detail"])]
    vrod = source_projects[source_projects["source"] == "vrod"].set_index("project_id")
    sums = credit_years.pivot_table(index="project_id", columns="kind", values="quantity",
                                    aggfunc="sum")
    checks = {"issued": "issued_by_vintage", "remaining": "remaining_by_vintage"}
    for total, kind in checks.items():
        if kind not in sums:
            continue
        blocks = sums[kind].reindex(vrod.index).fillna(0)
        differ = (vrod[total].fillna(0) - blocks).abs() > 0.5
        frames.append(_rows(vrod.index[differ], "totals_differ_from_years",
                            [f"{total} {t:,.0f} vs {kind} sum {b:,.0f}" for t, b
                             in zip(vrod.loc[differ, total], blocks[differ])]))
    return frames


def flag_transactions(source_projects: pd.DataFrame, transactions: pd.DataFrame
                      ) -> list[pd.DataFrame]:
    known = set(source_projects["project_id"])
    orphan = transactions[~transactions["project_id"].isin(known)]
    orphan = orphan.groupby("project_id").agg(
        detail=("source_file", lambda f: "in " + ", ".join(sorted(set(f)))))
    year = transactions["transaction_date"].str[:4].astype("Int16")
    late = transactions[(transactions["vintage"] > year).fillna(False)]
    late = late.groupby("project_id").agg(detail=("source_row", "first"),
                                          vintage=("vintage", "first"),
                                          file=("source_file", "first"))
    return [_rows(orphan.index, "transactions_without_project", orphan["detail"]),
            _rows(late.index, "vintage_after_transaction",
                  [f"vintage {v} in {f} row {r}" for v, f, r
                   in zip(late["vintage"], late["file"], late["detail"])])]


def flag_merged(merged: pd.DataFrame, disagreements: pd.DataFrame) -> list[pd.DataFrame]:
    fields = disagreements.groupby("project_id")["field"].agg(
        lambda f: ", ".join(sorted(set(f))))
    uncategorised = merged[merged["category"].isna()]
    return [_rows(fields.index, "sources_disagree", fields),
            _rows(uncategorised["project_id"], "no_category",
                  "type " + uncategorised["project_type"].fillna("unknown"))]


def build_flags(*, source_projects: pd.DataFrame, merged: pd.DataFrame,
                credit_years: pd.DataFrame, transactions: pd.DataFrame,
                disagreements: pd.DataFrame) -> pd.DataFrame:
    frames = [*flag_totals(source_projects), *flag_credit_years(source_projects, credit_years),
              *flag_transactions(source_projects, transactions),
              *flag_merged(merged, disagreements)]
    flags = pd.concat(frames, ignore_index=True)
    # A project flagged twice for one reason (two sources) keeps one row with both details
    flags["detail"] = flags["detail"].fillna("")
    flags = flags.groupby(["project_id", "flag"], as_index=False)["detail"].agg("; ".join)
    return validated(SCHEMA, flags.astype("string"), source="vcm flags", key=("project_id", "flag"))
