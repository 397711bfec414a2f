"""Verra (VCS) registry exports: the project list and the VCU transactions file.

Verra publishes one row per block of credits: a row with a Retirement/Cancellation Date is a
retirement (Verra does not tell retirements and cancellations apart), and every block of a
(project, vintage period, issuance date) repeats the issuance's Total Vintage Quantity, so
the issuance is that quantity once per group — as OffsetsDB reads it.
"""

from __future__ import annotations

import pandas as pd

from tanso.vcm import exports
from tanso.vcm.checks import parse_quantities

REGISTRY = "verra"


def parse_projects(raw: pd.DataFrame, *, file: str = "verra/projects.csv") -> pd.DataFrame:
    return exports.projects(raw, registry=REGISTRY, file=file)


def parse_transactions(raw: pd.DataFrame, *,
                       file: str = "verra/transactions.csv") -> pd.DataFrame:
    """Issuances (one per issuance group) and retirements of a Verra transactions export."""
    columns = exports.MAPPINGS[REGISTRY]["transactions"]
    frame = exports.select_columns(raw, registry=REGISTRY, table="transactions", file=file)
    # Years of the vintage end: Verra's blocks are dated periods
    frame["vintage"] = frame["vintage"].astype("string").str[:4]
    retired = frame[frame["transaction_date"].notna()
                    & (frame["transaction_date"].astype("string").str.strip() != "")]
    retirements = exports.type_transactions(retired, registry=REGISTRY, kind="retirement",
                                            source=REGISTRY, file=file, columns=columns)
    groups = frame.drop_duplicates(["source_id", "vintage_start", "vintage", "issued_at"])
    issued = groups.assign(
        quantity=parse_quantities(groups["vintage_quantity"], source=file,
                                  column="Total Vintage Quantity"),
        transaction_date=groups["issued_at"], beneficiary=pd.NA, reason=pd.NA)
    issuances = exports.type_transactions(issued, registry=REGISTRY, kind="issuance",
                                          source=REGISTRY, file=file,
                                          columns=columns | {"Issuance Date": "transaction_date"})
    return pd.concat([issuances, retirements], ignore_index=True)
