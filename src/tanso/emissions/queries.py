"""Reads of mart.national for apps and reports (apps never read core.* directly)."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa


def national(engine: sa.Engine, *, countries: list[str] | None = None,
             columns: list[str] | None = None) -> pd.DataFrame:
    """Rows of mart.national, optionally for some country codes and indicator columns."""
    view = sa.table("national", schema="mart")
    cols = ([sa.text("*")] if columns is None else
            [sa.column(c) for c in ("country_code", "country", "kind", "year", *columns)])
    query = sa.select(*cols).select_from(view).order_by(sa.column("country_code"), sa.column("year"))
    if countries:
        query = query.where(sa.column("country_code").in_(countries))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def loaded_versions(engine: sa.Engine) -> dict[str, str]:
    """dataset → version loaded; a cheap cache key for data derived from the database."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT dataset, version FROM ops.loaded_datasets")).all()
    return dict(rows)
