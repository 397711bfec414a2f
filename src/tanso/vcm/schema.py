"""The harmonised shapes every source is turned into, and their pandera checks.

`PROJECT_COLUMNS`: one row per (source, project). `TRANSACTION_COLUMNS`: one row per credit
event in a registry export (issuance, retirement, cancellation). `CREDIT_YEAR_COLUMNS`: VROD's
yearly blocks in long form. Quantities are tCO2e (float, since Isometric issues fractions).
"""

from __future__ import annotations

import contextlib
import contextvars

import pandas as pd
import pandera.pandas as pa

from tanso.db.tables.vcm import QUANTITY_FIELDS, TEXT_FIELDS
from tanso.errors import validated
from tanso.vcm.ids import REGISTRIES

SOURCES = ("vrod", "offsetsdb", "verra", "gold-standard", "american-carbon-registry",
           "climate-action-reserve", "art-trees", "isometric", "cercarbono", "vrod-2021")
TRANSACTION_KINDS = ("issuance", "retirement", "cancellation")
CREDIT_YEAR_KINDS = ("issued_by_vintage", "retired_by_year", "remaining_by_vintage",
                     "issued_by_issuance_year")
# VROD records registry corrections as negative issuance-year cells, and remaining goes
# negative where retired > issued: kept signed (and flagged), never clipped.
SIGNED_CREDIT_YEAR_KINDS = ("remaining_by_vintage", "issued_by_issuance_year")

PROJECT_COLUMNS = ("project_id", "source", "source_id", "registry", *TEXT_FIELDS,
                   "corsia", "ccb", "first_vintage", *QUANTITY_FIELDS)
TRANSACTION_COLUMNS = ("project_id", "source", "source_file", "source_row", "registry", "kind",
                       "quantity", "vintage", "transaction_date", "beneficiary", "reason",
                       "serial")
CREDIT_YEAR_COLUMNS = ("project_id", "source", "year", "kind", "quantity")

_registry = pa.Check.isin(list(REGISTRIES))
_non_negative = pa.Check.ge(0)
_year = pa.Check.in_range(1980, 2100)

PROJECTS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}[A-Z0-9]+$")),
        "source": pa.Column("string", pa.Check.isin(SOURCES)),
        "source_id": pa.Column("string"),
        "registry": pa.Column("string", _registry),
        **{f: pa.Column("string", nullable=True) for f in TEXT_FIELDS},
        "corsia": pa.Column("boolean", nullable=True),
        "ccb": pa.Column("boolean", nullable=True),
        "first_vintage": pa.Column("Int16", _year, nullable=True),
        **{f: pa.Column("float64", [] if f == "remaining" else _non_negative, nullable=True)
           for f in QUANTITY_FIELDS},
    },
    unique=["source", "project_id"],
    strict=True,
    ordered=True,
    name="vcm projects (one row per source and project)",
)

TRANSACTIONS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}[A-Z0-9]+$")),
        "source": pa.Column("string", pa.Check.isin(SOURCES)),
        "source_file": pa.Column("string"),
        "source_row": pa.Column("int64", pa.Check.ge(2)),
        "registry": pa.Column("string", _registry),
        "kind": pa.Column("string", pa.Check.isin(TRANSACTION_KINDS)),
        "quantity": pa.Column("float64", _non_negative),
        "vintage": pa.Column("Int16", _year, nullable=True),
        "transaction_date": pa.Column("string", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"),
                                      nullable=True),
        "beneficiary": pa.Column("string", nullable=True),
        "reason": pa.Column("string", nullable=True),
        "serial": pa.Column("string", nullable=True),
    },
    unique=["source", "source_file", "source_row", "kind"],
    strict=True,
    ordered=True,
    name="vcm credit transactions",
)

CREDIT_YEARS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("string"),
        "source": pa.Column("string", pa.Check.isin(SOURCES)),
        "year": pa.Column("int16", pa.Check.in_range(1996, 2060)),
        "kind": pa.Column("string", pa.Check.isin(CREDIT_YEAR_KINDS)),
        "quantity": pa.Column("float64"),
    },
    checks=pa.Check(lambda df: (df["quantity"] >= 0) | df["kind"].isin(SIGNED_CREDIT_YEAR_KINDS),
                    name="non-negative except signed kinds"),
    unique=["project_id", "source", "year", "kind"],
    strict=True,
    ordered=True,
    name="vcm credits by year",
)


# pandera costs ~0.3 s per call whatever the rows; a build of every source validates the
# concatenated frames once instead of each of ~35 files (see deferred_checks).
_DEFERRED = contextvars.ContextVar("vcm_deferred_checks", default=False)


@contextlib.contextmanager
def deferred_checks():
    """Within this block parsers shape frames without validating; the caller validates the
    combined frames (PROJECTS / TRANSACTIONS) once at the end."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def check_projects(frame: pd.DataFrame) -> pd.DataFrame:
    """PROJECTS; a failure names each row by its source and the id there (tanso.errors.validated)."""
    return validated(PROJECTS, frame, source="vcm projects", key=("source", "source_id"))


def check_transactions(frame: pd.DataFrame) -> pd.DataFrame:
    """TRANSACTIONS; a failure names each row by its file and row there."""
    return validated(TRANSACTIONS, frame, source="vcm transactions", key=("source_file", "source_row"))


def _check_unless_deferred(check, frame: pd.DataFrame) -> pd.DataFrame:
    return frame if _DEFERRED.get() else check(frame)


def conform_projects(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the columns a source does not have (as missing), order and type them, check."""
    out = pd.DataFrame(index=frame.index)
    for column in PROJECT_COLUMNS:
        values = (frame[column] if column in frame.columns
                  else pd.Series(None, index=frame.index, dtype="object"))
        if column in QUANTITY_FIELDS:
            out[column] = values.astype("float64")
        elif column in ("corsia", "ccb"):
            out[column] = values.astype("boolean")
        elif column == "first_vintage":
            out[column] = values.astype("Int16")
        else:
            out[column] = values.astype("string")
    return _check_unless_deferred(check_projects, out.reset_index(drop=True))


def conform_transactions(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for column in TRANSACTION_COLUMNS:
        values = (frame[column] if column in frame.columns
                  else pd.Series(None, index=frame.index, dtype="object"))
        out[column] = values.astype({"quantity": "float64", "source_row": "int64",
                                     "vintage": "Int16"}.get(column, "string"))
    return _check_unless_deferred(check_transactions, out.reset_index(drop=True))
