"""Reads of mart.national for apps and reports (apps never read core.* directly)."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa


def national(engine: sa.Engine, *, countries: list[str] | None = None,
             columns: list[str] | None = None) -> pd.DataFrame:
    """Rows of mart.national, optionally for some country codes and indicator columns."""
    cols = "*" if columns is None else ", ".join(
        ["country_code", "country", "kind", "year", *[f'"{c}"' for c in columns]])
    where = "WHERE country_code = ANY(:codes)" if countries else ""
    query = sa.text(f"SELECT {cols} FROM mart.national {where} ORDER BY country_code, year")
    with engine.connect() as conn:
        return pd.read_sql(query, conn, params={"codes": countries} if countries else None)


def loaded_versions(engine: sa.Engine) -> dict[str, str]:
    """dataset → version loaded; a cheap cache key for data derived from the database."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT dataset, version FROM ops.loaded_datasets")).all()
    return dict(rows)
